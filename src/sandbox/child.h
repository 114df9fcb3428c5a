/* SPDX-License-Identifier: MIT */
/* What runs between clone3 and execve: raw system calls only (no errno, no libc state, no heap),
 * since the child shares the host's memory (CLONE_VM) and its thread pointer. */
#pragma once

#include <linux/sched.h>
#include <stddef.h>
#include <sys/syscall.h>

#include "sandbox/fault.h"
#include "sandbox/sandbox.h"

/* Code that runs in the child: never instrumented, since the sanitizers keep per-thread state
 * (ThreadSanitizer would record the child's accesses as the spawning thread's and report races
 * with the host freeing the plan after the child has exec'd). */
#define CHILD_CODE                                                                                 \
        __attribute__((no_sanitize("address", "undefined", "thread"), no_stack_protector, noinline))

#if defined(__x86_64__)
static inline __attribute__((always_inline)) long raw_syscall6(long n, long a, long b, long c,
                                                               long d, long e, long f)
{
        long ret;
        register long r10 __asm__("r10") = d;
        register long r8 __asm__("r8") = e;
        register long r9 __asm__("r9") = f;
        __asm__ volatile("syscall"
                         : "=a"(ret)
                         : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                         : "rcx", "r11", "memory");
        return ret;
}
#else
#error "ringfence's spawner supports x86_64 only for now"
#endif

/* A raw system call: returns the result or -errno; touches no errno. */
#define RSYS(n, ...) RSYS_(n, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define RSYS_(n, a, b, c, d, e, f, ...)                                                            \
        raw_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define RSYS0(n) raw_syscall6((n), 0, 0, 0, 0, 0, 0)

/* One step of a child's setup, in a function with `int step; long r;` and a `fail:` label: the
 * fault hook (fault.h), then expr (a long, negative: -errno); on failure goto fail with step and
 * r saying where and why. */
#define CHILD_STEP(s, expr)                                                                        \
        do {                                                                                       \
                step = (s);                                                                        \
                if ((r = CHILD_FAULT(step)) < 0 || (r = (expr)) < 0)                               \
                        goto fail;                                                                 \
        } while (0)

/* clone3 with a new stack: the child runs fn(arg) there and exits with its return value. Returns
 * the child's pid to the parent, or -errno. */
long child_clone3(struct clone_args *args, int (*fn)(void *), void *arg);

/* The job's init (pid 1 of the new pid namespace); arg is the sandbox_plan. */
int child_init(void *arg);

/* The command of a plain spawn (no sandbox): stdio, working directory, rlimits, execve
 * (child-plain.c); arg is the sandbox_plan, which gets the failing step and errno. */
int child_plain(void *arg);
/* The steps both children take (child.c): execve the plan's command over its candidate paths,
 * returning -errno; make the plan's fds 0, 1 and 2; set the plan's rlimits. */
long child_exec(struct sandbox_plan *pl);
long child_stdio(const struct sandbox_plan *pl);
long child_rlimits(const struct sandbox_plan *pl);
/* Set signal handlers back to SIG_DFL: every signal's, or with keep_ignored only those that have
 * a handler (ignored signals stay ignored, as across fork and exec). */
void child_default_signals(bool keep_ignored);
/* The command could not start at step (r: -errno): note it in the plan for the init or the
 * parent, and return the command's exit status. */
int child_command_failed(struct sandbox_plan *pl, int step, long r);

/* Build the job's root filesystem from pl->steps and pivot into it. Returns 0 or -errno with
 * *step and *index saying where it failed. */
long child_mount_setup(struct sandbox_plan *pl, int *step, int *index);
