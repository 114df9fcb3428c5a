/* SPDX-License-Identifier: MIT */
/* Which rule of a policy decides a system call, for the host that answers seccomp
 * notifications; it mirrors what the compiled filter does. */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ringfence.h"
#include "policy/policy.h"

static bool cond_holds(const struct policy_arg_cond *c, const uint64_t args[6])
{
        uint64_t a = args[c->index];

        /* Unsigned 64-bit comparisons, as libseccomp compiles them on 64-bit architectures. */
        switch (c->op) {
        case POLICY_CMP_EQ:
                return a == c->value;
        case POLICY_CMP_NE:
                return a != c->value;
        case POLICY_CMP_LT:
                return a < c->value;
        case POLICY_CMP_LE:
                return a <= c->value;
        case POLICY_CMP_GT:
                return a > c->value;
        case POLICY_CMP_GE:
                return a >= c->value;
        case POLICY_CMP_MASKED_EQ:
                return (a & c->value) == c->value2;
        }
        return false;
}

/* Later rules win: the last rule for nr whose conditions all hold decides. That agrees with the
 * compiled filter because policy_compile refuses what libseccomp would order differently (a
 * conditional rule overriding an unconditional one with another action). The one case left to
 * libseccomp is conditional rules of one call with different actions whose conditions overlap;
 * the default policy has none. */
const struct policy_syscall_rule *policy_match(const struct rf_policy *p, int nr,
                                               const uint64_t args[6])
{
        static const uint64_t zero[6];

        if (!args)
                args = zero;
        for (size_t i = p->seccomp.n_rules; i-- > 0;) {
                const struct policy_syscall_rule *r = &p->seccomp.rules[i];
                bool all = true;

                if (r->nr != nr || nr < 0)
                        continue;
                for (unsigned k = 0; all && k < r->n_conds; k++)
                        all = cond_holds(&r->conds[k], args);
                if (all)
                        return r;
        }
        return NULL;
}

/* The word for a in policies and records. */
const char *policy_action_name(enum policy_action a)
{
        switch (a) {
        case POLICY_ACT_ALLOW:
                return "allow";
        case POLICY_ACT_ERRNO:
                return "errno";
        case POLICY_ACT_REPORT:
                return "report";
        case POLICY_ACT_KILL:
                return "kill";
        }
        return "unknown";
}
