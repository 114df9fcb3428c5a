/* SPDX-License-Identifier: MIT */
/* The names of the statuses, as records write them (DESIGN.md "Result record"): one table, read
 * by the record writer, by resume's reader and by rf_status_name. */
#include "config.h"

#include <string.h>

#include "ringfence.h"
#include "engine/result.h"

static const char *const status_names[_RF_STATUS_MAX] = {
        [RF_STATUS_OK] = "ok",
        [RF_STATUS_FAILED] = "failed",
        [RF_STATUS_SIGNALED] = "signaled",
        [RF_STATUS_TIMEOUT] = "timeout",
        [RF_STATUS_VIOLATION] = "violation",
        [RF_STATUS_SPAWN_ERROR] = "spawn-error",
        [RF_STATUS_SKIPPED] = "skipped",
};

const char *engine_status_name(int status)
{
        return status >= 0 && status < _RF_STATUS_MAX ? status_names[status] : "unknown";
}

int engine_status_parse(const char *name, size_t n)
{
        for (int i = 0; i < _RF_STATUS_MAX; i++)
                if (strlen(status_names[i]) == n && memcmp(status_names[i], name, n) == 0)
                        return i;
        return -1;
}
