/* SPDX-License-Identifier: MIT */
/* Attack: look at the host's other processes. `proc-pids REKRAM` scans every other
 * /proc/PID/cmdline it can see for MARKER (given reversed, so that no command line in the
 * sandbox holds it; the driver runs a host process whose command line does) and says how many
 * processes it saw. */
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        DIR *d = opendir("/proc");
        const char *pid;
        int seen = 0;
        char self[32];

        if (argc != 2) {
                fprintf(stderr, "usage: proc-pids MARKER\n");
                return 2;
        }
        attack_unreverse(argv[1]);
        snprintf(self, sizeof(self), "%d", (int)getpid());
        if (!d) {
                blocked("/proc: %s", attack_errname(errno));
                return 0;
        }
        while ((pid = attack_next_pid(d, self))) {
                char p[300], buf[4096];
                seen++;
                snprintf(p, sizeof(p), "/proc/%s/cmdline", pid);
                if (attack_read_proc(p, buf, sizeof(buf), ' ') < 0)
                        continue;
                if (strstr(buf, argv[1])) {
                        escaped("host process %s visible: %s", pid, buf);
                        closedir(d);
                        return 0;
                }
        }
        closedir(d);
        blocked("the host's process is not visible (%d processes seen)", seen);
        return 0;
}
