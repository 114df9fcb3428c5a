/* SPDX-License-Identifier: MIT */
/* Units for sizes, durations and bounded integers, and the sentences their errors give. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "helpers.h"

START_TEST(sizes)
{
        uint64_t v = 0;
        ck_assert_int_eq(parse_size("4096", "memory", &v, NULL), 0);
        ck_assert_uint_eq(v, 4096);
        ck_assert_int_eq(parse_size("64K", "memory", &v, NULL), 0);
        ck_assert_uint_eq(v, 65536);
        ck_assert_int_eq(parse_size("1.5M", "memory", &v, NULL), 0);
        ck_assert_uint_eq(v, 1572864);
        ck_assert_int_eq(parse_size("2G", "memory", &v, NULL), 0);
        ck_assert_uint_eq(v, 2147483648ULL);
}
END_TEST

START_TEST(bad_sizes)
{
        rf_error err = { 0 };
        uint64_t v = 7;
        ck_assert_int_eq(parse_size("lots", "memory", &v, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "memory: invalid value 'lots', expected a size such as 4096, "
                                  "64K, 512M or 2G (units B, K, M, G, T or KiB, MiB, GiB, TiB, "
                                  "in either case)");
        ck_assert_uint_eq(v, 7);
        ck_assert_int_eq(parse_size("-1K", "memory", &v, NULL), -EINVAL);
        ck_assert_int_eq(parse_size("12Q", "memory", &v, NULL), -EINVAL);
        ck_assert_int_eq(parse_size("", "memory", &v, NULL), -EINVAL);
        ck_assert_int_eq(parse_size("99999999999T", "memory", &v, &err), -ERANGE);
}
END_TEST

/* Lowercase units mean what the capitals mean, powers of 1024, as ulimit, docker and systemd. */
START_TEST(lowercase_sizes)
{
        static const struct {
                const char *in;
                uint64_t bytes;
        } cases[] = {
                { "4k", 4096 },         { "64m", 64ULL << 20 }, { "1g", 1ULL << 30 },
                { "2t", 2ULL << 40 },   { "10b", 10 },          { "1.5m", 3ULL << 19 },
                { "8kib", 8192 },       { "3MiB", 3ULL << 20 }, { "1gib", 1ULL << 30 },
                { "1TiB", 1ULL << 40 },
        };
        rf_error err = { 0 };
        uint64_t v;

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                ck_assert_msg(parse_size(cases[i].in, "memory", &v, &err) == 0, "%s: %s",
                              cases[i].in, err.msg);
                ck_assert_uint_eq(v, cases[i].bytes);
        }
        ck_assert_int_eq(parse_size("1gb", "memory", &v, NULL), -EINVAL);
        ck_assert_int_eq(parse_size("1mb", "memory", &v, NULL), -EINVAL);
}
END_TEST

/* s parses as a duration of want milliseconds. */
static void duration_is(const char *s, uint64_t want)
{
        rf_error err = { 0 };
        uint64_t v = 0;

        ck_assert_msg(parse_duration_ms(s, "timeout", &v, &err) == 0, "%s: %s", s, err.msg);
        ck_assert_msg(v == want, "%s: %llu ms, expected %llu", s, (unsigned long long)v,
                      (unsigned long long)want);
}

START_TEST(durations)
{
        duration_is("250ms", 250);
        duration_is("1.5s", 1500);
        duration_is("2", 2000);
        duration_is("2m", 120000);
        duration_is("1h", 3600000);
}
END_TEST

START_TEST(bad_durations)
{
        rf_error err = { 0 };
        uint64_t v;
        ck_assert_int_eq(parse_duration_ms("soon", "timeout", &v, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "timeout: invalid value 'soon', expected a duration such as "
                                  "500ms, 1.5s, 2m or 1h");
        ck_assert_int_eq(parse_duration_ms("5d", "timeout", &v, NULL), -EINVAL);
        ck_assert_int_eq(parse_duration_ms("1e300", "timeout", &v, NULL), -ERANGE);
}
END_TEST

/* A duration that rounds to 0 ms would mean no limit: refused, saying the smallest one. */
START_TEST(durations_below_resolution)
{
        rf_error err = { 0 };
        uint64_t v = 7;

        ck_assert_int_eq(parse_duration_ms("0.4ms", "limit.timeout", &v, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "limit.timeout: duration '0.4ms' is below the resolution of 1ms, "
                                  "expected at least 1ms");
        ck_assert_int_eq(parse_duration_ms("0.0001", "limit.cpu-time", &v, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "limit.cpu-time: duration '0.0001' is below the resolution of "
                                  "1ms, expected at least 1ms");
        ck_assert_int_eq(parse_duration_ms("0.0000001h", "t", &v, NULL), -EINVAL);
        ck_assert_uint_eq(v, 7);
        /* half a millisecond rounds up, and an exact 0 is 0 (no limit, as "0" says) */
        duration_is("0.5ms", 1);
        duration_is("0.001", 1);
        duration_is("0s", 0);
}
END_TEST

START_TEST(integers)
{
        rf_error err = { 0 };
        uint64_t v;
        ck_assert_int_eq(parse_uint("50", "pids", 1, 100, &v, NULL), 0);
        ck_assert_uint_eq(v, 50);
        ck_assert_int_eq(parse_uint("0", "pids", 1, 100, &v, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "pids: invalid value '0', expected a whole number from 1 to 100");
        ck_assert_int_eq(parse_uint("5x", "pids", 1, 100, &v, NULL), -EINVAL);
        ck_assert_int_eq(parse_uint("-5", "pids", 0, 100, &v, NULL), -EINVAL);
}
END_TEST

START_TEST(error_prefix)
{
        rf_error err = { 0 };
        rf_error_set(&err, -ENOENT, "open %s", "x");
        ck_assert_int_eq(rf_error_prefix(&err, "job %d", 3), -ENOENT);
        ck_assert_str_eq(err.msg, "job 3: open x");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("base_parse");
        TCase *tc = tcase_create("parse");

        tcase_add_test(tc, sizes);
        tcase_add_test(tc, bad_sizes);
        tcase_add_test(tc, lowercase_sizes);
        tcase_add_test(tc, durations);
        tcase_add_test(tc, bad_durations);
        tcase_add_test(tc, durations_below_resolution);
        tcase_add_test(tc, integers);
        tcase_add_test(tc, error_prefix);
        suite_add_tcase(s, tc);
        return test_run_suite(s);
}
