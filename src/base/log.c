/* SPDX-License-Identifier: MIT */
/* The log sink: one process-wide handler for the library's lines, stderr by default. */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/log.h"

/* What ringfence printed before there was a handler, byte for byte. */
static void log_stderr(int level, const char *line, void *user)
{
        (void)user;
        fprintf(stderr, level == RF_LOG_PROGRESS ? "\r\033[K%s" : "%s\n", line);
        fflush(stderr);
}

static pthread_mutex_t handler_lock = PTHREAD_MUTEX_INITIALIZER;
static rf_log_fn handler = log_stderr;
static void *handler_user;

RF_EXPORT void rf_set_log_handler(rf_log_fn fn, void *user)
{
        pthread_mutex_lock(&handler_lock);
        handler = fn ? fn : log_stderr;
        handler_user = fn ? user : NULL;
        pthread_mutex_unlock(&handler_lock);
}

void base_log_line(int level, const char *line)
{
        rf_log_fn fn;
        void *user;

        /* The pair is read together; the call is made unlocked (the handler may set another). */
        pthread_mutex_lock(&handler_lock);
        fn = handler;
        user = handler_user;
        pthread_mutex_unlock(&handler_lock);
        fn(level, line, user);
}

void base_log(int level, const char *fmt, ...)
{
        char small[512];
        _cleanup_free_ char *big = NULL; /* a line longer than small */
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(small, sizeof(small), fmt, ap);
        va_end(ap);
        if (n < 0)
                return;
        if ((size_t)n >= sizeof(small)) {
                big = xmalloc((size_t)n + 1);
                va_start(ap, fmt);
                vsnprintf(big, (size_t)n + 1, fmt, ap);
                va_end(ap);
        }
        base_log_line(level, big ? big : small);
}
