/* SPDX-License-Identifier: MIT */
/* `ringfence policy check|show|explain|groups|bpf`: policies as a person reviews them, over the
 * library's rf_policy_check, rf_policy_show, rf_policy_explain, rf_syscall_group and
 * rf_policy_bpf_text. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: ringfence policy COMMAND ...\n\n"
                "Commands (NAME is default, none, or a policy installed or in ./policies; FILE\n"
                "is a .policy file or a Docker/OCI seccomp profile .json):\n"
                "  check NAME|FILE...            load and compile each; 125 and FILE:LINE:COLUMN\n"
                "                                on the first error of each\n"
                "  show NAME|FILE [--set K=V]... the effective policy, each line with its origin\n"
                "  explain NAME|FILE SYSCALL [ARG...]\n"
                "                                allowed or refused, and by which line; exits 0\n"
                "                                allowed, 1 refused, 2 depends on the arguments\n"
                "  groups [@GROUP...]            the named groups of system calls\n"
                "  bpf [--kill] NAME|FILE        the compiled seccomp filter, "
                "one instruction a line\n"
                "  help                          this help\n\n"
                "See ringfence.policy(5).\n");
}

static int check(int argc, char **argv)
{
        int status = 0;

        if (argc < 1) {
                fprintf(stderr, "ringfence policy check: expected one or more policy files\n");
                return 125;
        }
        for (int i = 0; i < argc; i++) {
                rf_error err = { 0 };
                size_t rules = 0, insns = 0;

                if (rf_policy_check(argv[i], &rules, &insns, &err) < 0) {
                        fprintf(stderr, "%s\n", err.msg);
                        status = 125;
                        continue;
                }
                printf("%s: ok, %zu seccomp rules, %zu BPF instructions\n", argv[i], rules, insns);
        }
        return status;
}

static int show(int argc, char **argv)
{
        const char *spec = NULL;
        char **sets = calloc((size_t)argc + 1, sizeof(*sets)), *text = NULL;
        rf_error err = { 0 };
        size_t n = 0;
        int r;

        if (!sets)
                return 125;
        for (int i = 0; i < argc; i++) {
                if (!strcmp(argv[i], "--set") && i + 1 < argc)
                        sets[n++] = argv[++i];
                else if (!strncmp(argv[i], "--set=", 6))
                        sets[n++] = argv[i] + 6;
                else if (!spec && argv[i][0] != '-')
                        spec = argv[i];
                else {
                        fprintf(stderr,
                                "ringfence policy show: unexpected '%s', "
                                "expected NAME|FILE and --set KEY=VALUE\n",
                                argv[i]);
                        free(sets);
                        return 125;
                }
        }
        if (!spec) {
                fprintf(stderr, "ringfence policy show: expected a policy NAME or FILE\n");
                free(sets);
                return 125;
        }
        r = rf_policy_show(spec, sets, &text, &err);
        free(sets);
        if (r < 0) {
                fprintf(stderr, "ringfence policy show: %s\n", err.msg);
                return 125;
        }
        fputs(text, stdout);
        free(text);
        return 0;
}

static int explain(int argc, char **argv)
{
        rf_error err = { 0 };
        char *text = NULL;
        int r;

        if (argc < 2) {
                fprintf(stderr, "ringfence policy explain: expected NAME|FILE SYSCALL [ARG...]\n");
                return 125;
        }
        r = rf_policy_explain(argv[0], argv[1], argv + 2, &text, &err);
        if (r < 0) {
                fprintf(stderr, "ringfence policy explain: %s\n", err.msg);
                return 125;
        }
        fputs(text, stdout);
        free(text);
        return r == RF_EXPLAIN_ALLOWED ? 0 : r == RF_EXPLAIN_REFUSED ? 1 : 2;
}

static bool wanted(int argc, char **argv, const char *name)
{
        for (int i = 0; i < argc; i++)
                if (!strcmp(argv[i], name))
                        return true;
        return argc == 0;
}

static int groups(int argc, char **argv)
{
        const char *name, *desc;
        const char *const *members;
        int found = 0;

        for (size_t i = 0; (name = rf_syscall_group(i, &desc, &members)) != NULL; i++) {
                size_t col = 4;

                if (!wanted(argc, argv, name))
                        continue;
                found++;
                printf("%s: %s\n   ", name, desc);
                for (; *members; members++) {
                        if (col + strlen(*members) + 1 > 96) {
                                printf("\n   ");
                                col = 4;
                        }
                        printf(" %s", *members);
                        col += strlen(*members) + 1;
                }
                printf("\n");
        }
        if (argc && found < argc) {
                fprintf(stderr, "ringfence policy groups: unknown group among the arguments, "
                                "expected names such as @file-system (ringfence policy groups)\n");
                return 125;
        }
        return 0;
}

static int bpf(int argc, char **argv)
{
        rf_error err = { 0 };
        char *text = NULL;
        int kill = 0;

        if (argc > 0 && !strcmp(argv[0], "--kill")) {
                kill = 1;
                argc--;
                argv++;
        }
        if (argc != 1) {
                fprintf(stderr, "ringfence policy bpf: expected [--kill] NAME|FILE\n");
                return 125;
        }
        if (rf_policy_bpf_text(argv[0], kill, &text, &err) < 0) {
                fprintf(stderr, "ringfence policy bpf: %s\n", err.msg);
                return 125;
        }
        fputs(text, stdout);
        free(text);
        return 0;
}

int cli_policy(int argc, char **argv)
{
        static const struct {
                const char *name;
                int (*fn)(int argc, char **argv);
        } cmds[] = { { "check", check },
                     { "show", show },
                     { "explain", explain },
                     { "groups", groups },
                     { "bpf", bpf } };
        const char *cmd = argc > 2 ? argv[2] : NULL;

        if (!cmd) {
                usage(stderr);
                return 125;
        }
        if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
                usage(stdout);
                return 0;
        }
        if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V"))
                return cli_version();
        for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
                if (!strcmp(cmd, cmds[i].name))
                        return cmds[i].fn(argc - 3, argv + 3);
        fprintf(stderr,
                "ringfence policy: unknown command '%s', "
                "expected check, show, explain, groups, bpf or help\n",
                cmd);
        return 125;
}
