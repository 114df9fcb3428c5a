/* SPDX-License-Identifier: MIT */
/* Use of the default policy prepared at build time: policy_init_default copies its rules instead
 * of resolving some 470 names, and policy_compile copies its programs instead of running
 * libseccomp, where the build's architecture and libseccomp version are this process's. */
#include "config.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "policy/policy.h"
#include "policy/prebuilt.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* Integers are hashed as whole 64-bit words (one step each, not eight): the same fingerprint on
 * every host, and cheap enough to check on each compile. */
static uint64_t fnv_word(uint64_t h, uint64_t v)
{
        return (h ^ v) * FNV_PRIME;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
        for (; *s; s++)
                h = (h ^ (unsigned char)*s) * FNV_PRIME;
        return h * FNV_PRIME; /* the terminator (h ^ 0): "ab","c" differs from "a","bc" */
}

uint64_t policy_seccomp_fingerprint(const struct policy_seccomp *s)
{
        uint64_t h = FNV_OFFSET;

        h = fnv_word(h, (uint64_t)s->default_action);
        h = fnv_word(h, (uint64_t)(int64_t)s->default_errno);
        h = fnv_word(h, s->n_rules);
        for (size_t i = 0; i < s->n_rules; i++) {
                const struct policy_syscall_rule *r = &s->rules[i];

                h = fnv_str(h, r->name ? r->name : "");
                h = fnv_word(h, (uint64_t)r->action << 32 | (uint32_t)r->errno_val);
                h = fnv_word(h, (uint64_t)r->n_conds << 32 | (uint32_t)r->nr);
                for (unsigned k = 0; k < r->n_conds && k < ARRAY_SIZE(r->conds); k++) {
                        const struct policy_arg_cond *c = &r->conds[k];
                        h = fnv_word(h, (uint64_t)c->index << 32 | (uint32_t)c->op);
                        h = fnv_word(h, c->value);
                        h = fnv_word(h, c->value2);
                }
        }
        return h;
}

const struct policy_prebuilt *policy_prebuilt_get(void)
{
        const struct policy_prebuilt *pb = &policy_prebuilt_default;
        const struct scmp_version *v;

        if (!pb->available || pb->arch != seccomp_arch_native())
                return NULL;
        /* Another libseccomp may know other names or lay the programs out differently. */
        v = seccomp_version();
        if (!v || v->major != pb->seccomp_version[0] || v->minor != pb->seccomp_version[1] ||
            v->micro != pb->seccomp_version[2])
                return NULL;
        return pb;
}

bool policy_prebuilt_default_seccomp(struct rf_policy *p)
{
        const struct policy_prebuilt *pb = policy_prebuilt_get();
        struct policy_seccomp *s = &p->seccomp;

        if (!pb || s->n_rules || s->rules)
                return false;
        s->default_action = pb->default_action;
        s->default_errno = pb->default_errno;
        s->rules = xcalloc(pb->n_rules, sizeof(*s->rules));
        s->n_rules = s->cap_rules = pb->n_rules;
        for (size_t i = 0; i < pb->n_rules; i++) {
                const struct policy_prebuilt_rule *src = &pb->rules[i];
                struct policy_syscall_rule *r = &s->rules[i];

                r->name = xstrdup(src->name);
                r->action = src->action;
                r->errno_val = src->errno_val;
                r->n_conds = src->n_conds;
                if (src->n_conds)
                        memcpy(r->conds, pb->conds + src->cond, src->n_conds * sizeof(*r->conds));
                r->origin = xstrdup(pb->origin);
                r->nr = src->nr;
        }
        return true;
}

static struct sock_fprog copy_prog(const struct sock_filter *insns, unsigned short len)
{
        struct sock_filter *copy = xmalloc(len * sizeof(*copy));

        memcpy(copy, insns, len * sizeof(*copy));
        return (struct sock_fprog){ .len = len, .filter = copy };
}

bool policy_prebuilt_compile(const struct rf_policy *p, struct policy_bpf *ret)
{
        const struct policy_prebuilt *pb;

        if (!p->seccomp_pristine || !(pb = policy_prebuilt_get()))
                return false;
        /* The flag says nothing changed; the fingerprint (some 5 us) checks it, so that a
         * change that forgot the flag compiles what the policy says rather than the default. */
        if (p->seccomp.n_rules != pb->n_rules ||
            policy_seccomp_fingerprint(&p->seccomp) != pb->fingerprint)
                return false;
        ret->notify = copy_prog(pb->notify, pb->notify_len);
        ret->kill = copy_prog(pb->kill, pb->kill_len);
        return true;
}
