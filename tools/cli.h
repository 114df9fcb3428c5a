/* SPDX-License-Identifier: MIT */
/* The command-line tools' shared pieces: table-driven option parsing onto policy settings. */
#pragma once

#include <stdbool.h>

#include "ringfence.h"

/* What an option does. */
enum cli_kind {
        CLI_SETTING, /* sets `key` to the option's value (or to fixed_value) */
        CLI_SET,     /* --set KEY=VALUE */
        CLI_SHARE,   /* --share NS: namespace.NS=off */
        CLI_STRING,  /* stores the value in *string_out */
        CLI_FLAG,    /* --help, --version or --verbose: sets that member of cli_result */
        CLI_CUSTOM,  /* calls handler with the value (NULL for an option without one) */
};

struct cli_result;

struct cli_option {
        const char *name; /* long name without "--" */
        enum cli_kind kind;
        const char *key;         /* CLI_SETTING: policy key */
        const char *fixed_value; /* CLI_SETTING without argument: the value it sets */
        const char *arg;         /* the argument's name in --help, NULL for none */
        const char *help;
        char short_name; /* -x, or 0 */
        int (*handler)(struct cli_result *out, const char *value, rf_error *err);
};

/* What parsing found besides policy settings. */
struct cli_result {
        const char *json_path;
        bool help, version, verbose;
        int command_index; /* argv index of the command, or -1 */
        void *ctx;         /* the subcommand's own options, for CLI_CUSTOM handlers */
};

/* Parse argv[first..] against the NULL-terminated list of option tables opts into policy p and
 * out, stopping at "--", ":::" or the first argument that is not an option. Returns 0 or
 * -EINVAL with err saying which flag and what was expected. */
int cli_parse(const struct cli_option *const *opts, int argc, char **argv, int first, rf_policy *p,
              struct cli_result *out, rf_error *err);

/* Print "ringfence VERSION" on stdout, as --version, -V and `ringfence version` do; returns 0,
 * the exit status. */
int cli_version(void);

/* Print the options table as --help text. */
void cli_print_options(const struct cli_option *const *tables);

/* The log handler of the tools (rf_set_log_handler): each line on stderr, a progress line
 * (RF_LOG_PROGRESS) in place of the one before. */
void cli_log(int level, const char *line, void *user);
/* `ringfence run`. */
int cli_run(int argc, char **argv);
/* `ringfence batch`. */
int cli_batch(int argc, char **argv);
/* The options that shape a sandbox, shared by run and batch (NULL-terminated by name). */
extern const struct cli_option cli_sandbox_options[];
/* A signalfd for INT, TERM, HUP, QUIT, USR1 and USR2, which are blocked, less those we were
 * started with ignored (they stay so); -1 on failure. */
int cli_signal_fd(void);
/* Load each -p/--policy NAME|FILE of argv[first..] into p, in order, before cli_parse applies
 * the other flags (so that they override the policy wherever -p stands). Returns 0 or -errno
 * with err as "FILE:LINE:COLUMN: ...". */
int cli_apply_policies(const struct cli_option *const *tables, int argc, char **argv, int first,
                       rf_policy *p, rf_error *err);
/* `ringfence policy`. */
int cli_policy(int argc, char **argv);
/* `ringfence results` (cli-results.c). */
int cli_results(int argc, char **argv);
