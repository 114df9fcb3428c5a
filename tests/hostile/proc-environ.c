/* SPDX-License-Identifier: MIT */
/* Attack: read the host's environment. `proc-environ TERCES` looks for SECRET (the value of a
 * variable the driver set on the host and did not pass in; given reversed, so that no command
 * line holds it) in its own environment and in /proc/PID/environ and /proc/PID/cmdline of every
 * other process it can see, the sandbox's init (pid 1) included: it shares the host's memory. */
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

extern char **environ;

static int file_has(const char *path, const char *secret)
{
        static char buf[1 << 16];

        return attack_read_proc(path, buf, sizeof(buf), '\n') >= 0 && strstr(buf, secret);
}

int main(int argc, char **argv)
{
        DIR *d;
        const char *pid;
        int readable = 0;
        char self[32];

        if (argc != 2) {
                fprintf(stderr, "usage: proc-environ SECRET\n");
                return 2;
        }
        attack_unreverse(argv[1]);
        snprintf(self, sizeof(self), "%d", (int)getpid());
        for (char **v = environ; *v; v++)
                if (strstr(*v, argv[1])) {
                        escaped("the secret is in the job's own environment");
                        return 0;
                }
        d = opendir("/proc");
        while (d && (pid = attack_next_pid(d, self))) {
                char p[300];
                snprintf(p, sizeof(p), "/proc/%s/environ", pid);
                if (access(p, R_OK) == 0)
                        readable++;
                if (file_has(p, argv[1])) {
                        escaped("the secret is in %s", p);
                        return 0;
                }
                snprintf(p, sizeof(p), "/proc/%s/cmdline", pid);
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
