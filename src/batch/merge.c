/* SPDX-License-Identifier: MIT */
/* Merging the shards' JSON-lines result files into one: every job record once, and a check that
 * every shard finished (its shard_end line) and that no job is missing or repeated, with the
 * jobs that are missing named by their position in the input. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "batch/batch.h"
#include "batch/output.h"
#include "batch/shard.h"

#define MAX_SAID 20 /* problems of one kind told one by one; then a count */

struct shard_info {
        bool ended;
        uint64_t input_jobs, shard_jobs, keys_sum; /* from its end line */
        uint64_t records, records_sum;             /* what the files hold */
};

struct merge {
        rf_merge_report *rep;
        FILE *text;
        int out_fd;
        json_t *seen; /* identity -> "FILE:LINE" */
        uint32_t n;   /* shard count, 0 until seen */
        struct shard_info *shards;
        uint8_t *seqs; /* a bit per input position seen */
        size_t seqs_cap;
        bool seq_clash;      /* two jobs at one position: inputs in different orders */
        uint64_t input_jobs; /* from the end lines, 0 when none */
        uint64_t said_dup;
};

static int parse_shard(const char *v, uint32_t *i, uint32_t *n)
{
        int len = 0;

        return v && sscanf(v, "%" SCNu32 "/%" SCNu32 "%n", i, n, &len) == 2 && !v[len] && *n > 0 &&
                               *i < *n
                       ? 0
                       : -EINVAL;
}

static int shard_count(struct merge *m, uint32_t n, const char *where, rf_error *err)
{
        if (m->n == 0) {
                m->n = n;
                m->shards = xcalloc(n, sizeof(*m->shards));
                return 0;
        }
        if (m->n == n)
                return 0;
        return rf_error_set(err, -EINVAL,
                            "%s: a shard of %" PRIu32 ", but the files before it "
                            "are shards of %" PRIu32 ", expected the shards of one batch",
                            where, n, m->n);
}

static int end_line(struct merge *m, json_t *e, const char *where, rf_error *err)
{
        const char *sh = json_string_value(json_object_get(e, "shard"));
        const char *sum = json_string_value(json_object_get(e, "keys_sum"));
        json_t *in = json_object_get(e, "input_jobs"), *mine = json_object_get(e, "shard_jobs");
        struct shard_info *s;
        uint32_t i, n;
        int r;

        if (parse_shard(sh, &i, &n) < 0 || !json_is_integer(in) || !json_is_integer(mine) || !sum)
                return rf_error_set(err, -EINVAL,
                                    "%s: a shard_end line without shard \"I/N\", "
                                    "input_jobs, shard_jobs and keys_sum",
                                    where);
        if ((r = shard_count(m, n, where, err)) < 0)
                return r;
        s = &m->shards[i];
        s->ended = true;
        s->input_jobs = (uint64_t)json_integer_value(in);
        s->shard_jobs = (uint64_t)json_integer_value(mine);
        s->keys_sum = strtoull(sum, NULL, 16);
        if (m->input_jobs && m->input_jobs != s->input_jobs)
                fprintf(m->text,
                        "%s: shard %s read %" PRIu64 " jobs, others %" PRIu64 ": the "
                        "shards did not read the same input\n",
                        where, sh, s->input_jobs, m->input_jobs);
        m->input_jobs = s->input_jobs;
        return 0;
}

static void mark_seq(struct merge *m, uint64_t seq)
{
        size_t byte = (size_t)(seq / 8);

        if (seq == 0 || seq > (1ULL << 40))
                return;
        if (byte >= m->seqs_cap) {
                size_t old = m->seqs_cap;
                array_grow(&m->seqs, &m->seqs_cap, byte + 1, 1);
                memset(m->seqs + old, 0, m->seqs_cap - old);
        }
        if (m->seqs[byte] & (1u << (seq % 8)))
                m->seq_clash = true;
        m->seqs[byte] |= (uint8_t)(1u << (seq % 8));
}

static int record(struct merge *m, json_t *v, const char *line, size_t len, const char *where,
                  rf_error *err)
{
        json_t *job = json_object_get(v, "job"), *prev;
        const char *key = json_string_value(json_object_get(v, "key"));
        const char *sh = json_string_value(json_object_get(v, "shard"));
        char id[48];
        uint32_t i, n;
        int r;

        if (!json_is_integer(job))
                return rf_error_set(err, -EINVAL,
                                    "%s: not a result record (no \"job\" number), "
                                    "expected a line of ringfence batch --json",
                                    where);
        if (key)
                snprintf(id, sizeof(id), "k%s", key);
        else
                snprintf(id, sizeof(id), "j%" JSON_INTEGER_FORMAT, json_integer_value(job));
        if ((prev = json_object_get(m->seen, id))) {
                if (m->said_dup++ < MAX_SAID)
                        fprintf(m->text,
                                "job %" JSON_INTEGER_FORMAT "%s%s has two records, at %s "
                                "and at %s; the second is left out\n",
                                json_integer_value(job), key ? " key " : "", key ? key : "",
                                json_string_value(prev), where);
                m->rep->duplicates++;
                return 0;
        }
        json_object_set_new(m->seen, id, json_string(where));
        if (output_write_all(m->out_fd, line, len) < 0 || output_write_all(m->out_fd, "\n", 1) < 0)
                return rf_error_set(err, -errno, "writing the merged records: %s", strerror(errno));
        m->rep->records++;
        mark_seq(m, (uint64_t)json_integer_value(job));
        if (sh && parse_shard(sh, &i, &n) == 0) {
                if ((r = shard_count(m, n, where, err)) < 0)
                        return r;
                m->shards[i].records++;
                m->shards[i].records_sum += key ? strtoull(key, NULL, 16) : 0;
        }
        return 0;
}

static int merge_file(struct merge *m, const char *path, rf_error *err)
{
        FILE *f = fopen(path, "re");
        char *line = NULL, where[4200];
        size_t cap = 0, lineno = 0;
        ssize_t len;
        int r = 0;

        if (!f)
                return rf_error_set(err, -errno, "%s: %s", path, strerror(errno));
        while (r == 0 && (len = getline(&line, &cap, f)) > 0) {
                json_error_t e;
                json_t *v, *end;
                bool torn = line[len - 1] != '\n';

                lineno++;
                if (!torn)
                        line[--len] = '\0';
                snprintf(where, sizeof(where), "%s:%zu", path, lineno);
                v = json_loadb(line, (size_t)len, 0, &e);
                if (!v && torn) {
                        fprintf(m->text,
                                "%s: the last line is incomplete (its shard was stopped "
                                "while writing it); it is left out\n",
                                where);
                        break;
                }
                if (!json_is_object(v))
                        r = rf_error_set(err, -EINVAL,
                                         "%s: not a JSON object (%s), "
                                         "expected one record of ringfence batch --json per line",
                                         where, v ? "another JSON value" : e.text);
                else if ((end = json_object_get(v, "shard_end")))
                        r = end_line(m, end, where, err);
                else
                        r = record(m, v, line, (size_t)len, where, err);
                json_decref(v);
        }
        if (r == 0 && ferror(f))
                r = rf_error_set(err, -EIO, "%s: read error", path);
        free(line);
        fclose(f);
        return r;
}

/* Positions 1..input_jobs without a record, as ranges. */
static void say_missing_positions(struct merge *m)
{
        uint64_t said = 0, start = 0;

        if (!m->rep->missing)
                return;
        if (m->seq_clash || !m->input_jobs) {
                if (m->seq_clash)
                        fprintf(m->text, "the shards read the input in different orders, "
                                         "so the missing jobs cannot be named by position\n");
                return;
        }
        for (uint64_t s = 1; s <= m->input_jobs + 1; s++) {
                bool have = s > m->input_jobs ||
                            (s / 8 < m->seqs_cap && (m->seqs[s / 8] & (1u << (s % 8))));
                if (!have && !start)
                        start = s;
                if (have && start) {
                        if (said++ == 0)
                                fprintf(m->text, "missing jobs (their position in the input):");
                        if (said <= MAX_SAID)
                                fprintf(m->text,
                                        s - 1 > start ? " %" PRIu64 "-%" PRIu64 : " %" PRIu64,
                                        start, s - 1);
                        start = 0;
                }
        }
        if (said > MAX_SAID)
                fprintf(m->text, " and %" PRIu64 " more ranges", said - MAX_SAID);
        if (said)
                fprintf(m->text, "\n");
}

static void check_shards(struct merge *m)
{
        for (uint32_t i = 0; i < m->n; i++) {
                struct shard_info *s = &m->shards[i];
                if (!s->ended) {
                        m->rep->shards_unfinished++;
                        fprintf(m->text,
                                "shard %" PRIu32 "/%" PRIu32 " did not finish: none of "
                                "the files has its shard_end line (it is still running, was "
                                "stopped, or its file was not given); it has %" PRIu64
                                " records; run it again with --resume\n",
                                i, m->n, s->records);
                } else if (s->records != s->shard_jobs || s->records_sum != s->keys_sum) {
                        fprintf(m->text,
                                "shard %" PRIu32 "/%" PRIu32 " ran %" PRIu64 " jobs "
                                "but the files hold %" PRIu64 " of its records%s\n",
                                i, m->n, s->shard_jobs, s->records,
                                s->records == s->shard_jobs ? ", not the same jobs" : "");
                }
        }
        if (m->input_jobs && m->rep->records < m->input_jobs)
                m->rep->missing = m->input_jobs - m->rep->records;
        else if (m->rep->shards_unfinished && !m->input_jobs)
                fprintf(m->text, "no shard finished, so how many jobs are missing is not known\n");
        if (m->rep->missing)
                fprintf(m->text, "%" PRIu64 " of %" PRIu64 " jobs have no record\n",
                        m->rep->missing, m->input_jobs);
        say_missing_positions(m);
}

int batch_merge(const char *const *paths, size_t n, int out_fd, rf_merge_report *rep, rf_error *err)
{
        struct merge m = { .rep = rep, .out_fd = out_fd };
        char *text = NULL;
        size_t text_len = 0;
        int r = 0;

        memset(rep, 0, sizeof(*rep));
        m.text = open_memstream(&text, &text_len);
        m.seen = json_object();
        if (!m.text || !m.seen)
                rf_oom();
        for (size_t i = 0; i < n && r == 0; i++)
                r = merge_file(&m, paths[i], err);
        if (r == 0 && m.n)
                check_shards(&m);
        if (m.said_dup > MAX_SAID)
                fprintf(m.text, "and %" PRIu64 " more jobs with two records\n",
                        m.said_dup - MAX_SAID);
        fclose(m.text);
        rep->shards = m.n;
        rep->text = text_len ? text : NULL;
        if (!text_len)
                free(text);
        json_decref(m.seen);
        free(m.shards);
        free(m.seqs);
        if (r < 0) {
                free(rep->text);
                rep->text = NULL;
        }
        return r;
}
