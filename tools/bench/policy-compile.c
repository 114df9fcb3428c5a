/* SPDX-License-Identifier: MIT */
/* policy-compile: how long a policy takes to become a seccomp filter, as `ringfence run -p` pays
 * it once per process: the default, the policy file parsed onto it (includes and all), and the
 * BPF compilation (rf_policy_check). Each sample is a fresh child process that does it once
 * ("cold") and then once more ("warm", for comparison); the report is the median, min and max of
 * each, wall clock and CPU time of the calling thread.
 *
 *   cc -O2 -Iinclude tools/bench/policy-compile.c build/.libs/libringfence.a \
 *      -lseccomp -luring -ljansson -lm -o policy-compile
 *   ./policy-compile [-n RUNS] POLICY...    (e.g. policies/NAME.policy or default; RUNS 101)
 *
 * The machines here are noisy: CPU time is the steadier number; run it on a quiet machine for
 * wall times worth quoting.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ringfence.h"

/* One sample: cold and warm, wall and CPU, in microseconds. */
struct sample {
        double cold_wall, cold_cpu, warm_wall, warm_cpu;
        size_t rules, insns;
        int ok;
};

static double now_us(clockid_t c)
{
        struct timespec ts;

        clock_gettime(c, &ts);
        return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Check spec once, timing it into *wall and *cpu. Returns 0, or -1 with the error printed. */
static int check_once(const char *spec, double *wall, double *cpu, size_t *rules, size_t *insns)
{
        rf_error err = { 0 };
        double w0 = now_us(CLOCK_MONOTONIC), c0 = now_us(CLOCK_THREAD_CPUTIME_ID);
        int r = rf_policy_check(spec, rules, insns, &err);

        *cpu = now_us(CLOCK_THREAD_CPUTIME_ID) - c0;
        *wall = now_us(CLOCK_MONOTONIC) - w0;
        if (r < 0)
                fprintf(stderr, "policy-compile: %s\n", err.msg);
        return r < 0 ? -1 : 0;
}

/* A fresh child measures spec and sends the sample back through a pipe. */
static int sample(const char *spec, struct sample *s)
{
        int fd[2], status;
        pid_t pid;

        if (pipe(fd) < 0)
                return -1;
        pid = fork();
        if (pid < 0)
                return -1;
        if (pid == 0) {
                struct sample c = { 0 };
                close(fd[0]);
                c.ok = check_once(spec, &c.cold_wall, &c.cold_cpu, &c.rules, &c.insns) == 0 &&
                       check_once(spec, &c.warm_wall, &c.warm_cpu, &c.rules, &c.insns) == 0;
                _exit(write(fd[1], &c, sizeof(c)) == (ssize_t)sizeof(c) && c.ok ? 0 : 1);
        }
        close(fd[1]);
        memset(s, 0, sizeof(*s));
        if (read(fd[0], s, sizeof(*s)) != (ssize_t)sizeof(*s))
                s->ok = 0;
        close(fd[0]);
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                s->ok = 0;
        return s->ok ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

/* "median (min-max)" of the n values at v with the given stride, in microseconds. */
static void put_stat(const struct sample *s, size_t n, size_t off)
{
        double *v = malloc(n * sizeof(*v));

        if (!v)
                abort();
        for (size_t i = 0; i < n; i++)
                memcpy(&v[i], (const char *)&s[i] + off, sizeof(double));
        qsort(v, n, sizeof(*v), cmp_double);
        printf(" %8.0f (%6.0f-%6.0f)", v[n / 2], v[0], v[n - 1]);
        free(v);
}

int main(int argc, char **argv)
{
        long runs = 101;
        int opt, failed = 0;

        while ((opt = getopt(argc, argv, "n:")) != -1) {
                char *end;
                if (opt != 'n' || (runs = strtol(optarg, &end, 10)) < 1 || *end) {
                        fprintf(stderr, "usage: %s [-n RUNS] POLICY...: RUNS is a number >= 1\n",
                                argv[0]);
                        return 2;
                }
        }
        if (optind == argc) {
                fprintf(stderr,
                        "usage: %s [-n RUNS] POLICY...: name at least one policy, "
                        "such as policies/build.policy or default\n",
                        argv[0]);
                return 2;
        }
        printf("# %ld fresh processes per policy; microseconds, median (min-max)\n", runs);
        printf("%-28s %6s %6s %24s %24s %24s %24s\n", "policy", "rules", "insns", "cold wall",
               "cold cpu", "warm wall", "warm cpu");
        for (int a = optind; a < argc; a++) {
                struct sample *s = calloc((size_t)runs, sizeof(*s));
                if (!s)
                        abort();
                for (long i = 0; i < runs; i++)
                        if (sample(argv[a], &s[i]) < 0) {
                                fprintf(stderr, "policy-compile: %s failed\n", argv[a]);
                                failed = 1;
                                break;
                        }
                if (s[runs - 1].ok) {
                        printf("%-28s %6zu %6zu", argv[a], s[0].rules, s[0].insns);
                        put_stat(s, (size_t)runs, offsetof(struct sample, cold_wall));
                        put_stat(s, (size_t)runs, offsetof(struct sample, cold_cpu));
                        put_stat(s, (size_t)runs, offsetof(struct sample, warm_wall));
                        put_stat(s, (size_t)runs, offsetof(struct sample, warm_cpu));
                        printf("\n");
                }
                free(s);
        }
        return failed;
}
