/* SPDX-License-Identifier: MIT */
/* What several unit tests share: small checks of the test process itself. Header-only, static
 * functions (a .c here would be taken for a test program of its own). */
#pragma once

#include <check.h>
#include <dirent.h>
#include <stdlib.h>

/* The number of fds this process has open; fails the test when /proc/self/fd cannot be read. */
static inline int test_count_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        struct dirent *e;
        int n = 0;

        ck_assert_ptr_nonnull(d);
        while ((e = readdir(d)))
                n += e->d_name[0] != '.';
        closedir(d);
        return n - 1; /* the DIR's own fd */
}

/* Run every test of s (Check's CK_ENV verbosity), free it; main's exit status: EXIT_SUCCESS when
 * none failed. */
static inline int test_run_suite(Suite *s)
{
        SRunner *sr = srunner_create(s);
        int failed;

        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
