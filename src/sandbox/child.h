/* SPDX-License-Identifier: MIT */
/* What runs between clone3 and execve: raw system calls only (no errno, no libc state, no heap),
 * since the child shares the host's memory (CLONE_VM) and its thread pointer. */
#pragma once

#include <linux/sched.h>
#include <stddef.h>
#include <sys/syscall.h>

#include "sandbox/sandbox.h"

/* Code that runs in the child: never instrumented, since the sanitizers keep per-thread state
 * (ThreadSanitizer would record the child's accesses as the spawning thread's and report races
 * with the host freeing the plan after the child has exec'd). */
#define CHILD_CODE __attribute__((no_sanitize("address", "undefined", "thread"), no_stack_protector, noinline))

#if defined(__x86_64__)
static inline __attribute__((always_inline)) long
raw_syscall6(long n, long a, long b, long c, long d, long e, long f)
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

/* clone3 with a new stack: the child runs fn(arg) there and exits with its return value. Returns
 * the child's pid to the parent, or -errno. */
long child_clone3(struct clone_args *args, int (*fn)(void *), void *arg);

/* The job's init (pid 1 of the new pid namespace); arg is the sandbox_plan. */
int child_init(void *arg);

/* The command of a plain spawn (no sandbox): stdio, working directory, rlimits, execve
 * (child-plain.c); arg is the sandbox_plan, which gets the failing step and errno. */
int child_plain(void *arg);
/* execve the plan's command over its candidate paths; returns -errno (child.c). */
long child_exec(struct sandbox_plan *pl);

/* Build the job's root filesystem from pl->steps and pivot into it. Returns 0 or -errno with
 * *step and *index saying where it failed. */
long child_mount_setup(struct sandbox_plan *pl, int *step, int *index);
