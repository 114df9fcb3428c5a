/* SPDX-License-Identifier: MIT */
/* Attack: leave the job's session and process group. `setsid-escape MARKER`: a child calls
 * setsid() (a new session, so a kill of the job's process group misses it), ignores SIGHUP and
 * SIGTERM and runs `sleep MARKER`; the main process reports the child's new session and exits. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        int pfd[2];

        if (argc != 2 || pipe(pfd) < 0)
                return 2;
        if (fork() == 0) {
                pid_t s = setsid();
                signal(SIGHUP, SIG_IGN);
                signal(SIGTERM, SIG_IGN);
                dprintf(pfd[1], "%d\n", (int)s);
                close(pfd[1]);
                execlp("sleep", "sleep", argv[1], (char *)NULL);
                _exit(127);
        }
        close(pfd[1]);
        char buf[32] = "";
        ssize_t n = read(pfd[0], buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = 0;
        printf("new session %s", n > 0 ? buf : "failed\n");
        return 0;
}
