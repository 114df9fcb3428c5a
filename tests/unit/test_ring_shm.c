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
#include <stddef.h>
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
#include "helpers.h"

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

/* Run fn(base, arg) in a child on its own mapping of fd (as a hostile peer has it), and reap it. */
static void in_child(int fd, void (*fn)(uint8_t *base, const void *arg), const void *arg)
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
                fn(base, arg);
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

static struct ring_index *tail_of(uint8_t *base)
{
        return (struct ring_index *)(base + RING_TAIL_OFF);
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

/* ---- a hostile producer: one kind of corruption per test ---- */

/* Move both positions of a ring of capacity cap to at; the peer then writes a record header (type
 * and len, only the bytes before the end of the data area) at at unless type is 0, and sets the
 * tail to at + tail. The next pop must fail with sentence. */
struct corruption {
        const char *name;
        uint32_t cap;
        uint64_t at;
        uint16_t type;
        uint32_t len;
        int64_t tail;
        const char *sentence;
};

static const struct corruption corruptions[] = {
        { "tail beyond the capacity", CAP, 0, 0, 0, CAP + 8,
          "ring: the producer's position is 1032, expected a multiple of 8 from 0 to 1024" },
        { "tail misaligned", CAP, 0, 1, 0, 12,
          "ring: the producer's position is 12, expected a multiple of 8 from 0 to 1024" },
        { "tail behind the head", CAP, 64, 0, 0, -32,
          "ring: the producer's position is 32, expected a multiple of 8 from 64 to 1088" },
        { "length huge", 8192, 4096, 1, 1048576, 144,
          "ring: message at offset 4096 claims 1048576 bytes, only 128 available" },
        { "length over what is published", CAP, 0, 1, 200, 64,
          "ring: message at offset 0 claims 200 bytes, only 48 available" },
        { "length over the limit", CAP, 0, 1, 600, CAP,
          "ring: message at offset 0 claims 600 bytes, at most 496 are allowed" },
        { "record across the wrap", CAP, 896, 1, 200, 512,
          "ring: message at offset 896 claims 200 bytes, but the ring wraps after 112" },
        { "PAD lies about its length", CAP, 896, RING_MSG_PAD, 64, 256,
          "ring: padding at offset 896 claims 64 bytes, but the ring wraps after 128" },
        { "PAD beyond what is published", CAP, 896, RING_MSG_PAD, 128, 64,
          "ring: padding at offset 896 claims 128 bytes, only 64 available" },
        { "PAD at offset 0", CAP, 0, RING_MSG_PAD, CAP, CAP,
          "ring: padding at offset 0, where every message fits" },
        { "header cut by the wrap", CAP, 1016, 1, 0, 64,
          "ring: message at offset 1016 has 8 bytes for its 16-byte header" },
        { "header cut short", CAP, 0, 1, 0, 8,
          "ring: message at offset 0 has 8 bytes for its 16-byte header" },
};

/* The hostile producer: write what c says. */
static void corrupt(uint8_t *base, const void *arg)
{
        const struct corruption *c = arg;
        struct ring_msg m = { .len = c->len, .type = c->type, .job = 42 };
        uint64_t off = c->at & (c->cap - 1);
        size_t n = c->type == RING_MSG_PAD ? RING_PAD_SIZE : RING_MSG_SIZE;

        if (c->type != 0)
                memcpy(base + RING_DATA_OFF + off, &m, n < c->cap - off ? n : c->cap - off);
        atomic_store(&tail_of(base)->pos, c->at + (uint64_t)c->tail);
}

START_TEST(producer_corrupts)
{
        const struct corruption *c = &corruptions[_i];
        _cleanup_close_ int fd = -1;
        struct ring *r = memfd_ring(c->cap, &fd);
        uint8_t buf[64];
        struct ring_msg m;
        rf_error err = { 0 };

        advance(r, c->at);
        in_child(fd, corrupt, c);
        ck_assert_msg(ring_pop(r, &m, buf, sizeof(buf), 0, &err) == -EBADMSG, "%s", c->name);
        ck_assert_int_eq(err.code, -EBADMSG);
        ck_assert_msg(strcmp(err.msg, c->sentence) == 0, "%s: \"%s\"", c->name, err.msg);
        check_sticky(r, c->sentence);
        ring_free(r);
}
END_TEST

static void tail_rewind(uint8_t *base, const void *arg)
{
        (void)arg;
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
        in_child(fd, tail_rewind, NULL);
        ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, NULL), 0);
        ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, NULL), 0);
        ck_assert_int_eq(ring_pop(r, &m, buf, sizeof(buf), 0, &err), -EBADMSG);
        ck_assert_str_eq(err.msg, sentence);
        check_sticky(r, sentence);
        ring_free(r);
}
END_TEST

/* ---- a hostile consumer, seen by the producer ---- */

static void head_ahead(uint8_t *base, const void *arg)
{
        (void)arg;
        atomic_store(&((struct ring_index *)(base + RING_HEAD_OFF))->pos, 2048);
}

START_TEST(head_beyond_tail)
{
        _cleanup_close_ int fd = -1;
        struct ring *r = memfd_ring(CAP, &fd);
        uint8_t buf[48] = { 0 };
        struct ring_msg m = { .len = 48, .type = 1 };
        rf_error err = { 0 };
        int n = 0, k;

        in_child(fd, head_ahead, NULL);
        while ((k = ring_push(r, &m, buf, 0, &err)) == 0)
                n++;
        ck_assert_int_eq(n, 16); /* the head is read only when the ring looks full */
        ck_assert_int_eq(k, -EBADMSG);
        ck_assert_str_eq(err.msg, "ring: the consumer's position is 2048, expected a "
                                  "multiple of 8 from 0 to 1024");
        check_sticky(r, err.msg);
        ring_free(r);
}
END_TEST

/* ---- the layout, read and checked once when attaching ---- */

/* Up to two little-endian writes of size bytes at off into the layout, and the sentence that
 * attaching must then fail with. */
struct layout_corruption {
        const char *name;
        struct {
                uint32_t off, size;
                uint64_t value;
        } w[2];
        const char *sentence;
};

#define AT(field) offsetof(struct ring_layout, field)

/* clang-format off */
static const struct layout_corruption layout_corruptions[] = {
        { "bad magic", { { AT(magic), 4, 0xdeadbeef } },
          "ring: bad magic number 0xdeadbeef, expected 0x474e5246" },
        { "bad version", { { AT(version), 2, 7 } },
          "ring: layout version 7 (header of 48 bytes) is not version 1" },
        { "capacity not a power of two", { { AT(capacity), 4, 1000 } },
          "ring: capacity 1000 is not a power of two from 256 to 1073741824" },
        { "capacity beyond the file", { { AT(capacity), 4, 2048 }, { AT(total_size), 8, 3072 } },
          "ring: the layout claims 3072 bytes, the memory has 2048 and capacity 2048 needs 3072" },
        { "offsets moved", { { AT(tail_off), 4, 0 } },
          "ring: the layout's offsets or flags are not those of version 1" },
        { "positions apart", { { RING_HEAD_OFF, 8, 8 }, { RING_TAIL_OFF, 8, 8 + 2 * CAP } },
          "ring: head 8 and tail 2056 are not multiples of 8 at most 1024 apart" },
};
/* clang-format on */

static void corrupt_layout(uint8_t *base, const void *arg)
{
        const struct layout_corruption *c = arg;

        for (int i = 0; i < 2; i++)
                if (c->w[i].size > 0)
                        memcpy(base + c->w[i].off, &c->w[i].value, c->w[i].size);
}

START_TEST(layout_corrupt)
{
        const struct layout_corruption *c = &layout_corruptions[_i];
        _cleanup_close_ int fd = -1;
        struct ring *r = memfd_ring(CAP, &fd), *r2 = NULL;
        rf_error err = { 0 };

        in_child(fd, corrupt_layout, c);
        ck_assert_msg(ring_attach_fd(fd, &r2, &err) == -EBADMSG, "%s", c->name);
        ck_assert_ptr_null(r2);
        ck_assert_msg(strcmp(err.msg, c->sentence) == 0, "%s: \"%s\"", c->name, err.msg);
        ring_free(r);
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

static _Noreturn void flip_forever(uint8_t *base)
{
        struct ring_index *head = (struct ring_index *)(base + RING_HEAD_OFF);
        uint64_t x = 88172645463325252ull;

        for (;;) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                uint64_t pos = atomic_load(&head->pos);
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
                        flip_forever(base);
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
        /* Without spinning, start late: the consumer then finds the ring empty and sleeps at
         * least once, whatever the speeds (under ASan it could keep up with the producer and
         * never sleep, and child_produces_sleeping failed once). */
        if (spin_ns == 0)
                usleep(50 * 1000);
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
        if (pid == 0) {
                ring_free(r); /* fork's copy of the consumer's handle: the child maps its own */
                _exit(child_produce(fd, n, spin_ns));
        }
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
                                     (unsigned long long)seq, (unsigned long long)m.job, m.len, i);
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

                rf_ring_free(r); /* fork's copy of the consumer's handle: the child maps its own */
                if (rf_ring_attach_fd(fd, &w, NULL) < 0)
                        _exit(10);
                for (uint64_t i = 0; i < 10000; i++) {
                        rf_ring_msg m = { .len = sizeof(i), .type = 4, .job = i };

                        while (rf_ring_push(w, &m, &i, 0, NULL) == -EAGAIN)
                                if (rf_ring_wait(w, RF_RING_WRITER, m.len, 30000000, NULL) < 0)
                                        _exit(11);
                }
                rf_ring_free(w);
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

        tcase_add_loop_test(th, producer_corrupts, 0, (int)ARRAY_SIZE(corruptions));
        tcase_add_test(th, tail_rewound);
        tcase_add_test(th, head_beyond_tail);
        tcase_add_test(th, racing_peer);
        tcase_set_timeout(th, 30);
        suite_add_tcase(s, th);
        tcase_add_loop_test(tl, layout_corrupt, 0, (int)ARRAY_SIZE(layout_corruptions));
        tcase_add_test(tl, unsealed_memfd);
        tcase_add_test(tl, memfd_sealed_and_attached);
        suite_add_tcase(s, tl);
        tcase_add_test(tp, child_produces);
        tcase_add_test(tp, child_produces_sleeping);
        tcase_add_test(tp, public_api);
        tcase_set_timeout(tp, 300);
        suite_add_tcase(s, tp);
        return test_run_suite(s);
}
