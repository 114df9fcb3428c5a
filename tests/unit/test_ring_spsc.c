/* SPDX-License-Identifier: MIT */
/* Units for the SPSC ring in one process: every message size wrapping around, full and empty,
 * batches, peek, wait and wake (futex and eventfd), and two threads moving 10 million messages
 * with sequence numbers and a checksum. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "ring/ring.h"
#include "helpers.h"

/* A heap ring of capacity cap; *ret_mem is the memory to free after ring_free. */
static struct ring *heap_ring(uint32_t cap, void **ret_mem)
{
        struct ring *r = NULL;
        rf_error err = { 0 };
        void *mem = aligned_alloc(64, RING_DATA_OFF + cap);

        ck_assert_ptr_nonnull(mem);
        ck_assert_int_eq(ring_new(mem, RING_DATA_OFF + cap, 0, &r, &err), 0);
        ck_assert_uint_eq(ring_capacity(r), cap);
        *ret_mem = mem;
        return r;
}

/* The byte at i of the payload of message seed. */
static uint8_t pattern(uint64_t seed, size_t i)
{
        return (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

static void fill(uint8_t *buf, size_t len, uint64_t seed)
{
        for (size_t i = 0; i < len; i++)
                buf[i] = pattern(seed, i);
}

/* Check a popped message against what push_seed sent. */
static void check_payload(const uint8_t *buf, size_t len, uint64_t seed)
{
        size_t i = 0;

        /* One assertion per message: Check records each one, which is slow. */
        while (i < len && buf[i] == pattern(seed, i))
                i++;
        ck_assert_msg(i == len, "seed %llu byte %zu: %u, expected %u", (unsigned long long)seed, i,
                      buf[i], pattern(seed, i));
}

/* Push one message of len bytes, type 7, job seed, the pattern of seed; returns ring_push's. */
static int push_seed(struct ring *r, uint32_t len, uint64_t seed, unsigned flags)
{
        uint8_t buf[4096];
        struct ring_msg m = { .len = len, .type = 7, .flags = 3, .job = seed };

        ck_assert_uint_le(len, sizeof(buf));
        fill(buf, len, seed);
        return ring_push(r, &m, buf, flags, NULL);
}

/* Pop one message and check it is the one push_seed(len, seed) sent. */
static void pop_seed(struct ring *r, uint32_t len, uint64_t seed)
{
        uint8_t buf[4096];
        struct ring_msg m;
        rf_error err = { 0 };

        ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, &err), 0);
        ck_assert_uint_eq(m.len, len);
        ck_assert_uint_eq(m.type, 7);
        ck_assert_uint_eq(m.flags, 3);
        ck_assert_uint_eq(m.job, seed);
        check_payload(buf, len, seed);
}

/* Every size from 0 to the limit, three at a time (fewer when they don't fit), so that the
 * positions walk around the ring and each size meets the end of the data area at many offsets. */
static void wrap_every_size(uint32_t cap)
{
        void *mem;
        struct ring *r = heap_ring(cap, &mem);
        uint32_t max = ring_max_payload(r);
        uint32_t lens[4];
        uint64_t pushed = 0, popped = 0;

        ck_assert_uint_eq(max, cap / 2 - RING_MSG_SIZE);
        for (uint32_t len = 0; len <= max; len++) {
                for (int i = 0; i < 3; i++) {
                        while (push_seed(r, len, pushed, 0) == -EAGAIN) {
                                ck_assert_uint_lt(popped, pushed);
                                pop_seed(r, lens[popped % 4], popped);
                                popped++;
                        }
                        lens[pushed++ % 4] = len;
                }
                while (popped < pushed) {
                        pop_seed(r, lens[popped % 4], popped);
                        popped++;
                }
                ck_assert_int_eq(ring_pop(r, &(struct ring_msg){ 0 }, NULL, 0, 0, NULL), -EAGAIN);
        }
        ck_assert_int_eq(push_seed(r, max + 1, 0, 0), -EMSGSIZE);
        ring_free(r);
        free(mem);
}

START_TEST(wrap_all_sizes)
{
        wrap_every_size(RING_MIN_CAPACITY);
        wrap_every_size(1024);
        wrap_every_size(4096);
}
END_TEST

/* Push and pop messages whose records add up to bytes (0, or 16 or more, a multiple of 8). */
static void advance(struct ring *r, uint32_t bytes)
{
        uint32_t max_rec = ring_max_payload(r) + RING_MSG_SIZE;

        while (bytes > 0) {
                uint32_t rec = bytes < max_rec ? bytes : max_rec;

                if (bytes - rec > 0 && bytes - rec < RING_MSG_SIZE)
                        rec -= RING_MSG_SIZE;
                ck_assert_int_eq(push_seed(r, rec - RING_MSG_SIZE, bytes, 0), 0);
                pop_seed(r, rec - RING_MSG_SIZE, bytes);
                bytes -= rec;
        }
}

/* The largest message fits into an empty ring wherever its positions stand (offset 8 is never
 * one: no record ends there). */
START_TEST(max_message_at_every_offset)
{
        for (uint32_t off = 0; off < 1024; off += RING_ALIGN) {
                void *mem;
                struct ring *r;

                if (off == RING_ALIGN)
                        continue;
                r = heap_ring(1024, &mem);
                advance(r, off);
                ck_assert_int_eq(push_seed(r, ring_max_payload(r), off + 1, 0), 0);
                pop_seed(r, ring_max_payload(r), off + 1);
                ring_free(r);
                free(mem);
        }
}
END_TEST

START_TEST(full_and_empty)
{
        void *mem;
        struct ring *r = heap_ring(1024, &mem);
        struct ring_msg m;
        const void *p;
        int n = 0;

        ck_assert_int_eq(ring_peek(r, &m, &p, NULL), -EAGAIN);
        /* 48-byte payloads make 64-byte records: exactly 16 fit. */
        while (push_seed(r, 48, n, 0) == 0)
                n++;
        ck_assert_int_eq(n, 16);
        ck_assert_int_eq(push_seed(r, 0, 99, 0), -EAGAIN);
        pop_seed(r, 48, 0);
        ck_assert_int_eq(push_seed(r, 49, 99, 0), -EAGAIN); /* 72 bytes, 64 free */
        ck_assert_int_eq(push_seed(r, 48, 16, 0), 0);
        for (int i = 1; i <= 16; i++)
                pop_seed(r, 48, i);
        ck_assert_int_eq(ring_peek(r, &m, &p, NULL), -EAGAIN);
        /* Empty at offset 0 again: a 496-byte message then needs a PAD after a 400-byte one. */
        ck_assert_int_eq(push_seed(r, 400, 1, 0), 0);       /* 416 at 0 */
        ck_assert_int_eq(push_seed(r, 496, 2, 0), 0);       /* 512 at 416 */
        ck_assert_int_eq(push_seed(r, 100, 3, 0), -EAGAIN); /* 96 left at the end */
        pop_seed(r, 400, 1);
        ck_assert_int_eq(push_seed(r, 100, 3, 0), 0); /* PAD 96, then 120 at 0 */
        pop_seed(r, 496, 2);
        pop_seed(r, 100, 3);
        ck_assert_int_eq(ring_peek(r, &m, &p, NULL), -EAGAIN);
        ring_free(r);
        free(mem);
}
END_TEST

START_TEST(argument_errors)
{
        void *mem;
        struct ring *r = heap_ring(1024, &mem);
        struct ring *r2 = NULL;
        struct ring_msg m = { .type = RING_MSG_PAD };
        rf_error err = { 0 };
        uint8_t small[4];
        char raw[2048];

        ck_assert_int_eq(ring_push(r, &m, NULL, 0, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "ring: message type 0xffff is reserved");
        ck_assert_int_eq(push_seed(r, 497, 0, 0), -EMSGSIZE);
        ck_assert_int_eq(push_seed(r, 10, 5, 0), 0);
        ck_assert_int_eq(ring_pop(r, &m, small, sizeof(small), 0, &err), -EMSGSIZE);
        ck_assert_uint_eq(m.len, 10);
        ck_assert_str_eq(err.msg, "ring: a message of 10 bytes does not fit into 4");
        pop_seed(r, 10, 5); /* still there */
        ck_assert_int_eq(ring_new(raw, 1024, 0, &r2, &err), -EINVAL);
        ck_assert_int_eq(ring_new(raw + 1, 1500, 0, &r2, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "ring: the memory must be 8-byte aligned");
        ck_assert_ptr_null(ring_free(NULL));
        ring_free(r);
        free(mem);
}
END_TEST

START_TEST(batch_commit_and_release)
{
        void *mem;
        struct ring *r = heap_ring(4096, &mem);
        uint64_t buf[4096 / 8];
        size_t used, pos = 0;
        const struct ring_msg *m;
        struct ring_msg h;
        const void *p;
        int n;

        for (int i = 0; i < 10; i++)
                ck_assert_int_eq(push_seed(r, (uint32_t)i * 10, i, RING_MORE), 0);
        ck_assert_int_eq(ring_peek(r, &h, &p, NULL), -EAGAIN); /* not published yet */
        ck_assert_int_eq(ring_commit(r, NULL), 0);
        ck_assert_int_eq(ring_pop_batch(r, buf, 8, &used, NULL), -EMSGSIZE);
        n = ring_pop_batch(r, buf, 150, &used, NULL); /* records of 16, 32, 40, 48, 56, ... */
        ck_assert_int_eq(n, 4);
        ck_assert_uint_eq(used, 16 + 32 + 40 + 48);
        pos = 0;
        for (int i = 0; (m = ring_batch_next(buf, used, &pos)) != NULL; i++)
                ck_assert_uint_eq(m->job, (uint64_t)i);
        pos = 0;
        n = ring_pop_batch(r, buf, sizeof(buf), &used, NULL);
        ck_assert_int_eq(n, 6);
        for (int i = 4; (m = ring_batch_next(buf, used, &pos)) != NULL; i++) {
                ck_assert_uint_eq(m->job, (uint64_t)i);
                ck_assert_uint_eq(m->len, (uint32_t)i * 10);
                check_payload((const uint8_t *)(m + 1), m->len, (uint64_t)i);
        }
        ck_assert_uint_eq(pos, used);
        ck_assert_int_eq(ring_pop_batch(r, buf, sizeof(buf), &used, NULL), 0);
        /* Popped with RING_MORE, the room is not handed back until release. */
        for (n = 0; push_seed(r, 48, n, 0) == 0; n++)
                ;
        for (int i = 0; i < n; i++)
                ck_assert_int_eq(ring_pop(r, &h, buf, sizeof(buf), RING_MORE, NULL), 0);
        ck_assert_int_eq(push_seed(r, 48, 0, 0), -EAGAIN);
        ck_assert_int_eq(ring_release(r, NULL), 0);
        ck_assert_int_eq(push_seed(r, 48, 0, 0), 0);
        ring_free(r);
        free(mem);
}
END_TEST

START_TEST(wait_timeout_and_wake)
{
        void *mem;
        struct ring *r = heap_ring(1024, &mem);
        rf_error err = { 0 };
        struct ring_stats st;

        ring_set_spin(r, 0);
        ck_assert_int_eq(ring_wait(r, RING_DATA, 0, 2000000, &err), -ETIMEDOUT);
        ck_assert_str_eq(err.msg, "ring: nothing to read after 2000 µs");
        ck_assert_int_eq(ring_wait(r, RING_SPACE, 100, 0, NULL), 0); /* room now */
        ck_assert_int_eq(push_seed(r, 5, 1, 0), 0);
        ck_assert_int_eq(ring_wait(r, RING_DATA, 0, 0, NULL), 0);
        ck_assert_int_eq(ring_sleep_prepare(r, RING_DATA, 0), 1);
        pop_seed(r, 5, 1);
        ck_assert_int_eq(ring_sleep_prepare(r, RING_DATA, 0), 0);
        ring_sleep_done(r, RING_DATA);
        ring_get_stats(r, &st);
        ck_assert_uint_eq(st.sleeps, 1); /* the timed-out wait */
        ck_assert_uint_eq(st.wakes, 0);  /* nobody slept when we pushed */
        ring_free(r);
        free(mem);
}
END_TEST

struct sleeper {
        struct ring *r;
        int rc;
};

static void *sleep_for_data(void *arg)
{
        struct sleeper *s = arg;

        s->rc = ring_wait(s->r, RING_DATA, 0, 10 * 1000000000LL, NULL);
        return NULL;
}

/* A consumer asleep (futex or eventfd) is woken by a push, or by ring_wake. */
static void wake_sleeper(int efd, bool by_push)
{
        void *mem;
        struct ring *r = heap_ring(1024, &mem);
        struct sleeper s = { r, 1 };
        struct ring_stats st;
        pthread_t t;

        ring_set_spin(r, 0);
        if (efd >= 0)
                ring_set_eventfd(r, RING_DATA, efd);
        ck_assert_int_eq(pthread_create(&t, NULL, sleep_for_data, &s), 0);
        /* Wait until it sleeps (announced itself), then wake it. */
        /* clang-format off */
        while (!atomic_load(&((struct ring_wait *)((uint8_t *)ring_memory(r, NULL) +
                                                   RING_DATA_WAIT_OFF))->waiting))
                usleep(100);
        /* clang-format on */
        usleep(1000);
        if (by_push)
                ck_assert_int_eq(push_seed(r, 1, 1, 0), 0);
        else
                ck_assert_int_eq(ring_wake(r, RING_DATA), 0);
        pthread_join(t, NULL);
        ck_assert_int_eq(s.rc, 0);
        ring_get_stats(r, &st);
        ck_assert_uint_eq(st.wakes, 1);
        ck_assert_uint_ge(st.sleeps, 1);
        ring_free(r);
        free(mem);
}

START_TEST(wake_futex)
{
        wake_sleeper(-1, true);
        wake_sleeper(-1, false);
}
END_TEST

START_TEST(wake_eventfd)
{
        _cleanup_close_ int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

        ck_assert_int_ge(efd, 0);
        wake_sleeper(efd, true);
        wake_sleeper(efd, false);
}
END_TEST

/* ---- two threads ---- */

#define BATCH 16
/* Long enough for a loaded machine; a lost wake-up fails the test instead of hanging it. */
#define WAIT_NS (30 * 1000000000LL)

struct mover {
        struct ring *r;
        uint64_t n;
        uint64_t sum;
        int rc;
        char msg[256];
};

/* Message seq's length: 0 to 100 bytes, varying so that records of all sizes meet the end. */
static uint32_t seq_len(uint64_t seq)
{
        return (uint32_t)((seq * 2654435761u) >> 7) % 101;
}

static uint64_t mix(uint64_t sum, const uint8_t *p, size_t len, uint64_t seq)
{
        sum = (sum ^ seq) * 0x100000001b3ull;
        for (size_t i = 0; i < len; i++)
                sum = (sum ^ p[i]) * 0x100000001b3ull;
        return sum;
}

static void *produce(void *arg)
{
        struct mover *mv = arg;
        rf_error err = { 0 };
        uint8_t buf[128];

        for (uint64_t seq = 0; seq < mv->n; seq++) {
                struct ring_msg m = { .len = seq_len(seq), .type = 1, .job = seq };
                unsigned flags = (seq % BATCH == BATCH - 1 || seq + 1 == mv->n) ? 0 : RING_MORE;
                int k;

                for (uint32_t i = 0; i < m.len; i++)
                        buf[i] = (uint8_t)(seq + i);
                mv->sum = mix(mv->sum, buf, m.len, seq);
                while ((k = ring_push(mv->r, &m, buf, flags, &err)) == -EAGAIN)
                        if ((k = ring_wait(mv->r, RING_SPACE, m.len, WAIT_NS, &err)) < 0)
                                break;
                if (k < 0) {
                        mv->rc = k;
                        memcpy(mv->msg, err.msg, sizeof(mv->msg));
                        return NULL;
                }
        }
        return NULL;
}

/* Consume with pop_batch, checking order, lengths and contents; stops at the first error. */
static void *consume(void *arg)
{
        struct mover *mv = arg;
        rf_error err = { 0 };
        uint64_t buf[1024];
        uint64_t seq = 0;

        while (seq < mv->n) {
                size_t used, pos = 0;
                const struct ring_msg *m;
                int k = ring_pop_batch(mv->r, buf, sizeof(buf), &used, &err);

                if (k == 0)
                        k = ring_wait(mv->r, RING_DATA, 0, WAIT_NS, &err);
                if (k < 0) {
                        mv->rc = k;
                        memcpy(mv->msg, err.msg, sizeof(mv->msg));
                        return NULL;
                }
                while ((m = ring_batch_next(buf, used, &pos)) != NULL) {
                        const uint8_t *p = (const uint8_t *)(m + 1);

                        /* Order and length here; every byte through the checksum. */
                        if (m->job != seq || m->len != seq_len(seq) ||
                            (m->len && p[0] != (uint8_t)seq)) {
                                mv->rc = -EBADMSG;
                                snprintf(mv->msg, sizeof(mv->msg), "message %llu: job %llu len %u",
                                         (unsigned long long)seq, (unsigned long long)m->job,
                                         m->len);
                                return NULL;
                        }
                        mv->sum = mix(mv->sum, p, m->len, seq);
                        seq++;
                }
        }
        return NULL;
}

/* Move n messages from one thread to another through a ring of cap bytes. */
static struct ring_stats move_messages(uint64_t n, uint32_t cap, uint32_t spin_ns)
{
        void *mem;
        struct ring *r = heap_ring(cap, &mem);
        struct mover p = { .r = r, .n = n }, c = { .r = r, .n = n };
        struct ring_stats st;
        pthread_t tp, tc;

        ring_set_spin(r, spin_ns);
        ck_assert_int_eq(pthread_create(&tc, NULL, consume, &c), 0);
        ck_assert_int_eq(pthread_create(&tp, NULL, produce, &p), 0);
        pthread_join(tp, NULL);
        pthread_join(tc, NULL);
        ck_assert_msg(p.rc == 0, "producer: %s", p.msg);
        ck_assert_msg(c.rc == 0, "consumer: %s", c.msg);
        ck_assert_uint_eq(p.sum, c.sum);
        ck_assert_int_eq(ring_pop(r, &(struct ring_msg){ 0 }, NULL, 0, 0, NULL), -EAGAIN);
        ring_get_stats(r, &st);
        ring_free(r);
        free(mem);
        return st;
}

START_TEST(threads_10m)
{
        const char *env = getenv("RING_TEST_MESSAGES");

        move_messages(env ? strtoull(env, NULL, 10) : 10000000, 64 * 1024, RING_SPIN_NS);
}
END_TEST

/* Never spinning, with a small ring: the two sleep and wake each other often. */
START_TEST(threads_sleeping)
{
        struct ring_stats st = move_messages(200000, 1024, 0);

        ck_assert_uint_gt(st.sleeps, 0);
        ck_assert_uint_gt(st.wakes, 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("ring_spsc");
        TCase *tc = tcase_create("spsc");
        TCase *tw = tcase_create("wait");
        TCase *tt = tcase_create("threads");

        tcase_add_test(tc, wrap_all_sizes);
        tcase_add_test(tc, max_message_at_every_offset);
        tcase_add_test(tc, full_and_empty);
        tcase_add_test(tc, argument_errors);
        tcase_add_test(tc, batch_commit_and_release);
        suite_add_tcase(s, tc);
        tcase_add_test(tw, wait_timeout_and_wake);
        tcase_add_test(tw, wake_futex);
        tcase_add_test(tw, wake_eventfd);
        tcase_set_timeout(tw, 30);
        suite_add_tcase(s, tw);
        tcase_add_test(tt, threads_10m);
        tcase_add_test(tt, threads_sleeping);
        tcase_set_timeout(tt, 600);
        suite_add_tcase(s, tt);
        return test_run_suite(s);
}
