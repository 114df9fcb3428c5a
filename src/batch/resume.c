/* SPDX-License-Identifier: MIT */
/* Resume after SIGKILL without loss or repeat: which jobs an earlier run recorded, read from its
 * --json lines (recscan.c) or its --joblog. A torn last line is cut off so that
 * appending continues cleanly. The set is a pair of bitmaps, plus a sorted array for job numbers
 * too large for them, so a million done jobs take 250 KB, built in one pass over the file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/base.h"
#include "batch/batch.h"

/* Job numbers beyond the bitmaps are kept as keys seq << 1 | failed. */
/* clang-format off */
#define KEY(seq, failed) ((uint64_t)(seq) << 1 | (uint64_t)!!(failed))
/* clang-format on */
#define KEY_SEQ(k) ((k) >> 1)
#define BIT_SET(map, i) ((map)[(i) / 64] |= UINT64_C(1) << ((i) % 64))
#define BIT_TEST(map, i) (((map)[(i) / 64] >> ((i) % 64)) & 1)

struct batch_done_set {
        /* Job numbers below limit: bit seq of done is set when job seq has a record, of ok when
         * one of its records is a success (so, as with parallel, a retry that succeeded makes it
         * done). The limit follows the file's size, so the bitmaps stay a small part of it. */
        uint64_t limit;
        uint64_t *done, *ok;
        size_t n_words;
        /* Larger job numbers (sparse ones: --shard, or a hand-made file), sorted once loaded,
         * one key a job; the key says failed only if all of the job's records did. */
        uint64_t *keys;
        size_t n_keys, cap_keys;
};

/* Reading one file into a set. */
struct loader {
        const char *flag, *path;
        const char *shard; /* "I/N": every JSON line must be this shard's; NULL: no check */
        bool joblog;
        struct batch_done_set *set;
        char why[160]; /* what is wrong with the line just parsed */
};

static void done_set_add(struct batch_done_set *d, uint64_t key)
{
        uint64_t seq = KEY_SEQ(key);

        if (seq >= d->limit) {
                array_grow(&d->keys, &d->cap_keys, d->n_keys + 1, sizeof(uint64_t));
                d->keys[d->n_keys++] = key;
                return;
        }
        if (seq / 64 >= d->n_words) {
                size_t cap = d->n_words;
                array_grow(&d->done, &cap, (size_t)(seq / 64 + 1), sizeof(uint64_t));
                cap = d->n_words;
                array_grow(&d->ok, &cap, (size_t)(seq / 64 + 1), sizeof(uint64_t));
                d->n_words = cap;
        }
        BIT_SET(d->done, seq);
        if (!(key & 1))
                BIT_SET(d->ok, seq);
}

static int cmp_key(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
        return x < y ? -1 : x > y;
}

/* Sort the large job numbers, one key a job: sorted, a job's success (failed bit 0) comes before
 * its failures, so the first key of each job is the one to keep. */
static void done_set_finish(struct batch_done_set *d)
{
        size_t m = 0;

        if (d->n_keys < 2)
                return;
        qsort(d->keys, d->n_keys, sizeof(uint64_t), cmp_key);
        for (size_t i = 0; i < d->n_keys; i++)
                if (m == 0 || KEY_SEQ(d->keys[m - 1]) != KEY_SEQ(d->keys[i]))
                        d->keys[m++] = d->keys[i];
        d->n_keys = m;
}

/* A JSON record's key, from its "job" and "status" fields (recscan.c): 1, or 0 for a shard's
 * end line, or -EINVAL. */
static int parse_json_line(struct loader *l, const char *line, size_t len, uint64_t *ret_key)
{
        uint64_t seq;
        bool failed;
        int r = batch_record_key(line, len, &seq, &failed, l->why, sizeof(l->why));

        if (r < 0)
                return -EINVAL;
        if (l->shard) {
                /* The writer appends "shard":"I/N" to each record and end line; a JSON string
                 * holds no unescaped quote, so the first match is that field. */
                static const char field[] = "\"shard\":\"";
                const char *f = memmem(line, len, field, sizeof(field) - 1);
                size_t n = strlen(l->shard);

                f = f ? f + sizeof(field) - 1 : NULL;
                if (!f || (size_t)(line + len - f) <= n || memcmp(f, l->shard, n) != 0 ||
                    f[n] != '"') {
                        const char *q = f ? memchr(f, '"', (size_t)(line + len - f)) : NULL;
                        if (f && q && q - f < 24)
                                snprintf(l->why, sizeof(l->why), "a record of shard %.*s",
                                         (int)(q - f), f);
                        else
                                snprintf(l->why, sizeof(l->why), "a record of no shard");
                        return -EXDEV;
                }
        }
        if (r == 1)
                *ret_key = KEY(seq, failed);
        return r;
}

/* One line (without its newline): 1 and *ret_key for a record, 0 for the joblog's header, or
 * -EINVAL with l->why. */
static int parse_line(struct loader *l, const char *line, size_t len, size_t lineno,
                      uint64_t *ret_key)
{
        uint64_t seq;
        bool failed;

        if (!l->joblog)
                return parse_json_line(l, line, len, ret_key); /* 0: a shard's end line */
        if (lineno == 1) {
                if (len + 1 == strlen(batch_joblog_header) &&
                    memcmp(line, batch_joblog_header, len) == 0)
                        return 0;
                snprintf(l->why, sizeof(l->why), "not the joblog's header line");
                return -EINVAL;
        }
        if (batch_joblog_parse(line, len, &seq, &failed) < 0) {
                snprintf(l->why, sizeof(l->why), "not a joblog record");
                return -EINVAL;
        }
        *ret_key = KEY(seq, failed);
        return 1;
}

static int line_error(const struct loader *l, size_t lineno, rf_error *err)
{
        if (l->joblog)
                return rf_error_set(err, -EINVAL,
                                    "%s %s:%zu: %s, expected the header line and then one job a "
                                    "line: Seq Host Starttime JobRuntime Send Receive Exitval "
                                    "Signal Command, separated by tabs",
                                    l->flag, l->path, lineno, l->why);
        return rf_error_set(err, -EINVAL,
                            "%s %s:%zu: %s, expected one result record a line (a JSON object with "
                            "\"job\", \"attempt\" and \"status\")",
                            l->flag, l->path, lineno, l->why);
}

/* Read every complete line of buf. Returns the length that holds whole, valid lines (less than
 * size when the last line is torn: no newline, or not a record), or -EINVAL for a bad line
 * before the last. Pages already read are dropped from the mapping as it goes, so reading a
 * file of half a gigabyte does not make it part of the process's resident memory. */
static ssize_t load_lines(struct loader *l, char *buf, size_t size, rf_error *err)
{
        const size_t window = 4u << 20;
        size_t at = 0, lineno = 0, dropped = 0;

        while (at < size) {
                const char *nl = memchr(buf + at, '\n', size - at);
                size_t len;
                uint64_t key = 0;
                int r;

                if (!nl)
                        break; /* torn: the write that held its newline never happened */
                len = (size_t)(nl - (buf + at));
                r = parse_line(l, buf + at, len, ++lineno, &key);
                if (r == -EXDEV)
                        return rf_error_set(err, -EINVAL,
                                            "%s %s:%zu: %s, but this batch is shard %s: "
                                            "--resume continues the shard that wrote the file; "
                                            "give each shard a file of its own",
                                            l->flag, l->path, lineno, l->why, l->shard);
                if (r < 0 && at + len + 1 < size)
                        return line_error(l, lineno, err);
                if (r < 0)
                        break;
                if (r > 0)
                        done_set_add(l->set, key);
                at += len + 1;
                if (at - dropped >= 2 * window) {
                        (void)madvise(buf + dropped, window, MADV_DONTNEED);
                        dropped += window;
                }
        }
        return (ssize_t)at;
}

/* Read l->path into l->set, cutting a torn last line off the file. A missing or empty file has
 * no records. */
static int load_file(struct loader *l, rf_error *err)
{
        _cleanup_close_ int fd = open(l->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        struct stat st;
        ssize_t keep;
        void *map;

        if (fd < 0 && errno == ENOENT)
                return 0;
        if (fd < 0 || fstat(fd, &st) < 0)
                return rf_error_set(err, -errno, "%s %s: %s", l->flag, l->path, rf_strerror(errno));
        if (!S_ISREG(st.st_mode))
                return rf_error_set(err, -EINVAL,
                                    "%s %s: not a regular file, "
                                    "expected the records of an earlier run",
                                    l->flag, l->path);
        if (st.st_size == 0)
                return 0;
        /* A record takes at least 17 bytes: with job numbers below a quarter of the file's size
         * in the bitmaps, they cost at most a sixteenth of it. */
        l->set->limit = (uint64_t)st.st_size / 4 + 4096;
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED)
                return rf_error_set(err, -errno, "%s %s: %s", l->flag, l->path, rf_strerror(errno));
        (void)madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
        keep = load_lines(l, map, (size_t)st.st_size, err);
        (void)munmap(map, (size_t)st.st_size);
        if (keep >= 0 && keep < st.st_size && truncate(l->path, keep) < 0)
                return rf_error_set(err, -errno, "%s %s: cutting off the torn last line: %s",
                                    l->flag, l->path, rf_strerror(errno));
        return keep < 0 ? (int)keep : 0;
}

int batch_done_load(const char *json_path, const char *joblog_path, struct batch_done_set **ret,
                    rf_error *err)
{
        return batch_done_load_shard(json_path, joblog_path, NULL, ret, err);
}

int batch_done_load_shard(const char *json_path, const char *joblog_path, const char *shard,
                          struct batch_done_set **ret, rf_error *err)
{
        struct batch_done_set *json_set = xcalloc(1, sizeof(*json_set));
        struct batch_done_set *joblog_set = xcalloc(1, sizeof(*joblog_set));
        struct loader json = { .flag = "--json",
                               .path = json_path,
                               .shard = shard,
                               .set = json_set };
        struct loader joblog = { .flag = "--joblog",
                                 .path = joblog_path,
                                 .joblog = true,
                                 .set = joblog_set };
        int r = 0;

        /* The JSON lines are the ground truth: a record reaches them first (results.c). The
         * joblog is still read, to check it and cut a torn last line off it too. */
        if (json_path)
                r = load_file(&json, err);
        if (r >= 0 && joblog_path)
                r = load_file(&joblog, err);
        if (r < 0 || json_path)
                batch_done_free(TAKE_PTR(joblog_set));
        if (r < 0 || !json_path)
                batch_done_free(TAKE_PTR(json_set));
        if (r < 0)
                return r;
        *ret = json_set ? json_set : joblog_set;
        done_set_finish(*ret);
        return 0;
}

bool batch_done_has(const struct batch_done_set *d, uint64_t seq, bool failed_only)
{
        size_t lo = 0, hi;

        if (!d)
                return false;
        if (seq < d->limit)
                return seq / 64 < d->n_words && BIT_TEST(d->done, seq) &&
                       (!failed_only || BIT_TEST(d->ok, seq));
        for (hi = d->n_keys; lo < hi;) {
                size_t mid = lo + (hi - lo) / 2;
                if (KEY_SEQ(d->keys[mid]) < seq)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < d->n_keys && KEY_SEQ(d->keys[lo]) == seq &&
               (!failed_only || !(d->keys[lo] & 1));
}

void batch_done_free(struct batch_done_set *d)
{
        if (!d)
                return;
        free(d->done);
        free(d->ok);
        free(d->keys);
        free(d);
}
