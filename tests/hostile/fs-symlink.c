/* SPDX-License-Identifier: MIT */
/* Attack: a symlink in a writable folder pointing outside (`fs-symlink HOSTFILE RWDIR`), then
 * open it for writing and truncate the target through it. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        char ln[PATH_MAX];
        int fd;

        if (argc != 3) {
                fprintf(stderr, "usage: fs-symlink HOSTFILE RWDIR\n");
                return 2;
        }
        snprintf(ln, sizeof(ln), "%s/symlink", argv[2]);
        if (symlink(argv[1], ln) < 0) {
                blocked("symlink: %s", attack_errname(errno));
                return 0;
        }
        fd = open(ln, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd < 0) {
                blocked("open %s -> %s for writing: %s", ln, argv[1], attack_errname(errno));
                return 0;
        }
        if (write(fd, "pwned\n", 6) == 6)
                escaped("wrote %s through %s", argv[1], ln);
        else
                blocked("write through the symlink: %s", attack_errname(errno));
        return 0;
}
