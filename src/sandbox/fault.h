/* SPDX-License-Identifier: MIT */
/* Test-only fault injection in the child's setup steps (configure --enable-fault-injection):
 * RINGFENCE_FAULT_STEP=NAME|NUMBER makes that step fail with RINGFENCE_FAULT_ERRNO (a number or
 * a name such as EPERM; EPERM by default), or, with RINGFENCE_FAULT_MODE=die, makes the process
 * die there without a word. A release build compiles every hook to nothing. */
#pragma once

#ifdef RF_FAULT_INJECTION
/* What the child is to do at a step; read by the child through CLONE_VM, set by the parent. */
struct sandbox_fault {
        int step; /* enum child_step; STEP_NONE: no fault */
        int err;  /* positive errno */
        int die;  /* 1: exit_group(125) without a message instead of failing */
};
extern struct sandbox_fault sandbox_fault;

/* Read RINGFENCE_FAULT_* from the environment; called before each spawn. */
void sandbox_fault_arm(void);

/* In the child, at step s: -errno when the fault is to hit here, else 0 (or the process ends). */
#define CHILD_FAULT(s)                                                                             \
        (sandbox_fault.step != (s) ? 0L                                                            \
         : sandbox_fault.die       ? RSYS(SYS_exit_group, 125)                                     \
                                   : -(long)sandbox_fault.err)
#define SANDBOX_FAULT_ARM() sandbox_fault_arm()
#else
#define CHILD_FAULT(s) 0L
#define SANDBOX_FAULT_ARM() ((void)0)
#endif
