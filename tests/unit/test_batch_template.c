/* SPDX-License-Identifier: MIT */
/* GNU parallel's replacement strings on many paths, and command lines split as a shell would. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "batch/batch.h"
#include "helpers.h"

/* One value, one template word, what GNU parallel gives. The expectations come from parallel(1)
 * (--rpl: {.} is s:\.[^/.]+$::, {/} s:.*\/::, {//} File::Basename's dirname) and from parallel's
 * own test suite (testsuite/wanted-results/test42 and test57). */
static const struct {
        const char *value, *word, *want;
} one_value[] = {
        /* {.} */
        { "/a/b.c", "{.}", "/a/b" },
        { "a/b.c", "{.}", "a/b" },
        { "b.c", "{.}", "b" },
        { "/a/b", "{.}", "/a/b" },
        { "b", "{.}", "b" },
        { "dir.x/file", "{.}", "dir.x/file" },
        { "sub.dir/foo.jpg", "{.}", "sub.dir/foo" },
        { "a/b.tar.gz", "{.}", "a/b.tar" },
        { "file.", "{.}", "file." },
        { ".bashrc", "{.}", "" },
        { "a/.hidden", "{.}", "a/" },
        { "", "{.}", "" },
        /* {/} */
        { "/a/b.c", "{/}", "b.c" },
        { "a/b.c", "{/}", "b.c" },
        { "b.c", "{/}", "b.c" },
        { "/a/b", "{/}", "b" },
        { "b", "{/}", "b" },
        { "a/b/", "{/}", "" },
        /* {//} */
        { "a", "{//}", "." },
        { "a/b", "{//}", "a" },
        { "a/b/c", "{//}", "a/b" },
        { "/a", "{//}", "/" },
        { "/a/b", "{//}", "/a" },
        { "./a", "{//}", "." },
        { "./a/b.jpg", "{//}", "./a" },
        { "/a.jpg", "{//}", "/" },
        { "a/b/", "{//}", "a" },
        { "a//b", "{//}", "a" },
        { "/", "{//}", "/" },
        { "", "{//}", "." },
        /* {/.} */
        { "/a/b.c", "{/.}", "b" },
        { "a/b", "{/.}", "b" },
        { "dir.x/file", "{/.}", "file" },
        { "a/b.tar.gz", "{/.}", "b.tar" },
        /* {} and {1} and their combinations, with one input source */
        { "a/b.c", "{}", "a/b.c" },
        { "a/b.c", "{1}", "a/b.c" },
        { "a/number2.c", "{1.}", "a/number2" },
        { "a/number2.c", "{1/}", "number2.c" },
        { "a/number2.c", "{1//}", "a" },
        { "a/number2.c", "{1/.}", "number2" },
        { "x", "{2}", "" },
        { "x", "{12}", "" },
        /* in the middle of a word, several times */
        { "in.wav", "--out={.}.mp3", "--out=in.mp3" },
        { "d/f.c", "{//}/obj/{/.}.o", "d/obj/f.o" },
        { "v", "{}{}", "vv" },
        /* left as they are */
        { "v", "{foo}", "{foo}" },
        { "v", "{0}", "{0}" },
        { "v", "{%}", "{%}" },
        { "v", "{ }", "{ }" },
        { "v", "{1x}", "{1x}" },
        { "v", "{", "{" },
        { "v", "}{", "}{" },
        { "v", "a{b", "a{b" },
        { "v", "{{}}", "{v}" },
        { "v", "{1234567890}", "{1234567890}" },
        { "v", "plain", "plain" },
};

START_TEST(replacement_strings)
{
        char *args[] = { (char *)one_value[_i].value, NULL };
        _cleanup_free_ char *got = batch_template_word(one_value[_i].word, args, 7);

        ck_assert_msg(strcmp(got, one_value[_i].want) == 0, "%s of '%s': got '%s', expected '%s'",
                      one_value[_i].word, one_value[_i].value, got, one_value[_i].want);
}
END_TEST

START_TEST(job_number)
{
        char *args[] = { "x", NULL };
        _cleanup_free_ char *a = batch_template_word("{#}", args, 1);
        _cleanup_free_ char *b = batch_template_word("out-{#}-{}.txt", args, 1234567890123ULL);

        ck_assert_str_eq(a, "1");
        ck_assert_str_eq(b, "out-1234567890123-x.txt");
}
END_TEST

/* Several ::: groups: {} joins the values by a space, each after its operation; {N} picks one. */
START_TEST(several_groups)
{
        static const struct {
                const char *word, *want;
        } t[] = {
                { "{}", "a.x d/b.y" }, { "{.}", "a d/b" }, { "{/}", "a.x b.y" },
                { "{//}", ". d" },     { "{1}", "a.x" },   { "{2}", "d/b.y" },
                { "{2/.}", "b" },      { "{3}", "" },      { "{1}+{2.}", "a.x+d/b" },
        };
        char *args[] = { "a.x", "d/b.y", NULL };

        for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
                _cleanup_free_ char *got = batch_template_word(t[i].word, args, 1);
                ck_assert_msg(strcmp(got, t[i].want) == 0, "%s: got '%s', expected '%s'", t[i].word,
                              got, t[i].want);
        }
}
END_TEST

/* Several ::: groups, as arguments: a replacement string without a position is one word per
 * value (GNU parallel 20221122: `printf '<%s>' x{}y ::: a ::: 'b c'` prints <xa><b cy>). */
START_TEST(several_groups_words)
{
        static const struct {
                const char *word, *want; /* the words joined by '|' */
        } t[] = {
                { "{}", "a.x|d/b y" },    { "x{}y", "xa.x|d/b yy" },
                { "{.}", "a|d/b y" },     { "{}-{/}", "a.x|d/b y-a.x|b y" },
                { "{1}{2}", "a.xd/b y" }, { "{#}", "5" },
                { "plain", "plain" },     { "{1}+{}", "a.x+a.x|d/b y" },
        };
        char *args[] = { "a.x", "d/b y", NULL };

        for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
                struct strv words = { 0 };
                char got[128] = "";
                batch_template_words(t[i].word, args, 5, &words);
                for (size_t k = 0; k < words.n; k++)
                        snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? "|" : "",
                                 words.v[k]);
                ck_assert_msg(strcmp(got, t[i].want) == 0, "%s: got '%s', expected '%s'", t[i].word,
                              got, t[i].want);
                strv_done(&words);
        }
}
END_TEST

START_TEST(no_values)
{
        _cleanup_free_ char *a = batch_template_word("[{}]", NULL, 3);
        _cleanup_free_ char *b = batch_template_word("[{1//}]", NULL, 3);

        ck_assert_str_eq(a, "[]");
        ck_assert_str_eq(b, "[.]");
}
END_TEST

START_TEST(has_replacements)
{
        char *none[] = { "echo", "a{", "{foo}", "{%}", "}", NULL };
        char *braces[] = { "echo", "{}", NULL };
        char *seq[] = { "touch", "f{#}", NULL };
        char *pos[] = { "cp", "{2/.}.bak", NULL };
        char *nested[] = { "x{{}}", NULL };
        char *empty[] = { NULL };

        ck_assert(!batch_template_has_replacements(none));
        ck_assert(!batch_template_has_replacements(empty));
        ck_assert(!batch_template_has_replacements(NULL));
        ck_assert(batch_template_has_replacements(braces));
        ck_assert(batch_template_has_replacements(seq));
        ck_assert(batch_template_has_replacements(pos));
        ck_assert(batch_template_has_replacements(nested));
}
END_TEST

/* ---- splitting ------------------------------------------------------------------------------ */

static const struct {
        const char *line;
        const char *want[8]; /* NULL-terminated */
} splits[] = {
        { "echo hello world", { "echo", "hello", "world" } },
        { "  a \t b\n c  ", { "a", "b", "c" } },
        { "", { NULL } },
        { " \t\n ", { NULL } },
        { "'a b' \"c d\"", { "a b", "c d" } },
        { "a'b'\"c\"d", { "abcd" } },
        { "\"\"", { "" } },
        { "'' x ''", { "", "x", "" } },
        { "a\\ b", { "a b" } },
        { "\\'a\\\"", { "'a\"" } },
        { "\"q\\\"b\\\\s\\$d\\`t\\xn\"", { "q\"b\\s$d`t\\xn" } },
        { "'a\\b\"c'", { "a\\b\"c" } },
        { "\"it's\"", { "it's" } },
        { "a\\\nb", { "ab" } },
        { "a \\\n b", { "a", "b" } },
        { "\"a\\\nb\"", { "ab" } },
        { "\"a\nb\"", { "a\nb" } },
        { "a|b ; c > d &", { "a|b", ";", "c", ">", "d", "&" } },
        { "echo $HOME ~ *.c `x` #c", { "echo", "$HOME", "~", "*.c", "`x`", "#c" } },
        { "a\rb", { "a\rb" } },
};

START_TEST(split_words)
{
        struct strv out = { 0 };
        size_t n = 0;

        ck_assert_int_eq(batch_split_line(splits[_i].line, &out, NULL), 0);
        while (splits[_i].want[n])
                n++;
        ck_assert_msg(out.n == n, "'%s': %zu words, expected %zu", splits[_i].line, out.n, n);
        for (size_t i = 0; i < n; i++)
                ck_assert_str_eq(out.v[i], splits[_i].want[i]);
        strv_done(&out);
}
END_TEST

static const struct {
        const char *line, *msg;
} bad_splits[] = {
        { "echo 'abc", "unterminated ' quote, expected a closing '" },
        { "'", "unterminated ' quote, expected a closing '" },
        { "echo \"abc", "unterminated \" quote, expected a closing \"" },
        { "\"abc\\\"", "unterminated \" quote, expected a closing \"" },
        { "echo abc\\", "trailing backslash, expected a character after it" },
        { "\\", "trailing backslash, expected a character after it" },
};

START_TEST(split_errors)
{
        struct strv out = { 0 };
        rf_error err = { 0 };

        strv_push(&out, "kept");
        ck_assert_int_eq(batch_split_line(bad_splits[_i].line, &out, &err), -EINVAL);
        ck_assert_int_eq(err.code, -EINVAL);
        ck_assert_str_eq(err.msg, bad_splits[_i].msg);
        /* what was there stays, nothing half-split is left behind */
        ck_assert_uint_eq(out.n, 1);
        ck_assert_str_eq(out.v[0], "kept");
        ck_assert_ptr_null(out.v[1]);
        ck_assert_int_eq(batch_split_line(bad_splits[_i].line, &out, NULL), -EINVAL);
        strv_done(&out);
}
END_TEST

START_TEST(split_appends)
{
        struct strv out = { 0 };

        ck_assert_int_eq(batch_split_line("a b", &out, NULL), 0);
        ck_assert_int_eq(batch_split_line("'c d'", &out, NULL), 0);
        ck_assert_uint_eq(out.n, 3);
        ck_assert_str_eq(out.v[2], "c d");
        ck_assert_ptr_null(out.v[3]);
        strv_done(&out);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("batch_template");
        TCase *rs = tcase_create("replacement");
        TCase *sp = tcase_create("split");

        tcase_add_loop_test(rs, replacement_strings, 0, (int)ARRAY_SIZE(one_value));
        tcase_add_test(rs, job_number);
        tcase_add_test(rs, several_groups);
        tcase_add_test(rs, several_groups_words);
        tcase_add_test(rs, no_values);
        tcase_add_test(rs, has_replacements);
        suite_add_tcase(s, rs);
        tcase_add_loop_test(sp, split_words, 0, (int)ARRAY_SIZE(splits));
        tcase_add_loop_test(sp, split_errors, 0, (int)ARRAY_SIZE(bad_splits));
        tcase_add_test(sp, split_appends);
        suite_add_tcase(s, sp);
        return test_run_suite(s);
}
