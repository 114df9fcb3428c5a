/* SPDX-License-Identifier: MIT */
/* policy_set: one table of setting keys, each with the function that checks and applies a value.
 * Later settings override earlier ones; list settings (fs.*, env.*, fd, seccomp rules) append. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "base/parse.h"
#include "policy/policy.h"

struct setting;
typedef int (*setter)(struct rf_policy *p, const struct setting *s, const char *v,
                      const char *origin, rf_error *err);

/* One key: its name, its setter, and what the setter needs to know. */
struct setting {
        const char *key;
        setter set;
        unsigned arg; /* namespace bit, fs kind or policy action */
        size_t off;   /* limits: offset of the field in struct policy_limits */
        uint64_t max; /* counted limits: the largest value */
        uint64_t min; /* limits: the smallest value other than none (0: none) */
};

static int invalid(rf_error *err, const struct setting *s, const char *v, const char *expected)
{
        return rf_error_set(err, -EINVAL, "%s: invalid value '%s', expected %s", s->key, v,
                            expected);
}

static int set_namespace(struct rf_policy *p, const struct setting *s, const char *v,
                         const char *origin, rf_error *err)
{
        (void)origin;
        if (!strcmp(v, "on"))
                p->namespaces |= s->arg;
        else if (!strcmp(v, "off"))
                p->namespaces &= ~s->arg;
        else
                return invalid(err, s, v, "on or off");
        /* Keep net and namespace.net telling the same story: no namespace is the host network. */
        if (s->arg == POLICY_NS_NET) {
                if (!(p->namespaces & POLICY_NS_NET))
                        p->net = POLICY_NET_HOST;
                else if (p->net == POLICY_NET_HOST)
                        p->net = POLICY_NET_NONE;
        }
        return 0;
}

static int set_net(struct rf_policy *p, const struct setting *s, const char *v, const char *origin,
                   rf_error *err)
{
        (void)origin;
        /* none and loopback are the same: a private network namespace with only its own
         * loopback up. Both names are kept because people look for either. */
        if (!strcmp(v, "none"))
                p->net = POLICY_NET_NONE;
        else if (!strcmp(v, "loopback"))
                p->net = POLICY_NET_LOOPBACK;
        else if (!strcmp(v, "host"))
                p->net = POLICY_NET_HOST;
        else
                return invalid(err, s, v, "none, loopback or host");
        if (p->net == POLICY_NET_HOST)
                p->namespaces &= ~(unsigned)POLICY_NS_NET;
        else
                p->namespaces |= POLICY_NS_NET;
        return 0;
}

static int set_fs(struct rf_policy *p, const struct setting *s, const char *v, const char *origin,
                  rf_error *err)
{
        return policy_add_fs_rule(p, (enum policy_fs_kind)s->arg, v, origin, s->key, err);
}

static int set_identity(struct rf_policy *p, const struct setting *s, const char *v,
                        const char *origin, rf_error *err)
{
        (void)origin;
        if (!strcmp(v, "user"))
                p->as_root = false;
        else if (!strcmp(v, "root"))
                p->as_root = true;
        else
                return invalid(err, s, v, "user or root");
        return 0;
}

static int set_hostname(struct rf_policy *p, const struct setting *s, const char *v,
                        const char *origin, rf_error *err)
{
        size_t n = strlen(v);

        (void)origin;
        if (n < 1 || n >= sizeof(p->hostname) ||
            strspn(v, "abcdefghijklmnopqrstuvwxyz"
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789.-_") != n)
                return invalid(err, s, v, "1 to 63 letters, digits, '.', '-' or '_'");
        memcpy(p->hostname, v, n + 1);
        p->hostname_set = true;
        return 0;
}

static int set_cwd(struct rf_policy *p, const struct setting *s, const char *v, const char *origin,
                   rf_error *err)
{
        char *norm = NULL;

        (void)origin;
        if (policy_normalize_path(v, &norm) < 0)
                return rf_error_set(err, -EINVAL, "%s: '%s' is not an absolute path", s->key, v);
        free(p->cwd);
        p->cwd = norm;
        return 0;
}

/* [A-Za-z_][A-Za-z0-9_]* over the first n bytes of s. */
static bool env_name_ok(const char *s, size_t n)
{
        if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
                return false;
        for (size_t i = 1; i < n; i++)
                if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
                        return false;
        return true;
}

static bool strv_contains(const struct strv *sv, const char *s)
{
        for (size_t i = 0; i < sv->n; i++)
                if (!strcmp(sv->v[i], s))
                        return true;
        return false;
}

static int set_env_pass(struct rf_policy *p, const struct setting *s, const char *v,
                        const char *origin, rf_error *err)
{
        size_t n = strlen(v);

        (void)origin;
        if (n > 0 && v[n - 1] == '*')
                n--;
        /* A lone star: every variable (the policy `none`); an empty value names nothing. */
        if (!*v || (n > 0 && !env_name_ok(v, n)))
                return invalid(err, s, v,
                               "a variable name such as LANG, a prefix such as LC_*, or *");
        if (!strv_contains(&p->env_pass, v))
                strv_push(&p->env_pass, v);
        return 0;
}

static int set_env_set(struct rf_policy *p, const struct setting *s, const char *v,
                       const char *origin, rf_error *err)
{
        const char *eq = strchr(v, '=');
        size_t n;

        (void)origin;
        if (!eq || !env_name_ok(v, (size_t)(eq - v)))
                return invalid(err, s, v, "NAME=VALUE with a name such as MY_VAR");
        n = (size_t)(eq - v) + 1;
        for (size_t i = 0; i < p->env_set.n; i++)
                if (!strncmp(p->env_set.v[i], v, n)) {
                        free(p->env_set.v[i]);
                        p->env_set.v[i] = xstrdup(v);
                        return 0;
                }
        strv_push(&p->env_set, v);
        return 0;
}

static int set_fd(struct rf_policy *p, const struct setting *s, const char *v, const char *origin,
                  rf_error *err)
{
        uint64_t fd;
        int r;

        (void)origin;
        r = parse_uint(v, s->key, 0, 1023, &fd, err);
        if (r < 0)
                return r;
        for (size_t i = 0; i < p->n_fds; i++)
                if (p->fds[i] == (int)fd)
                        return 0;
        array_grow(&p->fds, &p->cap_fds, p->n_fds + 1, sizeof(*p->fds));
        p->fds[p->n_fds++] = (int)fd;
        return 0;
}

static uint64_t *limit_field(struct rf_policy *p, const struct setting *s)
{
        return (uint64_t *)((char *)&p->limits + s->off);
}

static bool clears(const char *v)
{
        return !strcmp(v, "none") || !strcmp(v, "0");
}

static int set_duration(struct rf_policy *p, const struct setting *s, const char *v,
                        const char *origin, rf_error *err)
{
        uint64_t ms;
        int r;

        (void)origin;
        if (clears(v)) {
                *limit_field(p, s) = 0;
                return 0;
        }
        r = parse_duration_ms(v, s->key, &ms, err);
        if (r < 0)
                return r;
        *limit_field(p, s) = ms;
        return 0;
}

static int set_size(struct rf_policy *p, const struct setting *s, const char *v, const char *origin,
                    rf_error *err)
{
        uint64_t bytes;
        int r;

        (void)origin;
        if (clears(v)) {
                *limit_field(p, s) = 0;
                return 0;
        }
        r = parse_size(v, s->key, &bytes, err);
        if (r < 0)
                return r;
        if (bytes < s->min)
                return rf_error_set(err, -EINVAL,
                                    "%s: '%s' is too small to start a process, expected at least "
                                    "%lluM or none",
                                    s->key, v, (unsigned long long)(s->min >> 20));
        *limit_field(p, s) = bytes;
        return 0;
}

static int set_count(struct rf_policy *p, const struct setting *s, const char *v,
                     const char *origin, rf_error *err)
{
        uint64_t n;
        int r;

        (void)origin;
        /* Only none clears a count: 0 is outside the range that the error states. */
        if (!strcmp(v, "none")) {
                *limit_field(p, s) = 0;
                return 0;
        }
        r = parse_uint(v, s->key, 1, s->max, &n, err);
        if (r < 0)
                return r;
        *limit_field(p, s) = n;
        return 0;
}

/* An errno given by name ("ENOSYS") or number; returns it or -EINVAL. */
static int parse_errno(const char *v)
{
        uint64_t n;

        if (isdigit((unsigned char)v[0]))
                return parse_uint(v, "errno", 1, 4094, &n, NULL) < 0 ? -EINVAL : (int)n;
        return policy_errno_from_name(v);
}

static int unknown_errno(rf_error *err, const struct setting *s, const char *name)
{
        if (isdigit((unsigned char)name[0]))
                return rf_error_set(err, -EINVAL,
                                    "%s: errno '%s' is out of range, expected 1 to 4094", s->key,
                                    name);
        return rf_error_set(err, -EINVAL,
                            "%s: unknown errno name '%s', expected a name such as EPERM or ENOSYS",
                            s->key, name);
}

/* Split "WORD REST" at the first run of blanks: *ret_rest points into the copy, or NULL when
 * there is a single word. Returns the copy (to free) or NULL for an empty value. */
static char *split_word(const char *v, char **ret_rest)
{
        char *copy = xstrdup(v), *sp = copy + strcspn(copy, " \t");

        *ret_rest = NULL;
        if (*sp) {
                *sp++ = '\0';
                sp += strspn(sp, " \t");
                *ret_rest = sp;
        }
        return copy;
}

static int set_seccomp_default(struct rf_policy *p, const struct setting *s, const char *v,
                               const char *origin, rf_error *err)
{
        static const char expected[] = "allow, kill, report or errno NAME (such as errno EPERM)";
        _cleanup_free_ char *word = NULL;
        char *rest;
        int e;

        (void)origin;
        word = split_word(v, &rest);
        if (!strcmp(word, "errno") && rest && *rest && !rest[strcspn(rest, " \t")]) {
                e = parse_errno(rest);
                if (e < 0)
                        return unknown_errno(err, s, rest);
                p->seccomp.default_action = POLICY_ACT_ERRNO;
                p->seccomp.default_errno = e;
                return 0;
        }
        if (rest)
                return invalid(err, s, v, expected);
        if (!strcmp(word, "allow"))
                p->seccomp.default_action = POLICY_ACT_ALLOW;
        else if (!strcmp(word, "kill"))
                p->seccomp.default_action = POLICY_ACT_KILL;
        else if (!strcmp(word, "report"))
                p->seccomp.default_action = POLICY_ACT_REPORT;
        else
                return invalid(err, s, v, expected);
        p->seccomp.default_errno = p->seccomp.default_action == POLICY_ACT_REPORT ? EPERM : 0;
        return 0;
}

static int set_seccomp_rule(struct rf_policy *p, const struct setting *s, const char *v,
                            const char *origin, rf_error *err)
{
        return policy_add_syscall_rule(p, v, (enum policy_action)s->arg, EPERM, NULL, 0, origin,
                                       s->key, err);
}

static int set_seccomp_errno(struct rf_policy *p, const struct setting *s, const char *v,
                             const char *origin, rf_error *err)
{
        _cleanup_free_ char *name = NULL;
        char *rest;
        int e;

        name = split_word(v, &rest);
        if (!rest || !*rest || rest[strcspn(rest, " \t")])
                return invalid(err, s, v,
                               "a system call and an errno name such as 'clone3 ENOSYS'");
        e = parse_errno(rest);
        if (e < 0)
                return unknown_errno(err, s, rest);
        return policy_add_syscall_rule(p, name, POLICY_ACT_ERRNO, e, NULL, 0, origin, s->key, err);
}

/* The smallest memory limit: a static /bin/true (int main(void) { return 0; }, gcc -static)
 * under the default policy started from 256K with the cgroup (v1) and from 1M with the rlimit
 * (RLIMIT_AS, ringfence run as uid 65534); a dynamic /bin/true needed over 2M with the rlimit.
 * 4M leaves a margin over all three (found with `ringfence run --memory N`, N halved). */
#define MIN_MEMORY (4ULL << 20)

/* clang-format off */
#define NS(k, bit) { "namespace." k, set_namespace, bit, 0, 0, 0 }
#define LIMIT(k, fn, field, max) \
        { "limit." k, fn, 0, offsetof(struct policy_limits, field), max, 0 }
/* clang-format on */

static const struct setting settings[] = {
        NS("user", POLICY_NS_USER),
        NS("pid", POLICY_NS_PID),
        NS("mount", POLICY_NS_MOUNT),
        NS("ipc", POLICY_NS_IPC),
        NS("uts", POLICY_NS_UTS),
        NS("net", POLICY_NS_NET),
        NS("cgroup", POLICY_NS_CGROUP),
        { "net", set_net, 0, 0, 0, 0 },
        { "fs.ro", set_fs, POLICY_FS_RO, 0, 0, 0 },
        { "fs.rw", set_fs, POLICY_FS_RW, 0, 0, 0 },
        { "fs.hide", set_fs, POLICY_FS_HIDE, 0, 0, 0 },
        { "fs.tmpfs", set_fs, POLICY_FS_TMPFS, 0, 0, 0 },
        { "identity", set_identity, 0, 0, 0, 0 },
        { "hostname", set_hostname, 0, 0, 0, 0 },
        { "cwd", set_cwd, 0, 0, 0, 0 },
        { "env.pass", set_env_pass, 0, 0, 0, 0 },
        { "env.set", set_env_set, 0, 0, 0, 0 },
        { "fd", set_fd, 0, 0, 0, 0 },
        LIMIT("timeout", set_duration, timeout_ms, 0),
        LIMIT("cpu-time", set_duration, cpu_ms, 0),
        { "limit.memory", set_size, 0, offsetof(struct policy_limits, memory), 0, MIN_MEMORY },
        LIMIT("file-size", set_size, file_size, 0),
        LIMIT("output", set_size, output, 0),
        LIMIT("tmp-size", set_size, tmp_size, 0),
        LIMIT("pids", set_count, pids, 4194304),
        LIMIT("files", set_count, files, 1048576),
        { "seccomp.default", set_seccomp_default, 0, 0, 0, 0 },
        { "seccomp.allow", set_seccomp_rule, POLICY_ACT_ALLOW, 0, 0, 0 },
        { "seccomp.deny", set_seccomp_rule, POLICY_ACT_ERRNO, 0, 0, 0 },
        { "seccomp.report", set_seccomp_rule, POLICY_ACT_REPORT, 0, 0, 0 },
        { "seccomp.kill", set_seccomp_rule, POLICY_ACT_KILL, 0, 0, 0 },
        { "seccomp.errno", set_seccomp_errno, 0, 0, 0, 0 },
};

/* The error for an unknown key. All keys do not fit in one rf_error message, so a key of a known
 * family ("limit.memroy") lists that family's keys, and any other key lists the families. */
static int unknown_key(const char *key, rf_error *err)
{
        const char *dot = strchr(key, '.');
        size_t fam = dot ? (size_t)(dot - key) + 1 : 0;
        char list[200] = "";
        size_t len = 0;

        for (size_t i = 0; fam && i < ARRAY_SIZE(settings); i++)
                if (!strncmp(settings[i].key, key, fam))
                        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
                                                len ? ", " : "", settings[i].key);
        if (len == 0)
                snprintf(list, sizeof(list),
                         "namespace.*, net, fs.*, identity, hostname, cwd, "
                         "env.*, fd, limit.*, seccomp.*");
        return rf_error_set(err, -EINVAL, "unknown setting '%.60s', expected one of: %s", key,
                            list);
}

/* Look key up in the table and apply value; errors are prefixed with origin. */
int policy_set(struct rf_policy *p, const char *key, const char *value, const char *origin,
               rf_error *err)
{
        const struct setting *s = NULL;
        int r;

        if (!p || !key)
                return rf_error_set(err, -EINVAL, "a setting needs a policy and a key");
        for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
                if (!strcmp(settings[i].key, key)) {
                        s = &settings[i];
                        break;
                }
        /* Every seccomp.* key may change the rules or the default action: the programs compiled
         * at build time no longer stand for p (also when the value turns out wrong). */
        if (s && !strncmp(s->key, "seccomp.", strlen("seccomp.")))
                p->seccomp_pristine = false;
        if (!s)
                r = unknown_key(key, err);
        else if (!value)
                r = rf_error_set(err, -EINVAL, "%s: a value is required", key);
        else
                r = s->set(p, s, value, origin, err);
        if (r < 0 && origin)
                rf_error_prefix(err, "%s", origin);
        return r;
}
