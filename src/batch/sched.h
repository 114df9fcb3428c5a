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
};

/* Create b's engine, with the batch's job and signal handlers. Returns 0 or -errno. */
int batch_engine_new(struct batch *b, int signal_fd, rf_error *err);
/* Run the batch described by b (set up by rf_batch_run). Returns 0 or -errno. */
int batch_drive(struct batch *b, rf_error *err);
