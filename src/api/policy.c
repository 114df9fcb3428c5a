/* SPDX-License-Identifier: MIT */
/* The public policy calls: thin wrappers over the policy module that check their arguments; the
 * text of `ringfence policy show`, `explain` and `bpf` is written by src/policy/show.c,
 * explain.c and bpf-text.c. */
#include "config.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/policy.h"

/* The package version from config.h. */
RF_EXPORT const char *rf_version(void)
{
        return PACKAGE_VERSION;
}

/* A heap policy holding the default; NULL only if the default cannot be built. */
RF_EXPORT rf_policy *rf_policy_new_default(rf_error *err)
{
        rf_policy *p = xcalloc(1, sizeof(*p));

        if (policy_init_default(p, err) < 0) {
                free(p);
                return NULL;
        }
        return p;
}

/* Free p and what it owns; NULL is fine. */
RF_EXPORT rf_policy *rf_policy_free(rf_policy *p)
{
        if (p) {
                policy_done(p);
                free(p);
        }
        return NULL;
}

/* One setting with its arguments checked (NULL policy, key or value is -EINVAL), in the policy
 * language's terms: seccomp groups and argument conditions, $HOME/$PWD/$TMPDIR in paths; a
 * relative fs.* path is taken from the working directory. */
RF_EXPORT int rf_policy_set(rf_policy *p, const char *key, const char *value, const char *origin,
                            rf_error *err)
{
        if (!p || !key || !value)
                return rf_error_set(err, -EINVAL,
                                    "rf_policy_set: the policy, key and value must not be NULL");
        return policy_set_value(p, key, value, origin, NULL, err);
}

/* ---- policy files ------------------------------------------------------------------------ */

/* Apply spec onto p (rf_policy_load in ringfence.h). */
RF_EXPORT int rf_policy_load(rf_policy *p, const char *spec, rf_error *err)
{
        if (!p || !spec)
                return rf_error_set(err, -EINVAL,
                                    "rf_policy_load: the policy and the name must not be NULL");
        return policy_load(p, spec, NULL, err);
}

/* The default with spec applied onto it, into p (and t, which may be NULL). */
static int load_spec(const char *spec, struct rf_policy *p, struct policy_trace *t, rf_error *err)
{
        int r;

        if (!spec)
                return rf_error_set(err, -EINVAL, "a policy name or file is required");
        r = policy_init_default(p, err);
        if (r >= 0)
                r = policy_load(p, spec, t, err);
        if (r < 0) {
                policy_done(p);
                policy_trace_done(t);
        }
        return r;
}

RF_EXPORT int rf_policy_check(const char *spec, size_t *ret_rules, size_t *ret_insns, rf_error *err)
{
        struct rf_policy p;
        struct policy_bpf b;
        int r = load_spec(spec, &p, NULL, err);

        if (r < 0)
                return r;
        r = policy_compile(&p, &b, err);
        if (r >= 0) {
                if (ret_rules)
                        *ret_rules = p.seccomp.n_rules;
                if (ret_insns)
                        *ret_insns = b.notify.len;
                policy_bpf_done(&b);
        }
        policy_done(&p);
        return r < 0 ? r : 0;
}

/* Apply "KEY=VALUE" overrides as --set does. */
static int apply_sets(struct rf_policy *p, char *const *sets, struct policy_trace *t, rf_error *err)
{
        for (; sets && *sets; sets++) {
                const char *eq = strchr(*sets, '=');
                char key[64];
                int r;

                if (!eq || eq == *sets || (size_t)(eq - *sets) >= sizeof(key))
                        return rf_error_set(err, -EINVAL,
                                            "--set: invalid value '%s', expected KEY=VALUE", *sets);
                snprintf(key, sizeof(key), "%.*s", (int)(eq - *sets), *sets);
                r = policy_set_value(p, key, eq + 1, "--set", t, err);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Close the memstream f and hand its text over, or fail. */
static int finish_text(FILE *f, char **buf, char **ret_text, rf_error *err)
{
        if (fclose(f) != 0) {
                free(*buf);
                *buf = NULL;
                return rf_error_set(err, -ENOMEM, "out of memory for the policy text");
        }
        *ret_text = TAKE_PTR(*buf);
        return 0;
}

RF_EXPORT int rf_policy_show(const char *spec, char *const *sets, char **ret_text, rf_error *err)
{
        struct policy_trace t = { 0 };
        struct rf_policy p;
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        if (!ret_text)
                return rf_error_set(err, -EINVAL, "rf_policy_show: ret_text must not be NULL");
        r = load_spec(spec, &p, &t, err);
        if (r < 0)
                return r;
        r = apply_sets(&p, sets, &t, err);
        if (r >= 0) {
                f = open_memstream(&buf, &size);
                if (!f)
                        rf_oom();
                policy_show(f, spec, &p, &t);
                r = finish_text(f, &buf, ret_text, err);
        }
        policy_done(&p);
        policy_trace_done(&t);
        return r;
}

RF_EXPORT int rf_policy_explain(const char *spec, const char *syscall, char *const *args,
                                char **ret_text, rf_error *err)
{
        struct policy_trace t = { 0 };
        struct rf_policy p;
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int nr, r, verdict;

        if (!syscall || !ret_text)
                return rf_error_set(err, -EINVAL,
                                    "rf_policy_explain: the system call and "
                                    "ret_text must not be NULL");
        nr = seccomp_syscall_resolve_name(syscall);
        if (nr == __NR_SCMP_ERROR)
                return rf_error_set(err, -EINVAL,
                                    "unknown system call '%s', expected a name such as openat",
                                    syscall);
        r = load_spec(spec, &p, &t, err);
        if (r < 0)
                return r;
        f = open_memstream(&buf, &size);
        if (!f)
                rf_oom();
        verdict = policy_explain(f, &p, &t, syscall, nr, args, err);
        r = finish_text(f, &buf, ret_text, err);
        if (verdict < 0) {
                free(*ret_text);
                *ret_text = NULL;
        }
        policy_done(&p);
        policy_trace_done(&t);
        return r < 0 ? r : verdict;
}

RF_EXPORT int rf_policy_bpf_text(const char *spec, int kill, char **ret_text, rf_error *err)
{
        struct rf_policy p;
        struct policy_bpf b;
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        if (!ret_text)
                return rf_error_set(err, -EINVAL, "rf_policy_bpf_text: ret_text must not be NULL");
        r = load_spec(spec, &p, NULL, err);
        if (r < 0)
                return r;
        r = policy_compile(&p, &b, err);
        policy_done(&p);
        if (r < 0)
                return r;
        f = open_memstream(&buf, &size);
        if (!f)
                rf_oom();
        policy_bpf_text(f, spec, kill ? &b.kill : &b.notify, kill);
        policy_bpf_done(&b);
        return finish_text(f, &buf, ret_text, err);
}

RF_EXPORT const char *rf_syscall_group(size_t i, const char **ret_description,
                                       const char *const **ret_members)
{
        const struct policy_group *g = policy_group_at(i);

        if (!g)
                return NULL;
        if (ret_description)
                *ret_description = g->description;
        if (ret_members)
                *ret_members = g->members;
        return g->name;
}
