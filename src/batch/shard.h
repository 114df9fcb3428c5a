/* SPDX-License-Identifier: MIT */
/* Job keys, the shard split (shard.c), and the merge of the shards' records (merge.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "batch/batch.h"

/* xxh3-64 of what job in was given: its input values (one line, or one combination of :::
 * values); for JSON lines also its env, cwd, stdin and settings, and its argv when there is no
 * template (jsonl, templated). Never its position: {#} and seq do not count. */
uint64_t batch_input_hash(const struct batch_input *in, bool jsonl, bool templated);

/* The input hashes seen so far, to tell copies of the same input apart. */
struct batch_keyset;
struct batch_keyset *batch_keyset_new(void);
/* The key of the next job whose input hashes to input_hash: the hash itself the first time, a
 * hash of it and n for its n-th copy, so that every job of an input has its own key. */
uint64_t batch_keyset_key(struct batch_keyset *k, uint64_t input_hash);
void batch_keyset_free(struct batch_keyset *k);

/* Which of count shards (0..count-1) the job with key belongs to. */
uint32_t batch_shard_of(uint64_t key, uint32_t count);

/* rf_results_merge (merge.c): join the result files paths[0..n-1] onto out_fd and check them.
 * Returns 0 (rep says what is missing or repeated) or -errno with err naming file and line. */
int batch_merge(const char *const *paths, size_t n, int out_fd, rf_merge_report *rep,
                rf_error *err);
