/* SPDX-License-Identifier: MIT */
/* The error object: a negative errno plus one sentence for a person. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ringfence.h"
#include "base/error.h"

void rf_error_fill(rf_error *err, int code, const char *fmt, ...)
{
        va_list ap;

        if (!err)
                return;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
}

int rf_error_prefix(rf_error *err, const char *fmt, ...)
{
        char head[sizeof(err->msg)];
        char old[sizeof(err->msg)];
        size_t n;
        va_list ap;

        if (!err)
                return 0;
        va_start(ap, fmt);
        vsnprintf(head, sizeof(head), fmt, ap);
        va_end(ap);
        memcpy(old, err->msg, sizeof(old));
        n = strlen(head);
        if (n + 2 >= sizeof(err->msg))
                n = sizeof(err->msg) - 3;
        memcpy(err->msg, head, n);
        memcpy(err->msg + n, ": ", 2);
        n += 2;
        memcpy(err->msg + n, old, sizeof(err->msg) - n - 1);
        err->msg[sizeof(err->msg) - 1] = '\0';
        return err->code;
}

const char *rf_strerror(int code)
{
        return strerror(code < 0 ? -code : code);
}
