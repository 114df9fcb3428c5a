/* SPDX-License-Identifier: MIT */
/* The child of a plain spawn (policy `none`): no sandbox at all. It runs on a stack of its own in
 * the host's memory (CLONE_VM | CLONE_VFORK) until execve, as posix_spawn does. Raw calls only. */
#include "config.h"

#include <errno.h>
#include <signal.h>

#include "sandbox/child.h"

/* Set every signal that has a handler in the host back to its default: until execve the child
 * runs in the host's memory, where a host handler must not run (ignored signals stay ignored, as
 * across fork and exec). Then unblock all (the host blocked them around the clone). */
static CHILD_CODE void plain_signals(void)
{
        static const unsigned long none = 0;

        for (int sig = 1; sig < 65; sig++) {
                struct { void *handler; unsigned long flags; void *restorer; unsigned long mask; }
                        old, dfl = { SIG_DFL, 0, 0, 0 };
                if (sig == SIGKILL || sig == SIGSTOP)
                        continue;
                /* On success the kernel filled old (behind RSYS's asm, unseen by the analyzer). */
                /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
                if (RSYS(SYS_rt_sigaction, sig, 0, &old, 8) == 0 && old.handler != SIG_DFL &&
                    old.handler != SIG_IGN)
                        (void)RSYS(SYS_rt_sigaction, sig, &dfl, 0, 8);
        }
        (void)RSYS(SYS_rt_sigprocmask, SIG_SETMASK, &none, 0, 8);
}

CHILD_CODE int child_plain(void *arg)
{
        struct sandbox_plan *pl = arg;
        int step;
        long r;

        plain_signals();
        step = STEP_STDIO;
        for (int i = 0; i < 3; i++)
                if (pl->stdio[i] >= 0 && pl->stdio[i] != i &&
                    (r = RSYS(SYS_dup3, pl->stdio[i], i, 0)) < 0)
                        goto fail;
        step = STEP_CHDIR;
        if (pl->cwd && (r = RSYS(SYS_chdir, pl->cwd)) < 0)
                goto fail;
        step = STEP_RLIMIT;
        for (size_t i = 0; i < pl->n_rlimits; i++)
                if ((r = RSYS(SYS_prlimit64, 0, pl->rlimits[i].resource, &pl->rlimits[i].lim,
                              0)) < 0)
                        goto fail;
        step = STEP_EXEC;
        r = child_exec(pl);
fail:
        pl->exec_step = step;
        pl->exec_err = (int)-r;
        return 127;
}
