/* SPDX-License-Identifier: MIT */
/* Checked allocation: these never return NULL (they call rf_oom instead). */
#pragma once

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Grow *arr (of *cap elements of size elem) to hold at least want elements. */
void array_grow(void *arr, size_t *cap, size_t want, size_t elem);
