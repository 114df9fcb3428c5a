/* SPDX-License-Identifier: MIT */
/* The error object: a negative errno plus one sentence for a person. */
#pragma once

#include "ringfence.h"

/* Fill err (if not NULL) with code and a formatted message; returns code. A macro over
 * rf_error_fill so that the return value is visible where it is used: clang's analyzer, which
 * sees one file at a time, otherwise takes `return rf_error_set(err, -EINVAL, ...)` for a
 * possible success and reports every output parameter left unset on that path. */
#define rf_error_set(err, code, ...)                                                               \
        __extension__({                                                                            \
                int rf_code_ = (code);                                                             \
                rf_error_fill((err), rf_code_, __VA_ARGS__);                                       \
                rf_code_;                                                                          \
        })

/* Fill err (if not NULL) with code and a formatted message; use rf_error_set. */
void rf_error_fill(rf_error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Prepend "context: " to err's message, keeping its code; returns err's code. */
int rf_error_prefix(rf_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
