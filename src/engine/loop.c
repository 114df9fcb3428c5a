/* SPDX-License-Identifier: MIT */
/* The engine's io_uring loop: one owner thread, completions dispatched by the tagged operation in
 * user_data (the shape of redis's ae.c: a small loop, the job logic elsewhere). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/base.h"
#include "engine/engine-internal.h"
#include "engine/pool.h"

/* IORING_OP_WAITID (Linux 6.7): the headers' value where they declare it (configure checks);
 * liburing 2.3's headers predate it, and then the kernel's number is used. */
#if HAVE_DECL_IORING_OP_WAITID
#define ENGINE_OP_WAITID IORING_OP_WAITID
#else
#define ENGINE_OP_WAITID 50
#endif

/* A user op's user_data is its address with the low bit set (struct eop never has it). */
#define USER_OP_BIT 1u

/* Move every completion waiting in the ring to the stash, to be handled later. */
static void stash_cqes(struct engine *e)
{
        struct io_uring_cqe *cqe;

        while (io_uring_peek_cqe(&e->ring, &cqe) == 0) {
                array_grow(&e->stash, &e->cap_stash, e->n_stash + 1, sizeof(*e->stash));
                e->stash[e->n_stash++] = (struct ecqe){ io_uring_cqe_get_data64(cqe), cqe->res,
                                                        cqe->flags };
                io_uring_cqe_seen(&e->ring, cqe);
        }
}

struct io_uring_sqe *engine_sqe(struct engine *e)
{
        struct io_uring_sqe *sqe = io_uring_get_sqe(&e->ring);

        while (!sqe) {
                /* The kernel refuses to take more (-EBUSY) while completions it could not post
                 * wait: make room by stashing them; they are handled at the next engine_wait
                 * (not here: this runs inside handlers). */
                int r = io_uring_submit(&e->ring);
                if (r < 0 && r != -EINTR)
                        stash_cqes(e);
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
        sqe->opcode = ENGINE_OP_WAITID;
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

static void arm_pool(struct engine *e)
{
        struct io_uring_sqe *sqe = engine_sqe(e);
        io_uring_prep_poll_add(sqe, pool_fd(e->pool), POLLIN);
        engine_arm(e, sqe, &e->pool_op);
}

/* A worker wrote the pool's eventfd: take the wake-up and watch again (the answers themselves
 * are drained at the end of engine_wait). */
static void on_pool_ready(struct engine *e)
{
        uint64_t v;

        e->pool_op.pending = false;
        if (!e->pool) /* freed by engine_free */
                return;
        (void)!read(pool_fd(e->pool), &v, sizeof(v));
        arm_pool(e);
}

int engine_use_pool(struct engine *e, unsigned nthreads, rf_error *err)
{
        int r;

        if (e->pool)
                return 0;
        r = pool_new(nthreads, &e->pool, err);
        if (r < 0)
                return r;
        e->pool_op.kind = EOP_POOL;
        arm_pool(e);
        return 0;
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
        e->have_waitid = probe && io_uring_opcode_supported(probe, ENGINE_OP_WAITID);
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

void engine_read(struct engine *e, int fd, void *buf, unsigned n, struct engine_op *op)
{
        struct io_uring_sqe *sqe = engine_sqe(e);

        io_uring_prep_read(sqe, fd, buf, n, (uint64_t)-1);
        io_uring_sqe_set_data64(sqe, (uint64_t)(uintptr_t)op | USER_OP_BIT);
        op->pending = true;
        e->user_pending++;
}

void engine_cancel(struct engine *e, struct engine_op *op)
{
        struct io_uring_sqe *sqe;

        if (!op->pending)
                return;
        sqe = engine_sqe(e);
        io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)op | USER_OP_BIT, 0);
        io_uring_sqe_set_data(sqe, NULL);
}

static void user_complete(struct engine *e, uint64_t data, int res)
{
        /* NOLINTNEXTLINE(performance-no-int-to-ptr): user_data carries this pointer, tagged */
        struct engine_op *op = (struct engine_op *)(uintptr_t)(data & ~(uint64_t)USER_OP_BIT);

        op->pending = false;
        e->user_pending--;
        op->complete(op, res);
}

void engine_start(struct engine *e, const struct engine_job *job)
{
        ejob_start(e, job);
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

/* Handle one completion. */
static void dispatch(struct engine *e, uint64_t data, int res, unsigned flags)
{
        /* NOLINTNEXTLINE(performance-no-int-to-ptr): user_data carries the op pointer */
        struct eop *op = (struct eop *)(uintptr_t)data;

        if (!op)
                return;
        if (data & USER_OP_BIT)
                user_complete(e, data, res);
        else if (op->kind == EOP_SIGNAL)
                on_signal_ready(e);
        else if (op->kind == EOP_POOL)
                on_pool_ready(e);
        else
                ejob_complete(op->job, op->kind, res, flags);
}

/* Handle the stashed completions (the stash may grow meanwhile). Returns how many. */
static size_t handle_stash(struct engine *e)
{
        size_t i;

        for (i = 0; i < e->n_stash; i++) {
                struct ecqe c = e->stash[i];
                dispatch(e, c.data, c.res, c.flags);
        }
        e->n_stash = 0;
        return i;
}

int engine_wait(struct engine *e, int timeout_ms)
{
        struct __kernel_timespec ts = { .tv_sec = timeout_ms / 1000,
                                        .tv_nsec = (timeout_ms % 1000) * 1000000L };
        struct io_uring_cqe *cqe;
        bool ready = handle_stash(e) > 0;
        int r;

        if (!e->running && !e->user_pending && !(e->pool && pool_pending(e->pool)) &&
            !(e->signal_fd >= 0 && timeout_ms != 0))
                return 0;
        /* Sleep only when nothing is ready: then a worker's answer writes the eventfd. */
        if (!ready && e->pool)
                ready = pool_sleep_prepare(e->pool) == 1;
        if (ready) {
                r = io_uring_submit(&e->ring);
        } else {
                r = io_uring_submit_and_wait_timeout(&e->ring, &cqe, 1, timeout_ms < 0 ? NULL : &ts,
                                                     NULL);
                if (e->pool)
                        pool_sleep_done(e->pool);
        }
        if (r < 0 && r != -ETIME && r != -EINTR && r != -EBUSY)
                return r;
        /* One at a time, each marked seen before it is handled, so that the handlers' new
         * operations find room in the completion queue; a bounded number per call. */
        for (unsigned n = 0; n < 4096 && io_uring_peek_cqe(&e->ring, &cqe) == 0; n++) {
                uint64_t data = io_uring_cqe_get_data64(cqe);
                int res = cqe->res;
                unsigned flags = cqe->flags;

                io_uring_cqe_seen(&e->ring, cqe);
                dispatch(e, data, res, flags);
        }
        handle_stash(e);
        if (e->pool)
                pool_drain(e->pool);
        return e->running;
}

int engine_submit(struct engine *e, int (*fn)(void *arg), void (*done)(void *arg, int result),
                  void *arg, rf_error *err)
{
        if (!e->pool) {
                done(arg, fn(arg));
                return 0;
        }
        return pool_submit(e->pool, fn, done, arg, err);
}

void engine_free(struct engine *e)
{
        if (!e)
                return;
        engine_signal_all(e, SIGKILL);
        while (e->running > 0 && engine_wait(e, 1000) > 0)
                ;
        if (e->pool) {
                /* The workers go only now: a job's init dies with the thread that spawned it. */
                pool_free(e->pool);
                e->pool = NULL;
                engine_signal_all(e, SIGKILL);
                while (e->running > 0 && engine_wait(e, 1000) > 0)
                        ;
        }
        io_uring_queue_exit(&e->ring);
        free(e->stash);
        free(e);
}

struct one_job {
        struct engine_result *ret;
        struct engine *e;
};

static void one_done(void *ctx, const struct engine_job *job, const struct engine_result *res)
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

int engine_run_job(const struct engine_job *job, int signal_fd, struct engine_result *ret,
                   rf_error *err)
{
        struct one_job o = { .ret = ret };
        int r;

        /* Until the job's own result arrives, it is one that did not start: a failure of the
         * engine itself (io_uring refused, say) must not read as an exit status of 0. */
        engine_result_unstarted(ret, NULL);
        r = engine_new(one_done, one_signal, signal_fd, &o, &o.e, err);
        if (r < 0) {
                engine_result_unstarted(ret, err ? err->msg : strerror(-r));
                return r;
        }
        engine_start(o.e, job);
        /* A job that could not start has its result already and is not running: wait for
         * nothing then (engine_wait would sit on the signal fd for ever). */
        while (engine_running(o.e) > 0 && (r = engine_wait(o.e, -1)) > 0)
                ;
        engine_free(o.e);
        return r < 0 ? r : 0;
}
