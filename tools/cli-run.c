/* SPDX-License-Identifier: MIT */
/* `ringfence run [OPTIONS] [--] COMMAND [ARGS...]`: one command in a sandbox, its stdio passed
 * through, exiting as the command did (or 124-127, 128+N: see ringfence-run(1)). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_option run_only_options[] = {
        { "json", CLI_STRING, NULL, NULL, "FILE", "write the result record to FILE" },
        { "verbose", CLI_FLAG, NULL, NULL, NULL, "say why the command ended, on stderr" },
        { "help", CLI_FLAG, NULL, NULL, NULL, "show this help" },
        { "version", CLI_FLAG, NULL, NULL, NULL, "print the version", 'V' },
        { NULL, 0, NULL, NULL, NULL, NULL },
};

static const struct cli_option *const run_options[] = { cli_sandbox_options, run_only_options,
                                                        NULL };

static void usage(void)
{
        printf("Usage: ringfence run [OPTIONS] [--] COMMAND [ARGS...]\n\n"
               "Run COMMAND in a sandbox under the default policy: no network, the system\n"
               "read-only, a private /tmp, no privileges, dangerous system calls refused.\n\n"
               "Options:\n");
        cli_print_options(run_options);
        printf("\nDurations take ms, s, m, h; sizes take K, M, G. See ringfence-run(1).\n");
}

/* Open (create or empty) the --json file before the command starts, as batch does, so that a
 * path that cannot be written fails at once (125, the command not run) rather than after the
 * command, losing its status. O_APPEND: the record follows whatever else goes there
 * (--json /dev/stderr). */
static int open_record(const char *path)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644);

        if (fd < 0)
                fprintf(stderr, "ringfence run: --json %s: %s\n", path, strerror(errno));
        return fd;
}

/* Write the result record to fd, opened by open_record, and close it. */
static int write_record(int fd, const char *path, const rf_result *res, char **argv)
{
        char *line = NULL;
        FILE *f;
        int ok, e;

        if (rf_result_to_json(res, 1, 1, argv, &line) < 0) {
                close(fd);
                return -ENOMEM;
        }
        f = fdopen(fd, "w");
        if (!f) {
                e = errno;
                close(fd);
                free(line);
                fprintf(stderr, "ringfence run: --json %s: %s\n", path, strerror(e));
                return -e;
        }
        errno = 0;
        ok = fprintf(f, "%s\n", line) >= 0 && fflush(f) == 0;
        e = errno;
        ok &= fclose(f) == 0;
        if (!ok && e == 0)
                e = errno;
        free(line);
        if (!ok)
                fprintf(stderr, "ringfence run: --json %s: %s\n", path, strerror(e ? e : EIO));
        return ok ? 0 : -EIO;
}

/* Tell the user, in one line, why the command did not simply exit. */
static void explain(const rf_result *res, bool verbose)
{
        if (res->status == RF_STATUS_SPAWN_ERROR)
                fprintf(stderr, "ringfence run: %s\n", res->error);
        else if (res->status == RF_STATUS_TIMEOUT)
                fprintf(stderr, "ringfence run: time limit reached, command killed\n");
        else if (res->limit[0])
                fprintf(stderr, "ringfence run: %s limit reached, command stopped\n", res->limit);
        else if (res->status == RF_STATUS_VIOLATION)
                fprintf(stderr, "ringfence run: command killed for refused system call %s\n",
                        res->n_violations ? res->violations[0].syscall : "(unknown)");
        else if (verbose && res->n_violations)
                fprintf(stderr, "ringfence run: %u refused system call(s), first %s\n",
                        res->violations_total, res->violations[0].syscall);
}

int cli_run(int argc, char **argv)
{
        rf_error err = { 0 };
        struct cli_result cr = { 0 };
        rf_run_options opts;
        rf_result res;
        rf_policy *p;
        int r, json_fd = -1;

        /* A policy's $PWD is where we are: a launcher started by ninja or make -C inherits a
         * stale PWD. */
        char *cwd = getcwd(NULL, 0);
        if (cwd)
                setenv("PWD", cwd, 1);
        free(cwd);
        p = rf_policy_new_default(&err);
        if (!p) {
                fprintf(stderr, "ringfence run: %s\n", err.msg);
                return 125;
        }
        r = cli_apply_policies(run_options, argc, argv, 2, p, &err);
        if (r >= 0)
                r = cli_parse(run_options, argc, argv, 2, p, &cr, &err);
        if (r < 0 || cr.help || cr.version || cr.command_index < 0) {
                if (r < 0)
                        fprintf(stderr, "ringfence run: %s\n", err.msg);
                else if (cr.help)
                        usage();
                else if (cr.version)
                        cli_version();
                else
                        fprintf(stderr, "ringfence run: no command given, expected "
                                        "ringfence run [OPTIONS] -- COMMAND [ARGS...]\n");
                rf_policy_free(p);
                return r < 0 || !(cr.help || cr.version) ? 125 : 0;
        }
        if (cr.json_path && (json_fd = open_record(cr.json_path)) < 0) {
                rf_policy_free(p);
                return 125;
        }
        rf_run_options_init(&opts);
        opts.signal_fd = cli_signal_fd();
        opts.count_output = cr.json_path != NULL;
        r = rf_run(p, argv + cr.command_index, &opts, &res, &err);
        if (r < 0 && res.status != RF_STATUS_SPAWN_ERROR)
                fprintf(stderr, "ringfence run: %s\n", err.msg);
        explain(&res, cr.verbose);
        if (cr.json_path && write_record(json_fd, cr.json_path, &res, argv + cr.command_index) < 0)
                res.exit_status = 125;
        if (opts.signal_fd >= 0)
                close(opts.signal_fd);
        rf_policy_free(p);
        return res.exit_status;
}
