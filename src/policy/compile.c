/* SPDX-License-Identifier: MIT */
/* Compilation of a policy's seccomp rules to two classic BPF programs with libseccomp (notify and
 * kill), and the names of system calls by number. */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/policy.h"
#include "policy/prebuilt.h"

/* Both programs are built with stand-ins for SCMP_ACT_NOTIFY and SCMP_ACT_KILL_PROCESS, patched
 * in the exported code: libseccomp probes the running kernel for those two actions and refuses
 * them where the probe fails (an old kernel, a host that is itself filtered, valgrind), while the
 * programs are meant for the child, which falls back to the kill program when it cannot load the
 * notify one. TRACE is never probed and no rule of ours uses it, so the values are unambiguous. */
#define STANDIN_NOTIFY SCMP_ACT_TRACE(0x5eed)
#define STANDIN_KILL SCMP_ACT_TRACE(0x5eee)

static uint32_t scmp_action(enum policy_action a, int errno_val, bool notify)
{
        switch (a) {
        case POLICY_ACT_ALLOW:
                return SCMP_ACT_ALLOW;
        case POLICY_ACT_ERRNO:
                return SCMP_ACT_ERRNO((uint32_t)errno_val);
        case POLICY_ACT_REPORT:
        case POLICY_ACT_KILL:
                break;
        }
        return notify ? STANDIN_NOTIFY : STANDIN_KILL;
}

static enum scmp_compare scmp_op(enum policy_cmp op)
{
        switch (op) {
        case POLICY_CMP_EQ:
                return SCMP_CMP_EQ;
        case POLICY_CMP_NE:
                return SCMP_CMP_NE;
        case POLICY_CMP_LT:
                return SCMP_CMP_LT;
        case POLICY_CMP_LE:
                return SCMP_CMP_LE;
        case POLICY_CMP_GT:
                return SCMP_CMP_GT;
        case POLICY_CMP_GE:
                return SCMP_CMP_GE;
        case POLICY_CMP_MASKED_EQ:
                break;
        }
        return SCMP_CMP_MASKED_EQ;
}

static void ctx_releasep(scmp_filter_ctx *ctx)
{
        if (*ctx)
                seccomp_release(*ctx);
}

/* For each native syscall number, the index of its last rule without conditions, or -1. */
static int *last_unconditional(const struct policy_seccomp *s, int *ret_max_nr)
{
        int max_nr = 0, *last;

        for (size_t i = 0; i < s->n_rules; i++)
                if (s->rules[i].nr > max_nr)
                        max_nr = s->rules[i].nr;
        last = xmalloc(((size_t)max_nr + 1) * sizeof(*last));
        memset(last, 0xff, ((size_t)max_nr + 1) * sizeof(*last));
        for (size_t i = 0; i < s->n_rules; i++)
                if (s->rules[i].nr >= 0 && s->rules[i].n_conds == 0)
                        last[s->rules[i].nr] = (int)i;
        *ret_max_nr = max_nr;
        return last;
}

static int add_rule(scmp_filter_ctx ctx, const struct policy_syscall_rule *rule, uint32_t action,
                    rf_error *err)
{
        struct scmp_arg_cmp cmp[6];
        int r;

        for (unsigned i = 0; i < rule->n_conds; i++)
                cmp[i] = (struct scmp_arg_cmp){ .arg = rule->conds[i].index,
                                                .op = scmp_op(rule->conds[i].op),
                                                .datum_a = rule->conds[i].value,
                                                .datum_b = rule->conds[i].value2 };
        r = seccomp_rule_add_exact_array(ctx, action, rule->nr, rule->n_conds, cmp);
        if (r < 0)
                return rf_error_set(err, r, "seccomp: cannot compile the rule for '%s' from %s: %s",
                                    rule->name, rule->origin, strerror(-r));
        return 0;
}

/* Add p's rules in one program's terms. Rule order is "later wins" (see policy_match), which
 * libseccomp cannot express in general: it drops conditional rules of a call that also has an
 * unconditional one, and refuses rules whose action equals the default. So: rules before the last
 * unconditional rule of a call are dead; conditional rules after it must act the same, or the
 * policy is refused; rules that act as the default does are left out. Conditional rules of one
 * call with different actions are added as they are: where their conditions overlap, libseccomp
 * picks (the default policy has no such overlap). */
static int add_rules(scmp_filter_ctx ctx, const struct policy_seccomp *s, uint32_t dflt,
                     bool notify, rf_error *err)
{
        _cleanup_free_ int *last = NULL;
        int max_nr, r;

        last = last_unconditional(s, &max_nr);
        for (size_t i = 0; i < s->n_rules; i++) {
                const struct policy_syscall_rule *rule = &s->rules[i];
                uint32_t action = scmp_action(rule->action, rule->errno_val, notify);
                int u;

                if (rule->nr < 0)
                        continue; /* not a system call of this architecture */
                u = last[rule->nr];
                if (u >= 0 && i < (size_t)u)
                        continue; /* replaced by a later rule without conditions */
                if (u >= 0 && i > (size_t)u) {
                        const struct policy_syscall_rule *ur = &s->rules[u];
                        if (action != scmp_action(ur->action, ur->errno_val, notify))
                                return rf_error_set(
                                        err, -EINVAL,
                                        "seccomp: the rule for '%s' from %s has argument "
                                        "conditions and cannot override the rule without "
                                        "conditions from %s",
                                        rule->name, rule->origin, ur->origin);
                        continue;
                }
                if (action == dflt)
                        continue;
                r = add_rule(ctx, rule, action, err);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Export ctx's BPF into heap memory (libseccomp 2.5 writes it only to an fd), with the stand-in
 * actions replaced by the real ones. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_fprog *ret, rf_error *err)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ struct sock_filter *insns = NULL;
        off_t size;
        size_t n, got = 0;
        int r;

        fd = memfd_create("ringfence-bpf", MFD_CLOEXEC);
        if (fd < 0)
                return rf_error_set(err, -errno, "seccomp: cannot create a memfd: %m");
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return rf_error_set(err, r, "seccomp: cannot export the filter: %s", strerror(-r));
        size = lseek(fd, 0, SEEK_END);
        if (size <= 0 || size % sizeof(struct sock_filter))
                return rf_error_set(err, -EIO, "seccomp: the exported filter has %lld bytes",
                                    (long long)size);
        n = (size_t)size / sizeof(struct sock_filter);
        if (n > BPF_MAXINSNS)
                return rf_error_set(err, -E2BIG,
                                    "seccomp: the filter has %zu instructions, the kernel takes "
                                    "at most %d",
                                    n, BPF_MAXINSNS);
        insns = xmalloc((size_t)size);
        while (got < (size_t)size) {
                ssize_t k = pread(fd, (char *)insns + got, (size_t)size - got, (off_t)got);
                if (k <= 0)
                        return rf_error_set(err, k < 0 ? -errno : -EIO,
                                            "seccomp: cannot read the exported filter back");
                got += (size_t)k;
        }
        for (size_t i = 0; i < n; i++) {
                if (insns[i].code != (BPF_RET | BPF_K))
                        continue;
                if (insns[i].k == STANDIN_NOTIFY)
                        insns[i].k = SECCOMP_RET_USER_NOTIF;
                else if (insns[i].k == STANDIN_KILL)
                        insns[i].k = SECCOMP_RET_KILL_PROCESS;
        }
        ret->len = (unsigned short)n;
        ret->filter = TAKE_PTR(insns);
        return 0;
}

static int compile_one(const struct policy_seccomp *s, bool notify, struct sock_fprog *ret,
                       rf_error *err)
{
        _cleanup_(ctx_releasep) scmp_filter_ctx ctx = NULL;
        uint32_t dflt = scmp_action(s->default_action, s->default_errno, notify);
        int r;

        if ((s->default_action == POLICY_ACT_ERRNO || s->default_action == POLICY_ACT_REPORT) &&
            (s->default_errno < 1 || s->default_errno > 4094))
                return rf_error_set(err, -EINVAL, "seccomp: default errno %d is out of range",
                                    s->default_errno);
        ctx = seccomp_init(dflt);
        if (!ctx)
                return rf_error_set(err, -ENOMEM, "seccomp: cannot start a filter");
        /* Only the native ABI: i386 (int 0x80) and, on x86_64, x32 (nr | 0x40000000) calls
         * kill the process. The sandbox sets no_new_privs itself, before loading. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, STANDIN_KILL);
        if (r >= 0)
                r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        if (r >= 0) /* a binary tree of syscall numbers: fewer comparisons per call */
                r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        if (r < 0)
                return rf_error_set(err, r, "seccomp: cannot set a filter attribute: %s",
                                    strerror(-r));
        r = add_rules(ctx, s, dflt, notify, err);
        if (r < 0)
                return r;
        return export_bpf(ctx, ret, err);
}

/* Compile p into the notify and the kill program; on failure ret is untouched. */
int policy_compile(const struct rf_policy *p, struct policy_bpf *ret, rf_error *err)
{
        struct policy_bpf b = { 0 };
        int r;

        /* The default as it is: its programs were compiled at build time, by this code. */
        if (policy_prebuilt_compile(p, ret))
                return 0;
        r = compile_one(&p->seccomp, true, &b.notify, err);
        if (r >= 0)
                r = compile_one(&p->seccomp, false, &b.kill, err);
        if (r < 0) {
                policy_bpf_done(&b);
                return r;
        }
        *ret = b;
        return 0;
}

/* Free both programs; b may be NULL. */
void policy_bpf_done(struct policy_bpf *b)
{
        if (!b)
                return;
        free(b->notify.filter);
        free(b->kill.filter);
        memset(b, 0, sizeof(*b));
}

/* Names resolved so far, by number; filled lazily and never freed (libseccomp returns a fresh
 * string each time, and callers keep ours for the process lifetime). */
#define NAME_CACHE 1024
static _Atomic(char *) name_cache[NAME_CACHE];

/* The native name of nr, cached for the process lifetime; NULL when unknown. */
const char *policy_syscall_name(int nr)
{
        char *name, *expected = NULL;

        if (nr < 0 || nr >= NAME_CACHE)
                return NULL;
        name = atomic_load_explicit(&name_cache[nr], memory_order_acquire);
        if (name)
                return name;
        name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
        if (!name)
                return NULL;
        if (!atomic_compare_exchange_strong_explicit(&name_cache[nr], &expected, name,
                                                     memory_order_acq_rel, memory_order_acquire)) {
                free(name); /* another thread was first */
                return expected;
        }
        return name;
}
