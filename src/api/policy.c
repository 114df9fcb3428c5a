/* SPDX-License-Identifier: MIT */
/* The public policy calls: thin wrappers over the policy module that check their arguments, and
 * the text of `ringfence policy show`, `explain` and `bpf` (the policy as a person reads it). */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdarg.h>
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
 * language's terms: seccomp groups and argument conditions, $HOME/$PWD/$TMPDIR in paths. */
RF_EXPORT int rf_policy_set(rf_policy *p, const char *key, const char *value, const char *origin,
                            rf_error *err)
{
        if (!p || !key || !value)
                return rf_error_set(err, -EINVAL, "rf_policy_set: the policy, key and value must "
                                                  "not be NULL");
        return policy_set_value(p, key, value, origin, NULL, err);
}

/* ---- policy files ------------------------------------------------------------------------ */

/* Apply spec onto p (rf_policy_load in ringfence.h). */
RF_EXPORT int rf_policy_load(rf_policy *p, const char *spec, rf_error *err)
{
        if (!p || !spec)
                return rf_error_set(err, -EINVAL, "rf_policy_load: the policy and the name must "
                                                  "not be NULL");
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

RF_EXPORT int rf_policy_check(const char *spec, size_t *ret_rules, size_t *ret_insns,
                              rf_error *err)
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

/* A number as policies write it: small ones in decimal, others in hex. */
static void put_num(FILE *f, uint64_t v)
{
        fprintf(f, v < 10 ? "%llu" : "0x%llx", (unsigned long long)v);
}

static void put_errno(FILE *f, int e)
{
        const char *name = strerrorname_np(e);
        if (name)
                fputs(name, f);
        else
                fprintf(f, "%d", e);
}

/* "ioctl: arg1 & 0xffffffff == 0x5412" (the part after the key). */
static void put_rule_target(FILE *f, const struct policy_syscall_rule *r)
{
        static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };

        fputs(r->name, f);
        if (r->action == POLICY_ACT_ERRNO && r->errno_val != EPERM) {
                fputc(' ', f);
                put_errno(f, r->errno_val);
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

static const char *rule_key(const struct policy_syscall_rule *r)
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
__attribute__((format(printf, 3, 4))) static void show(FILE *f, const char *origin,
                                                       const char *fmt, ...)
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
        static const struct { uint64_t ms; const char *unit; } units[] = {
                { 3600000, "h" }, { 60000, "m" }, { 1000, "s" }, { 1, "ms" } };

        for (size_t i = 0; ms && i < ARRAY_SIZE(units); i++)
                if (ms % units[i].ms == 0) {
                        show(f, origin, "%s = %llu%s", key,
                             (unsigned long long)(ms / units[i].ms), units[i].unit);
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
static void default_text(const struct policy_seccomp *s, char *buf, size_t size)
{
        const char *name = s->default_action == POLICY_ACT_ERRNO
                                   ? strerrorname_np(s->default_errno) : NULL;

        snprintf(buf, size, "seccomp.default = %s%s%s", policy_action_name(s->default_action),
                 name ? " " : "", name ? name : "");
}

static void show_seccomp_default(FILE *f, const struct policy_seccomp *s, const char *origin)
{
        char text[64];

        default_text(s, text, sizeof(text));
        show(f, origin, "%s", text);
}

static void show_policy(FILE *f, const struct rf_policy *p, const struct policy_trace *t)
{
        static const char *const ns[] = { "user", "pid", "mount", "ipc", "uts", "net", "cgroup" };
        static const char *const nets[] = { "none", "loopback", "host" };
        const struct policy_limits *l = &p->limits;
        char key[128];

#define FROM(k) policy_trace_origin(t, k)
        for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
                snprintf(key, sizeof(key), "namespace.%s", ns[i]);
                show(f, FROM(key), "%s = %s", key, p->namespaces & (1u << i) ? "on" : "off");
        }
        show(f, FROM("net"), "net = %s", nets[p->net]);
        show(f, FROM("identity"), "identity = %s",
             p->caller_identity ? "caller" : p->as_root ? "root" : "user");
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
                snprintf(key, sizeof(key), "env.set %.*s",
                         (int)strcspn(p->env_set.v[i], "="), p->env_set.v[i]);
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
                put_rule_target(m, r);
                fclose(m);
                show(f, r->origin, "%s = %s", rule_key(r), target);
        }
}

/* Apply "KEY=VALUE" overrides as --set does. */
static int apply_sets(struct rf_policy *p, char *const *sets, struct policy_trace *t,
                      rf_error *err)
{
        for (; sets && *sets; sets++) {
                const char *eq = strchr(*sets, '=');
                char key[64];
                int r;

                if (!eq || eq == *sets || (size_t)(eq - *sets) >= sizeof(key))
                        return rf_error_set(err, -EINVAL, "--set: invalid value '%s', expected "
                                                          "KEY=VALUE", *sets);
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

RF_EXPORT int rf_policy_show(const char *spec, char *const *sets, char **ret_text,
                             rf_error *err)
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
                fprintf(f, "# The effective policy of %s (ringfence policy show): each setting "
                           "with where it came\n# from. Loaded with -p, this file gives the same "
                           "policy.\n", spec);
                show_policy(f, &p, &t);
                r = finish_text(f, &buf, ret_text, err);
        }
        policy_done(&p);
        policy_trace_done(&t);
        return r;
}

/* ---- explain ----------------------------------------------------------------------------- */

static void put_verdict(FILE *f, enum policy_action a, int e)
{
        switch (a) {
        case POLICY_ACT_ALLOW:
                fputs("allowed", f);
                return;
        case POLICY_ACT_ERRNO:
                fputs("refused (fails with ", f);
                put_errno(f, e);
                fputs(")", f);
                return;
        case POLICY_ACT_REPORT:
                fputs("refused (fails with ", f);
                put_errno(f, e ? e : EPERM);
                fputs(", reported)", f);
                return;
        case POLICY_ACT_KILL:
                break;
        }
        fputs("refused (kills the job)", f);
}

static void put_rule(FILE *f, const struct policy_syscall_rule *r)
{
        fprintf(f, ", by %s: %s = ", r->origin, rule_key(r));
        put_rule_target(f, r);
}

static void put_default(FILE *f, const struct rf_policy *p, const struct policy_trace *t)
{
        char text[64];

        default_text(&p->seccomp, text, sizeof(text));
        fprintf(f, ", by the default action from %s: %s",
                policy_trace_origin(t, "seccomp.default"), text);
}

static int explain(FILE *f, const struct rf_policy *p, const struct policy_trace *t,
                   const char *name, int nr, char *const *args, rf_error *err)
{
        const struct policy_syscall_rule *last = NULL;
        uint64_t a[6] = { 0 };
        size_t n_args = 0, n_cond = 0;

        for (; args && args[n_args]; n_args++)
                if (n_args == 6 || policy_parse_value(args[n_args], &a[n_args]) < 0)
                        return rf_error_set(err, -EINVAL, "argument '%s' of %s: expected at most "
                                                          "6 numbers or constant names such as "
                                                          "TIOCSTI", args[n_args], name);
        if (n_args) {
                const struct policy_syscall_rule *r = policy_match(p, nr, a);
                fprintf(f, "%s(", name);
                for (size_t i = 0; i < n_args; i++)
                        fprintf(f, "%s%s", i ? ", " : "", args[i]);
                fputs("): ", f);
                put_verdict(f, r ? r->action : p->seccomp.default_action,
                            r ? r->errno_val : p->seccomp.default_errno);
                if (r)
                        put_rule(f, r);
                else
                        put_default(f, p, t);
                return (r ? r->action : p->seccomp.default_action) == POLICY_ACT_ALLOW
                               ? RF_EXPLAIN_ALLOWED : RF_EXPLAIN_REFUSED;
        }
        for (size_t i = 0; i < p->seccomp.n_rules; i++)
                if (p->seccomp.rules[i].nr == nr) {
                        if (p->seccomp.rules[i].n_conds == 0)
                                last = &p->seccomp.rules[i];
                        else
                                n_cond++;
                }
        fprintf(f, "%s: ", name);
        if (last || !n_cond) {
                put_verdict(f, last ? last->action : p->seccomp.default_action,
                            last ? last->errno_val : p->seccomp.default_errno);
                if (last)
                        put_rule(f, last);
                else
                        put_default(f, p, t);
                return (last ? last->action : p->seccomp.default_action) == POLICY_ACT_ALLOW
                               ? RF_EXPLAIN_ALLOWED : RF_EXPLAIN_REFUSED;
        }
        fputs("depends on its arguments; the last rule that holds decides:\n", f);
        for (size_t i = 0; i < p->seccomp.n_rules; i++) {
                const struct policy_syscall_rule *r = &p->seccomp.rules[i];
                if (r->nr != nr)
                        continue;
                fputs("  ", f);
                put_verdict(f, r->action, r->errno_val);
                put_rule(f, r);
                fputc('\n', f);
        }
        fputs("  otherwise ", f);
        put_verdict(f, p->seccomp.default_action, p->seccomp.default_errno);
        put_default(f, p, t);
        return RF_EXPLAIN_DEPENDS;
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
                return rf_error_set(err, -EINVAL, "rf_policy_explain: the system call and "
                                                  "ret_text must not be NULL");
        nr = seccomp_syscall_resolve_name(syscall);
        if (nr == __NR_SCMP_ERROR)
                return rf_error_set(err, -EINVAL, "unknown system call '%s', expected a name "
                                                  "such as openat", syscall);
        r = load_spec(spec, &p, &t, err);
        if (r < 0)
                return r;
        f = open_memstream(&buf, &size);
        if (!f)
                rf_oom();
        if (nr < 0) {
                fprintf(f, "%s: not a system call of this architecture; the filter never sees "
                           "it (other ABIs kill the job)", syscall);
                verdict = RF_EXPLAIN_REFUSED;
        } else {
                verdict = explain(f, &p, &t, syscall, nr, args, err);
        }
        fputc('\n', f);
        r = finish_text(f, &buf, ret_text, err);
        if (verdict < 0) {
                free(*ret_text);
                *ret_text = NULL;
        }
        policy_done(&p);
        policy_trace_done(&t);
        return r < 0 ? r : verdict;
}

/* ---- the compiled filter, as text -------------------------------------------------------- */

/* What the seccomp_data word at offset k is. */
static void put_field(FILE *f, uint32_t k)
{
        bool le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

        if (k == 0)
                fputs("syscall number", f);
        else if (k == 4)
                fputs("architecture", f);
        else if (k == 8 || k == 12)
                fprintf(f, "instruction pointer, %s half", (k == 8) == le ? "low" : "high");
        else if (k >= 16 && k < 64)
                fprintf(f, "arg%u, %s half", (k - 16) / 8, (k % 8 == 0) == le ? "low" : "high");
}

static void put_action(FILE *f, uint32_t k)
{
        uint32_t data = k & SECCOMP_RET_DATA;

        switch (k & SECCOMP_RET_ACTION_FULL) {
        case SECCOMP_RET_KILL_PROCESS:
                fputs("kill the process", f);
                break;
        case SECCOMP_RET_KILL_THREAD:
                fputs("kill the thread", f);
                break;
        case SECCOMP_RET_TRAP:
                fputs("SIGSYS", f);
                break;
        case SECCOMP_RET_ERRNO:
                fputs("fail with ", f);
                put_errno(f, (int)data);
                break;
        case SECCOMP_RET_USER_NOTIF:
                fputs("ask the host (report or kill)", f);
                break;
        case SECCOMP_RET_TRACE:
                fprintf(f, "trace %u", data);
                break;
        case SECCOMP_RET_LOG:
                fputs("log and allow", f);
                break;
        case SECCOMP_RET_ALLOW:
                fputs("allow", f);
                break;
        default:
                fprintf(f, "action 0x%08x", k);
        }
}

/* One instruction: "  12: jeq #0x3b, 13, 20   ; execve". loaded: the seccomp_data offset that
 * A holds on every path to it (or -1); updated to what A holds after it. */
static void put_insn(FILE *f, const struct sock_filter *in, unsigned i, int64_t *loaded)
{
        static const char *const alu[] = { "add", "sub", "mul", "div", "or", "and", "lsh",
                                           "rsh", "neg", "mod", "xor" };
        static const char *const jmp[] = { "ja", "jeq", "jgt", "jge", "jset" };
        unsigned cls = BPF_CLASS(in->code), op = BPF_OP(in->code) >> 4;
        char text[64];
        const char *name;

        text[0] = '\0';
        switch (cls) {
        case BPF_LD:
        case BPF_LDX:
                if (BPF_MODE(in->code) == BPF_ABS)
                        snprintf(text, sizeof(text), "ld [%u]", in->k);
                else if (BPF_MODE(in->code) == BPF_MEM)
                        snprintf(text, sizeof(text), "%s M[%u]", cls == BPF_LD ? "ld" : "ldx",
                                 in->k);
                else
                        snprintf(text, sizeof(text), "%s #0x%x", cls == BPF_LD ? "ld" : "ldx",
                                 in->k);
                if (cls == BPF_LD)
                        *loaded = BPF_MODE(in->code) == BPF_ABS ? (int64_t)in->k : -1;
                break;
        case BPF_ST:
        case BPF_STX:
                snprintf(text, sizeof(text), "%s M[%u]", cls == BPF_ST ? "st" : "stx", in->k);
                break;
        case BPF_ALU:
                if (BPF_SRC(in->code) == BPF_X)
                        snprintf(text, sizeof(text), "%s x", op < ARRAY_SIZE(alu) ? alu[op] : "?");
                else
                        snprintf(text, sizeof(text), "%s #0x%x",
                                 op < ARRAY_SIZE(alu) ? alu[op] : "?", in->k);
                *loaded = -1;
                break;
        case BPF_JMP:
                if (op == 0)
                        snprintf(text, sizeof(text), "ja %u", i + 1 + in->k);
                else
                        snprintf(text, sizeof(text), "%s #0x%x, %u, %u",
                                 op < ARRAY_SIZE(jmp) ? jmp[op] : "j?", in->k, i + 1 + in->jt,
                                 i + 1 + in->jf);
                break;
        case BPF_RET:
                snprintf(text, sizeof(text), "ret #0x%08x", in->k);
                break;
        default:
                snprintf(text, sizeof(text), "%s", BPF_MISCOP(in->code) == BPF_TAX ? "tax"
                                                                                  : "txa");
                *loaded = -1;
        }
        fprintf(f, "%5u: %-28s", i, text);
        if (cls == BPF_LD && BPF_MODE(in->code) == BPF_ABS) {
                fputs("; A = ", f);
                put_field(f, in->k);
        } else if (cls == BPF_RET) {
                fputs("; ", f);
                put_action(f, in->k);
        } else if (cls == BPF_JMP && op && *loaded == 0 &&
                   (name = policy_syscall_name((int)in->k)) != NULL) {
                fprintf(f, "; %s", name);
        } else if (cls == BPF_JMP && op && *loaded == 4 && in->k == seccomp_arch_native()) {
                fputs("; this architecture", f);
        }
        fputs("\n", f);
}

#define UNSEEN INT64_MIN

/* A reaches instruction t holding loaded: the same as on other paths, or unknown (-1). */
static void flow(int64_t *at, unsigned len, unsigned t, int64_t loaded)
{
        if (t >= len)
                return;
        at[t] = at[t] == UNSEEN || at[t] == loaded ? loaded : -1;
}

RF_EXPORT int rf_policy_bpf_text(const char *spec, int kill, char **ret_text, rf_error *err)
{
        struct rf_policy p;
        struct policy_bpf b;
        const struct sock_fprog *prog;
        _cleanup_free_ int64_t *at = NULL;
        int64_t loaded;
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        if (!ret_text)
                return rf_error_set(err, -EINVAL, "rf_policy_bpf_text: ret_text must not be "
                                                  "NULL");
        r = load_spec(spec, &p, NULL, err);
        if (r < 0)
                return r;
        r = policy_compile(&p, &b, err);
        policy_done(&p);
        if (r < 0)
                return r;
        prog = kill ? &b.kill : &b.notify;
        f = open_memstream(&buf, &size);
        if (!f)
                rf_oom();
        fprintf(f, "# The %s program of %s: %u instructions. Jumps name the instruction\n"
                   "# taken when the test holds, then the one taken when it does not.\n",
                kill ? "kill" : "notify", spec, prog->len);
        /* What A holds where: jumps go forward only, so one pass in order sees every path. */
        at = xmalloc(((size_t)prog->len + 1) * sizeof(*at));
        for (unsigned i = 0; i <= prog->len; i++)
                at[i] = UNSEEN;
        at[0] = -1;
        for (unsigned i = 0; i < prog->len; i++) {
                const struct sock_filter *in = &prog->filter[i];
                unsigned cls = BPF_CLASS(in->code);

                loaded = at[i] == UNSEEN ? -1 : at[i];
                put_insn(f, in, i, &loaded);
                if (cls == BPF_RET)
                        continue;
                if (cls != BPF_JMP)
                        flow(at, prog->len, i + 1, loaded);
                else if (BPF_OP(in->code) == BPF_JA)
                        flow(at, prog->len, i + 1 + in->k, loaded);
                else {
                        flow(at, prog->len, i + 1 + in->jt, loaded);
                        flow(at, prog->len, i + 1 + in->jf, loaded);
                }
        }
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
