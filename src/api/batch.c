/* SPDX-License-Identifier: MIT */
/* rf_batch_run: a batch from options to summary (the scheduling is src/batch/sched.c). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/base.h"
#include "batch/sched.h"

RF_EXPORT void rf_batch_options_init(rf_batch_options *o)
{
        memset(o, 0, sizeof(*o));
        o->jobs = (int32_t)sysconf(_SC_NPROCESSORS_ONLN);
        if (o->jobs < 1)
                o->jobs = 1;
        o->input = RF_BATCH_LINES;
        o->signal_fd = -1;
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

static int setup(struct batch *b, const rf_batch_options *o, const rf_batch_share *share,
                 rf_error *err)
{
        struct batch_source_opts so = { .kind = (enum batch_input_kind)o->input,
                                        .path = o->input_path, .nul = o->nul,
                                        .template_ = o->command };
        int r;

        so.n_groups = (size_t)o->n_arg_groups;
        for (size_t i = 0; i < so.n_groups && i < 8; i++)
                so.groups[i] = o->arg_groups[i];
        if ((r = policy_compile(b->p, &b->bpf, err)) < 0)
                return r;
        if ((r = batch_source_open(&so, &b->src, err)) < 0)
                return r;
        /* A file is read ahead first: a malformed line stops the batch before anything runs,
         * and the number of jobs gives the progress line its ETA. */
        if (!o->skip_bad_input || o->progress || o->input == RF_BATCH_ARGS) {
                r = batch_source_prescan(&so, b->p, !o->skip_bad_input, &b->n_inputs, err);
                if (r < 0)
                        return r;
                b->n_inputs_known = r > 0;
        }
        /* The shard first: it continues only its own records. */
        if ((r = batch_shard_open(b, share, err)) < 0)
                return r;
        if ((o->resume || o->resume_failed) &&
            (r = batch_done_load_shard(o->json_path, o->joblog_path,
                                       b->shard_name[0] ? b->shard_name : NULL, &b->done,
                                       err)) < 0)
                return r;
        if ((o->json_path || o->joblog_path) && !o->dry_run &&
            (r = batch_writers_open(o->json_path, o->joblog_path,
                                    o->resume || o->resume_failed, &b->w, err)) < 0)
                return r;
        /* A kill between a job's --json record and its joblog line left the joblog short. */
        if (b->w && (o->resume || o->resume_failed) &&
            (r = batch_joblog_rebuild(o->json_path, o->joblog_path, b->w, err)) < 0)
                return r;
        if (o->results_dir && mkdir(o->results_dir, 0755) < 0 && errno != EEXIST)
                return rf_error_set(err, -errno, "--results %s: %s", o->results_dir,
                                    strerror(errno));
        b->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (b->devnull < 0)
                return rf_error_set(err, -errno, "/dev/null: %s", strerror(errno));
        return batch_engine_new(b, o->signal_fd, err);
}

RF_EXPORT int rf_batch_run(const rf_policy *p, const rf_batch_options *o, rf_batch_summary *ret,
                           rf_error *err)
{
        return rf_batch_run_shared(p, o, NULL, ret, err);
}

RF_EXPORT void rf_batch_share_init(rf_batch_share *s)
{
        memset(s, 0, sizeof(*s));
}

RF_EXPORT int rf_batch_run_shared(const rf_policy *p, const rf_batch_options *o,
                                  rf_batch_share *share, rf_batch_summary *ret, rf_error *err)
{
        struct batch b;
        rf_error local = { 0 };
        int r;

        if (!p || !o || !ret)
                return rf_error_set(err, -EINVAL, "rf_batch_run: policy, options and summary are "
                                                  "needed");
        memset(&b, 0, sizeof(b));
        memset(ret, 0, sizeof(*ret));
        b.o = o;
        b.p = p;
        b.fds[0] = 1;
        b.fds[1] = 2;
        b.devnull = -1;
        b.jobs = jobs_for(o);
        r = setup(&b, o, share, err ? err : &local);
        if (r == 0)
                r = batch_share_open(&b, share, err ? err : &local);
        if (r == 0)
                r = batch_drive(&b, err ? err : &local);
        engine_free(b.e);
        batch_share_close(&b);
        if (b.w) {
                int c = batch_writers_close(b.w, r < 0 ? NULL : (err ? err : &local));
                if (r == 0)
                        r = c;
        }
        batch_done_free(b.done);
        batch_source_free(b.src);
        policy_bpf_done(&b.bpf);
        if (b.devnull >= 0)
                close(b.devnull);
        *ret = b.sum;
        if (r < 0) {
                ret->exit_status = RF_EXIT_INTERNAL;
                return r;
        }
        {
                uint64_t f = ret->failed + ret->timed_out + ret->violations + ret->spawn_errors +
                             ret->skipped;
                ret->exit_status = (int32_t)(f > 100 ? 100 : f);
        }
        return 0;
}
