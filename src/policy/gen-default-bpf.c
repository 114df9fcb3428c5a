/* SPDX-License-Identifier: MIT */
/* Build-time generator (not installed): builds the default policy, compiles it with libseccomp
 * and writes C to stdout that defines policy_prebuilt_default (prebuilt.h) — the rules with
 * their resolved numbers, both programs and a fingerprint. The Makefile saves it as
 * default-bpf.c in the build directory. It links libpolicy-core.la, whose stand-in
 * default-bpf-none.c has nothing prebuilt, so all of this is done the slow way here. Compiling
 * never asks the running kernel (compile.c's stand-in actions), so the build machine's kernel
 * does not matter; its architecture and libseccomp version are recorded, and the library uses
 * the result only where both are the same. */
#include "config.h"

#include <inttypes.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "policy/policy.h"
#include "policy/prebuilt.h"

static const char *const action_names[] = {
        [POLICY_ACT_ALLOW] = "POLICY_ACT_ALLOW",
        [POLICY_ACT_ERRNO] = "POLICY_ACT_ERRNO",
        [POLICY_ACT_REPORT] = "POLICY_ACT_REPORT",
        [POLICY_ACT_KILL] = "POLICY_ACT_KILL",
};

static const char *const cmp_names[] = {
        [POLICY_CMP_EQ] = "POLICY_CMP_EQ",
        [POLICY_CMP_NE] = "POLICY_CMP_NE",
        [POLICY_CMP_LT] = "POLICY_CMP_LT",
        [POLICY_CMP_LE] = "POLICY_CMP_LE",
        [POLICY_CMP_GT] = "POLICY_CMP_GT",
        [POLICY_CMP_GE] = "POLICY_CMP_GE",
        [POLICY_CMP_MASKED_EQ] = "POLICY_CMP_MASKED_EQ",
};

static int fail(const char *what)
{
        fprintf(stderr, "gen-default-bpf: %s\n", what);
        return EXIT_FAILURE;
}

/* The rules must be printable as they are: C identifiers for names, one origin, known enums. */
static const char *check_rules(const struct policy_seccomp *s)
{
        if ((unsigned)s->default_action >= ARRAY_SIZE(action_names))
                return "unknown default action";
        for (size_t i = 0; i < s->n_rules; i++) {
                const struct policy_syscall_rule *r = &s->rules[i];

                if (!r->name[0] ||
                    strspn(r->name, "abcdefghijklmnopqrstuvwxyz"
                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(r->name))
                        return "a rule's name is not a C identifier";
                if (strcmp(r->origin, s->rules[0].origin) != 0 || strpbrk(r->origin, "\"\\\n"))
                        return "the rules' origins differ or cannot be printed";
                if ((unsigned)r->action >= ARRAY_SIZE(action_names) ||
                    r->n_conds > ARRAY_SIZE(r->conds))
                        return "a rule has an unknown action or too many conditions";
                for (unsigned k = 0; k < r->n_conds; k++)
                        if ((unsigned)r->conds[k].op >= ARRAY_SIZE(cmp_names))
                                return "a rule has an unknown comparison";
        }
        return NULL;
}

static void emit_rules(const struct policy_seccomp *s)
{
        size_t n_conds = 0;

        printf("static const struct policy_prebuilt_rule rules[%zu] = {\n", s->n_rules);
        for (size_t i = 0; i < s->n_rules; i++) {
                const struct policy_syscall_rule *r = &s->rules[i];

                printf("        { \"%s\", %d, %s, %d, %u, %zu },\n", r->name, r->nr,
                       action_names[r->action], r->errno_val, r->n_conds, n_conds);
                n_conds += r->n_conds;
        }
        printf("};\n\n");
        if (!n_conds)
                return;
        printf("static const struct policy_arg_cond conds[%zu] = {\n", n_conds);
        for (size_t i = 0; i < s->n_rules; i++)
                for (unsigned k = 0; k < s->rules[i].n_conds; k++) {
                        const struct policy_arg_cond *c = &s->rules[i].conds[k];
                        printf("        { %u, %s, 0x%" PRIx64 "ULL, 0x%" PRIx64 "ULL }, /* %s */\n",
                               c->index, cmp_names[c->op], c->value, c->value2, s->rules[i].name);
                }
        printf("};\n\n");
}

static void emit_prog(const char *name, const struct sock_fprog *prog)
{
        printf("static const struct sock_filter %s[%u] = {", name, prog->len);
        for (unsigned i = 0; i < prog->len; i++) {
                const struct sock_filter *f = &prog->filter[i];
                printf("%s{ 0x%02x, %u, %u, 0x%08" PRIx32 " },", i % 3 ? " " : "\n        ",
                       f->code, f->jt, f->jf, f->k);
        }
        printf("\n};\n\n");
}

static size_t count_conds(const struct policy_seccomp *s)
{
        size_t n = 0;

        for (size_t i = 0; i < s->n_rules; i++)
                n += s->rules[i].n_conds;
        return n;
}

static void emit(const struct rf_policy *p, const struct policy_bpf *b)
{
        const struct policy_seccomp *s = &p->seccomp;
        const struct scmp_version *v = seccomp_version();
        uint32_t arch = seccomp_arch_native();

        printf("/* SPDX-License-Identifier: MIT */\n"
               "/* Generated by gen-default-bpf (src/policy/gen-default-bpf.c): the default "
               "policy's seccomp part,\n"
               " * resolved and compiled for arch 0x%08" PRIx32 " by libseccomp %u.%u.%u. "
               "Do not edit. */\n"
               "#include \"config.h\"\n\n"
               "#include <linux/filter.h>\n#include <stdbool.h>\n#include <stddef.h>\n"
               "#include <stdint.h>\n\n"
               "#include \"ringfence.h\"\n#include \"policy/policy.h\"\n"
               "#include \"policy/prebuilt.h\"\n\n",
               arch, v->major, v->minor, v->micro);
        emit_rules(s);
        emit_prog("notify_insns", &b->notify);
        emit_prog("kill_insns", &b->kill);
        printf("const struct policy_prebuilt policy_prebuilt_default = {\n"
               "        .available = true,\n"
               "        .arch = 0x%08" PRIx32 "U,\n"
               "        .seccomp_version = { %u, %u, %u },\n"
               "        .fingerprint = 0x%016" PRIx64 "ULL,\n"
               "        .origin = \"%s\",\n"
               "        .default_action = %s,\n"
               "        .default_errno = %d,\n"
               "        .rules = rules,\n"
               "        .n_rules = %zu,\n"
               "        .conds = %s,\n"
               "        .n_conds = %zu,\n"
               "        .notify = notify_insns,\n"
               "        .notify_len = %u,\n"
               "        .kill = kill_insns,\n"
               "        .kill_len = %u,\n"
               "};\n",
               arch, v->major, v->minor, v->micro, policy_seccomp_fingerprint(s),
               s->n_rules ? s->rules[0].origin : "", action_names[s->default_action],
               s->default_errno, s->n_rules, count_conds(s) ? "conds" : "NULL", count_conds(s),
               b->notify.len, b->kill.len);
}

int main(void)
{
        struct rf_policy p;
        struct policy_bpf b = { 0 };
        rf_error err = { 0 };
        const char *bad;
        int ret = EXIT_SUCCESS;

        if (policy_prebuilt_get())
                return fail("linked with a prebuilt default; expected libpolicy-core.la");
        if (policy_init_default(&p, &err) < 0)
                return fail(err.msg);
        bad = check_rules(&p.seccomp);
        if (!bad && policy_compile(&p, &b, &err) < 0)
                bad = err.msg;
        if (!bad) {
                emit(&p, &b);
                if (fflush(stdout) != 0 || ferror(stdout))
                        bad = "cannot write the output";
        }
        if (bad)
                ret = fail(bad);
        policy_bpf_done(&b);
        policy_done(&p);
        return ret;
}
