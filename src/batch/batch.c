/* SPDX-License-Identifier: MIT */
/* A batch's life: made from the options (policy, source, read-ahead, shard, resume, writers,
 * results folder, engine, jobservers), run (sched.c), ended, and its exit status. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "batch/batch.h"
#include "batch/sched.h"
#include "engine/engine.h"

/* The source's kind of input for the public RF_BATCH_* value. Returns 0 or -EINVAL. */
static int input_kind(int32_t input, enum batch_input_kind *ret, rf_error *err)
{
        switch (input) {
        case RF_BATCH_ARGS:
                *ret = BATCH_INPUT_ARGS;
                return 0;
        case RF_BATCH_LINES:
                *ret = BATCH_INPUT_LINES;
                return 0;
        case RF_BATCH_JSONL:
                *ret = BATCH_INPUT_JSONL;
                return 0;
        default:
                return rf_error_set(err, -EINVAL,
                                    "rf_batch_run: input %d is not RF_BATCH_ARGS, "
                                    "RF_BATCH_LINES or RF_BATCH_JSONL",
                                    (int)input);
        }
}

/* -j 0: as many as the fds allow (each job holds about eight while it runs), at most 1024. */
static int jobs_for(const rf_batch_options *o)
{
        struct rlimit rl;
        int n = 1024;

        if (o->jobs > 0)
                return o->jobs;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur / 8 < (rlim_t)n)
                n = (int)(rl.rlim_cur / 8);
        return n > 0 ? n : 1;
}

/* The jobs' source, and (for a file) the read-ahead. */
static int open_input(struct batch *b, rf_error *err)
{
        const rf_batch_options *o = b->o;
        struct batch_source_opts so = { .kind = b->input,
                                        .path = o->input_path,
                                        .nul = o->nul,
                                        .template_ = o->command };
        int r;

        so.n_groups = (size_t)o->n_arg_groups;
        for (size_t i = 0; i < so.n_groups && i < 8; i++)
                so.groups[i] = o->arg_groups[i];
        if ((r = batch_source_open(&so, &b->src, err)) < 0)
                return r;
        /* A file is read ahead first: a malformed line stops the batch before anything runs,
         * and the number of jobs gives the progress line its ETA. */
        if (!o->skip_bad_input || o->progress || b->input == BATCH_INPUT_ARGS) {
                r = batch_source_prescan(&so, b->p, !o->skip_bad_input, &b->n_inputs, err);
                if (r < 0)
                        return r;
                b->n_inputs_known = r > 0;
        }
        return 0;
}

/* What an earlier run finished (--resume), the record writers, the --results folder. */
static int open_records(struct batch *b, rf_error *err)
{
        const rf_batch_options *o = b->o;
        bool resume = o->resume || o->resume_failed;
        int r;

        if (resume &&
            (r = batch_done_load_shard(o->json_path, o->joblog_path,
                                       b->shard_name[0] ? b->shard_name : NULL, &b->done, err)) < 0)
                return r;
        if ((o->json_path || o->joblog_path) && !o->dry_run &&
            (r = batch_writers_open(o->json_path, o->joblog_path, resume, &b->w, err)) < 0)
                return r;
        /* A kill between a job's --json record and its joblog line left the joblog short. */
        if (b->w && resume &&
            (r = batch_joblog_rebuild(o->json_path, o->joblog_path, b->w, err)) < 0)
                return r;
        if (o->results_dir && mkdir(o->results_dir, 0755) < 0 && errno != EEXIST)
                return rf_error_set(err, -errno, "--results %s: %s", o->results_dir,
                                    strerror(errno));
        return 0;
}

static int setup(struct batch *b, rf_error *err)
{
        int r;

        if ((r = input_kind(b->o->input, &b->input, err)) < 0 ||
            (r = policy_compile(b->p, &b->bpf, err)) < 0 || (r = open_input(b, err)) < 0)
                return r;
        /* The shard first: it continues only its own records. */
        if ((r = batch_shard_open(b, err)) < 0 || (r = open_records(b, err)) < 0)
                return r;
        b->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (b->devnull < 0)
                return rf_error_set(err, -errno, "/dev/null: %s", strerror(errno));
        if ((r = batch_engine_new(b, b->o->signal_fd, err)) < 0)
                return r;
        return batch_jobservers_open(b, err);
}

int batch_new(const rf_policy *p, const rf_batch_options *o, rf_batch_share *share,
              struct batch **ret, rf_error *err)
{
        struct batch *b = xcalloc(1, sizeof(*b));
        rf_error local = { 0 };
        int r;

        b->o = o;
        b->p = p;
        b->share = share;
        b->fds[0] = 1;
        b->fds[1] = 2;
        b->devnull = -1;
        b->jobs = jobs_for(o);
        r = setup(b, err ? err : &local);
        if (r < 0) {
                batch_free(b);
                return r;
        }
        *ret = b;
        return 0;
}

int batch_run(struct batch *b, rf_batch_summary *ret, rf_error *err)
{
        rf_error local = { 0 };
        int r;

        if (!err)
                err = &local;
        r = batch_drive(b, err);
        /* The batch ends: its engine, its jobservers, then its writers (every record on disk). */
        engine_free(TAKE_PTR(b->e));
        batch_jobservers_close(b);
        if (b->w) {
                int c = batch_writers_close(TAKE_PTR(b->w), r < 0 ? NULL : err);
                if (r == 0)
                        r = c;
        }
        *ret = b->sum;
        return r;
}

void batch_free(struct batch *b)
{
        if (!b)
                return;
        engine_free(b->e);
        batch_jobservers_close(b);
        batch_shard_close(b);
        if (b->w)
                (void)batch_writers_close(b->w, NULL);
        batch_done_free(b->done);
        batch_source_free(b->src);
        policy_bpf_done(&b->bpf);
        if (b->devnull >= 0)
                close(b->devnull);
        free(b);
}

uint64_t batch_failures(const rf_batch_summary *s)
{
        return s->failed + s->timed_out + s->violations + s->spawn_errors + s->skipped;
}

int32_t batch_exit_status(const rf_batch_summary *s, int r)
{
        uint64_t f = batch_failures(s);

        if (r < 0)
                return RF_EXIT_INTERNAL;
        return (int32_t)(f > 100 ? 100 : f);
}
