/* SPDX-License-Identifier: MIT */
/* NULL-terminated string vectors (argv, envp, path lists). */
#pragma once

#include <stddef.h>

/* A growable vector of owned strings, always NULL-terminated. */
struct strv {
        char **v;
        size_t n, cap;
};

/* Append a copy of s. */
void strv_push(struct strv *sv, const char *s);
/* Append s, taking ownership of it. */
void strv_push_take(struct strv *sv, char *s);
/* Append a formatted string. */
void strv_pushf(struct strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Free every string and the vector; leaves sv empty. */
void strv_done(struct strv *sv);
/* Number of entries of a NULL-terminated vector. */
size_t strv_length(char *const *v);
