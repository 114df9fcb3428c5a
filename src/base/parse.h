/* SPDX-License-Identifier: MIT */
/* Parsing of sizes (64M), durations (1.5s) and bounded integers, with errors for people. */
#pragma once

#include <stdint.h>

#include "ringfence.h"

/* "1024", "64K", "1.5M", "2G", "1T", units in either case ("64k"), binary multiples -> bytes.
 * what names the setting. */
int parse_size(const char *s, const char *what, uint64_t *ret, rf_error *err);
/* "250ms", "1.5s", "2m", "1h", a bare number is seconds -> milliseconds; a duration above 0
 * that rounds to 0 ms ("0.4ms") is -EINVAL. */
int parse_duration_ms(const char *s, const char *what, uint64_t *ret, rf_error *err);
/* A decimal integer in [min, max]. */
int parse_uint(const char *s, const char *what, uint64_t min, uint64_t max, uint64_t *ret,
               rf_error *err);
