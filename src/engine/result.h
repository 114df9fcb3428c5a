/* SPDX-License-Identifier: MIT */
/* The result of one job as the layers below src/api/ keep it: the names of its statuses. */
#pragma once

#include <stddef.h>

/* The name of status (an rf_status) as records write it ("ok", "spawn-error", ...), or "unknown"
 * (result.c: the one table of status names). */
const char *engine_status_name(int status);
/* The status whose name is the n bytes at name, or -1 when no status has that name. */
int engine_status_parse(const char *name, size_t n);
