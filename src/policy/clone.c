/* SPDX-License-Identifier: MIT */
/* A deep copy of a policy, so that one job of a batch can change its own settings (JSON lines
 * with "set", "env", "cwd") without touching the batch's policy. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "policy/policy.h"

static void copy_strv(struct strv *dst, const struct strv *src)
{
        memset(dst, 0, sizeof(*dst));
        for (size_t i = 0; i < src->n; i++)
                strv_push(dst, src->v[i]);
}

static char *dup_or_null(const char *s)
{
        return s ? xstrdup(s) : NULL;
}

void policy_copy(struct rf_policy *dst, const struct rf_policy *src)
{
        *dst = *src; /* the scalars; every pointer is replaced below */
        dst->cwd = dup_or_null(src->cwd);
        copy_strv(&dst->env_pass, &src->env_pass);
        copy_strv(&dst->env_set, &src->env_set);
        dst->fds = NULL;
        dst->cap_fds = 0;
        if (src->n_fds) {
                array_grow(&dst->fds, &dst->cap_fds, src->n_fds, sizeof(int));
                memcpy(dst->fds, src->fds, src->n_fds * sizeof(int));
        }
        dst->fs = NULL;
        dst->cap_fs = 0;
        if (src->n_fs) {
                array_grow(&dst->fs, &dst->cap_fs, src->n_fs, sizeof(*dst->fs));
                for (size_t i = 0; i < src->n_fs; i++) {
                        dst->fs[i] = src->fs[i];
                        dst->fs[i].path = dup_or_null(src->fs[i].path);
                        dst->fs[i].origin = dup_or_null(src->fs[i].origin);
                }
        }
        dst->seccomp.rules = NULL;
        dst->seccomp.cap_rules = 0;
        if (src->seccomp.n_rules) {
                array_grow(&dst->seccomp.rules, &dst->seccomp.cap_rules, src->seccomp.n_rules,
                           sizeof(*dst->seccomp.rules));
                for (size_t i = 0; i < src->seccomp.n_rules; i++) {
                        dst->seccomp.rules[i] = src->seccomp.rules[i];
                        dst->seccomp.rules[i].name = dup_or_null(src->seccomp.rules[i].name);
                        dst->seccomp.rules[i].origin = dup_or_null(src->seccomp.rules[i].origin);
                }
        }
}
