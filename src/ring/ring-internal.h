/* SPDX-License-Identifier: MIT */
/* What only the ring module's own files share: the handle, whose two sides sit on their own cache
 * lines so that a producing and a consuming thread never write the same line. */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ringfence.h"
#include "ring/msg.h"
#include "ring/ring.h"

/* One side's private state. For the producer own is the tail up to which it has reserved and
 * other the head as last read; for the consumer own is the head up to which it has consumed and
 * other the tail as last read. Every value of other has passed the checks in spsc.c. */
struct ring_side {
        uint64_t own;
        uint64_t pub;           /* own as last published */
        uint64_t other;         /* the peer's position as last read and checked */
        uint64_t peeked;        /* consumer: record bytes of the message ring_peek returned, or 0 */
        _Atomic uint64_t wakes; /* wake calls this side made for the other */
        _Atomic uint64_t sleeps; /* sleep calls this side made */
        /* the sentence, when this side poisoned r */
        char msg[sizeof(((rf_error *)0)->msg)];
} __attribute__((aligned(RING_LINE)));

/* The handle. Everything before prod is set up before use and only read afterwards. */
struct ring {
        uint8_t *base; /* the layout header */
        size_t size;   /* bytes of memory at base */
        bool mapped;   /* munmap(base, size) on free */
        unsigned flags;
        uint32_t cap, mask, max_payload;
        uint32_t spin_ns;
        int efd[2]; /* eventfd per ring_dir, or -1 for the futex */
        struct ring_index *tail, *head;
        struct ring_wait *wait[2]; /* per ring_dir */
        uint8_t *data;
        _Atomic int poison; /* 0, or 1 + the index in side[] of the side that found corruption */

        struct ring_side side[2]; /* RING_PRODUCER, RING_CONSUMER */
};

enum { RING_PRODUCER = 0, RING_CONSUMER = 1 };

/* Poison r from side s with -EBADMSG and the sentence fmt; every later call returns the same. */
int ring_poison(struct ring *r, int s, rf_error *err, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Free space for the producer if the head were head (what it has reserved counts as used). */
static inline uint64_t ring_free_space(const struct ring *r, uint64_t head)
{
        uint64_t used = r->side[RING_PRODUCER].own - head;
        return used > r->cap ? 0 : r->cap - used;
}

/* Bytes of data area a record of len payload bytes would take at producer position pos: its
 * size, plus the bytes a PAD skips when it does not fit before the end. */
static inline uint64_t ring_space_needed(const struct ring *r, uint64_t pos, uint32_t len)
{
        uint64_t rec = ring_record_size(len);
        uint64_t to_end = r->cap - (pos & r->mask);
        return rec <= to_end ? rec : to_end + rec;
}
