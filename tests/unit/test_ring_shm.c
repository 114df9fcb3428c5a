/* SPDX-License-Identifier: MIT */
/* Units for the ring shared between processes over a memfd: sealing and attaching, a child that
 * produces a million messages, and a hostile child that writes garbage into the layout, the
 * positions and the records, one kind of corruption per test; the parent must report -EBADMSG
 * with a sentence, stay poisoned, and never crash or read out of bounds. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "ring/ring.h"

#ifndef RF_RING_DECLARED
/* The public calls this file uses, until they move into ringfence.h (see src/api/ring.c). */
typedef struct rf_ring rf_ring;
typedef struct rf_ring_msg {
        uint32_t len;
        uint16_t type;
        uint16_t flags;
        uint64_t job;
} rf_ring_msg;
#define RF_RING_READER 1
#define RF_RING_WRITER 2
int rf_ring_new_memfd(uint32_t capacity, rf_ring **ret, int *ret_fd, rf_error *err);
int rf_ring_attach_fd(int fd, rf_ring **ret, rf_error *err);
rf_ring *rf_ring_free(rf_ring *r);
int rf_ring_push(rf_ring *r, const rf_ring_msg *hdr, const void *data, int flags, rf_error *err);
int rf_ring_pop(rf_ring *r, rf_ring_msg *ret_hdr, void *buf, size_t size, int flags,
                rf_error *err);
int rf_ring_wait(rf_ring *r, int side, uint32_t len, int64_t timeout_us, rf_error *err);
#endif

#define CAP 1024u

/* A memfd ring of cap bytes; *ret_fd is its memfd. */
static struct ring *memfd_ring(uint32_t cap, int *ret_fd)
{
        struct ring *r = NULL;
        rf_error err = { 0 };

        ck_assert_msg(ring_new_memfd(cap, &r, ret_fd, &err) == 0, "%s", err.msg);
        return r;
}

/* Wait for child pid and check that it exited 0. */
static void reap(pid_t pid)
{
        int status;

        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x", status);
}

/* Run fn in a child on its own mapping of fd (as a hostile peer would have it), and reap it. */
static void in_child(int fd, void (*fn)(uint8_t *base, uint64_t at), uint64_t at)
{
        pid_t pid = fork();

        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct stat st;
                uint8_t *base;

                if (fstat(fd, &st) < 0)
                        _exit(2);
                base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
                if (base == MAP_FAILED)
                        _exit(3);
                fn(base, at);
                _exit(0);
        }
        reap(pid);
}

/* Push and pop messages whose records add up to bytes, to move both positions there. */
static void advance(struct ring *r, uint64_t bytes)
{
        uint32_t max_rec = ring_max_payload(r) + RING_MSG_SIZE;
        uint8_t buf[8192];

        while (bytes > 0) {
                uint32_t rec = bytes < max_rec ? (uint32_t)bytes : max_rec;
                struct ring_msg m = { .type = 1 };

                if (bytes - rec > 0 && bytes - rec < RING_MSG_SIZE)
                        rec -= RING_MSG_SIZE;
                m.len = rec - RING_MSG_SIZE;
                ck_assert_int_eq(ring_push(r, &m, buf, 0, NULL), 0);
                ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, NULL), 0);
                bytes -= rec;
        }
}

/* The hostile peer's view of the shared words and records. */
static struct ring_index *tail_of(uint8_t *base)
{
        return (struct ring_index *)(base + RING_TAIL_OFF);
}

static struct ring_index *head_of(uint8_t *base)
{
        return (struct ring_index *)(base + RING_HEAD_OFF);
}

static struct ring_layout *layout_of(uint8_t *base)
{
        return (struct ring_layout *)base;
}

/* Write a record header (type, len) at position pos of a ring of capacity CAP. */
static void put_record(uint8_t *base, uint64_t pos, uint16_t type, uint32_t len)
{
        struct ring_msg m = { .len = len, .type = type, .job = 42 };

        memcpy(base + RING_DATA_OFF + (pos & (CAP - 1)), &m,
               type == RING_MSG_PAD ? RING_PAD_SIZE : RING_MSG_SIZE);
}

/* Every call on a poisoned ring fails with -EBADMSG and the same sentence. */
static void check_sticky(struct ring *r, const char *sentence)
{
        uint8_t buf[64];
        struct ring_msg m = { .len = 1, .type = 1 };
        const void *p;
        void *w;
        size_t used;
        rf_error err = { 0 };

        ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, &err), -EBADMSG);
        ck_assert_str_eq(err.msg, sentence);
        ck_assert_int_eq(ring_peek(r, &m, &p, &err), -EBADMSG);
        ck_assert_int_eq(ring_pop_batch(r, buf, sizeof(buf), &used, &err), -EBADMSG);
        ck_assert_int_eq(ring_release(r, &err), -EBADMSG);
        ck_assert_int_eq(ring_reserve(r, &m, &w, &err), -EBADMSG);
        ck_assert_int_eq(ring_push(r, &m, buf, 0, &err), -EBADMSG);
        ck_assert_int_eq(ring_commit(r, &err), -EBADMSG);
        ck_assert_int_eq(ring_wait(r, RING_DATA, 0, 1000, &err), -EBADMSG);
        ck_assert_int_eq(ring_wait(r, RING_SPACE, 0, 1000, &err), -EBADMSG);
        ck_assert_int_eq(ring_poisoned(r, &err), -EBADMSG);
        ck_assert_str_eq(err.msg, sentence);
}

/* Move a ring of capacity cap to position at, let a child corrupt it with fn, and check that
 * the next pop reports sentence and that the ring stays poisoned. */
static void hostile(uint32_t cap, uint64_t at, void (*fn)(uint8_t *, uint64_t),
                    const char *sentence)
{
        _cleanup_close_ int fd = -1;
        struct ring *r = memfd_ring(cap, &fd);
        uint8_t buf[64];
        struct ring_msg m;
        rf_error err = { 0 };

        advance(r, at);
        in_child(fd, fn, at);
        ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, &err), -EBADMSG);
        ck_assert_int_eq(err.code, -EBADMSG);
        ck_assert_str_eq(err.msg, sentence);
        check_sticky(r, sentence);
        ring_free(r);
}

static void tail_beyond(uint8_t *base, uint64_t at)
{
        atomic_store(&tail_of(base)->pos, at + CAP + 8);
}

START_TEST(tail_beyond_capacity)
{
        hostile(CAP, 0, tail_beyond, "ring: the producer's position is 1032, expected a "
                                     "multiple of 8 from 0 to 1024");
}
END_TEST

static void tail_odd(uint8_t *base, uint64_t at)
{
        put_record(base, at, 1, 0);
        atomic_store(&tail_of(base)->pos, at + 12);
}

START_TEST(tail_misaligned)
{
        hostile(CAP, 0, tail_odd, "ring: the producer's position is 12, expected a "
                                  "multiple of 8 from 0 to 1024");
}
END_TEST

static void tail_back(uint8_t *base, uint64_t at)
{
        atomic_store(&tail_of(base)->pos, at - 32);
}

START_TEST(tail_backwards)
{
        hostile(CAP, 64, tail_back, "ring: the producer's position is 32, expected a "
                                    "multiple of 8 from 64 to 1088");
}
END_TEST

static void huge_len(uint8_t *base, uint64_t at)
{
        struct ring_msg m = { .len = 1048576, .type = 1 };

        memcpy(base + RING_DATA_OFF + (at & 8191), &m, sizeof(m));
        atomic_store(&tail_of(base)->pos, at + 144);
}

START_TEST(length_huge)
{
        hostile(8192, 4096, huge_len, "ring: message at offset 4096 claims 1048576 bytes, only "
                                      "128 available");
}
END_TEST

static void len_over_avail(uint8_t *base, uint64_t at)
{
        put_record(base, at, 1, 200);
        atomic_store(&tail_of(base)->pos, at + 64);
}

START_TEST(length_over_available)
{
        hostile(CAP, 0, len_over_avail, "ring: message at offset 0 claims 200 bytes, only 48 "
                                        "available");
}
END_TEST

static void len_over_limit(uint8_t *base, uint64_t at)
{
        put_record(base, at, 1, 600);
        atomic_store(&tail_of(base)->pos, at + CAP);
}

START_TEST(length_over_limit)
{
        hostile(CAP, 0, len_over_limit, "ring: message at offset 0 claims 600 bytes, at most 496 "
                                        "are allowed");
}
END_TEST

static void straddle(uint8_t *base, uint64_t at)
{
        put_record(base, at, 1, 200);
        atomic_store(&tail_of(base)->pos, at + 512);
}

START_TEST(record_straddles_wrap)
{
        hostile(CAP, 896, straddle, "ring: message at offset 896 claims 200 bytes, but the ring "
                                    "wraps after 112");
}
END_TEST

static void pad_short(uint8_t *base, uint64_t at)
{
        put_record(base, at, RING_MSG_PAD, 64);
        put_record(base, at + 64, 1, 0); /* where the lie points */
        atomic_store(&tail_of(base)->pos, at + 256);
}

START_TEST(pad_lies)
{
        hostile(CAP, 896, pad_short, "ring: padding at offset 896 claims 64 bytes, but the ring "
                                     "wraps after 128");
}
END_TEST

static void pad_unpublished(uint8_t *base, uint64_t at)
{
        put_record(base, at, RING_MSG_PAD, 128);
        atomic_store(&tail_of(base)->pos, at + 64);
}

START_TEST(pad_beyond_available)
{
        hostile(CAP, 896, pad_unpublished, "ring: padding at offset 896 claims 128 bytes, only 64 "
                                           "available");
}
END_TEST

static void pad_zero(uint8_t *base, uint64_t at)
{
        put_record(base, at, RING_MSG_PAD, CAP);
        atomic_store(&tail_of(base)->pos, at + CAP);
}

START_TEST(pad_at_zero)
{
        hostile(CAP, 0, pad_zero, "ring: padding at offset 0, where every message fits");
}
END_TEST

static void header_at_end(uint8_t *base, uint64_t at)
{
        struct ring_msg m = { .len = 0, .type = 1 };

        memcpy(base + RING_DATA_OFF + (at & (CAP - 1)), &m, RING_PAD_SIZE);
        atomic_store(&tail_of(base)->pos, at + 64);
}

START_TEST(header_cut_at_wrap)
{
        hostile(CAP, 1016, header_at_end, "ring: message at offset 1016 has 8 bytes for its "
                                          "16-byte header");
}
END_TEST

static void header_short(uint8_t *base, uint64_t at)
{
        put_record(base, at, 1, 0);
        atomic_store(&tail_of(base)->pos, at + 8);
}

START_TEST(header_cut_short)
{
        hostile(CAP, 0, header_short, "ring: message at offset 0 has 8 bytes for its 16-byte "
                                      "header");
}
END_TEST

static void tail_rewind(uint8_t *base, uint64_t at)
{
        (void)at;
        atomic_store(&tail_of(base)->pos, 128);
}

/* A tail moved back behind what we saw is caught when we next read it, all we saw consumed. */
START_TEST(tail_rewound)
{
        _cleanup_close_ int fd = -1;
        struct ring *r = memfd_ring(CAP, &fd);
        const char *sentence = "ring: the producer's position is 128, expected a multiple of 8 "
                               "from 192 to 1216";
        uint8_t buf[48] = { 0 };
        struct ring_msg m = { .len = 48, .type = 1 };
        rf_error err = { 0 };

        for (int i = 0; i < 3; i++)
                ck_assert_int_eq(ring_push(r, &m, buf, 0, NULL), 0);
        ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, NULL), 0); /* saw tail 192 */
        in_child(fd, tail_rewind, 0);
        ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, NULL), 0);
        ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, NULL), 0);
        ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, &err), -EBADMSG);
        ck_assert_str_eq(err.msg, sentence);
        check_sticky(r, sentence);
        ring_free(r);
}
END_TEST

/* ---- the producer's side: a hostile consumer ---- */

static void head_ahead(uint8_t *base, uint64_t at)
{
        (void)at;
        atomic_store(&head_of(base)->pos, 2048);
}

START_TEST(head_beyond_tail)
{
        _cleanup_close_ int fd = -1;
        struct ring *r = memfd_ring(CAP, &fd);
        uint8_t buf[48] = { 0 };
        struct ring_msg m = { .len = 48, .type = 1 };
        rf_error err = { 0 };
        int n = 0, k;

        in_child(fd, head_ahead, 0);
        while ((k = ring_push(r, &m, buf, 0, &err)) == 0)
                n++;
        ck_assert_int_eq(n, 16);
        ck_assert_int_eq(k, -EBADMSG);
        ck_assert_str_eq(err.msg, "ring: the consumer's position is 2048, expected a "
                                  "multiple of 8 from 0 to 1024");
        check_sticky(r, err.msg);
        ring_free(r);
}
END_TEST

/* ---- the layout, checked once when attaching ---- */

/* Let fn corrupt a fresh memfd ring of CAP bytes, then attach: -EBADMSG with sentence. */
static void hostile_layout(void (*fn)(uint8_t *, uint64_t), const char *sentence)
{
        _cleanup_close_ int fd = -1;
        struct ring *r = memfd_ring(CAP, &fd), *r2 = NULL;
        rf_error err = { 0 };

        in_child(fd, fn, 0);
        ck_assert_int_eq(ring_attach_fd(fd, &r2, &err), -EBADMSG);
        ck_assert_ptr_null(r2);
        ck_assert_str_eq(err.msg, sentence);
        ring_free(r);
}

static void bad_magic(uint8_t *base, uint64_t at)
{
        (void)at;
        layout_of(base)->magic = 0xdeadbeef;
}

START_TEST(layout_bad_magic)
{
        hostile_layout(bad_magic, "ring: bad magic number 0xdeadbeef, expected 0x474e5246");
}
END_TEST

static void bad_version(uint8_t *base, uint64_t at)
{
        (void)at;
        layout_of(base)->version = 7;
}

START_TEST(layout_bad_version)
{
        hostile_layout(bad_version, "ring: layout version 7 (header of 48 bytes) is not version "
                                    "1");
}
END_TEST

static void odd_capacity(uint8_t *base, uint64_t at)
{
        (void)at;
        layout_of(base)->capacity = 1000;
}

START_TEST(layout_capacity_not_power_of_two)
{
        hostile_layout(odd_capacity, "ring: capacity 1000 is not a power of two from 256 to "
                                     "1073741824");
}
END_TEST

static void big_capacity(uint8_t *base, uint64_t at)
{
        (void)at;
        layout_of(base)->capacity = 2048;
        layout_of(base)->total_size = RING_DATA_OFF + 2048;
}

START_TEST(layout_capacity_beyond_file)
{
        hostile_layout(big_capacity, "ring: the layout claims 3072 bytes, the memory has 2048 and "
                                     "capacity 2048 needs 3072");
}
END_TEST

static void moved_offsets(uint8_t *base, uint64_t at)
{
        (void)at;
        layout_of(base)->tail_off = 0;
}

START_TEST(layout_offsets_moved)
{
        hostile_layout(moved_offsets, "ring: the layout's offsets or flags are not those of "
                                      "version 1");
}
END_TEST

static void far_positions(uint8_t *base, uint64_t at)
{
        (void)at;
        atomic_store(&head_of(base)->pos, 8);
        atomic_store(&tail_of(base)->pos, 8 + 2 * CAP);
}

START_TEST(layout_positions)
{
        hostile_layout(far_positions, "ring: head 8 and tail 2056 are not multiples of 8 at "
                                      "most 1024 apart");
}
END_TEST

/* A memfd that can shrink could make our reads fault (SIGBUS): refused. */
START_TEST(unsealed_memfd)
{
        _cleanup_close_ int fd = memfd_create("unsealed", MFD_CLOEXEC);
        struct ring *r = NULL;
        rf_error err = { 0 };
        char want[128];
        void *mem;

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(ftruncate(fd, RING_DATA_OFF + CAP), 0);
        mem = mmap(NULL, RING_DATA_OFF + CAP, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        ck_assert_ptr_ne(mem, MAP_FAILED);
        ck_assert_int_eq(ring_new(mem, RING_DATA_OFF + CAP, RING_SHARED, &r, &err), 0);
        ring_free(r);
        ck_assert_int_eq(ring_attach_fd(fd, &r, &err), -EPERM);
        snprintf(want, sizeof(want), "ring: fd %d is not a memfd sealed against shrinking", fd);
        ck_assert_str_eq(err.msg, want);
        munmap(mem, RING_DATA_OFF + CAP);
}
END_TEST

/* ---- a racing peer: valid messages whose headers and positions change under the reader ---- */

static void flip_forever(uint8_t *base, uint64_t at)
{
        uint64_t x = 88172645463325252ull;

        (void)at;
        for (;;) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                uint64_t pos = atomic_load(&head_of(base)->pos);
                struct ring_msg m = { .len = (uint32_t)(x % 64), .type = 1, .job = x };

                if (x % 97 == 0)
                        m.len = (uint32_t)(x >> 32); /* now and then a lie */
                memcpy(base + RING_DATA_OFF + (pos & (CAP - 1)), &m, RING_PAD_SIZE);
                if (x % 5 == 0)
                        atomic_store(&tail_of(base)->pos, pos + (x % 4) * 8 + 16);
        }
}

START_TEST(racing_peer)
{
        struct timespec t0, t1;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        do {
                _cleanup_close_ int fd = -1;
                struct ring *r = memfd_ring(CAP, &fd);
                pid_t pid = fork();
                uint8_t buf[CAP];
                struct ring_msg m;
                rf_error err = { 0 };
                int k;

                ck_assert_int_ge(pid, 0);
                if (pid == 0) {
                        uint8_t *base = mmap(NULL, RING_DATA_OFF + CAP, PROT_READ | PROT_WRITE,
                                             MAP_SHARED, fd, 0);
                        if (base == MAP_FAILED)
                                _exit(3);
                        flip_forever(base, 0);
                }
                while ((k = ring_pop(r, &m, buf, sizeof(buf), 0, &err)) == 0 || k == -EAGAIN)
                        if (k == 0 && m.len > ring_max_payload(r))
                                ck_abort_msg("popped %u bytes", m.len);
                ck_assert_int_eq(k, -EBADMSG);
                ck_assert_msg(strncmp(err.msg, "ring: ", 6) == 0, "%s", err.msg);
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
                ring_free(r);
                clock_gettime(CLOCK_MONOTONIC, &t1);
        } while ((t1.tv_sec - t0.tv_sec) * 1000000000 + t1.tv_nsec - t0.tv_nsec < 500000000);
}
END_TEST

/* ---- two honest processes ---- */

#define N_PROC 1000000

static uint32_t seq_len(uint64_t seq)
{
        return (uint32_t)((seq * 2654435761u) >> 5) % 120;
}

/* The child: attach by fd and produce n messages, each its sequence number and a pattern. */
static int child_produce(int fd, uint64_t n, uint32_t spin_ns)
{
        struct ring *r = NULL;
        uint8_t buf[128];

        if (ring_attach_fd(fd, &r, NULL) < 0)
                return 10;
        ring_set_spin(r, spin_ns);
        for (uint64_t seq = 0; seq < n; seq++) {
                struct ring_msg m = { .len = seq_len(seq), .type = 2, .job = seq };
                int k;

                for (uint32_t i = 0; i < m.len; i++)
                        buf[i] = (uint8_t)(seq * 7 + i);
                while ((k = ring_push(r, &m, buf, seq % 8 == 7 ? 0 : RING_MORE, NULL)) == -EAGAIN)
                        if (ring_wait(r, RING_SPACE, m.len, 30 * 1000000000LL, NULL) < 0)
                                return 11;
                if (k < 0)
                        return 12;
        }
        if (ring_commit(r, NULL) < 0)
                return 13;
        ring_free(r);
        return 0;
}

/* Consume n messages from a child producer and check each; returns the sleeps made. */
static uint64_t two_processes(uint64_t n, uint32_t spin_ns)
{
        _cleanup_close_ int fd = -1;
        struct ring *r = memfd_ring(64 * 1024, &fd);
        struct ring_stats st;
        uint8_t buf[128];
        rf_error err = { 0 };
        pid_t pid;

        ring_set_spin(r, spin_ns);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(child_produce(fd, n, spin_ns));
        for (uint64_t seq = 0; seq < n;) {
                struct ring_msg m;
                uint32_t i = 0;
                int k = ring_pop(r, &m, buf, sizeof(buf), 0, &err);

                /* No ck_assert per message: Check records each one with a system call. */
                if (k == -EAGAIN) {
                        k = ring_wait(r, RING_DATA, 0, 30 * 1000000000LL, &err);
                        if (k < 0)
                                ck_abort_msg("%s", err.msg);
                        continue;
                }
                if (k < 0)
                        ck_abort_msg("%s", err.msg);
                while (i < m.len && buf[i] == (uint8_t)(seq * 7 + i))
                        i++;
                if (m.job != seq || m.len != seq_len(seq) || i != m.len)
                        ck_abort_msg("message %llu: job %llu, %u bytes, byte %u wrong",
                                     (unsigned long long)seq, (unsigned long long)m.job, m.len,
                                     i);
                seq++;
        }
        reap(pid);
        ck_assert_int_eq(ring_pop(r, &(struct ring_msg){ 0 }, buf, sizeof(buf), 0, NULL), -EAGAIN);
        ring_get_stats(r, &st);
        ring_free(r);
        return st.sleeps;
}

START_TEST(child_produces)
{
        two_processes(N_PROC, RING_SPIN_NS);
}
END_TEST

/* Without spinning the parent sleeps on the shared futex, and only a shared FUTEX_WAKE from the
 * child can wake it. */
START_TEST(child_produces_sleeping)
{
        ck_assert_uint_gt(two_processes(100000, 0), 0);
}
END_TEST

START_TEST(memfd_sealed_and_attached)
{
        _cleanup_close_ int fd = -1;
        struct ring *r = memfd_ring(CAP, &fd), *r2 = NULL;
        uint8_t buf[16] = "hello";
        struct ring_msg m = { .len = 5, .type = 3, .job = 9 };
        rf_error err = { 0 };
        int seals = fcntl(fd, F_GET_SEALS);

        ck_assert_int_eq(seals & (F_SEAL_SHRINK | F_SEAL_GROW), F_SEAL_SHRINK | F_SEAL_GROW);
        ck_assert_int_eq(ftruncate(fd, 100), -1);
        ck_assert_int_eq(ftruncate(fd, 1 << 20), -1);
        ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
        ck_assert_int_eq(ring_attach_fd(fd, &r2, &err), 0);
        ck_assert_uint_eq(ring_capacity(r2), CAP);
        ck_assert_int_eq(ring_push(r, &m, buf, 0, NULL), 0);
        memset(buf, 0, sizeof(buf));
        ck_assert_int_eq(ring_pop(r2, &m, buf, sizeof(buf), 0, NULL), 0);
        ck_assert_uint_eq(m.job, 9);
        ck_assert_str_eq((char *)buf, "hello");
        ck_assert_int_eq(ring_new_memfd(1000, &r2, &fd, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "ring: capacity 1000 is not a power of two from 256 to "
                                  "1073741824");
        ring_free(r2);
        ring_free(r);
}
END_TEST

/* The public calls across two processes. */
START_TEST(public_api)
{
        rf_ring *r = NULL;
        int fd = -1;
        rf_error err = { 0 };
        pid_t pid;

        ck_assert_int_eq(rf_ring_new_memfd(4096, &r, &fd, &err), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                rf_ring *w = NULL;

                if (rf_ring_attach_fd(fd, &w, NULL) < 0)
                        _exit(10);
                for (uint64_t i = 0; i < 10000; i++) {
                        rf_ring_msg m = { .len = sizeof(i), .type = 4, .job = i };

                        while (rf_ring_push(w, &m, &i, 0, NULL) == -EAGAIN)
                                if (rf_ring_wait(w, RF_RING_WRITER, m.len, 30000000, NULL) < 0)
                                        _exit(11);
                }
                _exit(0);
        }
        for (uint64_t i = 0; i < 10000;) {
                rf_ring_msg m;
                uint64_t v;
                int k = rf_ring_pop(r, &m, &v, sizeof(v), 0, &err);

                if (k == -EAGAIN && rf_ring_wait(r, RF_RING_READER, 0, 30000000, &err) == 0)
                        continue;
                if (k < 0 || m.job != i || v != i)
                        ck_abort_msg("message %llu: %s", (unsigned long long)i, err.msg);
                i++;
        }
        reap(pid);
        ck_assert_int_eq(rf_ring_pop(NULL, NULL, NULL, 0, 0, &err), -EINVAL);
        ck_assert_int_eq(rf_ring_attach_fd(-1, &r, &err), -EINVAL);
        rf_ring_free(r);
        close(fd);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("ring_shm");
        TCase *th = tcase_create("hostile");
        TCase *tl = tcase_create("layout");
        TCase *tp = tcase_create("processes");
        SRunner *sr;
        int failed;

        tcase_add_test(th, tail_beyond_capacity);
        tcase_add_test(th, tail_misaligned);
        tcase_add_test(th, tail_backwards);
        tcase_add_test(th, tail_rewound);
        tcase_add_test(th, length_huge);
        tcase_add_test(th, length_over_available);
        tcase_add_test(th, length_over_limit);
        tcase_add_test(th, record_straddles_wrap);
        tcase_add_test(th, pad_lies);
        tcase_add_test(th, pad_beyond_available);
        tcase_add_test(th, pad_at_zero);
        tcase_add_test(th, header_cut_at_wrap);
        tcase_add_test(th, header_cut_short);
        tcase_add_test(th, head_beyond_tail);
        tcase_add_test(th, racing_peer);
        tcase_set_timeout(th, 30);
        suite_add_tcase(s, th);
        tcase_add_test(tl, layout_bad_magic);
        tcase_add_test(tl, layout_bad_version);
        tcase_add_test(tl, layout_capacity_not_power_of_two);
        tcase_add_test(tl, layout_capacity_beyond_file);
        tcase_add_test(tl, layout_offsets_moved);
        tcase_add_test(tl, layout_positions);
        tcase_add_test(tl, unsealed_memfd);
        tcase_add_test(tl, memfd_sealed_and_attached);
        suite_add_tcase(s, tl);
        tcase_add_test(tp, child_produces);
        tcase_add_test(tp, child_produces_sleeping);
        tcase_add_test(tp, public_api);
        tcase_set_timeout(tp, 300);
        suite_add_tcase(s, tp);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
