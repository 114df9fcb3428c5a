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
                                  "64K, 512M or 2G");
        ck_assert_uint_eq(v, 7);
        ck_assert_int_eq(parse_size("-1K", "memory", &v, NULL), -EINVAL);
        ck_assert_int_eq(parse_size("12Q", "memory", &v, NULL), -EINVAL);
        ck_assert_int_eq(parse_size("", "memory", &v, NULL), -EINVAL);
        ck_assert_int_eq(parse_size("99999999999T", "memory", &v, &err), -ERANGE);
}
END_TEST

START_TEST(durations)
{
        uint64_t v = 0;
        ck_assert_int_eq(parse_duration_ms("250ms", "timeout", &v, NULL), 0);
        ck_assert_uint_eq(v, 250);
        ck_assert_int_eq(parse_duration_ms("1.5s", "timeout", &v, NULL), 0);
        ck_assert_uint_eq(v, 1500);
        ck_assert_int_eq(parse_duration_ms("2", "timeout", &v, NULL), 0);
        ck_assert_uint_eq(v, 2000);
        ck_assert_int_eq(parse_duration_ms("2m", "timeout", &v, NULL), 0);
        ck_assert_uint_eq(v, 120000);
        ck_assert_int_eq(parse_duration_ms("1h", "timeout", &v, NULL), 0);
        ck_assert_uint_eq(v, 3600000);
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
        tcase_add_test(tc, durations);
        tcase_add_test(tc, bad_durations);
        tcase_add_test(tc, integers);
        tcase_add_test(tc, error_prefix);
        suite_add_tcase(s, tc);
        return test_run_suite(s);
}
