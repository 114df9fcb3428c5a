/* SPDX-License-Identifier: MIT */
/* `ringfence`: subcommand dispatch only. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
        fprintf(f, "Usage: ringfence COMMAND [OPTIONS]\n\n"
                   "Commands:\n"
                   "  run        run one command in a sandbox (ringfence run --help)\n"
                   "  batch      run many, each in a sandbox (ringfence batch --help)\n"
                   "  policy     check, show and explain policies (ringfence policy help)\n"
                   "  results    merge the result files of shards (ringfence results help)\n"
                   "  version    print the version (also --version, -V)\n"
                   "  help       show this help (also --help, -h)\n\n"
                   "See ringfence(1).\n");
}

int main(int argc, char **argv)
{
        rf_set_log_handler(cli_log, NULL);
        if (argc < 2) {
                usage(stderr);
                return 125;
        }
        if (!strcmp(argv[1], "run"))
                return cli_run(argc, argv);
        if (!strcmp(argv[1], "batch"))
                return cli_batch(argc, argv);
        if (!strcmp(argv[1], "policy"))
                return cli_policy(argc, argv);
        if (!strcmp(argv[1], "results"))
                return cli_results(argc, argv);
        if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
                return cli_version();
        if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
                usage(stdout);
                return 0;
        }
        fprintf(stderr,
                "ringfence: unknown command '%s', "
                "expected run, batch, policy, results, version or help\n",
                argv[1]);
        return 125;
}
