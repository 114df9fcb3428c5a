/* SPDX-License-Identifier: MIT */
/* The batch driver's state, shared by its files (sched.c, run.c). */
#pragma once

#include "batch/batch.h"
#include "batch/output.h"
#include "engine/engine.h"

/* One job of the batch, from read to printed. */
struct bjob {
        struct batch *b;
        struct batch_input in;
        uint32_t attempt;
        char *cmdline;
        char tag[256];          /* --tag prefix: the input values */
        struct outbuf out[2];   /* grouped output, or the unfinished line (--line-buffer) */
        int files[3];           /* --results: stdout, stderr, record.json; -1 */
        int stdin_fd;           /* JSONL stdin data (a memfd), or -1 */
        struct rf_policy *policy; /* JSONL "set", "env", "cwd": the job's own policy, or NULL */
        struct policy_bpf bpf;    /* ... compiled, when its "set" changed seccomp */
        bool own_bpf;
        bool finished;
        rf_result last;         /* the last attempt's result, while a retry waits */
        struct bjob *order_next; /* --keep-order queue */
        struct bjob *retry_next; /* retry queue */
        struct bjob *run_prev, *run_next; /* running jobs (signals.c), for SIGUSR1 */
        uint64_t started_us;     /* when its attempt started (monotonic) */
};

struct batch {
        const rf_batch_options *o;
        const rf_policy *p;
        struct policy_bpf bpf;
        struct engine *e;
        struct batch_source *src;
        struct batch_writers *w;
        struct batch_done_set *done;
        rf_batch_summary sum;
        int fds[2];              /* our stdout and stderr */
        int devnull;
        int jobs;                /* in flight at most */
        bool eof, stop_starting, write_failed;
        int signals;
        rf_error write_error;
        struct bjob *order_head, *order_tail;
        struct bjob *retry_head;
        uint64_t start_us, last_progress_us;
        uint64_t n_inputs;       /* jobs in the input, when known (n_inputs_known) */
        bool n_inputs_known;
        struct bjob *running;    /* the jobs running now (signals.c) */
        bool progress_toggled;   /* SIGUSR2 turned the progress line the other way */
        bool progress_shown;     /* a progress line is on stderr, without its newline */
};

/* Create b's engine, with the batch's job and signal handlers. Returns 0 or -errno. */
int batch_engine_new(struct batch *b, int signal_fd, rf_error *err);
/* Keep track of the jobs running now, for SIGUSR1 (signals.c). */
void batch_running_add(struct batch *b, struct bjob *bj);
void batch_running_remove(struct batch *b, struct bjob *bj);
/* The engine calls this for each signal read from the signal fd (signals.c). */
void batch_on_signal(void *ctx, int signo);
/* Draw the progress line on stderr when b's options ask for it, at most five times a second
 * unless final (which ends it with a newline) (progress.c). */
void batch_progress(struct batch *b, bool final);
/* Run the batch described by b (set up by rf_batch_run). Returns 0 or -errno. */
int batch_drive(struct batch *b, rf_error *err);
