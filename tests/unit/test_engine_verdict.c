/* SPDX-License-Identifier: MIT */
/* Units for the verdict, a pure function of a job's facts: DESIGN.md's exit-status table case by
 * case (every status, every limit, exit codes, signals, which fact wins when several hold), and
 * the result's times, memory, output, violations and enforcement. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/base.h"
#include "engine/verdict.h"
#include "helpers.h"

/* Wait statuses as waitpid gives them. */
#define EXITED(code) ((code) << 8)
#define KILLED(sig) (sig)

/* The facts of a command that ran and whose end the init saw (add .wait_status). */
#define RAN .spawned = true, .command_started = true, .exited = true, .init_code = CLD_EXITED
/* The facts of a job whose setup or exec failed at step with errno e, described as why. */
#define SETUP_FAILED(step, e, why)                                                                 \
        .spawned = true, .setup_failed = true, .setup_step = (step), .setup_errno = (e),           \
        .error = why

/* One row: the facts, and what the record must say. error: a part of the record's error, or
 * NULL for none. */
struct row {
        const char *name;
        struct job_facts f;
        int status, exit_status, exit_code, signal;
        const char *limit;
        const char *error;
};

/* clang-format off */
static const struct row rows[] = {
        /* ok and failed: the command's own exit code */
        { "exit 0", { RAN, .wait_status = EXITED(0) }, RF_STATUS_OK, 0, 0, 0, "", NULL },
        { "exit 1", { RAN, .wait_status = EXITED(1) }, RF_STATUS_FAILED, 1, 1, 0, "", NULL },
        { "exit 42", { RAN, .wait_status = EXITED(42) }, RF_STATUS_FAILED, 42, 42, 0, "", NULL },
        { "exit 126 of its own", { RAN, .wait_status = EXITED(126) }, RF_STATUS_FAILED, 126, 126,
          0, "", NULL },
        { "exit 127 of its own", { RAN, .wait_status = EXITED(127) }, RF_STATUS_FAILED, 127, 127,
          0, "", NULL },
        { "exit 255", { RAN, .wait_status = EXITED(255) }, RF_STATUS_FAILED, 255, 255, 0, "",
          NULL },
        /* signaled: 128+N */
        { "SIGSEGV", { RAN, .wait_status = KILLED(SIGSEGV) }, RF_STATUS_SIGNALED, 128 + SIGSEGV,
          -1, SIGSEGV, "", NULL },
        { "SIGTERM", { RAN, .wait_status = KILLED(SIGTERM) }, RF_STATUS_SIGNALED, 128 + SIGTERM,
          -1, SIGTERM, "", NULL },
        { "SIGKILL not ours", { RAN, .wait_status = KILLED(SIGKILL) }, RF_STATUS_SIGNALED, 137,
          -1, SIGKILL, "", NULL },
        { "SIGABRT dumped core", { RAN, .wait_status = KILLED(SIGABRT) | 0x80 },
          RF_STATUS_SIGNALED, 128 + SIGABRT, -1, SIGABRT, "", NULL },
        { "SIGXCPU without a cpu limit", { RAN, .wait_status = KILLED(SIGXCPU) },
          RF_STATUS_SIGNALED, 128 + SIGXCPU, -1, SIGXCPU, "", NULL },
        { "SIGXFSZ without a file-size limit", { RAN, .wait_status = KILLED(SIGXFSZ) },
          RF_STATUS_SIGNALED, 128 + SIGXFSZ, -1, SIGXFSZ, "", NULL },
        /* the limits */
        { "time", { RAN, .wait_status = KILLED(SIGKILL), .timed_out = true,
                    .limits.timeout_ms = 100 },
          RF_STATUS_TIMEOUT, 124, -1, SIGKILL, "time", NULL },
        { "time, the init gone too", { .spawned = true, .command_started = true,
                                       .init_code = CLD_KILLED, .init_status = SIGKILL,
                                       .timed_out = true, .limits.timeout_ms = 100 },
          RF_STATUS_TIMEOUT, 124, -1, SIGKILL, "time", NULL },
        { "cpu-time", { RAN, .wait_status = KILLED(SIGXCPU), .limits.cpu_ms = 1000 },
          RF_STATUS_TIMEOUT, 124, -1, SIGXCPU, "cpu-time", NULL },
        { "cpu-time after the hard limit's SIGKILL is only a signal",
          { RAN, .wait_status = KILLED(SIGKILL), .limits.cpu_ms = 1000 },
          RF_STATUS_SIGNALED, 137, -1, SIGKILL, "", NULL },
        { "file-size", { RAN, .wait_status = KILLED(SIGXFSZ), .limits.file_size = 4096 },
          RF_STATUS_FAILED, 128 + SIGXFSZ, -1, SIGXFSZ, "file-size", NULL },
        { "file-size, the command caught SIGXFSZ and exited 1",
          { RAN, .wait_status = EXITED(1), .limits.file_size = 4096 },
          RF_STATUS_FAILED, 1, 1, 0, "", NULL },
        { "memory: the OOM killer", { RAN, .wait_status = KILLED(SIGKILL),
                                      .memory_limit_hit = true, .limits.memory = 1 << 20 },
          RF_STATUS_FAILED, 137, -1, SIGKILL, "memory", NULL },
        { "memory: malloc failed, exit 1", { RAN, .wait_status = EXITED(1),
                                             .memory_limit_hit = true },
          RF_STATUS_FAILED, 1, 1, 0, "memory", NULL },
        { "memory: hit, yet exit 0", { RAN, .wait_status = EXITED(0), .memory_limit_hit = true },
          RF_STATUS_OK, 0, 0, 0, "memory", NULL },
        { "pids: fork refused, exit 1", { RAN, .wait_status = EXITED(1), .pids_limit_hit = true,
                                          .limits.pids = 8 },
          RF_STATUS_FAILED, 1, 1, 0, "pids", NULL },
        { "pids: fork refused, then SIGSEGV", { RAN, .wait_status = KILLED(SIGSEGV),
                                                .pids_limit_hit = true },
          RF_STATUS_FAILED, 128 + SIGSEGV, -1, SIGSEGV, "pids", NULL },
        { "pids: hit, yet exit 0", { RAN, .wait_status = EXITED(0), .pids_limit_hit = true },
          RF_STATUS_OK, 0, 0, 0, "", NULL },
        { "output", { RAN, .wait_status = KILLED(SIGKILL), .output_cut = true,
                      .limits.output = 10 },
          RF_STATUS_FAILED, 137, -1, SIGKILL, "output", NULL },
        { "output, the command exited 0 first", { RAN, .wait_status = EXITED(0),
                                                  .output_cut = true },
          RF_STATUS_OK, 0, 0, 0, "output", NULL },
        { "output, the init gone too", { .spawned = true, .command_started = true,
                                         .init_code = CLD_KILLED, .init_status = SIGKILL,
                                         .output_cut = true },
          RF_STATUS_FAILED, 137, -1, SIGKILL, "output", NULL },
        /* violation */
        { "violation: killed by the listener", { RAN, .wait_status = KILLED(SIGKILL),
                                                 .killed_violation = true },
          RF_STATUS_VIOLATION, 137, -1, SIGKILL, "", NULL },
        { "violation: SIGSYS from the filter", { RAN, .wait_status = KILLED(SIGSYS) },
          RF_STATUS_VIOLATION, 128 + SIGSYS, -1, SIGSYS, "", NULL },
        { "violation: killed by the listener, the init gone too",
          { .spawned = true, .command_started = true, .init_code = CLD_KILLED,
            .init_status = SIGKILL, .killed_violation = true },
          RF_STATUS_VIOLATION, 137, -1, SIGKILL, "", NULL },
        /* spawn-error: 125, or 126 and 127 for the exec */
        { "not spawned", { .error = "pipe: Too many open files" }, RF_STATUS_SPAWN_ERROR, 125,
          -1, 0, "", "pipe: Too many open files" },
        { "exec: not found",
          { SETUP_FAILED(STEP_EXEC, ENOENT, "exec \"nope\": No such file or directory") },
          RF_STATUS_SPAWN_ERROR, 127, -1, 0, "", "exec \"nope\"" },
        { "exec: permission denied",
          { SETUP_FAILED(STEP_EXEC, EACCES, "exec \"x\": Permission denied") },
          RF_STATUS_SPAWN_ERROR, 126, -1, 0, "", "Permission denied" },
        { "exec: not an executable",
          { SETUP_FAILED(STEP_EXEC, ENOEXEC, "exec \"x\": Exec format error") },
          RF_STATUS_SPAWN_ERROR, 126, -1, 0, "", "Exec format error" },
        { "setup: a mount step",
          { SETUP_FAILED(STEP_BIND, ENOENT, "could not set up the sandbox at step \"bind\"") },
          RF_STATUS_SPAWN_ERROR, 125, -1, 0, "", "step \"bind\"" },
        { "setup: chdir", { SETUP_FAILED(STEP_CHDIR, ENOENT, "chdir \"/x\": No such file") },
          RF_STATUS_SPAWN_ERROR, 125, -1, 0, "", "chdir" },
        { "init ended during setup", { .spawned = true, .init_code = CLD_EXITED,
                                       .init_status = 3 },
          RF_STATUS_SPAWN_ERROR, 125, -1, 0, "",
          "the sandbox's init ended during setup, before the command started (exit status 3)" },
        { "init killed during setup", { .spawned = true, .init_code = CLD_KILLED,
                                        .init_status = SIGKILL },
          RF_STATUS_SIGNALED, 137, -1, SIGKILL, "", "the job's init ended (Killed)" },
        { "init killed after the start", { .spawned = true, .command_started = true,
                                           .init_code = CLD_KILLED, .init_status = SIGTERM },
          RF_STATUS_SIGNALED, 137, -1, SIGKILL, "", "the job's init ended (Terminated)" },
        /* which fact wins when several hold */
        { "timeout over a signal", { RAN, .wait_status = KILLED(SIGTERM), .timed_out = true },
          RF_STATUS_TIMEOUT, 124, -1, SIGKILL, "time", NULL },
        { "timeout over an exit", { RAN, .wait_status = EXITED(0), .timed_out = true },
          RF_STATUS_TIMEOUT, 124, -1, SIGKILL, "time", NULL },
        { "timeout over a violation kill", { RAN, .wait_status = KILLED(SIGKILL),
                                             .timed_out = true, .killed_violation = true },
          RF_STATUS_TIMEOUT, 124, -1, SIGKILL, "time", NULL },
        { "timeout over the output limit", { RAN, .wait_status = KILLED(SIGKILL),
                                             .timed_out = true, .output_cut = true },
          RF_STATUS_TIMEOUT, 124, -1, SIGKILL, "time", NULL },
        { "timeout over the init's end during setup", { .spawned = true,
                                                        .init_code = CLD_EXITED,
                                                        .timed_out = true },
          RF_STATUS_TIMEOUT, 124, -1, SIGKILL, "time", NULL },
        { "violation kill over an OOM", { RAN, .wait_status = KILLED(SIGKILL),
                                          .killed_violation = true,
                                          .memory_limit_hit = true },
          RF_STATUS_VIOLATION, 137, -1, SIGKILL, "", NULL },
        { "violation kill over the output limit", { RAN, .wait_status = KILLED(SIGKILL),
                                                    .killed_violation = true,
                                                    .output_cut = true },
          RF_STATUS_VIOLATION, 137, -1, SIGKILL, "", NULL },
        { "violation kill over the init's end during setup",
          { .spawned = true, .init_code = CLD_EXITED, .killed_violation = true },
          RF_STATUS_VIOLATION, 137, -1, SIGKILL, "", NULL },
        { "output over memory", { RAN, .wait_status = KILLED(SIGKILL), .output_cut = true,
                                  .memory_limit_hit = true },
          RF_STATUS_FAILED, 137, -1, SIGKILL, "output", NULL },
        { "memory over cpu-time", { RAN, .wait_status = KILLED(SIGXCPU),
                                    .memory_limit_hit = true, .limits.cpu_ms = 1000 },
          RF_STATUS_FAILED, 128 + SIGXCPU, -1, SIGXCPU, "memory", NULL },
        { "cpu-time over pids", { RAN, .wait_status = KILLED(SIGXCPU), .pids_limit_hit = true,
                                  .limits.cpu_ms = 1000 },
          RF_STATUS_TIMEOUT, 124, -1, SIGXCPU, "cpu-time", NULL },
        { "file-size over pids", { RAN, .wait_status = KILLED(SIGXFSZ), .pids_limit_hit = true,
                                   .limits.file_size = 4096 },
          RF_STATUS_FAILED, 128 + SIGXFSZ, -1, SIGXFSZ, "file-size", NULL },
        { "SIGSYS violation with the output limit", { RAN, .wait_status = KILLED(SIGSYS),
                                                      .output_cut = true },
          RF_STATUS_VIOLATION, 128 + SIGSYS, -1, SIGSYS, "output", NULL },
        { "memory over SIGSYS: still a violation", { RAN, .wait_status = KILLED(SIGSYS),
                                                     .memory_limit_hit = true },
          RF_STATUS_VIOLATION, 128 + SIGSYS, -1, SIGSYS, "memory", NULL },
        { "setup error over a timeout",
          { SETUP_FAILED(STEP_EXEC, ENOENT, "exec \"x\": gone"), .timed_out = true },
          RF_STATUS_SPAWN_ERROR, 127, -1, 0, "", "exec" },
        { "setup error over an exit", { SETUP_FAILED(STEP_SECCOMP, EINVAL, "seccomp"),
                                        .command_started = true, .exited = true },
          RF_STATUS_SPAWN_ERROR, 125, -1, 0, "", "seccomp" },
        { "not spawned over everything", { .timed_out = true, .killed_violation = true,
                                           .output_cut = true, .memory_limit_hit = true,
                                           .error = "clone3: No space left on device" },
          RF_STATUS_SPAWN_ERROR, 125, -1, 0, "", "clone3" },
};
/* clang-format on */

START_TEST(test_row)
{
        const struct row *w = &rows[_i];
        struct engine_result r;

        memset(&r, 0xa5, sizeof(r)); /* the verdict fills all of it */
        engine_verdict(&w->f, &r);
        ck_assert_msg(r.status == w->status, "%s: status %d, expected %d", w->name, r.status,
                      w->status);
        ck_assert_msg(r.exit_status == w->exit_status, "%s: exit status %d, expected %d", w->name,
                      r.exit_status, w->exit_status);
        ck_assert_msg(r.exit_code == w->exit_code, "%s: exit code %d, expected %d", w->name,
                      r.exit_code, w->exit_code);
        ck_assert_msg(r.signal == w->signal, "%s: signal %d, expected %d", w->name, r.signal,
                      w->signal);
        ck_assert_msg(strcmp(r.limit, w->limit) == 0, "%s: limit \"%s\", expected \"%s\"", w->name,
                      r.limit, w->limit);
        if (w->error)
                ck_assert_msg(strstr(r.error, w->error), "%s: error \"%s\", expected \"%s\"",
                              w->name, r.error, w->error);
        else
                ck_assert_msg(!r.error[0], "%s: error \"%s\", expected none", w->name, r.error);
        ck_assert_msg(r.output_truncated == (int)w->f.output_cut, "%s: output_truncated %d",
                      w->name, r.output_truncated);
}
END_TEST

/* The exit-status table of DESIGN.md, by status: each appears in some row. */
START_TEST(test_every_status_and_limit_has_a_row)
{
        /* clang-format off */
        static const char *const limits[] = { "memory", "pids", "output", "time", "cpu-time",
                                              "file-size" };
        static const int codes[] = { 0, 1, 42, 124, 125, 126, 127, 128 + SIGKILL,
                                     128 + SIGSEGV, 128 + SIGXCPU, 128 + SIGXFSZ,
                                     128 + SIGTERM, 128 + SIGSYS };
        /* clang-format on */

        for (int s = RF_STATUS_OK; s <= RF_STATUS_SPAWN_ERROR; s++) {
                bool seen = false;
                for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
                        seen |= rows[i].status == s;
                ck_assert_msg(seen, "no row for status %s", rf_status_name(s));
        }
        for (size_t l = 0; l < ARRAY_SIZE(limits); l++) {
                bool seen = false;
                for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
                        seen |= strcmp(rows[i].limit, limits[l]) == 0;
                ck_assert_msg(seen, "no row for limit %s", limits[l]);
        }
        for (size_t c = 0; c < ARRAY_SIZE(codes); c++) {
                bool seen = false;
                for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
                        seen |= rows[i].exit_status == codes[c];
                ck_assert_msg(seen, "no row for exit status %d", codes[c]);
        }
}
END_TEST

/* skipped is not the engine's: the batch starts a skipped job's record as this one, and says
 * skipped. */
START_TEST(test_unstarted)
{
        struct engine_result r, zero;

        memset(&r, 0xa5, sizeof(r));
        engine_result_unstarted(&r, "line 3: bad JSON");
        ck_assert_int_eq(r.status, RF_STATUS_SPAWN_ERROR);
        ck_assert_int_eq(r.exit_status, 125);
        ck_assert_int_eq(r.exit_code, -1);
        ck_assert_str_eq(r.error, "line 3: bad JSON");
        engine_result_unstarted(&r, NULL);
        ck_assert_str_eq(r.error, "");
        /* the rest is zero */
        memset(&zero, 0, sizeof(zero));
        r.status = r.exit_status = r.exit_code = 0;
        ck_assert(memcmp(&r, &zero, sizeof(r)) == 0);
}
END_TEST

/* Times and memory: rusage when the command's end was seen, the cgroup's peak over rusage's. */
START_TEST(test_usage)
{
        struct job_facts f = { RAN,
                               .wait_status = EXITED(0),
                               .user_us = 1200,
                               .sys_us = 340,
                               .peak_rss = 5 << 20,
                               .start_unix_us = 1700000000000000,
                               .wall_us = 9999,
                               .stdout_bytes = 12,
                               .stderr_bytes = 34 };
        struct engine_result r;

        engine_verdict(&f, &r);
        ck_assert_uint_eq(r.user_us, 1200);
        ck_assert_uint_eq(r.sys_us, 340);
        ck_assert_uint_eq(r.peak_memory, 5 << 20);
        ck_assert_int_eq(r.start_unix_us, 1700000000000000);
        ck_assert_uint_eq(r.wall_us, 9999);
        ck_assert_uint_eq(r.stdout_bytes, 12);
        ck_assert_uint_eq(r.stderr_bytes, 34);
        f.cgroup_peak_memory = 7 << 20;
        engine_verdict(&f, &r);
        ck_assert_uint_eq(r.peak_memory, 7 << 20);
        /* the command's end unseen: no rusage, the cgroup's peak only */
        f.exited = false;
        f.init_code = CLD_KILLED;
        f.init_status = SIGKILL;
        engine_verdict(&f, &r);
        ck_assert_uint_eq(r.user_us, 0);
        ck_assert_uint_eq(r.sys_us, 0);
        ck_assert_uint_eq(r.peak_memory, 7 << 20);
        /* the init ended during setup: the cgroup's peak, and what was counted */
        f.command_started = false;
        f.init_code = CLD_EXITED;
        engine_verdict(&f, &r);
        ck_assert_int_eq(r.status, RF_STATUS_SPAWN_ERROR);
        ck_assert_uint_eq(r.peak_memory, 7 << 20);
        ck_assert_uint_eq(r.wall_us, 9999);
        /* a setup error: no memory */
        f.setup_failed = true;
        f.setup_step = STEP_EXEC;
        f.setup_errno = ENOENT;
        engine_verdict(&f, &r);
        ck_assert_uint_eq(r.peak_memory, 0);
        ck_assert_uint_eq(r.wall_us, 9999);
        ck_assert_int_eq(r.start_unix_us, 1700000000000000);
}
END_TEST

/* The seven enforcement words of r: memory, pids, cpu, files, file size, time, output. */
static void expect_enforced(const struct engine_result *r, const char *const want[7])
{
        const char *const got[7] = { r->enforced_memory, r->enforced_pids,      r->enforced_cpu,
                                     r->enforced_files,  r->enforced_file_size, r->enforced_time,
                                     r->enforced_output };

        for (int i = 0; i < 7; i++)
                ck_assert_msg(strcmp(got[i], want[i]) == 0, "enforced %d: \"%s\", expected \"%s\"",
                              i, got[i], want[i]);
}

/* Which mechanism enforced each limit: "" when unset, the cgroup backend for memory and pids or
 * else rlimit, rlimit for cpu, files and file size, the host for time and output. */
START_TEST(test_enforced)
{
        struct job_facts f = { RAN, .wait_status = EXITED(0), .memory_by = LIMIT_BY_CGROUP_V2,
                               .pids_by = LIMIT_BY_NONE,
                               .limits = { .timeout_ms = 1,
                                           .cpu_ms = 1,
                                           .memory = 1,
                                           .pids = 1,
                                           .files = 1,
                                           .file_size = 1,
                                           .output = 1 } };
        static const char *const v1_pids[7] = { "rlimit", "cgroup-v1", "rlimit", "rlimit",
                                                "rlimit", "host",      "host" };
        static const char *const none[7] = { "", "", "", "", "", "", "" };
        struct engine_result r;

        engine_verdict(&f, &r);
        expect_enforced(&r, (const char *const[7]){ "cgroup-v2", "rlimit", "rlimit", "rlimit",
                                                    "rlimit", "host", "host" });
        f.memory_by = LIMIT_BY_NONE;
        f.pids_by = LIMIT_BY_CGROUP_V1;
        engine_verdict(&f, &r);
        expect_enforced(&r, v1_pids);
        /* a setup error still says how the limits were enforced */
        f.setup_failed = true;
        engine_verdict(&f, &r);
        expect_enforced(&r, v1_pids);
        /* the limits unset: nothing enforced */
        memset(&f.limits, 0, sizeof(f.limits));
        f.setup_failed = false;
        engine_verdict(&f, &r);
        expect_enforced(&r, none);
        /* never spawned: nothing enforced, limits or not */
        f = (struct job_facts){ .limits = { .timeout_ms = 1, .memory = 1 },
                                .memory_by = LIMIT_BY_CGROUP_V2 };
        engine_verdict(&f, &r);
        expect_enforced(&r, none);
}
END_TEST

/* The violations seen are the record's; a SIGSYS with none seen records one unknown call. */
START_TEST(test_violations)
{
        static const struct engine_violation seen[2] = {
                { .syscall = "ptrace",
                  .nr = 101,
                  .count = 3,
                  .action = "errno",
                  .rule = "default policy: ptrace" },
                { .syscall = "bpf",
                  .nr = 321,
                  .count = 1,
                  .action = "kill",
                  .rule = "default policy: bpf" },
        };
        struct job_facts f = { RAN, .wait_status = KILLED(SIGSYS) };
        struct engine_result r;

        engine_verdict(&f, &r);
        ck_assert_int_eq(r.status, RF_STATUS_VIOLATION);
        ck_assert_int_eq(r.n_violations, 1);
        ck_assert_uint_eq(r.violations_total, 1);
        ck_assert_int_eq(r.violations[0].nr, -1);
        ck_assert_uint_eq(r.violations[0].count, 1);
        ck_assert_str_eq(r.violations[0].syscall, "unknown");
        ck_assert_str_eq(r.violations[0].action, "kill");
        ck_assert_str_eq(r.violations[0].rule, "seccomp.default");
        f.violations = seen;
        f.n_violations = 2;
        f.violations_total = 4;
        engine_verdict(&f, &r);
        ck_assert_int_eq(r.n_violations, 2);
        ck_assert_uint_eq(r.violations_total, 4);
        ck_assert_mem_eq(r.violations, seen, sizeof(seen));
        /* killed by the listener: the violations as seen, nothing added */
        f.wait_status = KILLED(SIGKILL);
        f.killed_violation = true;
        f.n_violations = 1;
        f.violations_total = 1;
        engine_verdict(&f, &r);
        ck_assert_int_eq(r.status, RF_STATUS_VIOLATION);
        ck_assert_int_eq(r.n_violations, 1);
        ck_assert_uint_eq(r.violations_total, 1);
        ck_assert_str_eq(r.violations[0].syscall, "ptrace");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("engine_verdict");
        TCase *tc = tcase_create("verdict");

        tcase_add_loop_test(tc, test_row, 0, (int)ARRAY_SIZE(rows));
        tcase_add_test(tc, test_every_status_and_limit_has_a_row);
        tcase_add_test(tc, test_unstarted);
        tcase_add_test(tc, test_usage);
        tcase_add_test(tc, test_enforced);
        tcase_add_test(tc, test_violations);
        suite_add_tcase(s, tc);
        return test_run_suite(s);
}
