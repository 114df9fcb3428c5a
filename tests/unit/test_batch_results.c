/* SPDX-License-Identifier: MIT */
/* Units for the record writers (--json, --joblog) and resume: every status in both formats, the
 * joblog exactly as GNU parallel writes it, appending, full disks (RLIMIT_FSIZE and a 64K tmpfs)
 * leaving whole records only, torn last lines cut on load, --resume-failed, a million records,
 * and the one record writer read back by resume's fast path. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "batch/batch.h"
#include "batch/record.h"
#include "engine/result.h"
#include "helpers.h"

static char dir[64];
static char json_path[128], joblog_path[128];

static void setup(void)
{
        strcpy(dir, "/tmp/rf-results-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(json_path, sizeof(json_path), "%s/r.jsonl", dir);
        snprintf(joblog_path, sizeof(joblog_path), "%s/r.joblog", dir);
}

static void teardown(void)
{
        DIR *d = opendir(dir);
        struct dirent *e;
        char p[512];

        while (d && (e = readdir(d)))
                if (e->d_name[0] != '.') {
                        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
                        (void)unlink(p);
                }
        if (d)
                closedir(d);
        (void)rmdir(dir);
}

/* The whole file; *len its size. */
static char *slurp(const char *path, size_t *len)
{
        FILE *f = fopen(path, "rb");
        char *buf;
        long n;

        ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        rewind(f);
        buf = xmalloc((size_t)n + 1);
        ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
        buf[n] = '\0';
        fclose(f);
        *len = (size_t)n;
        return buf;
}

static void append_text(const char *path, const char *text)
{
        FILE *f = fopen(path, "ab");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

/* One result of each kind the writers must map, with seq numbers 1..N. */
static const struct sample {
        rf_status status;
        int32_t exit_status, exit_code, signal;
        const char *limit;
        const char *exitval_signal; /* the joblog's Exitval and Signal columns */
} samples[] = {
        { RF_STATUS_OK, 0, 0, 0, "", "0\t0" },
        { RF_STATUS_FAILED, 3, 3, 0, "", "3\t0" },
        { RF_STATUS_SIGNALED, 139, -1, 11, "", "0\t11" },
        { RF_STATUS_TIMEOUT, 124, -1, 15, "time", "-1\t15" },
        { RF_STATUS_SPAWN_ERROR, 127, -1, 0, "", "127\t0" },
        { RF_STATUS_SKIPPED, 0, -1, 0, "", "-2\t0" },
        { RF_STATUS_FAILED, 137, -1, 9, "memory", "-1\t9" },
        { RF_STATUS_VIOLATION, 159, -1, 31, "", "-1\t31" },
        { RF_STATUS_VIOLATION, 0, 0, 0, "", "-1\t0" },
};

/* The joblog's columns for every sample but Seq, Exitval, Signal. */
#define MIDDLE "\t:\t1700000000.123\t     1.234\t3\t7\t"

static char *const echo_argv[] = { "echo", "hi", NULL };

static struct engine_result sample_result(const struct sample *s)
{
        struct engine_result r = { 0 };

        r.status = s->status;
        r.exit_status = s->exit_status;
        r.exit_code = s->exit_code;
        r.signal = s->signal;
        snprintf(r.limit, sizeof(r.limit), "%s", s->limit);
        if (s->status == RF_STATUS_SPAWN_ERROR)
                snprintf(r.error, sizeof(r.error), "echo: not found");
        r.start_unix_us = 1700000000123999;
        r.wall_us = 1234999;
        r.stdout_bytes = 5;
        r.stderr_bytes = 2;
        return r;
}

static int put(struct batch_writers *w, uint64_t seq, uint32_t attempt,
               const struct engine_result *res, rf_error *err)
{
        struct batch_record rec = { .seq = seq,
                                    .attempt = attempt,
                                    .argv = echo_argv,
                                    .res = res,
                                    .command_line = "echo hi",
                                    .extra.stdin_bytes = 3 };
        return batch_writers_put(w, &rec, err);
}

/* Write every sample to the files that are given. */
static void write_samples(const char *json, const char *joblog, bool append)
{
        struct batch_writers *w = NULL;
        rf_error err = { 0 };

        ck_assert_int_eq(batch_writers_open(json, joblog, append, &w, &err), 0);
        for (size_t i = 0; i < ARRAY_SIZE(samples); i++) {
                struct engine_result r = sample_result(&samples[i]);
                ck_assert_int_eq(put(w, i + 1, 1, &r, &err), 0);
        }
        ck_assert_int_eq(batch_writers_close(w, &err), 0);
}

/* Whether every line of buf[0..len) ends in a newline and is a JSON object; the count. */
static size_t count_json_lines(const char *buf, size_t len)
{
        size_t n = 0;

        ck_assert_msg(len == 0 || buf[len - 1] == '\n', "file does not end at a record boundary");
        for (const char *p = buf, *nl; p < buf + len; p = nl + 1, n++) {
                json_error_t e;
                json_t *v;
                nl = memchr(p, '\n', (size_t)(buf + len - p));
                v = json_loadb(p, (size_t)(nl - p), 0, &e);
                ck_assert_msg(json_is_object(v), "line %zu: %s", n + 1, e.text);
                ck_assert_int_eq(json_integer_value(json_object_get(v, "job")), (json_int_t)n + 1);
                json_decref(v);
        }
        return n;
}

START_TEST(json_records)
{
        size_t len, i = 0;
        _cleanup_free_ char *buf = NULL;

        write_samples(json_path, NULL, false);
        buf = slurp(json_path, &len);
        ck_assert_uint_eq(count_json_lines(buf, len), ARRAY_SIZE(samples));
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"), i++) {
                const struct sample *s = &samples[i];
                json_error_t e;
                json_t *v = json_loads(line, 0, &e), *code, *sig;

                ck_assert_ptr_nonnull(v);
                ck_assert_int_eq(json_integer_value(json_object_get(v, "job")), i + 1);
                ck_assert_int_eq(json_integer_value(json_object_get(v, "attempt")), 1);
                ck_assert_str_eq(json_string_value(json_object_get(v, "status")),
                                 rf_status_name(s->status));
                ck_assert_int_eq(json_integer_value(json_object_get(v, "exit_status")),
                                 s->exit_status);
                code = json_object_get(v, "exit_code");
                sig = json_object_get(v, "signal");
                if (s->exit_code < 0)
                        ck_assert(json_is_null(code));
                else
                        ck_assert_int_eq(json_integer_value(code), s->exit_code);
                if (s->signal)
                        ck_assert_int_eq(json_integer_value(sig), s->signal);
                else
                        ck_assert(json_is_null(sig));
                ck_assert_str_eq(json_string_value(json_array_get(json_object_get(v, "argv"), 1)),
                                 "hi");
                json_decref(v);
        }
        ck_assert_uint_eq(i, ARRAY_SIZE(samples));
}
END_TEST

/* The joblog's lines compared exactly, and field by field split on tabs. */
START_TEST(joblog_records)
{
        static const char header[] =
                "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n";
        _cleanup_free_ char *buf = NULL;
        size_t len, at;

        write_samples(NULL, joblog_path, false);
        buf = slurp(joblog_path, &len);
        ck_assert_uint_ge(len, strlen(header));
        ck_assert_int_eq(memcmp(buf, header, strlen(header)), 0);
        at = strlen(header);
        for (size_t i = 0; i < ARRAY_SIZE(samples); i++) {
                char *line = buf + at, *f[10], want[128];
                size_t n = 0;

                snprintf(want, sizeof(want), "%zu" MIDDLE "%s\techo hi\n", i + 1,
                         samples[i].exitval_signal);

                ck_assert_msg(strncmp(line, want, strlen(want)) == 0, "line %zu: '%.*s', want '%s'",
                              i + 2, (int)strcspn(line, "\n"), line, want);
                at += strlen(want);
                buf[at - 1] = '\0';
                for (char *p = line; p; p = strchr(p, '\t') ? strchr(p, '\t') + 1 : NULL)
                        f[n++] = p;
                ck_assert_uint_eq(n, 9);
                ck_assert_int_eq(strtoll(f[0], NULL, 10), i + 1);
                ck_assert_int_eq(strncmp(f[1], ":\t", 2), 0);
                ck_assert_int_eq(strncmp(f[3], "     1.234\t", 11), 0);
        }
        ck_assert_uint_eq(at, len);
}
END_TEST

/* Newlines in the command become NUL bytes, as parallel writes them; tabs stay (last column). */
START_TEST(joblog_command_one_line)
{
        static char *const argv[] = { "sh", "-c", "printf 'a\tb'\necho", NULL };
        static const char want[] =
                "1\t:\t0.000\t     0.000\t0\t0\t0\t0\tsh -c printf 'a\tb'\0echo\n";
        struct batch_writers *w = NULL;
        struct engine_result r = { .status = RF_STATUS_OK };
        struct batch_record rec = { .seq = 1, .attempt = 1, .argv = argv, .res = &r };
        _cleanup_free_ char *buf = NULL;
        size_t len, hl = strlen("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\t"
                                "Signal\tCommand\n");
        struct batch_done_set *d = NULL;

        ck_assert_int_eq(batch_writers_open(NULL, joblog_path, false, &w, NULL), 0);
        ck_assert_int_eq(batch_writers_put(w, &rec, NULL), 0);
        ck_assert_int_eq(batch_writers_close(w, NULL), 0);
        buf = slurp(joblog_path, &len);
        ck_assert_uint_eq(len, hl + sizeof(want) - 1);
        ck_assert_int_eq(memcmp(buf + hl, want, sizeof(want) - 1), 0);
        ck_assert_int_eq(batch_done_load(NULL, joblog_path, &d, NULL), 0);
        ck_assert(batch_done_has(d, 1, true));
        batch_done_free(d);
}
END_TEST

START_TEST(append_keeps_one_header)
{
        _cleanup_free_ char *buf = NULL, *json = NULL;
        size_t len, n = 0;

        write_samples(json_path, joblog_path, false);
        write_samples(json_path, joblog_path, true);
        buf = slurp(joblog_path, &len);
        for (char *p = buf; (p = strstr(p, "Seq\tHost")); p++)
                n++;
        ck_assert_uint_eq(n, 1);
        n = 0;
        for (char *p = buf; (p = strchr(p, '\n')); p++)
                n++;
        ck_assert_uint_eq(n, 1 + 2 * ARRAY_SIZE(samples));
        json = slurp(json_path, &len);
        n = 0;
        for (char *p = json; (p = strchr(p, '\n')); p++)
                n++;
        ck_assert_uint_eq(n, 2 * ARRAY_SIZE(samples));
        /* Without append, a new run starts both files afresh. */
        free(buf);
        write_samples(json_path, joblog_path, false);
        buf = slurp(joblog_path, &len);
        ck_assert_int_eq(strncmp(buf, "Seq\t", 4), 0);
        ck_assert_ptr_null(strstr(buf + 1, "Seq\t"));
        n = 0;
        for (char *p = buf; (p = strchr(p, '\n')); p++)
                n++;
        ck_assert_uint_eq(n, 1 + ARRAY_SIZE(samples));
}
END_TEST

/* Put records until a write fails; returns how many went out, *ret_r the failure. */
static size_t fill(struct batch_writers *w, int *ret_r, rf_error *err)
{
        struct engine_result r = sample_result(&samples[0]);
        size_t n = 0;
        int ret = 0;

        while (n < 100000 && (ret = put(w, n + 1, 1, &r, err)) == 0)
                n++;
        *ret_r = ret;
        return n;
}

/* The records that went out are whole and valid, and resume sees exactly them. */
static void check_after_full(const char *json, size_t n_ok)
{
        struct batch_done_set *d = NULL;
        _cleanup_free_ char *buf = NULL;
        size_t len;

        buf = slurp(json, &len);
        ck_assert_uint_eq(count_json_lines(buf, len), n_ok);
        ck_assert_int_eq(batch_done_load(json, NULL, &d, NULL), 0);
        ck_assert(batch_done_has(d, n_ok, false));
        ck_assert(!batch_done_has(d, n_ok + 1, false));
        batch_done_free(d);
}

START_TEST(file_too_large_cuts_back)
{
        struct rlimit old, lim;
        struct sigaction ign = { .sa_handler = SIG_IGN }, old_sa;
        struct batch_writers *w = NULL;
        rf_error err = { 0 };
        char want[300];
        size_t n;
        int r;

        ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
        lim = old;
        lim.rlim_cur = 5000;
        ck_assert_int_eq(sigaction(SIGXFSZ, &ign, &old_sa), 0);
        ck_assert_int_eq(batch_writers_open(json_path, NULL, false, &w, &err), 0);
        ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
        n = fill(w, &r, &err);
        ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
        ck_assert_int_eq(r, -EFBIG);
        snprintf(want, sizeof(want), "--json %s: File too large", json_path);
        ck_assert_str_eq(err.msg, want);
        ck_assert_int_eq(err.code, -EFBIG);
        ck_assert_uint_gt(n, 0);
        ck_assert_int_eq(batch_writers_close(w, NULL), 0);
        check_after_full(json_path, n);
        ck_assert_int_eq(sigaction(SIGXFSZ, &old_sa, NULL), 0);
}
END_TEST

/* When the joblog cannot take a record, the JSON line written just before is taken back. */
START_TEST(joblog_failure_takes_back_json)
{
        struct rlimit old, lim;
        struct sigaction ign = { .sa_handler = SIG_IGN }, old_sa;
        struct batch_writers *w = NULL;
        struct engine_result res = sample_result(&samples[0]);
        rf_error err = { 0 };
        struct stat st;
        size_t joblog_len;
        char want[300];

        write_samples(json_path, joblog_path, false);
        ck_assert_int_eq(stat(joblog_path, &st), 0);
        joblog_len = (size_t)st.st_size;
        ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
        lim = old;
        lim.rlim_cur = joblog_len + 20; /* room for part of a joblog line; the JSON file is new */
        ck_assert_int_eq(sigaction(SIGXFSZ, &ign, &old_sa), 0);
        ck_assert_int_eq(unlink(json_path), 0);
        ck_assert_int_eq(batch_writers_open(json_path, joblog_path, true, &w, &err), 0);
        ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
        ck_assert_int_eq(put(w, 10, 1, &res, &err), -EFBIG);
        ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
        snprintf(want, sizeof(want), "--joblog %s: File too large", joblog_path);
        ck_assert_str_eq(err.msg, want);
        ck_assert_int_eq(batch_writers_close(w, NULL), 0);
        ck_assert_int_eq(stat(json_path, &st), 0);
        ck_assert_int_eq(st.st_size, 0);
        ck_assert_int_eq(stat(joblog_path, &st), 0);
        ck_assert_uint_eq((size_t)st.st_size, joblog_len);
        ck_assert_int_eq(sigaction(SIGXFSZ, &old_sa, NULL), 0);
}
END_TEST

/* A real full disk: a 64K tmpfs, mounted in a private mount namespace of a forked child so the
 * host's mounts are never touched. */
START_TEST(no_space_cuts_back)
{
        struct batch_writers *w = NULL;
        rf_error err = { 0 };
        char want[300];
        pid_t pid;
        size_t n;
        int r;

        pid = check_fork();
        ck_assert_int_ge(pid, 0);
        if (pid > 0)
                check_waitpid_and_exit(pid);
        if (unshare(CLONE_NEWNS) < 0) {
                printf("# no_space_cuts_back: unshare(CLONE_NEWNS): "
                       "%s; only the RLIMIT_FSIZE case ran\n",
                       strerror(errno));
                return;
        }
        ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
        ck_assert_int_eq(mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k"), 0);
        ck_assert_int_eq(batch_writers_open(json_path, NULL, false, &w, &err), 0);
        n = fill(w, &r, &err);
        ck_assert_int_eq(r, -ENOSPC);
        snprintf(want, sizeof(want), "--json %s: No space left on device", json_path);
        ck_assert_str_eq(err.msg, want);
        ck_assert_uint_gt(n, 10);
        ck_assert_int_eq(batch_writers_close(w, NULL), 0);
        check_after_full(json_path, n);
        ck_assert_int_eq(umount(dir), 0);
}
END_TEST

/* The host died in the middle of a write: the torn line is not a record, loading cuts it off,
 * and appending then makes a file that is valid throughout. */
START_TEST(torn_json_line)
{
        struct batch_done_set *d = NULL;
        struct batch_writers *w = NULL;
        struct engine_result res = sample_result(&samples[0]);
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        off_t whole;
        size_t len;

        write_samples(json_path, NULL, false);
        ck_assert_int_eq(stat(json_path, &st), 0);
        whole = st.st_size;
        append_text(json_path, "{\"job\":10,\"attempt\":1,\"status\":\"ok\"");
        ck_assert_int_eq(batch_done_load(json_path, NULL, &d, NULL), 0);
        ck_assert(batch_done_has(d, ARRAY_SIZE(samples), false));
        ck_assert(!batch_done_has(d, 10, false));
        batch_done_free(d);
        ck_assert_int_eq(stat(json_path, &st), 0);
        ck_assert_int_eq(st.st_size, whole);

        /* A last line that ends in a newline but is no record is torn too. */
        append_text(json_path, "{\"job\":10,\"att\n");
        ck_assert_int_eq(batch_done_load(json_path, NULL, &d, NULL), 0);
        batch_done_free(d);
        ck_assert_int_eq(stat(json_path, &st), 0);
        ck_assert_int_eq(st.st_size, whole);

        ck_assert_int_eq(batch_writers_open(json_path, NULL, true, &w, NULL), 0);
        ck_assert_int_eq(put(w, ARRAY_SIZE(samples) + 1, 1, &res, NULL), 0);
        ck_assert_int_eq(batch_writers_close(w, NULL), 0);
        buf = slurp(json_path, &len);
        ck_assert_uint_eq(count_json_lines(buf, len), ARRAY_SIZE(samples) + 1);
}
END_TEST

/* Appending without loading first also starts on a fresh line. */
START_TEST(torn_tail_cut_on_append)
{
        struct batch_writers *w = NULL;
        struct engine_result res = sample_result(&samples[0]);
        _cleanup_free_ char *buf = NULL;
        size_t len;

        write_samples(json_path, NULL, false);
        append_text(json_path, "{\"job\":10,\"attem");
        ck_assert_int_eq(batch_writers_open(json_path, NULL, true, &w, NULL), 0);
        ck_assert_int_eq(put(w, ARRAY_SIZE(samples) + 1, 1, &res, NULL), 0);
        ck_assert_int_eq(batch_writers_close(w, NULL), 0);
        buf = slurp(json_path, &len);
        ck_assert_uint_eq(count_json_lines(buf, len), ARRAY_SIZE(samples) + 1);
}
END_TEST

START_TEST(torn_joblog_line)
{
        struct batch_done_set *d = NULL;
        struct batch_writers *w = NULL;
        struct engine_result res = sample_result(&samples[0]);
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        off_t whole;
        size_t len;

        write_samples(NULL, joblog_path, false);
        ck_assert_int_eq(stat(joblog_path, &st), 0);
        whole = st.st_size;
        append_text(joblog_path, "10\t:\t1700000000.123\t   ");
        ck_assert_int_eq(batch_done_load(NULL, joblog_path, &d, NULL), 0);
        ck_assert(batch_done_has(d, 1, true));
        ck_assert(!batch_done_has(d, 10, false));
        batch_done_free(d);
        ck_assert_int_eq(stat(joblog_path, &st), 0);
        ck_assert_int_eq(st.st_size, whole);
        ck_assert_int_eq(batch_writers_open(NULL, joblog_path, true, &w, NULL), 0);
        ck_assert_int_eq(put(w, 10, 1, &res, NULL), 0);
        ck_assert_int_eq(batch_writers_close(w, NULL), 0);
        buf = slurp(joblog_path, &len);
        ck_assert_ptr_nonnull(strstr(buf, "\n10" MIDDLE "0\t0\techo hi\n"));
        ck_assert_int_eq(batch_done_load(NULL, joblog_path, &d, NULL), 0);
        ck_assert(batch_done_has(d, 10, true));
        batch_done_free(d);

        /* A joblog cut back to a torn header is empty, and gets its header again. */
        ck_assert_int_eq(truncate(joblog_path, 0), 0);
        append_text(joblog_path, "Seq\tHo");
        ck_assert_int_eq(batch_done_load(NULL, joblog_path, &d, NULL), 0);
        ck_assert(!batch_done_has(d, 1, false));
        batch_done_free(d);
        write_samples(NULL, joblog_path, true);
        free(buf);
        buf = slurp(joblog_path, &len);
        ck_assert_int_eq(strncmp(buf, "Seq\tHost\tStarttime\t", 19), 0);
}
END_TEST

/* A bad line before the last is an error that names file and line; nothing is cut. */
START_TEST(bad_middle_line)
{
        struct batch_done_set *d = NULL;
        rf_error err = { 0 };
        char want[512];
        struct stat st;
        off_t size;

        write_samples(json_path, joblog_path, false);
        append_text(json_path, "garbage\n");
        append_text(json_path, "{\"job\":20,\"attempt\":1,\"status\":\"ok\"}\n");
        ck_assert_int_eq(stat(json_path, &st), 0);
        size = st.st_size;
        ck_assert_int_eq(batch_done_load(json_path, NULL, &d, &err), -EINVAL);
        snprintf(want, sizeof(want),
                 "--json %s:%zu: '[' or '{' expected near 'garbage', expected one result record a "
                 "line (a JSON object with \"job\", \"attempt\" and \"status\")",
                 json_path, ARRAY_SIZE(samples) + 1);
        ck_assert_str_eq(err.msg, want);
        ck_assert_int_eq(stat(json_path, &st), 0);
        ck_assert_int_eq(st.st_size, size);

        append_text(joblog_path, "11\t:\tx\t1\t0\t0\t0\t0\techo\n");
        append_text(joblog_path, "12\t:\t1\t1\t0\t0\t0\t0\techo\n");
        ck_assert_int_eq(batch_done_load(NULL, joblog_path, &d, &err), -EINVAL);
        snprintf(want, sizeof(want),
                 "--joblog %s:%zu: not a joblog record, "
                 "expected the header line and then one job a line: Seq Host Starttime "
                 "JobRuntime Send Receive Exitval Signal Command, separated by tabs",
                 joblog_path, ARRAY_SIZE(samples) + 2);
        ck_assert_str_eq(err.msg, want);

        /* A JSON record without its status is no record either. */
        write_samples(json_path, NULL, false);
        append_text(json_path, "{\"job\":20,\"attempt\":1}\n"
                               "{\"job\":21,\"attempt\":1,\"status\":\"ok\"}\n");
        ck_assert_int_eq(batch_done_load(json_path, NULL, &d, &err), -EINVAL);
        snprintf(want, sizeof(want),
                 "--json %s:%zu: no status (\"status\": a string), expected one result record "
                 "a line (a JSON object with \"job\", \"attempt\" and \"status\")",
                 json_path, ARRAY_SIZE(samples) + 1);
        ck_assert_str_eq(err.msg, want);
}
END_TEST

/* --resume: every job with a record is done; --resume-failed: only those with a success. */
static void check_resume_set(const struct batch_done_set *d)
{
        static const bool failed[] = { false, true, true, true, true, true, true, true, true };

        ck_assert_uint_eq(ARRAY_SIZE(failed), ARRAY_SIZE(samples));
        for (size_t i = 0; i < ARRAY_SIZE(samples); i++) {
                ck_assert_msg(batch_done_has(d, i + 1, false), "job %zu not done", i + 1);
                ck_assert_msg(batch_done_has(d, i + 1, true) == !failed[i], "job %zu", i + 1);
        }
        /* Job 20 failed, then succeeded on a later attempt; job 30 failed twice; job 25 has a
         * success, so a later failure (a rerun by hand) does not make it run again. */
        ck_assert(batch_done_has(d, 20, true));
        ck_assert(batch_done_has(d, 25, true));
        ck_assert(batch_done_has(d, 30, false));
        ck_assert(!batch_done_has(d, 30, true));
        ck_assert(!batch_done_has(d, 0, false));
        ck_assert(!batch_done_has(d, ARRAY_SIZE(samples) + 1, false));
        ck_assert(!batch_done_has(d, UINT64_MAX, false));
}

static void write_retries(void)
{
        struct engine_result fail = sample_result(&samples[1]), ok = sample_result(&samples[0]);
        struct batch_writers *w = NULL;

        ck_assert_int_eq(batch_writers_open(json_path, joblog_path, true, &w, NULL), 0);
        ck_assert_int_eq(put(w, 20, 1, &fail, NULL), 0);
        ck_assert_int_eq(put(w, 30, 1, &fail, NULL), 0);
        ck_assert_int_eq(put(w, 20, 2, &ok, NULL), 0);
        ck_assert_int_eq(put(w, 30, 2, &fail, NULL), 0);
        ck_assert_int_eq(put(w, 25, 1, &ok, NULL), 0);
        ck_assert_int_eq(put(w, 25, 2, &fail, NULL), 0);
        ck_assert_int_eq(batch_writers_close(w, NULL), 0);
}

START_TEST(resume_sets)
{
        struct batch_done_set *d = NULL;

        write_samples(json_path, joblog_path, false);
        write_retries();
        ck_assert_int_eq(batch_done_load(json_path, NULL, &d, NULL), 0);
        check_resume_set(d);
        batch_done_free(d);
        ck_assert_int_eq(batch_done_load(NULL, joblog_path, &d, NULL), 0);
        check_resume_set(d);
        batch_done_free(d);

        /* Both given: the JSON lines decide, the joblog is still checked. */
        append_text(json_path, "{\"job\":40,\"attempt\":1,\"status\":\"ok\"}\n");
        ck_assert_int_eq(batch_done_load(json_path, joblog_path, &d, NULL), 0);
        ck_assert(batch_done_has(d, 40, true));
        batch_done_free(d);
        append_text(joblog_path, "bad\nbad\n");
        ck_assert_int_eq(batch_done_load(json_path, joblog_path, &d, NULL), -EINVAL);

        /* Missing files: nothing is done yet. */
        ck_assert_int_eq(unlink(json_path), 0);
        ck_assert_int_eq(unlink(joblog_path), 0);
        ck_assert_int_eq(batch_done_load(json_path, joblog_path, &d, NULL), 0);
        ck_assert(!batch_done_has(d, 1, false));
        batch_done_free(d);
}
END_TEST

/* Job numbers far apart are kept in a sorted array instead of a bitmap. */
START_TEST(sparse_job_numbers)
{
        static const uint64_t seqs[] = {
                1, 1000000000000, 5, 999999999999, 1000000000000, 2000000000000
        };
        struct batch_done_set *d = NULL;
        FILE *f = fopen(json_path, "w");

        ck_assert_ptr_nonnull(f);
        for (size_t i = 0; i < ARRAY_SIZE(seqs); i++)
                fprintf(f, "{\"job\":%lu,\"attempt\":%zu,\"status\":\"%s\"}\n",
                        (unsigned long)seqs[i], i + 1, i >= 4 || seqs[i] == 5 ? "failed" : "ok");
        fclose(f);
        ck_assert_int_eq(batch_done_load(json_path, NULL, &d, NULL), 0);
        ck_assert(batch_done_has(d, 1, true));
        ck_assert(batch_done_has(d, 5, false));
        ck_assert(!batch_done_has(d, 5, true));
        ck_assert(batch_done_has(d, 999999999999, true));
        ck_assert(batch_done_has(d, 1000000000000, true)); /* ok once, failed later */
        ck_assert(batch_done_has(d, 2000000000000, false));
        ck_assert(!batch_done_has(d, 2000000000000, true));
        ck_assert(!batch_done_has(d, 2, false));
        ck_assert(!batch_done_has(d, 1000000000001, false));
        batch_done_free(d);
}
END_TEST

/* ---- reading a record's key (recscan.c) ----------------------------------------------------- */

/* clang-format off */
static const struct key_case {
        const char *line;
        int r;          /* 1 (a record), 0 (a shard's end line) or -EINVAL */
        uint64_t seq;
        bool failed;
} key_cases[] = {
        /* as ringfence writes them: the fast path */
        { "{\"job\":7,\"attempt\":1,\"argv\":[\"echo\",\"a\"],\"status\":\"ok\",\"x\":1}",
          1, 7, false },
        { "{\"job\":12,\"attempt\":3,\"argv\":[\"a\\\"]\",\"b\\\\\"],"
          "\"status\":\"timeout\",\"x\":1}", 1, 12, true },
        { "{\"job\":1,\"attempt\":1,\"argv\":[],\"status\":\"skipped\",\"x\":null}", 1, 1, true },
        /* other layouts and statuses: jansson */
        { "{ \"status\": \"ok\", \"attempt\": 2, \"job\": 5 }", 1, 5, false },
        { "{\"job\":9,\"attempt\":1,\"argv\":[],\"status\":\"weird\",\"x\":1}", 1, 9, true },
        /* checked either way */
        { "{\"job\":0,\"attempt\":1,\"argv\":[],\"status\":\"ok\",\"x\":1}", -EINVAL, 0, false },
        { "{\"job\":3,\"attempt\":0,\"argv\":[],\"status\":\"ok\",\"x\":1}", -EINVAL, 0, false },
        { "{\"job\":3,\"attempt\":1,\"argv\":[],\"status\":\"ok\",\"x\":1", -EINVAL, 0, false },
        { "{\"job\":3,\"attempt\":1,\"argv\":[\"a\tb\"],\"status\":\"ok\",\"x\":1}",
          -EINVAL, 0, false },
        { "{\"job\":3,\"attempt\":1,\"argv\":[\"a\\", -EINVAL, 0, false },
        { "{\"job\":3,\"attempt\":1,\"status\":7}", -EINVAL, 0, false },
        { "[1, 2]", -EINVAL, 0, false },
        /* a shard's end line is no job's record */
        { "{\"shard_end\":{\"shard\":\"0/2\",\"input_jobs\":4,\"shard_jobs\":2}}", 0, 0, false },
        { "", -EINVAL, 0, false },
};
/* clang-format on */

START_TEST(record_key)
{
        const struct key_case *c = &key_cases[_i];
        uint64_t seq = 0;
        bool failed = false;
        char why[160] = "";
        int r = batch_record_key(c->line, strlen(c->line), &seq, &failed, why, sizeof(why));

        ck_assert_msg(r == c->r, "%s: returned %d (%s), expected %d", c->line, r, why, c->r);
        if (r == 1)
                ck_assert_msg(seq == c->seq && failed == c->failed, "%s: job %lu failed %d",
                              c->line, (unsigned long)seq, failed);
        else if (r < 0)
                ck_assert_msg(why[0], "%s: no reason given", c->line);
}
END_TEST

/* ---- the record writer against recscan's fast path (record.c, recscan.c) ------------------ */

/* Commands whose words try to end the argv array or a string early. */
static char *const cmd_plain[] = { "echo", "hi", NULL };
static char *const cmd_none[] = { NULL };
static char *const cmd_tricky[] = { "a\"],\"status\":\"ok\",",    "c\\",     "\\\"", "\x01\t\n\x7f",
                                    "\xff\xfe \xc3\xa9 \xe2\x82", "[\"x\"]", "",     NULL };
static char *const *const cmds[] = { cmd_plain, cmd_none, cmd_tricky };

/* A result of status st with every member the writer has set (one field combination of many). */
static struct engine_result full_result(int st, int k)
{
        struct engine_result r = { .status = st,
                                   .exit_status = k % 2 ? 137 : 0,
                                   .exit_code = k % 3 ? -1 : 3,
                                   .signal = k % 2 ? 9 : 0 };

        snprintf(r.limit, sizeof(r.limit), "%s", k % 4 == 1 ? "memory" : "");
        snprintf(r.error, sizeof(r.error), "%s", k % 5 == 2 ? "exec \"x\": No such file" : "");
        r.start_unix_us = 1700000000123456 + k;
        r.wall_us = r.user_us = r.sys_us = (uint64_t)k * 1000;
        r.peak_memory = r.stdout_bytes = r.stderr_bytes = (uint64_t)k << 20;
        r.output_truncated = k % 2;
        r.n_violations = k % 3;
        r.violations_total = (uint32_t)k;
        for (int i = 0; i < r.n_violations; i++) {
                snprintf(r.violations[i].syscall, sizeof(r.violations[i].syscall), "ptrace");
                snprintf(r.violations[i].action, sizeof(r.violations[i].action), "kill");
                snprintf(r.violations[i].rule, sizeof(r.violations[i].rule), "p: \"}\"");
                r.violations[i].nr = 101;
                r.violations[i].count = 2;
        }
        snprintf(r.enforced_memory, sizeof(r.enforced_memory), "%s", k % 2 ? "cgroup-v2" : "");
        snprintf(r.enforced_time, sizeof(r.enforced_time), "%s", k % 3 ? "host" : "");
        return r;
}

/* What jansson makes of a word of cmd_tricky[4]: each byte that is not UTF-8 becomes U+FFFD. */
#define TRICKY_4_READ "\xef\xbf\xbd\xef\xbf\xbd \xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd"

/* Check one written record: the fast path reads it (job, and failed unless ok), batch_record_key
 * agrees, and jansson finds job, attempt, status and argv as written. */
static void check_written(const char *line, size_t len, int st, uint64_t job, uint32_t attempt,
                          char *const *argv)
{
        uint64_t seq = 0;
        bool failed = false;
        char why[160] = "";
        json_error_t e;
        json_t *v = json_loadb(line, len, 0, &e), *a = json_object_get(v, "argv");
        size_t n = 0;

        ck_assert_msg(batch_record_key_fast(line, len, &seq, &failed) == 1,
                      "not on the fast path: %.*s", (int)len, line);
        ck_assert_msg(seq == job && failed == (st != RF_STATUS_OK), "%.*s: read job %lu failed %d",
                      (int)len, line, (unsigned long)seq, failed);
        ck_assert_int_eq(batch_record_key(line, len, &seq, &failed, why, sizeof(why)), 1);
        ck_assert(seq == job && failed == (st != RF_STATUS_OK));
        ck_assert_msg(json_is_object(v), "%s: %.*s", e.text, (int)len, line);
        ck_assert_uint_eq((uint64_t)json_integer_value(json_object_get(v, "job")), job);
        ck_assert_int_eq(json_integer_value(json_object_get(v, "attempt")), attempt);
        ck_assert_str_eq(json_string_value(json_object_get(v, "status")), engine_status_name(st));
        for (; argv[n]; n++)
                ck_assert_str_eq(json_string_value(json_array_get(a, n)),
                                 argv[n] == cmd_tricky[4] ? TRICKY_4_READ : argv[n]);
        ck_assert_uint_eq(json_array_size(a), n);
        json_decref(v);
}

/* Write result r of job number job (x: a batch's extras, or NULL) with and without its newline,
 * and read the record back. */
static void write_read(const struct engine_result *r, uint64_t job, uint32_t attempt,
                       char *const *argv, const struct batch_record_extra *x)
{
        size_t len, len_nl;
        _cleanup_free_ char *line = batch_record_json(r, job, attempt, argv, x, false, &len);
        _cleanup_free_ char *nl = batch_record_json(r, job, attempt, argv, x, true, &len_nl);

        ck_assert_uint_eq(len, strlen(line));
        ck_assert_uint_eq(len_nl, len + 1);
        ck_assert(memcmp(line, nl, len) == 0 && nl[len] == '\n');
        check_written(line, len, r->status, job, attempt, argv);
}

/* Each status (one per loop index), with many field combinations, commands, job numbers and
 * batch extras: whatever batch_record_json writes, recscan.c's fast path reads back exactly (its
 * field order is the writer's). */
START_TEST(record_writer_fast_path)
{
        static const uint64_t jobs[] = { 1, 42, 999999999999999999 };
        static const struct batch_record_extra extras[] = {
                { 0 },
                { .stdin_bytes = 17 },
                { .key = "0123456789abcdef", .shard = "3/8" },
                { .key = "fedcba9876543210", .stdin_bytes = 1 },
        };
        int k = 0;

        for (size_t c = 0; c < ARRAY_SIZE(cmds); c++)
                for (size_t i = 0; i < ARRAY_SIZE(jobs); i++)
                        for (size_t x = 0; x <= ARRAY_SIZE(extras); x++, k++) {
                                struct engine_result r = full_result(_i, k);
                                write_read(&r, jobs[i], (uint32_t)(k % 3 + 1), cmds[c],
                                           x < ARRAY_SIZE(extras) ? &extras[x] : NULL);
                        }
}
END_TEST

/* A status the writer does not know is written "unknown", which the fast path leaves to jansson
 * (a failed job, then). */
START_TEST(record_unknown_status)
{
        struct engine_result r = full_result(_RF_STATUS_MAX, 3);
        size_t len;
        _cleanup_free_ char *line = batch_record_json(&r, 5, 1, cmd_plain, NULL, false, &len);
        uint64_t seq = 0;
        bool failed = false;
        char why[160] = "";

        ck_assert_ptr_nonnull(strstr(line, "\"status\":\"unknown\""));
        ck_assert_int_eq(batch_record_key_fast(line, len, &seq, &failed), 0);
        ck_assert_int_eq(batch_record_key(line, len, &seq, &failed, why, sizeof(why)), 1);
        ck_assert(seq == 5 && failed);
}
END_TEST

/* A batch's record (batch_record_line, what --json and record.json hold): the result's members,
 * then key and shard with shards, then stdin_bytes, and the newline. */
START_TEST(record_line_extras)
{
        struct engine_result r = sample_result(&samples[0]);
        struct batch_record rec = { .seq = 3,
                                    .attempt = 2,
                                    .argv = echo_argv,
                                    .res = &r,
                                    .extra.stdin_bytes = 9 };
        size_t len;
        char *line = batch_record_line(&rec, &len);
        const char *tail = "\"output_truncated\":false,\"enforced_by\":{},\"stdin_bytes\":9}\n";

        ck_assert_uint_gt(len, strlen(tail));
        ck_assert_str_eq(line + len - strlen(tail), tail);
        free(line);
        rec.extra.key = "00000000000000ff";
        line = batch_record_line(&rec, &len);
        tail = "{},\"key\":\"00000000000000ff\",\"shard\":\"\",\"stdin_bytes\":9}\n";
        ck_assert_str_eq(line + len - strlen(tail), tail);
        free(line);
        rec.extra.shard = "1/4";
        line = batch_record_line(&rec, &len);
        tail = "\"key\":\"00000000000000ff\",\"shard\":\"1/4\",\"stdin_bytes\":9}\n";
        ck_assert_str_eq(line + len - strlen(tail), tail);
        free(line);
}
END_TEST

/* ---- rebuilding lost joblog lines (rebuild.c) ---------------------------------------------- */

/* Keep the first keep lines of path (header included). */
static void keep_lines(const char *path, size_t keep)
{
        size_t len, at = 0;
        _cleanup_free_ char *buf = slurp(path, &len);

        for (size_t i = 0; i < keep && at < len; i++)
                at = (size_t)(strchr(buf + at, '\n') - buf) + 1;
        ck_assert_int_eq(truncate(path, (off_t)at), 0);
}

/* Open the writers to append (as --resume does), rebuild, close; the number of lines rebuilt. */
static int rebuild(void)
{
        struct batch_writers *w = NULL;
        rf_error err = { 0 };
        int n;

        ck_assert_int_eq(batch_writers_open(json_path, joblog_path, true, &w, &err), 0);
        n = batch_joblog_rebuild(json_path, joblog_path, w, &err);
        ck_assert_msg(n >= 0, "rebuild: %s", err.msg);
        ck_assert_int_eq(batch_writers_close(w, &err), 0);
        return n;
}

/* Lines lost at the end (a kill between the two writes), or the whole joblog: rebuilt from the
 * --json records, byte for byte what was lost; a second rebuild finds nothing to do. */
START_TEST(rebuild_lost_lines)
{
        size_t want_len, got_len;
        _cleanup_free_ char *want = NULL, *got = NULL;

        write_samples(json_path, joblog_path, false);
        want = slurp(joblog_path, &want_len);
        keep_lines(joblog_path, 1 + ARRAY_SIZE(samples) - 2);
        ck_assert_int_eq(rebuild(), 2);
        got = slurp(joblog_path, &got_len);
        ck_assert_str_eq(got, want);
        ck_assert_int_eq(rebuild(), 0);
        free(got);
        ck_assert_int_eq(unlink(joblog_path), 0);
        ck_assert_int_eq(rebuild(), (int)ARRAY_SIZE(samples));
        got = slurp(joblog_path, &got_len);
        ck_assert_str_eq(got, want);
}
END_TEST

/* A job run again (--resume-failed) has two records; losing the second's line is found by
 * matching the files in order, not by job number. */
START_TEST(rebuild_second_attempt)
{
        size_t len;
        _cleanup_free_ char *want = NULL, *got = NULL;

        write_samples(json_path, joblog_path, false);
        write_samples(json_path, joblog_path, true);
        want = slurp(joblog_path, &len);
        keep_lines(joblog_path, 1 + 2 * ARRAY_SIZE(samples) - 1);
        ck_assert_int_eq(rebuild(), 1);
        got = slurp(joblog_path, &len);
        ck_assert_str_eq(got, want);
}
END_TEST

/* Files that disagree in order (written by other means): a record whose job has no joblog line
 * at all gets one; jobs with lines are left alone. */
START_TEST(rebuild_out_of_order)
{
        size_t len;
        uint64_t seq;
        bool failed;
        int count[ARRAY_SIZE(samples) + 1] = { 0 };
        _cleanup_free_ char *buf = NULL;

        write_samples(json_path, joblog_path, false);
        /* the joblog: header, the line of job 3, then job 1's */
        buf = slurp(joblog_path, &len);
        {
                char *l1 = strchr(buf, '\n') + 1, *l2 = strchr(l1, '\n') + 1;
                char *l3 = strchr(l2, '\n') + 1, *l4 = strchr(l3, '\n') + 1;
                FILE *f = fopen(joblog_path, "w");
                ck_assert_ptr_nonnull(f);
                fwrite(buf, 1, (size_t)(l1 - buf), f);
                fwrite(l3, 1, (size_t)(l4 - l3), f);
                fwrite(l1, 1, (size_t)(l2 - l1), f);
                fclose(f);
        }
        free(buf);
        ck_assert_int_eq(rebuild(), (int)ARRAY_SIZE(samples) - 2);
        buf = slurp(joblog_path, &len);
        for (char *p = strchr(buf, '\n') + 1, *nl; *p; p = nl + 1) {
                nl = strchr(p, '\n');
                ck_assert_int_eq(batch_joblog_parse(p, (size_t)(nl - p), &seq, &failed), 0);
                ck_assert_uint_le(seq, ARRAY_SIZE(samples));
                count[seq]++;
        }
        for (size_t i = 1; i <= ARRAY_SIZE(samples); i++)
                ck_assert_msg(count[i] == 1, "job %zu has %d joblog lines", i, count[i]);
}
END_TEST

static double now(void)
{
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A million records load quickly (printed, not asserted: machines differ). */
START_TEST(million_records)
{
        const uint64_t n = 1000000;
        struct batch_done_set *d = NULL;
        FILE *f = fopen(json_path, "w"), *g = fopen(joblog_path, "w");
        struct stat st;
        double t;

        ck_assert(f && g);
        fputs("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n", g);
        for (uint64_t i = 1; i <= n; i++) {
                bool bad = i % 1000 == 0;
                /* the layout ringfence writes (recscan.c's fast path) */
                fprintf(f,
                        "{\"job\":%lu,\"attempt\":1,\"argv\":[\"echo\",\"%lu\"],\"status\":"
                        "\"%s\",\"exit_status\":%d}\n",
                        (unsigned long)i, (unsigned long)i, bad ? "failed" : "ok", bad);
                fprintf(g, "%lu\t:\t1700000000.123\t     0.002\t0\t3\t%d\t0\techo %lu\n",
                        (unsigned long)i, bad, (unsigned long)i);
        }
        fclose(f);
        fclose(g);
        for (int k = 0; k < 2; k++) {
                const char *path = k ? joblog_path : json_path;
                t = now();
                ck_assert_int_eq(batch_done_load(k ? NULL : json_path, k ? joblog_path : NULL, &d,
                                                 NULL),
                                 0);
                t = now() - t;
                ck_assert_int_eq(stat(path, &st), 0);
                printf("# %s: %lu records (%.1f MB) loaded in %.3f s\n", k ? "joblog" : "json",
                       (unsigned long)n, (double)st.st_size / 1e6, t);
                ck_assert(batch_done_has(d, 1, true));
                ck_assert(batch_done_has(d, n, false));
                ck_assert(!batch_done_has(d, n, true));
                ck_assert(!batch_done_has(d, n + 1, false));
                batch_done_free(d);
        }
}
END_TEST

int main(void)
{
        Suite *s = suite_create("batch_results");
        TCase *wr = tcase_create("writers"), *full = tcase_create("full"),
              *rs = tcase_create("resume"), *big = tcase_create("million");

        tcase_add_checked_fixture(wr, setup, teardown);
        tcase_add_test(wr, json_records);
        tcase_add_test(wr, joblog_records);
        tcase_add_test(wr, joblog_command_one_line);
        tcase_add_test(wr, append_keeps_one_header);
        tcase_add_checked_fixture(full, setup, teardown);
        tcase_add_test(full, file_too_large_cuts_back);
        tcase_add_test(full, joblog_failure_takes_back_json);
        tcase_add_test(full, no_space_cuts_back);
        tcase_add_checked_fixture(rs, setup, teardown);
        tcase_add_test(rs, torn_json_line);
        tcase_add_test(rs, torn_tail_cut_on_append);
        tcase_add_test(rs, torn_joblog_line);
        tcase_add_test(rs, bad_middle_line);
        tcase_add_test(rs, resume_sets);
        tcase_add_test(rs, sparse_job_numbers);
        tcase_add_loop_test(rs, record_key, 0, (int)ARRAY_SIZE(key_cases));
        tcase_add_loop_test(rs, record_writer_fast_path, 0, _RF_STATUS_MAX);
        tcase_add_test(rs, record_unknown_status);
        tcase_add_test(rs, record_line_extras);
        tcase_add_test(rs, rebuild_lost_lines);
        tcase_add_test(rs, rebuild_second_attempt);
        tcase_add_test(rs, rebuild_out_of_order);
        tcase_add_checked_fixture(big, setup, teardown);
        tcase_add_test(big, million_records);
        tcase_set_timeout(big, 300);
        suite_add_tcase(s, wr);
        suite_add_tcase(s, full);
        suite_add_tcase(s, rs);
        suite_add_tcase(s, big);
        return test_run_suite(s);
}
