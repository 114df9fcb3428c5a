/* SPDX-License-Identifier: MIT */
/* Waiting and waking: spin briefly, then sleep on the ring's sequence word (a futex, shared
 * between processes for memfd rings) or on an eventfd that an io_uring loop can read. The sleeper
 * announces itself, so a waker makes a system call only when someone sleeps; both count them. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "ring/ring-internal.h"
#include "ring/ring.h"

/* The side that sleeps on dir, and the side that wakes it. */
#define SLEEPER(dir) ((dir) == RING_DATA ? RING_CONSUMER : RING_PRODUCER)
#define WAKER(dir) ((dir) == RING_DATA ? RING_PRODUCER : RING_CONSUMER)

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(__aarch64__)
        __asm__ __volatile__("yield" ::: "memory");
#endif
}

static int64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Whether dir is ready: a record to read, or room for len payload bytes. A head that makes no
 * sense counts as ready, so that the caller's next push finds and reports it. */
static bool ready(struct ring *r, enum ring_dir dir, uint32_t len)
{
        const struct ring_side *s = &r->side[SLEEPER(dir)];
        uint64_t h;

        /* seq_cst loads: after announce's store, they are the load half of the handshake. */
        if (dir == RING_DATA)
                return s->other != s->own ||
                       atomic_load_explicit(&r->tail->pos, memory_order_seq_cst) != s->own;
        if (len > r->max_payload)
                return true;
        h = atomic_load_explicit(&r->head->pos, memory_order_seq_cst);
        if (h - s->other > s->pub - s->other)
                return true;
        return ring_space_needed(r, s->own, len) <= ring_free_space(r, h);
}

/* Hand the peer what this side holds back (the consumer's space, the producer's messages), or
 * each could sleep waiting for the other. */
static int flush_side(struct ring *r, enum ring_dir dir, rf_error *err)
{
        return dir == RING_DATA ? ring_release(r, err) : ring_commit(r, err);
}

/* Announce a sleeper on dir and check again; false when dir is ready after all (withdrawn).
 * The handshake with ring_notify is Dekker's: the sleeper stores waiting then loads the position,
 * the waker stores the position then loads waiting, all four seq_cst, so at least one of them
 * sees the other's store: the sleeper does not sleep, or the waker wakes it. (seq_cst accesses
 * rather than fences, which ThreadSanitizer does not model.) */
static bool announce(struct ring *r, enum ring_dir dir, uint32_t len)
{
        atomic_store_explicit(&r->wait[dir]->waiting, 1, memory_order_seq_cst);
        if (!ready(r, dir, len))
                return true;
        atomic_store_explicit(&r->wait[dir]->waiting, 0, memory_order_relaxed);
        return false;
}

/* Sleep on the eventfd of dir for up to timeout_ns (< 0: no limit). */
static int sleep_eventfd(struct ring *r, enum ring_dir dir, int64_t timeout_ns)
{
        struct pollfd pfd = { .fd = r->efd[dir], .events = POLLIN };
        int ms = timeout_ns < 0 ? -1 : (int)((timeout_ns + 999999) / 1000000);
        uint64_t v;
        int n;

        atomic_fetch_add_explicit(&r->side[SLEEPER(dir)].sleeps, 1, memory_order_relaxed);
        n = poll(&pfd, 1, ms);
        if (n < 0)
                return errno == EINTR ? 0 : -errno;
        if (n == 0)
                return -ETIMEDOUT;
        atomic_fetch_add_explicit(&r->side[SLEEPER(dir)].sleeps, 1, memory_order_relaxed);
        if (read(pfd.fd, &v, sizeof(v)) < 0 && errno != EAGAIN && errno != EINTR)
                return -errno;
        return 0;
}

/* Sleep on the sequence word of dir while it still holds seq, for up to timeout_ns. */
static int sleep_futex(struct ring *r, enum ring_dir dir, uint32_t seq, int64_t timeout_ns)
{
        struct timespec ts = { timeout_ns / 1000000000, timeout_ns % 1000000000 };
        int op = (r->flags & RING_SHARED) ? FUTEX_WAIT : FUTEX_WAIT_PRIVATE;
        long k;

        atomic_fetch_add_explicit(&r->side[SLEEPER(dir)].sleeps, 1, memory_order_relaxed);
        k = syscall(SYS_futex, &r->wait[dir]->seq, op, seq, timeout_ns < 0 ? NULL : &ts, NULL, 0);
        if (k < 0 && errno == ETIMEDOUT)
                return -ETIMEDOUT;
        if (k < 0 && errno != EAGAIN && errno != EINTR)
                return -errno;
        return 0;
}

/* Spin until dir is ready or spin_ns have passed since start; true when ready. */
static bool spin(struct ring *r, enum ring_dir dir, uint32_t len, int64_t start, int64_t spin_ns)
{
        for (unsigned i = 1;; i++) {
                if (ready(r, dir, len))
                        return true;
                cpu_relax();
                if (i % 64 == 0 && now_ns() - start >= spin_ns)
                        return false;
        }
}

int ring_wait(struct ring *r, enum ring_dir dir, uint32_t len, int64_t timeout_ns, rf_error *err)
{
        int64_t start = now_ns(), left, spin_ns = r->spin_ns;
        uint32_t seq;
        int k = flush_side(r, dir, err);

        if (k < 0)
                return k;
        if (ready(r, dir, len))
                return 0;
        if (timeout_ns >= 0 && spin_ns > timeout_ns)
                spin_ns = timeout_ns;
        if (spin_ns > 0 && spin(r, dir, len, start, spin_ns))
                return 0;
        seq = atomic_load_explicit(&r->wait[dir]->seq, memory_order_acquire);
        if (!announce(r, dir, len))
                return 0;
        left = timeout_ns < 0 ? -1 : timeout_ns - (now_ns() - start);
        if (timeout_ns >= 0 && left <= 0)
                k = -ETIMEDOUT;
        else if (r->efd[dir] >= 0)
                k = sleep_eventfd(r, dir, left);
        else
                k = sleep_futex(r, dir, seq, left);
        atomic_store_explicit(&r->wait[dir]->waiting, 0, memory_order_relaxed);
        if (k == -ETIMEDOUT)
                return rf_error_set(err, k, "ring: nothing to %s after %lld µs",
                                    dir == RING_DATA ? "read" : "write",
                                    (long long)(timeout_ns / 1000));
        return k < 0 ? rf_error_set(err, k, "ring: sleeping: %s", rf_strerror(k)) : 0;
}

int ring_wake(struct ring *r, enum ring_dir dir)
{
        struct ring_wait *w = r->wait[dir];
        uint64_t one = 1;

        atomic_fetch_add_explicit(&w->seq, 1, memory_order_release);
        atomic_fetch_add_explicit(&r->side[WAKER(dir)].wakes, 1, memory_order_relaxed);
        if (r->efd[dir] >= 0) {
                if (write(r->efd[dir], &one, sizeof(one)) < 0 && errno != EAGAIN)
                        return -errno;
                return 0;
        }
        if (syscall(SYS_futex, &w->seq, (r->flags & RING_SHARED) ? FUTEX_WAKE : FUTEX_WAKE_PRIVATE,
                    INT_MAX, NULL, NULL, 0) < 0)
                return -errno;
        return 0;
}

int ring_notify(struct ring *r, enum ring_dir dir)
{
        struct ring_wait *w = r->wait[dir];

        /* After the caller's seq_cst store of its position: see announce. */
        if (!atomic_load_explicit(&w->waiting, memory_order_seq_cst))
                return 0;
        /* One wake per sleep, however many commits come before the sleeper runs. */
        if (!atomic_exchange_explicit(&w->waiting, 0, memory_order_relaxed))
                return 0;
        return ring_wake(r, dir);
}

void ring_set_eventfd(struct ring *r, enum ring_dir dir, int fd)
{
        r->efd[dir] = fd;
}

int ring_sleep_prepare(struct ring *r, enum ring_dir dir, uint32_t len)
{
        if (flush_side(r, dir, NULL) < 0)
                return 1;
        if (ready(r, dir, len))
                return 1;
        return announce(r, dir, len) ? 0 : 1;
}

void ring_sleep_done(struct ring *r, enum ring_dir dir)
{
        atomic_store_explicit(&r->wait[dir]->waiting, 0, memory_order_relaxed);
}

void ring_set_spin(struct ring *r, uint32_t spin_ns)
{
        r->spin_ns = spin_ns;
}

void ring_get_stats(struct ring *r, struct ring_stats *ret)
{
        ret->wakes = atomic_load(&r->side[RING_PRODUCER].wakes) +
                     atomic_load(&r->side[RING_CONSUMER].wakes);
        ret->sleeps = atomic_load(&r->side[RING_PRODUCER].sleeps) +
                      atomic_load(&r->side[RING_CONSUMER].sleeps);
}
