/* SPDX-License-Identifier: MIT */
/* Units for the public ring calls that the engine does not use itself: rf_ring_max_message,
 * rf_ring_flush (both sides), rf_ring_wake and rf_ring_set_eventfd, a behaviour each, through
 * include/ringfence.h only. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "ringfence.h"
#include "helpers.h"

#define CAP 4096
#define HEADER 1024 /* rf_ring_new's header before the data */

/* A heap ring of CAP bytes; *ret_mem is the memory to free after rf_ring_free. */
static rf_ring *heap_ring(void **ret_mem)
{
        void *mem = aligned_alloc(64, HEADER + CAP);
        rf_error err = { 0 };
        rf_ring *r = NULL;

        ck_assert_ptr_nonnull(mem);
        ck_assert_msg(rf_ring_new(mem, HEADER + CAP, 0, &r, &err) == 0, "%s", err.msg);
        *ret_mem = mem;
        return r;
}

static void ring_done(rf_ring *r, void *mem)
{
        rf_ring_free(r);
        free(mem);
}

/* Push one message of len bytes about job; returns rf_ring_push's. */
static int push(rf_ring *r, uint32_t len, uint64_t job, int flags)
{
        static uint8_t payload[CAP];
        rf_ring_msg m = { .len = len, .type = 1, .job = job };

        memset(payload, (int)job, len);
        return rf_ring_push(r, &m, payload, flags, NULL);
}

/* Pop one message into a CAP buffer; returns rf_ring_pop's, *ret its header. */
static int pop(rf_ring *r, rf_ring_msg *ret, int flags)
{
        static uint8_t buf[CAP];

        return rf_ring_pop(r, ret, buf, sizeof(buf), flags, NULL);
}

static int64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The largest message goes through; one byte more is refused, and the ring stays usable. */
START_TEST(max_message_is_the_limit)
{
        void *mem;
        rf_ring *r = heap_ring(&mem);
        uint32_t max = rf_ring_max_message(r);
        rf_ring_msg m;

        ck_assert_uint_gt(max, CAP / 4);
        ck_assert_uint_lt(max, CAP / 2);
        ck_assert_int_eq(push(r, max + 1, 1, 0), -EMSGSIZE);
        ck_assert_int_eq(push(r, max, 2, 0), 0);
        ck_assert_int_eq(pop(r, &m, 0), 0);
        ck_assert_uint_eq(m.len, max);
        ck_assert_uint_eq(m.job, 2);
        ck_assert_uint_eq(rf_ring_max_message(NULL), 0);
        ring_done(r, mem);
}
END_TEST

/* A push with RF_RING_MORE stays unseen until the writer flushes. */
START_TEST(flush_writer_publishes)
{
        void *mem;
        rf_ring *r = heap_ring(&mem);
        rf_error err = { 0 };
        rf_ring_msg m;

        ck_assert_int_eq(push(r, 8, 7, RF_RING_MORE), 0);
        ck_assert_int_eq(pop(r, &m, 0), -EAGAIN);
        ck_assert_int_eq(rf_ring_flush(r, RF_RING_WRITER, &err), 0);
        ck_assert_int_eq(pop(r, &m, 0), 0);
        ck_assert_uint_eq(m.job, 7);
        ring_done(r, mem);
}
END_TEST

/* A pop with RF_RING_MORE keeps its room from the writer until the reader flushes. */
START_TEST(flush_reader_gives_room_back)
{
        void *mem;
        rf_ring *r = heap_ring(&mem);
        rf_error err = { 0 };
        rf_ring_msg m;
        uint64_t n = 0;

        while (push(r, 48, n, 0) == 0) /* 64-byte records: the ring fills exactly */
                n++;
        ck_assert_uint_gt(n, 8);
        ck_assert_int_eq(pop(r, &m, RF_RING_MORE), 0);
        ck_assert_int_eq(push(r, 48, n, 0), -EAGAIN);
        ck_assert_int_eq(rf_ring_flush(r, RF_RING_READER, &err), 0);
        ck_assert_int_eq(push(r, 48, n, 0), 0);
        ring_done(r, mem);
}
END_TEST

START_TEST(flush_needs_a_side)
{
        void *mem;
        rf_ring *r = heap_ring(&mem);
        rf_error err = { 0 };

        ck_assert_int_eq(rf_ring_flush(r, 0, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(err.msg, "RF_RING_READER"));
        ck_assert_int_eq(rf_ring_flush(NULL, RF_RING_WRITER, NULL), -EINVAL);
        ring_done(r, mem);
}
END_TEST

/* A reader thread: waits for a message for up to 5 s, without spinning. */
struct waiter {
        rf_ring *r;
        int result;
        _Atomic int done;
        pthread_t thread;
};

static void *wait_reader(void *arg)
{
        struct waiter *w = arg;

        w->result = rf_ring_wait(w->r, RF_RING_READER, 0, 5000000, NULL);
        w->done = 1;
        return NULL;
}

static void waiter_start(struct waiter *w, rf_ring *r)
{
        *w = (struct waiter){ .r = r };
        ck_assert_int_eq(rf_ring_set_spin(r, 0), 0);
        ck_assert_int_eq(pthread_create(&w->thread, NULL, wait_reader, w), 0);
}

/* Join w; returns how long the wait took in ms after start_ms. */
static int64_t waiter_join(struct waiter *w, int64_t start_ms)
{
        ck_assert_int_eq(pthread_join(w->thread, NULL), 0);
        return now_ms() - start_ms;
}

/* rf_ring_wake ends a reader's sleep on the futex although no message came: it gets 0 (check
 * again) long before its time runs out, and finds the ring still empty. */
START_TEST(wake_ends_a_wait)
{
        void *mem;
        rf_ring *r = heap_ring(&mem);
        int64_t start = now_ms();
        struct waiter w;
        rf_ring_msg m;

        waiter_start(&w, r);
        /* Again and again: a wake that comes before the reader sleeps is not kept. */
        while (!w.done && now_ms() - start < 10000) {
                ck_assert_int_eq(rf_ring_wake(r, RF_RING_READER), 0);
                usleep(5000);
        }
        ck_assert_int_lt(waiter_join(&w, start), 4000);
        ck_assert_int_eq(w.result, 0);
        ck_assert_int_eq(pop(r, &m, 0), -EAGAIN);
        ck_assert_int_eq(rf_ring_wake(r, 0), -EINVAL);
        ck_assert_int_eq(rf_ring_wake(NULL, RF_RING_READER), -EINVAL);
        ring_done(r, mem);
}
END_TEST

/* With an eventfd set for the reader, a wake writes it (an event loop sees it), and a reader in
 * rf_ring_wait sleeps on it: a write of the eventfd from outside ends the wait. Set back to -1,
 * the futex is used again and the eventfd stays quiet. */
START_TEST(set_eventfd_moves_the_sleep)
{
        void *mem;
        rf_ring *r = heap_ring(&mem);
        int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        uint64_t v = 0, one = 1;
        int64_t start;
        struct waiter w;

        ck_assert_int_ge(efd, 0);
        ck_assert_int_eq(rf_ring_set_eventfd(r, RF_RING_READER, efd), 0);
        ck_assert_int_eq(rf_ring_wake(r, RF_RING_READER), 0);
        ck_assert_int_eq(read(efd, &v, sizeof(v)), (int)sizeof(v));
        ck_assert_uint_eq(v, 1);

        start = now_ms();
        waiter_start(&w, r);
        ck_assert_int_eq(write(efd, &one, sizeof(one)), (int)sizeof(one));
        ck_assert_int_lt(waiter_join(&w, start), 4000);
        ck_assert_int_eq(w.result, 0);

        ck_assert_int_eq(rf_ring_set_eventfd(r, RF_RING_READER, -1), 0);
        (void)!read(efd, &v, sizeof(v)); /* whatever the waiter left */
        ck_assert_int_eq(rf_ring_wake(r, RF_RING_READER), 0);
        ck_assert_int_eq(read(efd, &v, sizeof(v)), -1);
        ck_assert_int_eq(errno, EAGAIN);
        ck_assert_int_eq(rf_ring_set_eventfd(r, 0, efd), -EINVAL);
        ck_assert_int_eq(rf_ring_set_eventfd(r, RF_RING_WRITER, -2), -EINVAL);
        close(efd);
        ring_done(r, mem);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("api_ring");
        TCase *tc = tcase_create("ring");

        tcase_add_test(tc, max_message_is_the_limit);
        tcase_add_test(tc, flush_writer_publishes);
        tcase_add_test(tc, flush_reader_gives_room_back);
        tcase_add_test(tc, flush_needs_a_side);
        tcase_add_test(tc, wake_ends_a_wait);
        tcase_add_test(tc, set_eventfd_moves_the_sleep);
        tcase_set_timeout(tc, 30);
        suite_add_tcase(s, tc);
        return test_run_suite(s);
}
