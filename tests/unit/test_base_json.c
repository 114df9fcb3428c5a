/* SPDX-License-Identifier: MIT */
/* Units for the JSON writer: any bytes a command produces must make valid, displayable JSON. */
#include "config.h"

#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "helpers.h"

/* Parse text with jansson (an independent reader) and return the string at key. */
static json_t *reparse(const char *text)
{
        json_error_t e;
        json_t *v = json_loads(text, JSON_ALLOW_NUL, &e);
        ck_assert_msg(v != NULL, "invalid JSON '%s': %s", text, e.text);
        return v;
}

START_TEST(object_and_array)
{
        struct jw j = { 0 };
        json_t *v;

        jw_begin_object(&j);
        jw_uint(&j, "job", 7);
        jw_int(&j, "neg", -3);
        jw_begin_array(&j, "argv");
        jw_string(&j, NULL, "echo");
        jw_string(&j, NULL, "hi");
        jw_end_array(&j);
        jw_null(&j, "signal");
        jw_bool(&j, "ok", 1);
        jw_begin_child(&j, "sub");
        jw_string(&j, "a", "b");
        jw_end_object(&j);
        jw_end_object(&j);
        ck_assert_str_eq(j.buf, "{\"job\":7,\"neg\":-3,\"argv\":[\"echo\",\"hi\"],\"signal\":null,"
                                "\"ok\":true,\"sub\":{\"a\":\"b\"}}");
        v = reparse(j.buf);
        ck_assert_int_eq(json_integer_value(json_object_get(v, "job")), 7);
        json_decref(v);
        jw_done(&j);
}
END_TEST

START_TEST(hostile_bytes)
{
        static const char raw[] = "a\"b\\c\n\t\x01\x1b[31mred\xff\xfe\xc3\x28 ok \xe2\x82\xac";
        struct jw j = { 0 };
        json_t *v;
        const char *s;

        jw_begin_object(&j);
        jw_string_n(&j, "out", raw, sizeof(raw) - 1);
        jw_string_n(&j, "nul", "x\0y", 3);
        jw_end_object(&j);
        v = reparse(j.buf);
        s = json_string_value(json_object_get(v, "out"));
        ck_assert_ptr_nonnull(s);
        /* Escapes survive, the ESC is escaped, invalid bytes became U+FFFD, the euro sign stays. */
        ck_assert_str_eq(s, "a\"b\\c\n\t\x01\x1b[31mred\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd( ok "
                            "\xe2\x82\xac");
        ck_assert_ptr_null(strchr(j.buf, '\x1b'));
        ck_assert_uint_eq(json_string_length(json_object_get(v, "nul")), 3);
        json_decref(v);
        jw_done(&j);
}
END_TEST

START_TEST(overlong_and_surrogates)
{
        struct jw j = { 0 };
        json_t *v;

        jw_begin_object(&j);
        jw_string(&j, "a", "\xc0\xaf");         /* overlong '/' */
        jw_string(&j, "b", "\xed\xa0\x80");     /* a UTF-16 surrogate */
        jw_string(&j, "c", "\xf4\x90\x80\x80"); /* above U+10FFFF */
        jw_end_object(&j);
        v = reparse(j.buf);
        ck_assert_str_eq(json_string_value(json_object_get(v, "a")), "\xef\xbf\xbd\xef\xbf\xbd");
        ck_assert_str_eq(json_string_value(json_object_get(v, "b")),
                         "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
        json_decref(v);
        jw_done(&j);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("base_json");
        TCase *tc = tcase_create("json");

        tcase_add_test(tc, object_and_array);
        tcase_add_test(tc, hostile_bytes);
        tcase_add_test(tc, overlong_and_surrogates);
        suite_add_tcase(s, tc);
        return test_run_suite(s);
}
