/* SPDX-License-Identifier: MIT */
/* Reading a --json result record's key back (resume.c, rebuild.c): its job number, and whether
 * it failed. Every record ringfence writes comes from batch_record_json (record.c) and begins
 * {"job":N,"attempt":M,"argv":[...],"status":"S" (test_batch_results holds the writer to that),
 * so a fast path reads those fields straight from the text (a million records in a fraction of
 * a second, against about 11 s through jansson); a line that begins any other way is parsed
 * with jansson. Either way the fields are checked: a job number of 1 or more, an attempt of 1
 * or more, a status that is a string (on the fast path, one that ringfence writes), and a line
 * that closes its object. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "ringfence.h"
#include "base/base.h"
#include "batch/batch.h"
#include "batch/record.h"
#include "engine/result.h"

/* A cursor over one line. */
struct scan {
        const char *p, *end;
};

/* Consume the literal lit. */
static bool lit(struct scan *s, const char *lit)
{
        size_t n = strlen(lit);

        if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
                return false;
        s->p += n;
        return true;
}

/* Consume a JSON integer of 1 to 18 digits without a leading zero, at least 1. */
static bool positive(struct scan *s, uint64_t *ret)
{
        uint64_t v = 0;
        int n = 0;

        if (s->p < s->end && *s->p == '0')
                return false;
        for (; s->p < s->end && *s->p >= '0' && *s->p <= '9'; s->p++, n++) {
                if (n == 18)
                        return false;
                v = v * 10 + (uint64_t)(*s->p - '0');
        }
        *ret = v;
        return n > 0;
}

/* Consume a JSON string: no raw control character, and a backslash escapes what follows it. */
static bool string(struct scan *s)
{
        if (!lit(s, "\""))
                return false;
        while (s->p < s->end && *s->p != '"') {
                if ((unsigned char)*s->p < 0x20)
                        return false;
                s->p += *s->p == '\\' ? 2 : 1;
        }
        return s->p < s->end && lit(s, "\"");
}

/* Consume an array of strings, "[" already consumed. */
static bool strings(struct scan *s)
{
        if (lit(s, "]"))
                return true;
        do {
                if (!string(s))
                        return false;
        } while (lit(s, ","));
        return lit(s, "]");
}

int batch_record_key_fast(const char *line, size_t len, uint64_t *ret_seq, bool *ret_failed)
{
        struct scan s = { line, line + len };
        uint64_t job, attempt;
        const char *status;
        int st;

        if (!lit(&s, "{\"job\":") || !positive(&s, &job) || job > INT64_MAX >> 1 ||
            !lit(&s, ",\"attempt\":") || !positive(&s, &attempt) || !lit(&s, ",\"argv\":[") ||
            !strings(&s) || !lit(&s, ",\"status\":\""))
                return 0;
        status = s.p;
        while (s.p < s.end && (*s.p == '-' || (*s.p >= 'a' && *s.p <= 'z')))
                s.p++;
        st = engine_status_parse(status, (size_t)(s.p - status));
        if (st < 0 || !lit(&s, "\",") || len < 2 || line[len - 1] != '}')
                return 0;
        *ret_seq = job;
        *ret_failed = st != RF_STATUS_OK;
        return 1;
}

/* What is wrong with record v (a parsed line), or NULL; its fields go to the ret_ arguments.
 * json_object_get rather than json_unpack: it is a fifth of the time per line. */
static const char *json_fields(json_t *v, json_int_t *ret_job, const char **ret_status)
{
        json_t *job = json_object_get(v, "job"), *attempt = json_object_get(v, "attempt");
        json_t *status = json_object_get(v, "status");

        if (!json_is_object(v))
                return "not a JSON object";
        if (!json_is_integer(job) || json_integer_value(job) < 1 ||
            json_integer_value(job) > INT64_MAX >> 1)
                return "no job number (\"job\": 1 or more)";
        if (!json_is_integer(attempt) || json_integer_value(attempt) < 1)
                return "no attempt number (\"attempt\": 1 or more)";
        if (!json_is_string(status))
                return "no status (\"status\": a string)";
        *ret_job = json_integer_value(job);
        *ret_status = json_string_value(status);
        return NULL;
}

int batch_record_key(const char *line, size_t len, uint64_t *ret_seq, bool *ret_failed, char *why,
                     size_t why_len)
{
        const char *status, *what;
        json_int_t job;
        json_error_t e;
        json_t *v;

        if (batch_record_key_fast(line, len, ret_seq, ret_failed))
                return 1;
        v = json_loadb(line, len, 0, &e);
        if (!v) {
                snprintf(why, why_len, "%s", e.text);
                return -EINVAL;
        }
        if (json_is_object(v) && json_object_get(v, "shard_end")) {
                /* A shard's end line (slots.c), not a job's record. */
                json_decref(v);
                return 0;
        }
        what = json_fields(v, &job, &status);
        if (what) {
                snprintf(why, why_len, "%s", what);
        } else {
                *ret_seq = (uint64_t)job;
                *ret_failed = strcmp(status, "ok") != 0;
        }
        json_decref(v);
        return what ? -EINVAL : 1;
}
