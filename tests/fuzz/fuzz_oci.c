/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the import of Docker/OCI seccomp profiles (src/policy/oci-read.c, oci.c):
 * the input is the JSON text, imported from memory onto an empty policy; a small result is also
 * compiled to BPF. Any crash, leak, undefined behaviour, or failure without a sentence is a bug.
 *
 * Built by `make fuzz` (tests/fuzz/build.sh); run with tests/fuzz/run-all.sh or
 *   build/tests/fuzz/fuzz_oci -dict=tests/fuzz/oci.dict tests/fuzz/corpus/oci
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compile only small results: the point is the import, and a 300-rule profile costs
 * milliseconds. */
#define COMPILE_MAX_RULES 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct rf_policy p = { 0 };
        struct policy_seccomp_import info;
        rf_error err = { 0 };
        int r = policy_import_seccomp_json_mem(&p, "fuzz.json", (const char *)data, size, &info,
                                               &err);

        if (r < 0 && (r != err.code || !err.msg[0] || strncmp(err.msg, "fuzz.json", 9))) {
                fprintf(stderr, "failure %d without its sentence: '%s'\n", r, err.msg);
                abort();
        }
        /* A later unconditional rule replaces a call's earlier ones: at most as many remain. */
        if (r == 0 && info.n_rules < p.seccomp.n_rules) {
                fprintf(stderr, "%zu rules imported, %zu counted\n", p.seccomp.n_rules,
                        info.n_rules);
                abort();
        }
        if (r == 0 && p.seccomp.n_rules <= COMPILE_MAX_RULES) {
                struct policy_bpf bpf = { 0 };
                rf_error cerr = { 0 };
                if (policy_compile(&p, &bpf, &cerr) < 0 && !cerr.msg[0])
                        abort();
                policy_bpf_done(&bpf);
        }
        policy_done(&p);
        return 0;
}
