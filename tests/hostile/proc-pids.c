/* SPDX-License-Identifier: MIT */
/* Attack: look at the host's other processes. `proc-pids REKRAM` scans every other
 * /proc/PID/cmdline it can see for MARKER (given reversed, so that no command line in the
 * sandbox holds it; the driver runs a host process whose command line does) and says how many
 * processes it saw. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        DIR *d = opendir("/proc");
        struct dirent *e;
        int seen = 0;
        char self[32];

        if (argc != 2) {
                fprintf(stderr, "usage: proc-pids MARKER\n");
                return 2;
        }
        for (size_t i = 0, n = strlen(argv[1]); i < n / 2; i++) {
                char c = argv[1][i];
                argv[1][i] = argv[1][n - 1 - i];
                argv[1][n - 1 - i] = c;
        }
        snprintf(self, sizeof(self), "%d", (int)getpid());
        if (!d) {
                blocked("/proc: %s", attack_errname(errno));
                return 0;
        }
        while ((e = readdir(d))) {
                char p[300], buf[4096];
                if (!isdigit((unsigned char)e->d_name[0]) || !strcmp(e->d_name, self))
                        continue;
                seen++;
                snprintf(p, sizeof(p), "/proc/%s/cmdline", e->d_name);
                int fd = open(p, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        continue;
                ssize_t n = read(fd, buf, sizeof(buf) - 1);
                close(fd);
                for (ssize_t i = 0; i < n; i++)
                        if (!buf[i])
                                buf[i] = ' ';
                buf[n > 0 ? n : 0] = 0;
                if (strstr(buf, argv[1])) {
                        escaped("host process %s visible: %s", e->d_name, buf);
                        closedir(d);
                        return 0;
                }
        }
        closedir(d);
        blocked("the host's process is not visible (%d processes seen)", seen);
        return 0;
}
