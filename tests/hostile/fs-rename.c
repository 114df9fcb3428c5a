/* SPDX-License-Identifier: MIT */
/* Attack: move files across the sandbox's walls. `fs-rename RWDIR OUTSIDE-DIR HOSTFILE` makes
 * RWDIR/moved and tries to rename it into OUTSIDE-DIR, then tries to rename HOSTFILE (a file
 * outside the writable paths) into RWDIR. Each must fail. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

static void try_rename(const char *from, const char *to)
{
        if (rename(from, to) == 0)
                escaped("renamed %s to %s", from, to);
        else
                blocked("rename %s -> %s: %s", from, to, attack_errname(errno));
}

int main(int argc, char **argv)
{
        char src[PATH_MAX], dst[PATH_MAX];
        int fd;

        if (argc != 4) {
                fprintf(stderr, "usage: fs-rename RWDIR OUTSIDE-DIR HOSTFILE\n");
                return 2;
        }
        snprintf(src, sizeof(src), "%s/moved", argv[1]);
        fd = open(src, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
                blocked("cannot even create %s: %s", src, attack_errname(errno));
        } else {
                close(fd);
                snprintf(dst, sizeof(dst), "%s/moved", argv[2]);
                try_rename(src, dst);
        }
        snprintf(dst, sizeof(dst), "%s/stolen", argv[1]);
        try_rename(argv[3], dst);
        return 0;
}
