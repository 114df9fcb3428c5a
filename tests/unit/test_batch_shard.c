/* SPDX-License-Identifier: MIT */
/* Job keys and shards (src/batch/shard.c, rf_shard_parse) and the jobserver client's reading of
 * MAKEFLAGS (src/batch/jobserver-client.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/base.h"
#include "batch/jobserver.h"
#include "batch/shard.h"
#include "helpers.h"

static uint64_t line_hash(const char *line)
{
        struct batch_input in;
        uint64_t h;

        memset(&in, 0, sizeof(in));
        strv_push(&in.args, line);
        h = batch_input_hash(&in, false, false);
        strv_done(&in.args);
        return h;
}

START_TEST(key_ignores_position)
{
        struct batch_input a, b;

        memset(&a, 0, sizeof(a));
        memset(&b, 0, sizeof(b));
        strv_push(&a.args, "x.c");
        strv_push(&b.args, "x.c");
        a.seq = 1;
        b.seq = 99;
        ck_assert_uint_eq(batch_input_hash(&a, false, true), batch_input_hash(&b, false, true));
        strv_done(&a.args);
        strv_done(&b.args);
}
END_TEST

START_TEST(key_separates_fields)
{
        struct batch_input a, b;

        memset(&a, 0, sizeof(a));
        memset(&b, 0, sizeof(b));
        strv_push(&a.args, "ab");
        strv_push(&a.args, "c");
        strv_push(&b.args, "a");
        strv_push(&b.args, "bc");
        ck_assert_uint_ne(batch_input_hash(&a, false, false), batch_input_hash(&b, false, false));
        strv_done(&a.args);
        strv_done(&b.args);
}
END_TEST

START_TEST(key_jsonl_counts_env)
{
        struct batch_input a, b;

        memset(&a, 0, sizeof(a));
        memset(&b, 0, sizeof(b));
        strv_push(&a.argv, "make");
        strv_push(&b.argv, "make");
        strv_push(&b.env_set, "CC=clang");
        ck_assert_uint_ne(batch_input_hash(&a, true, false), batch_input_hash(&b, true, false));
        /* Without JSON lines only the input values count. */
        ck_assert_uint_eq(batch_input_hash(&a, false, false), batch_input_hash(&b, false, false));
        strv_done(&a.argv);
        strv_done(&b.argv);
        strv_done(&b.env_set);
}
END_TEST

START_TEST(duplicates_get_their_own_keys)
{
        struct batch_keyset *k = batch_keyset_new();
        uint64_t h = line_hash("same"), k1 = batch_keyset_key(k, h), k2 = batch_keyset_key(k, h);
        uint64_t k3 = batch_keyset_key(k, h);
        struct batch_keyset *k_other = batch_keyset_new();

        ck_assert_uint_eq(k1, h);
        ck_assert_uint_ne(k1, k2);
        ck_assert_uint_ne(k2, k3);
        ck_assert_uint_ne(k1, k3);
        /* Another order of the input: the other lines first, the copies get the same keys. */
        (void)batch_keyset_key(k_other, line_hash("other"));
        ck_assert_uint_eq(batch_keyset_key(k_other, h), k1);
        ck_assert_uint_eq(batch_keyset_key(k_other, h), k2);
        batch_keyset_free(k);
        batch_keyset_free(k_other);
}
END_TEST

START_TEST(keyset_grows)
{
        struct batch_keyset *k = batch_keyset_new();
        char buf[32];

        for (int i = 0; i < 50000; i++) {
                snprintf(buf, sizeof(buf), "line %d", i);
                ck_assert_uint_eq(batch_keyset_key(k, line_hash(buf)), line_hash(buf));
        }
        snprintf(buf, sizeof(buf), "line %d", 1234);
        ck_assert_uint_ne(batch_keyset_key(k, line_hash(buf)), line_hash(buf));
        batch_keyset_free(k);
}
END_TEST

START_TEST(shards_split_evenly)
{
        unsigned n[7] = { 0 };
        char buf[32];

        for (int i = 0; i < 70000; i++) {
                snprintf(buf, sizeof(buf), "job-%d", i);
                uint32_t s = batch_shard_of(line_hash(buf), 7);
                ck_assert_uint_lt(s, 7);
                n[s]++;
        }
        for (int s = 0; s < 7; s++) {
                ck_assert_uint_gt(n[s], 9000);
                ck_assert_uint_lt(n[s], 11000);
        }
        ck_assert_uint_eq(batch_shard_of(UINT64_MAX, 1), 0);
}
END_TEST

static void clear_env(void)
{
        static const char *const names[] = { "SLURM_ARRAY_TASK_ID",   "SLURM_ARRAY_TASK_MIN",
                                             "SLURM_ARRAY_TASK_MAX",  "SLURM_ARRAY_TASK_COUNT",
                                             "SLURM_ARRAY_TASK_STEP", "JOB_COMPLETION_INDEX",
                                             "RINGFENCE_SHARDS" };
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                unsetenv(names[i]);
}

START_TEST(shard_spec)
{
        uint32_t i = 9, n = 9;
        rf_error e = { 0 };

        clear_env();
        ck_assert_int_eq(rf_shard_parse("2/5", 0, &i, &n, &e), 0);
        ck_assert_uint_eq(i, 2);
        ck_assert_uint_eq(n, 5);
        ck_assert_int_eq(rf_shard_parse("5/5", 0, &i, &n, &e), -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "expected I/N"));
        ck_assert_int_eq(rf_shard_parse("1/0", 0, &i, &n, &e), -EINVAL);
        ck_assert_int_eq(rf_shard_parse("-1/4", 0, &i, &n, &e), -EINVAL);
        ck_assert_int_eq(rf_shard_parse("1/4x", 0, &i, &n, &e), -EINVAL);
        ck_assert_int_eq(rf_shard_parse("auto", 0, &i, &n, &e), -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "SLURM_ARRAY_TASK_ID"));
        /* --shard I/N against --shards M: says that they disagree. */
        ck_assert_int_eq(rf_shard_parse("1/3", 4, &i, &n, &e), -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "--shard 1/3 and --shards 4 disagree"));
}
END_TEST

/* Slurm's array variables: each one set to its value, or unset for NULL. */
static void slurm_env(const char *id, const char *min, const char *max, const char *step,
                      const char *count)
{
        static const char *const names[] = { "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN",
                                             "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP",
                                             "SLURM_ARRAY_TASK_COUNT" };
        const char *values[] = { id, min, max, step, count };

        for (size_t k = 0; k < 5; k++)
                if (values[k])
                        setenv(names[k], values[k], 1);
                else
                        unsetenv(names[k]);
}

START_TEST(shard_slurm)
{
        uint32_t i = 9, n = 9;
        rf_error e = { 0 };

        clear_env();
        slurm_env("14", "10", "18", "2", NULL);
        ck_assert_int_eq(rf_shard_parse("auto", 0, &i, &n, &e), 0);
        ck_assert_uint_eq(i, 2);
        ck_assert_uint_eq(n, 5);
        slurm_env("14", NULL, NULL, NULL, "20");
        ck_assert_int_eq(rf_shard_parse("auto", 0, &i, &n, &e), 0);
        ck_assert_uint_eq(i, 14);
        ck_assert_uint_eq(n, 20);
        setenv("SLURM_ARRAY_TASK_ID", "20", 1);
        ck_assert_int_eq(rf_shard_parse("auto", 0, &i, &n, &e), -EINVAL);
        /* Task 7 run again alone (sbatch --array=7: count 1, min 7): with the number of shards
         * given it is still shard 7 of 100, by flag or by RINGFENCE_SHARDS; without, 0 of 1. */
        clear_env();
        slurm_env("7", "7", "7", NULL, "1");
        ck_assert_int_eq(rf_shard_parse("auto", 100, &i, &n, &e), 0);
        ck_assert_uint_eq(i, 7);
        ck_assert_uint_eq(n, 100);
        setenv("RINGFENCE_SHARDS", "100", 1);
        i = n = 9;
        ck_assert_int_eq(rf_shard_parse("auto", 0, &i, &n, &e), 0);
        ck_assert_uint_eq(i, 7);
        ck_assert_uint_eq(n, 100);
        unsetenv("RINGFENCE_SHARDS");
        ck_assert_int_eq(rf_shard_parse("auto", 0, &i, &n, &e), 0);
        ck_assert_uint_eq(i, 0);
        ck_assert_uint_eq(n, 1);
        /* An array numbered from 1 (--array=1-4) with 4 shards given: tasks 1, 2, 3, 4 are
         * shards 1, 2, 3, 0, each once; task 4 run again alone is shard 0 again. */
        clear_env();
        {
                unsigned seen = 0;
                for (unsigned t = 1; t <= 4; t++) {
                        char v[8];
                        snprintf(v, sizeof(v), "%u", t);
                        slurm_env(v, "1", "4", NULL, "4");
                        ck_assert_int_eq(rf_shard_parse("auto", 4, &i, &n, &e), 0);
                        ck_assert_uint_eq(n, 4);
                        ck_assert_uint_eq(i, t % 4);
                        seen |= 1u << i;
                }
                ck_assert_uint_eq(seen, 0xf);
        }
        /* With a number given, ids that span more than N numbers could hit a shard twice
         * (--array=0-3,8-11 with 8 shards: 8 and 0 are both shard 0): refused in one line that
         * says how to number them; so are more tasks than shards where only the count is
         * known. A few shards run again (--array=3,17 of 100: step 14) are accepted. */
        slurm_env("8", "0", "11", "1", "8");
        ck_assert_int_eq(rf_shard_parse("auto", 8, &i, &n, &e), -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "--array=0-7"));
        slurm_env("4", NULL, NULL, NULL, "4");
        ck_assert_int_eq(rf_shard_parse("auto", 3, &i, &n, &e), -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "--array=0-2"));
        slurm_env("17", "3", "17", "14", "2");
        ck_assert_int_eq(rf_shard_parse("auto", 100, &i, &n, &e), 0);
        ck_assert_uint_eq(i, 17);
        ck_assert_uint_eq(n, 100);
        clear_env();
}
END_TEST

START_TEST(shard_kubernetes)
{
        uint32_t i = 9, n = 9;
        rf_error e = { 0 };

        clear_env();
        setenv("JOB_COMPLETION_INDEX", "3", 1);
        ck_assert_int_eq(rf_shard_parse("auto", 0, &i, &n, &e), -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "--shards N"));
        ck_assert_int_eq(rf_shard_parse("auto", 4, &i, &n, &e), 0);
        ck_assert_uint_eq(i, 3);
        ck_assert_uint_eq(n, 4);
        setenv("RINGFENCE_SHARDS", "8", 1);
        ck_assert_int_eq(rf_shard_parse("auto", 0, &i, &n, &e), 0);
        ck_assert_uint_eq(n, 8);
        ck_assert_int_eq(rf_shard_parse("auto", 3, &i, &n, &e), -EINVAL);
        clear_env();
}
END_TEST

START_TEST(makeflags_forms)
{
        char warn[256], path[] = "/tmp/rf-js-unit.XXXXXX", fifo[64];
        struct js_client *c = NULL;
        char flags[256];
        int p[2];

        ck_assert_int_eq(js_client_open(" -j4", &c, warn, sizeof(warn)), 0);
        ck_assert_str_eq(warn, "");
        ck_assert_int_eq(js_client_open(NULL, &c, warn, sizeof(warn)), 0);
        /* Closed fds: no jobserver, and a warning that says to mark the rule with +. */
        ck_assert_int_eq(js_client_open(" -j4 --jobserver-auth=900,901", &c, warn, sizeof(warn)),
                         0);
        ck_assert_ptr_nonnull(strstr(warn, "leading +"));
        ck_assert_int_eq(js_client_open("--jobserver-auth=bogus", &c, warn, sizeof(warn)), 0);
        ck_assert_ptr_nonnull(strstr(warn, "expected fifo:PATH or R,W"));
        /* Open pipe fds: connected; the last --jobserver-auth= wins. */
        ck_assert_int_eq(pipe(p), 0);
        snprintf(flags, sizeof(flags), " -j4 --jobserver-auth=900,901 --jobserver-auth=%d,%d", p[0],
                 p[1]);
        ck_assert_int_eq(js_client_open(flags, &c, warn, sizeof(warn)), 1);
        ck_assert_int_eq(fcntl(p[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
        js_client_free(c);
        /* After "--" come the command line's variables: a value that looks like the flag is
         * not make's jobserver, nor is a word after an escaped blank. */
        snprintf(flags, sizeof(flags),
                 " -j4 --jobserver-auth=%d,%d -- X=a\\ --jobserver-auth=fifo:/etc/passwd", p[0],
                 p[1]);
        ck_assert_int_eq(js_client_open(flags, &c, warn, sizeof(warn)), 1);
        ck_assert_str_eq(warn, "");
        js_client_free(c);
        snprintf(flags, sizeof(flags), " -j4 -- X=--jobserver-auth=fifo:/etc/passwd");
        ck_assert_int_eq(js_client_open(flags, &c, warn, sizeof(warn)), 0);
        ck_assert_str_eq(warn, "");
        /* make -j2 -- '--jobserver-auth=fifo:/tmp/x=1' (a variable named so): after "--". */
        snprintf(flags, sizeof(flags),
                 " -j2 --jobserver-auth=%d,%d -- --jobserver-auth=fifo:/tmp/x=1", p[0], p[1]);
        ck_assert_int_eq(js_client_open(flags, &c, warn, sizeof(warn)), 1);
        ck_assert_str_eq(warn, "");
        js_client_free(c);
        /* make 4.1's name for it. */
        snprintf(flags, sizeof(flags), "-j --jobserver-fds=%d,%d", p[0], p[1]);
        ck_assert_int_eq(js_client_open(flags, &c, warn, sizeof(warn)), 1);
        js_client_free(c);
        close(p[0]);
        close(p[1]);
        /* The fifo form. */
        ck_assert_ptr_nonnull(mkdtemp(path));
        snprintf(fifo, sizeof(fifo), "%s/f", path);
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        snprintf(flags, sizeof(flags), " -j4 --jobserver-auth=fifo:%s", fifo);
        ck_assert_int_eq(js_client_open(flags, &c, warn, sizeof(warn)), 1);
        js_client_free(c);
        unlink(fifo);
        ck_assert_int_eq(js_client_open(flags, &c, warn, sizeof(warn)), 0);
        ck_assert_ptr_nonnull(strstr(warn, "No such file or directory"));
        rmdir(path);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("batch_shard");
        TCase *keys = tcase_create("keys"), *shards = tcase_create("shards");
        TCase *js = tcase_create("makeflags");

        tcase_add_test(keys, key_ignores_position);
        tcase_add_test(keys, key_separates_fields);
        tcase_add_test(keys, key_jsonl_counts_env);
        tcase_add_test(keys, duplicates_get_their_own_keys);
        tcase_add_test(keys, keyset_grows);
        tcase_add_test(shards, shards_split_evenly);
        tcase_add_test(shards, shard_spec);
        tcase_add_test(shards, shard_slurm);
        tcase_add_test(shards, shard_kubernetes);
        tcase_add_test(js, makeflags_forms);
        suite_add_tcase(s, keys);
        suite_add_tcase(s, shards);
        suite_add_tcase(s, js);
        return test_run_suite(s);
}
