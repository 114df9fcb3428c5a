/* SPDX-License-Identifier: MIT */
/* The compiled programs run in a small classic-BPF interpreter: every native system call and the
 * interesting arguments must get what policy_match predicts, and foreign ABIs (i386, x32) must be
 * killed. Needs no seccomp() of its own, so it also runs under valgrind. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "policy/policy.h"
#include "helpers.h"

static struct rf_policy p;
static struct policy_bpf bpf;

static void setup(void)
{
        rf_error err = { 0 };
        ck_assert_msg(policy_init_default(&p, &err) == 0, "default policy: %s", err.msg);
        ck_assert_msg(policy_compile(&p, &bpf, &err) == 0, "compile: %s", err.msg);
}

static void teardown(void)
{
        policy_bpf_done(&bpf);
        policy_done(&p);
}

/* Run prog on d as the kernel would (the instructions seccomp accepts); returns the action. */
static uint32_t bpf_run(const struct sock_fprog *prog, const struct seccomp_data *d)
{
        uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

        for (unsigned pc = 0; pc < prog->len; pc++) {
                const struct sock_filter *f = &prog->filter[pc];
                uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;
                bool jump;

                switch (f->code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        ck_assert_uint_le(f->k, sizeof(*d) - 4);
                        memcpy(&a, (const char *)d + f->k, 4);
                        continue;
                case BPF_LD | BPF_IMM:
                        a = f->k;
                        continue;
                case BPF_LDX | BPF_IMM:
                        x = f->k;
                        continue;
                case BPF_LD | BPF_MEM:
                        a = mem[f->k % BPF_MEMWORDS];
                        continue;
                case BPF_LDX | BPF_MEM:
                        x = mem[f->k % BPF_MEMWORDS];
                        continue;
                case BPF_ST:
                        mem[f->k % BPF_MEMWORDS] = a;
                        continue;
                case BPF_STX:
                        mem[f->k % BPF_MEMWORDS] = x;
                        continue;
                case BPF_MISC | BPF_TAX:
                        x = a;
                        continue;
                case BPF_MISC | BPF_TXA:
                        a = x;
                        continue;
                case BPF_RET | BPF_K:
                        return f->k;
                case BPF_RET | BPF_A:
                        return a;
                case BPF_JMP | BPF_JA:
                        pc += f->k;
                        continue;
                default:
                        break;
                }
                if (BPF_CLASS(f->code) == BPF_ALU) {
                        switch (BPF_OP(f->code)) {
                        case BPF_AND:
                                a &= src;
                                continue;
                        case BPF_OR:
                                a |= src;
                                continue;
                        case BPF_ADD:
                                a += src;
                                continue;
                        case BPF_SUB:
                                a -= src;
                                continue;
                        case BPF_RSH:
                                a >>= src & 31;
                                continue;
                        case BPF_LSH:
                                a <<= src & 31;
                                continue;
                        default:
                                break;
                        }
                }
                ck_assert_msg(BPF_CLASS(f->code) == BPF_JMP, "instruction %u: code 0x%x", pc,
                              f->code);
                switch (BPF_OP(f->code)) {
                case BPF_JEQ:
                        jump = a == src;
                        break;
                case BPF_JGT:
                        jump = a > src;
                        break;
                case BPF_JGE:
                        jump = a >= src;
                        break;
                case BPF_JSET:
                        jump = (a & src) != 0;
                        break;
                default:
                        ck_abort_msg("instruction %u: code 0x%x", pc, f->code);
                }
                pc += jump ? f->jt : f->jf;
        }
        ck_abort_msg("the program ran off its end");
        return 0;
}

/* What the program should return for a call decided by rule r (NULL: the default). */
static uint32_t expected(const struct policy_syscall_rule *r, bool notify)
{
        enum policy_action a = r ? r->action : p.seccomp.default_action;
        int e = r ? r->errno_val : p.seccomp.default_errno;

        switch (a) {
        case POLICY_ACT_ALLOW:
                return SECCOMP_RET_ALLOW;
        case POLICY_ACT_ERRNO:
                return SECCOMP_RET_ERRNO | (uint32_t)e;
        case POLICY_ACT_REPORT:
        case POLICY_ACT_KILL:
                break;
        }
        return notify ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_KILL_PROCESS;
}

static void check_call(int nr, const uint64_t args[6])
{
        struct seccomp_data d = { .nr = nr, .arch = seccomp_arch_native() };
        const struct policy_syscall_rule *r = policy_match(&p, nr, args);

        memcpy(d.args, args, sizeof(d.args));
        ck_assert_msg(bpf_run(&bpf.notify, &d) == expected(r, true),
                      "notify program, %s(0x%llx, 0x%llx, 0x%llx): 0x%x, policy_match says %s",
                      policy_syscall_name(nr), (unsigned long long)args[0],
                      (unsigned long long)args[1], (unsigned long long)args[2],
                      bpf_run(&bpf.notify, &d), r ? policy_action_name(r->action) : "default");
        ck_assert_msg(bpf_run(&bpf.kill, &d) == expected(r, false),
                      "kill program, %s(0x%llx, 0x%llx, 0x%llx): 0x%x, policy_match says %s",
                      policy_syscall_name(nr), (unsigned long long)args[0],
                      (unsigned long long)args[1], (unsigned long long)args[2],
                      bpf_run(&bpf.kill, &d), r ? policy_action_name(r->action) : "default");
}

/* Arguments worth trying on every call: the boundaries of the default's conditional rules. */
static const uint64_t samples[][2] = {
        { 0, 0 },
        { 1, 1 },
        { 0xffffffff, 0xffffffff },
        { 0xffffffffffffffffULL, 0xffffffffffffffffULL },
        { SIGCHLD, TIOCSTI },
        { CLONE_NEWUSER | SIGCHLD, TIOCSTI | 1ULL << 32 },
        { CLONE_VM | CLONE_VFORK | SIGCHLD, TIOCLINUX },
        { CLONE_NEWNS, TIOCSTI - 1 },
        { CLONE_NEWTIME, TIOCSTI + 1 },
        { 0x20008, TIOCLINUX + 1 },
        { 0x400000, 0xffffffff00000000ULL | TIOCLINUX },
        { 37, SECCOMP_FILTER_FLAG_NEW_LISTENER },
        { 38, SECCOMP_FILTER_FLAG_TSYNC },
        { 39, TIOCGWINSZ },
        { 40, 0x80045430 },
        { 41, 0xffffffff80045430ULL },
        { 40 | 1ULL << 32, 0x5400 },
        { 63, 0x541b },
        { 64, 0x541d },
        { 0x20000, 0x7fffffff },
};

static void every_call(void)
{
        uint64_t args[6] = { 0 };
        int checked = 0;

        /* every native call number, each with both sample arguments in slots 0 and 1 */
        for (int nr = 0; nr < 1024; nr++) {
                if (!policy_syscall_name(nr))
                        continue;
                for (size_t i = 0; i < ARRAY_SIZE(samples); i++) {
                        args[0] = samples[i][0];
                        args[1] = samples[i][1];
                        check_call(nr, args);
                        args[0] = samples[i][1];
                        args[1] = samples[i][0];
                        check_call(nr, args);
                }
                checked++;
        }
        ck_assert_int_gt(checked, 300);
}

START_TEST(test_every_call)
{
        every_call();
}
END_TEST

START_TEST(test_every_call_default_allow)
{
        rf_error err = { 0 };

        ck_assert_int_eq(policy_set(&p, "seccomp.default", "allow", NULL, NULL), 0);
        policy_bpf_done(&bpf);
        ck_assert_msg(policy_compile(&p, &bpf, &err) == 0, "%s", err.msg);
        every_call();
}
END_TEST

START_TEST(test_every_call_default_errno)
{
        rf_error err = { 0 };

        ck_assert_int_eq(policy_set(&p, "seccomp.default", "errno ENOSYS", NULL, NULL), 0);
        ck_assert_int_eq(policy_set(&p, "seccomp.kill", "getppid", NULL, NULL), 0);
        ck_assert_int_eq(policy_set(&p, "seccomp.deny", "ptrace", NULL, NULL), 0);
        policy_bpf_done(&bpf);
        ck_assert_msg(policy_compile(&p, &bpf, &err) == 0, "%s", err.msg);
        every_call();
}
END_TEST

/* Each comparison on its own call, compiled and matched alike, around its boundaries and in the
 * high 32 bits. */
START_TEST(test_comparisons)
{
        static const char *const calls[] = { "getppid", "getpgrp", "getuid", "getgid",
                                             "geteuid", "getegid", "gettid" };
        static const uint64_t values[] = {
                0, 4, 5, 6, 7, 12, 0xffffffff, 1ULL << 32, (1ULL << 32) | 5, 0xffffffffffffffffULL
        };
        rf_error err = { 0 };

        /* a policy of these rules only (conditional rules cannot refine the default's
         * unconditional ones) */
        policy_done(&p);
        p.seccomp.default_action = POLICY_ACT_REPORT;
        p.seccomp.default_errno = EPERM;
        for (unsigned op = POLICY_CMP_EQ; op <= POLICY_CMP_MASKED_EQ; op++) {
                struct policy_arg_cond c = { 2, (enum policy_cmp)op, 5, 0 };
                if (op == POLICY_CMP_MASKED_EQ)
                        c = (struct policy_arg_cond){ 2, POLICY_CMP_MASKED_EQ, 6, 4 };
                ck_assert_int_eq(policy_add_syscall_rule(&p, calls[op], POLICY_ACT_ERRNO,
                                                         (int)(10 + op), &c, 1, "t", "t", &err),
                                 0);
        }
        policy_bpf_done(&bpf);
        ck_assert_msg(policy_compile(&p, &bpf, &err) == 0, "%s", err.msg);
        for (size_t i = 0; i < ARRAY_SIZE(calls); i++)
                for (size_t k = 0; k < ARRAY_SIZE(values); k++) {
                        uint64_t args[6] = { 0, 0, values[k] };
                        check_call(seccomp_syscall_resolve_name(calls[i]), args);
                }
        /* where the condition fails, the default decides */
        {
                uint64_t args[6] = { 0, 0, 5 };
                int nr = seccomp_syscall_resolve_name("getppid");
                ck_assert_int_eq(policy_match(&p, nr, args)->action, POLICY_ACT_ERRNO);
                args[2] = 6;
                ck_assert_ptr_null(policy_match(&p, nr, args));
        }
}
END_TEST

/* Calls of other ABIs kill the process in both programs, whatever the policy allows. */
START_TEST(test_foreign_abis)
{
        struct seccomp_data d = { 0 };

        ck_assert_int_eq(policy_set(&p, "seccomp.default", "allow", NULL, NULL), 0);
        policy_bpf_done(&bpf);
        ck_assert_int_eq(policy_compile(&p, &bpf, NULL), 0);
#ifdef __x86_64__
        /* x32: the x86_64 arch value with bit 30 set in the number */
        d.arch = AUDIT_ARCH_X86_64;
        d.nr = 0x40000000 | 39; /* getpid */
        ck_assert_uint_eq(bpf_run(&bpf.kill, &d), SECCOMP_RET_KILL_PROCESS);
        ck_assert_uint_eq(bpf_run(&bpf.notify, &d), SECCOMP_RET_KILL_PROCESS);
        d.nr = 0x40000000 | 16; /* ioctl */
        ck_assert_uint_eq(bpf_run(&bpf.kill, &d), SECCOMP_RET_KILL_PROCESS);
        d.nr = 39;
        ck_assert_uint_eq(bpf_run(&bpf.kill, &d), SECCOMP_RET_ALLOW);
#endif
        /* i386 (int 0x80 on x86_64): getpid is 20 there */
        d.arch = AUDIT_ARCH_I386;
        d.nr = 20;
        ck_assert_uint_eq(bpf_run(&bpf.kill, &d), SECCOMP_RET_KILL_PROCESS);
        ck_assert_uint_eq(bpf_run(&bpf.notify, &d), SECCOMP_RET_KILL_PROCESS);
        d.arch = AUDIT_ARCH_AARCH64 == seccomp_arch_native() ? AUDIT_ARCH_ARM : AUDIT_ARCH_AARCH64;
        ck_assert_uint_eq(bpf_run(&bpf.kill, &d), SECCOMP_RET_KILL_PROCESS);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("policy_bpf");
        TCase *tc = tcase_create("programs");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_every_call);
        tcase_add_test(tc, test_every_call_default_allow);
        tcase_add_test(tc, test_every_call_default_errno);
        tcase_add_test(tc, test_comparisons);
        tcase_add_test(tc, test_foreign_abis);
        suite_add_tcase(s, tc);
        /* CK_TAP_LOG_FILE_NAME=- (set by make check) makes Check write TAP to stdout. */
        return test_run_suite(s);
}
