/* SPDX-License-Identifier: MIT */
/* The log sink: the library's lines for a person go to one handler (rf_set_log_handler), by
 * default to stderr; library code never prints any other way. */
#pragma once

#include "ringfence.h"

/* Hand the line that fmt makes (without a newline) to the log handler at level (RF_LOG_*). */
void base_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand line to the log handler at level, as it is (allocates nothing: usable when out of
 * memory). */
void base_log_line(int level, const char *line);
