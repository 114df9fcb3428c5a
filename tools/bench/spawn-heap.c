/* SPDX-License-Identifier: MIT */
/* spawn-heap: what one spawn costs when the host holds a large heap. Allocates HEAP_MIB MiB
 * (4 KiB pages, every one touched, so a copying spawn has that many page-table entries to copy),
 * then starts N /bin/true, J in flight, and prints jobs/s. tools/bench/spawn-heap.sh runs the
 * modes interleaved, with and without the heap, and prints the ratios.
 *
 *   spawn-heap MODE N J HEAP_MIB
 *
 * MODE: ref    bare vfork()+execve(), reaped with waitpid (the reference)
 *       fork   fork()+execve(): a copying spawn, to show what the heap costs one
 *       batch  rf_batch_run of N jobs, J in flight: the engine, spawning on its worker pool
 *       run    rf_run, one job after the other (J is ignored): spawned on the caller's thread
 *
 * The ringfence modes run the full default sandbox. Build (the script does this):
 *   cc -O2 -pthread -Iinclude tools/bench/spawn-heap.c build/.libs/libringfence.a \
 *      -lseccomp -luring -ljansson -lm -o spawn-heap
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ringfence.h"

extern char **environ;

static long count_arg(const char *s, const char *what, long min)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < min || v > INT_MAX) {
                fprintf(stderr, "spawn-heap: invalid %s '%s', expected an integer >= %ld\n", what,
                        s, min);
                exit(2);
        }
        return v;
}

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* HEAP_MIB MiB in 4 KiB pages (no huge pages), every page written. Kept until exit. */
static void make_heap(long mib)
{
        size_t size = (size_t)mib << 20;
        char *p;

        if (mib == 0)
                return;
        p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
                perror("spawn-heap: mmap");
                exit(1);
        }
        (void)madvise(p, size, MADV_NOHUGEPAGE);
        for (size_t off = 0; off < size; off += 4096)
                p[off] = (char)off;
}

/* One child running /bin/true, by fork (copy) or vfork. Its own function, so that vfork's
 * return twice touches no local of the caller's loop. */
static __attribute__((noinline)) pid_t start_one(bool copy)
{
        static char *argv[] = { "/bin/true", NULL };
        pid_t pid = copy ? fork() : vfork();

        if (pid == 0) {
                execve(argv[0], argv, environ);
                _exit(127);
        }
        return pid;
}

/* ref and fork: N children of /bin/true, J at a time. Returns the failures. */
static long spawn_plain(bool copy, long n, long j)
{
        long started = 0, running = 0, failed = 0;

        while (started < n || running > 0) {
                int status;

                while (started < n && running < j) {
                        pid_t pid = start_one(copy);
                        if (pid < 0) {
                                perror("spawn-heap: fork");
                                exit(1);
                        }
                        started++;
                        running++;
                }
                if (waitpid(-1, &status, 0) < 0) {
                        perror("spawn-heap: waitpid");
                        exit(1);
                }
                running--;
                failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
        return failed;
}

/* batch: N jobs of /bin/true through rf_batch_run, J in flight. Returns the failures. */
static long spawn_batch(const rf_policy *p, long n, long j)
{
        char **args = calloc((size_t)n + 1, sizeof(*args));
        char *cmd[] = { "/bin/true", NULL };
        rf_batch_options o;
        rf_batch_summary sum;
        rf_error err = { 0 };

        if (!args)
                exit(1);
        for (long i = 0; i < n; i++)
                if (asprintf(&args[i], "%ld", i) < 0)
                        exit(1);
        rf_batch_options_init(&o);
        o.input = RF_BATCH_ARGS;
        o.arg_groups[0] = args;
        o.n_arg_groups = 1;
        o.command = cmd;
        o.jobs = (int32_t)j;
        if (rf_batch_run(p, &o, &sum, &err) < 0) {
                fprintf(stderr, "spawn-heap: batch: %s\n", err.msg);
                exit(1);
        }
        for (long i = 0; i < n; i++)
                free(args[i]);
        free(args);
        return (long)(sum.total - sum.ok) + (n - (long)sum.total);
}

/* run: N jobs of /bin/true through rf_run, one after the other. Returns the failures. */
static long spawn_run(const rf_policy *p, long n)
{
        char *argv[] = { "/bin/true", NULL };
        long failed = 0;

        for (long i = 0; i < n; i++) {
                rf_result res;
                rf_error err = { 0 };
                if (rf_run(p, argv, NULL, &res, &err) < 0) {
                        fprintf(stderr, "spawn-heap: run: %s\n", err.msg);
                        exit(1);
                }
                failed += res.status != RF_STATUS_OK;
        }
        return failed;
}

int main(int argc, char **argv)
{
        rf_policy *p = NULL;
        rf_error err = { 0 };
        long n, j, mib, failed;
        const char *mode;
        double t0, secs;

        if (argc != 5) {
                fprintf(stderr, "Usage: spawn-heap ref|fork|batch|run N J HEAP_MIB\n"
                                "Start N /bin/true, J at a time, with a touched heap of HEAP_MIB "
                                "MiB; print jobs/s.\n");
                return 2;
        }
        mode = argv[1];
        n = count_arg(argv[2], "job count N", 1);
        j = count_arg(argv[3], "jobs in flight J", 1);
        mib = count_arg(argv[4], "heap size HEAP_MIB", 0);
        if (strcmp(mode, "batch") == 0 || strcmp(mode, "run") == 0) {
                p = rf_policy_new_default(&err);
                if (!p) {
                        fprintf(stderr, "spawn-heap: %s\n", err.msg);
                        return 1;
                }
        } else if (strcmp(mode, "ref") != 0 && strcmp(mode, "fork") != 0) {
                fprintf(stderr, "spawn-heap: unknown mode '%s', expected ref, fork, batch or run\n",
                        mode);
                return 2;
        }
        make_heap(mib);
        t0 = now_s();
        if (p && mode[0] == 'b')
                failed = spawn_batch(p, n, j);
        else if (p)
                failed = spawn_run(p, n);
        else
                failed = spawn_plain(strcmp(mode, "fork") == 0, n, j);
        secs = now_s() - t0;
        printf("%.1f jobs/s (%s, %ld jobs, %ld in flight, heap %ld MiB, %.3f s, %.1f us/job)\n",
               (double)n / secs, mode, n, mode[0] == 'r' && mode[1] == 'u' ? 1 : j, mib, secs,
               secs * 1e6 / (double)n);
        rf_policy_free(p);
        if (failed) {
                fprintf(stderr, "spawn-heap: %ld of %ld jobs did not exit 0\n", failed, n);
                return 1;
        }
        return 0;
}
