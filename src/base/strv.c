/* SPDX-License-Identifier: MIT */
/* NULL-terminated string vectors (argv, envp, path lists). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/strv.h"

void strv_push_take(struct strv *sv, char *s)
{
        array_grow(&sv->v, &sv->cap, sv->n + 2, sizeof(char *));
        sv->v[sv->n++] = s;
        sv->v[sv->n] = NULL;
}

void strv_push(struct strv *sv, const char *s)
{
        strv_push_take(sv, xstrdup(s));
}

void strv_pushf(struct strv *sv, const char *fmt, ...)
{
        va_list ap;
        char *s = NULL;

        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                rf_oom();
        va_end(ap);
        strv_push_take(sv, s);
}

void strv_done(struct strv *sv)
{
        for (size_t i = 0; i < sv->n; i++)
                free(sv->v[i]);
        free(sv->v);
        sv->v = NULL;
        sv->n = sv->cap = 0;
}

size_t strv_length(char *const *v)
{
        size_t n = 0;
        while (v && v[n])
                n++;
        return n;
}
