/* SPDX-License-Identifier: MIT */
/* A job's own policy (JSON lines "set", "env", "cwd"): the batch's policy with the job's settings
 * applied, shared by the run (sched.c) and the read-ahead check of an input file (prescan.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "batch/batch.h"

int batch_job_policy(const struct rf_policy *base, const struct batch_input *in,
                     struct rf_policy *ret, bool *ret_seccomp, rf_error *err)
{
        char origin[48];
        bool seccomp = false;
        int r = 0;

        if (!in->settings.n && !in->env_set.n && !in->cwd)
                return 0;
        snprintf(origin, sizeof(origin), "job %llu", (unsigned long long)in->seq);
        policy_copy(ret, base);
        for (size_t i = 0; i < in->settings.n && r == 0; i++) {
                _cleanup_free_ char *key = xstrdup(in->settings.v[i]);
                char *eq = strchr(key, '=');
                if (!eq)
                        continue;
                *eq = '\0';
                seccomp |= !strncmp(key, "seccomp", 7);
                r = policy_set(ret, key, eq + 1, origin, err);
        }
        for (size_t i = 0; i < in->env_set.n && r == 0; i++)
                r = policy_set(ret, "env.set", in->env_set.v[i], origin, err);
        if (r == 0 && in->cwd)
                r = policy_set(ret, "cwd", in->cwd, origin, err);
        if (r < 0) {
                policy_done(ret);
                return r;
        }
        *ret_seccomp = seccomp;
        return 1;
}
