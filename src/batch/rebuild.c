/* SPDX-License-Identifier: MIT */
/* Giving the joblog back the lines a kill took: a job's --json record is written before its
 * joblog line, so a host killed between the two writes leaves a record without its line. On
 * --resume the --json file is the ground truth (the job does not run again), and each record the
 * joblog lacks is turned into its joblog line here, from the record's own fields. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ringfence.h"
#include "base/base.h"
#include "batch/batch.h"
#include "engine/result.h"

/* A file read line by line (constant memory). */
struct lines {
        const char *flag, *path;
        FILE *f;
        char *buf;
        size_t cap, lineno;
};

static int lines_open(struct lines *l, const char *flag, const char *path, rf_error *err)
{
        l->flag = flag;
        l->path = path;
        l->f = fopen(path, "re");
        if (!l->f && errno != ENOENT)
                return rf_error_set(err, -errno, "%s %s: %s", flag, path, rf_strerror(errno));
        return 0;
}

/* The next whole line, without its newline, in l->buf. Returns 1 with *len, 0 at the end (a last
 * line without a newline does not count: it is torn), or -errno. */
static int lines_next(struct lines *l, size_t *len, rf_error *err)
{
        ssize_t n;

        if (!l->f)
                return 0;
        errno = 0;
        n = getline(&l->buf, &l->cap, l->f);
        if (n < 0 && ferror(l->f))
                return rf_error_set(err, errno ? -errno : -EIO, "%s %s: %s", l->flag, l->path,
                                    rf_strerror(errno ? errno : EIO));
        if (n <= 0 || l->buf[n - 1] != '\n')
                return 0;
        l->buf[--n] = '\0';
        l->lineno++;
        *len = (size_t)n;
        return 1;
}

static void lines_done(struct lines *l)
{
        if (l->f)
                fclose(l->f);
        free(l->buf);
}

static int64_t int_field(json_t *o, const char *key, int64_t absent)
{
        json_t *v = json_object_get(o, key);

        return json_is_integer(v) ? (int64_t)json_integer_value(v) : absent;
}

/* "2026-11-26T07:31:01.450185Z" as microseconds since the epoch, or 0. */
static int64_t start_us(json_t *o)
{
        const char *s = json_string_value(json_object_get(o, "start"));
        struct tm tm = { 0 };
        int us = 0;

        if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%6dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                         &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &us) != 7)
                return 0;
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        return (int64_t)timegm(&tm) * 1000000 + us;
}

/* The result that a record (a --json line) describes: what its joblog line shows. */
static void record_result(json_t *o, struct engine_result *r, struct strv *argv)
{
        const char *status = json_string_value(json_object_get(o, "status"));
        int st = status ? engine_status_parse(status, strlen(status)) : -1;
        json_t *a = json_object_get(o, "argv"), *v;
        size_t i;

        memset(r, 0, sizeof(*r));
        r->status = st < 0 ? RF_STATUS_FAILED : st;
        r->exit_status = (int32_t)int_field(o, "exit_status", 0);
        r->exit_code = (int32_t)int_field(o, "exit_code", -1);
        r->signal = (int32_t)int_field(o, "signal", 0);
        r->start_unix_us = start_us(o);
        r->wall_us = (uint64_t)int_field(o, "wall_us", 0);
        r->stdout_bytes = (uint64_t)int_field(o, "stdout_bytes", 0);
        r->stderr_bytes = (uint64_t)int_field(o, "stderr_bytes", 0);
        json_array_foreach(a, i, v)
                if (json_is_string(v))
                        strv_push(argv, json_string_value(v));
        if (!argv->v)
                strv_push(argv, "");
}

/* Append the joblog line of the record line (len bytes) of --json file l. */
static int rebuild_line(struct batch_writers *w, const struct lines *l, uint64_t seq,
                        const char *line, size_t len, rf_error *err)
{
        json_error_t je;
        json_t *o = json_loadb(line, len, 0, &je);
        struct strv argv = { 0 };
        struct engine_result res;
        int r;

        if (!o)
                return rf_error_set(err, -EINVAL, "%s %s:%zu: %s, expected a result record",
                                    l->flag, l->path, l->lineno, je.text);
        record_result(o, &res, &argv);
        {
                struct batch_record rec = {
                        .seq = seq,
                        .attempt = (uint32_t)int_field(o, "attempt", 1),
                        .argv = argv.v,
                        .res = &res,
                        .extra.stdin_bytes = (uint64_t)int_field(o, "stdin_bytes", 0)
                };
                r = batch_writers_put_joblog(w, &rec, err);
        }
        json_decref(o);
        strv_done(&argv);
        return r;
}

/* Skip the joblog's header line; a joblog without one is not one to match against. */
static int skip_header(struct lines *jl, rf_error *err)
{
        size_t len;
        int r = lines_next(jl, &len, err);

        /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): set when r > 0 */
        if (r > 0 && (len + 1 != strlen(batch_joblog_header) ||
                      memcmp(jl->buf, batch_joblog_header, len) != 0))
                return rf_error_set(err, -EINVAL,
                                    "%s %s:1: not the joblog's header line, "
                                    "expected Seq, Host, ... Command separated by tabs",
                                    jl->flag, jl->path);
        return r < 0 ? r : 0;
}

/* Whether --json record seq still has its joblog line: the next line of jl in lockstep, or, once
 * the two files disagree, any line of the job (*set, loaded then). Returns 1, 0 or -errno. */
static int has_line(struct lines *jl, const char *joblog_path, bool *lockstep,
                    struct batch_done_set **set, uint64_t seq, rf_error *err)
{
        uint64_t jseq;
        bool failed;
        size_t len;
        int r;

        if (*lockstep) {
                r = lines_next(jl, &len, err);
                if (r <= 0)
                        return r;
                /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): len is set when r > 0 */
                if (batch_joblog_parse(jl->buf, len, &jseq, &failed) == 0 && jseq == seq)
                        return 1;
                *lockstep = false;
                if ((r = batch_done_load(NULL, joblog_path, set, err)) < 0)
                        return r;
        }
        return batch_done_has(*set, seq, false);
}

int batch_joblog_rebuild(const char *json_path, const char *joblog_path, struct batch_writers *w,
                         rf_error *err)
{
        struct lines jr = { 0 }, jl = { 0 };
        struct batch_done_set *set = NULL;
        bool lockstep = true, failed;
        char why[160];
        int r, n = 0;
        size_t len;

        if (!json_path || !joblog_path)
                return 0;
        if ((r = lines_open(&jr, "--json", json_path, err)) < 0 ||
            (r = lines_open(&jl, "--joblog", joblog_path, err)) < 0 ||
            (r = skip_header(&jl, err)) < 0)
                goto out;
        while ((r = lines_next(&jr, &len, err)) > 0) {
                uint64_t seq;
                /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): len is set when r > 0 */
                r = batch_record_key(jr.buf, len, &seq, &failed, why, sizeof(why));
                if (r < 0) {
                        r = rf_error_set(err, -EINVAL,
                                         "--json %s:%zu: %s, expected a result record", json_path,
                                         jr.lineno, why);
                        break;
                }
                if (r == 0)
                        continue; /* a shard's end line */
                if ((r = has_line(&jl, joblog_path, &lockstep, &set, seq, err)) < 0)
                        break;
                if (r == 0 && (r = rebuild_line(w, &jr, seq, jr.buf, len, err)) < 0)
                        break;
                n += r == 0;
        }
out:
        batch_done_free(set);
        lines_done(&jr);
        lines_done(&jl);
        return r < 0 ? r : n;
}
