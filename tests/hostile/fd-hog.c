/* SPDX-License-Identifier: MIT */
/* Attack: exhaust file descriptors. Raises its open-files limit as far as it may, then opens
 * /dev/null until that fails (at most 1,000,000), and prints "blocked: ERRNO after N fds". */
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "attack.h"

int main(void)
{
        struct rlimit rl;
        long n = 0;

        if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
                rl.rlim_cur = rl.rlim_max;
                (void)setrlimit(RLIMIT_NOFILE, &rl);
        }
        for (; n < 1000000; n++)
                if (open("/dev/null", O_RDONLY) < 0) {
                        blocked("%s after %ld fds", attack_errname(errno), n);
                        return 0;
                }
        blocked("stopped by itself at %ld fds", n);
        return 0;
}
