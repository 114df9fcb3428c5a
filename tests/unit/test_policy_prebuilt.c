/* SPDX-License-Identifier: MIT */
/* Unit tests of the default policy prepared at build time (default-bpf.c): its rules and programs
 * are what the policy module builds and compiles with libseccomp here, byte for byte; the
 * pristine flag that lets policy_compile use them is cleared by every seccomp change. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "policy/policy.h"
#include "policy/prebuilt.h"
#include "helpers.h"

static struct rf_policy p;

static void setup(void)
{
        rf_error err = { 0 };

        ck_assert_msg(policy_init_default(&p, &err) == 0, "default policy: %s", err.msg);
}

static void teardown(void)
{
        policy_done(&p);
}

static bool same_prog(const struct sock_fprog *a, const struct sock_filter *insns,
                      unsigned short len)
{
        return a->len == len && !memcmp(a->filter, insns, len * sizeof(*insns));
}

static bool is_prebuilt(const struct policy_bpf *b)
{
        const struct policy_prebuilt *pb = &policy_prebuilt_default;

        return same_prog(&b->notify, pb->notify, pb->notify_len) &&
               same_prog(&b->kill, pb->kill, pb->kill_len);
}

/* Compile with libseccomp whatever the flag says. */
static void compile_fresh(struct rf_policy *q, struct policy_bpf *ret)
{
        bool pristine = q->seccomp_pristine;
        rf_error err = { 0 };

        q->seccomp_pristine = false;
        ck_assert_msg(policy_compile(q, ret, &err) == 0, "compile: %s", err.msg);
        q->seccomp_pristine = pristine;
}

static double now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* This build made it for this machine: same architecture and libseccomp. */
START_TEST(test_available)
{
        const struct policy_prebuilt *pb = policy_prebuilt_get();
        const struct scmp_version *v = seccomp_version();

        ck_assert_ptr_eq(pb, &policy_prebuilt_default);
        ck_assert(pb->available);
        ck_assert_uint_eq(pb->arch, seccomp_arch_native());
        ck_assert_uint_eq(pb->seccomp_version[0], v->major);
        ck_assert_uint_eq(pb->seccomp_version[1], v->minor);
        ck_assert_uint_eq(pb->seccomp_version[2], v->micro);
        ck_assert_uint_gt(pb->notify_len, 10);
        ck_assert_uint_le(pb->notify_len, BPF_MAXINSNS);
        ck_assert_uint_gt(pb->kill_len, 10);
        ck_assert_uint_le(pb->kill_len, BPF_MAXINSNS);
        for (size_t i = 0; i < pb->n_rules; i++)
                ck_assert_uint_le(pb->rules[i].cond + pb->rules[i].n_conds, pb->n_conds);
        ck_assert(p.seccomp_pristine);
}
END_TEST

/* policy_init_default's copy equals the rules built name by name with libseccomp. */
START_TEST(test_rules_as_built)
{
        struct rf_policy q;
        rf_error err = { 0 };

        memset(&q, 0, sizeof(q));
        ck_assert_msg(policy_default_seccomp(&q, &err) == 0, "%s", err.msg);
        ck_assert_int_eq(p.seccomp.default_action, q.seccomp.default_action);
        ck_assert_int_eq(p.seccomp.default_errno, q.seccomp.default_errno);
        ck_assert_uint_eq(p.seccomp.n_rules, q.seccomp.n_rules);
        for (size_t i = 0; i < q.seccomp.n_rules; i++) {
                const struct policy_syscall_rule *a = &p.seccomp.rules[i], *b = &q.seccomp.rules[i];

                ck_assert_str_eq(a->name, b->name);
                ck_assert_int_eq(a->nr, b->nr);
                ck_assert_int_eq(a->action, b->action);
                ck_assert_int_eq(a->errno_val, b->errno_val);
                ck_assert_uint_eq(a->n_conds, b->n_conds);
                ck_assert_mem_eq(a->conds, b->conds, b->n_conds * sizeof(*b->conds));
                ck_assert_str_eq(a->origin, b->origin);
        }
        ck_assert(!q.seccomp_pristine); /* built, not made by policy_init_default */
        policy_done(&q);
}
END_TEST

START_TEST(test_fingerprint)
{
        struct rf_policy q;
        uint64_t h = policy_seccomp_fingerprint(&p.seccomp);

        memset(&q, 0, sizeof(q));
        ck_assert_int_eq(policy_default_seccomp(&q, NULL), 0);
        ck_assert_uint_eq(h, policy_prebuilt_default.fingerprint);
        ck_assert_uint_eq(policy_seccomp_fingerprint(&q.seccomp), h);
        /* every part counts */
        p.seccomp.rules[3].errno_val = 7;
        ck_assert_uint_ne(policy_seccomp_fingerprint(&p.seccomp), h);
        p.seccomp.rules[3].errno_val = 0;
        p.seccomp.rules[p.seccomp.n_rules - 1].conds[0].value2 ^= 1;
        ck_assert_uint_ne(policy_seccomp_fingerprint(&p.seccomp), h);
        p.seccomp.rules[p.seccomp.n_rules - 1].conds[0].value2 ^= 1;
        p.seccomp.default_errno = EACCES;
        ck_assert_uint_ne(policy_seccomp_fingerprint(&p.seccomp), h);
        p.seccomp.default_errno = EPERM;
        ck_assert_uint_eq(policy_seccomp_fingerprint(&p.seccomp), h);
        policy_done(&q);
}
END_TEST

/* The embedded programs are what libseccomp compiles here from the default, byte for byte, and
 * the pristine default gets them. */
START_TEST(test_programs_as_compiled)
{
        struct policy_bpf fresh, fast;
        struct rf_policy q;
        double t0, t_fast, t_fresh;

        compile_fresh(&p, &fresh);
        ck_assert(is_prebuilt(&fresh));
        t0 = now_us();
        ck_assert_int_eq(policy_compile(&p, &fast, NULL), 0);
        t_fast = now_us() - t0;
        ck_assert(is_prebuilt(&fast));
        ck_assert_ptr_ne(fast.notify.filter, policy_prebuilt_default.notify); /* a copy */
        policy_bpf_done(&fast);
        policy_bpf_done(&fresh);
        /* and from rules built name by name */
        memset(&q, 0, sizeof(q));
        ck_assert_int_eq(policy_default_seccomp(&q, NULL), 0);
        t0 = now_us();
        compile_fresh(&q, &fresh);
        t_fresh = now_us() - t0;
        ck_assert(is_prebuilt(&fresh));
        policy_bpf_done(&fresh);
        policy_done(&q);
        fprintf(stderr, "# default policy compiled in %.0f us, prebuilt copied in %.1f us\n",
                t_fresh, t_fast);
}
END_TEST

/* Each seccomp.* key clears the flag, and the program follows the change. */
static const struct {
        const char *key, *value;
} changes[] = {
        { "seccomp.allow", "ptrace" },         { "seccomp.deny", "ptrace" },
        { "seccomp.report", "getpid" },        { "seccomp.kill", "getpid" },
        { "seccomp.errno", "getpid EACCES" },  { "seccomp.default", "allow" },
        { "seccomp.default", "errno ENOSYS" },
};

START_TEST(test_seccomp_keys_clear)
{
        struct policy_bpf b, fresh;
        rf_error err = { 0 };

        ck_assert_msg(policy_set(&p, changes[_i].key, changes[_i].value, NULL, &err) == 0, "%s",
                      err.msg);
        ck_assert_msg(!p.seccomp_pristine, "%s", changes[_i].key);
        ck_assert_msg(policy_compile(&p, &b, &err) == 0, "%s", err.msg);
        ck_assert_msg(!is_prebuilt(&b), "%s = %s: still the default's programs", changes[_i].key,
                      changes[_i].value);
        compile_fresh(&p, &fresh);
        ck_assert(same_prog(&b.notify, fresh.notify.filter, fresh.notify.len));
        ck_assert(same_prog(&b.kill, fresh.kill.filter, fresh.kill.len));
        policy_bpf_done(&fresh);
        policy_bpf_done(&b);
}
END_TEST

/* A seccomp key that fails clears it too; the program is still the default's (compiled). */
START_TEST(test_failed_key_clears)
{
        struct policy_bpf b;

        ck_assert_int_eq(policy_set(&p, "seccomp.allow", "opne", NULL, NULL), -EINVAL);
        ck_assert(!p.seccomp_pristine);
        ck_assert_int_eq(policy_compile(&p, &b, NULL), 0);
        ck_assert(is_prebuilt(&b));
        policy_bpf_done(&b);
}
END_TEST

START_TEST(test_add_rule_clears)
{
        ck_assert_int_eq(policy_add_syscall_rule(&p, "kcmp", POLICY_ACT_ALLOW, 0, NULL, 0, "t", "t",
                                                 NULL),
                         0);
        ck_assert(!p.seccomp_pristine);
}
END_TEST

/* Other keys leave the seccomp part, and the flag, alone. */
START_TEST(test_other_keys_keep)
{
        struct policy_bpf b;

        ck_assert_int_eq(policy_set(&p, "limit.memory", "64M", NULL, NULL), 0);
        ck_assert_int_eq(policy_set(&p, "fs.ro", "/usr", NULL, NULL), 0);
        ck_assert_int_eq(policy_set(&p, "net", "host", NULL, NULL), 0);
        ck_assert_int_eq(policy_set(&p, "env.pass", "HOME", NULL, NULL), 0);
        ck_assert(p.seccomp_pristine);
        ck_assert_int_eq(policy_compile(&p, &b, NULL), 0);
        ck_assert(is_prebuilt(&b));
        policy_bpf_done(&b);
        policy_done(&p);
        ck_assert(!p.seccomp_pristine);
}
END_TEST

/* A change that bypasses the flag is caught by the fingerprint: the policy is compiled. */
START_TEST(test_fingerprint_guards)
{
        const uint64_t args[6] = { 0 };
        struct policy_syscall_rule *r;
        struct policy_bpf b, fresh;

        r = (struct policy_syscall_rule *)policy_match(&p, seccomp_syscall_resolve_name("ptrace"),
                                                       args);
        ck_assert_ptr_nonnull(r);
        r->action = POLICY_ACT_ALLOW;
        ck_assert(p.seccomp_pristine);
        ck_assert_int_eq(policy_compile(&p, &b, NULL), 0);
        ck_assert(!is_prebuilt(&b));
        compile_fresh(&p, &fresh);
        ck_assert(same_prog(&b.kill, fresh.kill.filter, fresh.kill.len));
        policy_bpf_done(&fresh);
        policy_bpf_done(&b);
}
END_TEST

static Suite *policy_prebuilt_suite(void)
{
        Suite *s = suite_create("policy_prebuilt");
        TCase *tc;

        tc = tcase_create("prebuilt");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_available);
        tcase_add_test(tc, test_rules_as_built);
        tcase_add_test(tc, test_fingerprint);
        tcase_add_test(tc, test_programs_as_compiled);
        suite_add_tcase(s, tc);

        tc = tcase_create("pristine");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_loop_test(tc, test_seccomp_keys_clear, 0, (int)ARRAY_SIZE(changes));
        tcase_add_test(tc, test_failed_key_clears);
        tcase_add_test(tc, test_add_rule_clears);
        tcase_add_test(tc, test_other_keys_keep);
        tcase_add_test(tc, test_fingerprint_guards);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        /* CK_TAP_LOG_FILE_NAME=- (set by make check) makes Check write TAP to stdout. */
        return test_run_suite(policy_prebuilt_suite());
}
