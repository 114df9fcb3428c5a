/* SPDX-License-Identifier: MIT */
/* Job sources: the cross product of ::: groups, lines of a file (with and without a final
 * newline, -0, very long lines), JSON lines good and bad, and flat memory over a million jobs. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "batch/batch.h"
#include "helpers.h"

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#if defined(__SANITIZE_ADDRESS__)
/* Freed memory would wait in ASan's quarantine and look like growth to the memory test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
        return "quarantine_size_mb=0";
}
#endif

/* Write len bytes of data to a new temporary file; returns its name (free it, unlink it). */
static char *temp_file(const char *data, size_t len)
{
        const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        char *path = NULL;
        int fd;

        ck_assert_int_ge(asprintf(&path, "%s/rf-source-XXXXXX", dir), 0);
        fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
        close(fd);
        return path;
}

static struct batch_source *open_or_fail(const struct batch_source_opts *o)
{
        struct batch_source *s = NULL;
        rf_error err = { 0 };

        ck_assert_msg(batch_source_open(o, &s, &err) == 0, "open: %s", err.msg);
        return s;
}

/* Read the next job, which must exist, and check its seq. */
static void next_ok(struct batch_source *s, struct batch_input *in, uint64_t seq)
{
        rf_error err = { 0 };

        ck_assert_int_eq(batch_source_next(s, in, &err), 1);
        ck_assert_uint_eq(in->seq, seq);
}

static void next_end(struct batch_source *s)
{
        struct batch_input in;

        ck_assert_int_eq(batch_source_next(s, &in, NULL), 0);
        ck_assert_ptr_null(in.argv.v);
        ck_assert_ptr_null(in.error);
}

/* Check a NULL-terminated vector against the words of want, separated by '|'. */
static void ck_strv(const struct strv *sv, const char *want)
{
        _cleanup_free_ char *copy = xstrdup(want);
        char *save = NULL, *w = strtok_r(copy, "|", &save);
        size_t i = 0;

        for (; w; w = strtok_r(NULL, "|", &save), i++) {
                ck_assert_msg(i < sv->n, "too few words, expected '%s'", want);
                ck_assert_str_eq(sv->v[i], w);
        }
        ck_assert_msg(i == sv->n, "%zu words, expected '%s'", sv->n, want);
        ck_assert_ptr_null(sv->v[i]);
}

/* ---- ::: groups ---------------------------------------------------------------------------- */

START_TEST(cross_product_order)
{
        char *letters[] = { "a", "b", NULL }, *digits[] = { "1", "2", "3", NULL };
        char *tmpl[] = { "echo", "{1}-{2}", "{}", NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_ARGS,
                                       .groups = { letters, digits },
                                       .n_groups = 2,
                                       .template_ = tmpl };
        static const char *const want[] = { "a-1", "a-2", "a-3", "b-1", "b-2", "b-3" };
        struct batch_source *s = open_or_fail(&o);
        struct batch_input in;

        for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
                next_ok(s, &in, i + 1);
                ck_assert_str_eq(in.argv.v[1], want[i]);
                ck_assert_uint_eq(in.args.n, 2);
                ck_assert_str_eq(in.args.v[0], letters[i / 3]);
                ck_assert_str_eq(in.args.v[1], digits[i % 3]);
                /* {} is every value, each an argument of its own (GNU parallel) */
                ck_assert_uint_eq(in.argv.n, 4);
                ck_assert_str_eq(in.argv.v[2], letters[i / 3]);
                ck_assert_str_eq(in.argv.v[3], digits[i % 3]);
                batch_input_done(&in);
        }
        next_end(s);
        batch_source_free(s);
}
END_TEST

START_TEST(three_groups)
{
        char *g1[] = { "x", "y", NULL }, *g2[] = { "1", NULL }, *g3[] = { "p", "q", NULL };
        char *tmpl[] = { "{1}{2}{3}", NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_ARGS,
                                       .groups = { g1, g2, g3 },
                                       .n_groups = 3,
                                       .template_ = tmpl };
        static const char *const want[] = { "x1p", "x1q", "y1p", "y1q" };
        struct batch_source *s = open_or_fail(&o);
        struct batch_input in;

        for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
                next_ok(s, &in, i + 1);
                ck_strv(&in.argv, want[i]);
                batch_input_done(&in);
        }
        next_end(s);
        batch_source_free(s);
}
END_TEST

/* No replacement string in the template: the values are appended, one argument each. */
START_TEST(args_appended)
{
        char *files[] = { "a b.txt", NULL }, *modes[] = { "-9", NULL };
        char *tmpl[] = { "gzip", "-k", NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_ARGS,
                                       .groups = { files, modes },
                                       .n_groups = 2,
                                       .template_ = tmpl };
        struct batch_source *s = open_or_fail(&o);
        struct batch_input in;

        next_ok(s, &in, 1);
        ck_strv(&in.argv, "gzip|-k|a b.txt|-9");
        batch_input_done(&in);
        next_end(s);
        batch_source_free(s);
}
END_TEST

/* Without a template each value is a command line; several groups are joined by spaces. */
START_TEST(args_as_commands)
{
        char *cmds[] = { "echo 'x y'", "printf", "true 'open", NULL }, *more[] = { "z", NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_ARGS,
                                       .groups = { cmds, more },
                                       .n_groups = 2 };
        struct batch_source *s = open_or_fail(&o);
        struct batch_input in;

        next_ok(s, &in, 1);
        ck_strv(&in.argv, "echo|x y|z");
        ck_assert_ptr_null(in.error);
        batch_input_done(&in);
        next_ok(s, &in, 2);
        ck_strv(&in.argv, "printf|z");
        batch_input_done(&in);
        next_ok(s, &in, 3);
        ck_assert_str_eq(in.error, "input 3: unterminated ' quote, expected a closing '");
        ck_assert_ptr_nonnull(in.argv.v);
        ck_assert_ptr_null(in.argv.v[0]);
        ck_strv(&in.args, "true 'open|z");
        batch_input_done(&in);
        next_end(s);
        batch_source_free(s);
}
END_TEST

START_TEST(args_bad_groups)
{
        char *vals[] = { "a", NULL }, *none[] = { NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_ARGS };
        struct batch_source *s = NULL;
        rf_error err = { 0 };

        ck_assert_int_eq(batch_source_open(&o, &s, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "0 groups of ::: values, expected 1 to 8");
        ck_assert_ptr_null(s);
        /* an empty group: the cross product is empty */
        o.groups[0] = vals;
        o.groups[1] = none;
        o.n_groups = 2;
        s = open_or_fail(&o);
        next_end(s);
        batch_source_free(s);
}
END_TEST

/* ---- lines --------------------------------------------------------------------------------- */

/* Every value a LINES source gives for data, each in brackets ("[!]" for a job with an error). */
static char *read_values(const char *data, size_t len, bool nul)
{
        _cleanup_free_ char *path = temp_file(data, len);
        char *tmpl[] = { "echo", "{}", NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_LINES,
                                       .path = path,
                                       .nul = nul,
                                       .template_ = tmpl };
        struct batch_source *s = open_or_fail(&o);
        struct batch_input in;
        char *acc = xstrdup("");
        uint64_t seq = 0;

        for (;;) {
                char *joined = NULL;
                int r = batch_source_next(s, &in, NULL);
                ck_assert_int_ge(r, 0);
                if (r == 0)
                        break;
                ck_assert_uint_eq(in.seq, ++seq);
                ck_assert_int_ge(asprintf(&joined, "%s[%s]", acc, in.error ? "!" : in.args.v[0]),
                                 0);
                if (!in.error)
                        ck_assert_str_eq(in.argv.v[1], in.args.v[0]);
                free(acc);
                acc = joined;
                batch_input_done(&in);
        }
        batch_source_free(s);
        unlink(path);
        return acc;
}

START_TEST(lines_final_newline)
{
        _cleanup_free_ char *with = read_values("a\nb c\n\nd\n", 9, false);
        _cleanup_free_ char *without = read_values("a\nb c\n\nd", 8, false);
        _cleanup_free_ char *empty = read_values("", 0, false);
        _cleanup_free_ char *one_empty = read_values("\n", 1, false);

        ck_assert_str_eq(with, "[a][b c][][d]");
        ck_assert_str_eq(without, "[a][b c][][d]");
        ck_assert_str_eq(empty, "");
        ck_assert_str_eq(one_empty, "[]");
}
END_TEST

/* "\r\n" keeps its "\r" in the value, as GNU parallel and xargs do. */
START_TEST(lines_crlf_kept)
{
        _cleanup_free_ char *v = read_values("a\r\nb\r\n", 6, false);

        ck_assert_str_eq(v, "[a\r][b\r]");
}
END_TEST

START_TEST(lines_nul_separated)
{
        _cleanup_free_ char *v = read_values("a\nb\0c d\0\0e", 10, true);
        _cleanup_free_ char *w = read_values("x\0", 2, true);

        ck_assert_str_eq(v, "[a\nb][c d][][e]");
        ck_assert_str_eq(w, "[x]");
}
END_TEST

START_TEST(lines_nul_byte_without_0)
{
        _cleanup_free_ char *path = temp_file("ok\nbad\0x\nok\n", 12);
        char *tmpl[] = { "cat", NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_LINES, .path = path, .template_ = tmpl };
        struct batch_source *s = open_or_fail(&o);
        struct batch_input in;

        next_ok(s, &in, 1);
        ck_strv(&in.argv, "cat|ok");
        batch_input_done(&in);
        next_ok(s, &in, 2);
        ck_assert_str_eq(in.error, "input line 2: has a NUL byte, expected text (NUL-separated "
                                   "input needs -0)");
        batch_input_done(&in);
        next_ok(s, &in, 3);
        ck_assert_ptr_null(in.error);
        batch_input_done(&in);
        next_end(s);
        batch_source_free(s);
        unlink(path);
}
END_TEST

START_TEST(lines_long)
{
        const size_t big = 1 << 20;
        _cleanup_free_ char *data = xmalloc(big + 4);
        _cleanup_free_ char *path = NULL;
        char *tmpl[] = { "wc", "-c", NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_LINES, .template_ = tmpl };
        struct batch_source *s;
        struct batch_input in;

        memset(data, 'x', big);
        memcpy(data + big, "\ny\n", 3);
        path = temp_file(data, big + 3);
        o.path = path;
        s = open_or_fail(&o);
        next_ok(s, &in, 1);
        ck_assert_uint_eq(in.argv.n, 3);
        ck_assert_uint_eq(strlen(in.argv.v[2]), big);
        ck_assert_uint_eq(strspn(in.argv.v[2], "x"), big);
        batch_input_done(&in);
        next_ok(s, &in, 2);
        ck_strv(&in.argv, "wc|-c|y");
        batch_input_done(&in);
        next_end(s);
        batch_source_free(s);
        unlink(path);
}
END_TEST

/* Without a template every line is a command line; a bad one is a job with an error. */
START_TEST(lines_as_commands)
{
        static const char data[] = "echo 'a b' c\n'oops\n   \nls -l\n";
        _cleanup_free_ char *path = temp_file(data, sizeof(data) - 1);
        struct batch_source_opts o = { .kind = BATCH_INPUT_LINES, .path = path };
        struct batch_source *s = open_or_fail(&o);
        struct batch_input in;

        next_ok(s, &in, 1);
        ck_strv(&in.argv, "echo|a b|c");
        ck_strv(&in.args, "echo 'a b' c");
        batch_input_done(&in);
        next_ok(s, &in, 2);
        ck_assert_str_eq(in.error, "input line 2: unterminated ' quote, expected a closing '");
        batch_input_done(&in);
        next_ok(s, &in, 3);
        ck_assert_str_eq(in.error, "input line 3: empty command line, expected a command to run");
        batch_input_done(&in);
        next_ok(s, &in, 4);
        ck_strv(&in.argv, "ls|-l");
        ck_assert_ptr_null(in.error);
        batch_input_done(&in);
        next_end(s);
        batch_source_free(s);
        unlink(path);
}
END_TEST

START_TEST(lines_from_stdin)
{
        static const char data[] = "one\ntwo\n";
        _cleanup_free_ char *path = temp_file(data, sizeof(data) - 1);
        char *tmpl[] = { "echo", NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_LINES, .path = "-", .template_ = tmpl };
        struct batch_source *s;
        struct batch_input in;
        int fd = open(path, O_RDONLY);

        /* each test runs in its own process, so its stdin is ours to replace */
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(dup2(fd, 0), 0);
        close(fd);
        s = open_or_fail(&o);
        next_ok(s, &in, 1);
        ck_strv(&in.argv, "echo|one");
        batch_input_done(&in);
        next_ok(s, &in, 2);
        ck_strv(&in.argv, "echo|two");
        batch_input_done(&in);
        next_end(s);
        batch_source_free(s);
        ck_assert_int_ne(fcntl(0, F_GETFD), -1); /* stdin is not closed */
        unlink(path);
}
END_TEST

START_TEST(missing_file)
{
        struct batch_source_opts o = { .kind = BATCH_INPUT_LINES, .path = "/nonexistent/in.txt" };
        struct batch_source *s = NULL;
        rf_error err = { 0 };

        ck_assert_int_eq(batch_source_open(&o, &s, &err), -ENOENT);
        ck_assert_str_eq(err.msg, "cannot open input file '/nonexistent/in.txt': No such file or "
                                  "directory");
        o.kind = BATCH_INPUT_JSONL;
        o.path = "-";
        o.nul = true;
        ck_assert_int_eq(batch_source_open(&o, &s, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "JSON lines are separated by newlines, expected no NUL "
                                  "separator (-0) with them");
}
END_TEST

/* ---- JSON lines ---------------------------------------------------------------------------- */

static struct batch_source *open_jsonl(const char *data, char **tmpl, char **ret_path)
{
        struct batch_source_opts o = { .kind = BATCH_INPUT_JSONL, .template_ = tmpl };

        *ret_path = temp_file(data, strlen(data));
        o.path = *ret_path;
        return open_or_fail(&o);
}

START_TEST(jsonl_good)
{
        static const char data[] =
                "{\"argv\": [\"echo\", \"hi there\"], \"env\": {\"A\": \"1\", \"B\": \"x=y\"},"
                " \"cwd\": \"/tmp\", \"stdin\": \"in\\u0000put\\n\","
                " \"set\": {\"limit.timeout\": \"2s\", \"net\": \"none\"}}\n"
                "\n"
                "   \r\n"
                "{\"cmd\": \"printf '%s\\\\n' \\\"a b\\\"\", \"args\": [\"v\"]}\n"
                "{\"argv\": [\"true\"]}";
        _cleanup_free_ char *path = NULL;
        struct batch_source *s = open_jsonl(data, NULL, &path);
        struct batch_input in;

        next_ok(s, &in, 1);
        ck_assert_ptr_null(in.error);
        ck_strv(&in.argv, "echo|hi there");
        ck_strv(&in.env_set, "A=1|B=x=y");
        ck_assert_str_eq(in.cwd, "/tmp");
        ck_assert_uint_eq(in.stdin_len, 7);
        ck_assert_int_eq(memcmp(in.stdin_data, "in\0put\n", 7), 0);
        ck_strv(&in.settings, "limit.timeout=2s|net=none");
        ck_assert_uint_eq(in.args.n, 0);
        ck_assert_ptr_nonnull(in.args.v);
        batch_input_done(&in);
        next_ok(s, &in, 2); /* blank lines take no job number */
        ck_assert_ptr_null(in.error);
        ck_strv(&in.argv, "printf|%s\\n|a b");
        ck_strv(&in.args, "v");
        ck_assert_ptr_null(in.cwd);
        ck_assert_ptr_null(in.stdin_data);
        ck_assert_uint_eq(in.env_set.n, 0);
        batch_input_done(&in);
        next_ok(s, &in, 3);
        ck_strv(&in.argv, "true");
        batch_input_done(&in);
        next_end(s);
        batch_source_free(s);
        unlink(path);
}
END_TEST

START_TEST(jsonl_template)
{
        static const char data[] = "{\"args\": [\"x.jpg\", \"d/y.jpg\"]}\n"
                                   "{\"args\": [\"only\"], \"env\": {\"K\": \"v\"}}\n"
                                   "{\"argv\": [\"own\", \"cmd\"], \"args\": [\"z\"]}\n";
        char *tmpl[] = { "convert", "{1}", "{2//}/{2/.}.png", NULL };
        _cleanup_free_ char *path = NULL;
        struct batch_source *s = open_jsonl(data, tmpl, &path);
        struct batch_input in;

        next_ok(s, &in, 1);
        ck_strv(&in.argv, "convert|x.jpg|d/y.png");
        batch_input_done(&in);
        next_ok(s, &in, 2);
        ck_strv(&in.argv, "convert|only|./.png");
        ck_strv(&in.env_set, "K=v");
        batch_input_done(&in);
        next_ok(s, &in, 3); /* a line's own command wins over the template */
        ck_strv(&in.argv, "own|cmd");
        ck_strv(&in.args, "z");
        batch_input_done(&in);
        next_end(s);
        batch_source_free(s);
        unlink(path);
}
END_TEST

static const struct {
        const char *line, *error;
} bad_jsonl[] = {
        { "{\"argv\": \"echo hi\"}", "'argv' must be an array of strings" },
        { "{\"argv\": [\"echo\", 3]}", "'argv' must be an array of strings" },
        { "{\"argv\": [\"a\\u0000b\"]}", "'argv' must be an array of strings" },
        { "{\"argv\": []}", "'argv' is empty, expected a command and its arguments" },
        { "[\"echo\", \"hi\"]", "expected a JSON object such as {\"argv\": [\"echo\", \"hi\"]}" },
        { "{\"evn\": {}, \"argv\": [\"x\"]}",
          "unknown key 'evn', expected argv, cmd, args, env, cwd, stdin or set" },
        { "{\"argv\": [\"a\"], \"cmd\": \"a\"}", "give 'argv' or 'cmd', not both" },
        { "{\"cmd\": 5}", "'cmd' must be a string" },
        { "{\"cmd\": \"echo 'x\"}", "unterminated ' quote, expected a closing '" },
        { "{\"cmd\": \"  \"}", "'cmd' is empty, expected a command line" },
        { "{}", "no command, expected 'argv' (an array of strings) or 'cmd' (a string)" },
        { "{\"argv\": [\"x\"], \"env\": [\"A=1\"]}",
          "'env' must be an object such as {\"NAME\": \"value\"}" },
        { "{\"argv\": [\"x\"], \"env\": {\"A\": 1}}", "'env' value of 'A' must be a string" },
        { "{\"argv\": [\"x\"], \"env\": {\"A=B\": \"1\"}}",
          "'env' has the name 'A=B', expected a name without '='" },
        { "{\"argv\": [\"x\"], \"set\": {\"limit.pids\": 64}}",
          "'set' value of 'limit.pids' must be a string" },
        { "{\"argv\": [\"x\"], \"set\": \"limit.pids=64\"}",
          "'set' must be an object such as {\"limit.timeout\": \"2s\"}" },
        { "{\"argv\": [\"x\"], \"cwd\": 1}", "'cwd' must be a directory name" },
        { "{\"argv\": [\"x\"], \"stdin\": [1]}", "'stdin' must be a string" },
        { "{\"argv\": [\"x\"], \"args\": \"a\"}", "'args' must be an array of strings" },
        /* jansson's own words follow these */
        { "{\"argv\": [", "invalid JSON at column " },
        { "{\"argv\": [\"x\"]} trailing", "invalid JSON at column " },
        { "{\"argv\": [\"x\"], \"argv\": [\"y\"]}", "invalid JSON at column " },
};

/* Each bad line is a job with an error naming its line; the good line after it still runs. */
START_TEST(jsonl_bad)
{
        _cleanup_free_ char *data = NULL, *path = NULL, *want = NULL;
        struct batch_source *s;
        struct batch_input in;

        ck_assert_int_ge(asprintf(&data, "{\"argv\": [\"ok\"]}\n\n%s\n{\"argv\": [\"ok2\"]}\n",
                                  bad_jsonl[_i].line),
                         0);
        s = open_jsonl(data, NULL, &path);
        next_ok(s, &in, 1);
        ck_assert_ptr_null(in.error);
        batch_input_done(&in);
        next_ok(s, &in, 2);
        ck_assert_ptr_nonnull(in.error);
        ck_assert_int_ge(asprintf(&want, "input line 3: %s", bad_jsonl[_i].error), 0);
        ck_assert_msg(strncmp(in.error, want, strlen(want)) == 0, "got '%s', expected '%s'",
                      in.error, want);
        if (strncmp(bad_jsonl[_i].error, "invalid JSON", 12) != 0)
                ck_assert_str_eq(in.error, want);
        ck_assert_ptr_nonnull(in.argv.v);
        ck_assert_ptr_null(in.argv.v[0]);
        batch_input_done(&in);
        next_ok(s, &in, 3);
        ck_strv(&in.argv, "ok2");
        batch_input_done(&in);
        next_end(s);
        batch_source_free(s);
        unlink(path);
}
END_TEST

/* ---- reading ahead (prescan.c) ------------------------------------------------------------- */

/* ::: groups: the size of the cross product, nothing read. */
START_TEST(prescan_args_count)
{
        char *g1[] = { "a", "b", "c", NULL }, *g2[] = { "1", "2", NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_ARGS,
                                       .groups = { g1, g2 },
                                       .n_groups = 2 };
        uint64_t n = 0;

        ck_assert_int_eq(batch_source_prescan(&o, NULL, true, &n, NULL), 1);
        ck_assert_uint_eq(n, 6);
}
END_TEST

/* A file: every input counted (blank JSON lines take no job); the first bad line named. */
START_TEST(prescan_file)
{
        static const char good[] = "{\"argv\": [\"a\"]}\n\n{\"cmd\": \"b c\"}\n";
        static const char bad[] = "echo 1\necho 2\necho \"3\necho 4\n";
        _cleanup_free_ char *gp = temp_file(good, sizeof(good) - 1);
        _cleanup_free_ char *bp = temp_file(bad, sizeof(bad) - 1);
        struct batch_source_opts o = { .kind = BATCH_INPUT_JSONL, .path = gp };
        rf_error err = { 0 };
        uint64_t n = 0;

        ck_assert_int_eq(batch_source_prescan(&o, NULL, true, &n, &err), 1);
        ck_assert_uint_eq(n, 2);
        o = (struct batch_source_opts){ .kind = BATCH_INPUT_LINES, .path = bp };
        ck_assert_int_eq(batch_source_prescan(&o, NULL, true, &n, &err), -EINVAL);
        ck_assert_msg(strstr(err.msg, "input line 3: unterminated \" quote") && strstr(err.msg, bp),
                      "%s", err.msg);
        /* not stopping at bad lines: all four are counted */
        ck_assert_int_eq(batch_source_prescan(&o, NULL, false, &n, &err), 1);
        ck_assert_uint_eq(n, 4);
        unlink(gp);
        unlink(bp);
}
END_TEST

/* Standard input (and pipes) cannot be read twice: nothing is read, the count is unknown. */
START_TEST(prescan_stream)
{
        struct batch_source_opts o = { .kind = BATCH_INPUT_LINES, .path = NULL };
        uint64_t n = 99;

        ck_assert_int_eq(batch_source_prescan(&o, NULL, true, &n, NULL), 0);
        ck_assert_uint_eq(n, 99);
        /* a named pipe: not even opened (that would block) */
        _cleanup_free_ char *fifo = temp_file("", 0);
        ck_assert_int_eq(unlink(fifo), 0);
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        o.path = fifo;
        ck_assert_int_eq(batch_source_prescan(&o, NULL, true, &n, NULL), 0);
        unlink(fifo);
}
END_TEST

/* ---- memory -------------------------------------------------------------------------------- */

static long rss_kib(void)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/status", "re");
        char line[256];
        long kib = -1;

        ck_assert_ptr_nonnull(f);
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
                        break;
        ck_assert_int_ge(kib, 0);
        return kib;
}

/* A million lines through next(): memory after them is what it was after the first thousand. */
START_TEST(million_lines_flat_memory)
{
        const long n = 1000000;
        _cleanup_free_ char *path = temp_file("", 0);
        _cleanup_fclose_ FILE *f = fopen(path, "we");
        char *tmpl[] = { "gzip", "-c", "{}", "--suffix={/.}.gz", NULL };
        struct batch_source_opts o = { .kind = BATCH_INPUT_LINES, .path = path, .template_ = tmpl };
        struct batch_source *s;
        struct batch_input in;
        long before = 0, after, count = 0, errors = 0;

        ck_assert_ptr_nonnull(f);
        for (long i = 0; i < n; i++)
                fprintf(f, "dir%ld/file-%07ld.txt\n", i % 100, i);
        ck_assert_int_eq(fclose(TAKE_PTR(f)), 0);
        s = open_or_fail(&o);
        /* no ck_assert in the loop: Check writes each one to its log pipe */
        while (batch_source_next(s, &in, NULL) == 1) {
                errors += in.error != NULL || in.argv.n != 4;
                if (++count == 1000)
                        before = rss_kib();
                batch_input_done(&in);
        }
        after = rss_kib();
        batch_source_free(s);
        unlink(path);
        ck_assert_int_eq(count, n);
        ck_assert_int_eq(errors, 0);
        /* valgrind keeps freed blocks aside, so the process grows under it whatever we do */
        if (!RUNNING_ON_VALGRIND)
                ck_assert_msg(after - before < 4096, "memory grew by %ld KiB over %ld jobs",
                              after - before, n);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("batch_source");
        TCase *args = tcase_create("args");
        TCase *lines = tcase_create("lines");
        TCase *jsonl = tcase_create("jsonl");
        TCase *mem = tcase_create("memory");

        tcase_add_test(args, cross_product_order);
        tcase_add_test(args, three_groups);
        tcase_add_test(args, args_appended);
        tcase_add_test(args, args_as_commands);
        tcase_add_test(args, args_bad_groups);
        suite_add_tcase(s, args);
        tcase_add_test(lines, lines_final_newline);
        tcase_add_test(lines, lines_crlf_kept);
        tcase_add_test(lines, lines_nul_separated);
        tcase_add_test(lines, lines_nul_byte_without_0);
        tcase_add_test(lines, lines_long);
        tcase_add_test(lines, lines_as_commands);
        tcase_add_test(lines, lines_from_stdin);
        tcase_add_test(lines, missing_file);
        suite_add_tcase(s, lines);
        tcase_add_test(jsonl, jsonl_good);
        tcase_add_test(jsonl, jsonl_template);
        tcase_add_loop_test(jsonl, jsonl_bad, 0, (int)ARRAY_SIZE(bad_jsonl));
        suite_add_tcase(s, jsonl);
        tcase_add_test(jsonl, prescan_args_count);
        tcase_add_test(jsonl, prescan_file);
        tcase_add_test(jsonl, prescan_stream);
        tcase_add_test(mem, million_lines_flat_memory);
        tcase_set_timeout(mem, 120);
        suite_add_tcase(s, mem);
        return test_run_suite(s);
}
