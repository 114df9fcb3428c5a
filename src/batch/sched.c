/* SPDX-License-Identifier: MIT */
/* Running a batch on the engine: read jobs as slots free up (constant memory), start each in its
 * own sandbox, retry, halt, keep order, and write exactly one record per job. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "batch/batch.h"
#include "batch/output.h"
#include "batch/sched.h"
#include "engine/engine.h"

/* The command line of a job as one string, for the joblog and --dry-run. */
static char *join_argv(char *const *argv)
{
        struct jw j = { 0 };
        size_t n = 0;

        for (size_t i = 0; argv[i]; i++)
                n += strlen(argv[i]) + 1;
        array_grow(&j.buf, &j.cap, n + 1, 1);
        j.buf[0] = '\0';
        for (size_t i = 0; argv[i]; i++) {
                if (i)
                        strcat(j.buf, " ");
                strcat(j.buf, argv[i]);
        }
        return j.buf;
}

void batch_job_free(struct bjob *bj)
{
        if (!bj)
                return;
        batch_slot_forget(bj->b, bj);
        batch_input_done(&bj->in);
        outbuf_done(&bj->out[0]);
        outbuf_done(&bj->out[1]);
        for (int i = 0; i < 3; i++)
                if (bj->files[i] >= 0)
                        close(bj->files[i]);
        if (bj->stdin_fd >= 0)
                close(bj->stdin_fd);
        if (bj->own_bpf)
                policy_bpf_done(&bj->bpf);
        if (bj->policy) {
                policy_done(bj->policy);
                free(bj->policy);
        }
        free(bj->cmdline);
        free(bj);
}

static void count(struct batch *b, const struct engine_result *res)
{
        rf_batch_summary *s = &b->sum;
        s->total++;
        /* clang-format off */
        switch (res->status) {
        case RF_STATUS_OK: s->ok++; break;
        case RF_STATUS_TIMEOUT: s->timed_out++; break;
        case RF_STATUS_VIOLATION: s->violations++; break;
        case RF_STATUS_SKIPPED: s->skipped++; break;
        case RF_STATUS_SPAWN_ERROR: s->spawn_errors++; break;
        default: s->failed++; break;
        }
        /* clang-format on */
}

/* --halt: stop starting (soon) or also kill what runs (now) once the condition holds. */
static void check_halt(struct batch *b)
{
        const rf_batch_options *o = b->o;
        uint64_t n = o->halt_on_success ? b->sum.ok : batch_failures(&b->sum);
        bool hit;

        if (o->halt == RF_HALT_NEVER || b->sum.halted)
                return;
        hit = o->halt_count ? n >= o->halt_count
                            : o->halt_percent && b->sum.total >= 3 &&
                                      n * 100 >= (uint64_t)o->halt_percent * b->sum.total;
        if (!hit)
                return;
        b->sum.halted = 1;
        b->stop_starting = true;
        if (o->halt == RF_HALT_NOW)
                engine_signal_all(b->e, SIGKILL);
}

/* With --keep-order, print the finished jobs at the head of the input order. */
static void emit_in_order(struct batch *b)
{
        while (b->order_head && b->order_head->finished) {
                struct bjob *bj = b->order_head;
                b->order_head = bj->order_next;
                if (!b->order_head)
                        b->order_tail = NULL;
                batch_lane_emit(b, bj);
        }
}

/* The engine calls this with what a job wrote. */
static void on_output(void *user, int stream, const char *buf, size_t n)
{
        struct bjob *bj = user;
        struct batch *b = bj->b;

        /* --results files are written with the record, on a worker (lane.c). */
        if (b->o->line_buffer && bj->files[stream] < 0)
                (void)output_lines(&bj->out[stream], b->o->tag ? bj->tag : NULL, buf, n, false,
                                   b->fds[stream]);
        else
                (void)outbuf_add(&bj->out[stream], buf, n);
}

static bool should_retry(const struct batch *b, const struct bjob *bj,
                         const struct engine_result *res)
{
        return res->status != RF_STATUS_OK && res->status != RF_STATUS_SKIPPED &&
               bj->attempt <= b->o->retries && !b->stop_starting;
}

/* The engine calls this once per finished job. */
static void on_done(void *ctx, const struct engine_job *job, const struct engine_result *res)
{
        struct batch *b = ctx;
        struct bjob *bj = job->user;

        batch_running_remove(b, bj);
        batch_slot_put(b, bj);
        if (should_retry(b, bj, res)) {
                /* Keep its place in the order; what it printed so far is dropped. */
                outbuf_done(&bj->out[0]);
                outbuf_done(&bj->out[1]);
                outbuf_init(&bj->out[0]);
                outbuf_init(&bj->out[1]);
                bj->last = *res;
                bj->retry_next = b->retry_head;
                b->retry_head = bj;
                return;
        }
        /* No attempt follows: its jobserver fifo and fds go now, not when its record is out
         * (--keep-order may hold many finished jobs behind a slow one). */
        batch_slot_forget(b, bj);
        count(b, res);
        check_halt(b);
        batch_progress(b, false);
        batch_lane_record(b, bj, res, !b->o->keep_order, !b->o->keep_order);
        if (b->o->keep_order) {
                bj->finished = true;
                emit_in_order(b);
        }
}

/* A job that will not run (its input was bad): one record saying why. */
static void skip(struct batch *b, struct bjob *bj)
{
        struct engine_result res;

        engine_result_unstarted(&res, bj->in.error);
        res.status = RF_STATUS_SKIPPED;
        res.start_unix_us = (int64_t)time(NULL) * 1000000;
        bj->attempt = 1; /* the one time it was considered */
        base_log(RF_LOG_WARNING, "ringfence batch: %s (job %llu skipped)", bj->in.error,
                 (unsigned long long)bj->in.seq);
        count(b, &res);
        check_halt(b);
        batch_lane_record(b, bj, &res, false, true);
}

static int open_results(struct batch *b, struct bjob *bj, rf_error *err)
{
        static const char *const names[3] = { "stdout", "stderr", "record.json" };
        char dir[4096], path[4200];

        snprintf(dir, sizeof(dir), "%s/%llu", b->o->results_dir, (unsigned long long)bj->in.seq);
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return rf_error_set(err, -errno, "--results %s: %s", dir, strerror(errno));
        for (int i = 0; i < 3; i++) {
                if (bj->files[i] >= 0)
                        close(bj->files[i]);
                snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
                bj->files[i] = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (bj->files[i] < 0)
                        return rf_error_set(err, -errno, "--results %s: %s", path, strerror(errno));
        }
        return 0;
}

/* Start job bj's next attempt. Returns 0, or -errno with err saying what failed (its jobserver
 * fifo, its --results files). */
static int start(struct batch *b, struct bjob *bj, rf_error *err)
{
        struct engine_job job = { .bpf = bj->own_bpf ? &bj->bpf : &b->bpf,
                                  .argv = bj->in.argv.v,
                                  .stdio = { b->devnull, -1, -1 },
                                  .sinks = { -1, -1 },
                                  .capture = true,
                                  .on_output = on_output,
                                  .user = bj };
        int r;

        if ((r = batch_slot_take(b, bj, err)) < 0)
                return r;
        job.policy = bj->policy ? bj->policy : b->p;
        bj->attempt++;
        if (b->o->results_dir && (r = open_results(b, bj, err)) < 0)
                return r;
        if (bj->stdin_fd >= 0) {
                (void)lseek(bj->stdin_fd, 0, SEEK_SET);
                job.stdio[0] = bj->stdin_fd;
        }
        batch_running_add(b, bj);
        engine_start(b->e, &job);
        return 0;
}

static void tag_of(struct bjob *bj)
{
        size_t n = 0;

        bj->tag[0] = '\0';
        for (size_t i = 0; i < bj->in.args.n && n + 2 < sizeof(bj->tag); i++)
                n += (size_t)snprintf(bj->tag + n, sizeof(bj->tag) - n, "%s%s", i ? " " : "",
                                      bj->in.args.v[i]);
}

/* JSONL stdin data goes in through a memfd (no pipe to keep fed). */
static int stdin_memfd(struct bjob *bj, rf_error *err)
{
        bj->stdin_fd = memfd_create("ringfence-stdin", MFD_CLOEXEC);
        if (bj->stdin_fd < 0 ||
            output_write_all(bj->stdin_fd, bj->in.stdin_data, bj->in.stdin_len) < 0)
                return rf_error_set(err, -errno, "job %llu: stdin: %s",
                                    (unsigned long long)bj->in.seq, strerror(errno));
        return 0;
}

/* A job's own settings (JSON lines): a copy of the batch's policy with them applied. On a bad
 * setting the job is skipped with the reason. Returns 0 or -EINVAL. */
static int own_policy(struct batch *b, struct bjob *bj)
{
        struct rf_policy *own = xcalloc(1, sizeof(*own));
        rf_error e = { 0 };
        bool seccomp = false;
        int r = batch_job_policy(b->p, &bj->in, own, &seccomp, &e);

        if (r <= 0) {
                free(own);
        } else {
                bj->policy = own;
                r = seccomp ? policy_compile(own, &bj->bpf, &e) : 0;
                bj->own_bpf = seccomp && r == 0;
        }
        if (r < 0)
                bj->in.error = xstrdup(e.msg);
        return r < 0 ? r : 0;
}

/* Read the next input and start it, skip it, or print it (--dry-run). Returns 1 when a slot was
 * used or an input consumed, 0 at the end of the input, or -errno. */
static int next_job(struct batch *b, rf_error *err)
{
        struct bjob *bj = xcalloc(1, sizeof(*bj));
        int r;

        bj->b = b;
        bj->files[0] = bj->files[1] = bj->files[2] = bj->stdin_fd = -1;
        outbuf_init(&bj->out[0]);
        outbuf_init(&bj->out[1]);
        r = batch_source_next(b->src, &bj->in, err);
        if (r <= 0) {
                batch_job_free(bj);
                b->eof = true;
                return r;
        }
        if (!batch_shard_assign(b, bj)) {
                batch_job_free(bj);
                return 1;
        }
        if (b->done && batch_done_has(b->done, bj->in.seq, b->o->resume_failed)) {
                b->sum.resumed++;
                batch_job_free(bj);
                return 1;
        }
        if (bj->in.error) {
                skip(b, bj);
                return 1;
        }
        bj->cmdline = join_argv(bj->in.argv.v);
        if (b->o->dry_run) {
                (void)output_write_all(b->fds[0], bj->cmdline, strlen(bj->cmdline));
                (void)output_write_all(b->fds[0], "\n", 1);
                batch_job_free(bj);
                return 1;
        }
        if (own_policy(b, bj) < 0) {
                skip(b, bj);
                return 1;
        }
        tag_of(bj);
        if (bj->in.stdin_data && (r = stdin_memfd(bj, err)) < 0) {
                batch_job_free(bj);
                return r;
        }
        if (b->o->keep_order) {
                if (b->order_tail)
                        b->order_tail->order_next = bj;
                else
                        b->order_head = bj;
                b->order_tail = bj;
        }
        if ((r = start(b, bj, err)) < 0)
                return r;
        return 1;
}

int batch_drive(struct batch *b, rf_error *err)
{
        int r = 0;

        b->start_us = base_now_us(CLOCK_MONOTONIC);
        for (;;) {
                while (b->retry_head && !b->stop_starting && engine_running(b->e) < b->jobs &&
                       batch_slot_ready(b)) {
                        struct bjob *bj = b->retry_head;
                        b->retry_head = bj->retry_next;
                        if ((r = start(b, bj, err)) < 0)
                                goto out;
                }
                while (!b->eof && !b->stop_starting && engine_running(b->e) < b->jobs &&
                       !batch_lane_full(b) && batch_slot_ready(b))
                        if ((r = next_job(b, err)) < 0)
                                goto out;
                if (engine_running(b->e) == 0 && (b->eof || b->stop_starting) &&
                    (!b->retry_head || b->stop_starting))
                        break;
                batch_slots_idle(b, !b->stop_starting && (!b->eof || b->retry_head));
                if ((r = engine_wait(b->e, -1)) < 0)
                        goto out;
                r = 0;
        }
out:
        /* Whatever still waits (an error above, or retries cut short) is not lost silently. */
        engine_signal_all(b->e, SIGKILL);
        while (engine_running(b->e) > 0 && engine_wait(b->e, 1000) >= 0)
                ;
        while (b->retry_head) {
                /* A retry that will not run now: its last attempt is its record. */
                struct bjob *bj = b->retry_head;
                b->retry_head = bj->retry_next;
                count(b, &bj->last);
                bj->finished = true;
                batch_lane_record(b, bj, &bj->last, !b->o->keep_order, !b->o->keep_order);
        }
        if (b->o->keep_order)
                emit_in_order(b);
        /* Every record and output written before the shard's end line and the summary. */
        {
                int dr = batch_lane_drain(b);
                if (r == 0 && dr < 0)
                        r = rf_error_set(err, dr, "waiting for the batch's writes: %s",
                                         rf_strerror(dr));
        }
        batch_jobservers_finish(b);
        batch_shard_finish(b, r == 0 && b->eof && !b->stop_starting && !b->write_failed);
        batch_progress(b, true);
        b->sum.wall_us = base_now_us(CLOCK_MONOTONIC) - b->start_us;
        if (r == 0 && b->write_failed) {
                *err = b->write_error;
                r = err->code;
        }
        return r;
}

int batch_engine_new(struct batch *b, int signal_fd, rf_error *err)
{
        int r = engine_new(on_done, batch_on_signal, signal_fd, b, &b->e, err);

        /* Spawns run on worker threads (one per core), while the engine reads and reaps. */
        return r < 0 ? r : engine_use_pool(b->e, 0, err);
}
