/* SPDX-License-Identifier: MIT */
/* The reference spawner the benchmarks divide by: N jobs of one command, J in flight, each a bare
 * vfork()+execve(), reaped with waitpid(). Prints jobs/s. See tools/bench/README.md.
 *
 * Usage: vfork-ref [-n] N J CMD [ARGS...]    (CMD without a '/' is looked up in PATH once, up
 * front; -n appends the job's number, 1 to N, as the last argument, as `seq N | xargs -n1 CMD`
 * does: coreutils' true sets up its locale when it is given an argument, a quarter of its cost
 * here, so a reference without it would run a cheaper command than its peers.) */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long parse_count(const char *s, const char *what)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < 1 || v > INT_MAX) {
                fprintf(stderr, "vfork-ref: invalid %s '%s', expected a positive integer\n", what,
                        s);
                exit(2);
        }
        return v;
}

/* Find CMD in PATH the way execvp would, so that the timed loop is a plain execve. Returns a
 * static buffer, or NULL when no executable file of that name is found. */
static const char *resolve(const char *cmd)
{
        static char buf[PATH_MAX];
        const char *path = getenv("PATH");

        if (strchr(cmd, '/'))
                return cmd;
        if (!path || !*path)
                path = "/usr/local/bin:/usr/bin:/bin";
        while (*path) {
                size_t len = strcspn(path, ":");
                int n = snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, len ? path : ".", cmd);

                if (n > 0 && (size_t)n < sizeof(buf) && access(buf, X_OK) == 0)
                        return buf;
                path += len + (path[len] == ':');
        }
        return NULL;
}

/* Start one job; returns its pid, or -1 with errno set. */
static pid_t spawn(const char *file, char **argv)
{
        pid_t pid = vfork();

        if (pid == 0) {
                execve(file, argv, environ);
                _exit(127);
        }
        return pid;
}

/* Reap one job; returns 1 if it exited 0, 0 if it did not, -1 on a waitpid error. */
static int reap(void)
{
        int status;

        while (waitpid(-1, &status, 0) < 0) {
                if (errno != EINTR)
                        return -1;
        }
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
        struct timespec t0, t1;
        long n, j, started = 0, running = 0, failed = 0;
        const char *file;
        char **cmd, number[24];
        int with_number = argc > 1 && strcmp(argv[1], "-n") == 0, ncmd;
        double secs;

        argv += with_number;
        argc -= with_number;
        if (argc < 4) {
                fprintf(stderr, "Usage: vfork-ref [-n] N J CMD [ARGS...]\n"
                                "Run CMD N times, J at a time, with vfork+execve; print jobs/s.\n"
                                "-n: append the job's number (1..N) as CMD's last argument.\n");
                return 2;
        }
        n = parse_count(argv[1], "job count N");
        j = parse_count(argv[2], "jobs in flight J");
        file = resolve(argv[3]);
        if (!file) {
                fprintf(stderr, "vfork-ref: %s: command not found in PATH\n", argv[3]);
                return 127;
        }
        /* CMD, ARGS, the number when asked for, NULL. The child execs (or exits) before vfork
         * returns, so the one number buffer serves every job. */
        ncmd = argc - 3;
        cmd = calloc((size_t)ncmd + 2, sizeof(*cmd));
        if (!cmd) {
                perror("vfork-ref");
                return 1;
        }
        memcpy(cmd, argv + 3, (size_t)ncmd * sizeof(*cmd));

        clock_gettime(CLOCK_MONOTONIC, &t0);
        while (started < n || running > 0) {
                int r;

                while (started < n && running < j) {
                        if (with_number) {
                                snprintf(number, sizeof(number), "%ld", started + 1);
                                cmd[ncmd] = number;
                        }
                        if (spawn(file, cmd) < 0) {
                                perror("vfork-ref: vfork");
                                return 1;
                        }
                        started++;
                        running++;
                }
                r = reap();
                if (r < 0) {
                        perror("vfork-ref: waitpid");
                        return 1;
                }
                running--;
                failed += !r;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);

        secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("%.1f jobs/s (%ld jobs, %ld in flight, %.3f s, %.1f us/job)\n", (double)n / secs, n,
               j, secs, secs * 1e6 / (double)n);
        free(cmd);
        if (failed) {
                fprintf(stderr, "vfork-ref: %ld of %ld jobs did not exit 0\n", failed, n);
                return 1;
        }
        return 0;
}
