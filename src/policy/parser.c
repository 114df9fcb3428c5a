/* SPDX-License-Identifier: MIT */
/* The policy language (ringfence.policy(5)): lines of `key = value`, `include`, `seccomp-json`
 * and `clear`, applied in order onto a policy; seccomp rules with groups and argument conditions;
 * every error a sentence at FILE:LINE:COLUMN. Also the built-in policies and name look-up. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/policy.h"

#ifndef RF_POLICY_DIR
#define RF_POLICY_DIR "/usr/local/share/ringfence/policies"
#endif
#define MAX_DEPTH 16

/* Where text is read from: a file's line, or a single value (file NULL: `--set`, the API), whose
 * errors are prefixed with origin instead of a position. Columns count bytes of text from 1. */
struct pos {
        const char *file;
        unsigned line;
        const char *text;
        const char *origin;
};

/* One load: the policy, the trace, and the files being read (for cycles), outermost first. */
struct loader {
        struct rf_policy *p;
        struct policy_trace *trace;
        rf_error *err;
        char *chain[MAX_DEPTH]; /* the names shown */
        char *real[MAX_DEPTH];  /* their real paths */
        size_t depth;
};

/* An error at where (a pointer into at->text, or NULL for its start). */
__attribute__((format(printf, 4, 5))) static int fail(const struct pos *at, const char *where,
                                                      rf_error *err, const char *fmt, ...)
{
        char msg[sizeof(err->msg)];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (at->file)
                return rf_error_set(err, -EINVAL, "%s:%u:%u: %s", at->file, at->line,
                                    where ? (unsigned)(where - at->text) + 1 : 1, msg);
        if (at->origin)
                return rf_error_set(err, -EINVAL, "%s: %s", at->origin, msg);
        return rf_error_set(err, -EINVAL, "%s", msg);
}

/* What is at s, for "unexpected X": the word or character there, or the end of the line. */
static const char *seen(const char *s, char *buf, size_t size)
{
        size_t n = 0;

        if (!*s)
                return "end of line";
        while (s[n] && (isalnum((unsigned char)s[n]) || s[n] == '_') && n < 40)
                n++;
        snprintf(buf, size, "'%.*s'", (int)(n ? n : 1), s);
        return buf;
}

static const char *skip_ws(const char *s)
{
        return s + strspn(s, " \t");
}

/* ---- the trace ------------------------------------------------------------------------------ */

void policy_trace_done(struct policy_trace *t)
{
        if (!t)
                return;
        strv_done(&t->keys);
        strv_done(&t->origins);
        free(t->base);
        t->base = NULL;
}

const char *policy_trace_origin(const struct policy_trace *t, const char *key)
{
        if (!t)
                return "default policy";
        for (size_t i = t->keys.n; i-- > 0;)
                if (!strcmp(t->keys.v[i], key))
                        return t->origins.v[i];
        return t->base ? t->base : "default policy";
}

static void trace_record(struct policy_trace *t, const char *key, const char *origin)
{
        if (!t)
                return;
        for (size_t i = 0; i < t->keys.n; i++)
                if (!strcmp(t->keys.v[i], key)) {
                        free(t->origins.v[i]);
                        t->origins.v[i] = xstrdup(origin);
                        return;
                }
        strv_push(&t->keys, key);
        strv_push(&t->origins, origin);
}

/* Everything now comes from base (a built-in policy replaced what was there). */
static void trace_reset(struct policy_trace *t, const char *base)
{
        if (!t)
                return;
        policy_trace_done(t);
        t->base = xstrdup(base);
}

/* ---- argument conditions -------------------------------------------------------------------- */

/* A number or constant at *s; moves *s past it. */
static int parse_atom(const struct pos *at, const char **s, uint64_t *ret, rf_error *err)
{
        const char *t = skip_ws(*s);
        size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
        char buf[48], *end;

        if (isdigit((unsigned char)*t)) {
                char num[40];
                snprintf(num, sizeof(num), "%.*s", (int)(n < 39 ? n : 39), t);
                errno = 0;
                *ret = strtoull(num, &end, 0);
                if (errno == ERANGE)
                        return fail(at, t, err, "number '%s' is too large, expected at most "
                                                "0xffffffffffffffff", num);
                if (*end || n > 38)
                        return fail(at, t, err, "invalid number '%s', expected decimal, 0x hex "
                                                "or 0 octal digits", num);
        } else if (n && (isupper((unsigned char)*t) || *t == '_')) {
                if (policy_constant(t, n, ret) < 0)
                        return fail(at, t, err, "unknown constant '%.*s', expected a number or a "
                                                "name such as AF_UNIX, TIOCSTI, CLONE_NEWUSER, "
                                                "O_WRONLY or PROT_EXEC", (int)n, t);
        } else {
                return fail(at, t, err, "unexpected %s, expected a number or a constant name "
                                        "such as AF_UNIX", seen(t, buf, sizeof(buf)));
        }
        *s = t + n;
        return 0;
}

/* atom ( '|' atom )*: constants or'ed together (CLONE_NEWNS | CLONE_NEWUSER). */
static int parse_operand(const struct pos *at, const char **s, uint64_t *ret, rf_error *err)
{
        uint64_t v, all = 0;
        int r;

        for (;;) {
                if ((r = parse_atom(at, s, &v, err)) < 0)
                        return r;
                all |= v;
                *s = skip_ws(*s);
                if ((*s)[0] != '|' || (*s)[1] == '|')
                        break;
                (*s)++;
        }
        *ret = all;
        return 0;
}

static const struct {
        const char *text;
        enum policy_cmp op;
} cmp_ops[] = { { "==", POLICY_CMP_EQ }, { "!=", POLICY_CMP_NE }, { "<=", POLICY_CMP_LE },
                { ">=", POLICY_CMP_GE }, { "<", POLICY_CMP_LT },  { ">", POLICY_CMP_GT } };

/* argN OP operand | argN & operand == operand */
static int parse_cond(const struct pos *at, const char **s, struct policy_arg_cond *c,
                      rf_error *err)
{
        const char *t = skip_ws(*s);
        char buf[48];
        size_t i;
        int r;

        if (strncmp(t, "arg", 3) || t[3] < '0' || t[3] > '5' || isalnum((unsigned char)t[4]) ||
            t[4] == '_')
                return fail(at, t, err, "unexpected %s, expected an argument arg0 to arg5",
                            seen(t, buf, sizeof(buf)));
        c->index = (unsigned)(t[3] - '0');
        t = skip_ws(t + 4);
        if (t[0] == '&' && t[1] != '&') {
                t++;
                if ((r = parse_operand(at, &t, &c->value, err)) < 0)
                        return r;
                if (strncmp(t, "==", 2))
                        return fail(at, t, err, "unexpected %s, expected '==' after the mask "
                                                "(seccomp compares masked arguments only for "
                                                "equality)", seen(t, buf, sizeof(buf)));
                t += 2;
                c->op = POLICY_CMP_MASKED_EQ;
                *s = t;
                return parse_operand(at, s, &c->value2, err);
        }
        for (i = 0; i < ARRAY_SIZE(cmp_ops); i++)
                if (!strncmp(t, cmp_ops[i].text, strlen(cmp_ops[i].text)))
                        break;
        if (i == ARRAY_SIZE(cmp_ops))
                return fail(at, t, err, "unexpected %s, expected a comparison (==, !=, <, <=, >, "
                                        ">=) or a mask ('& VALUE ==') after arg%u",
                            seen(t, buf, sizeof(buf)), c->index);
        c->op = cmp_ops[i].op;
        c->value2 = 0;
        *s = t + strlen(cmp_ops[i].text);
        return parse_operand(at, s, &c->value, err);
}

/* One alternative: conditions joined by && (each argument at most once). */
struct alt {
        struct policy_arg_cond conds[6];
        unsigned n;
};

static int parse_and(const struct pos *at, const char **s, struct alt *a, rf_error *err)
{
        a->n = 0;
        for (;;) {
                const char *t = skip_ws(*s);
                struct policy_arg_cond c = { 0 };
                int r = parse_cond(at, s, &c, err);

                if (r < 0)
                        return r;
                for (unsigned k = 0; k < a->n; k++)
                        if (a->conds[k].index == c.index)
                                return fail(at, t, err, "arg%u is compared twice in one rule, "
                                                        "which seccomp cannot do, expected each "
                                                        "argument once between '||'", c.index);
                a->conds[a->n++] = c; /* at most 6: each of arg0..arg5 once */
                *s = skip_ws(*s);
                if (strncmp(*s, "&&", 2))
                        return 0;
                *s += 2;
        }
}

/* ---- seccomp rules -------------------------------------------------------------------------- */

static const struct {
        const char *key;
        enum policy_action action;
} rule_keys[] = { { "seccomp.allow", POLICY_ACT_ALLOW },   { "seccomp.deny", POLICY_ACT_ERRNO },
                  { "seccomp.report", POLICY_ACT_REPORT }, { "seccomp.kill", POLICY_ACT_KILL },
                  { "seccomp.errno", POLICY_ACT_ERRNO } };

/* Names and groups up to ':', an errno or the end; adds their system calls to names. */
static int parse_targets(const struct pos *at, const char **s, struct strv *names,
                         rf_error *err)
{
        const char *t = skip_ws(*s);
        char buf[48];
        size_t count = 0;

        for (;;) {
                char name[64];
                size_t n;

                if (count && *t == ',')
                        t = skip_ws(t + 1);
                else if (count && !islower((unsigned char)*t) && *t != '_' && *t != '@')
                        break; /* ':', an errno, the end, or what the caller complains of */
                if (*t == '@') {
                        const struct policy_group *g;
                        n = 1 + strspn(t + 1, "abcdefghijklmnopqrstuvwxyz0123456789-");
                        snprintf(name, sizeof(name), "%.*s", (int)n, t);
                        g = n > 1 ? policy_group_find(name) : NULL;
                        if (!g)
                                return fail(at, t, err, "unknown group '%.*s', expected one of "
                                                        "`ringfence policy groups` such as "
                                                        "@file-system", (int)n, t);
                        policy_group_expand(g, names);
                } else {
                        n = strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789_");
                        if (!n)
                                return fail(at, t, err, "unexpected %s, expected a system call "
                                                        "name such as openat or a group such as "
                                                        "@file-system", seen(t, buf, sizeof(buf)));
                        snprintf(name, sizeof(name), "%.*s", (int)n, t);
                        if (n >= sizeof(name) ||
                            seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
                                return fail(at, t, err, "unknown system call '%.*s', expected a "
                                                        "name such as openat, or a group such as "
                                                        "@file-system", (int)n, t);
                        strv_push(names, name);
                }
                count++;
                t = skip_ws(t + n);
        }
        *s = t;
        return 0;
}

/* An errno name or number at *s. */
static int parse_errno_word(const struct pos *at, const char **s, int *ret, rf_error *err)
{
        const char *t = skip_ws(*s);
        size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        char w[32];
        int e;

        if (!n)
                return fail(at, t, err, "expected an errno name such as ENOSYS after the system "
                                        "call");
        snprintf(w, sizeof(w), "%.*s", (int)n, t);
        if (isdigit((unsigned char)*w)) {
                e = atoi(w);
                if (n > 4 || e < 1 || e > 4094)
                        return fail(at, t, err, "errno %s is out of range, expected 1 to 4094", w);
        } else if ((e = policy_errno_from_name(w)) < 0) {
                return fail(at, t, err, "unknown errno name '%s', expected a name such as EPERM "
                                        "or ENOSYS", w);
        }
        *ret = e;
        *s = t + n;
        return 0;
}

/* KEY = TARGETS [ERRNO] [: COND (&& COND)* (|| ...)*] */
static int parse_rule(struct loader *l, const struct pos *at, size_t k, const char *v)
{
        enum policy_action action = rule_keys[k].action;
        bool with_errno = !strcmp(rule_keys[k].key, "seccomp.errno");
        _cleanup_free_ struct alt *alts = NULL;
        struct strv names = { 0 };
        size_t n_alts = 0, cap = 0;
        const char *s = v;
        char buf[48];
        int e = action == POLICY_ACT_KILL || action == POLICY_ACT_ALLOW ? 0 : EPERM, r;

        r = parse_targets(at, &s, &names, l->err);
        if (r >= 0 && with_errno)
                r = parse_errno_word(at, &s, &e, l->err);
        s = skip_ws(s);
        if (r >= 0 && *s == ':') {
                s++;
                for (;;) {
                        array_grow(&alts, &cap, n_alts + 1, sizeof(*alts));
                        r = parse_and(at, &s, &alts[n_alts++], l->err);
                        if (r < 0 || strncmp(s, "||", 2))
                                break;
                        s += 2;
                }
                if (r >= 0 && *s)
                        r = fail(at, s, l->err, "unexpected %s, expected '&&', '||' or the end of "
                                                "the line", seen(s, buf, sizeof(buf)));
        } else if (r >= 0 && *s) {
                r = fail(at, s, l->err, "unexpected %s, expected ':' and argument conditions, or "
                                        "the end of the line", seen(s, buf, sizeof(buf)));
        }
        for (size_t i = 0; r >= 0 && i < names.n; i++)
                for (size_t a = 0; r >= 0 && a < (n_alts ? n_alts : 1); a++) {
                        rf_error e2 = { 0 };
                        r = policy_add_syscall_rule(l->p, names.v[i], action, e,
                                                    n_alts ? alts[a].conds : NULL,
                                                    n_alts ? alts[a].n : 0, at->origin,
                                                    rule_keys[k].key, &e2);
                        if (r < 0)
                                r = fail(at, v, l->err, "%s", e2.msg);
                }
        strv_done(&names);
        return r;
}

/* Remove the rules of the calls in names (all rules when names is NULL). */
static void drop_rules(struct rf_policy *p, const struct strv *names)
{
        struct policy_seccomp *s = &p->seccomp;
        size_t j = 0;

        for (size_t i = 0; i < s->n_rules; i++) {
                bool drop = !names;
                for (size_t k = 0; names && !drop && k < names->n; k++)
                        drop = !strcmp(names->v[k], s->rules[i].name);
                if (drop) {
                        free(s->rules[i].name);
                        free(s->rules[i].origin);
                } else {
                        s->rules[j++] = s->rules[i];
                }
        }
        s->n_rules = j;
        p->seccomp_pristine = false;
}

/* clear seccomp [NAMES] | clear fs | clear env | clear fd */
static int parse_clear(struct loader *l, const struct pos *at, const char *v)
{
        size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyz");
        const char *rest = skip_ws(v + n);
        struct rf_policy *p = l->p;
        struct strv names = { 0 };
        bool some = *rest;
        char buf[48];
        int r = 0;

        if (n == 7 && !strncmp(v, "seccomp", 7)) {
                if (some && (r = parse_targets(at, &rest, &names, l->err)) >= 0 && *rest)
                        r = fail(at, rest, l->err, "unexpected %s, expected system call names "
                                                   "or groups", seen(rest, buf, sizeof(buf)));
                if (r >= 0)
                        drop_rules(p, some ? &names : NULL);
                strv_done(&names);
                return r;
        }
        if (*rest)
                return fail(at, rest, l->err, "unexpected %s, expected the end of the line after "
                                              "clear %.*s", seen(rest, buf, sizeof(buf)), (int)n, v);
        if (n == 2 && !strncmp(v, "fs", 2)) {
                for (size_t i = 0; i < p->n_fs; i++) {
                        free(p->fs[i].path);
                        free(p->fs[i].origin);
                }
                p->n_fs = 0;
        } else if (n == 3 && !strncmp(v, "env", 3)) {
                strv_done(&p->env_pass);
                strv_done(&p->env_set);
        } else if (n == 2 && !strncmp(v, "fd", 2)) {
                p->n_fds = 0;
        } else {
                return fail(at, v, l->err, "unexpected %s, expected seccomp, fs, env or fd after "
                                           "clear", seen(v, buf, sizeof(buf)));
        }
        return 0;
}

/* ---- settings ------------------------------------------------------------------------------- */

/* Expand $HOME, $PWD, $TMPDIR (also as ${NAME}) and $$ in v into *ret. */
static int expand_vars(const struct pos *at, const char *v, char **ret, rf_error *err)
{
        static const char *const names[] = { "HOME", "PWD", "TMPDIR" };
        char *buf = NULL, cwd[PATH_MAX];
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                rf_oom();
        for (const char *s = v; *s; s++) {
                const char *val = NULL, *name = s + 1 + (s[1] == '{');
                size_t n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0"
                                        "123456789"), i;

                if (*s != '$') {
                        fputc(*s, f);
                        continue;
                }
                if (s[1] == '$') {
                        fputc('$', f);
                        s++;
                        continue;
                }
                for (i = 0; i < ARRAY_SIZE(names); i++)
                        if (strlen(names[i]) == n && !strncmp(name, names[i], n))
                                break;
                if (i == ARRAY_SIZE(names) || (s[1] == '{' && name[n] != '}')) {
                        fclose(f);
                        free(buf);
                        if (i < ARRAY_SIZE(names))
                                return fail(at, s, err, "unterminated '${%.*s', expected '}' "
                                                        "after the name", (int)n, name);
                        return fail(at, s, err, "unknown variable '$%.*s', expected $HOME, $PWD "
                                                "or $TMPDIR ($$ for a '$')", (int)n, name);
                }
                if (i == 1)
                        val = getcwd(cwd, sizeof(cwd));
                else
                        val = getenv(names[i]);
                if (i == 2 && (!val || !*val))
                        val = "/tmp";
                if (!val || !*val) {
                        fclose(f);
                        free(buf);
                        return fail(at, s, err, "$%s is not set, expected it in ringfence's "
                                                "environment", names[i]);
                }
                fputs(val, f);
                s = name + n - 1 + (s[1] == '{');
        }
        if (fclose(f) != 0)
                rf_oom();
        *ret = buf;
        return 0;
}

/* identity: user, root, or caller (keep the caller's uid and gid, also as root). */
static int set_identity(struct loader *l, const struct pos *at, const char *v)
{
        bool caller = !strcmp(v, "caller");
        int r;

        if (strcmp(v, "user") && strcmp(v, "root") && !caller)
                return fail(at, v, l->err, "identity: invalid value '%s', expected user, root or "
                                           "caller", v);
        r = policy_set(l->p, "identity", caller ? "user" : v, NULL, l->err);
        if (r >= 0)
                l->p->caller_identity = caller;
        return r;
}

/* The key under which the trace keeps key = v. */
static void trace_setting(struct loader *l, const char *key, const char *v, const char *origin)
{
        char tk[128];

        /* Filesystem and seccomp rules keep their own origins. */
        if (!strncmp(key, "fs.", 3) || (!strncmp(key, "seccomp.", 8) &&
                                        strcmp(key, "seccomp.default")))
                return;
        if (!strcmp(key, "env.pass") || !strcmp(key, "fd"))
                snprintf(tk, sizeof(tk), "%s %s", key, v);
        else if (!strcmp(key, "env.set"))
                snprintf(tk, sizeof(tk), "%s %.*s", key, (int)strcspn(v, "="), v);
        else
                snprintf(tk, sizeof(tk), "%s", key);
        trace_record(l->trace, tk, origin);
        if (!strcmp(key, "net"))
                trace_record(l->trace, "namespace.net", origin);
        else if (!strcmp(key, "namespace.net"))
                trace_record(l->trace, "net", origin);
}

/* key = v, v a pointer into at->text; key_at points at the key (NULL: no position). */
static int apply_setting(struct loader *l, const struct pos *at, const char *key,
                         const char *key_at, const char *v)
{
        _cleanup_free_ char *expanded = NULL;
        rf_error e = { 0 };
        const char *msg;
        int r;

        for (size_t k = 0; k < ARRAY_SIZE(rule_keys); k++)
                if (!strcmp(key, rule_keys[k].key))
                        return parse_rule(l, at, k, v);
        if (!strcmp(key, "identity")) {
                r = set_identity(l, at, v);
                goto out;
        }
        if (!strncmp(key, "fs.", 3) || !strcmp(key, "cwd")) {
                if ((r = expand_vars(at, v, &expanded, l->err)) < 0)
                        return r;
                if (expanded[0] != '/')
                        return fail(at, v, l->err, "%s: '%s' is not an absolute path, expected one "
                                                   "such as /srv/data or $PWD/out", key, expanded);
        }
        r = policy_set(l->p, key, expanded ? expanded : v, at->origin, &e);
        if (r < 0) {
                /* policy_set says "ORIGIN: KEY: what"; the position replaces the origin. */
                msg = e.msg;
                if (at->origin && !strncmp(msg, at->origin, strlen(at->origin)) &&
                    !strncmp(msg + strlen(at->origin), ": ", 2))
                        msg += strlen(at->origin) + 2;
                return fail(at, !strncmp(msg, "unknown setting", 15) ? key_at : v, l->err, "%s",
                            msg);
        }
out:
        if (r >= 0)
                trace_setting(l, key, v, at->origin ? at->origin : "rf_policy_set");
        return r;
}

/* ---- files, names and built-ins ------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
        size_t n = strlen(s), m = strlen(suffix);
        return n >= m && !strcmp(s + n - m, suffix);
}

enum spec_kind { SPEC_DEFAULT, SPEC_NONE, SPEC_JSON, SPEC_FILE };

/* What spec names, and the path to read (*ret_path, for JSON and FILE). Relative paths are
 * taken from dir (NULL: the working directory); names are looked up as -p does. */
static int resolve(const struct pos *at, const char *where, const char *spec, const char *dir,
                   enum spec_kind *ret_kind, char **ret_path, rf_error *err)
{
        *ret_path = NULL;
        if (!*spec)
                return fail(at, where, err, "expected a policy name or path");
        if (!strchr(spec, '/') && !ends_with(spec, ".policy") && !ends_with(spec, ".json")) {
                char *inst = NULL, *local = NULL;
                if (!strcmp(spec, "default") || !strcmp(spec, "none")) {
                        *ret_kind = spec[0] == 'd' ? SPEC_DEFAULT : SPEC_NONE;
                        return 0;
                }
                *ret_kind = SPEC_FILE;
                if (asprintf(&inst, "%s/%s.policy", RF_POLICY_DIR, spec) < 0 ||
                    asprintf(&local, "policies/%s.policy", spec) < 0)
                        rf_oom();
                if (access(inst, R_OK) == 0) {
                        *ret_path = inst;
                        free(local);
                        return 0;
                }
                free(inst);
                if (access(local, R_OK) == 0) {
                        *ret_path = local;
                        return 0;
                }
                free(local);
                return fail(at, where, err, "no policy named '%s' in " RF_POLICY_DIR " or "
                                            "./policies, expected default, none, an installed "
                                            "name such as build, or a path", spec);
        }
        *ret_kind = ends_with(spec, ".json") ? SPEC_JSON : SPEC_FILE;
        if (spec[0] == '/' || !dir || !*dir || !strcmp(dir, "."))
                *ret_path = xstrdup(spec);
        else if (asprintf(ret_path, "%s/%s", dir, spec) < 0)
                rf_oom();
        return 0;
}

/* Fill p with the built-in "none": no sandbox at all. */
int policy_init_none(struct rf_policy *p, rf_error *err)
{
        /* The whole environment passes, as xargs would pass it: `none` is no sandbox. */
        static const char *const env_pass[] = { "*" };

        (void)err;
        memset(p, 0, sizeof(*p));
        p->namespaces = 0;
        p->net = POLICY_NET_HOST;
        p->caller_identity = true;
        for (size_t i = 0; i < ARRAY_SIZE(env_pass); i++)
                strv_push(&p->env_pass, env_pass[i]);
        p->seccomp.default_action = POLICY_ACT_ALLOW;
        return 0;
}

static int load_builtin(struct loader *l, enum spec_kind kind)
{
        struct rf_policy fresh;
        int r = kind == SPEC_DEFAULT ? policy_init_default(&fresh, l->err)
                                     : policy_init_none(&fresh, l->err);

        if (r < 0)
                return r;
        policy_done(l->p);
        *l->p = fresh;
        trace_reset(l->trace, kind == SPEC_DEFAULT ? "default policy" : "none policy");
        return 0;
}

static int load_json(struct loader *l, const struct pos *at, const char *where, const char *path)
{
        struct policy_seccomp_import info;
        rf_error e = { 0 };
        int r = policy_import_seccomp_json_info(l->p, path, &info, &e);

        if (r < 0 && !strstr(e.msg, "expected"))
                snprintf(e.msg + strlen(e.msg), sizeof(e.msg) - strlen(e.msg),
                         ", expected a Docker/OCI seccomp profile");
        if (r < 0)
                return at ? fail(at, where, l->err, "%s", e.msg)
                          : rf_error_set(l->err, r, "%s", e.msg);
        trace_record(l->trace, "seccomp.default", at ? at->origin : path);
        return 0;
}

static int load_file(struct loader *l, const char *path, const struct pos *from,
                     const char *where);

/* include SPEC | seccomp-json PATH: the argument is the rest of the line. */
static int parse_statement(struct loader *l, const struct pos *at, const char *word,
                           const char *arg)
{
        _cleanup_free_ char *dir = xstrdup(at->file), *path = NULL;
        enum spec_kind kind;
        int r;

        if (!strcmp(word, "clear"))
                return parse_clear(l, at, arg);
        if (!*arg)
                return fail(at, arg, l->err, "expected a %s after %s",
                            !strcmp(word, "include") ? "policy name or path" : "path", word);
        /* Paths are taken from the including file's folder. */
        *(strrchr(dir, '/') ? strrchr(dir, '/') : dir) = '\0';
        if (!strcmp(word, "seccomp-json")) {
                kind = SPEC_JSON;
                if (arg[0] == '/' || !*dir)
                        path = xstrdup(arg);
                else if (asprintf(&path, "%s/%s", dir, arg) < 0)
                        rf_oom();
        } else if ((r = resolve(at, arg, arg, dir, &kind, &path, l->err)) < 0) {
                return r;
        }
        if (kind == SPEC_DEFAULT || kind == SPEC_NONE)
                return load_builtin(l, kind);
        if (kind == SPEC_JSON)
                return load_json(l, at, arg, path);
        return load_file(l, path, at, arg);
}

static const char *const statements[] = { "include", "seccomp-json", "clear" };

/* One line of a file (modified in place: the comment is cut off). */
static int parse_line(struct loader *l, const struct pos *at, char *line)
{
        char *s = (char *)skip_ws(line), *end, *t, buf[48];
        size_t n;

        if (!*s || *s == '#')
                return 0;
        /* A comment starts at a '#' after a blank. */
        for (end = s; *end; end++)
                if (*end == '#' && (end[-1] == ' ' || end[-1] == '\t'))
                        break;
        while (end > s && isspace((unsigned char)end[-1]))
                end--;
        *end = '\0';
        n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-*");
        if (!n)
                return fail(at, s, l->err, "unexpected %s, expected a setting (KEY = VALUE), "
                                           "include, seccomp-json, clear or a comment",
                            seen(s, buf, sizeof(buf)));
        t = (char *)skip_ws(s + n);
        if (*t == '=') {
                char *key = strndupa(s, n), *v = (char *)skip_ws(t + 1);
                if (!*v)
                        return fail(at, v, l->err, "expected a value after '%s ='", key);
                return apply_setting(l, at, key, s, v);
        }
        for (size_t i = 0; i < ARRAY_SIZE(statements); i++)
                if (strlen(statements[i]) == n && !strncmp(s, statements[i], n) &&
                    (t > s + n || !*t))
                        return parse_statement(l, at, statements[i], t);
        if (!*t)
                return fail(at, t, l->err, "expected '= VALUE' after '%.*s'", (int)n, s);
        return fail(at, t, l->err, "unexpected %s after '%.*s', expected '='",
                    seen(t, buf, sizeof(buf)), (int)n, s);
}

/* "a -> b -> c" for the files from index i down, then path. */
static void cycle_text(const struct loader *l, size_t i, const char *path, char *buf,
                       size_t size)
{
        size_t n = 0;

        buf[0] = '\0';
        for (; i < l->depth && n < size; i++)
                n += (size_t)snprintf(buf + n, size - n, "%s -> ", l->chain[i]);
        if (n < size)
                snprintf(buf + n, size - n, "%s", path);
}

static int read_lines(struct loader *l, FILE *f, const char *path)
{
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        unsigned lineno = 0;
        char origin[PATH_MAX + 16];
        int r = 0;

        errno = 0;
        while (r >= 0 && (len = getline(&line, &cap, f)) >= 0) {
                struct pos at = { path, ++lineno, line, origin };
                if (len > 0 && line[len - 1] == '\n')
                        line[--len] = '\0';
                if (len > 0 && line[len - 1] == '\r')
                        line[--len] = '\0';
                snprintf(origin, sizeof(origin), "%s:%u", path, lineno);
                if (strlen(line) != (size_t)len)
                        r = fail(&at, line + strlen(line), l->err, "unexpected NUL byte, "
                                                                   "expected text");
                else
                        r = parse_line(l, &at, line);
        }
        if (r >= 0 && ferror(f)) {
                int e = errno ? errno : EIO;
                r = rf_error_set(l->err, -e, "cannot read policy file '%s': %s", path,
                                 strerror(e));
        }
        return r;
}

/* Read path (shown as it is written), included from position from (NULL: the top). */
static int load_file(struct loader *l, const char *path, const struct pos *from,
                     const char *where)
{
        _cleanup_fclose_ FILE *f = NULL;
        char *real, chain[200];
        int r, e;

        if (l->depth == MAX_DEPTH)
                return fail(from, where, l->err, "includes nested deeper than %d, expected fewer",
                            MAX_DEPTH);
        real = realpath(path, NULL);
        f = real ? fopen(real, "re") : NULL;
        if (!f) {
                e = errno;
                free(real);
                if (from)
                        return fail(from, where, l->err, "cannot read '%s': %s, expected a "
                                                         "readable policy file", path, strerror(e));
                return rf_error_set(l->err, -e, "cannot read policy file '%s': %s", path,
                                    strerror(e));
        }
        for (size_t i = 0; i < l->depth; i++)
                if (!strcmp(l->real[i], real)) {
                        free(real);
                        cycle_text(l, i, path, chain, sizeof(chain));
                        return fail(from, where, l->err, "include cycle: %s, expected files that "
                                                         "do not include each other", chain);
                }
        l->real[l->depth] = real;
        l->chain[l->depth++] = xstrdup(path);
        r = read_lines(l, f, path);
        l->depth--;
        free(l->real[l->depth]);
        free(l->chain[l->depth]);
        return r;
}

int policy_load_file(struct rf_policy *p, const char *path, rf_error *err)
{
        struct loader l = { .p = p, .err = err };

        if (!p || !path)
                return rf_error_set(err, -EINVAL, "policy_load_file: no policy or path");
        return load_file(&l, path, NULL, NULL);
}

int policy_load(struct rf_policy *p, const char *spec, struct policy_trace *trace,
                rf_error *err)
{
        struct loader l = { .p = p, .trace = trace, .err = err };
        struct pos top = { NULL, 0, spec, NULL };
        _cleanup_free_ char *path = NULL;
        enum spec_kind kind;
        int r;

        if (!p || !spec)
                return rf_error_set(err, -EINVAL, "policy_load: no policy or name");
        r = resolve(&top, spec, spec, NULL, &kind, &path, err);
        if (r < 0)
                return r;
        if (kind == SPEC_DEFAULT || kind == SPEC_NONE)
                return load_builtin(&l, kind);
        if (kind == SPEC_JSON)
                return load_json(&l, NULL, NULL, path);
        return load_file(&l, path, NULL, NULL);
}

int policy_set_value(struct rf_policy *p, const char *key, const char *value, const char *origin,
                     struct policy_trace *trace, rf_error *err)
{
        struct loader l = { .p = p, .trace = trace, .err = err };
        struct pos at = { NULL, 0, value, origin };

        if (!p || !key || !value)
                return rf_error_set(err, -EINVAL, "a setting needs a policy, a key and a value");
        return apply_setting(&l, &at, key, NULL, value);
}

int policy_parse_value(const char *s, uint64_t *ret)
{
        struct pos at = { NULL, 0, s, NULL };
        const char *t = s;

        if (parse_operand(&at, &t, ret, NULL) < 0 || *skip_ws(t))
                return -EINVAL;
        return 0;
}
