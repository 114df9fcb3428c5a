/* SPDX-License-Identifier: MIT */
/* ring-bench: round-trip latency and one-way throughput of 64-byte messages through rf_ring,
 * between two threads and between two processes over a memfd, spinning or sleeping on the futex,
 * with the wake-ups (system calls) each made. Compare research/baselines.md, "Channels".
 *
 *   cc -O2 -pthread -Iinclude tools/bench/ring-bench.c build/.libs/libringfence.a \
 *      -lseccomp -luring -ljansson -lm -o ring-bench
 *   ./ring-bench [ROUND_TRIPS] [MESSAGES] [ROUNDS]    (defaults 200000, 10000000, 3)
 *
 * The machines here are noisy: compare with the bare reference SPSC measured in the same rounds
 * (as tools/bench/README.md does for spawning), not with figures from another run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ringfence.h"

#define MSG 64
#define CAPACITY (256 * 1024)

/* How a side waits: busy-polling, spinning 20 µs then the futex, or the futex at once. */
enum mode { SPIN, ADAPTIVE, SLEEP };
static const char *const mode_names[] = { "spin", "spin 20us+futex", "futex" };

/* One direction of traffic and the side's statistics, in memory both processes see. */
struct side {
        rf_ring *ring; /* threads: one handle on heap memory, shared by both */
        int fd;        /* processes: each attaches to the memfd */
        enum mode mode;
        uint64_t n;
        int batch;
        rf_ring_stats st;
        double elapsed_ns;
};

static double now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what, int k, const rf_error *err)
{
        fprintf(stderr, "ring-bench: %s: %d %s\n", what, k, err ? err->msg : "");
        exit(1);
}

static void set_spin(rf_ring *r, enum mode mode)
{
        rf_ring_set_spin(r, mode == SLEEP ? 0 : mode == ADAPTIVE ? 20 : 1000000);
}

/* The side's ring: the shared heap handle, or a new handle on its memfd. */
static rf_ring *open_side(const struct side *s)
{
        rf_ring *r = NULL;
        rf_error err = { 0 };
        int k;

        if (s->ring)
                return s->ring;
        k = rf_ring_attach_fd(s->fd, &r, &err);
        if (k < 0)
                die("attach", k, &err);
        set_spin(r, s->mode);
        return r;
}

/* Add r's system calls to *acc and free r if this role attached it. A shared heap handle is
 * counted once, by run_pair. */
static void close_side(const struct side *s, rf_ring *r, rf_ring_stats *acc)
{
        rf_ring_stats st;

        if (r == s->ring)
                return;
        rf_ring_get_stats(r, &st);
        acc->wakes += st.wakes;
        acc->sleeps += st.sleeps;
        rf_ring_free(r);
}

static void push(rf_ring *r, enum mode mode, uint64_t seq, int flags)
{
        static const uint8_t payload[MSG];
        rf_ring_msg m = { .len = MSG, .type = 1, .job = seq };
        rf_error err = { 0 };
        int k;

        while ((k = rf_ring_push(r, &m, payload, flags, &err)) == -EAGAIN)
                if (mode != SPIN && (k = rf_ring_wait(r, RF_RING_WRITER, MSG, -1, &err)) < 0)
                        break;
        if (k < 0)
                die("push", k, &err);
}

static void pop(rf_ring *r, enum mode mode, uint64_t seq, int flags)
{
        uint8_t buf[MSG];
        rf_ring_msg m;
        rf_error err = { 0 };
        int k;

        while ((k = rf_ring_pop(r, &m, buf, sizeof(buf), flags, &err)) == -EAGAIN)
                if (mode != SPIN && (k = rf_ring_wait(r, RF_RING_READER, 0, -1, &err)) < 0)
                        break;
        if (k < 0)
                die("pop", k, &err);
        if (m.job != seq)
                die("pop: out of order", (int)m.job, NULL);
}

/* ---- the four roles; each takes two struct side (the ring it reads, the ring it writes) ---- */

static void echo(struct side *in, struct side *out)
{
        rf_ring *rin = open_side(in), *rout = open_side(out);

        for (uint64_t i = 0; i < in->n; i++) {
                pop(rin, in->mode, i, 0);
                push(rout, out->mode, i, 0);
        }
        close_side(in, rin, &in->st);
        close_side(out, rout, &in->st);
}

static void ping(struct side *in, struct side *out)
{
        rf_ring *rin = open_side(in), *rout = open_side(out);
        double t0 = now_ns();

        for (uint64_t i = 0; i < in->n; i++) {
                push(rout, out->mode, i, 0);
                pop(rin, in->mode, i, 0);
        }
        in->elapsed_ns = now_ns() - t0;
        close_side(in, rin, &in->st);
        close_side(out, rout, &in->st);
}

static void produce(struct side *in, struct side *out)
{
        rf_ring *r = open_side(out);

        (void)in;
        for (uint64_t i = 0; i < out->n; i++)
                push(r, out->mode, i, (i + 1) % out->batch && i + 1 < out->n ? RF_RING_MORE : 0);
        close_side(out, r, &out->st);
}

static void consume(struct side *in, struct side *out)
{
        rf_ring *r = open_side(in);
        double t0 = 0;

        (void)out;
        for (uint64_t i = 0; i < in->n; i++) {
                pop(r, in->mode, i, (i + 1) % in->batch ? RF_RING_MORE : 0);
                if (i == 0)
                        t0 = now_ns();
        }
        in->elapsed_ns = now_ns() - t0;
        close_side(in, r, &in->st);
}

typedef void role(struct side *in, struct side *out);

static void pin(int cpu);

struct job {
        role *fn;
        struct side *in, *out;
};

static void *run_job(void *arg)
{
        struct job *j = arg;

        pin(1);
        j->fn(j->in, j->out);
        return NULL;
}

/* Run on cpu only, or (cpu < 0) anywhere again. */
static void pin(int cpu)
{
        cpu_set_t set;

        CPU_ZERO(&set);
        for (int i = 0; i < CPU_SETSIZE; i++)
                if (cpu < 0 || i == cpu)
                        CPU_SET(i, &set);
        (void)sched_setaffinity(0, sizeof(set), &set);
}

/* Two fresh rings for s: heap rings with one handle each for threads, memfds for processes. */
static void make_rings(struct side *s, int processes, void *mem[2])
{
        rf_error err = { 0 };

        for (int i = 0; i < 2; i++) {
                s[i].ring = NULL;
                mem[i] = NULL;
                if (processes) {
                        rf_ring *keep = NULL;

                        if (rf_ring_new_memfd(CAPACITY, &keep, &s[i].fd, &err) < 0)
                                die("memfd", err.code, &err);
                        rf_ring_free(keep);
                        continue;
                }
                mem[i] = aligned_alloc(64, 1024 + CAPACITY);
                if (!mem[i] || rf_ring_new(mem[i], 1024 + CAPACITY, 0, &s[i].ring, &err) < 0)
                        die("new", err.code, &err);
                set_spin(s[i].ring, s[i].mode);
                s[i].fd = -1;
        }
}

/* Run a (the measuring role) here and b in a thread or a child process: a reads s[0] and writes
 * s[1], b reads s[1] and writes s[0]. */
static void run_pair(role *a, role *b, struct side *s, int processes)
{
        void *mem[2];

        make_rings(s, processes, mem);
        if (processes) {
                pid_t pid = fork();

                if (pid == 0) {
                        pin(1);
                        b(&s[1], &s[0]);
                        _exit(0);
                }
                pin(0);
                a(&s[0], &s[1]);
                waitpid(pid, NULL, 0);
        } else {
                struct job j = { b, &s[1], &s[0] };
                pthread_t t;

                pthread_create(&t, NULL, run_job, &j);
                pin(0);
                a(&s[0], &s[1]);
                pthread_join(t, NULL);
        }
        for (int i = 0; i < 2; i++) {
                if (s[i].ring) {
                        rf_ring_stats st;

                        rf_ring_get_stats(s[i].ring, &st);
                        s[i].st.wakes += st.wakes;
                        s[i].st.sleeps += st.sleeps;
                }
                rf_ring_free(s[i].ring);
                free(mem[i]);
                if (s[i].fd >= 0)
                        close(s[i].fd);
        }
        pin(-1);
}

/* Sides in shared memory, so that a child process can report its statistics. */
static struct side *sides(enum mode mode, uint64_t n, int batch)
{
        struct side *s = mmap(NULL, 2 * sizeof(*s), PROT_READ | PROT_WRITE,
                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);

        if (s == MAP_FAILED)
                die("mmap", -errno, NULL);
        for (int i = 0; i < 2; i++)
                s[i] = (struct side){ .mode = mode, .n = n, .batch = batch };
        return s;
}

/* One measurement: microseconds per round trip or millions of messages a second, and the
 * system calls made per round trip or message. */
struct result {
        double value;
        double syscalls;
};

static struct result rtt(int processes, enum mode mode, uint64_t n)
{
        struct side *s = sides(mode, n, 1);
        struct result res;

        run_pair(ping, echo, s, processes);
        res.value = s[0].elapsed_ns / n / 1e3;
        res.syscalls = (double)(s[0].st.wakes + s[0].st.sleeps + s[1].st.wakes + s[1].st.sleeps) /
                       n;
        munmap(s, 2 * sizeof(*s));
        return res;
}

static struct result throughput(int processes, enum mode mode, uint64_t n, int batch)
{
        struct side *s = sides(mode, n, batch);
        struct result res;

        run_pair(consume, produce, s, processes);
        res.value = (n - 1) / s[0].elapsed_ns * 1e3;
        res.syscalls = (double)(s[0].st.wakes + s[0].st.sleeps + s[1].st.wakes + s[1].st.sleeps) /
                       n;
        munmap(s, 2 * sizeof(*s));
        return res;
}

/* ---- the reference: a bare SPSC ring of fixed 64-byte slots, spinning (baselines.md's "C SPSC
 * ring between two threads"), measured in the same rounds so that ratios carry over ---- */

#define REF_SLOTS 1024

struct ref_ring {
        _Alignas(128) _Atomic uint64_t head;
        _Alignas(128) _Atomic uint64_t tail;
        _Alignas(128) uint8_t slot[REF_SLOTS][MSG];
};

static void ref_push(struct ref_ring *q, uint64_t seq)
{
        uint64_t t = atomic_load_explicit(&q->tail, memory_order_relaxed);

        while (t - atomic_load_explicit(&q->head, memory_order_acquire) == REF_SLOTS)
                ;
        memset(q->slot[t % REF_SLOTS], 0, MSG);
        memcpy(q->slot[t % REF_SLOTS], &seq, sizeof(seq));
        atomic_store_explicit(&q->tail, t + 1, memory_order_release);
}

static uint64_t ref_pop(struct ref_ring *q)
{
        uint64_t h = atomic_load_explicit(&q->head, memory_order_relaxed), seq;
        uint8_t buf[MSG];

        while (atomic_load_explicit(&q->tail, memory_order_acquire) == h)
                ;
        memcpy(buf, q->slot[h % REF_SLOTS], MSG);
        atomic_store_explicit(&q->head, h + 1, memory_order_release);
        memcpy(&seq, buf, sizeof(seq));
        return seq;
}

struct ref_pair {
        struct ref_ring q[2];
        uint64_t n;
        int rtt;
};

static void *ref_peer(void *arg)
{
        struct ref_pair *p = arg;

        pin(1);
        for (uint64_t i = 0; i < p->n; i++) {
                if (p->rtt)
                        ref_push(&p->q[1], ref_pop(&p->q[0]));
                else
                        ref_push(&p->q[0], i);
        }
        return NULL;
}

static struct result reference(int rtt_mode, uint64_t n)
{
        struct ref_pair *p = aligned_alloc(128, sizeof(*p));
        struct result res = { 0, 0 };
        pthread_t t;
        double t0;

        memset(p, 0, sizeof(*p));
        p->n = n;
        p->rtt = rtt_mode;
        pthread_create(&t, NULL, ref_peer, p);
        pin(0);
        t0 = now_ns();
        for (uint64_t i = 0; i < n; i++) {
                if (rtt_mode)
                        ref_push(&p->q[0], i);
                if (rtt_mode ? ref_pop(&p->q[1]) != i : ref_pop(&p->q[0]) != i)
                        die("reference: out of order", 0, NULL);
                if (!rtt_mode && i == 0)
                        t0 = now_ns();
        }
        res.value = rtt_mode ? (now_ns() - t0) / n / 1e3 : (n - 1) / (now_ns() - t0) * 1e3;
        pthread_join(t, NULL);
        pin(-1);
        free(p);
        return res;
}

/* ---- the variants, run in interleaved rounds; the median of each is reported ---- */

struct variant {
        int processes, rtt; /* rtt: a round trip in µs, else one way in M msg/s */
        enum mode mode;
        int batch;
        int reference; /* the bare SPSC instead of rf_ring */
        double values[32], syscalls[32];
};

/* clang-format off */
#define V(p_, rtt_, mode_, batch_, ref_)                                                           \
        { .processes = p_, .rtt = rtt_, .mode = mode_, .batch = batch_, .reference = ref_ }
/* clang-format on */

static struct variant variants[] = {
        V(0, 1, SPIN, 1, 1),     V(0, 0, SPIN, 1, 1),      V(0, 1, SPIN, 1, 0),
        V(0, 1, ADAPTIVE, 1, 0), V(0, 1, SLEEP, 1, 0),     V(0, 0, SPIN, 1, 0),
        V(0, 0, SPIN, 32, 0),    V(0, 0, ADAPTIVE, 32, 0), V(0, 0, SLEEP, 32, 0),
        V(1, 1, SPIN, 1, 0),     V(1, 1, ADAPTIVE, 1, 0),  V(1, 1, SLEEP, 1, 0),
        V(1, 0, SPIN, 1, 0),     V(1, 0, SPIN, 32, 0),     V(1, 0, ADAPTIVE, 32, 0),
        V(1, 0, SLEEP, 32, 0),
};

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;

        return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
        qsort(v, (size_t)n, sizeof(*v), cmp_double);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void measure(struct variant *v, int round, uint64_t n_rtt, uint64_t n_msg)
{
        /* Sleeping round trips cost tens of µs each: fewer of them. */
        uint64_t n = v->rtt ? (v->mode == SLEEP ? n_rtt / 10 : n_rtt) : n_msg;
        struct result r = v->reference ? reference(v->rtt, n)
                          : v->rtt     ? rtt(v->processes, v->mode, n)
                                       : throughput(v->processes, v->mode, n, v->batch);

        v->values[round] = r.value;
        v->syscalls[round] = r.syscalls;
}

int main(int argc, char **argv)
{
        uint64_t n_rtt = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
        uint64_t n_msg = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000;
        int rounds = argc > 3 ? atoi(argv[3]) : 3;
        size_t nv = sizeof(variants) / sizeof(variants[0]);

        if (rounds < 1 || rounds > 32 || n_rtt < 10 || n_msg < 2)
                die("usage: ring-bench [ROUND_TRIPS] [MESSAGES] [ROUNDS (1-32)]", 0, NULL);
        for (int round = 0; round < rounds; round++)
                for (size_t i = 0; i < nv; i++) {
                        fprintf(stderr, "\rround %d/%d, variant %zu/%zu ", round + 1, rounds, i + 1,
                                nv);
                        measure(&variants[i], round, n_rtt, n_msg);
                }
        fprintf(stderr, "\n");
        printf("64-byte messages, %ld CPUs online, median of %d rounds\n\n",
               sysconf(_SC_NPROCESSORS_ONLN), rounds);
        printf("| between | what | waiting | batch | result | syscalls each |\n");
        printf("| --- | --- | --- | --- | --- | --- |\n");
        for (size_t i = 0; i < nv; i++) {
                struct variant *v = &variants[i];
                double val = median(v->values, rounds), sys = median(v->syscalls, rounds);

                printf("| %s | %s | %s | %d | %.3f %s | %.4f |\n",
                       v->reference   ? "threads, bare SPSC"
                       : v->processes ? "processes (memfd)"
                                      : "threads",
                       v->rtt ? "round trip" : "one way", mode_names[v->mode], v->batch, val,
                       v->rtt ? "us" : "M msg/s", sys);
        }
        return 0;
}
