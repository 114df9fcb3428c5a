/* SPDX-License-Identifier: MIT */
/* What only the engine's own files share: the loop, the per-job state, the tagged operations. */
#pragma once

#include <liburing.h>
#include <poll.h>
#include <signal.h>

#include "engine/engine.h"
#include "sandbox/sandbox.h"

/* The kinds of operation a job has in flight; one slot each. */
enum eop_kind {
        EOP_EXIT,
        EOP_CHAN,
        EOP_LISTENER,
        EOP_OUT,
        EOP_ERR,
        EOP_TIMEOUT,
        EOP_DRAIN,
        EOP_CANCEL,
        _EOP_MAX,
        EOP_SIGNAL = 100,
        EOP_POOL
};

struct ejob;

/* One submitted operation; its address is the SQE's user_data. */
struct eop {
        struct ejob *job; /* NULL for the engine's own (signal fd) */
        int kind;
        bool pending;
};

/* A running job. */
struct ejob {
        struct engine *e;
        struct engine_job spec;
        /* what is counted while it runs (start and wall time, output bytes, violations): a fact
         * for the verdict, which makes the result */
        struct engine_result res;
        struct sandbox_plan *plan;
        struct sandbox_proc proc;
        int listener;
        int pipes[2], sinks[2];
        bool exited, got_exit, got_error, timed_out, output_cut, killed_violation, fallback;
        /* With a pool: a worker plans and spawns the job; until its answer the worker owns plan,
         * proc and spawn_err, and a kill waits in kill_signo. */
        bool spawning;
        int kill_signo;
        int stdio[3];
        rf_error spawn_err;
        bool started; /* the init said the command started */
        struct child_msg exit_msg, error_msg;
        siginfo_t info;
        uint64_t start_us;
        struct __kernel_timespec timeout_ts, drain_ts;
        struct eop ops[_EOP_MAX];
        int pending;
        char buf[2][16384];
        struct ejob *prev, *next;
};

/* A completion taken off the ring before its turn, handled at the next engine_wait. */
struct ecqe {
        uint64_t data; /* the completion's user_data: a struct eop, or a user op (loop.c) */
        int res;
        unsigned flags;
};

struct engine {
        struct io_uring ring;
        bool have_waitid;
        engine_done_fn done;
        engine_signal_fn on_signal;
        void *ctx;
        int signal_fd;
        struct eop sig_op;
        struct pool *pool;  /* workers that spawn jobs, or NULL: spawn on this thread */
        struct eop pool_op; /* the poll on the pool's eventfd */
        struct ecqe *stash; /* see engine_sqe */
        size_t n_stash, cap_stash;
        int running;
        int user_pending; /* engine_ops in flight */
        struct ejob *jobs;
};

/* A free SQE, submitting first if the ring is full. */
struct io_uring_sqe *engine_sqe(struct engine *e);
/* Arm op (a poll, read, wait or timeout prepared by the caller on sqe). */
void engine_arm(struct engine *e, struct io_uring_sqe *sqe, struct eop *op);
/* Prepare an IORING_OP_WAITID on pidfd (liburing 2.3 has no helper). */
void engine_prep_waitid(struct io_uring_sqe *sqe, int pidfd, siginfo_t *info);

/* Start a job: plan and spawn it (here, or on the pool), then arm its operations (job.c). It
 * cannot fail: a job that cannot start ends at once with its spawn-error result. */
void ejob_start(struct engine *e, const struct engine_job *spec);
/* Handle one completion of one of a job's operations (job.c). */
void ejob_complete(struct ejob *j, int kind, int res, unsigned cqe_flags);
/* Kill a job's init (job.c). */
void ejob_kill(struct ejob *j, int signo);
