/* SPDX-License-Identifier: MIT */
/* The ring's wire format, the only definition of it: the shared layout (a header, four index and
 * wait words on their own cache lines, the data area) and the message records in the data area. */
#pragma once

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Layout of a ring's memory (all offsets from its start; no pointers are ever stored in it):
 *
 *     0     struct ring_layout     written once by the creator, read once by whoever attaches
 *     128   struct ring_index      tail: the producer's free-running byte position
 *     256   struct ring_index      head: the consumer's free-running byte position
 *     384   struct ring_wait       RING_DATA: the consumer sleeps on it, the producer wakes it
 *     512   struct ring_wait       RING_SPACE: the producer sleeps on it, the consumer wakes it
 *     1024  data area              capacity bytes, a power of two
 *
 * Positions count bytes from the ring's creation and wrap at 2^64; a position's offset in the
 * data area is pos & (capacity - 1). tail - head is the number of bytes published and not yet
 * consumed, a multiple of RING_ALIGN, never more than capacity.
 *
 * The data area holds records back to back. A record is a struct ring_msg, the payload, and
 * zero to seven bytes of padding so that the next record starts on RING_ALIGN. A record never
 * wraps: when the next one does not fit before the end of the data area, the producer writes a
 * PAD record there (only its first RING_PAD_SIZE bytes: len, type RING_MSG_PAD, flags) whose len
 * is the number of bytes left to the end, and puts the record at offset 0.
 */

#define RING_MAGIC 0x474e5246u /* "FRNG" read as a little-endian u32 */
#define RING_VERSION 1
#define RING_LINE 128 /* spacing of the shared words: two cache lines, for adjacent-line prefetch */
#define RING_ALIGN 8
#define RING_MIN_CAPACITY 256u
#define RING_MAX_CAPACITY (1u << 30)

#define RING_TAIL_OFF (1 * RING_LINE)
#define RING_HEAD_OFF (2 * RING_LINE)
#define RING_DATA_WAIT_OFF (3 * RING_LINE)
#define RING_SPACE_WAIT_OFF (4 * RING_LINE)
#define RING_DATA_OFF 1024u

#define RING_MSG_PAD 0xffffu /* the record type that fills the end of the data area */
#define RING_MSG_SIZE 16u    /* a record's header */
#define RING_PAD_SIZE 8u     /* a PAD record's header: no job field */

/* A record's header as it lies in the data area; the payload follows. */
struct ring_msg {
        uint32_t len;   /* payload bytes, not counting this header */
        uint16_t type;  /* the sender's message type; RING_MSG_PAD is reserved */
        uint16_t flags; /* the sender's flags, passed through */
        uint64_t job;   /* the job this message is about */
};

/* The header at offset 0. */
struct ring_layout {
        uint32_t magic;       /* RING_MAGIC */
        uint16_t version;     /* RING_VERSION */
        uint16_t layout_size; /* sizeof(struct ring_layout) */
        uint32_t capacity;    /* bytes in the data area: a power of two */
        uint32_t flags;       /* none defined: 0 */
        uint32_t tail_off;    /* RING_TAIL_OFF */
        uint32_t head_off;    /* RING_HEAD_OFF */
        uint32_t data_wait_off;
        uint32_t space_wait_off;
        uint32_t data_off;   /* RING_DATA_OFF */
        uint32_t reserved;   /* 0 */
        uint64_t total_size; /* data_off + capacity */
};

/* A free-running byte position, written by one side and read by the other. */
struct ring_index {
        _Atomic uint64_t pos;
};

/* A place to sleep: the sleeper sets waiting, re-checks, and sleeps on seq (a futex word); the
 * waker, after publishing, bumps seq and wakes it when it finds waiting set. */
struct ring_wait {
        _Atomic uint32_t seq;
        _Atomic uint32_t waiting;
};

/* The size of a record with len payload bytes, padding included (in 64 bits: len is hostile). */
static inline uint64_t ring_record_size(uint64_t len)
{
        return (RING_MSG_SIZE + len + RING_ALIGN - 1) & ~(uint64_t)(RING_ALIGN - 1);
}

_Static_assert(sizeof(struct ring_msg) == RING_MSG_SIZE, "a record header is 16 bytes");
_Static_assert(offsetof(struct ring_msg, job) == RING_PAD_SIZE, "PAD is the first 8 bytes");
_Static_assert(sizeof(struct ring_layout) <= RING_LINE, "the layout header fits its line");
_Static_assert(RING_SPACE_WAIT_OFF + RING_LINE <= RING_DATA_OFF, "the data comes last");
_Static_assert(sizeof(_Atomic uint64_t) == 8 && sizeof(_Atomic uint32_t) == 4, "plain atomics");
