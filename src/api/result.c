/* SPDX-License-Identifier: MIT */
/* Result records through the public API: the names of statuses and one JSON line per job, both
 * made below (engine/result.c, batch/record.c). */
#include "config.h"

#include <errno.h>

#include "ringfence.h"
#include "batch/record.h"
#include "engine/result.h"

RF_EXPORT const char *rf_status_name(int status)
{
        return engine_status_name(status);
}

RF_EXPORT int rf_result_to_json(const rf_result *r, uint64_t job, uint32_t attempt,
                                char *const argv[], char **ret_json)
{
        if (!r || !ret_json)
                return -EINVAL;
        *ret_json = batch_record_json(r, job, attempt, argv, NULL, false, NULL);
        return 0;
}
