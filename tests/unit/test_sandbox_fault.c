/* SPDX-License-Identifier: MIT */
/* Fault injection (configure --enable-fault-injection): every setup step of the child made to
 * fail, or to die without a word, many times over in one host; each job gets a result that names
 * the step, with exit status 125 (126/127 for exec), and the host keeps no fd, process or cgroup
 * of it. Skipped in a build without fault injection. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ringfence.h"
#include "sandbox/fault.h"
#include "sandbox/sandbox.h"
#include "helpers.h"

#define ROUNDS 8

/* Processes whose parent is this one (any that a job left behind). */
static int count_children(void)
{
        DIR *d = opendir("/proc");
        struct dirent *e;
        int n = 0;
        char path[300], buf[512];

        ck_assert_ptr_nonnull(d);
        while ((e = readdir(d))) {
                FILE *f;
                int ppid = 0;
                if (e->d_name[0] < '0' || e->d_name[0] > '9')
                        continue;
                snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
                if (!(f = fopen(path, "re")))
                        continue;
                if (fgets(buf, sizeof(buf), f)) {
                        char *p = strrchr(buf, ')');
                        if (p && sscanf(p, ") %*c %d", &ppid) == 1 && ppid == getpid())
                                n++;
                }
                fclose(f);
        }
        closedir(d);
        return n;
}

static char leaf_prefix[64];
static int n_leaves;

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        if (flag == FTW_D && !strncmp(path + ftw->base, leaf_prefix, strlen(leaf_prefix)))
                n_leaves++;
        return 0;
}

/* Job cgroups of this process ("ringfence-<pid>-...") left anywhere below /sys/fs/cgroup. */
static int count_cgroups(void)
{
        snprintf(leaf_prefix, sizeof(leaf_prefix), "ringfence-%d-", (int)getpid());
        n_leaves = 0;
        (void)nftw("/sys/fs/cgroup", visit, 16, FTW_PHYS | FTW_MOUNT);
        return n_leaves;
}

/* A policy under which every step runs: loopback up, a bind, a hidden path, limits. */
static rf_policy *policy_for_all_steps(void)
{
        rf_error err = { 0 };
        rf_policy *p = rf_policy_new_default(&err);
        static const char *const sets[][2] = {
                { "net", "loopback" },   { "fs.rw", "/var/tmp" },    { "fs.hide", "/etc/shadow" },
                { "limit.files", "64" }, { "limit.memory", "256M" }, { "limit.pids", "32" },
                { "cwd", "/" },
        };

        ck_assert_msg(p, "default policy: %s", err.msg);
        for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
                ck_assert_msg(rf_policy_set(p, sets[i][0], sets[i][1], "test", &err) == 0,
                              "%s=%s: %s", sets[i][0], sets[i][1], err.msg);
        return p;
}

static void run_quiet(rf_policy *p, rf_result *res)
{
        char *argv[] = { "true", NULL };
        rf_run_options o;
        rf_error err = { 0 };
        int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

        rf_run_options_init(&o);
        o.stdin_fd = o.stdout_fd = o.stderr_fd = devnull;
        ck_assert_int_eq(rf_run(p, argv, &o, res, &err), 0);
        close(devnull);
}

/* Every step but "none" and "stdio" (no code path: the fds step does the standard streams). */
static int step_wanted(int s)
{
        return s != STEP_NONE && s != STEP_STDIO;
}

START_TEST(test_each_step_fails_with_its_name)
{
        rf_policy *p = policy_for_all_steps();
        rf_result res;
        int fds, kids;

        setenv("RINGFENCE_FAULT_MODE", "error", 1);
        setenv("RINGFENCE_FAULT_ERRNO", "EDOM", 1);
        unsetenv("RINGFENCE_FAULT_STEP");
        run_quiet(p, &res); /* the first run opens what the host keeps (cgroup setup) */
        ck_assert_msg(res.status == RF_STATUS_OK, "without a fault: %s", res.error);
        fds = test_count_fds();
        kids = count_children();
        for (int s = 0; s < _STEP_MAX; s++) {
                char want[80];
                if (!step_wanted(s))
                        continue;
                setenv("RINGFENCE_FAULT_STEP", sandbox_step_id(s), 1);
                snprintf(want, sizeof(want), "step \"%s\"", sandbox_step_id(s));
                for (int i = 0; i < ROUNDS; i++) {
                        run_quiet(p, &res);
                        ck_assert_msg(res.status == RF_STATUS_SPAWN_ERROR,
                                      "step %s: status %d, error \"%s\"", sandbox_step_id(s),
                                      res.status, res.error);
                        ck_assert_msg(strstr(res.error, strerror(EDOM)), "step %s: \"%s\"",
                                      sandbox_step_id(s), res.error);
                        if (s == STEP_CHDIR) {
                                ck_assert_str_eq(res.error,
                                                 "chdir \"/\": Numerical argument out of domain");
                        } else if (s == STEP_EXEC) {
                                ck_assert_int_eq(res.exit_status, 126);
                                ck_assert_str_eq(res.error,
                                                 "exec \"true\": Numerical argument out of domain");
                        } else {
                                ck_assert_int_eq(res.exit_status, 125);
                                ck_assert_msg(strstr(res.error, want), "step %s: \"%s\"",
                                              sandbox_step_id(s), res.error);
                        }
                }
                ck_assert_int_eq(test_count_fds(), fds);
                ck_assert_int_eq(count_children(), kids);
                ck_assert_int_eq(count_cgroups(), 0);
        }
        setenv("RINGFENCE_FAULT_STEP", "exec", 1);
        setenv("RINGFENCE_FAULT_ERRNO", "ENOENT", 1);
        run_quiet(p, &res);
        ck_assert_int_eq(res.exit_status, 127);
        unsetenv("RINGFENCE_FAULT_STEP");
        rf_policy_free(p);
}
END_TEST

START_TEST(test_each_step_dies)
{
        rf_policy *p = policy_for_all_steps();
        rf_result res;
        int fds, kids;

        unsetenv("RINGFENCE_FAULT_STEP");
        run_quiet(p, &res);
        fds = test_count_fds();
        kids = count_children();
        setenv("RINGFENCE_FAULT_MODE", "die", 1);
        for (int s = 0; s < _STEP_MAX; s++) {
                if (!step_wanted(s))
                        continue;
                setenv("RINGFENCE_FAULT_STEP", sandbox_step_id(s), 1);
                for (int i = 0; i < ROUNDS; i++) {
                        run_quiet(p, &res);
                        /* The init dies silently, or the command exits 125 before its exec. */
                        ck_assert_msg(res.status != RF_STATUS_OK && res.exit_status != 0,
                                      "step %s: status %d", sandbox_step_id(s), res.status);
                }
                ck_assert_int_eq(test_count_fds(), fds);
                ck_assert_int_eq(count_children(), kids);
                ck_assert_int_eq(count_cgroups(), 0);
        }
        unsetenv("RINGFENCE_FAULT_STEP");
        unsetenv("RINGFENCE_FAULT_MODE");
        rf_policy_free(p);
}
END_TEST

int main(void)
{
        Suite *s;
        TCase *tc;

#ifndef RF_FAULT_INJECTION
        puts("1..0 # SKIP built without --enable-fault-injection");
        return 0;
#endif
        s = suite_create("sandbox_fault");
        tc = tcase_create("fault");
        tcase_set_timeout(tc, 300);
        tcase_add_test(tc, test_each_step_fails_with_its_name);
        tcase_add_test(tc, test_each_step_dies);
        suite_add_tcase(s, tc);
        return test_run_suite(s);
}
