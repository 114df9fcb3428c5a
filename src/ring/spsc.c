/* SPDX-License-Identifier: MIT */
/* Producing and consuming: reserve and commit (a batch is published by one store of the
 * tail), peek, consume and release, pop. The peer may be another process that writes garbage, so
 * every position and header read from the ring is read once into a local and checked. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "ring/ring-internal.h"
#include "ring/ring.h"

int ring_poison(struct ring *r, int s, rf_error *err, const char *fmt, ...)
{
        struct ring_side *side = &r->side[s];
        int expected = 0;
        va_list ap;

        /* The sentence goes into this side's buffer first; whichever side poisons first wins,
         * and its buffer is never written again (all later calls stop at ring_poisoned). */
        va_start(ap, fmt);
        vsnprintf(side->msg, sizeof(side->msg), fmt, ap);
        va_end(ap);
        if (!atomic_compare_exchange_strong_explicit(&r->poison, &expected, 1 + s,
                                                     memory_order_release, memory_order_acquire))
                return ring_poisoned(r, err);
        return rf_error_set(err, -EBADMSG, "%s", side->msg);
}

int ring_poisoned(struct ring *r, rf_error *err)
{
        int p = atomic_load_explicit(&r->poison, memory_order_acquire);

        if (p == 0)
                return 0;
        return rf_error_set(err, -EBADMSG, "%s", r->side[p - 1].msg);
}

/* Read 8 bytes of the data area once (they are the peer's and may change under us). */
static uint64_t load_once(const struct ring *r, uint64_t off)
{
        return __atomic_load_n((const uint64_t *)(r->data + off), __ATOMIC_RELAXED);
}

/* Producer: read the consumer's head and check that it lies between the head we last saw and the
 * tail we published (the consumer cannot have consumed what it was never given). */
static int refresh_head(struct ring *r, rf_error *err)
{
        struct ring_side *p = &r->side[RING_PRODUCER];
        uint64_t h = atomic_load_explicit(&r->head->pos, memory_order_acquire);

        if (h % RING_ALIGN != 0 || h - p->other > p->pub - p->other)
                return ring_poison(r, RING_PRODUCER, err,
                                   "ring: the consumer's position is %llu, "
                                   "expected a multiple of 8 from %llu to %llu",
                                   (unsigned long long)h, (unsigned long long)p->other,
                                   (unsigned long long)p->pub);
        p->other = h;
        return 0;
}

int ring_reserve(struct ring *r, const struct ring_msg *hdr, void **ret_payload, rf_error *err)
{
        struct ring_side *p = &r->side[RING_PRODUCER];
        uint64_t need, off, to_end, rec = ring_record_size(hdr->len);
        int k = ring_poisoned(r, err);

        if (k < 0)
                return k;
        if (hdr->type == RING_MSG_PAD)
                return rf_error_set(err, -EINVAL, "ring: message type 0x%x is reserved",
                                    RING_MSG_PAD);
        if (hdr->len > r->max_payload)
                return rf_error_set(err, -EMSGSIZE,
                                    "ring: a message of %u bytes does not fit, at most %u do",
                                    hdr->len, r->max_payload);
        need = ring_space_needed(r, p->own, hdr->len);
        if (need > ring_free_space(r, p->other)) {
                k = refresh_head(r, err);
                if (k < 0)
                        return k;
                if (need > ring_free_space(r, p->other))
                        return -EAGAIN;
        }
        off = p->own & r->mask;
        to_end = r->cap - off;
        if (rec > to_end) {
                struct ring_msg pad = { .len = (uint32_t)to_end, .type = RING_MSG_PAD };
                memcpy(r->data + off, &pad, RING_PAD_SIZE);
                p->own += to_end;
                off = 0;
        }
        memcpy(r->data + off, hdr, RING_MSG_SIZE);
        p->own += rec;
        *ret_payload = r->data + off + RING_MSG_SIZE;
        return 0;
}

int ring_commit(struct ring *r, rf_error *err)
{
        struct ring_side *p = &r->side[RING_PRODUCER];
        int k = ring_poisoned(r, err);

        if (k < 0)
                return k;
        if (p->pub == p->own)
                return 0;
        /* seq_cst, not just release: ring_notify's load of the waiting flag must not be
         * ordered before it (the store-load half of the handshake in wake.c). */
        atomic_store_explicit(&r->tail->pos, p->own, memory_order_seq_cst);
        p->pub = p->own;
        return ring_notify(r, RING_DATA);
}

int ring_push(struct ring *r, const struct ring_msg *hdr, const void *payload, unsigned flags,
              rf_error *err)
{
        void *dst;
        int k = ring_reserve(r, hdr, &dst, err);

        if (k < 0)
                return k;
        if (hdr->len > 0)
                memcpy(dst, payload, hdr->len);
        if (flags & RING_MORE)
                return 0;
        return ring_commit(r, err);
}

/* Consumer, having consumed all it saw (so the tail it saw is its head): read the producer's
 * tail and check that it is 8-aligned and lies between our head and our head plus the capacity. */
static int refresh_tail(struct ring *r, rf_error *err)
{
        struct ring_side *c = &r->side[RING_CONSUMER];
        uint64_t t = atomic_load_explicit(&r->tail->pos, memory_order_acquire);

        if (t % RING_ALIGN != 0 || t - c->own > r->cap)
                return ring_poison(r, RING_CONSUMER, err,
                                   "ring: the producer's position is %llu, "
                                   "expected a multiple of 8 from %llu to %llu",
                                   (unsigned long long)t, (unsigned long long)c->own,
                                   (unsigned long long)c->own + r->cap);
        c->other = t;
        return 0;
}

/* Consumer: check the PAD record (first word w) at off, available bytes avail, and skip it. */
static int skip_pad(struct ring *r, uint64_t w, uint64_t off, uint64_t avail, rf_error *err)
{
        struct ring_msg m;
        uint64_t to_end = r->cap - off;

        memcpy(&m, &w, RING_PAD_SIZE);
        if (off == 0)
                return ring_poison(r, RING_CONSUMER, err,
                                   "ring: padding at offset 0, where every message fits");
        if (m.len != to_end)
                return ring_poison(r, RING_CONSUMER, err,
                                   "ring: padding at offset %llu claims %u bytes, "
                                   "but the ring wraps after %llu",
                                   (unsigned long long)off, m.len, (unsigned long long)to_end);
        if (to_end > avail)
                return ring_poison(r, RING_CONSUMER, err,
                                   "ring: padding at offset %llu claims %u bytes, "
                                   "only %llu available",
                                   (unsigned long long)off, m.len, (unsigned long long)avail);
        r->side[RING_CONSUMER].own += to_end;
        return 0;
}

/* Consumer: check the header of the record at off (first word w) against avail bytes and the
 * end of the data area, and fill *ret with the one copy of it. */
static int check_record(struct ring *r, uint64_t w, uint64_t off, uint64_t avail,
                        struct ring_msg *ret, rf_error *err)
{
        uint64_t to_end = r->cap - off, rec;

        memcpy(ret, &w, RING_PAD_SIZE);
        if (avail < RING_MSG_SIZE || to_end < RING_MSG_SIZE)
                return ring_poison(r, RING_CONSUMER, err,
                                   "ring: message at offset %llu has "
                                   "%llu bytes for its 16-byte header",
                                   (unsigned long long)off,
                                   (unsigned long long)(avail < to_end ? avail : to_end));
        rec = ring_record_size(ret->len);
        if (rec > avail)
                return ring_poison(r, RING_CONSUMER, err,
                                   "ring: message at offset %llu claims %u bytes, "
                                   "only %llu available",
                                   (unsigned long long)off, ret->len,
                                   (unsigned long long)(avail - RING_MSG_SIZE));
        if (ret->len > r->max_payload)
                return ring_poison(r, RING_CONSUMER, err,
                                   "ring: message at offset %llu claims %u bytes, "
                                   "at most %u are allowed",
                                   (unsigned long long)off, ret->len, r->max_payload);
        if (rec > to_end)
                return ring_poison(r, RING_CONSUMER, err,
                                   "ring: message at offset %llu claims %u bytes, "
                                   "but the ring wraps after %llu",
                                   (unsigned long long)off, ret->len,
                                   (unsigned long long)(to_end - RING_MSG_SIZE));
        ret->job = load_once(r, off + RING_PAD_SIZE);
        r->side[RING_CONSUMER].peeked = rec;
        return 0;
}

int ring_peek(struct ring *r, struct ring_msg *ret_hdr, const void **ret_payload, rf_error *err)
{
        struct ring_side *c = &r->side[RING_CONSUMER];
        int k = ring_poisoned(r, err);

        if (k < 0)
                return k;
        /* Bounded: a PAD is never at offset 0, so at most one is skipped per call. */
        for (;;) {
                uint64_t avail = c->other - c->own, off, w;
                struct ring_msg m;

                if (avail == 0) {
                        k = refresh_tail(r, err);
                        if (k < 0)
                                return k;
                        avail = c->other - c->own;
                        if (avail == 0)
                                return -EAGAIN;
                }
                off = c->own & r->mask;
                w = load_once(r, off);
                memcpy(&m, &w, RING_PAD_SIZE);
                if (m.type == RING_MSG_PAD) {
                        k = skip_pad(r, w, off, avail, err);
                        if (k < 0)
                                return k;
                        continue;
                }
                k = check_record(r, w, off, avail, ret_hdr, err);
                if (k < 0)
                        return k;
                *ret_payload = r->data + off + RING_MSG_SIZE;
                return 0;
        }
}

void ring_consume(struct ring *r)
{
        struct ring_side *c = &r->side[RING_CONSUMER];

        c->own += c->peeked;
        c->peeked = 0;
}

int ring_release(struct ring *r, rf_error *err)
{
        struct ring_side *c = &r->side[RING_CONSUMER];
        int k = ring_poisoned(r, err);

        if (k < 0)
                return k;
        if (c->pub == c->own)
                return 0;
        atomic_store_explicit(&r->head->pos, c->own, memory_order_seq_cst); /* see ring_commit */
        c->pub = c->own;
        return ring_notify(r, RING_SPACE);
}

int ring_pop(struct ring *r, struct ring_msg *ret_hdr, void *buf, size_t size, unsigned flags,
             rf_error *err)
{
        const void *payload;
        int k = ring_peek(r, ret_hdr, &payload, err);

        if (k == -EAGAIN) {
                k = ring_release(r, err);
                return k < 0 ? k : -EAGAIN;
        }
        if (k < 0)
                return k;
        if (ret_hdr->len > size)
                return rf_error_set(err, -EMSGSIZE,
                                    "ring: a message of %u bytes does not fit into %zu",
                                    ret_hdr->len, size);
        if (ret_hdr->len > 0)
                memcpy(buf, payload, ret_hdr->len);
        ring_consume(r);
        if (flags & RING_MORE)
                return 0;
        return ring_release(r, err);
}

int ring_pop_batch(struct ring *r, void *buf, size_t size, size_t *ret_used, rf_error *err)
{
        uint8_t *out = buf;
        size_t used = 0;
        int n = 0, k;

        if ((uintptr_t)buf % RING_ALIGN != 0)
                return rf_error_set(err, -EINVAL, "ring: the batch buffer must be 8-byte aligned");
        for (;;) {
                struct ring_msg m;
                const void *payload;
                uint64_t rec;

                k = ring_peek(r, &m, &payload, err);
                if (k == -EAGAIN)
                        break;
                if (k < 0)
                        return k;
                rec = ring_record_size(m.len);
                if (rec > size - used) {
                        if (n == 0)
                                return rf_error_set(err, -EMSGSIZE,
                                                    "ring: a message of %u bytes "
                                                    "does not fit into %zu",
                                                    m.len, size);
                        break;
                }
                memcpy(out + used, &m, RING_MSG_SIZE);
                memcpy(out + used + RING_MSG_SIZE, payload, m.len);
                used += rec;
                n++;
                ring_consume(r);
        }
        *ret_used = used;
        k = ring_release(r, err);
        return k < 0 ? k : n;
}
