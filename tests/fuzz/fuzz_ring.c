/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the ring's consumer: the input becomes a ring's shared memory, as a
 * hostile peer could leave it; attach, consume until an error or the ring is empty, then try to
 * produce. Any crash, out-of-bounds access, error without a sentence or endless loop is a bug.
 *
 * Input: byte 0 picks the mode. Even: the input is the memory, byte for byte. Odd: shape() lays
 * out a valid header and takes the positions and the records from the input, so that the fuzzer
 * reaches the records sooner. Bit 1 of byte 0 picks ring_pop_batch over ring_pop.
 *
 * Built by `make fuzz` (tests/fuzz/build.sh); run with tests/fuzz/run-all.sh or
 *   build/tests/fuzz/fuzz_ring -max_len=9300 tests/fuzz/corpus/ring
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring/ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A ring of 256 << (data[1] % 6) bytes with a valid layout; the head is the 8 bytes at 2, the
 * tail the head plus the 16 bits at 10 (both rounded down to 8 unless bit 2 of data[0] is set),
 * and the bytes from 12 on lie in the data area from the head's offset on, wrapping. */
static uint8_t *shape(const uint8_t *data, size_t size, size_t *ret_size)
{
        uint32_t cap = RING_MIN_CAPACITY << (size > 1 ? data[1] % 6 : 0);
        size_t n = RING_DATA_OFF + cap;
        uint8_t *mem = malloc(n); /* exact: ASan's redzone starts where the ring ends */
        uint64_t align = (data[0] & 4) ? ~(uint64_t)0 : ~(uint64_t)(RING_ALIGN - 1);
        uint64_t head = 0, tail;
        uint16_t delta = 0;
        struct ring *r = NULL;

        if (!mem || ring_new(mem, n, 0, &r, NULL) < 0)
                abort();
        ring_free(r);
        memset(mem + RING_DATA_OFF, 0, cap);
        if (size >= 10)
                memcpy(&head, data + 2, sizeof(head));
        if (size >= 12)
                memcpy(&delta, data + 10, sizeof(delta));
        head &= align;
        tail = (head + delta) & align;
        for (size_t i = 12; i < size && i - 12 < cap; i++)
                mem[RING_DATA_OFF + ((head + i - 12) & (cap - 1))] = data[i];
        memcpy(mem + RING_HEAD_OFF, &head, sizeof(head));
        memcpy(mem + RING_TAIL_OFF, &tail, sizeof(tail));
        *ret_size = n;
        return mem;
}

/* An error must be -EBADMSG (or -EMSGSIZE for our own buffer) with a sentence. */
static void check_error(int k, const rf_error *err)
{
        if (k == -EBADMSG && err->code == k && strncmp(err->msg, "ring: ", 6) == 0)
                return;
        fprintf(stderr, "unexpected error %d: %s\n", k, err->msg);
        abort();
}

/* Consume everything; the memory cannot change, so there are at most capacity / 16 messages. */
static void consume(struct ring *r, bool batch)
{
        static uint64_t buf[RING_MIN_CAPACITY * 32 / 8];
        uint32_t limit = ring_capacity(r) / RING_MSG_SIZE + 2;
        rf_error err = { 0 };
        int k;

        for (uint32_t n = 0;; n++) {
                struct ring_msg m;
                size_t used;

                if (n > limit) {
                        fprintf(stderr, "more than %u messages out of a static ring\n", limit);
                        abort();
                }
                if (batch)
                        k = ring_pop_batch(r, buf, sizeof(buf), &used, &err);
                else
                        k = ring_pop(r, &m, buf, sizeof(buf), 0, &err);
                if (k == -EAGAIN || (batch && k == 0))
                        return;
                if (k < 0) {
                        check_error(k, &err);
                        return;
                }
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct ring *r = NULL;
        struct ring_msg m = { .len = 40, .type = 1 };
        uint8_t payload[40] = { 0 };
        rf_error err = { 0 };
        uint8_t *mem;
        size_t n;
        int k;

        if (size > 0 && (data[0] & 1)) {
                mem = shape(data, size, &n);
        } else {
                n = size;
                mem = malloc(size ? size : 1);
                if (!mem)
                        abort();
                memcpy(mem, data, size);
        }
        if (ring_attach(mem, n, 0, &r, &err) < 0) {
                check_error(-EBADMSG, &err);
                free(mem);
                return 0;
        }
        consume(r, size > 0 && (data[0] & 2));
        /* The producer's side reads the head the memory holds: fill the ring until it is full. */
        for (uint32_t i = 0; i <= ring_capacity(r) / 56 + 1; i++) {
                k = ring_push(r, &m, payload, 0, &err);
                if (k == -EAGAIN)
                        break;
                if (k < 0) {
                        check_error(k, &err);
                        break;
                }
        }
        ring_free(r);
        free(mem);
        return 0;
}
