/* SPDX-License-Identifier: MIT */
/* Worker threads: each takes tasks from a request ring of its own and answers on a reply ring of
 * its own (SPSC, a fixed header then the payload), sleeping on the ring's futex when idle (after
 * the ring's short spin); the owner sleeps on one eventfd that any worker's reply wakes. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "engine/pool.h"
#include "ring/ring.h"

/* Message types on the rings. */
enum { POOL_MSG_TASK = 1, POOL_MSG_STOP, POOL_MSG_DONE };

/* A request's and a reply's payload (in-process: pointers are fine here). */
struct pool_task {
        pool_fn fn;
        pool_done_fn done;
        void *arg;
        int32_t result; /* reply: what fn returned, or -ECANCELED */
        int32_t pad;
};

/* Tasks handed to one worker and not answered yet, at most; the owner keeps the rest. A small
 * depth keeps tasks with the owner until a worker is nearly free, so a slow task does not hold
 * up many behind it while another worker idles. */
#define POOL_DEPTH 16
/* Each ring's data area: room for every task in flight, so a worker never waits on its reply
 * ring (POOL_DEPTH records of 48 bytes, at most half the capacity per record). */
#define POOL_RING_CAP 4096u
/* clang-format off */
_Static_assert(POOL_DEPTH * (RING_MSG_SIZE + sizeof(struct pool_task)) <= POOL_RING_CAP / 2,
               "a reply ring holds every task in flight");
/* clang-format on */

/* A task the owner keeps until a worker has room. */
struct queued {
        struct pool_task t;
        struct queued *next;
};

struct worker {
        struct pool *p;
        pthread_t thread;
        bool started;
        struct ring *req, *rep; /* owner → worker, worker → owner */
        void *req_mem, *rep_mem;
        unsigned inflight; /* owner's count: handed to this worker, not answered yet */
};

struct pool {
        unsigned n;
        struct worker *w;
        int efd;               /* wakes the owner */
        _Atomic bool stopping; /* workers answer -ECANCELED instead of running tasks */
        struct queued *q_head, *q_tail;
        size_t pending; /* submitted, done not called yet */
        unsigned next;  /* where to start looking for a worker with room */
        uint64_t seq;   /* task numbers, for the message header */
};

static unsigned online_cores(void)
{
        cpu_set_t set;
        long n;

        if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
                return (unsigned)CPU_COUNT(&set);
        n = sysconf(_SC_NPROCESSORS_ONLN);
        return n > 0 ? (unsigned)n : 1;
}

/* Worker: answer task t (header h) on the reply ring, waiting for room if need be. */
static void reply(struct worker *w, const struct ring_msg *h, const struct pool_task *t)
{
        struct ring_msg rh = { .len = sizeof(*t), .type = POOL_MSG_DONE, .job = h->job };

        while (ring_push(w->rep, &rh, t, 0, NULL) == -EAGAIN)
                (void)ring_wait(w->rep, RING_SPACE, rh.len, -1, NULL);
}

static void *worker_main(void *arg)
{
        struct worker *w = arg;

        for (;;) {
                struct ring_msg h;
                struct pool_task t;
                int k = ring_pop(w->req, &h, &t, sizeof(t), 0, NULL);

                if (k == -EAGAIN) {
                        (void)ring_wait(w->req, RING_DATA, 0, -1, NULL);
                        continue;
                }
                /* The rings are this process's own memory: a broken one is a bug here. */
                if (k < 0 || h.type == POOL_MSG_STOP || h.len != sizeof(t))
                        break;
                t.result = atomic_load_explicit(&w->p->stopping, memory_order_acquire)
                                   ? -ECANCELED
                                   : t.fn(t.arg);
                reply(w, &h, &t);
        }
        return NULL;
}

/* A heap ring of POOL_RING_CAP bytes; *ret_mem is its memory. */
static int ring_of(struct ring **ret, void **ret_mem, rf_error *err)
{
        size_t size = RING_DATA_OFF + POOL_RING_CAP;
        void *mem = aligned_alloc(128, size);
        int k;

        if (!mem)
                return rf_error_set(err, -ENOMEM, "worker pool: out of memory");
        k = ring_new(mem, size, 0, ret, err);
        if (k < 0) {
                free(mem);
                return k;
        }
        *ret_mem = mem;
        return 0;
}

static int worker_start(struct pool *p, struct worker *w, rf_error *err)
{
        sigset_t all, old;
        int k;

        w->p = p;
        if ((k = ring_of(&w->req, &w->req_mem, err)) < 0 ||
            (k = ring_of(&w->rep, &w->rep_mem, err)) < 0)
                return k;
        ring_set_eventfd(w->rep, RING_DATA, p->efd);
        /* Signals are for the owner's thread (a signalfd, a handler): never a worker's. */
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        k = -pthread_create(&w->thread, NULL, worker_main, w);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (k < 0)
                return rf_error_set(err, k, "worker pool: starting a thread: %s", strerror(-k));
        w->started = true;
        return 0;
}

int pool_new(unsigned nthreads, struct pool **ret, rf_error *err)
{
        struct pool *p = xcalloc(1, sizeof(*p));
        int k = 0;

        p->n = nthreads ? nthreads : online_cores();
        p->w = xcalloc(p->n, sizeof(*p->w));
        p->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (p->efd < 0)
                k = rf_error_set(err, -errno, "worker pool: eventfd: %s", strerror(errno));
        for (unsigned i = 0; i < p->n && k == 0; i++)
                k = worker_start(p, &p->w[i], err);
        if (k < 0) {
                pool_free(p);
                return k;
        }
        *ret = p;
        return 0;
}

/* Hand t to the worker with the fewest tasks in flight, if one has room. */
static bool dispatch(struct pool *p, const struct pool_task *t)
{
        struct worker *best = NULL;
        struct ring_msg h = { .len = sizeof(*t), .type = POOL_MSG_TASK };

        for (unsigned i = 0; i < p->n; i++) {
                struct worker *w = &p->w[(p->next + i) % p->n];
                if (w->inflight < POOL_DEPTH && (!best || w->inflight < best->inflight))
                        best = w;
        }
        if (!best || atomic_load_explicit(&p->stopping, memory_order_relaxed))
                return false;
        h.job = ++p->seq;
        if (ring_push(best->req, &h, t, 0, NULL) < 0)
                return false;
        best->inflight++;
        p->next = (unsigned)(best - p->w + 1) % p->n;
        return true;
}

int pool_submit(struct pool *p, pool_fn fn, pool_done_fn done, void *arg, rf_error *err)
{
        struct pool_task t = { .fn = fn, .done = done, .arg = arg };
        struct queued *q;

        if (!fn || !done)
                return rf_error_set(err, -EINVAL,
                                    "worker pool: a task needs a function and a done function");
        if (atomic_load_explicit(&p->stopping, memory_order_relaxed))
                return rf_error_set(err, -ESHUTDOWN, "worker pool: the pool is stopping");
        p->pending++;
        if (!p->q_head && dispatch(p, &t))
                return 0;
        q = xcalloc(1, sizeof(*q));
        q->t = t;
        if (p->q_tail)
                p->q_tail->next = q;
        else
                p->q_head = q;
        p->q_tail = q;
        return 0;
}

/* Hand queued tasks to workers while they have room. */
static void feed(struct pool *p)
{
        while (p->q_head && dispatch(p, &p->q_head->t)) {
                struct queued *q = p->q_head;
                p->q_head = q->next;
                if (!p->q_head)
                        p->q_tail = NULL;
                free(q);
        }
}

size_t pool_drain(struct pool *p)
{
        size_t n = 0;
        bool more = true;

        while (more) {
                more = false;
                for (unsigned i = 0; i < p->n; i++) {
                        struct worker *w = &p->w[i];
                        struct ring_msg h;
                        struct pool_task t;

                        if (!w->rep || ring_pop(w->rep, &h, &t, sizeof(t), 0, NULL) < 0)
                                continue;
                        more = true;
                        w->inflight--;
                        p->pending--;
                        n++;
                        /* Room first, so that what done submits keeps the order. */
                        feed(p);
                        t.done(t.arg, t.result);
                }
        }
        feed(p);
        return n;
}

size_t pool_pending(const struct pool *p)
{
        return p->pending;
}

unsigned pool_threads(const struct pool *p)
{
        return p->n;
}

int pool_fd(const struct pool *p)
{
        return p->efd;
}

int pool_sleep_prepare(struct pool *p)
{
        for (unsigned i = 0; i < p->n; i++)
                if (ring_sleep_prepare(p->w[i].rep, RING_DATA, 0)) {
                        while (i-- > 0)
                                ring_sleep_done(p->w[i].rep, RING_DATA);
                        return 1;
                }
        return 0;
}

void pool_sleep_done(struct pool *p)
{
        for (unsigned i = 0; i < p->n; i++)
                ring_sleep_done(p->w[i].rep, RING_DATA);
}

static int64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pool_wait(struct pool *p, int timeout_ms)
{
        struct pollfd pfd = { .fd = p->efd, .events = POLLIN };
        int64_t end = now_ms() + (timeout_ms > 0 ? timeout_ms : 0), left = timeout_ms;
        size_t n = pool_drain(p);
        uint64_t v;
        int k;

        /* A wake-up can be stale (from an answer drained already): sleep again until the end. */
        while (n == 0 && p->pending > 0 && left != 0) {
                if (pool_sleep_prepare(p) == 0) {
                        k = poll(&pfd, 1, left < 0 ? -1 : (int)left);
                        pool_sleep_done(p);
                        if (k < 0 && errno != EINTR)
                                return -errno;
                        if (k > 0)
                                (void)!read(p->efd, &v, sizeof(v));
                }
                n = pool_drain(p);
                if (timeout_ms > 0)
                        left = end - now_ms() > 0 ? end - now_ms() : 0;
        }
        return (int)n;
}

void pool_free(struct pool *p)
{
        struct ring_msg stop = { .type = POOL_MSG_STOP };

        if (!p)
                return;
        atomic_store_explicit(&p->stopping, true, memory_order_release);
        for (unsigned i = 0; i < p->n; i++) {
                struct worker *w = &p->w[i];
                if (!w->started)
                        continue;
                /* The request ring has room: at most POOL_DEPTH tasks are in it. */
                while (ring_push(w->req, &stop, NULL, 0, NULL) == -EAGAIN)
                        (void)ring_wait(w->req, RING_SPACE, 0, -1, NULL);
                pthread_join(w->thread, NULL);
        }
        /* Every task handed out is answered now (run, or -ECANCELED); the queued ones never ran. */
        while (pool_drain(p) > 0)
                ;
        while (p->q_head) {
                struct queued *q = p->q_head;
                p->q_head = q->next;
                p->pending--;
                q->t.done(q->t.arg, -ECANCELED);
                free(q);
        }
        for (unsigned i = 0; i < p->n; i++) {
                ring_free(p->w[i].req);
                ring_free(p->w[i].rep);
                free(p->w[i].req_mem);
                free(p->w[i].rep_mem);
        }
        if (p->efd >= 0)
                close(p->efd);
        free(p->w);
        free(p);
}
