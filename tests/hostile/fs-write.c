/* SPDX-License-Identifier: MIT */
/* Attack: create and write a file at each PATH given (outside the writable paths, the driver
 * means). Prints one verdict per path: "blocked: PATH: ERRNO" or "ESCAPED: wrote PATH". */
#include <fcntl.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                int fd = open(argv[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (fd < 0) {
                        blocked("%s: %s", argv[i], attack_errname(errno));
                        continue;
                }
                if (write(fd, "pwned\n", 6) == 6)
                        escaped("wrote %s", argv[i]);
                else
                        blocked("%s: write: %s", argv[i], attack_errname(errno));
                close(fd);
        }
        return 0;
}
