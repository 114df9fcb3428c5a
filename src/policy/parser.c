/* SPDX-License-Identifier: MIT */
/* The parser of the policy language (ringfence.policy(5)): `key = value` lines and `clear`,
 * seccomp rules with groups and argument conditions, settings with $HOME, $PWD and $TMPDIR;
 * include and seccomp-json go to loader.c. Every error a sentence at FILE:LINE:COLUMN. */
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
#include "policy/parse-internal.h"
#include "policy/policy.h"

/* ---- argument conditions -------------------------------------------------------------------- */

/* atom ( '|' atom )*: constants or'ed together (CLONE_NEWNS | CLONE_NEWUSER). */
static int parse_operand(const struct pos *at, const char **s, uint64_t *ret, rf_error *err)
{
        uint64_t v, all = 0;
        int r;

        for (;;) {
                if ((r = policy_lex_atom(at, s, &v, err)) < 0)
                        return r;
                all |= v;
                *s = policy_lex_skip_ws(*s);
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
        const char *t = policy_lex_skip_ws(*s);
        char buf[48];
        size_t i;
        int r;

        if (strncmp(t, "arg", 3) != 0 || t[3] < '0' || t[3] > '5' || isalnum((unsigned char)t[4]) ||
            t[4] == '_')
                return policy_lex_fail(at, t, err,
                                       "unexpected %s, expected an argument arg0 to arg5",
                                       policy_lex_seen(t, buf, sizeof(buf)));
        c->index = (unsigned)(t[3] - '0');
        t = policy_lex_skip_ws(t + 4);
        if (t[0] == '&' && t[1] != '&') {
                t++;
                if ((r = parse_operand(at, &t, &c->value, err)) < 0)
                        return r;
                if (strncmp(t, "==", 2) != 0)
                        return policy_lex_fail(at, t, err,
                                               "unexpected %s, expected '==' after the mask "
                                               "(seccomp compares masked arguments only for "
                                               "equality)",
                                               policy_lex_seen(t, buf, sizeof(buf)));
                t += 2;
                c->op = POLICY_CMP_MASKED_EQ;
                *s = t;
                return parse_operand(at, s, &c->value2, err);
        }
        for (i = 0; i < ARRAY_SIZE(cmp_ops); i++)
                if (!strncmp(t, cmp_ops[i].text, strlen(cmp_ops[i].text)))
                        break;
        if (i == ARRAY_SIZE(cmp_ops))
                return policy_lex_fail(at, t, err,
                                       "unexpected %s, expected a comparison (==, !=, <, <=, >, "
                                       ">=) or a mask ('& VALUE ==') after arg%u",
                                       policy_lex_seen(t, buf, sizeof(buf)), c->index);
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
                const char *t = policy_lex_skip_ws(*s);
                struct policy_arg_cond c = { 0 };
                int r = parse_cond(at, s, &c, err);

                if (r < 0)
                        return r;
                for (unsigned k = 0; k < a->n; k++)
                        if (a->conds[k].index == c.index)
                                return policy_lex_fail(at, t, err,
                                                       "arg%u is compared twice in one rule, "
                                                       "which seccomp cannot do, "
                                                       "expected each argument once between '||'",
                                                       c.index);
                a->conds[a->n++] = c; /* at most 6: each of arg0..arg5 once */
                *s = policy_lex_skip_ws(*s);
                if (strncmp(*s, "&&", 2) != 0)
                        return 0;
                *s += 2;
        }
}

/* ---- seccomp rules -------------------------------------------------------------------------- */

static const struct {
        const char *key;
        enum policy_action action;
} rule_keys[] = { { "seccomp.allow", POLICY_ACT_ALLOW },
                  { "seccomp.deny", POLICY_ACT_ERRNO },
                  { "seccomp.report", POLICY_ACT_REPORT },
                  { "seccomp.kill", POLICY_ACT_KILL },
                  { "seccomp.errno", POLICY_ACT_ERRNO } };

/* Names and groups up to ':', an errno or the end; adds their system calls to names. */
static int parse_targets(const struct pos *at, const char **s, struct strv *names, rf_error *err)
{
        const char *t = policy_lex_skip_ws(*s);
        char buf[48];
        size_t count = 0;

        for (;;) {
                char name[64];
                size_t n;

                if (count && *t == ',')
                        t = policy_lex_skip_ws(t + 1);
                else if (count && !islower((unsigned char)*t) && *t != '_' && *t != '@')
                        break; /* ':', an errno, the end, or what the caller complains of */
                if (*t == '@') {
                        const struct policy_group *g;
                        n = 1 + strspn(t + 1, "abcdefghijklmnopqrstuvwxyz0123456789-");
                        snprintf(name, sizeof(name), "%.*s", (int)n, t);
                        g = n > 1 ? policy_group_find(name) : NULL;
                        if (!g)
                                return policy_lex_fail(at, t, err,
                                                       "unknown group '%.*s', "
                                                       "expected one of `ringfence policy "
                                                       "groups` such as @file-system",
                                                       (int)n, t);
                        policy_group_expand(g, names);
                } else {
                        n = strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789_");
                        if (!n)
                                return policy_lex_fail(at, t, err,
                                                       "unexpected %s, expected a system call "
                                                       "name such as openat or a group such as "
                                                       "@file-system",
                                                       policy_lex_seen(t, buf, sizeof(buf)));
                        snprintf(name, sizeof(name), "%.*s", (int)n, t);
                        if (n >= sizeof(name) ||
                            seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
                                return policy_lex_fail(at, t, err,
                                                       "unknown system call '%.*s', "
                                                       "expected a name such as openat, "
                                                       "or a group such as @file-system",
                                                       (int)n, t);
                        strv_push(names, name);
                }
                count++;
                t = policy_lex_skip_ws(t + n);
        }
        *s = t;
        return 0;
}

/* An errno name or number at *s. */
static int parse_errno_word(const struct pos *at, const char **s, int *ret, rf_error *err)
{
        const char *t = policy_lex_skip_ws(*s);
        size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        char w[32];
        int e;

        if (!n)
                return policy_lex_fail(at, t, err,
                                       "expected an errno name such as ENOSYS after the system "
                                       "call");
        snprintf(w, sizeof(w), "%.*s", (int)n, t);
        if (isdigit((unsigned char)*w)) {
                e = atoi(w);
                if (n > 4 || e < 1 || e > 4094)
                        return policy_lex_fail(at, t, err,
                                               "errno %s is out of range, expected 1 to 4094", w);
        } else if ((e = policy_errno_from_name(w)) < 0) {
                return policy_lex_fail(at, t, err,
                                       "unknown errno name '%s', "
                                       "expected a name such as EPERM or ENOSYS",
                                       w);
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
        s = policy_lex_skip_ws(s);
        if (r >= 0 && *s == ':') {
                s++;
                for (;;) {
                        array_grow(&alts, &cap, n_alts + 1, sizeof(*alts));
                        r = parse_and(at, &s, &alts[n_alts++], l->err);
                        if (r < 0 || strncmp(s, "||", 2) != 0)
                                break;
                        s += 2;
                }
                if (r >= 0 && *s)
                        r = policy_lex_fail(at, s, l->err,
                                            "unexpected %s, expected '&&', "
                                            "'||' or the end of the line",
                                            policy_lex_seen(s, buf, sizeof(buf)));
        } else if (r >= 0 && *s) {
                r = policy_lex_fail(at, s, l->err,
                                    "unexpected %s, expected ':' and argument conditions, "
                                    "or the end of the line",
                                    policy_lex_seen(s, buf, sizeof(buf)));
        }
        for (size_t i = 0; r >= 0 && i < names.n; i++)
                for (size_t a = 0; r >= 0 && a < (n_alts ? n_alts : 1); a++) {
                        rf_error e2 = { 0 };
                        r = policy_add_syscall_rule(l->p, names.v[i], action, e,
                                                    n_alts ? alts[a].conds : NULL,
                                                    n_alts ? alts[a].n : 0, at->origin,
                                                    rule_keys[k].key, &e2);
                        if (r < 0)
                                r = policy_lex_fail(at, v, l->err, "%s", e2.msg);
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
        const char *rest = policy_lex_skip_ws(v + n);
        struct rf_policy *p = l->p;
        struct strv names = { 0 };
        bool some = *rest;
        char buf[48];
        int r = 0;

        if (n == 7 && !strncmp(v, "seccomp", 7)) {
                if (some && (r = parse_targets(at, &rest, &names, l->err)) >= 0 && *rest)
                        r = policy_lex_fail(at, rest, l->err,
                                            "unexpected %s, expected system call names or groups",
                                            policy_lex_seen(rest, buf, sizeof(buf)));
                if (r >= 0)
                        drop_rules(p, some ? &names : NULL);
                strv_done(&names);
                return r;
        }
        if (*rest)
                return policy_lex_fail(at, rest, l->err,
                                       "unexpected %s, expected the end of the line after "
                                       "clear %.*s",
                                       policy_lex_seen(rest, buf, sizeof(buf)), (int)n, v);
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
                return policy_lex_fail(at, v, l->err,
                                       "unexpected %s, expected seccomp, fs, env or fd after clear",
                                       policy_lex_seen(v, buf, sizeof(buf)));
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
                                        "123456789"),
                       i;

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
                                return policy_lex_fail(at, s, err,
                                                       "unterminated '${%.*s', "
                                                       "expected '}' after the name",
                                                       (int)n, name);
                        return policy_lex_fail(at, s, err,
                                               "unknown variable '$%.*s', "
                                               "expected $HOME, $PWD or $TMPDIR ($$ for a '$')",
                                               (int)n, name);
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
                        return policy_lex_fail(at, s, err,
                                               "$%s is not set, expected it in ringfence's "
                                               "environment",
                                               names[i]);
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

        if (strcmp(v, "user") != 0 && strcmp(v, "root") != 0 && !caller)
                return policy_lex_fail(at, v, l->err,
                                       "identity: invalid value '%s', "
                                       "expected user, root or caller",
                                       v);
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
        if (!strncmp(key, "fs.", 3) ||
            (!strncmp(key, "seccomp.", 8) && strcmp(key, "seccomp.default") != 0))
                return;
        if (!strcmp(key, "env.pass") || !strcmp(key, "fd"))
                snprintf(tk, sizeof(tk), "%s %s", key, v);
        else if (!strcmp(key, "env.set"))
                snprintf(tk, sizeof(tk), "%s %.*s", key, (int)strcspn(v, "="), v);
        else
                snprintf(tk, sizeof(tk), "%s", key);
        policy_trace_record(l->trace, tk, origin);
        if (!strcmp(key, "net"))
                policy_trace_record(l->trace, "namespace.net", origin);
        else if (!strcmp(key, "namespace.net"))
                policy_trace_record(l->trace, "net", origin);
}

/* Make *path (v expanded) absolute. A relative fs.* path given as a single value (a flag,
 * --set, rf_policy_set) is joined to the working directory, as bwrap and docker -v take it; in
 * a file it is an error, as is a relative cwd: a file must mean the same wherever it is read,
 * and says $PWD/out when it means the working directory. Nothing is resolved on disk. */
static int absolute_path(const struct pos *at, const char *key, const char *v, char **path,
                         rf_error *err)
{
        char cwd[PATH_MAX], *joined = NULL;

        if ((*path)[0] == '/')
                return 0;
        if (at->file || !(*path)[0] || strncmp(key, "fs.", 3) != 0)
                return policy_lex_fail(at, v, err,
                                       "%s: '%s' is not an absolute path, "
                                       "expected one such as /srv/data or $PWD/out",
                                       key, *path);
        if (!getcwd(cwd, sizeof(cwd)))
                return policy_lex_fail(at, v, err,
                                       "%s: '%s' cannot be taken from the working directory (%s), "
                                       "expected an absolute path",
                                       key, *path, strerror(errno));
        if (asprintf(&joined, "%s/%s", cwd, *path) < 0)
                rf_oom();
        free(*path);
        *path = joined;
        return 0;
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
                if ((r = absolute_path(at, key, v, &expanded, l->err)) < 0)
                        return r;
        }
        r = policy_set(l->p, key, expanded ? expanded : v, at->origin, &e);
        if (r < 0) {
                /* policy_set says "ORIGIN: KEY: what"; the position replaces the origin. */
                msg = e.msg;
                if (at->origin && !strncmp(msg, at->origin, strlen(at->origin)) &&
                    !strncmp(msg + strlen(at->origin), ": ", 2))
                        msg += strlen(at->origin) + 2;
                return policy_lex_fail(at, !strncmp(msg, "unknown setting", 15) ? key_at : v,
                                       l->err, "%s", msg);
        }
out:
        if (r >= 0)
                trace_setting(l, key, v, at->origin ? at->origin : "rf_policy_set");
        return r;
}

static const char *const statements[] = { "include", "seccomp-json", "clear" };

int policy_parse_line(struct loader *l, const struct pos *at, char *line)
{
        char *s = policy_lex_cut(line), *t, buf[48];
        size_t n;

        if (!s)
                return 0;
        l->n_lines++;
        n = policy_lex_word(s);
        if (!n)
                return policy_lex_fail(at, s, l->err,
                                       "unexpected %s, expected a setting (KEY = VALUE), "
                                       "include, seccomp-json, clear or a comment",
                                       policy_lex_seen(s, buf, sizeof(buf)));
        t = (char *)policy_lex_skip_ws(s + n);
        if (*t == '=') {
                char *key = strndupa(s, n), *v = (char *)policy_lex_skip_ws(t + 1);
                if (!*v)
                        return policy_lex_fail(at, v, l->err, "expected a value after '%s ='", key);
                return apply_setting(l, at, key, s, v);
        }
        for (size_t i = 0; i < ARRAY_SIZE(statements); i++)
                if (strlen(statements[i]) == n && !strncmp(s, statements[i], n) &&
                    (t > s + n || !*t)) {
                        if (!strcmp(statements[i], "clear"))
                                return parse_clear(l, at, t);
                        if (!*t)
                                return policy_lex_fail(at, t, l->err, "expected a %s after %s",
                                                       i == 0 ? "policy name or path" : "path",
                                                       statements[i]);
                        return policy_include(l, at, statements[i], t);
                }
        if (!*t)
                return policy_lex_fail(at, t, l->err, "expected '= VALUE' after '%.*s'", (int)n, s);
        return policy_lex_fail(at, t, l->err, "unexpected %s after '%.*s', expected '='",
                               policy_lex_seen(t, buf, sizeof(buf)), (int)n, s);
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

        if (parse_operand(&at, &t, ret, NULL) < 0 || *policy_lex_skip_ws(t))
                return -EINVAL;
        return 0;
}
