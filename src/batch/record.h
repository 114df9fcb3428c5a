/* SPDX-License-Identifier: MIT */
/* A job's result record as one JSON object (record.c): the one writer of --json lines, of
 * --results' record.json and of rf_result_to_json, whose field order recscan.c reads back. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/result.h"

struct batch_record;

/* What a batch's record holds besides its job's result. */
struct batch_record_extra {
        const char *key;      /* with shards: the job's key (16 hex digits), else NULL */
        const char *shard;    /* with a key: its shard, "I/N" (NULL: "") */
        uint64_t stdin_bytes; /* the bytes given on the job's stdin (the joblog's Send) */
};

/* Job number job's record of attempt attempt, command argv and result r, as one JSON object in a
 * new string (never NULL) that the caller frees, ending in "\n" with newline; *ret_len (ret_len
 * may be NULL) is its length. Its members begin job, attempt, argv, status (the order recscan.c's
 * fast path reads). With x (a batch's record), "key" and "shard" follow when x->key is set, and
 * "stdin_bytes" comes last; without, neither (a record of rf_run). */
char *batch_record_json(const struct engine_result *r, uint64_t job, uint32_t attempt,
                        char *const argv[], const struct batch_record_extra *x, bool newline,
                        size_t *ret_len);
/* rec's record as one line with its newline (batch_record_json with rec's fields and extras),
 * as --json and record.json hold it; *ret_len is its length. */
char *batch_record_line(const struct batch_record *rec, size_t *ret_len);

/* batch_record_key's fast path alone (recscan.c): 1 when line (len bytes, without its newline)
 * begins as batch_record_json writes records, with *ret_seq its job and *ret_failed whether its
 * status is other than ok; 0 when it does not (then batch_record_key asks jansson). */
int batch_record_key_fast(const char *line, size_t len, uint64_t *ret_seq, bool *ret_failed);
