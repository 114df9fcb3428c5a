/* SPDX-License-Identifier: MIT */
/* Attack: change the host's kernel settings through /proc/sys, /proc/sysrq-trigger and /sys.
 * Each write must fail. */
#include <fcntl.h>
#include <unistd.h>

#include "attack.h"

static const char *const targets[][2] = {
        { "/proc/sys/kernel/hostname", "pwned" },
        { "/proc/sys/vm/drop_caches", "3" },
        { "/proc/sysrq-trigger", "h" },
        { "/sys/kernel/mm/transparent_hugepage/enabled", "never" },
        { "/sys/fs/cgroup/cgroup.subtree_control", "+pids" },
        { "/proc/self/oom_score_adj", "-1000" },
};

int main(void)
{
        for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
                const char *p = targets[i][0], *v = targets[i][1];
                int fd = open(p, O_WRONLY | O_CLOEXEC);
                if (fd < 0) {
                        blocked("%s: %s", p, attack_errname(errno));
                        continue;
                }
                if (write(fd, v, strlen(v)) == (ssize_t)strlen(v))
                        escaped("wrote '%s' to %s", v, p);
                else
                        blocked("%s: write: %s", p, attack_errname(errno));
                close(fd);
        }
        return 0;
}
