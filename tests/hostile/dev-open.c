/* SPDX-License-Identifier: MIT */
/* Attack: open the host's devices by their usual names: memory, kernel log, I/O ports, disks,
 * the console. Each must be absent or refused. */
#include <fcntl.h>
#include <unistd.h>

#include "attack.h"

static const char *const devs[] = { "/dev/mem",  "/dev/kmem",     "/dev/port",    "/dev/kmsg",
                                    "/dev/sda",  "/dev/vda",      "/dev/nvme0n1", "/dev/console",
                                    "/dev/tty0", "/dev/cpu/0/msr" };

int main(void)
{
        for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
                int fd = open(devs[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
                if (fd < 0) {
                        blocked("%s: %s", devs[i], attack_errname(errno));
                        continue;
                }
                escaped("opened %s", devs[i]);
                close(fd);
        }
        return 0;
}
