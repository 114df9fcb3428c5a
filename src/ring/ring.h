/* SPDX-License-Identifier: MIT */
/* The ring module's interface: a lock-free single-producer/single-consumer ring of variable-length
 * messages over memory it is given (heap, or a memfd mapped in two processes), with batching,
 * wrap-around and wait/wake. When the ring is shared with another process, everything read from
 * the shared memory is checked: corruption is -EBADMSG with a sentence, and poisons the handle. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ringfence.h"
#include "ring/msg.h"

/* A handle on a ring: the local view of one process. One thread may produce and another consume
 * through the same handle; two processes each hold their own. Opaque outside src/ring/. */
struct ring;

/* Flags for ring_new and ring_attach. */
enum {
        RING_SHARED = 1 << 0, /* the memory is shared with another process: shared futex ops */
};

/* Flags for ring_push and ring_pop. */
enum {
        RING_MORE = 1 << 0, /* more follow: don't publish (push) or hand back space (pop) yet */
};

/* What a side waits for: data to read (the consumer) or space to write (the producer). */
enum ring_dir {
        RING_DATA = 0,
        RING_SPACE = 1,
};

/* System calls made to sleep and to wake, for benchmarks. */
struct ring_stats {
        uint64_t wakes;  /* FUTEX_WAKE calls or eventfd writes */
        uint64_t sleeps; /* FUTEX_WAIT calls or eventfd polls */
};

/* ---- shm.c: layouts, handles, memfds ---- */

/* Lay out a new empty ring in mem (size bytes, 8-aligned, owned by the caller and outliving the
 * ring) with the largest power-of-two capacity that fits; *ret is a new handle. 0 or -EINVAL. */
int ring_new(void *mem, size_t size, unsigned flags, struct ring **ret, rf_error *err);

/* A handle on a ring another party laid out in mem: the layout and both positions are checked
 * once, here. 0, or -EBADMSG when they are not a valid ring. */
int ring_attach(void *mem, size_t size, unsigned flags, struct ring **ret, rf_error *err);

/* A new ring of capacity bytes (a power of two) in a sealed memfd, mapped; *ret_fd is the memfd
 * (close-on-exec, the caller's) for another process to attach to. */
int ring_new_memfd(uint32_t capacity, struct ring **ret, int *ret_fd, rf_error *err);

/* Map the ring in memfd fd (the caller keeps fd) and attach to it as ring_attach does; -EPERM
 * when the memfd is not sealed against shrinking (a peer could make our reads fault). */
int ring_attach_fd(int fd, struct ring **ret, rf_error *err);

/* Free r and unmap what ring_new_memfd or ring_attach_fd mapped. NULL is fine; returns NULL. */
struct ring *ring_free(struct ring *r);

/* The data area's size in bytes. */
uint32_t ring_capacity(const struct ring *r);

/* The largest payload a message may have: its record is at most half the capacity, so it fits
 * into an empty ring wherever the positions stand (before the end, or at 0 after a PAD). */
uint32_t ring_max_payload(const struct ring *r);

/* The start of the ring's memory (its layout header), for tests and for mapping elsewhere. */
void *ring_memory(const struct ring *r, size_t *ret_size);

/* 0, or the poisoning error (filling err with its sentence again) once corruption was found. */
int ring_poisoned(struct ring *r, rf_error *err);

/* ---- spsc.c: producing and consuming ---- */

/* Producer: room for one message with header *hdr (hdr->len payload bytes); *ret_payload is where
 * to write the payload before ring_commit. -EAGAIN when full, -EMSGSIZE when hdr->len is more
 * than ring_max_payload, -EINVAL for type RING_MSG_PAD, -EBADMSG when the head is corrupt. */
int ring_reserve(struct ring *r, const struct ring_msg *hdr, void **ret_payload, rf_error *err);

/* Producer: publish every reserved message at once, and wake the consumer if it sleeps. */
int ring_commit(struct ring *r, rf_error *err);

/* Producer: reserve, copy hdr->len bytes of payload, and commit unless flags has RING_MORE. */
int ring_push(struct ring *r, const struct ring_msg *hdr, const void *payload, unsigned flags,
              rf_error *err);

/* Consumer: the next message, checked, without consuming it: *ret_hdr is a copy of its header,
 * *ret_payload points into the ring (the peer may still change those bytes: copy them out before
 * trusting them). -EAGAIN when empty, -EBADMSG on corruption. */
int ring_peek(struct ring *r, struct ring_msg *ret_hdr, const void **ret_payload, rf_error *err);

/* Consumer: drop the message ring_peek returned (its space is not handed back yet). */
void ring_consume(struct ring *r);

/* Consumer: hand the consumed space back to the producer, and wake it if it sleeps. */
int ring_release(struct ring *r, rf_error *err);

/* Consumer: copy the next message's payload into buf (size bytes) and consume it, releasing
 * unless flags has RING_MORE. -EAGAIN when empty, -EMSGSIZE (*ret_hdr filled, the message left
 * in the ring) when buf is too small, -EBADMSG on corruption. */
int ring_pop(struct ring *r, struct ring_msg *ret_hdr, void *buf, size_t size, unsigned flags,
             rf_error *err);

/* Consumer: copy as many messages as fit into buf (8-aligned; each a struct ring_msg, the payload,
 * padding to 8), consume and release them; *ret_used is the bytes used. Returns how many (0 when
 * empty), -EMSGSIZE when not even the first fits, or -EBADMSG. Walk buf with ring_batch_next. */
int ring_pop_batch(struct ring *r, void *buf, size_t size, size_t *ret_used, rf_error *err);

/* The message at *pos in a buffer ring_pop_batch filled (used bytes), or NULL at its end. */
static inline const struct ring_msg *ring_batch_next(const void *buf, size_t used, size_t *pos)
{
        const struct ring_msg *m;

        if (*pos + RING_MSG_SIZE > used)
                return NULL;
        m = (const struct ring_msg *)((const uint8_t *)buf + *pos);
        *pos += ring_record_size(m->len);
        return m;
}

/* ---- wake.c: sleeping and waking ---- */

/* Sleep until dir is ready (RING_DATA: a message to read; RING_SPACE: room for a message of len
 * payload bytes), spinning up to the spin time first. Returns 0 when ready or woken (re-check:
 * ring_wake wakes it whatever the state), -ETIMEDOUT after timeout_ns (< 0: no limit). */
int ring_wait(struct ring *r, enum ring_dir dir, uint32_t len, int64_t timeout_ns, rf_error *err);

/* Wake whoever sleeps on dir, whether or not it is ready. Returns 0 or -errno. */
int ring_wake(struct ring *r, enum ring_dir dir);

/* The waker's half, right after a seq_cst store of its position: wake the sleeper on dir if it
 * announced itself. */
int ring_notify(struct ring *r, enum ring_dir dir);

/* Use eventfd fd (the caller keeps it; -1: back to the futex) to sleep and wake on dir, so that
 * an io_uring loop can read it: see ring_sleep_prepare. */
void ring_set_eventfd(struct ring *r, enum ring_dir dir, int fd);

/* For an outside event loop: announce that this side will sleep on dir. Returns 1 when dir is
 * already ready (don't sleep; nothing announced), 0 when the caller may now sleep on the eventfd;
 * call ring_sleep_done after it fires or the loop gives up. */
int ring_sleep_prepare(struct ring *r, enum ring_dir dir, uint32_t len);

/* Withdraw the announcement of ring_sleep_prepare. */
void ring_sleep_done(struct ring *r, enum ring_dir dir);

/* How long ring_wait spins before it sleeps, in nanoseconds (default RING_SPIN_NS). */
void ring_set_spin(struct ring *r, uint32_t spin_ns);

/* The wake and sleep system calls made so far through r, both sides together. */
void ring_get_stats(struct ring *r, struct ring_stats *ret);

/* Spin about as long as a wake-up costs here (~22-25 µs one way, research/baselines.md). */
#define RING_SPIN_NS 20000u
