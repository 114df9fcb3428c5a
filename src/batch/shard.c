/* SPDX-License-Identifier: MIT */
/* Job keys and shards: a job's key is a hash (xxh3-64) of what the job was given, never of its
 * position in the input, so that ringfence batch --shard I/N splits one input the same way on
 * every machine whatever the order of its lines, and every job lands in exactly one shard. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "base/base.h"
#include "batch/shard.h"

/* Add one field: a tag, its length, its bytes (so that "ab","c" and "a","bc" differ). */
static void field(XXH3_state_t *st, char tag, const void *p, size_t n)
{
        uint64_t len = n;

        XXH3_64bits_update(st, &tag, 1);
        XXH3_64bits_update(st, &len, sizeof(len));
        XXH3_64bits_update(st, p, n);
}

static void strings(XXH3_state_t *st, char tag, const struct strv *v)
{
        uint64_t n = v->n;

        XXH3_64bits_update(st, &tag, 1);
        XXH3_64bits_update(st, &n, sizeof(n));
        for (size_t i = 0; i < v->n; i++)
                field(st, 's', v->v[i], strlen(v->v[i]));
}

uint64_t batch_input_hash(const struct batch_input *in, bool jsonl, bool templated)
{
        XXH3_state_t *st = XXH3_createState();
        uint64_t h;

        if (!st)
                rf_oom();
        XXH3_64bits_reset(st);
        strings(st, 'a', &in->args);
        if (jsonl) {
                if (!templated)
                        strings(st, 'v', &in->argv);
                strings(st, 'e', &in->env_set);
                strings(st, 'k', &in->settings);
                if (in->cwd)
                        field(st, 'c', in->cwd, strlen(in->cwd));
                if (in->stdin_data)
                        field(st, 'i', in->stdin_data, in->stdin_len);
        }
        h = XXH3_64bits_digest(st);
        XXH3_freeState(st);
        return h;
}

/* An open-addressing table of input hashes and how often each was seen. */
struct batch_keyset {
        uint64_t *hash;
        uint32_t *count;
        size_t cap, n;
};

struct batch_keyset *batch_keyset_new(void)
{
        struct batch_keyset *k = xcalloc(1, sizeof(*k));

        k->cap = 1024;
        k->hash = xcalloc(k->cap, sizeof(*k->hash));
        k->count = xcalloc(k->cap, sizeof(*k->count));
        return k;
}

static uint32_t *slot(struct batch_keyset *k, uint64_t h)
{
        size_t i = (size_t)(h * 0x9E3779B97F4A7C15ULL) & (k->cap - 1);

        while (k->count[i] && k->hash[i] != h)
                i = (i + 1) & (k->cap - 1);
        k->hash[i] = h;
        return &k->count[i];
}

static void grow(struct batch_keyset *k)
{
        struct batch_keyset old = *k;

        k->cap *= 2;
        k->hash = xcalloc(k->cap, sizeof(*k->hash));
        k->count = xcalloc(k->cap, sizeof(*k->count));
        for (size_t i = 0; i < old.cap; i++)
                if (old.count[i])
                        *slot(k, old.hash[i]) = old.count[i];
        free(old.hash);
        free(old.count);
}

uint64_t batch_keyset_key(struct batch_keyset *k, uint64_t input_hash)
{
        uint32_t *c, seen;

        if ((k->n + 1) * 4 > k->cap * 3)
                grow(k);
        c = slot(k, input_hash);
        seen = (*c)++;
        if (seen == 0) {
                k->n++;
                return input_hash;
        }
        /* The n-th copy of the same input: identical copies are interchangeable, so numbering
         * them in input order is still independent of the order of the other lines. */
        return XXH3_64bits_withSeed(&input_hash, sizeof(input_hash), seen);
}

void batch_keyset_free(struct batch_keyset *k)
{
        if (!k)
                return;
        free(k->hash);
        free(k->count);
        free(k);
}

uint32_t batch_shard_of(uint64_t key, uint32_t count)
{
        /* Multiply-shift: uniform over count without the bias of a modulo. */
        return (uint32_t)(((unsigned __int128)key * count) >> 64);
}
