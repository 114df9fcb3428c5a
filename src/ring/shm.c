/* SPDX-License-Identifier: MIT */
/* The ring's shared layout: lay it out in memory or in a sealed memfd, and attach to one that
 * another process made, reading its header and positions once and checking every field. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/error.h"
#include "ring/ring-internal.h"
#include "ring/ring.h"

/* A handle over the laid-out memory at base, positions at head (both sides start there). */
static int handle_new(uint8_t *base, size_t size, uint32_t cap, unsigned flags, uint64_t head,
                      uint64_t tail, struct ring **ret)
{
        struct ring *r = aligned_alloc(RING_LINE, sizeof(*r));

        if (!r)
                return -ENOMEM;
        memset(r, 0, sizeof(*r));
        r->base = base;
        r->size = size;
        r->flags = flags;
        r->cap = cap;
        r->mask = cap - 1;
        r->max_payload = cap / 2 - RING_MSG_SIZE;
        r->spin_ns = RING_SPIN_NS;
        r->efd[RING_DATA] = r->efd[RING_SPACE] = -1;
        r->tail = (struct ring_index *)(base + RING_TAIL_OFF);
        r->head = (struct ring_index *)(base + RING_HEAD_OFF);
        r->wait[RING_DATA] = (struct ring_wait *)(base + RING_DATA_WAIT_OFF);
        r->wait[RING_SPACE] = (struct ring_wait *)(base + RING_SPACE_WAIT_OFF);
        r->data = base + RING_DATA_OFF;
        r->side[RING_PRODUCER].own = r->side[RING_PRODUCER].pub = tail;
        r->side[RING_PRODUCER].other = head;
        r->side[RING_CONSUMER].own = r->side[RING_CONSUMER].pub = head;
        r->side[RING_CONSUMER].other = tail;
        *ret = r;
        return 0;
}

/* Write an empty ring's layout of capacity cap at base. */
static void layout_init(uint8_t *base, uint32_t cap)
{
        struct ring_layout l = {
                .magic = RING_MAGIC,
                .version = RING_VERSION,
                .layout_size = sizeof(struct ring_layout),
                .capacity = cap,
                .tail_off = RING_TAIL_OFF,
                .head_off = RING_HEAD_OFF,
                .data_wait_off = RING_DATA_WAIT_OFF,
                .space_wait_off = RING_SPACE_WAIT_OFF,
                .data_off = RING_DATA_OFF,
                .total_size = (uint64_t)RING_DATA_OFF + cap,
        };

        memset(base, 0, RING_DATA_OFF);
        memcpy(base, &l, sizeof(l));
}

int ring_new(void *mem, size_t size, unsigned flags, struct ring **ret, rf_error *err)
{
        uint32_t cap = RING_MAX_CAPACITY;

        if (!mem || (uintptr_t)mem % RING_ALIGN != 0)
                return rf_error_set(err, -EINVAL, "ring: the memory must be 8-byte aligned");
        if (size < RING_DATA_OFF + RING_MIN_CAPACITY)
                return rf_error_set(err, -EINVAL,
                                    "ring: %zu bytes are too few for a ring, it needs at least %u",
                                    size, RING_DATA_OFF + RING_MIN_CAPACITY);
        while (cap > size - RING_DATA_OFF)
                cap /= 2;
        layout_init(mem, cap);
        if (handle_new(mem, size, cap, flags, 0, 0, ret) < 0)
                return rf_error_set(err, -ENOMEM, "ring: out of memory");
        return 0;
}

/* Read the layout at base once and check it against what version 1 says and size; *ret_cap is
 * the capacity. */
static int layout_check(const uint8_t *base, size_t size, uint32_t *ret_cap, rf_error *err)
{
        struct ring_layout l;
        const struct ring_layout want = {
                .magic = RING_MAGIC,
                .version = RING_VERSION,
                .layout_size = sizeof(struct ring_layout),
                .tail_off = RING_TAIL_OFF,
                .head_off = RING_HEAD_OFF,
                .data_wait_off = RING_DATA_WAIT_OFF,
                .space_wait_off = RING_SPACE_WAIT_OFF,
                .data_off = RING_DATA_OFF,
        };

        if (size < RING_DATA_OFF + RING_MIN_CAPACITY)
                return rf_error_set(err, -EBADMSG, "ring: %zu bytes are too few for a ring", size);
        /* One copy; only the copy is looked at, so the peer cannot change it between checks. */
        memcpy(&l, base, sizeof(l));
        atomic_signal_fence(memory_order_seq_cst);
        if (l.magic != want.magic)
                return rf_error_set(err, -EBADMSG, "ring: bad magic number 0x%08x, expected 0x%08x",
                                    l.magic, want.magic);
        if (l.version != want.version || l.layout_size != want.layout_size)
                return rf_error_set(err, -EBADMSG,
                                    "ring: layout version %u (header of %u bytes) "
                                    "is not version %u",
                                    l.version, l.layout_size, want.version);
        if (l.capacity < RING_MIN_CAPACITY || l.capacity > RING_MAX_CAPACITY ||
            (l.capacity & (l.capacity - 1)) != 0)
                return rf_error_set(err, -EBADMSG,
                                    "ring: capacity %u is not a power of two from %u to %u",
                                    l.capacity, RING_MIN_CAPACITY, RING_MAX_CAPACITY);
        if (l.tail_off != want.tail_off || l.head_off != want.head_off ||
            l.data_wait_off != want.data_wait_off || l.space_wait_off != want.space_wait_off ||
            l.data_off != want.data_off || l.flags != 0 || l.reserved != 0)
                return rf_error_set(err, -EBADMSG,
                                    "ring: the layout's offsets or flags are not "
                                    "those of version %u",
                                    want.version);
        if (l.total_size != (uint64_t)RING_DATA_OFF + l.capacity || l.total_size > size)
                return rf_error_set(err, -EBADMSG,
                                    "ring: the layout claims %llu bytes, "
                                    "the memory has %zu and capacity %u needs %u",
                                    (unsigned long long)l.total_size, size, l.capacity,
                                    RING_DATA_OFF + l.capacity);
        *ret_cap = l.capacity;
        return 0;
}

int ring_attach(void *mem, size_t size, unsigned flags, struct ring **ret, rf_error *err)
{
        uint8_t *base = mem;
        uint32_t cap = 0;
        uint64_t head, tail;
        int k;

        if (!mem || (uintptr_t)mem % RING_ALIGN != 0)
                return rf_error_set(err, -EINVAL, "ring: the memory must be 8-byte aligned");
        k = layout_check(base, size, &cap, err);
        if (k < 0)
                return k;
        head = atomic_load_explicit(&((struct ring_index *)(base + RING_HEAD_OFF))->pos,
                                    memory_order_acquire);
        tail = atomic_load_explicit(&((struct ring_index *)(base + RING_TAIL_OFF))->pos,
                                    memory_order_acquire);
        if (head % RING_ALIGN != 0 || tail % RING_ALIGN != 0 || tail - head > cap)
                return rf_error_set(err, -EBADMSG,
                                    "ring: head %llu and tail %llu are not "
                                    "multiples of 8 at most %u apart",
                                    (unsigned long long)head, (unsigned long long)tail, cap);
        if (handle_new(base, size, cap, flags, head, tail, ret) < 0)
                return rf_error_set(err, -ENOMEM, "ring: out of memory");
        return 0;
}

int ring_new_memfd(uint32_t capacity, struct ring **ret, int *ret_fd, rf_error *err)
{
        _cleanup_close_ int fd = -1;
        size_t size = (size_t)RING_DATA_OFF + capacity;
        void *mem;
        int k;

        if (capacity < RING_MIN_CAPACITY || capacity > RING_MAX_CAPACITY ||
            (capacity & (capacity - 1)) != 0)
                return rf_error_set(err, -EINVAL,
                                    "ring: capacity %u is not a power of two from %u to %u",
                                    capacity, RING_MIN_CAPACITY, RING_MAX_CAPACITY);
        fd = memfd_create("ringfence-ring", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return rf_error_set(err, -errno, "ring: memfd_create: %s", rf_strerror(errno));
        if (ftruncate(fd, (off_t)size) < 0)
                return rf_error_set(err, -errno, "ring: sizing the memfd to %zu bytes: %s", size,
                                    rf_strerror(errno));
        /* Sealed size: a peer can neither shrink it under our mappings (a SIGBUS) nor grow it. */
        if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
                return rf_error_set(err, -errno, "ring: sealing the memfd: %s", rf_strerror(errno));
        mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (mem == MAP_FAILED)
                return rf_error_set(err, -errno, "ring: mapping the memfd: %s", rf_strerror(errno));
        k = ring_new(mem, size, RING_SHARED, ret, err);
        if (k < 0) {
                munmap(mem, size);
                return k;
        }
        (*ret)->mapped = true;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

int ring_attach_fd(int fd, struct ring **ret, rf_error *err)
{
        struct stat st;
        void *mem;
        int seals, k;

        if (fstat(fd, &st) < 0)
                return rf_error_set(err, -errno, "ring: fd %d: %s", fd, rf_strerror(errno));
        seals = fcntl(fd, F_GET_SEALS);
        if (seals < 0 || !(seals & F_SEAL_SHRINK))
                return rf_error_set(err, -EPERM,
                                    "ring: fd %d is not a memfd sealed against shrinking", fd);
        if (st.st_size < (off_t)(RING_DATA_OFF + RING_MIN_CAPACITY) ||
            st.st_size > (off_t)RING_DATA_OFF + RING_MAX_CAPACITY)
                return rf_error_set(err, -EBADMSG, "ring: fd %d holds %lld bytes, not a ring", fd,
                                    (long long)st.st_size);
        mem = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (mem == MAP_FAILED)
                return rf_error_set(err, -errno, "ring: mapping fd %d: %s", fd, rf_strerror(errno));
        k = ring_attach(mem, (size_t)st.st_size, RING_SHARED, ret, err);
        if (k < 0) {
                munmap(mem, (size_t)st.st_size);
                return k;
        }
        (*ret)->mapped = true;
        return 0;
}

struct ring *ring_free(struct ring *r)
{
        if (!r)
                return NULL;
        if (r->mapped)
                munmap(r->base, r->size);
        free(r);
        return NULL;
}

uint32_t ring_capacity(const struct ring *r)
{
        return r->cap;
}

uint32_t ring_max_payload(const struct ring *r)
{
        return r->max_payload;
}

void *ring_memory(const struct ring *r, size_t *ret_size)
{
        if (ret_size)
                *ret_size = r->size;
        return r->base;
}
