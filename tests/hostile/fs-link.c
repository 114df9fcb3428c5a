/* SPDX-License-Identifier: MIT */
/* Attack: a hard link in a writable folder to a file outside it (`fs-link HOSTFILE RWDIR`),
 * then a write through the link. Hard links cannot cross mounts, and the file is read-only. */
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
                fprintf(stderr, "usage: fs-link HOSTFILE RWDIR\n");
                return 2;
        }
        snprintf(ln, sizeof(ln), "%s/hardlink", argv[2]);
        if (link(argv[1], ln) < 0) {
                blocked("link %s -> %s: %s", ln, argv[1], attack_errname(errno));
                return 0;
        }
        fd = open(ln, O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd >= 0 && write(fd, "pwned\n", 6) == 6)
                escaped("linked %s to %s and wrote through it", ln, argv[1]);
        else
                blocked("linked, but writing through the link: %s", attack_errname(errno));
        return 0;
}
