/* SPDX-License-Identifier: MIT */
/* The public ring calls: thin wrappers over the ring module that check their arguments. */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "ringfence.h"
#include "base/error.h"
#include "ring/ring.h"

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
                return rf_error_set(err, -EINVAL,
                                    "rf_ring_new: the memory and ret must not be NULL, "
                                    "flags only RF_RING_SHARED");
        k = ring_new(mem, size, (unsigned)flags, &r, err);
        return hand_out(k, r, ret);
}

/* ring_new_memfd with its arguments checked. */
RF_EXPORT int rf_ring_new_memfd(uint32_t capacity, rf_ring **ret, int *ret_fd, rf_error *err)
{
        struct ring *r = NULL;
        int k;

        if (!ret || !ret_fd)
                return rf_error_set(err, -EINVAL,
                                    "rf_ring_new_memfd: ret and ret_fd must not be NULL");
        k = ring_new_memfd(capacity, &r, ret_fd, err);
        return hand_out(k, r, ret);
}

/* ring_attach_fd with its arguments checked. */
RF_EXPORT int rf_ring_attach_fd(int fd, rf_ring **ret, rf_error *err)
{
        struct ring *r = NULL;
        int k;

        if (fd < 0 || !ret)
                return rf_error_set(err, -EINVAL,
                                    "rf_ring_attach_fd: fd %d is not an fd, or ret is NULL", fd);
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
                return rf_error_set(err, -EINVAL,
                                    "rf_ring_push: the ring, header and data must not be NULL, "
                                    "flags only RF_RING_MORE");
        m = (struct ring_msg){ .len = hdr->len,
                               .type = hdr->type,
                               .flags = hdr->flags,
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
                return rf_error_set(err, -EINVAL,
                                    "rf_ring_pop: the ring, header and buffer must not be NULL, "
                                    "flags only RF_RING_MORE");
        k = ring_pop(R(r), &m, buf, size, (unsigned)flags, err);
        if (k == 0 || k == -EMSGSIZE)
                *ret_hdr = (rf_ring_msg){ .len = m.len,
                                          .type = m.type,
                                          .flags = m.flags,
                                          .job = m.job };
        return k;
}

/* ring_commit (writer) or ring_release (reader). */
RF_EXPORT int rf_ring_flush(rf_ring *r, int side, rf_error *err)
{
        if (!r || side_dir(side) < 0)
                return rf_error_set(err, -EINVAL,
                                    "rf_ring_flush: side must be RF_RING_READER or RF_RING_WRITER");
        return side == RF_RING_WRITER ? ring_commit(R(r), err) : ring_release(R(r), err);
}

/* ring_wait with the side checked and the timeout turned into nanoseconds. */
RF_EXPORT int rf_ring_wait(rf_ring *r, int side, uint32_t len, int64_t timeout_us, rf_error *err)
{
        int dir = side_dir(side);

        if (!r || dir < 0)
                return rf_error_set(err, -EINVAL,
                                    "rf_ring_wait: side must be RF_RING_READER or RF_RING_WRITER");
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
