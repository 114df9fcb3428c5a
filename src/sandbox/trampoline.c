/* SPDX-License-Identifier: MIT */
/* clone3 onto a stack of our own: the child starts on the new stack, calls fn(arg) and exits,
 * never returning into the caller's frames (which the parent is still using, CLONE_VM). */
#include "config.h"

#include <linux/sched.h>

#include "sandbox/child.h"

CHILD_CODE long child_clone3(struct clone_args *args, int (*fn)(void *), void *arg)
{
        long ret;
        register void *r12 __asm__("r12") = (void *)fn;
        register void *r13 __asm__("r13") = arg;

        /* The kernel sets the child's stack pointer to stack + stack_size; rcx and r11 are
         * clobbered by syscall, r12 and r13 survive into the child. */
        __asm__ volatile("syscall\n\t"
                         "test %%rax, %%rax\n\t"
                         "jnz 1f\n\t"
                         "xor %%ebp, %%ebp\n\t"
                         "mov %%r13, %%rdi\n\t"
                         "call *%%r12\n\t"
                         "mov %%eax, %%edi\n\t"
                         "mov %[exit], %%eax\n\t"
                         "syscall\n\t"
                         "hlt\n"
                         "1:\n\t"
                         : "=a"(ret)
                         : "a"((long)SYS_clone3), "D"(args), "S"(sizeof(*args)), "r"(r12),
                           "r"(r13), [exit] "i"(SYS_exit)
                         : "rcx", "r11", "memory");
        return ret;
}
