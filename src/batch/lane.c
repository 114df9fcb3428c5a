/* SPDX-License-Identifier: MIT */
/* The batch's write lane: what a finished job leaves to write (its record to --json, --joblog
 * and --results, its output to the terminal or its --results files) is written on a worker
 * thread, in the order it was queued, so that the engine's thread never waits on a disk or a
 * slow reader. One batch of writes is in flight at a time; the jobs are freed on the engine's
 * thread when their writes are done. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "batch/batch.h"
#include "batch/output.h"
#include "batch/sched.h"
#include "engine/engine.h"

/* One thing to write for one job. */
struct lane_op {
        struct lane_op *next;
        struct bjob *bj;
        /* with record: the result to write */
        struct engine_result res;
        bool record;   /* write its record */
        bool emit;     /* write its output */
        bool free_job; /* the job is done with after this */
        int code;      /* what writing met: 0, or -errno with err */
        rf_error err;
};

/* Writes in flight or queued, at most: each holds a job's output (1 MiB in memory at most). */
static size_t lane_cap(const struct batch *b)
{
        size_t cap = 2 * (size_t)(b->jobs > 0 ? b->jobs : 1);
        return cap < 8 ? 8 : cap > 256 ? 256 : cap;
}

static void op_failed(struct lane_op *op, int code, const char *name)
{
        const struct batch *b = op->bj->b;

        if (op->code)
                return;
        op->code = code;
        rf_error_set(&op->err, code, "--results %s/%llu/%s: %s", b->o->results_dir,
                     (unsigned long long)op->bj->in.seq, name, rf_strerror(code));
}

/* Worker: the job's --results files (stdout, stderr, record.json), then its record to --json and
 * --joblog. The record there is what --resume trusts, so it comes last: a host killed before it
 * runs the job again, which rewrites the files; never a recorded job with files missing. */
static void write_record(struct batch *b, struct lane_op *op)
{
        struct bjob *bj = op->bj;
        struct batch_record rec = { .seq = bj->in.seq,
                                    .attempt = bj->attempt,
                                    .argv = bj->in.argv.v,
                                    .res = &op->res,
                                    .command_line = bj->cmdline,
                                    .extra = { .key = bj->key[0] ? bj->key : NULL,
                                               .shard = b->shard_name[0] ? b->shard_name : NULL,
                                               .stdin_bytes = bj->in.stdin_len } };
        int r;

        for (int i = 0; i < 2; i++)
                if (bj->files[i] >= 0 && (r = outbuf_flush(&bj->out[i], bj->files[i])) < 0)
                        op_failed(op, r, i ? "stderr" : "stdout");
        if (bj->files[2] >= 0) {
                /* The same line as --json gets. */
                size_t len;
                _cleanup_free_ char *line = batch_record_line(&rec, &len);
                if ((r = output_write_all(bj->files[2], line, len)) < 0) {
                        (void)ftruncate(bj->files[2], 0); /* no torn record.json */
                        op_failed(op, r, "record.json");
                }
        }
        /* After one record could not be written, no later one is (the batch stops). */
        if (b->w && !b->lane_records_failed) {
                rf_error e = { 0 };
                if ((r = batch_writers_put(b->w, &rec, &e)) < 0) {
                        b->lane_records_failed = true;
                        if (!op->code) {
                                op->code = r;
                                op->err = e;
                        }
                }
        }
}

/* Worker: what the job wrote, all at once (grouped), to our stdout and stderr (a job with
 * --results files has written its output there, with its record); with --line-buffer only its
 * last unfinished lines are left. */
static void write_output(struct batch *b, struct lane_op *op)
{
        struct bjob *bj = op->bj;

        for (int i = 0; i < 2; i++) {
                if (bj->files[i] >= 0)
                        continue;
                if (b->o->line_buffer)
                        (void)output_lines(&bj->out[i], b->o->tag ? bj->tag : NULL, "", 0, true,
                                           b->fds[i]);
                else if (b->o->tag)
                        (void)outbuf_flush_lines(&bj->out[i], bj->tag, b->fds[i]);
                else
                        (void)outbuf_flush(&bj->out[i], b->fds[i]);
        }
}

/* Worker: every write of the batch in flight, in order. */
static int lane_work(void *arg)
{
        struct batch *b = arg;

        /* A job's output before its record: a host killed between the two prints it again
         * when --resume runs it again, rather than never (--keep-order prints later, in order). */
        for (struct lane_op *op = b->lane_busy; op; op = op->next) {
                if (op->emit)
                        write_output(b, op);
                if (op->record)
                        write_record(b, op);
        }
        return 0;
}

static void lane_kick(struct batch *b);

/* Engine's thread: the batch in flight is written; the first failure stops the batch (as a
 * failed record always did), the jobs done with are freed, and the next batch goes. */
static void lane_done(void *arg, int result)
{
        struct batch *b = arg;
        struct lane_op *op = b->lane_busy;

        /* The pool stopped before a worker took it (the engine is being freed): write here. */
        if (result == -ECANCELED)
                (void)lane_work(b);
        b->lane_busy = NULL;
        while (op) {
                struct lane_op *next = op->next;
                if (op->code < 0 && !b->write_failed) {
                        b->write_failed = true;
                        b->write_error = op->err;
                        b->stop_starting = true;
                        engine_signal_all(b->e, SIGKILL);
                }
                if (op->free_job)
                        batch_job_free(op->bj);
                free(op);
                b->lane_queued--;
                op = next;
        }
        lane_kick(b);
}

/* Hand what is queued to a worker, unless a batch is in flight. */
static void lane_kick(struct batch *b)
{
        if (b->lane_busy || !b->lane_head)
                return;
        b->lane_busy = b->lane_head;
        b->lane_head = b->lane_tail = NULL;
        /* Without a worker (the pool stops), write here: nothing is left unwritten. */
        if (engine_submit(b->e, lane_work, lane_done, b, NULL) < 0)
                lane_done(b, lane_work(b));
}

void batch_lane_record(struct batch *b, struct bjob *bj, const struct engine_result *res, bool emit,
                       bool free_job)
{
        struct lane_op *op = xcalloc(1, sizeof(*op));

        op->bj = bj;
        op->record = res != NULL;
        if (res)
                op->res = *res;
        op->emit = emit;
        op->free_job = free_job;
        if (b->lane_tail)
                b->lane_tail->next = op;
        else
                b->lane_head = op;
        b->lane_tail = op;
        b->lane_queued++;
        lane_kick(b);
}

void batch_lane_emit(struct batch *b, struct bjob *bj)
{
        batch_lane_record(b, bj, NULL, true, true);
}

bool batch_lane_full(const struct batch *b)
{
        return b->lane_queued >= lane_cap(b);
}

int batch_lane_drain(struct batch *b)
{
        int r = 0;

        while (b->lane_queued > 0 && (r = engine_wait(b->e, 1000)) >= 0)
                ;
        return r < 0 ? r : 0;
}
