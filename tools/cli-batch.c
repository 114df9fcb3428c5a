/* SPDX-License-Identifier: MIT */
/* `ringfence batch [OPTIONS] [--] [COMMAND TEMPLATE...] [::: ARGS...]`: many jobs, each in its
 * own sandbox, with GNU parallel's input forms, replacement strings, joblog and exit status. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* What the batch-only options fill. */
struct batch_cli {
        rf_batch_options o;
        bool progress_set;
        rf_batch_share share; /* --jobserver, --shard (cli-batch.c's share options) */
        bool no_jobserver;
        bool no_summary; /* --no-summary */
        const char *shard_spec;
        uint32_t shards;
};

static int bad(rf_error *err, const char *opt, const char *value, const char *expected)
{
        err->code = -EINVAL;
        snprintf(err->msg, sizeof(err->msg), "%s: invalid value '%s', expected %s", opt, value,
                 expected);
        return -EINVAL;
}

static int parse_count(const char *v, unsigned long max, unsigned long *ret)
{
        char *end = NULL;
        unsigned long n;

        if (!v || !*v || *v == '-')
                return -EINVAL;
        errno = 0;
        n = strtoul(v, &end, 10);
        if (errno || *end || n > max)
                return -EINVAL;
        *ret = n;
        return 0;
}

static rf_batch_options *O(struct cli_result *out)
{
        return &((struct batch_cli *)out->ctx)->o;
}

static int opt_jobs(struct cli_result *out, const char *v, rf_error *err)
{
        unsigned long n;
        if (parse_count(v, 100000, &n) < 0)
                return bad(err, "--jobs", v,
                           "a number of jobs from 0 (as many as the limits allow) to 100000");
        O(out)->jobs = (int32_t)n;
        return 0;
}

static int opt_retries(struct cli_result *out, const char *v, rf_error *err)
{
        unsigned long n;
        if (parse_count(v, 1000, &n) < 0)
                return bad(err, "--retries", v, "a number from 0 to 1000");
        O(out)->retries = (uint32_t)n;
        return 0;
}

/* --halt now|soon,fail=N|success=N|fail=P% (also never). */
static int opt_halt(struct cli_result *out, const char *v, rf_error *err)
{
        static const char *expected = "now,fail=N, soon,fail=N, now,success=N, soon,fail=P% "
                                      "or never";
        rf_batch_options *o = O(out);
        const char *comma = strchr(v, ','), *eq;
        unsigned long n;
        size_t len;

        if (!strcmp(v, "never")) {
                o->halt = RF_HALT_NEVER;
                return 0;
        }
        if (!comma)
                return bad(err, "--halt", v, expected);
        if (!strncmp(v, "now,", 4))
                o->halt = RF_HALT_NOW;
        else if (!strncmp(v, "soon,", 5))
                o->halt = RF_HALT_SOON;
        else
                return bad(err, "--halt", v, expected);
        eq = strchr(comma, '=');
        if (!eq)
                return bad(err, "--halt", v, expected);
        if (!strncmp(comma + 1, "fail=", 5))
                o->halt_on_success = 0;
        else if (!strncmp(comma + 1, "success=", 8))
                o->halt_on_success = 1;
        else
                return bad(err, "--halt", v, expected);
        len = strlen(eq + 1);
        if (len > 1 && eq[len] == '%') {
                char num[16];
                snprintf(num, sizeof(num), "%.*s", (int)(len - 1), eq + 1);
                if (parse_count(num, 100, &n) < 0 || n == 0)
                        return bad(err, "--halt", v, expected);
                o->halt_percent = (uint32_t)n;
                o->halt_count = 0;
        } else if (parse_count(eq + 1, 1000000000, &n) < 0 || n == 0) {
                return bad(err, "--halt", v, expected);
        } else {
                o->halt_count = (uint32_t)n;
        }
        return 0;
}

#define FLAG_HANDLER(fn, field)                                                                    \
        static int fn(struct cli_result *out, const char *v, rf_error *err)                        \
        {                                                                                          \
                (void)v;                                                                           \
                (void)err;                                                                         \
                O(out)->field = 1;                                                                 \
                return 0;                                                                          \
        }
#define STRING_HANDLER(fn, field)                                                                  \
        static int fn(struct cli_result *out, const char *v, rf_error *err)                        \
        {                                                                                          \
                (void)err;                                                                         \
                O(out)->field = v;                                                                 \
                return 0;                                                                          \
        }
FLAG_HANDLER(opt_nul, nul)
FLAG_HANDLER(opt_keep_order, keep_order)
FLAG_HANDLER(opt_line_buffer, line_buffer)
FLAG_HANDLER(opt_tag, tag)
FLAG_HANDLER(opt_resume, resume)
FLAG_HANDLER(opt_resume_failed, resume_failed)
FLAG_HANDLER(opt_dry_run, dry_run)
STRING_HANDLER(opt_results, results_dir)
STRING_HANDLER(opt_joblog, joblog_path)
STRING_HANDLER(opt_json, json_path)

static int opt_input(struct cli_result *out, const char *v, rf_error *err)
{
        (void)err;
        O(out)->input_path = v;
        if (O(out)->input != RF_BATCH_JSONL)
                O(out)->input = RF_BATCH_LINES;
        return 0;
}

static int opt_jsonl(struct cli_result *out, const char *v, rf_error *err)
{
        (void)v;
        (void)err;
        O(out)->input = RF_BATCH_JSONL;
        return 0;
}

/* --bad-input stop|skip: what a malformed line of an input file does. */
static int opt_bad_input(struct cli_result *out, const char *v, rf_error *err)
{
        if (strcmp(v, "stop") != 0 && strcmp(v, "skip") != 0)
                return bad(err, "--bad-input", v,
                           "stop (check the whole file before starting) "
                           "or skip (skip a bad line with a record)");
        O(out)->skip_bad_input = !strcmp(v, "skip");
        return 0;
}

static int opt_bar(struct cli_result *out, const char *v, rf_error *err)
{
        (void)v;
        (void)err;
        O(out)->progress = 1;
        ((struct batch_cli *)out->ctx)->progress_set = true;
        return 0;
}

static struct batch_cli *BC(struct cli_result *out)
{
        return out->ctx;
}

static int opt_jobserver(struct cli_result *out, const char *v, rf_error *err)
{
        (void)v;
        (void)err;
        BC(out)->share.jobserver = "pipe";
        return 0;
}

static int opt_jobserver_fifo(struct cli_result *out, const char *v, rf_error *err)
{
        (void)v;
        (void)err;
        BC(out)->share.jobserver = "fifo";
        return 0;
}

/* A flag of the batch tool itself (struct batch_cli), not of rf_batch_options. */
#define TOOL_FLAG_HANDLER(fn, field)                                                               \
        static int fn(struct cli_result *out, const char *v, rf_error *err)                        \
        {                                                                                          \
                (void)v;                                                                           \
                (void)err;                                                                         \
                BC(out)->field = true;                                                             \
                return 0;                                                                          \
        }
TOOL_FLAG_HANDLER(opt_no_jobserver, no_jobserver)
TOOL_FLAG_HANDLER(opt_no_summary, no_summary)

static int opt_shard(struct cli_result *out, const char *v, rf_error *err)
{
        (void)err;
        BC(out)->shard_spec = v;
        return 0;
}

static int opt_shards(struct cli_result *out, const char *v, rf_error *err)
{
        unsigned long n;
        if (parse_count(v, 1000000, &n) < 0 || n == 0)
                return bad(err, "--shards", v, "a number of shards from 1 to 1000000");
        BC(out)->shards = (uint32_t)n;
        return 0;
}

/* clang-format off */
#define CUSTOM(name, arg, help, sh, fn) { name, CLI_CUSTOM, NULL, NULL, arg, help, sh, fn }
/* clang-format on */
static const struct cli_option batch_only_options[] = {
        CUSTOM("jobs", "N", "jobs at once (default: cores; 0: as many as limits allow)", 'j',
               opt_jobs),
        CUSTOM("arg-file", "FILE", "read inputs from FILE, one per line (default: stdin)", 'a',
               opt_input),
        CUSTOM("null", NULL, "inputs are NUL-separated", '0', opt_nul),
        CUSTOM("jsonl", NULL, "inputs are JSON lines with argv, env, cwd, stdin, set", 0,
               opt_jsonl),
        CUSTOM("bad-input", "WHAT",
               "a malformed line of -a FILE: stop (default: "
               "before anything starts) or skip (with a record)",
               0, opt_bad_input),
        CUSTOM("keep-order", NULL, "print output in input order", 'k', opt_keep_order),
        CUSTOM("line-buffer", NULL, "pass output line by line as it comes", 0, opt_line_buffer),
        CUSTOM("tag", NULL, "prefix output lines with the job's input", 0, opt_tag),
        CUSTOM("results", "DIR", "DIR/<job>/stdout, stderr and record.json", 0, opt_results),
        CUSTOM("retries", "N", "run a failed job up to N more times", 0, opt_retries),
        CUSTOM("halt", "WHEN", "now|soon,fail=N|success=N|fail=P%", 0, opt_halt),
        CUSTOM("joblog", "FILE", "GNU parallel's joblog", 0, opt_joblog),
        CUSTOM("json", "FILE", "one result record per line", 0, opt_json),
        CUSTOM("resume", NULL, "skip the jobs the joblog or --json file has", 0, opt_resume),
        CUSTOM("resume-failed", NULL, "... but run the failed ones again", 0, opt_resume_failed),
        CUSTOM("dry-run", NULL, "print the commands, run nothing", 0, opt_dry_run),
        CUSTOM("bar", NULL, "progress on stderr (default when it is a terminal)", 0, opt_bar),
        CUSTOM("no-summary", NULL, "no summary line on stderr at the end", 0, opt_no_summary),
        CUSTOM("jobserver", NULL, "offer the -j slots to make -j in the jobs (R,W pipe form)", 0,
               opt_jobserver),
        CUSTOM("jobserver-fifo", NULL, "... in the fifo:PATH form (make 4.4, ninja 1.13)", 0,
               opt_jobserver_fifo),
        CUSTOM("no-jobserver", NULL, "ignore the make jobserver in MAKEFLAGS", 0, opt_no_jobserver),
        CUSTOM("shard", "I/N|auto", "run only shard I of N (auto: Slurm, Kubernetes)", 0,
               opt_shard),
        CUSTOM("shards", "N", "the shard count for --shard auto (Slurm: the task id modulo N)", 0,
               opt_shards),
        { "help", CLI_FLAG, NULL, NULL, NULL, "show this help", 0, NULL },
        { "version", CLI_FLAG, NULL, NULL, NULL, "print the version", 'V', NULL },
        { NULL, 0, NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct cli_option *const batch_options[] = { batch_only_options, cli_sandbox_options,
                                                          NULL };

static void usage(void)
{
        printf("Usage: ringfence batch [OPTIONS] [--] [COMMAND TEMPLATE...] [::: ARGS...]\n\n"
               "Run many jobs, each in its own sandbox under the default policy. Inputs come\n"
               "from ::: arguments, or lines of -a FILE or stdin; replacement strings {} {#}\n"
               "{.} {/} {//} {/.} {1}..{9} fill the template. Without a template each input is\n"
               "a command line, split as a shell would (no shell runs).\n\nOptions:\n");
        cli_print_options(batch_options);
        printf("\nExit status: 0 when every job succeeded, else the number of failed jobs\n"
               "(at most 100); 125 when ringfence itself failed. See ringfence-batch(1).\n");
}

/* Split what follows the options into the template and the ::: groups (in place: each ":::"
 * becomes the NULL that ends the part before it). */
static int split_groups(struct batch_cli *bc, char **args, rf_error *err)
{
        rf_batch_options *o = &bc->o;
        char **p = args;

        o->command = (p && *p && strcmp(*p, ":::") != 0) ? p : NULL;
        while (p && *p && strcmp(*p, ":::") != 0)
                p++;
        while (p && *p) {
                *p++ = NULL; /* the ":::" */
                if (o->n_arg_groups == 8) {
                        err->code = -EINVAL;
                        snprintf(err->msg, sizeof(err->msg),
                                 "::: more than 8 input groups, expected at most 8");
                        return -EINVAL;
                }
                o->arg_groups[o->n_arg_groups++] = p;
                o->input = RF_BATCH_ARGS;
                while (*p && strcmp(*p, ":::") != 0)
                        p++;
        }
        return 0;
}

static void summary(const rf_batch_summary *s)
{
        double secs = (double)s->wall_us / 1e6;

        fprintf(stderr,
                "ringfence batch: %llu jobs: %llu ok, %llu failed, %llu timed out, %llu "
                "violations, %llu skipped%s%s; %.2f s, %.0f jobs/s\n",
                (unsigned long long)s->total, (unsigned long long)s->ok,
                (unsigned long long)s->failed + s->spawn_errors, (unsigned long long)s->timed_out,
                (unsigned long long)s->violations, (unsigned long long)s->skipped,
                s->interrupted ? ", interrupted" : "", s->halted ? ", halted" : "", secs,
                secs > 0 ? (double)s->total / secs : 0.0);
}

int cli_batch(int argc, char **argv)
{
        struct batch_cli bc;
        struct cli_result cr = { .ctx = &bc };
        rf_error err = { 0 };
        rf_batch_summary sum;
        rf_policy *p;
        int r;

        rf_batch_options_init(&bc.o);
        bc.progress_set = false;
        rf_batch_share_init(&bc.share);
        bc.no_jobserver = false;
        bc.no_summary = false;
        bc.shard_spec = NULL;
        bc.shards = 0;
        p = rf_policy_new_default(&err);
        if (!p) {
                fprintf(stderr, "ringfence batch: %s\n", err.msg);
                return 125;
        }
        r = cli_apply_policies(batch_options, argc, argv, 2, p, &err);
        if (r == 0)
                r = cli_parse(batch_options, argc, argv, 2, p, &cr, &err);
        if (r == 0 && (cr.help || cr.version)) {
                if (cr.help)
                        usage();
                else
                        cli_version();
                rf_policy_free(p);
                return 0;
        }
        if (r == 0 && cr.command_index >= 0)
                r = split_groups(&bc, argv + cr.command_index, &err);
        if (r == 0 && bc.o.input == RF_BATCH_ARGS && bc.o.input_path) {
                r = -EINVAL;
                snprintf(err.msg, sizeof(err.msg),
                         "--arg-file and ::: both give inputs, expected one of them");
        }
        if (r == 0 && bc.shard_spec)
                r = rf_shard_parse(bc.shard_spec, bc.shards, &bc.share.shard_index,
                                   &bc.share.shard_count, &err);
        if (r < 0) {
                fprintf(stderr, "ringfence batch: %s\n", err.msg);
                rf_policy_free(p);
                return 125;
        }
        if (!bc.no_jobserver && !bc.share.jobserver)
                bc.share.makeflags = getenv("MAKEFLAGS");
        if (!bc.progress_set)
                bc.o.progress = isatty(2);
        bc.o.signal_fd = cli_signal_fd();
        r = rf_batch_run_shared(p, &bc.o, &bc.share, &sum, &err);
        if (bc.share.warning[0])
                fprintf(stderr, "ringfence batch: warning: %s\n", bc.share.warning);
        if (r < 0)
                fprintf(stderr, "ringfence batch: %s\n", err.msg);
        if (!bc.o.dry_run && !bc.no_summary && (r == 0 || sum.total > 0))
                summary(&sum);
        if (!bc.o.dry_run && !bc.no_summary && bc.share.shard_count && r == 0)
                fprintf(stderr, "ringfence batch: shard %u/%u: %llu of the input's %llu jobs\n",
                        bc.share.shard_index, bc.share.shard_count,
                        (unsigned long long)bc.share.shard_jobs,
                        (unsigned long long)bc.share.input_jobs);
        if (bc.o.signal_fd >= 0)
                close(bc.o.signal_fd);
        rf_policy_free(p);
        return r < 0 ? 125 : sum.exit_status;
}
