/* SPDX-License-Identifier: MIT */
/* The scheduler's hooks into sharing: make's jobserver (client), ours for make -j inside the
 * jobs (server), and the shard of a cluster's job array. sched.c calls these and nothing else
 * of the jobserver or the shards. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "batch/jobserver.h"
#include "batch/sched.h"
#include "batch/shard.h"
#include "policy/policy.h"

int batch_shard_open(struct batch *b, rf_error *err)
{
        const rf_batch_share *s = b->share;

        if (!s || s->shard_count == 0)
                return 0;
        if (s->shard_index >= s->shard_count)
                return rf_error_set(err, -EINVAL,
                                    "--shard %" PRIu32 "/%" PRIu32
                                    ": the index is out of range, expected 0 to %" PRIu32,
                                    s->shard_index, s->shard_count, s->shard_count - 1);
        b->keys = batch_keyset_new();
        snprintf(b->shard_name, sizeof(b->shard_name), "%" PRIu32 "/%" PRIu32, s->shard_index,
                 s->shard_count);
        return 0;
}

int batch_jobservers_open(struct batch *b, rf_error *err)
{
        rf_batch_share *s = b->share;
        int r;

        if (!s)
                return 0;
        s->warning[0] = '\0';
        if (b->o->dry_run)
                return 0;
        if (s->jobserver) {
                r = js_server_new(b->jobs, s->jobserver, &b->jss, err);
                if (r < 0)
                        return r;
                js_server_attach(b->jss, b->e);
        } else if (s->makeflags) {
                r = js_client_open(s->makeflags, &b->jsc, s->warning, sizeof(s->warning));
                if (r < 0)
                        return rf_error_set(err, r, "make's jobserver: %s", strerror(-r));
                if (b->jsc)
                        js_client_attach(b->jsc, b->e);
        }
        return 0;
}

bool batch_slot_ready(struct batch *b)
{
        if (b->jsc)
                return js_client_ready(b->jsc);
        if (b->jss)
                return js_server_ready(b->jss);
        return true;
}

int batch_slot_take(struct batch *b, struct bjob *bj, rf_error *err)
{
        if (b->jsc) {
                js_client_take(b->jsc, &bj->hold);
                return 0;
        }
        if (!b->jss)
                return 0;
        if (!bj->policy) {
                /* The job's own copy of the policy, for its MAKEFLAGS, fifo and fds. */
                bj->policy = xcalloc(1, sizeof(*bj->policy));
                policy_copy(bj->policy, b->p);
        }
        return js_server_job_new(b->jss, bj->in.seq, bj->policy, &bj->jsj, err);
}

void batch_slot_put(struct batch *b, struct bjob *bj)
{
        unsigned held;

        if (b->jsc && bj->hold.byte != JS_NONE)
                js_client_put(b->jsc, &bj->hold);
        if (!b->jss || !bj->jsj)
                return;
        held = js_server_job_end(b->jss, bj->jsj);
        if (held) {
                b->share->tokens_reclaimed += held;
                base_log(RF_LOG_WARNING,
                         "ringfence batch: job %llu ended holding %u jobserver token%s; "
                         "%s back in the pool",
                         (unsigned long long)bj->in.seq, held, held == 1 ? "" : "s",
                         held == 1 ? "it is" : "they are");
        }
}

void batch_slot_forget(struct batch *b, struct bjob *bj)
{
        if (b && b->jss && bj->jsj) {
                js_server_job_free(b->jss, bj->jsj);
                bj->jsj = NULL;
        }
}

void batch_slots_idle(struct batch *b, bool more)
{
        if (b->jsc && !more)
                js_client_trim(b->jsc);
        if (b->jss && !more)
                js_server_idle(b->jss);
}

void batch_jobservers_finish(struct batch *b)
{
        if (b->jsc) {
                js_client_stop(b->jsc, b->e);
                js_client_counts(b->jsc, &b->share->tokens_read, &b->share->tokens_returned);
        }
        if (b->jss)
                js_server_stop(b->jss, b->e);
}

void batch_jobservers_close(struct batch *b)
{
        js_client_free(TAKE_PTR(b->jsc));
        js_server_free(TAKE_PTR(b->jss));
}

bool batch_shard_assign(struct batch *b, struct bjob *bj)
{
        uint64_t key;

        if (!b->keys)
                return true;
        key = batch_keyset_key(b->keys, batch_input_hash(&bj->in, b->input == BATCH_INPUT_JSONL,
                                                         b->o->command != NULL));
        b->share->input_jobs++;
        if (batch_shard_of(key, b->share->shard_count) != b->share->shard_index)
                return false;
        b->share->shard_jobs++;
        b->keys_sum += key;
        snprintf(bj->key, sizeof(bj->key), "%016" PRIx64, key);
        return true;
}

/* The shard's end line: how many jobs the input had, how many are this shard's, and the sum
 * of their keys, so that a merge can tell a complete shard from one that lost records. */
void batch_shard_finish(struct batch *b, bool complete)
{
        char line[256];
        rf_error e = { 0 };

        if (!b->keys || !complete)
                return;
        snprintf(line, sizeof(line),
                 "{\"shard_end\":{\"shard\":\"%s\",\"input_jobs\":%" PRIu64
                 ",\"shard_jobs\":%" PRIu64 ",\"keys_sum\":\"%016" PRIx64 "\"}}\n",
                 b->shard_name, b->share->input_jobs, b->share->shard_jobs, b->keys_sum);
        if (b->w && batch_writers_put_line(b->w, line, &e) < 0 && !b->write_failed) {
                b->write_failed = true;
                b->write_error = e;
        }
}

void batch_shard_close(struct batch *b)
{
        batch_keyset_free(TAKE_PTR(b->keys));
}
