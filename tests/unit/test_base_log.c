/* SPDX-License-Identifier: MIT */
/* Units for the log sink: a handler set with rf_set_log_handler receives each line with its
 * level, as it is; NULL gives back the default, which writes to stderr what ringfence always
 * wrote. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/base.h"

struct seen {
        int calls;
        int level;
        char line[8192];
        void *user;
};

static struct seen seen;

static void record(int level, const char *line, void *user)
{
        seen.calls++;
        seen.level = level;
        snprintf(seen.line, sizeof(seen.line), "%s", line);
        seen.user = user;
}

START_TEST(handler_gets_level_and_line)
{
        int token;

        memset(&seen, 0, sizeof(seen));
        rf_set_log_handler(record, &token);
        base_log(RF_LOG_WARNING, "ringfence batch: %s (job %llu skipped)", "input line 2: bad",
                 7ULL);
        ck_assert_int_eq(seen.calls, 1);
        ck_assert_int_eq(seen.level, RF_LOG_WARNING);
        ck_assert_str_eq(seen.line, "ringfence batch: input line 2: bad (job 7 skipped)");
        ck_assert_ptr_eq(seen.user, &token);
        base_log_line(RF_LOG_PROGRESS, "");
        ck_assert_int_eq(seen.calls, 2);
        ck_assert_int_eq(seen.level, RF_LOG_PROGRESS);
        ck_assert_str_eq(seen.line, "");
        rf_set_log_handler(NULL, NULL);
}
END_TEST

/* A line longer than the formatting buffer arrives whole. */
START_TEST(long_line_whole)
{
        static const char head[] = "ringfence batch: job 1, attempt 1, for 0.5 s: ";
        char big[6000];

        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        memset(&seen, 0, sizeof(seen));
        rf_set_log_handler(record, NULL);
        base_log(RF_LOG_NOTICE, "%s%s", head, big);
        ck_assert_int_eq(seen.calls, 1);
        ck_assert_uint_eq(strlen(seen.line), strlen(head) + sizeof(big) - 1);
        ck_assert_str_eq(seen.line + strlen(seen.line) - 3, "xxx");
        rf_set_log_handler(NULL, NULL);
}
END_TEST

/* NULL restores the default: stderr, a newline after each line, a progress line drawn over the
 * one before without one; the handler set before is not called again. */
START_TEST(null_restores_default)
{
        char buf[256];
        int fd = memfd_create("log", 0), saved = dup(2);
        ssize_t n;

        ck_assert_int_ge(fd, 0);
        ck_assert_int_ge(saved, 0);
        memset(&seen, 0, sizeof(seen));
        rf_set_log_handler(record, NULL);
        rf_set_log_handler(NULL, &seen);
        fflush(stderr);
        ck_assert_int_eq(dup2(fd, 2), 2);
        base_log(RF_LOG_NOTICE, "ringfence batch: %d jobs running", 2);
        base_log_line(RF_LOG_PROGRESS, "ringfence batch: 3 done");
        base_log_line(RF_LOG_PROGRESS, "");
        base_log_line(RF_LOG_ERROR, "ringfence: out of memory");
        n = pread(fd, buf, sizeof(buf) - 1, 0);
        ck_assert_int_eq(dup2(saved, 2), 2); /* stderr back (CK_FORK=no runs on after us) */
        close(saved);
        ck_assert_int_ge(n, 0);
        buf[n] = '\0';
        ck_assert_str_eq(buf, "ringfence batch: 2 jobs running\n"
                              "\r\033[Kringfence batch: 3 done"
                              "\r\033[K"
                              "ringfence: out of memory\n");
        ck_assert_int_eq(seen.calls, 0);
        close(fd);
}
END_TEST

static void oom_line(int level, const char *line, void *user)
{
        (void)user;
        if (level == RF_LOG_ERROR && strcmp(line, "ringfence: out of memory") == 0)
                _exit(0);
}

/* Running out of memory is said through the handler too, before the abort (the handler ends
 * the test's process first; only where each test has a process of its own). */
START_TEST(oom_goes_to_handler)
{
        rf_set_log_handler(oom_line, NULL);
        rf_oom();
}
END_TEST

int main(void)
{
        Suite *s = suite_create("base_log");
        TCase *tc = tcase_create("log");
        SRunner *sr;
        int failed;

        tcase_add_test(tc, handler_gets_level_and_line);
        tcase_add_test(tc, long_line_whole);
        tcase_add_test(tc, null_restores_default);
        suite_add_tcase(s, tc);
        sr = srunner_create(s);
        if (srunner_fork_status(sr) != CK_NOFORK)
                tcase_add_exit_test(tc, oom_goes_to_handler, 0);
        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
