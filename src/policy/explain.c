/* SPDX-License-Identifier: MIT */
/* `ringfence policy explain`: what a policy does with one system call, with or without its
 * arguments, and which line of which file decides it. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/policy.h"
#include "policy/text-internal.h"

static void put_verdict(FILE *f, enum policy_action a, int e)
{
        switch (a) {
        case POLICY_ACT_ALLOW:
                fputs("allowed", f);
                return;
        case POLICY_ACT_ERRNO:
                fputs("refused (fails with ", f);
                policy_text_errno(f, e);
                fputs(")", f);
                return;
        case POLICY_ACT_REPORT:
                fputs("refused (fails with ", f);
                policy_text_errno(f, e ? e : EPERM);
                fputs(", reported)", f);
                return;
        case POLICY_ACT_KILL:
                break;
        }
        fputs("refused (kills the job)", f);
}

static void put_rule(FILE *f, const struct policy_syscall_rule *r)
{
        fprintf(f, ", by %s: %s = ", r->origin, policy_text_rule_key(r));
        policy_text_rule_target(f, r);
}

static void put_default(FILE *f, const struct rf_policy *p, const struct policy_trace *t)
{
        char text[64];

        policy_text_default(&p->seccomp, text, sizeof(text));
        fprintf(f, ", by the default action from %s: %s", policy_trace_origin(t, "seccomp.default"),
                text);
}

/* The verdict on name (native number nr, or < 0 for a call of other architectures) with args. */
static int explain(FILE *f, const struct rf_policy *p, const struct policy_trace *t,
                   const char *name, int nr, char *const *args, rf_error *err)
{
        const struct policy_syscall_rule *last = NULL;
        uint64_t a[6] = { 0 };
        size_t n_args = 0, n_cond = 0;

        for (; args && args[n_args]; n_args++)
                if (n_args == 6 || policy_parse_value(args[n_args], &a[n_args]) < 0)
                        return rf_error_set(err, -EINVAL,
                                            "argument '%s' of %s: expected at most "
                                            "6 numbers or constant names such as TIOCSTI",
                                            args[n_args], name);
        if (n_args) {
                const struct policy_syscall_rule *r = policy_match(p, nr, a);
                fprintf(f, "%s(", name);
                for (size_t i = 0; i < n_args; i++)
                        fprintf(f, "%s%s", i ? ", " : "", args[i]);
                fputs("): ", f);
                put_verdict(f, r ? r->action : p->seccomp.default_action,
                            r ? r->errno_val : p->seccomp.default_errno);
                if (r)
                        put_rule(f, r);
                else
                        put_default(f, p, t);
                return (r ? r->action : p->seccomp.default_action) == POLICY_ACT_ALLOW
                               ? RF_EXPLAIN_ALLOWED
                               : RF_EXPLAIN_REFUSED;
        }
        for (size_t i = 0; i < p->seccomp.n_rules; i++)
                if (p->seccomp.rules[i].nr == nr) {
                        if (p->seccomp.rules[i].n_conds == 0)
                                last = &p->seccomp.rules[i];
                        else
                                n_cond++;
                }
        fprintf(f, "%s: ", name);
        if (last || !n_cond) {
                put_verdict(f, last ? last->action : p->seccomp.default_action,
                            last ? last->errno_val : p->seccomp.default_errno);
                if (last)
                        put_rule(f, last);
                else
                        put_default(f, p, t);
                return (last ? last->action : p->seccomp.default_action) == POLICY_ACT_ALLOW
                               ? RF_EXPLAIN_ALLOWED
                               : RF_EXPLAIN_REFUSED;
        }
        fputs("depends on its arguments; the last rule that holds decides:\n", f);
        for (size_t i = 0; i < p->seccomp.n_rules; i++) {
                const struct policy_syscall_rule *r = &p->seccomp.rules[i];
                if (r->nr != nr)
                        continue;
                fputs("  ", f);
                put_verdict(f, r->action, r->errno_val);
                put_rule(f, r);
                fputc('\n', f);
        }
        fputs("  otherwise ", f);
        put_verdict(f, p->seccomp.default_action, p->seccomp.default_errno);
        put_default(f, p, t);
        return RF_EXPLAIN_DEPENDS;
}

int policy_explain(FILE *f, const struct rf_policy *p, const struct policy_trace *t,
                   const char *name, int nr, char *const *args, rf_error *err)
{
        int verdict;

        if (nr < 0) {
                fprintf(f,
                        "%s: not a system call of this architecture; "
                        "the filter never sees it (other ABIs kill the job)",
                        name);
                verdict = RF_EXPLAIN_REFUSED;
        } else {
                verdict = explain(f, p, t, name, nr, args, err);
        }
        fputc('\n', f);
        return verdict;
}
