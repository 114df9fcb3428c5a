/* SPDX-License-Identifier: MIT */
/* `ringfence policy show`: a policy written back as a policy file, each setting with where it
 * came from; and the pieces of text (rules, errnos, the default action) that explain.c and
 * bpf-text.c share. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/policy.h"
#include "policy/text-internal.h"

/* A number as policies write it: small ones in decimal, others in hex. */
static void put_num(FILE *f, uint64_t v)
{
        fprintf(f, v < 10 ? "%llu" : "0x%llx", (unsigned long long)v);
}

void policy_text_errno(FILE *f, int e)
{
        const char *name = strerrorname_np(e);
        if (name)
                fputs(name, f);
        else
                fprintf(f, "%d", e);
}

/* "ioctl: arg1 & 0xffffffff == 0x5412" (the part after the key). */
void policy_text_rule_target(FILE *f, const struct policy_syscall_rule *r)
{
        static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };

        fputs(r->name, f);
        if (r->action == POLICY_ACT_ERRNO && r->errno_val != EPERM) {
                fputc(' ', f);
                policy_text_errno(f, r->errno_val);
        }
        for (unsigned k = 0; k < r->n_conds; k++) {
                const struct policy_arg_cond *c = &r->conds[k];
                fprintf(f, k ? " && arg%u " : ": arg%u ", c->index);
                if (c->op == POLICY_CMP_MASKED_EQ) {
                        fputs("& ", f);
                        put_num(f, c->value);
                        fputs(" == ", f);
                        put_num(f, c->value2);
                } else {
                        fprintf(f, "%s ", c->op < ARRAY_SIZE(ops) ? ops[c->op] : "==");
                        put_num(f, c->value);
                }
        }
}

const char *policy_text_rule_key(const struct policy_syscall_rule *r)
{
        switch (r->action) {
        case POLICY_ACT_ALLOW:
                return "seccomp.allow";
        case POLICY_ACT_ERRNO:
                return r->errno_val == EPERM ? "seccomp.deny" : "seccomp.errno";
        case POLICY_ACT_REPORT:
                return "seccomp.report";
        case POLICY_ACT_KILL:
                break;
        }
        return "seccomp.kill";
}

/* Write the line "key = <what fmt says>" padded to a column, then "# from origin". */
/* clang-format off */
__attribute__((format(printf, 3, 4))) static void show(FILE *f, const char *origin,
                                                       const char *fmt, ...)
/* clang-format on */
{
        char line[1024];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        fprintf(f, "%-40s # from %s\n", line, origin);
}

static void show_duration(FILE *f, const char *key, uint64_t ms, const char *origin)
{
        static const struct {
                uint64_t ms;
                const char *unit;
        } units[] = { { 3600000, "h" }, { 60000, "m" }, { 1000, "s" }, { 1, "ms" } };

        for (size_t i = 0; ms && i < ARRAY_SIZE(units); i++)
                if (ms % units[i].ms == 0) {
                        show(f, origin, "%s = %llu%s", key, (unsigned long long)(ms / units[i].ms),
                             units[i].unit);
                        return;
                }
        show(f, origin, "%s = none", key);
}

static void show_size(FILE *f, const char *key, uint64_t b, const char *origin)
{
        static const char units[] = "TGMK";

        for (int i = 0; b && i < 4; i++)
                if (b % (1ULL << (10 * (4 - i))) == 0) {
                        show(f, origin, "%s = %llu%c", key,
                             (unsigned long long)(b >> (10 * (4 - i))), units[i]);
                        return;
                }
        if (b)
                show(f, origin, "%s = %llu", key, (unsigned long long)b);
        else
                show(f, origin, "%s = none", key);
}

/* "seccomp.default = errno ENOSYS" */
void policy_text_default(const struct policy_seccomp *s, char *buf, size_t size)
{
        const char *name = s->default_action == POLICY_ACT_ERRNO ? strerrorname_np(s->default_errno)
                                                                 : NULL;

        snprintf(buf, size, "seccomp.default = %s%s%s", policy_action_name(s->default_action),
                 name ? " " : "", name ? name : "");
}

static void show_seccomp_default(FILE *f, const struct policy_seccomp *s, const char *origin)
{
        char text[64];

        policy_text_default(s, text, sizeof(text));
        show(f, origin, "%s", text);
}

void policy_show(FILE *f, const char *spec, const struct rf_policy *p, const struct policy_trace *t)
{
        static const char *const ns[] = { "user", "pid", "mount", "ipc", "uts", "net", "cgroup" };
        static const char *const nets[] = { "none", "loopback", "host" };
        const struct policy_limits *l = &p->limits;
        char key[128];

        fprintf(f,
                "# The effective policy of %s (ringfence policy show): each setting with "
                "where it came\n# from. Loaded with -p, this file gives the same policy.\n",
                spec);
#define FROM(k) policy_trace_origin(t, k)
        for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
                snprintf(key, sizeof(key), "namespace.%s", ns[i]);
                show(f, FROM(key), "%s = %s", key, p->namespaces & (1u << i) ? "on" : "off");
        }
        show(f, FROM("net"), "net = %s", nets[p->net]);
        show(f, FROM("identity"), "identity = %s",
             p->caller_identity ? "caller"
             : p->as_root       ? "root"
                                : "user");
        if (p->hostname_set)
                show(f, FROM("hostname"), "hostname = %s", p->hostname);
        if (p->cwd)
                show(f, FROM("cwd"), "cwd = %s", p->cwd);
        fputs("clear env\n", f);
        for (size_t i = 0; i < p->env_pass.n; i++) {
                snprintf(key, sizeof(key), "env.pass %s", p->env_pass.v[i]);
                show(f, FROM(key), "env.pass = %s", p->env_pass.v[i]);
        }
        for (size_t i = 0; i < p->env_set.n; i++) {
                snprintf(key, sizeof(key), "env.set %.*s", (int)strcspn(p->env_set.v[i], "="),
                         p->env_set.v[i]);
                show(f, FROM(key), "env.set = %s", p->env_set.v[i]);
        }
        fputs("clear fd\n", f);
        for (size_t i = 0; i < p->n_fds; i++) {
                snprintf(key, sizeof(key), "fd %d", p->fds[i]);
                show(f, FROM(key), "fd = %d", p->fds[i]);
        }
        fputs("clear fs\n", f);
        for (size_t i = 0; i < p->n_fs; i++) {
                static const char *const kinds[] = { "ro", "rw", "hide", "tmpfs" };
                show(f, p->fs[i].origin, "fs.%s = %s", kinds[p->fs[i].kind], p->fs[i].path);
        }
        show_duration(f, "limit.timeout", l->timeout_ms, FROM("limit.timeout"));
        show_duration(f, "limit.cpu-time", l->cpu_ms, FROM("limit.cpu-time"));
        show_size(f, "limit.memory", l->memory, FROM("limit.memory"));
        show(f, FROM("limit.pids"), l->pids ? "limit.pids = %llu" : "limit.pids = none",
             (unsigned long long)l->pids);
        show(f, FROM("limit.files"), l->files ? "limit.files = %llu" : "limit.files = none",
             (unsigned long long)l->files);
        show_size(f, "limit.file-size", l->file_size, FROM("limit.file-size"));
        show_size(f, "limit.output", l->output, FROM("limit.output"));
        show_size(f, "limit.tmp-size", l->tmp_size, FROM("limit.tmp-size"));
        show_seccomp_default(f, &p->seccomp, FROM("seccomp.default"));
#undef FROM
        fputs("clear seccomp\n", f);
        for (size_t i = 0; i < p->seccomp.n_rules; i++) {
                const struct policy_syscall_rule *r = &p->seccomp.rules[i];
                _cleanup_free_ char *target = NULL;
                size_t n = 0;
                FILE *m = open_memstream(&target, &n);

                if (!m)
                        rf_oom();
                policy_text_rule_target(m, r);
                fclose(m);
                show(f, r->origin, "%s = %s", policy_text_rule_key(r), target);
        }
}
