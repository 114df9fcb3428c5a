/* SPDX-License-Identifier: MIT */
/* The engine under load: thousands of sandboxed jobs, several in flight, spawned on the worker
 * pool (and, fewer, on the engine's own thread), with random exit codes, signals, time limits,
 * output and commands that do not exist. Every job gets exactly one record, the one its kind
 * calls for; afterwards no child is left and the process has exactly the fds it had before.
 * RF_STRESS_JOBS sets the number of jobs (default 2000). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ringfence.h"
#include "sandbox/netns-pool.h"
#include "engine/engine.h"
#include "policy/policy.h"
#include "helpers.h"

enum kind { K_EXIT, K_SIGNAL, K_TIMEOUT, K_OUTPUT, K_NOT_FOUND, _K_MAX };

static const char *const kind_names[_K_MAX] = { "exit", "signal", "timeout", "output",
                                                "not-found" };

struct sjob {
        enum kind kind;
        int arg; /* exit code, signal, or output bytes */
        char script[96];
        char *argv[4];
        unsigned records;
        uint64_t relayed; /* output bytes seen by on_output */
        struct engine_result res;
};

struct stress {
        struct engine *e;
        rf_policy *p, *p_timeout;
        struct policy_bpf bpf, bpf_timeout;
        int devnull;
        struct sjob *jobs;
        size_t n, done;
};

static void on_done(void *ctx, const struct engine_job *job, const struct engine_result *res)
{
        struct stress *s = ctx;
        struct sjob *j = job->user;

        j->records++;
        j->res = *res;
        s->done++;
}

static void on_output(void *user, int stream, const char *buf, size_t n)
{
        struct sjob *j = user;

        (void)buf;
        if (stream == 0)
                j->relayed += n;
}

static const int signals[] = { SIGTERM, SIGKILL, SIGUSR1, SIGHUP, SIGSEGV };

/* Pick job i's kind and argument and write its command. */
static void make_job(struct sjob *j)
{
        int r = rand() % 100;

        memset(j, 0, sizeof(*j));
        j->kind = r < 50   ? K_EXIT
                  : r < 70 ? K_SIGNAL
                  : r < 75 ? K_TIMEOUT
                  : r < 95 ? K_OUTPUT
                           : K_NOT_FOUND;
        j->argv[0] = "/bin/sh";
        j->argv[1] = "-c";
        j->argv[2] = j->script;
        switch (j->kind) {
        case K_EXIT:
                j->arg = rand() % 256;
                snprintf(j->script, sizeof(j->script), "exit %d", j->arg);
                break;
        case K_SIGNAL:
                j->arg = signals[rand() % (int)(sizeof(signals) / sizeof(signals[0]))];
                snprintf(j->script, sizeof(j->script), "kill -s %d $$; sleep 10", j->arg);
                break;
        case K_TIMEOUT:
                snprintf(j->script, sizeof(j->script), "exec sleep 10");
                break;
        case K_OUTPUT:
                j->arg = rand() % 200000;
                snprintf(j->script, sizeof(j->script), "head -c %d /dev/zero", j->arg);
                break;
        case K_NOT_FOUND:
        case _K_MAX: /* a count, not a kind */
                j->argv[0] = "/nonexistent/ringfence-stress";
                j->argv[1] = NULL;
                break;
        }
}

/* What is wrong with job j's record, or NULL. */
static const char *check_record(const struct sjob *j)
{
        const struct engine_result *r = &j->res;

        if (j->records != 1)
                return "not exactly one record";
        switch (j->kind) {
        case K_EXIT:
                if (r->exit_code != j->arg || r->exit_status != j->arg ||
                    r->status != (j->arg ? RF_STATUS_FAILED : RF_STATUS_OK))
                        return "wrong exit code or status";
                break;
        case K_SIGNAL:
                if (r->status != RF_STATUS_SIGNALED || r->signal != j->arg ||
                    r->exit_status != 128 + j->arg)
                        return "not ended by its signal";
                break;
        case K_TIMEOUT:
                if (r->status != RF_STATUS_TIMEOUT || r->exit_status != 124)
                        return "not a timeout";
                break;
        case K_OUTPUT:
                if (r->status != RF_STATUS_OK || r->stdout_bytes != (uint64_t)j->arg ||
                    j->relayed != (uint64_t)j->arg)
                        return "output bytes lost or added";
                break;
        case K_NOT_FOUND:
        case _K_MAX: /* a count, not a kind */
                if (r->status != RF_STATUS_SPAWN_ERROR || r->exit_status != 127 || !r->error[0])
                        return "not a spawn error with 127";
                break;
        }
        return NULL;
}

static void start(struct stress *s, struct sjob *j)
{
        bool slow = j->kind == K_TIMEOUT;
        struct engine_job ej = { .policy = slow ? s->p_timeout : s->p,
                                 .bpf = slow ? &s->bpf_timeout : &s->bpf,
                                 .argv = j->argv,
                                 .stdio = { s->devnull, -1, -1 },
                                 .sinks = { -1, -1 },
                                 .capture = true,
                                 .on_output = on_output,
                                 .user = j };

        engine_start(s->e, &ej);
}

static void setup(struct stress *s)
{
        rf_error err = { 0 };

        memset(s, 0, sizeof(*s));
        s->p = rf_policy_new_default(&err);
        s->p_timeout = rf_policy_new_default(&err);
        ck_assert_ptr_nonnull(s->p);
        ck_assert_ptr_nonnull(s->p_timeout);
        ck_assert_int_eq(rf_policy_set(s->p_timeout, "limit.timeout", "150ms", "test", &err), 0);
        ck_assert_int_eq(policy_compile(s->p, &s->bpf, &err), 0);
        ck_assert_int_eq(policy_compile(s->p_timeout, &s->bpf_timeout, &err), 0);
        s->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(s->devnull, 0);
}

static void teardown(struct stress *s)
{
        policy_bpf_done(&s->bpf);
        policy_bpf_done(&s->bpf_timeout);
        rf_policy_free(s->p);
        rf_policy_free(s->p_timeout);
        close(s->devnull);
        free(s->jobs);
}

/* No child of ours is left, not even a zombie. */
static void assert_no_children(void)
{
        siginfo_t si;

        memset(&si, 0, sizeof(si));
        ck_assert_int_eq(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), -1);
        ck_assert_int_eq(errno, ECHILD);
}

/* Run n random jobs, j_max in flight, on an engine with or without a pool; check every record
 * and that the fds and children are as before. */
static void run_stress(size_t n, int j_max, bool pool, unsigned seed)
{
        struct stress s;
        rf_error err = { 0 };
        size_t started = 0, bad = 0, by_kind[_K_MAX] = { 0 };
        int fds_before, r;

        setup(&s);
        srand(seed);
        s.n = n;
        s.jobs = calloc(n, sizeof(*s.jobs));
        ck_assert_ptr_nonnull(s.jobs);
        for (size_t i = 0; i < n; i++)
                make_job(&s.jobs[i]);
        netns_pool_drain(); /* the pool's idle namespaces are no job's fds */
        fds_before = test_count_fds();
        ck_assert_int_eq(engine_new(on_done, NULL, -1, &s, &s.e, &err), 0);
        if (pool)
                ck_assert_int_eq(engine_use_pool(s.e, 0, &err), 0);
        do {
                while (started < n && engine_running(s.e) < j_max)
                        start(&s, &s.jobs[started++]);
                r = engine_wait(s.e, -1);
                ck_assert_int_ge(r, 0);
        } while (started < n || r > 0);
        engine_free(s.e);
        ck_assert_uint_eq(s.done, n);
        for (size_t i = 0; i < n; i++) {
                const struct sjob *j = &s.jobs[i];
                const char *why = check_record(j);
                by_kind[j->kind]++;
                if (why && bad++ < 10)
                        fprintf(stderr,
                                "# job %zu (%s %d): %s: records %u status %s exit %d "
                                "signal %d exit_status %d stdout %llu relayed %llu error \"%s\"\n",
                                i, kind_names[j->kind], j->arg, why, j->records,
                                rf_status_name(j->res.status), j->res.exit_code, j->res.signal,
                                j->res.exit_status, (unsigned long long)j->res.stdout_bytes,
                                (unsigned long long)j->relayed, j->res.error);
        }
        ck_assert_msg(bad == 0, "%zu of %zu jobs have a wrong record", bad, n);
        for (int k = 0; k < _K_MAX; k++)
                ck_assert_msg(by_kind[k] > 0, "no job of kind %s ran", kind_names[k]);
        assert_no_children();
        netns_pool_drain();
        ck_assert_int_eq(test_count_fds(), fds_before);
        teardown(&s);
}

static size_t jobs_wanted(void)
{
        const char *v = getenv("RF_STRESS_JOBS");
        long n = v ? strtol(v, NULL, 10) : 0;

        return n > 0 ? (size_t)n : 2000;
}

START_TEST(thousands_on_the_pool)
{
        run_stress(jobs_wanted(), 8, true, 1234);
}
END_TEST

START_TEST(hundreds_on_the_engine_thread)
{
        run_stress(jobs_wanted() / 10 + 50, 8, false, 99);
}
END_TEST

/* Jobs killed while a worker spawns them (the kill waits for the worker's answer): each still
 * gets one record, ended by SIGKILL, and nothing is left behind. */
START_TEST(killed_while_spawning)
{
        struct stress s;
        rf_error err = { 0 };
        size_t n = 64, bad = 0;
        int fds_before;

        setup(&s);
        s.n = n;
        s.jobs = calloc(n, sizeof(*s.jobs));
        ck_assert_ptr_nonnull(s.jobs);
        netns_pool_drain(); /* the pool's idle namespaces are no job's fds */
        fds_before = test_count_fds();
        ck_assert_int_eq(engine_new(on_done, NULL, -1, &s, &s.e, &err), 0);
        ck_assert_int_eq(engine_use_pool(s.e, 0, &err), 0);
        for (size_t i = 0; i < n; i++) {
                struct sjob *j = &s.jobs[i];
                j->kind = K_SIGNAL;
                j->arg = SIGKILL;
                j->argv[0] = "/bin/sleep";
                j->argv[1] = "100";
                start(&s, j);
        }
        engine_signal_all(s.e, SIGKILL);
        while (engine_wait(s.e, -1) > 0)
                ;
        engine_free(s.e);
        for (size_t i = 0; i < n; i++)
                bad += s.jobs[i].records != 1 || s.jobs[i].res.status != RF_STATUS_SIGNALED ||
                       s.jobs[i].res.signal != SIGKILL;
        ck_assert_msg(bad == 0, "%zu of %zu killed jobs have no record or a wrong one", bad, n);
        assert_no_children();
        netns_pool_drain();
        ck_assert_int_eq(test_count_fds(), fds_before);
        teardown(&s);
}
END_TEST

/* Whether a sandboxed job can run here at all (user namespaces, io_uring), or why not. */
static const char *skip_reason(void)
{
        static char why[300];
        rf_error err = { 0 };
        rf_policy *p = rf_policy_new_default(&err);
        char *argv[] = { "/bin/true", NULL };
        rf_result res;
        int r = p ? rf_run(p, argv, NULL, &res, &err) : -ENOMEM;

        rf_policy_free(p);
        if (r == 0 && res.status == RF_STATUS_OK)
                return NULL;
        snprintf(why, sizeof(why), "no sandboxed job can run here: %s",
                 r < 0          ? err.msg
                 : res.error[0] ? res.error
                                : rf_status_name(res.status));
        return why;
}

int main(void)
{
        const char *skip = skip_reason();
        Suite *s;
        TCase *tc;

        if (skip) {
                printf("1..0 # SKIP %s\n", skip);
                return 0;
        }
        s = suite_create("engine_stress");
        tc = tcase_create("stress");
        tcase_set_timeout(tc, 600);
        tcase_add_test(tc, thousands_on_the_pool);
        tcase_add_test(tc, hundreds_on_the_engine_thread);
        suite_add_tcase(s, tc);
        tc = tcase_create("kill");
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, killed_while_spawning);
        suite_add_tcase(s, tc);
        return test_run_suite(s);
}
