/* SPDX-License-Identifier: MIT */
/* Description: run `echo job {#}: {}` once for each argument, every job in a sandbox of its own
 * and several at a time, as `ringfence batch -k echo 'job {#}: {}' ::: ARG...` does: the output
 * of each job comes grouped and in input order, and the summary says how the batch went.
 *
 * Build: cc -o batch-args batch-args.c $(pkg-config --cflags --libs ringfence)
 * Try:   ./batch-args a b c
 *
 * It needs root, or unprivileged user namespaces (DESIGN.md). */
#include <inttypes.h>
#include <stdio.h>

#include <ringfence.h>

int main(int argc, char *argv[])
{
        char *command[] = { "echo", "job {#}: {}", NULL };
        rf_error err = { 0 };
        rf_batch_options o;
        rf_batch_summary sum;
        rf_policy *p;
        int k;

        if (argc < 2) {
                fprintf(stderr, "usage: %s ARG...\n", argv[0]);
                return 125;
        }
        p = rf_policy_new_default(&err);
        if (!p) {
                fprintf(stderr, "batch-args: %s\n", err.msg);
                return 125;
        }
        rf_batch_options_init(&o);
        o.jobs = 4;
        o.input = RF_BATCH_ARGS;
        o.arg_groups[0] = argv + 1; /* one group: a job per argument (argv ends with NULL) */
        o.n_arg_groups = 1;
        o.command = command; /* {} is the argument, {#} the job number */
        o.keep_order = 1;
        k = rf_batch_run(p, &o, &sum, &err);
        rf_policy_free(p);
        if (k < 0) {
                fprintf(stderr, "batch-args: %s\n", err.msg);
                return 125;
        }
        fprintf(stderr, "batch-args: %" PRIu64 " jobs, %" PRIu64 " ok, %" PRIu64 " failed\n",
                sum.total, sum.ok, sum.failed);
        return sum.exit_status;
}
