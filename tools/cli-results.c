/* SPDX-License-Identifier: MIT */
/* `ringfence results merge [-o FILE] FILES...`: join the JSON-lines result files of a batch's
 * shards into one and say which jobs are missing or repeated (rf_results_merge). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *f)
{
        fprintf(f, "Usage: ringfence results merge [-o FILE] FILES...\n\n"
                   "Join the --json result files of the shards of one batch (ringfence batch\n"
                   "--shard I/N) into one, on stdout or FILE: every job's record once. Checks\n"
                   "that every shard finished and that every job of the input has exactly one\n"
                   "record, and says on stderr which are missing or repeated.\n\n"
                   "Exit status: 0 when every job is there once, 1 when some are missing or\n"
                   "repeated (the merged file has all the others), 125 when a file cannot be\n"
                   "read or is not ringfence's records. See ringfence-batch(1).\n");
}

/* Print each line of text with our prefix. */
static void say(const char *text)
{
        const char *p = text;

        while (p && *p) {
                size_t n = strcspn(p, "\n");
                fprintf(stderr, "ringfence results merge: %.*s\n", (int)n, p);
                p += n + (p[n] == '\n');
        }
}

static int merge(int argc, char **argv)
{
        const char *out_path = NULL;
        rf_merge_report rep;
        rf_error err = { 0 };
        int i, fd = 1, r;

        for (i = 3; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
                if (!strcmp(argv[i], "--")) {
                        i++;
                        break;
                }
                if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc) {
                        out_path = argv[++i];
                } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                        usage(stdout);
                        return 0;
                } else {
                        fprintf(stderr,
                                "ringfence results merge: unknown option '%s', "
                                "expected -o FILE or the result files\n",
                                argv[i]);
                        return 125;
                }
        }
        if (i >= argc) {
                fprintf(stderr, "ringfence results merge: no result files given, expected the "
                                "--json files of the shards\n");
                return 125;
        }
        if (out_path) {
                fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (fd < 0) {
                        fprintf(stderr, "ringfence results merge: -o %s: %s\n", out_path,
                                strerror(errno));
                        return 125;
                }
        }
        r = rf_results_merge((const char *const *)(argv + i), (size_t)(argc - i), fd, &rep, &err);
        if (out_path && close(fd) < 0 && r == 0)
                r = -errno;
        if (r < 0) {
                fprintf(stderr, "ringfence results merge: %s\n",
                        err.msg[0] ? err.msg : strerror(-r));
                return 125;
        }
        say(rep.text);
        fprintf(stderr, "ringfence results merge: %llu records from %d files",
                (unsigned long long)rep.records, argc - i);
        if (rep.shards)
                fprintf(stderr, ", %u shards (%u unfinished)", rep.shards, rep.shards_unfinished);
        fprintf(stderr, "; %llu missing, %llu repeated\n", (unsigned long long)rep.missing,
                (unsigned long long)rep.duplicates);
        r = rep.text || rep.missing || rep.duplicates || rep.shards_unfinished ? 1 : 0;
        free(rep.text);
        return r;
}

int cli_results(int argc, char **argv)
{
        const char *cmd = argc > 2 ? argv[2] : NULL;

        if (!cmd) {
                usage(stderr);
                return 125;
        }
        if (!strcmp(cmd, "merge"))
                return merge(argc, argv);
        if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
                usage(stdout);
                return 0;
        }
        if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V"))
                return cli_version();
        fprintf(stderr, "ringfence results: unknown command '%s', expected merge or help\n", cmd);
        return 125;
}
