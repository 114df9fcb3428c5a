/* SPDX-License-Identifier: MIT */
/* The public ring calls: thin wrappers over the ring module that check their arguments. */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "ringfence.h"
#include "base/error.h"
#include "ring/ring.h"

#ifndef RF_RING_DECLARED
/* Proposed for include/ringfence.h; kept here until they move there. */

/* A ring of messages between one producer and one consumer: two threads sharing a handle, or two
 * processes each with a handle on the same memfd. Opaque; owned by the caller. When another
 * process shares the ring, everything it writes is checked: corruption makes the call fail with
 * -EBADMSG and a sentence, and every later call on the handle fails the same way. */
typedef struct rf_ring rf_ring;

/* A message's header: len payload bytes follow it. type and flags are the caller's (type 0xffff
 * is reserved); job says which job the message is about. */
typedef struct rf_ring_msg {
        uint32_t len;
        uint16_t type;
        uint16_t flags;
        uint64_t job;
} rf_ring_msg;

/* System calls a ring made to sleep and to wake, both sides together. */
typedef struct rf_ring_stats {
        uint64_t wakes;  /* FUTEX_WAKE calls or eventfd writes */
        uint64_t sleeps; /* FUTEX_WAIT calls, or eventfd polls and reads */
} rf_ring_stats;

#define RF_RING_SHARED 1 /* rf_ring_new: the memory is shared with another process */
#define RF_RING_MORE 1   /* rf_ring_push, rf_ring_pop: more follow, publish later (batching) */
#define RF_RING_READER 1 /* the side that pops: it waits for messages */
#define RF_RING_WRITER 2 /* the side that pushes: it waits for room */

/* Lay out a new, empty ring in mem (size bytes, 8-byte aligned; the caller's, and it must outlive
 * the ring), with the largest power-of-two capacity that fits after a 1 KiB header. flags may be
 * RF_RING_SHARED. *ret is a new handle to free with rf_ring_free. Returns 0 or -EINVAL. */
RF_EXPORT int rf_ring_new(void *mem, size_t size, int flags, rf_ring **ret, rf_error *err);

/* A new ring of capacity bytes (a power of two from 256 to 1 GiB) in a memfd sealed against
 * shrinking and growing. *ret is the handle; *ret_fd the memfd (close-on-exec, the caller's to
 * close, also while the ring is in use) for another process to pass to rf_ring_attach_fd.
 * Returns 0, -EINVAL, or the errno of memfd_create, ftruncate, fcntl or mmap. */
RF_EXPORT int rf_ring_new_memfd(uint32_t capacity, rf_ring **ret, int *ret_fd, rf_error *err);

/* Map the ring in memfd fd, made by rf_ring_new_memfd here or in another process (the caller
 * keeps fd). Returns 0; -EPERM when fd is not a memfd sealed against shrinking; -EBADMSG when
 * its header or positions are not a ring's. */
RF_EXPORT int rf_ring_attach_fd(int fd, rf_ring **ret, rf_error *err);

/* Free r and unmap what it mapped (not memory given to rf_ring_new). NULL is fine. Returns NULL. */
RF_EXPORT rf_ring *rf_ring_free(rf_ring *r);

/* The largest payload one message may have: a little under half the capacity. */
RF_EXPORT uint32_t rf_ring_max_message(const rf_ring *r);

/* Writer: copy a message (hdr, then hdr->len bytes from data) into r and publish it, waking a
 * sleeping reader. With RF_RING_MORE it is published by the next push without it or by
 * rf_ring_flush, so that a batch costs one publication. Returns 0; -EAGAIN when there is no room
 * (see rf_ring_wait); -EMSGSIZE when hdr->len is over rf_ring_max_message; -EINVAL; -EBADMSG. */
RF_EXPORT int rf_ring_push(rf_ring *r, const rf_ring_msg *hdr, const void *data, int flags,
                           rf_error *err);

/* Reader: take the next message: *ret_hdr gets its header, buf (size bytes) its payload, and its
 * room goes back to the writer (with RF_RING_MORE, later: at the next pop without it, at
 * rf_ring_flush or rf_ring_wait). Returns 0; -EAGAIN when there is none; -EMSGSIZE when it does
 * not fit into buf (*ret_hdr says how big it is; it stays in the ring); -EBADMSG. */
RF_EXPORT int rf_ring_pop(rf_ring *r, rf_ring_msg *ret_hdr, void *buf, size_t size, int flags,
                          rf_error *err);

/* Publish what side (RF_RING_WRITER: pushed messages; RF_RING_READER: room of popped ones) left
 * pending with RF_RING_MORE. Returns 0 or -EBADMSG. */
/* ring_commit (writer) or ring_release (reader). */
RF_EXPORT int rf_ring_flush(rf_ring *r, int side, rf_error *err);

/* Wait until side can go on: RF_RING_READER until a message is there, RF_RING_WRITER until a
 * message of len payload bytes fits. Spins a little first (rf_ring_set_spin), then sleeps on a
 * futex (or the eventfd given to rf_ring_set_eventfd). Flushes the side first. Returns 0 when it
 * can go on or was woken by rf_ring_wake (check again), -ETIMEDOUT after timeout_us (< 0: no
 * limit), -EBADMSG. */
RF_EXPORT int rf_ring_wait(rf_ring *r, int side, uint32_t len, int64_t timeout_us,
                           rf_error *err);

/* Wake side if it sleeps in rf_ring_wait, whether or not it can go on (say, to stop it). Pushes
 * and pops wake the other side by themselves. Returns 0 or a negative errno. */
RF_EXPORT int rf_ring_wake(rf_ring *r, int side);

/* Make side sleep on eventfd fd (the caller keeps it; -1: the futex again) and the other side
 * wake it by writing it, so that an event loop can watch fd. Call before the ring is in use;
 * in two processes, each hands its own copy of the eventfd to its own handle. Returns 0 or
 * -EINVAL. */
RF_EXPORT int rf_ring_set_eventfd(rf_ring *r, int side, int fd);

/* How long rf_ring_wait spins before it sleeps (default 20 µs, about what a wake-up costs; 0:
 * never spin). Call before the ring is in use. Returns 0 or -EINVAL. */
RF_EXPORT int rf_ring_set_spin(rf_ring *r, uint32_t spin_us);

/* Fill *ret with the system calls r made so far to sleep and wake. Returns 0 or -EINVAL. */
RF_EXPORT int rf_ring_get_stats(rf_ring *r, rf_ring_stats *ret);
#endif

_Static_assert(RF_RING_MORE == RING_MORE && RF_RING_SHARED == RING_SHARED, "same flags");

/* An rf_ring is the ring module's handle under its public name. */
static inline struct ring *R(rf_ring *r)
{
        return (struct ring *)r;
}

/* The ring_dir a side waits on, or -1 for no side. */
static int side_dir(int side)
{
        return side == RF_RING_READER ? RING_DATA : side == RF_RING_WRITER ? RING_SPACE : -1;
}

/* Hand a new handle out under its public name when k is 0; returns k. */
static int hand_out(int k, struct ring *r, rf_ring **ret)
{
        if (k == 0)
                *ret = (rf_ring *)r;
        return k;
}

/* ring_new with its arguments checked. */
RF_EXPORT int rf_ring_new(void *mem, size_t size, int flags, rf_ring **ret, rf_error *err)
{
        struct ring *r = NULL;
        int k;

        if (!mem || !ret || (flags & ~RF_RING_SHARED))
                return rf_error_set(err, -EINVAL, "rf_ring_new: the memory and ret must not be "
                                                  "NULL, flags only RF_RING_SHARED");
        k = ring_new(mem, size, (unsigned)flags, &r, err);
        return hand_out(k, r, ret);
}

/* ring_new_memfd with its arguments checked. */
RF_EXPORT int rf_ring_new_memfd(uint32_t capacity, rf_ring **ret, int *ret_fd, rf_error *err)
{
        struct ring *r = NULL;
        int k;

        if (!ret || !ret_fd)
                return rf_error_set(err, -EINVAL, "rf_ring_new_memfd: ret and ret_fd must not "
                                                  "be NULL");
        k = ring_new_memfd(capacity, &r, ret_fd, err);
        return hand_out(k, r, ret);
}

/* ring_attach_fd with its arguments checked. */
RF_EXPORT int rf_ring_attach_fd(int fd, rf_ring **ret, rf_error *err)
{
        struct ring *r = NULL;
        int k;

        if (fd < 0 || !ret)
                return rf_error_set(err, -EINVAL, "rf_ring_attach_fd: fd %d is not an fd, or "
                                                  "ret is NULL", fd);
        k = ring_attach_fd(fd, &r, err);
        return hand_out(k, r, ret);
}

/* Free the handle (and its mapping); NULL is fine. */
RF_EXPORT rf_ring *rf_ring_free(rf_ring *r)
{
        ring_free(R(r));
        return NULL;
}

/* ring_max_payload; 0 for NULL. */
RF_EXPORT uint32_t rf_ring_max_message(const rf_ring *r)
{
        return r ? ring_max_payload((const struct ring *)r) : 0;
}

/* ring_push with its arguments checked. */
RF_EXPORT int rf_ring_push(rf_ring *r, const rf_ring_msg *hdr, const void *data, int flags,
                           rf_error *err)
{
        struct ring_msg m;

        if (!r || !hdr || (!data && hdr->len > 0) || (flags & ~RF_RING_MORE))
                return rf_error_set(err, -EINVAL, "rf_ring_push: the ring, header and data must "
                                                  "not be NULL, flags only RF_RING_MORE");
        m = (struct ring_msg){ .len = hdr->len, .type = hdr->type, .flags = hdr->flags,
                               .job = hdr->job };
        return ring_push(R(r), &m, data, (unsigned)flags, err);
}

/* ring_pop with its arguments checked. */
RF_EXPORT int rf_ring_pop(rf_ring *r, rf_ring_msg *ret_hdr, void *buf, size_t size, int flags,
                          rf_error *err)
{
        struct ring_msg m;
        int k;

        if (!r || !ret_hdr || (!buf && size > 0) || (flags & ~RF_RING_MORE))
                return rf_error_set(err, -EINVAL, "rf_ring_pop: the ring, header and buffer "
                                                  "must not be NULL, flags only RF_RING_MORE");
        k = ring_pop(R(r), &m, buf, size, (unsigned)flags, err);
        if (k == 0 || k == -EMSGSIZE)
                *ret_hdr = (rf_ring_msg){ .len = m.len, .type = m.type, .flags = m.flags,
                                          .job = m.job };
        return k;
}

/* ring_commit (writer) or ring_release (reader). */
RF_EXPORT int rf_ring_flush(rf_ring *r, int side, rf_error *err)
{
        if (!r || side_dir(side) < 0)
                return rf_error_set(err, -EINVAL, "rf_ring_flush: side must be RF_RING_READER or "
                                                  "RF_RING_WRITER");
        return side == RF_RING_WRITER ? ring_commit(R(r), err) : ring_release(R(r), err);
}

/* ring_wait with the side checked and the timeout in nanoseconds. */
RF_EXPORT int rf_ring_wait(rf_ring *r, int side, uint32_t len, int64_t timeout_us,
                           rf_error *err)
{
        int dir = side_dir(side);

        if (!r || dir < 0)
                return rf_error_set(err, -EINVAL, "rf_ring_wait: side must be RF_RING_READER or "
                                                  "RF_RING_WRITER");
        if (timeout_us > INT64_MAX / 1000)
                timeout_us = -1;
        return ring_wait(R(r), (enum ring_dir)dir, len, timeout_us < 0 ? -1 : timeout_us * 1000,
                         err);
}

/* ring_wake with the side checked. */
RF_EXPORT int rf_ring_wake(rf_ring *r, int side)
{
        int dir = side_dir(side);

        if (!r || dir < 0)
                return -EINVAL;
        return ring_wake(R(r), (enum ring_dir)dir);
}

/* ring_set_eventfd with the side checked. */
RF_EXPORT int rf_ring_set_eventfd(rf_ring *r, int side, int fd)
{
        int dir = side_dir(side);

        if (!r || dir < 0 || fd < -1)
                return -EINVAL;
        ring_set_eventfd(R(r), (enum ring_dir)dir, fd);
        return 0;
}

/* ring_set_spin in microseconds. */
RF_EXPORT int rf_ring_set_spin(rf_ring *r, uint32_t spin_us)
{
        if (!r || spin_us > UINT32_MAX / 1000)
                return -EINVAL;
        ring_set_spin(R(r), spin_us * 1000);
        return 0;
}

/* ring_get_stats under its public name. */
RF_EXPORT int rf_ring_get_stats(rf_ring *r, rf_ring_stats *ret)
{
        struct ring_stats s;

        if (!r || !ret)
                return -EINVAL;
        ring_get_stats(R(r), &s);
        ret->wakes = s.wakes;
        ret->sleeps = s.sleeps;
        return 0;
}
