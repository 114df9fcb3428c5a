/* SPDX-License-Identifier: MIT */
/* Parent side of a spawn, the job's environment: the names the policy passes from ours, its own
 * settings, and the paths where execve looks for the command (the job's PATH, as execvp). */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "sandbox/plan-internal.h"

extern char **environ;

static bool env_wanted(const struct rf_policy *p, const char *entry)
{
        size_t len = strcspn(entry, "=");

        for (size_t i = 0; i < p->env_pass.n; i++) {
                const char *pat = p->env_pass.v[i];
                size_t pl = strlen(pat);
                if (pl && pat[pl - 1] == '*' ? len >= pl - 1 && !strncmp(entry, pat, pl - 1)
                                             : len == pl && !strncmp(entry, pat, len))
                        return true;
        }
        return false;
}

/* The job's environment: the allowed names from ours, HOME, then the policy's settings. A plain
 * spawn keeps HOME and adds nothing of its own, as xargs would. */
static void make_env(struct sandbox_plan *pl, const struct rf_policy *p, struct strv *env)
{
        bool have_path = false;

        for (char **e = environ; e && *e; e++)
                if (env_wanted(p, *e) && (pl->plain || strncmp(*e, "HOME=", 5) != 0)) {
                        strv_push(env, *e);
                        have_path |= !strncmp(*e, "PATH=", 5);
                }
        if (!have_path && !pl->plain)
                strv_push(env, "PATH=/usr/local/bin:/usr/bin:/bin");
        if (!pl->plain)
                strv_push(env, "HOME=/tmp");
        for (size_t i = 0; i < p->env_set.n; i++) {
                size_t len = strcspn(p->env_set.v[i], "=") + 1;
                for (size_t j = 0; j < env->n; j++)
                        if (!strncmp(env->v[j], p->env_set.v[i], len)) {
                                free(env->v[j]);
                                env->v[j] = xstrdup(p->env_set.v[i]);
                                goto next;
                        }
                strv_push(env, p->env_set.v[i]);
next:;
        }
}

/* Whether env_pass passes every name ("*") and nothing is set: the job gets our environ. */
static bool env_is_ours(const struct rf_policy *p)
{
        if (p->env_set.n)
                return false;
        for (size_t i = 0; i < p->env_pass.n; i++)
                if (!strcmp(p->env_pass.v[i], "*"))
                        return true;
        return false;
}

/* Where to look for argv[0]: itself if it has a slash, else each directory of the job's PATH. */
static void make_exec_paths(char *const *envp, const char *cmd, struct strv *out)
{
        const char *path = "/usr/local/bin:/usr/bin:/bin";

        if (strchr(cmd, '/')) {
                strv_push(out, cmd);
                return;
        }
        for (char *const *e = envp; *e; e++)
                if (!strncmp(*e, "PATH=", 5))
                        path = *e + 5;
        while (*path) {
                size_t n = strcspn(path, ":");
                if (n)
                        strv_pushf(out, "%.*s/%s", (int)n, path, cmd);
                path += n + (path[n] == ':');
        }
        if (!out->n)
                strv_push(out, cmd);
}

void plan_env(struct sandbox_plan *pl, const struct rf_policy *p)
{
        if (pl->plain && env_is_ours(p)) {
                pl->envp = environ;
        } else {
                make_env(pl, p, &pl->env);
                pl->envp = pl->env.v;
        }
        make_exec_paths(pl->envp, pl->argv[0], &pl->exec);
        pl->exec_paths = pl->exec.v;
}
