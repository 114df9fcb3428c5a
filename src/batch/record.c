/* SPDX-License-Identifier: MIT */
/* Result records: one JSON object per job (DESIGN.md "Result record", ringfence(1)), written with
 * base/json.c; a batch's record adds its job's key and shard and the bytes on its stdin. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/base.h"
#include "batch/batch.h"
#include "batch/record.h"
#include "engine/result.h"

static void jw_str_or_null(struct jw *j, const char *key, const char *s)
{
        if (s && *s)
                jw_string(j, key, s);
        else
                jw_null(j, key);
}

static void start_time(struct jw *j, int64_t us)
{
        char buf[64];
        time_t t = (time_t)(us / 1000000);
        struct tm tm;

        gmtime_r(&t, &tm);
        snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(us % 1000000));
        jw_string(j, "start", buf);
}

static void enforced(struct jw *j, const struct engine_result *r)
{
        const struct {
                const char *key, *val;
        } e[] = {
                { "time", r->enforced_time },     { "memory", r->enforced_memory },
                { "pids", r->enforced_pids },     { "cpu-time", r->enforced_cpu },
                { "files", r->enforced_files },   { "file-size", r->enforced_file_size },
                { "output", r->enforced_output },
        };
        jw_begin_child(j, "enforced_by");
        for (size_t i = 0; i < ARRAY_SIZE(e); i++)
                if (e[i].val[0])
                        jw_string(j, e[i].key, e[i].val);
        jw_end_object(j);
}

/* How the job ended: status, exit status and code, signal, limit, error. */
static void ending(struct jw *j, const struct engine_result *r)
{
        jw_string(j, "status", engine_status_name(r->status));
        jw_int(j, "exit_status", r->exit_status);
        if (r->exit_code >= 0)
                jw_int(j, "exit_code", r->exit_code);
        else
                jw_null(j, "exit_code");
        if (r->signal) {
                const char *abbrev = sigabbrev_np(r->signal);
                jw_int(j, "signal", r->signal);
                jw_str_or_null(j, "signal_name", abbrev);
        } else {
                jw_null(j, "signal");
                jw_null(j, "signal_name");
        }
        jw_str_or_null(j, "limit", r->limit);
        jw_str_or_null(j, "error", r->error);
}

static void violations(struct jw *j, const struct engine_result *r)
{
        jw_begin_array(j, "violations");
        for (int i = 0; i < r->n_violations; i++) {
                jw_begin_object(j);
                jw_string(j, "syscall", r->violations[i].syscall);
                jw_int(j, "nr", r->violations[i].nr);
                jw_uint(j, "count", r->violations[i].count);
                jw_string(j, "action", r->violations[i].action);
                jw_string(j, "rule", r->violations[i].rule);
                jw_end_object(j);
        }
        jw_end_array(j);
        jw_uint(j, "violations_total", r->violations_total);
}

char *batch_record_json(const struct engine_result *r, uint64_t job, uint32_t attempt,
                        char *const argv[], const struct batch_record_extra *x, bool newline,
                        size_t *ret_len)
{
        struct jw j = { 0 };

        jw_begin_object(&j);
        jw_uint(&j, "job", job);
        jw_uint(&j, "attempt", attempt);
        jw_begin_array(&j, "argv");
        for (size_t i = 0; argv && argv[i]; i++)
                jw_string(&j, NULL, argv[i]);
        jw_end_array(&j);
        ending(&j, r);
        violations(&j, r);
        start_time(&j, r->start_unix_us);
        jw_uint(&j, "wall_us", r->wall_us);
        jw_uint(&j, "user_us", r->user_us);
        jw_uint(&j, "sys_us", r->sys_us);
        jw_uint(&j, "peak_memory", r->peak_memory);
        jw_uint(&j, "stdout_bytes", r->stdout_bytes);
        jw_uint(&j, "stderr_bytes", r->stderr_bytes);
        jw_bool(&j, "output_truncated", r->output_truncated);
        enforced(&j, r);
        if (x && x->key) {
                jw_string(&j, "key", x->key);
                jw_string(&j, "shard", x->shard ? x->shard : "");
        }
        if (x)
                jw_uint(&j, "stdin_bytes", x->stdin_bytes);
        jw_end_object(&j);
        if (newline)
                jw_newline(&j);
        if (ret_len)
                *ret_len = j.len;
        return j.buf;
}

char *batch_record_line(const struct batch_record *rec, size_t *ret_len)
{
        return batch_record_json(rec->res, rec->seq, rec->attempt, rec->argv, &rec->extra, true,
                                 ret_len);
}
