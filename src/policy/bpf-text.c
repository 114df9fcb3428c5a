/* SPDX-License-Identifier: MIT */
/* `ringfence policy bpf`: a compiled seccomp program as numbered instructions, each with what it
 * loads, the system call it compares with, or the action it returns. */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/policy.h"
#include "policy/text-internal.h"

/* What the seccomp_data word at offset k is. */
static void put_field(FILE *f, uint32_t k)
{
        bool le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

        if (k == 0)
                fputs("syscall number", f);
        else if (k == 4)
                fputs("architecture", f);
        else if (k == 8 || k == 12)
                fprintf(f, "instruction pointer, %s half", (k == 8) == le ? "low" : "high");
        else if (k >= 16 && k < 64)
                fprintf(f, "arg%u, %s half", (k - 16) / 8, (k % 8 == 0) == le ? "low" : "high");
}

static void put_action(FILE *f, uint32_t k)
{
        uint32_t data = k & SECCOMP_RET_DATA;

        switch (k & SECCOMP_RET_ACTION_FULL) {
        case SECCOMP_RET_KILL_PROCESS:
                fputs("kill the process", f);
                break;
        case SECCOMP_RET_KILL_THREAD:
                fputs("kill the thread", f);
                break;
        case SECCOMP_RET_TRAP:
                fputs("SIGSYS", f);
                break;
        case SECCOMP_RET_ERRNO:
                fputs("fail with ", f);
                policy_text_errno(f, (int)data);
                break;
        case SECCOMP_RET_USER_NOTIF:
                fputs("ask the host (report or kill)", f);
                break;
        case SECCOMP_RET_TRACE:
                fprintf(f, "trace %u", data);
                break;
        case SECCOMP_RET_LOG:
                fputs("log and allow", f);
                break;
        case SECCOMP_RET_ALLOW:
                fputs("allow", f);
                break;
        default:
                fprintf(f, "action 0x%08x", k);
        }
}

/* One instruction: "  12: jeq #0x3b, 13, 20   ; execve". loaded: the seccomp_data offset that
 * A holds on every path to it (or -1); updated to what A holds after it. */
static void put_insn(FILE *f, const struct sock_filter *in, unsigned i, int64_t *loaded)
{
        static const char *const alu[] = { "add", "sub", "mul", "div", "or", "and",
                                           "lsh", "rsh", "neg", "mod", "xor" };
        static const char *const jmp[] = { "ja", "jeq", "jgt", "jge", "jset" };
        unsigned cls = BPF_CLASS(in->code), op = BPF_OP(in->code) >> 4;
        char text[64];
        const char *name;

        text[0] = '\0';
        switch (cls) {
        case BPF_LD:
        case BPF_LDX:
                if (BPF_MODE(in->code) == BPF_ABS)
                        snprintf(text, sizeof(text), "ld [%u]", in->k);
                else if (BPF_MODE(in->code) == BPF_MEM)
                        snprintf(text, sizeof(text), "%s M[%u]", cls == BPF_LD ? "ld" : "ldx",
                                 in->k);
                else
                        snprintf(text, sizeof(text), "%s #0x%x", cls == BPF_LD ? "ld" : "ldx",
                                 in->k);
                if (cls == BPF_LD)
                        *loaded = BPF_MODE(in->code) == BPF_ABS ? (int64_t)in->k : -1;
                break;
        case BPF_ST:
        case BPF_STX:
                snprintf(text, sizeof(text), "%s M[%u]", cls == BPF_ST ? "st" : "stx", in->k);
                break;
        case BPF_ALU:
                if (BPF_SRC(in->code) == BPF_X)
                        snprintf(text, sizeof(text), "%s x", op < ARRAY_SIZE(alu) ? alu[op] : "?");
                else
                        snprintf(text, sizeof(text), "%s #0x%x",
                                 op < ARRAY_SIZE(alu) ? alu[op] : "?", in->k);
                *loaded = -1;
                break;
        case BPF_JMP:
                if (op == 0)
                        snprintf(text, sizeof(text), "ja %u", i + 1 + in->k);
                else
                        snprintf(text, sizeof(text), "%s #0x%x, %u, %u",
                                 op < ARRAY_SIZE(jmp) ? jmp[op] : "j?", in->k, i + 1 + in->jt,
                                 i + 1 + in->jf);
                break;
        case BPF_RET:
                snprintf(text, sizeof(text), "ret #0x%08x", in->k);
                break;
        default:
                snprintf(text, sizeof(text), "%s", BPF_MISCOP(in->code) == BPF_TAX ? "tax" : "txa");
                *loaded = -1;
        }
        fprintf(f, "%5u: %-28s", i, text);
        if (cls == BPF_LD && BPF_MODE(in->code) == BPF_ABS) {
                fputs("; A = ", f);
                put_field(f, in->k);
        } else if (cls == BPF_RET) {
                fputs("; ", f);
                put_action(f, in->k);
        } else if (cls == BPF_JMP && op && *loaded == 0 &&
                   (name = policy_syscall_name((int)in->k)) != NULL) {
                fprintf(f, "; %s", name);
        } else if (cls == BPF_JMP && op && *loaded == 4 && in->k == seccomp_arch_native()) {
                fputs("; this architecture", f);
        }
        fputs("\n", f);
}

#define UNSEEN INT64_MIN

/* A reaches instruction t holding loaded: the same as on other paths, or unknown (-1). */
static void flow(int64_t *at, unsigned len, unsigned t, int64_t loaded)
{
        if (t >= len)
                return;
        at[t] = at[t] == UNSEEN || at[t] == loaded ? loaded : -1;
}

void policy_bpf_text(FILE *f, const char *spec, const struct sock_fprog *prog, bool kill)
{
        _cleanup_free_ int64_t *at = NULL;
        int64_t loaded;

        fprintf(f,
                "# The %s program of %s: %u instructions. Jumps name the instruction\n"
                "# taken when the test holds, then the one taken when it does not.\n",
                kill ? "kill" : "notify", spec, prog->len);
        /* What A holds where: jumps go forward only, so one pass in order sees every path. */
        at = xmalloc(((size_t)prog->len + 1) * sizeof(*at));
        for (unsigned i = 0; i <= prog->len; i++)
                at[i] = UNSEEN;
        at[0] = -1;
        for (unsigned i = 0; i < prog->len; i++) {
                const struct sock_filter *in = &prog->filter[i];
                unsigned cls = BPF_CLASS(in->code);

                loaded = at[i] == UNSEEN ? -1 : at[i];
                put_insn(f, in, i, &loaded);
                if (cls == BPF_RET)
                        continue;
                if (cls != BPF_JMP)
                        flow(at, prog->len, i + 1, loaded);
                else if (BPF_OP(in->code) == BPF_JA)
                        flow(at, prog->len, i + 1 + in->k, loaded);
                else {
                        flow(at, prog->len, i + 1 + in->jt, loaded);
                        flow(at, prog->len, i + 1 + in->jf, loaded);
                }
        }
}
