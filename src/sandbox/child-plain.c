/* SPDX-License-Identifier: MIT */
/* The child of a plain spawn (policy `none`): no sandbox at all. It runs on a stack of its own in
 * the host's memory (CLONE_VM | CLONE_VFORK) until execve, as posix_spawn does. Raw calls only. */
#include "config.h"

#include <errno.h>
#include <signal.h>

#include "sandbox/child.h"

CHILD_CODE int child_plain(void *arg)
{
        static const unsigned long none = 0;
        struct sandbox_plan *pl = arg;
        int step;
        long r;

        /* Every signal that has a handler in the host back to its default: until execve the
         * child runs in the host's memory, where a host handler must not run. Then unblock all
         * (the host blocked them around the clone). */
        child_default_signals(true);
        (void)RSYS(SYS_rt_sigprocmask, SIG_SETMASK, &none, 0, 8);
        CHILD_STEP(STEP_STDIO, child_stdio(pl));
        if (pl->cwd) /* only when the policy names one: else we stay where the host is */
                CHILD_STEP(STEP_CHDIR, RSYS(SYS_chdir, pl->cwd));
        CHILD_STEP(STEP_RLIMIT, child_rlimits(pl));
        CHILD_STEP(STEP_EXEC, child_exec(pl));
fail:
        return child_command_failed(pl, step, r);
}
