/* SPDX-License-Identifier: MIT */
/* Units for the worker pool through its public calls (rf_pool_*): tens of thousands of tasks on
 * every worker with no order assumed, each run once and answered once; done functions that
 * submit more; a stop with tasks pending; idle workers asleep; the errors of misuse. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ringfence.h"
#include "helpers.h"

#define MAX_TIDS 64

/* One task's record: how often it ran and was answered, on which thread, with what. */
struct task {
        uint32_t index;
        _Atomic uint32_t runs;
        uint32_t dones;
        int result;
        pid_t tid;
        unsigned work; /* 0: none; else loop iterations, or a sleep when a multiple of 97 */
};

/* What the done functions of a test see. */
struct tally {
        struct task *t;
        size_t n, dones, cancelled;
        rf_pool *p;
        size_t chain_left; /* done_chain: more tasks to submit */
};

static _Thread_local struct tally *cur; /* the owner's tally, for done functions */

static int task_fn(void *arg)
{
        struct task *t = arg;
        volatile unsigned x = 0;

        atomic_fetch_add(&t->runs, 1);
        t->tid = (pid_t)syscall(SYS_gettid);
        if (t->work && t->work % 97 == 0)
                usleep(t->work % 1000);
        else
                for (unsigned i = 0; i < t->work; i++)
                        x += i;
        /* A result of the task's own, negative for some, to see that it comes back as is. */
        return t->index % 5 == 0 ? -(int)(t->index % 100) - 1 : (int)t->index;
}

static int expected(const struct task *t)
{
        return t->index % 5 == 0 ? -(int)(t->index % 100) - 1 : (int)t->index;
}

static void done_fn(void *arg, int result)
{
        struct task *t = arg;

        t->dones++;
        t->result = result;
        cur->dones++;
        if (result == -ECANCELED)
                cur->cancelled++;
}

static struct task *tasks_new(size_t n, unsigned seed)
{
        struct task *t = calloc(n, sizeof(*t));

        ck_assert_ptr_nonnull(t);
        srand(seed);
        for (size_t i = 0; i < n; i++) {
                t[i].index = (uint32_t)i;
                t[i].work = (unsigned)rand() % 3000;
        }
        return t;
}

/* Wait until every pending task is answered. */
static void wait_all(rf_pool *p)
{
        rf_error err = { 0 };

        while (rf_pool_pending(p) > 0)
                ck_assert_int_ge(rf_pool_wait(p, -1, &err), 0);
}

START_TEST(thousands_of_tasks)
{
        const size_t n = 30000;
        struct tally tl = { .n = n };
        struct task *t = tasks_new(n, 42);
        rf_error err = { 0 };
        pid_t tids[MAX_TIDS];
        size_t ntids = 0, bad = 0;
        rf_pool *p = NULL;

        cur = &tl;
        ck_assert_int_eq(rf_pool_new(4, &p, &err), 0);
        ck_assert_int_eq(rf_pool_threads(p), 4);
        for (size_t i = 0; i < n; i++)
                ck_assert_int_eq(rf_pool_submit(p, task_fn, done_fn, &t[i], &err), 0);
        wait_all(p);
        ck_assert_uint_eq(tl.dones, n);
        ck_assert_uint_eq(tl.cancelled, 0);
        for (size_t i = 0; i < n; i++) {
                bool seen = false;
                /* One assertion for all: Check is slow per assertion. */
                if (atomic_load(&t[i].runs) != 1 || t[i].dones != 1 ||
                    t[i].result != expected(&t[i]))
                        bad++;
                for (size_t k = 0; k < ntids; k++)
                        seen |= tids[k] == t[i].tid;
                if (!seen && ntids < MAX_TIDS)
                        tids[ntids++] = t[i].tid;
        }
        ck_assert_msg(bad == 0, "%zu tasks did not run once, get one answer and their result", bad);
        /* Every worker ran some, and none of them on the owner's thread. */
        ck_assert_uint_eq(ntids, 4);
        for (size_t k = 0; k < ntids; k++)
                ck_assert_int_ne(tids[k], (pid_t)syscall(SYS_gettid));
        ck_assert_uint_eq(rf_pool_pending(p), 0);
        ck_assert_int_eq(rf_pool_wait(p, -1, &err), 0); /* nothing pending: no sleep */
        rf_pool_free(p);
        free(t);
}
END_TEST

/* Each done submits the next task until chain_left is used up. */
static void done_chain(void *arg, int result)
{
        done_fn(arg, result);
        if (cur->chain_left > 0) {
                struct task *next = &cur->t[cur->n - cur->chain_left];
                cur->chain_left--;
                ck_assert_int_eq(rf_pool_submit(cur->p, task_fn, done_chain, next, NULL), 0);
        }
}

START_TEST(done_submits_more)
{
        const size_t n = 5000, first = 8;
        struct tally tl = { .n = n, .chain_left = n - first };
        struct task *t = tasks_new(n, 7);
        rf_error err = { 0 };
        size_t bad = 0;

        cur = &tl;
        tl.t = t;
        ck_assert_int_eq(rf_pool_new(0, &tl.p, &err), 0);
        ck_assert_int_ge(rf_pool_threads(tl.p), 1);
        for (size_t i = 0; i < first; i++)
                ck_assert_int_eq(rf_pool_submit(tl.p, task_fn, done_chain, &t[i], &err), 0);
        wait_all(tl.p);
        ck_assert_uint_eq(tl.dones, n);
        for (size_t i = 0; i < n; i++)
                bad += atomic_load(&t[i].runs) != 1 || t[i].dones != 1 ||
                       t[i].result != expected(&t[i]);
        ck_assert_msg(bad == 0, "%zu tasks did not run once and get one answer", bad);
        rf_pool_free(tl.p);
        free(t);
}
END_TEST

static int slow_fn(void *arg)
{
        struct task *t = arg;

        atomic_fetch_add(&t->runs, 1);
        usleep(2000);
        return (int)t->index;
}

/* rf_pool_free with most tasks not started: those never run and are answered -ECANCELED; the
 * ones that ran are answered with their result; each exactly once. */
START_TEST(free_with_tasks_pending)
{
        const size_t n = 2000;
        struct tally tl = { .n = n };
        struct task *t = tasks_new(n, 3);
        rf_error err = { 0 };
        size_t bad = 0, ran = 0;
        rf_pool *p = NULL;

        cur = &tl;
        ck_assert_int_eq(rf_pool_new(2, &p, &err), 0);
        for (size_t i = 0; i < n; i++)
                ck_assert_int_eq(rf_pool_submit(p, slow_fn, done_fn, &t[i], &err), 0);
        ck_assert_uint_eq(rf_pool_pending(p), n);
        rf_pool_free(p);
        ck_assert_uint_eq(tl.dones, n);
        for (size_t i = 0; i < n; i++) {
                uint32_t runs = atomic_load(&t[i].runs);
                ran += runs;
                if (t[i].dones != 1 || runs > 1 ||
                    t[i].result != (runs ? (int)t[i].index : -ECANCELED))
                        bad++;
        }
        ck_assert_msg(bad == 0, "%zu tasks were not answered once, as they ran", bad);
        ck_assert_uint_eq(ran + tl.cancelled, n);
        ck_assert_uint_gt(tl.cancelled, 0);
        free(t);
}
END_TEST

/* The state letter of thread tid of this process ('R', 'S', ...), or 0. */
static char thread_state(const char *tid)
{
        char path[300], buf[512], *rp;
        FILE *f;
        size_t n;

        snprintf(path, sizeof(path), "/proc/self/task/%s/stat", tid);
        if (!(f = fopen(path, "re")))
                return 0;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = '\0';
        rp = strrchr(buf, ')');
        return rp && rp[1] == ' ' ? rp[2] : 0;
}

/* How many threads of this process other than the caller are not asleep. */
static int threads_awake(void)
{
        char self[16];
        DIR *d = opendir("/proc/self/task");
        struct dirent *e;
        int awake = 0;

        ck_assert_ptr_nonnull(d);
        snprintf(self, sizeof(self), "%d", (int)syscall(SYS_gettid));
        while ((e = readdir(d)))
                if (e->d_name[0] != '.' && strcmp(e->d_name, self) != 0 &&
                    thread_state(e->d_name) != 'S')
                        awake++;
        closedir(d);
        return awake;
}

/* Idle workers sleep (a pool that polled would keep them running or runnable for ever). */
START_TEST(idle_workers_sleep)
{
        const size_t n = 1000;
        struct tally tl = { .n = n };
        struct task *t = tasks_new(n, 5);
        rf_error err = { 0 };
        rf_pool *p = NULL;
        int awake = -1;

        cur = &tl;
        ck_assert_int_eq(rf_pool_new(3, &p, &err), 0);
        for (size_t i = 0; i < n; i++)
                ck_assert_int_eq(rf_pool_submit(p, task_fn, done_fn, &t[i], &err), 0);
        wait_all(p);
        /* Give a loaded machine up to 10 s to schedule the workers into their sleep. */
        for (int i = 0; i < 1000 && awake != 0; i++) {
                usleep(10000);
                awake = threads_awake();
        }
        ck_assert_int_eq(awake, 0);
        rf_pool_free(p);
        free(t);
}
END_TEST

static void *submit_elsewhere(void *arg)
{
        rf_error err = { 0 };
        int k = rf_pool_submit(arg, task_fn, done_fn, NULL, &err);

        return (void *)(intptr_t)(k == -EPERM && strstr(err.msg, "only the thread"));
}

static int forever_fn(void *arg)
{
        _Atomic int *release = arg;

        while (!atomic_load(release))
                usleep(1000);
        return 7;
}

/* The done function of forever_fn: it only counts. */
static void done_count(void *arg, int result)
{
        (void)arg;
        ck_assert_int_eq(result, 7);
        cur->dones++;
}

static int noop_fn(void *arg)
{
        (void)arg;
        return 0;
}

static void done_resubmit(void *arg, int result)
{
        rf_error err = { 0 };

        (void)arg;
        /* It ran (0) or rf_pool_free came first (-ECANCELED); either way its done runs inside
         * rf_pool_free, where the pool is stopping. */
        ck_assert(result == 0 || result == -ECANCELED);
        ck_assert_int_eq(rf_pool_submit(cur->p, noop_fn, done_fn, NULL, &err), -ESHUTDOWN);
        ck_assert_str_ne(err.msg, "");
        cur->dones++;
}

START_TEST(errors)
{
        struct tally tl = { 0 };
        struct task one = { .index = 1 };
        rf_error err = { 0 };
        rf_pool *p = NULL;
        pthread_t th;
        void *ok = NULL;
        _Atomic int release = 0;

        cur = &tl;
        ck_assert_int_eq(rf_pool_new(-1, &p, &err), -EINVAL);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(err.msg, "-1 threads") != NULL, "%s", err.msg);
        ck_assert_int_eq(rf_pool_new(5000, &p, NULL), -EINVAL);
        ck_assert_int_eq(rf_pool_new(2, NULL, NULL), -EINVAL);
        ck_assert_ptr_null(rf_pool_free(NULL));
        ck_assert_int_eq(rf_pool_submit(NULL, task_fn, done_fn, NULL, NULL), -EINVAL);
        ck_assert_int_eq(rf_pool_wait(NULL, 0, NULL), -EINVAL);
        ck_assert_uint_eq(rf_pool_pending(NULL), 0);

        ck_assert_int_eq(rf_pool_new(1, &p, &err), 0);
        err.msg[0] = '\0';
        ck_assert_int_eq(rf_pool_submit(p, NULL, done_fn, NULL, &err), -EINVAL);
        ck_assert_str_ne(err.msg, "");
        ck_assert_int_eq(rf_pool_submit(p, task_fn, NULL, NULL, &err), -EINVAL);
        ck_assert_uint_eq(rf_pool_pending(p), 0);
        /* Only the owner submits and waits. */
        ck_assert_int_eq(pthread_create(&th, NULL, submit_elsewhere, p), 0);
        ck_assert_int_eq(pthread_join(th, &ok), 0);
        ck_assert_ptr_nonnull(ok);
        /* A task still running: a wait with a time limit comes back with nothing. */
        ck_assert_int_eq(rf_pool_submit(p, forever_fn, done_count, (void *)&release, &err), 0);
        ck_assert_int_eq(rf_pool_wait(p, 0, &err), 0);
        ck_assert_int_eq(rf_pool_wait(p, 20, &err), 0);
        ck_assert_uint_eq(rf_pool_pending(p), 1);
        /* A task's result comes back as it is (negative ones: thousands_of_tasks). */
        ck_assert_int_eq(rf_pool_submit(p, task_fn, done_fn, &one, &err), 0);
        atomic_store(&release, 1);
        wait_all(p);
        ck_assert_uint_eq(tl.dones, 2);
        ck_assert_int_eq(one.result, 1);
        ck_assert_int_eq(atomic_load(&one.runs), 1);
        /* A done function that submits while the pool is freed gets -ESHUTDOWN. */
        tl.p = p;
        ck_assert_int_eq(rf_pool_submit(p, noop_fn, done_resubmit, NULL, &err), 0);
        rf_pool_free(p);
        ck_assert_uint_eq(tl.dones, 3);
}
END_TEST

static Suite *pool_suite(void)
{
        Suite *s = suite_create("engine_pool");
        TCase *tc = tcase_create("pool");

        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, thousands_of_tasks);
        tcase_add_test(tc, done_submits_more);
        tcase_add_test(tc, free_with_tasks_pending);
        tcase_add_test(tc, idle_workers_sleep);
        tcase_add_test(tc, errors);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return test_run_suite(pool_suite());
}
