/* SPDX-License-Identifier: MIT */
/* Attack: fill the disk. `disk-fill FILE MAX-MIB` writes FILE (in the private /tmp) in 1 MiB
 * steps until a write fails or MAX-MIB is reached; prints "blocked: ERRNO after N MiB" or
 * "wrote N MiB" (the driver checks N against the policy's /tmp size). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        static char mib[1 << 20];
        int fd, max;

        if (argc != 3) {
                fprintf(stderr, "usage: disk-fill FILE MAX-MIB\n");
                return 2;
        }
        max = atoi(argv[2]);
        memset(mib, 'x', sizeof(mib));
        fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
                blocked("%s: %s", argv[1], attack_errname(errno));
                return 0;
        }
        for (int n = 0; n < max; n++) {
                size_t done = 0;
                while (done < sizeof(mib)) {
                        ssize_t w = write(fd, mib + done, sizeof(mib) - done);
                        if (w < 0) {
                                blocked("%s after %d MiB", attack_errname(errno), n);
                                return 0;
                        }
                        done += (size_t)w;
                }
        }
        printf("wrote %d MiB\n", max);
        return 0;
}
