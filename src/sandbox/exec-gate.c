/* SPDX-License-Identifier: MIT */
/* The sandbox's own way through its seccomp filter: a few BPF instructions put in front of the
 * policy's program, per job, that allow the calls the command's setup makes after the filter is
 * loaded and before the host holds the listener fd (so they cannot be answered): its execve,
 * recognised by the plan's argv and envp pointers (host heap addresses the job never sees), and
 * exit (a thread ending itself harms nobody). Any other execve goes on to the policy. */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "base/base.h"
#include "sandbox/sandbox.h"

#if defined(__x86_64__)
#define GATE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define GATE_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef GATE_ARCH
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (ARG_LO(i) + 4) /* little-endian, as both arches above */
enum { GATE_LEN = 15 };

/* Jump past the rest of the gate to the policy's program (at index GATE_LEN). */
/* clang-format off */
#define TO_POLICY(at) ((uint8_t)(GATE_LEN - (at) - 1))
/* clang-format on */

static void gate_fill(struct sock_filter *g, uint64_t argv, uint64_t envp)
{
        /* clang-format off */
        struct sock_filter prefix[GATE_LEN] = {
                /* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
                /* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, GATE_ARCH, 0, TO_POLICY(1)),
                /* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                /* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit, 10, 0),
                /* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execve, 0, TO_POLICY(4)),
                /* 5 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(1)),
                /* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)argv, 0, TO_POLICY(6)),
                /* 7 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(1)),
                /* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(argv >> 32), 0,
                                 TO_POLICY(8)),
                /* 9 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
                /* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)envp, 0, TO_POLICY(10)),
                /* 11 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(2)),
                /* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(envp >> 32), 0,
                                  TO_POLICY(12)),
                /* 13 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                /* 14 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), /* exit */
        };
        /* clang-format on */
        memcpy(g, prefix, sizeof(prefix));
}
#endif

int sandbox_exec_gate(const struct sock_fprog *in, const void *argv, const void *envp,
                      struct sock_fprog *out)
{
        out->len = 0;
        out->filter = NULL;
        if (!in->filter || !in->len)
                return 0;
#ifdef GATE_ARCH
        if ((size_t)in->len + GATE_LEN > BPF_MAXINSNS)
                return -E2BIG;
        out->filter = xmalloc(((size_t)in->len + GATE_LEN) * sizeof(struct sock_filter));
        gate_fill(out->filter, (uint64_t)(uintptr_t)argv, (uint64_t)(uintptr_t)envp);
        memcpy(out->filter + GATE_LEN, in->filter, in->len * sizeof(struct sock_filter));
        out->len = (unsigned short)(in->len + GATE_LEN);
#else
        out->filter = xmalloc(in->len * sizeof(struct sock_filter));
        memcpy(out->filter, in->filter, in->len * sizeof(struct sock_filter));
        out->len = in->len;
#endif
        return 0;
}
