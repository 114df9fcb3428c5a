/* SPDX-License-Identifier: MIT */
/* Attack: read the host's environment. `proc-environ TERCES` looks for SECRET (the value of a
 * variable the driver set on the host and did not pass in; given reversed, so that no command
 * line holds it) in its own environment and in /proc/PID/environ and /proc/PID/cmdline of every
 * other process it can see, the sandbox's init (pid 1) included: it shares the host's memory. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

extern char **environ;

static int file_has(const char *path, const char *secret)
{
        static char buf[1 << 16];
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n;

        if (fd < 0)
                return 0;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        for (ssize_t i = 0; i < n; i++)
                if (!buf[i])
                        buf[i] = '\n';
        buf[n > 0 ? n : 0] = 0;
        return strstr(buf, secret) != NULL;
}

int main(int argc, char **argv)
{
        DIR *d;
        struct dirent *e;
        int readable = 0;
        char self[32];

        if (argc != 2) {
                fprintf(stderr, "usage: proc-environ SECRET\n");
                return 2;
        }
        for (size_t i = 0, n = strlen(argv[1]); i < n / 2; i++) {
                char c = argv[1][i];
                argv[1][i] = argv[1][n - 1 - i];
                argv[1][n - 1 - i] = c;
        }
        snprintf(self, sizeof(self), "%d", (int)getpid());
        for (char **v = environ; *v; v++)
                if (strstr(*v, argv[1])) {
                        escaped("the secret is in the job's own environment");
                        return 0;
                }
        d = opendir("/proc");
        while (d && (e = readdir(d))) {
                char p[300];
                if (!isdigit((unsigned char)e->d_name[0]) || !strcmp(e->d_name, self))
                        continue;
                snprintf(p, sizeof(p), "/proc/%s/environ", e->d_name);
                if (access(p, R_OK) == 0)
                        readable++;
                if (file_has(p, argv[1])) {
                        escaped("the secret is in %s", p);
                        return 0;
                }
                snprintf(p, sizeof(p), "/proc/%s/cmdline", e->d_name);
                if (file_has(p, argv[1])) {
                        escaped("the secret is in %s", p);
                        return 0;
                }
        }
        if (d)
                closedir(d);
        blocked("the secret is nowhere (%d environ files readable)", readable);
        return 0;
}
