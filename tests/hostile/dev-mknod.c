/* SPDX-License-Identifier: MIT */
/* Attack: make device nodes for the host's memory and kernel log (`dev-mknod DIR`: DIR/mem as
 * /dev/mem, c 1 1; DIR/kmsg as /dev/kmsg, c 1 11) and read from them. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "attack.h"

static void try_node(const char *dir, const char *name, unsigned minor)
{
        char p[PATH_MAX], buf[16];
        int fd;

        snprintf(p, sizeof(p), "%s/%s", dir, name);
        if (mknod(p, S_IFCHR | 0666, makedev(1, minor)) < 0) {
                blocked("mknod %s (c 1 %u): %s", p, minor, attack_errname(errno));
                return;
        }
        fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
                escaped("made %s and read from it", p);
        else
                blocked("made %s, but it does not open or read: %s", p, attack_errname(errno));
        if (fd >= 0)
                close(fd);
}

int main(int argc, char **argv)
{
        const char *dir = argc > 1 ? argv[1] : "/tmp";
        try_node(dir, "mem", 1);
        try_node(dir, "kmsg", 11);
        return 0;
}
