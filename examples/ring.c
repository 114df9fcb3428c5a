/* SPDX-License-Identifier: MIT */
/* Description: two threads pass 100000 messages through a ring. The writer pushes them in
 * batches (RF_RING_MORE, then rf_ring_flush publishes the batch at once) and wakes the reader
 * through an eventfd (rf_ring_set_eventfd, rf_ring_wake) that the reader watches with poll(2),
 * as an event loop would; the reader pops what there is, gives the room back in one go
 * (rf_ring_flush) and checks every message. rf_ring_max_message bounds a payload.
 *
 * Build: cc -pthread -o ring ring.c $(pkg-config --cflags --libs ringfence)
 * Try:   ./ring */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <ringfence.h>

#define N 100000
#define BATCH 16
enum { DATA = 1, END = 2 };

struct payload {
        uint64_t seq, value;
};

/* Publish what is pending and wake the reader (it sleeps in poll, not in rf_ring_wait, so a
 * push does not wake it by itself). */
static int publish(rf_ring *r, rf_error *err)
{
        int k = rf_ring_flush(r, RF_RING_WRITER, err);

        return k < 0 ? k : rf_ring_wake(r, RF_RING_READER);
}

static void *writer(void *arg)
{
        rf_ring *r = arg;
        rf_error err = { 0 };
        int k = 0;

        for (uint64_t seq = 0; seq < N && k >= 0; seq++) {
                struct payload pl = { seq, seq * 3 };
                rf_ring_msg m = { .len = sizeof(pl), .type = seq + 1 < N ? DATA : END, .job = seq };
                int last = seq % BATCH == BATCH - 1 || seq + 1 == N;

                /* Full: let the reader empty it, then sleep until it gives room back. */
                while ((k = rf_ring_push(r, &m, &pl, RF_RING_MORE, &err)) == -EAGAIN)
                        if ((k = publish(r, &err)) < 0 ||
                            (k = rf_ring_wait(r, RF_RING_WRITER, m.len, -1, &err)) < 0)
                                break;
                if (k == 0 && last)
                        k = publish(r, &err);
        }
        if (k < 0)
                fprintf(stderr, "ring: writer: %s\n", err.msg);
        return NULL;
}

/* Pop all there is; returns the number popped, or -errno. *next is the next seq expected. */
static int drain(rf_ring *r, uint64_t *next, uint64_t *sum, int *end, rf_error *err)
{
        struct payload pl;
        rf_ring_msg m;
        int k, n = 0;

        while ((k = rf_ring_pop(r, &m, &pl, sizeof(pl), RF_RING_MORE, err)) == 0) {
                if (m.job != *next || pl.seq != *next) {
                        fprintf(stderr, "ring: got %" PRIu64 ", expected %" PRIu64 "\n", m.job,
                                *next);
                        return -EBADMSG;
                }
                (*next)++;
                *sum += pl.value;
                *end = m.type == END;
                n++;
        }
        if (k != -EAGAIN)
                return k;
        k = rf_ring_flush(r, RF_RING_READER, err); /* the room of all popped, at once */
        return k < 0 ? k : n;
}

int main(void)
{
        rf_error err = { 0 };
        uint64_t next = 0, sum = 0, wakeups = 0, v;
        int fd, efd, end = 0, k = 0;
        pthread_t t;
        rf_ring *r;

        if (rf_ring_new_memfd(4096, &r, &fd, &err) < 0) {
                fprintf(stderr, "ring: %s\n", err.msg);
                return 1;
        }
        /* fd could go to another process (rf_ring_attach_fd); here two threads share r. */
        close(fd);
        efd = eventfd(0, EFD_CLOEXEC);
        if (efd < 0 || rf_ring_set_eventfd(r, RF_RING_READER, efd) < 0 ||
            sizeof(struct payload) > rf_ring_max_message(r)) {
                fprintf(stderr, "ring: no eventfd, or messages too big\n");
                return 1;
        }
        pthread_create(&t, NULL, writer, r);
        while (!end && k >= 0) {
                struct pollfd pfd = { .fd = efd, .events = POLLIN };

                if (poll(&pfd, 1, 10000) != 1 || read(efd, &v, sizeof(v)) != sizeof(v)) {
                        fprintf(stderr, "ring: no wake-up within 10 s\n");
                        return 1;
                }
                wakeups++;
                k = drain(r, &next, &sum, &end, &err);
        }
        pthread_join(t, NULL);
        if (k < 0) {
                fprintf(stderr, "ring: reader: %s\n", err.msg);
                return 1;
        }
        printf("%" PRIu64 " messages in order, sum %" PRIu64 "\n", next, sum);
        printf("messages up to %" PRIu32 " bytes; %" PRIu64 " wake-ups\n", rf_ring_max_message(r),
               wakeups);
        rf_ring_free(r);
        close(efd);
        return 0;
}
