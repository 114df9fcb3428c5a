/* SPDX-License-Identifier: MIT */
/* Attack: outlive the job. `daemon MARKER` double-forks a daemon (setsid in between, stdio to
 * /dev/null, SIGHUP and SIGTERM ignored) that execs `sleep MARKER`, prints its pid, and exits
 * at once. The driver checks that no `sleep MARKER` is left once ringfence returned. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        int pfd[2];
        pid_t p;

        if (argc != 2 || pipe(pfd) < 0)
                return 2;
        p = fork();
        if (p == 0) {
                setsid();
                if (fork() != 0)
                        _exit(0);
                int null = open("/dev/null", O_RDWR);
                signal(SIGHUP, SIG_IGN);
                signal(SIGTERM, SIG_IGN);
                dprintf(pfd[1], "%d\n", getpid());
                dup2(null, 0);
                dup2(null, 1);
                dup2(null, 2);
                close(pfd[1]);
                execlp("sleep", "sleep", argv[1], (char *)NULL);
                _exit(127);
        }
        close(pfd[1]);
        if (p > 0)
                waitpid(p, NULL, 0);
        char buf[32] = "";
        ssize_t n = read(pfd[0], buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = 0;
        printf("daemon %s", n > 0 ? buf : "not started\n");
        return 0;
}
