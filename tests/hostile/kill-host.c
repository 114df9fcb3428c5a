/* SPDX-License-Identifier: MIT */
/* Attack: signal processes outside the sandbox. `kill-host all` sends SIGWINCH to every
 * process it may signal (kill -1); `kill-host PID` sends it to the host's PID and tries a pidfd
 * on it. SIGWINCH is harmless where it lands by mistake; the driver's victim counts it. */
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        if (argc != 2) {
                fprintf(stderr, "usage: kill-host all|PID\n");
                return 2;
        }
        if (!strcmp(argv[1], "all")) {
                /* The sandbox's own processes may get it; the host judges the rest. */
                int r = kill(-1, SIGWINCH);
                blocked("kill(-1, SIGWINCH): %s (the host's victim says whether it arrived)",
                        r < 0 ? attack_errname(errno) : "sent inside");
                return 0;
        }
        pid_t pid = (pid_t)atoi(argv[1]);
        if (kill(pid, SIGWINCH) == 0)
                escaped("signalled host pid %d", pid);
        else
                blocked("kill(%d): %s", pid, attack_errname(errno));
        long fd = syscall(SYS_pidfd_open, pid, 0);
        if (fd >= 0)
                escaped("pidfd_open(%d) succeeded", pid);
        else
                blocked("pidfd_open(%d): %s", pid, attack_errname(errno));
        return 0;
}
