/* SPDX-License-Identifier: MIT */
/* The batch's state, shared by its files (batch.c, sched.c, lane.c, slots.c, signals.c,
 * progress.c). */
#pragma once

#include "batch/batch.h"
#include "batch/jobserver.h"
#include "batch/output.h"
#include "engine/engine.h"

/* One job of the batch, from read to printed. */
struct bjob {
        struct batch *b;
        struct batch_input in;
        uint32_t attempt;
        char *cmdline;
        char tag[256];            /* --tag prefix: the input values */
        struct outbuf out[2];     /* grouped output, or the unfinished line (--line-buffer) */
        int files[3];             /* --results: stdout, stderr, record.json; -1 */
        int stdin_fd;             /* JSONL stdin data (a memfd), or -1 */
        struct rf_policy *policy; /* JSONL "set", "env", "cwd": the job's own policy, or NULL */
        struct policy_bpf bpf;    /* ... compiled, when its "set" changed seccomp */
        bool own_bpf;
        bool finished;
        struct engine_result last; /* the last attempt's result, while a retry waits */
        struct bjob *order_next;   /* --keep-order queue */
        struct bjob *retry_next;   /* retry queue */
        /* running jobs (signals.c), for SIGUSR1 */
        struct bjob *run_prev, *run_next;
        uint64_t started_us; /* when its attempt started (monotonic) */
        struct js_hold hold; /* jobserver client: its slot */
        struct js_job *jsj;  /* jobserver server: its fifo */
        char key[17];        /* with shards: its key, hex */
};

struct batch {
        const rf_batch_options *o;
        const rf_policy *p;
        enum batch_input_kind input; /* o->input, as the source knows it */
        struct policy_bpf bpf;
        struct engine *e;
        struct batch_source *src;
        struct batch_writers *w;
        struct batch_done_set *done;
        rf_batch_summary sum;
        int fds[2]; /* our stdout and stderr */
        int devnull;
        int jobs; /* in flight at most */
        bool eof, stop_starting, write_failed;
        int signals;
        rf_error write_error;
        struct bjob *order_head, *order_tail;
        struct bjob *retry_head;
        uint64_t start_us, last_progress_us;
        uint64_t n_inputs; /* jobs in the input, when known (n_inputs_known) */
        bool n_inputs_known;
        struct bjob *running;  /* the jobs running now (signals.c) */
        bool progress_toggled; /* SIGUSR2 turned the progress line the other way */
        bool progress_shown;   /* a progress line is drawn (RF_LOG_PROGRESS), not yet ended */
        /* sharing (slots.c): make's jobserver, ours, the shard */
        rf_batch_share *share;
        struct js_client *jsc;
        struct js_server *jss;
        struct batch_keyset *keys;
        uint64_t keys_sum;
        char shard_name[24]; /* "I/N", or "" */
        /* the write lane (lane.c): queued, in flight (a worker's until its done), counted */
        struct lane_op *lane_head, *lane_tail, *lane_busy;
        size_t lane_queued;
        bool lane_records_failed; /* the worker's: a record could not be written */
};

/* Create b's engine, with the batch's job and signal handlers. Returns 0 or -errno. */
int batch_engine_new(struct batch *b, int signal_fd, rf_error *err);
/* Keep track of the jobs running now, for SIGUSR1 (signals.c). */
void batch_running_add(struct batch *b, struct bjob *bj);
void batch_running_remove(struct batch *b, struct bjob *bj);
/* The engine calls this for each signal read from the signal fd (signals.c). */
void batch_on_signal(void *ctx, int signo);
/* Draw the progress line (to the log, RF_LOG_PROGRESS) when b's options ask for it, at most
 * five times a second unless final (which leaves it as a line of its own) (progress.c). */
void batch_progress(struct batch *b, bool final);
/* The scheduler's hooks into sharing (slots.c). The shard b->share names (its key set and
 * "I/N" name), checked; before anything reads earlier records. Returns 0 or -EINVAL. */
int batch_shard_open(struct batch *b, rf_error *err);
/* Open the jobserver b->share asks for (make's, or ours for the jobs). Returns 0 or -errno. */
int batch_jobservers_open(struct batch *b, rf_error *err);
/* Whether a job may start now as far as the jobservers go (no jobserver: always). */
bool batch_slot_ready(struct batch *b);
/* Job bj's attempt starts: give it its slot (and with our jobserver, its fifo and MAKEFLAGS in
 * its own policy). Returns 0 or -errno. */
int batch_slot_take(struct batch *b, struct bjob *bj, rf_error *err);
/* Job bj's attempt ended: its slot and tokens go back. */
void batch_slot_put(struct batch *b, struct bjob *bj);
/* Job bj is done with for good. */
void batch_slot_forget(struct batch *b, struct bjob *bj);
/* Before waiting: more says whether more jobs may still start; if not, spare tokens go back. */
void batch_slots_idle(struct batch *b, bool more);
/* The batch's jobs have ended: every token goes back (and make's are counted in b->share). */
void batch_jobservers_finish(struct batch *b);
/* Close the jobservers (none open: nothing). */
void batch_jobservers_close(struct batch *b);
/* With shards: give input bj its key (bj->key) and count it in b->share. Returns whether the
 * job is this shard's, to run (always true without shards). */
bool batch_shard_assign(struct batch *b, struct bjob *bj);
/* With shards, a batch that read its whole input (complete): the shard's end line to --json. */
void batch_shard_finish(struct batch *b, bool complete);
/* Free the shard's key set (no shard: nothing). */
void batch_shard_close(struct batch *b);

/* Free job bj, done with for good (sched.c). */
void batch_job_free(struct bjob *bj);
/* The write lane (lane.c). Queue job bj's record of res (NULL: none) and, with emit, its
 * output; with free_job, free bj once written. The writes happen on a worker, in queue order. */
void batch_lane_record(struct batch *b, struct bjob *bj, const struct engine_result *res, bool emit,
                       bool free_job);
/* Queue job bj's output, then free bj. */
void batch_lane_emit(struct batch *b, struct bjob *bj);
/* Whether the lane holds as many jobs as it may (start no more until it drains). */
bool batch_lane_full(const struct batch *b);
/* Wait until everything queued is written and its jobs freed. Returns 0 or -errno. */
int batch_lane_drain(struct batch *b);

/* Run the jobs of b (made by batch_new) until the input ends or the batch stops, and write
 * every record. Returns 0 or -errno with err. */
int batch_drive(struct batch *b, rf_error *err);
