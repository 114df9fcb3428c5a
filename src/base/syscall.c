/* SPDX-License-Identifier: MIT */
/* Thin wrappers for system calls glibc 2.36 lacks; each returns >= 0 or a negative errno. */
#include "config.h"

#include <errno.h>

#include "base/syscall.h"

int sys_pidfd_open(pid_t pid, unsigned flags)
{
        long r = syscall(SYS_pidfd_open, pid, flags);
        return r < 0 ? -errno : (int)r;
}

int sys_pidfd_send_signal(int pidfd, int sig)
{
        long r = syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
        return r < 0 ? -errno : 0;
}

int sys_pidfd_wait(int pidfd, siginfo_t *info, int options, struct rusage *ru)
{
        long r;
        do
                r = syscall(SYS_waitid, P_PIDFD, pidfd, info, options, ru);
        while (r < 0 && errno == EINTR);
        return r < 0 ? -errno : 0;
}
