/* SPDX-License-Identifier: MIT */
/* The command-line tools' shared pieces: table-driven option parsing onto policy settings. */
#pragma once

#include <stdbool.h>

#include "ringfence.h"

/* What an option does. */
enum cli_kind {
        CLI_SETTING,   /* sets `key` to the option's value (or to fixed_value) */
        CLI_SET,       /* --set KEY=VALUE */
        CLI_SHARE,     /* --share NS: namespace.NS=off */
        CLI_STRING,    /* stores the value in *string_out */
        CLI_FLAG,      /* sets *flag_out */
};

struct cli_option {
        const char *name;        /* long name without "--" */
        enum cli_kind kind;
        const char *key;         /* CLI_SETTING: policy key */
        const char *fixed_value; /* CLI_SETTING without argument: the value it sets */
        const char *arg;         /* the argument's name in --help, NULL for none */
        const char *help;
};

/* What parsing found besides policy settings. */
struct cli_result {
        const char *json_path;
        bool help, verbose;
        int command_index; /* argv index of the command, or -1 */
};

/* Parse argv[first..] against opts into policy p and out, stopping at "--" or at the first
 * argument that is not an option. Returns 0 or -EINVAL with err saying which flag and what was
 * expected. */
int cli_parse(const struct cli_option *opts, int argc, char **argv, int first, rf_policy *p,
              struct cli_result *out, rf_error *err);

/* Print the options table as --help text. */
void cli_print_options(const struct cli_option *opts);

/* `ringfence run`. */
int cli_run(int argc, char **argv);
