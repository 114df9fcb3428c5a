/* SPDX-License-Identifier: MIT */
/* The error object: a negative errno plus one sentence for a person. */
#pragma once

#include "ringfence.h"

/* Fill err (if not NULL) with code and a formatted message; returns code. */
int rf_error_set(rf_error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Prepend "context: " to err's message, keeping its code; returns err's code. */
int rf_error_prefix(rf_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
