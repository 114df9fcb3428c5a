/* SPDX-License-Identifier: MIT */
/* What every attack program of tests/hostile shares: one verdict line that the driver
 * (tests/integration/hostile.sh) reads. "blocked: WHY" when the attack failed, "ESCAPED: WHAT"
 * when it got through; the driver fails on any ESCAPED line. Header-only, static functions. */
#ifndef RF_HOSTILE_ATTACK_H
#define RF_HOSTILE_ATTACK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The errno name ("EPERM"), or "?" for a value without one. */
static inline const char *attack_errname(int e)
{
        const char *n = strerrorname_np(e);
        return n ? n : "?";
}

/* Print "blocked: ..." and flush: the attack failed, for the reason given. */
static inline void __attribute__((format(printf, 1, 2))) blocked(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        fputs("blocked: ", stdout);
        vprintf(fmt, ap);
        fputc('\n', stdout);
        fflush(stdout);
        va_end(ap);
}

/* Print "ESCAPED: ..." and flush: the attack got through. */
static inline void __attribute__((format(printf, 1, 2))) escaped(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        fputs("ESCAPED: ", stdout);
        vprintf(fmt, ap);
        fputc('\n', stdout);
        fflush(stdout);
        va_end(ap);
}

#endif
