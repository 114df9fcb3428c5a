/* SPDX-License-Identifier: MIT */
/* Parsing of sizes, durations and bounded integers, each with an error for a person. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "base/parse.h"

struct unit {
        const char *suffix;
        double mult;
};

/* Parse a non-negative decimal number followed by one of the units (or none: dflt); any_case
 * matches the units in either case. */
static int parse_scaled(const char *s, const char *what, const struct unit *units, bool any_case,
                        double dflt, const char *expected, double *ret, rf_error *err)
{
        char *end = NULL;
        double v;

        if (!s || !*s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
                goto bad;
        errno = 0;
        v = strtod(s, &end);
        if (errno || !isfinite(v) || v < 0)
                goto bad;
        if (!*end) {
                *ret = v * dflt;
                return 0;
        }
        for (const struct unit *u = units; u->suffix; u++)
                if (any_case ? !strcasecmp(end, u->suffix) : !strcmp(end, u->suffix)) {
                        *ret = v * u->mult;
                        return 0;
                }
bad:
        return rf_error_set(err, -EINVAL, "%s: invalid value '%s', expected %s", what, s ? s : "",
                            expected);
}

int parse_size(const char *s, const char *what, uint64_t *ret, rf_error *err)
{
        /* clang-format off */
        static const struct unit units[] = {
                { "B", 1 },          { "K", 1024.0 },       { "KiB", 1024.0 },
                { "M", 1048576.0 },  { "MiB", 1048576.0 },  { "G", 1073741824.0 },
                { "GiB", 1073741824.0 }, { "T", 1099511627776.0 }, { "TiB", 1099511627776.0 },
                { NULL, 0 },
        };
        /* clang-format on */
        double v;
        /* Units in either case, as ulimit, docker and systemd take them: 1g is 1G. */
        int r = parse_scaled(s, what, units, true, 1,
                             "a size such as 4096, 64K, 512M or 2G "
                             "(units B, K, M, G, T or KiB, MiB, GiB, TiB, in either case)",
                             &v, err);

        if (r < 0)
                return r;
        if (v >= 18446744073709549568.0)
                return rf_error_set(err, -ERANGE, "%s: size '%s' is too large", what, s);
        *ret = (uint64_t)v;
        return 0;
}

int parse_duration_ms(const char *s, const char *what, uint64_t *ret, rf_error *err)
{
        static const struct unit units[] = {
                { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { NULL, 0 },
        };
        double v;
        int r = parse_scaled(s, what, units, false, 1000,
                             "a duration such as 500ms, 1.5s, 2m or 1h", &v, err);

        if (r < 0)
                return r;
        if (v > 1e15)
                return rf_error_set(err, -ERANGE, "%s: duration '%s' is too long", what, s);
        /* Limits count whole milliseconds: what rounds to 0 would silently mean no limit. */
        if (v > 0 && llround(v) == 0)
                return rf_error_set(err, -EINVAL,
                                    "%s: duration '%s' is below the resolution of 1ms, "
                                    "expected at least 1ms",
                                    what, s);
        *ret = (uint64_t)llround(v);
        return 0;
}

int parse_uint(const char *s, const char *what, uint64_t min, uint64_t max, uint64_t *ret,
               rf_error *err)
{
        char *end = NULL;
        unsigned long long v;

        if (!s || !isdigit((unsigned char)s[0]))
                goto bad;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || *end || v < min || v > max)
                goto bad;
        *ret = v;
        return 0;
bad:
        return rf_error_set(err, -EINVAL,
                            "%s: invalid value '%s', expected a whole number from %llu to %llu",
                            what, s ? s : "", (unsigned long long)min, (unsigned long long)max);
}
