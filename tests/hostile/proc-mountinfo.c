/* SPDX-License-Identifier: MIT */
/* Attack: learn the host's layout from /proc/self/mountinfo. `proc-mountinfo PATH...` fails
 * the sandbox when any PATH (host paths the policy does not show: /home, /root, a hidden
 * folder) appears in a mount point or a mount's root. */
#include <stdio.h>

#include "attack.h"

int main(int argc, char **argv)
{
        FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[4096];
        int n = 0;

        if (!f) {
                blocked("/proc/self/mountinfo: %s", attack_errname(errno));
                return 0;
        }
        while (fgets(line, sizeof(line), f)) {
                char root[2048], point[2048];
                n++;
                const char *sep = strstr(line, " - ");
                if (sscanf(line, "%*s %*s %*s %2047s %2047s", root, point) != 2)
                        continue;
                /* A bind of a part of the job's own /proc (its /proc/sys, read-only) has a root
                 * such as /sys inside procfs: not a host path. */
                if (sep && !strncmp(sep, " - proc ", 8) && !strncmp(point, "/proc", 5))
                        continue;
                for (int i = 1; i < argc; i++) {
                        size_t l = strlen(argv[i]);
                        if (!strncmp(root, argv[i], l) || !strncmp(point, argv[i], l)) {
                                escaped("mountinfo shows %s: %s", argv[i], line);
                                fclose(f);
                                return 0;
                        }
                }
        }
        fclose(f);
        blocked("none of the %d host paths is in mountinfo (%d mounts)", argc - 1, n);
        return 0;
}
