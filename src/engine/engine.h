/* SPDX-License-Identifier: MIT */
/* The engine module's interface: one io_uring loop, owned by one thread, that starts sandboxed
 * jobs and watches every fd they have (pidfd, channel, output pipes, seccomp listener, timers)
 * until each has exactly one result. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ringfence.h"
#include "engine/result.h"
#include "policy/policy.h"

/* How one job is run. */
struct engine_job {
        const struct rf_policy *policy;
        const struct policy_bpf *bpf; /* compiled from policy, borrowed */
        char *const *argv;            /* borrowed until the job's done callback */
        int stdio[3];                 /* the job's 0, 1, 2: fds of ours, or -1 for ours */
        int sinks[2];                 /* with capture: where stdout and stderr go (-1: ours) */
        bool capture;                 /* read stdout/stderr through the host (count, cap) */
        /* with capture: called with what the job wrote on stream 0 (stdout) or 1 (stderr),
         * within the output cap, instead of writing it to the sinks */
        void (*on_output)(void *user, int stream, const char *buf, size_t n);
        void *user; /* the caller's, passed back */
};

struct engine;

/* Called once per job, on the engine's thread, with its result (valid during the call). */
typedef void (*engine_done_fn)(void *ctx, const struct engine_job *job,
                               const struct engine_result *res);
/* Called on the engine's thread for each signal read from the signal fd. */
typedef void (*engine_signal_fn)(void *ctx, int signo);

/* A new engine: done is called for every finished job; signal_fd (or -1) is a signalfd whose
 * signals go to on_signal. Returns 0 or -errno. */
int engine_new(engine_done_fn done, engine_signal_fn on_signal, int signal_fd, void *ctx,
               struct engine **ret, rf_error *err);
/* From now on, plan and spawn jobs on a pool of nthreads worker threads (0: one per core), so
 * that spawns run on every core while this thread reads output and reaps; the engine owns each
 * job's fds from the worker's answer on. Returns 0 or -errno. */
int engine_use_pool(struct engine *e, unsigned nthreads, rf_error *err);
/* Run fn(arg) on one of the engine's worker threads; done(arg, result) follows on the engine's
 * thread, from engine_wait (without a pool: both at once, on this thread). Free e only after
 * every done has run. Returns 0 or -errno (then neither runs). */
int engine_submit(struct engine *e, int (*fn)(void *arg), void (*done)(void *arg, int result),
                  void *arg, rf_error *err);
/* Kill every running job, wait for their results, and free e (NULL is fine). */
void engine_free(struct engine *e);

/* Start job now. It cannot fail: a job that cannot start gets its result through done (status
 * spawn-error, why in its error), maybe before this returns. */
void engine_start(struct engine *e, const struct engine_job *job);

/* Wait for events (at most timeout_ms, -1 for no limit) and handle them all; done is called for
 * the jobs that finish, and that of each engine_submit task that finished. Returns at once when
 * nothing runs, no task is pending and there is no signal fd. Returns the number of jobs still
 * running, or -errno. */
int engine_wait(struct engine *e, int timeout_ms);

/* Send signo to every running job's init (SIGKILL ends a job at once). */
void engine_signal_all(struct engine *e, int signo);

/* Jobs running now. */
int engine_running(const struct engine *e);

/* An operation of the engine's user (the batch's jobserver) on one of its own fds, done through
 * the ring: complete is called on the engine's thread with the CQE's result (bytes read, or
 * -errno; -ECANCELED after engine_cancel). The op must stay valid while pending. */
struct engine_op {
        void (*complete)(struct engine_op *op, int res);
        void *user;
        bool pending;
};

/* Read up to n bytes from fd into buf through the ring (a read the kernel parks, never a
 * blocking one), then call op->complete. */
void engine_read(struct engine *e, int fd, void *buf, unsigned n, struct engine_op *op);
/* Ask the kernel to cancel op, if pending; its completion still comes (with what it read, or
 * -ECANCELED), through engine_wait. */
void engine_cancel(struct engine *e, struct engine_op *op);

/* Make *ret the result of a job that did not start: spawn error, exit status 125, exit code -1,
 * why (or nothing) as its error, the rest zero. Every such result starts here: the verdict's,
 * rf_run's, and a skipped job's record (then marked skipped). */
void engine_result_unstarted(struct engine_result *ret, const char *why);
/* Run one job to its end (a one-job engine): fills *ret. signal_fd (or -1) is forwarded. */
int engine_run_job(const struct engine_job *job, int signal_fd, struct engine_result *ret,
                   rf_error *err);
