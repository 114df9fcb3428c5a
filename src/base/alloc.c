/* SPDX-License-Identifier: MIT */
/* Checked allocation with overflow checks. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/log.h"

void rf_oom(void)
{
        base_log_line(RF_LOG_ERROR, "ringfence: out of memory");
        abort();
}

void *xmalloc(size_t n)
{
        void *p = malloc(n ? n : 1);
        if (!p)
                rf_oom();
        return p;
}

void *xcalloc(size_t n, size_t size)
{
        void *p = calloc(n ? n : 1, size ? size : 1);
        if (!p)
                rf_oom();
        return p;
}

void *xrealloc(void *p, size_t n)
{
        void *q = realloc(p, n ? n : 1);
        if (!q)
                rf_oom();
        return q;
}

char *xstrdup(const char *s)
{
        char *p = strdup(s);
        if (!p)
                rf_oom();
        return p;
}

void array_grow(void *arr, size_t *cap, size_t want, size_t elem)
{
        void **a = arr;
        size_t n = *cap ? *cap : 4;

        if (want <= *cap)
                return;
        while (n < want) {
                if (n > SIZE_MAX / 2)
                        rf_oom();
                n *= 2;
        }
        if (n > SIZE_MAX / elem)
                rf_oom();
        *a = xrealloc(*a, n * elem);
        memset((char *)*a + *cap * elem, 0, (n - *cap) * elem);
        *cap = n;
}
