/* SPDX-License-Identifier: MIT */
/* Results through the public API: the copy between the engine's result and rf_result (whose
 * layout is ABI), the names of statuses, and one JSON line per job, both made below
 * (engine/result.c, batch/record.c). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ringfence.h"
#include "api/api.h"
#include "base/base.h"
#include "batch/record.h"
#include "engine/result.h"

/* The members that rf_result and struct engine_result share, by name: numbers and strings, and
 * those of each violation. */
/* clang-format off */
#define RESULT_NUMBERS(X)                                                                         \
        X(status) X(exit_status) X(exit_code) X(signal) X(start_unix_us) X(wall_us) X(user_us)    \
        X(sys_us) X(peak_memory) X(stdout_bytes) X(stderr_bytes) X(output_truncated)              \
        X(violations_total)
#define RESULT_STRINGS(X)                                                                         \
        X(limit) X(error) X(enforced_memory) X(enforced_pids) X(enforced_cpu) X(enforced_files)   \
        X(enforced_file_size) X(enforced_time) X(enforced_output)
/* clang-format on */
#define VIOLATION_NUMBERS(X) X(nr) X(count)
#define VIOLATION_STRINGS(X) X(syscall) X(action) X(rule)

#define COPY_NUMBER(f) d->f = s->f;
#define COPY_STRING(f) snprintf(d->f, sizeof(d->f), "%s", s->f);
#define COPY_VNUMBER(f) d->violations[i].f = s->violations[i].f;
#define COPY_VSTRING(f)                                                                            \
        snprintf(d->violations[i].f, sizeof(d->violations[i].f), "%s", s->violations[i].f);

/* Copy *s to *d (a result of either kind to one of the other): every member they share, as much
 * of each string as fits, as many violations as both hold. */
#define COPY_RESULT()                                                                              \
        do {                                                                                       \
                memset(d, 0, sizeof(*d));                                                          \
                RESULT_NUMBERS(COPY_NUMBER)                                                        \
                RESULT_STRINGS(COPY_STRING)                                                        \
                d->n_violations = s->n_violations;                                                 \
                if (d->n_violations > (int32_t)ARRAY_SIZE(d->violations))                          \
                        d->n_violations = (int32_t)ARRAY_SIZE(d->violations);                      \
                if (d->n_violations > (int32_t)ARRAY_SIZE(s->violations))                          \
                        d->n_violations = (int32_t)ARRAY_SIZE(s->violations);                      \
                for (int i = 0; i < d->n_violations; i++) {                                        \
                        VIOLATION_NUMBERS(COPY_VNUMBER)                                            \
                        VIOLATION_STRINGS(COPY_VSTRING)                                            \
                }                                                                                  \
        } while (0)

void api_result_export(rf_result *d, const struct engine_result *s)
{
        COPY_RESULT();
}

/* Fill the engine's result *d from the public *s (rf_result_to_json). */
static void result_import(struct engine_result *d, const rf_result *s)
{
        COPY_RESULT();
}

RF_EXPORT const char *rf_status_name(int status)
{
        return engine_status_name(status);
}

RF_EXPORT int rf_result_to_json(const rf_result *r, uint64_t job, uint32_t attempt,
                                char *const argv[], char **ret_json)
{
        struct engine_result er;

        if (!r || !ret_json)
                return -EINVAL;
        result_import(&er, r);
        *ret_json = batch_record_json(&er, job, attempt, argv, NULL, false, NULL);
        return 0;
}
