/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the policy language (src/policy/lexer.c, parser.c, loader.c): the input
 * is up to five files in memory, separated by a line "%%": fuzz.policy, a.policy, sub/b.policy,
 * policies/net.policy (what `include net` finds) and p.json (for seccomp-json). They are loaded
 * with policy_load_mem onto the built-in policy none, so include and seccomp-json never reach
 * the filesystem. A short policy that loads is also compiled to BPF. Any crash, leak, undefined
 * behaviour, hang, or failure without a sentence is a bug.
 *
 * Built by `make fuzz` (tests/fuzz/build.sh); run with tests/fuzz/run-all.sh or
 *   build/tests/fuzz/fuzz_policy -dict=tests/fuzz/policy.dict tests/fuzz/corpus/policy
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "fuzz.policy", "a.policy", "sub/b.policy",
                                     "policies/net.policy", "p.json" };
#define N_FILES (sizeof(names) / sizeof(names[0]))
/* Compile only short inputs: compiling a whole shipped policy costs a millisecond, and the
 * point here is the language. */
#define COMPILE_MAX_SIZE 512

/* The library's lines (the warning for a file without settings) would flood the fuzzer's
 * output. */
static void quiet(int level, const char *line, void *user)
{
        (void)level;
        (void)line;
        (void)user;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct policy_mem_file files[N_FILES];
        struct policy_trace trace = { 0 };
        const char *s = (const char *)data, *end = s + size;
        struct rf_policy p;
        rf_error err = { 0 };
        size_t n = 0;
        int r;

        /* Split at lines "%%"; the last file takes the rest. */
        while (n < N_FILES) {
                const char *sep = n + 1 < N_FILES ? memmem(s, (size_t)(end - s), "\n%%\n", 4)
                                                  : NULL;
                files[n].name = names[n];
                files[n].text = s;
                files[n].len = sep ? (size_t)(sep - s) + 1 : (size_t)(end - s);
                n++;
                if (!sep)
                        break;
                s = sep + 4;
        }
        rf_set_log_handler(quiet, NULL);
        /* From "none", not the default: its 471 rules would make every input slow ("include
         * default" still brings them in). */
        if (policy_init_none(&p, &err) < 0)
                abort();
        r = policy_load_mem(&p, files, n, &trace, &err);
        if (r < 0 && (r != err.code || !err.msg[0])) {
                fprintf(stderr, "failure %d without its sentence: '%s'\n", r, err.msg);
                abort();
        }
        if (r == 0 && size <= COMPILE_MAX_SIZE) {
                struct policy_bpf bpf = { 0 };
                rf_error cerr = { 0 };
                if (policy_compile(&p, &bpf, &cerr) < 0 && !cerr.msg[0])
                        abort();
                policy_bpf_done(&bpf);
        }
        policy_trace_done(&trace);
        policy_done(&p);
        return 0;
}
