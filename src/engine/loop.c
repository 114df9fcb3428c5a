/* SPDX-License-Identifier: MIT */
/* The engine's io_uring loop: one owner thread, completions dispatched by the tagged operation in
 * user_data (the shape of redis's ae.c: a small loop, the job logic elsewhere). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/base.h"
#include "engine/engine-internal.h"

#define IORING_OP_WAITID_ 50 /* Linux 6.7; liburing 2.3 predates it */

struct io_uring_sqe *engine_sqe(struct engine *e)
{
        struct io_uring_sqe *sqe = io_uring_get_sqe(&e->ring);

        while (!sqe) {
                (void)io_uring_submit(&e->ring);
                sqe = io_uring_get_sqe(&e->ring);
        }
        return sqe;
}

void engine_arm(struct engine *e, struct io_uring_sqe *sqe, struct eop *op)
{
        (void)e;
        io_uring_sqe_set_data(sqe, op);
        op->pending = true;
        if (op->job)
                op->job->pending++;
}

void engine_prep_waitid(struct io_uring_sqe *sqe, int pidfd, siginfo_t *info)
{
        memset(sqe, 0, sizeof(*sqe));
        sqe->opcode = IORING_OP_WAITID_;
        sqe->fd = pidfd;
        sqe->len = P_PIDFD;
        sqe->file_index = WEXITED;
        sqe->addr2 = (uint64_t)(uintptr_t)info;
}

static void arm_signal(struct engine *e)
{
        struct io_uring_sqe *sqe = engine_sqe(e);
        io_uring_prep_poll_add(sqe, e->signal_fd, POLLIN);
        engine_arm(e, sqe, &e->sig_op);
}

static void on_signal_ready(struct engine *e)
{
        struct signalfd_siginfo si;

        e->sig_op.pending = false;
        while (read(e->signal_fd, &si, sizeof(si)) == sizeof(si))
                if (e->on_signal)
                        e->on_signal(e->ctx, (int)si.ssi_signo);
        arm_signal(e);
}

int engine_new(engine_done_fn done, engine_signal_fn on_signal, int signal_fd, void *ctx,
               struct engine **ret, rf_error *err)
{
        struct engine *e = xcalloc(1, sizeof(*e));
        struct io_uring_probe *probe;
        int r = io_uring_queue_init(256, &e->ring, 0);

        if (r < 0) {
                free(e);
                return rf_error_set(err, r, "io_uring_setup: %s (ringfence needs io_uring)",
                                    strerror(-r));
        }
        probe = io_uring_get_probe_ring(&e->ring);
        e->have_waitid = probe && io_uring_opcode_supported(probe, IORING_OP_WAITID_);
        io_uring_free_probe(probe);
        e->done = done;
        e->on_signal = on_signal;
        e->ctx = ctx;
        e->signal_fd = signal_fd;
        e->sig_op.kind = EOP_SIGNAL;
        if (signal_fd >= 0)
                arm_signal(e);
        *ret = e;
        return 0;
}

int engine_start(struct engine *e, const struct engine_job *job, rf_error *err)
{
        return ejob_start(e, job, err);
}

int engine_running(const struct engine *e)
{
        return e->running;
}

void engine_signal_all(struct engine *e, int signo)
{
        for (struct ejob *j = e->jobs; j; j = j->next)
                ejob_kill(j, signo);
}

int engine_wait(struct engine *e, int timeout_ms)
{
        struct __kernel_timespec ts = { .tv_sec = timeout_ms / 1000,
                                        .tv_nsec = (timeout_ms % 1000) * 1000000L };
        struct io_uring_cqe *cqe;
        unsigned head, n = 0;
        int r;

        if (!e->running && !(e->signal_fd >= 0 && timeout_ms != 0))
                return 0;
        r = io_uring_submit_and_wait_timeout(&e->ring, &cqe, 1, timeout_ms < 0 ? NULL : &ts,
                                             NULL);
        if (r < 0 && r != -ETIME && r != -EINTR)
                return r;
        io_uring_for_each_cqe(&e->ring, head, cqe) {
                struct eop *op = io_uring_cqe_get_data(cqe);
                n++;
                if (!op)
                        continue;
                if (op->kind == EOP_SIGNAL)
                        on_signal_ready(e);
                else
                        ejob_complete(op->job, op->kind, cqe->res, cqe->flags);
        }
        io_uring_cq_advance(&e->ring, n);
        return e->running;
}

void engine_free(struct engine *e)
{
        if (!e)
                return;
        engine_signal_all(e, SIGKILL);
        while (e->running > 0 && engine_wait(e, 1000) > 0)
                ;
        io_uring_queue_exit(&e->ring);
        free(e);
}

struct one_job {
        rf_result *ret;
        int32_t job_pid;
        struct engine *e;
};

static void one_done(void *ctx, const struct engine_job *job, const rf_result *res)
{
        struct one_job *o = ctx;
        (void)job;
        *o->ret = *res;
}

static void one_signal(void *ctx, int signo)
{
        struct one_job *o = ctx;
        engine_signal_all(o->e, signo);
}

int engine_run_job(const struct engine_job *job, int signal_fd, rf_result *ret, rf_error *err)
{
        struct one_job o = { .ret = ret };
        int r;

        memset(ret, 0, sizeof(*ret));
        r = engine_new(one_done, one_signal, signal_fd, &o, &o.e, err);
        if (r < 0)
                return r;
        r = engine_start(o.e, job, err);
        /* A job that could not start is finished already: nothing to wait for. */
        if (r == 0)
                while (engine_running(o.e) && (r = engine_wait(o.e, -1)) > 0)
                        ;
        engine_free(o.e);
        return r < 0 ? r : 0;
}
