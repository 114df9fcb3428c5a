/* SPDX-License-Identifier: MIT */
/* What run and batch share: the options that shape a sandbox (each maps onto a policy setting),
 * and the signal fd through which signals reach the jobs. */
#include "config.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/signalfd.h>

#include "cli.h"

/* -p takes effect in cli_apply_policies, before every other flag; here it is only skipped. */
static int opt_policy(struct cli_result *out, const char *value, rf_error *err)
{
        (void)out;
        (void)value;
        (void)err;
        return 0;
}

const struct cli_option cli_sandbox_options[] = {
        { "policy", CLI_CUSTOM, NULL, NULL, "NAME|FILE",
          "policy NAME or FILE (.policy, .json); other flags override it", 'p', opt_policy },
        { "rw", CLI_SETTING, "fs.rw", NULL, "PATH", "make PATH visible and writable" },
        { "ro", CLI_SETTING, "fs.ro", NULL, "PATH", "make PATH visible, read-only" },
        { "hide", CLI_SETTING, "fs.hide", NULL, "PATH", "cover PATH with an empty read-only one" },
        { "tmpfs", CLI_SETTING, "fs.tmpfs", NULL, "PATH", "a private empty writable PATH" },
        { "net", CLI_SETTING, "net", NULL, "MODE", "none (default), loopback, or host" },
        { "as-root", CLI_SETTING, "identity", "root", NULL, "be uid 0, root only inside" },
        { "env", CLI_SETTING, "env.pass", NULL, "NAME", "pass variable NAME (or PREFIX*) in" },
        { "setenv", CLI_SETTING, "env.set", NULL, "NAME=VALUE", "set a variable inside" },
        { "fd", CLI_SETTING, "fd", NULL, "N", "pass file descriptor N in (besides 0, 1, 2)" },
        { "cwd", CLI_SETTING, "cwd", NULL, "DIR", "working directory inside" },
        { "hostname", CLI_SETTING, "hostname", NULL, "NAME", "host name inside" },
        { "timeout", CLI_SETTING, "limit.timeout", NULL, "DURATION", "wall-clock limit (124)" },
        { "cpu-time", CLI_SETTING, "limit.cpu-time", NULL, "DURATION", "CPU time limit" },
        { "memory", CLI_SETTING, "limit.memory", NULL, "SIZE", "memory limit" },
        { "pids", CLI_SETTING, "limit.pids", NULL, "N", "processes and threads limit" },
        { "files", CLI_SETTING, "limit.files", NULL, "N", "open files per process" },
        { "file-size", CLI_SETTING, "limit.file-size", NULL, "SIZE", "largest file written" },
        { "output", CLI_SETTING, "limit.output", NULL, "SIZE",
          "stdout+stderr bytes passed before the command is stopped" },
        { "tmp-size", CLI_SETTING, "limit.tmp-size", NULL, "SIZE", "size of the private /tmp" },
        { "share", CLI_SHARE, NULL, NULL, "NS",
          "keep the host's namespace NS: user, pid, mount, ipc, uts, net, cgroup" },
        { "set", CLI_SET, NULL, NULL, "KEY=VALUE", "any policy setting" },
        { NULL, 0, NULL, NULL, NULL, NULL },
};

/* Signals for the jobs are read from a signalfd (and forwarded through their pidfds). One we
 * were started with ignored (nohup: HUP; a shell's background job: INT and QUIT) stays
 * ignored: it is neither read nor passed on, as a shell's child would not see it either. */
int cli_signal_fd(void)
{
        static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
        sigset_t set;

        sigemptyset(&set);
        for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
                struct sigaction old;
                if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
                        continue;
                sigaddset(&set, sigs[i]);
        }
        if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
                return -1;
        return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* The option of tables called name[0..len), or with short name c when len is 0. */
static const struct cli_option *lookup(const struct cli_option *const *tables, const char *name,
                                       size_t len, char c)
{
        for (const struct cli_option *const *t = tables; *t; t++)
                for (const struct cli_option *o = *t; o->name; o++)
                        if (len ? strlen(o->name) == len && !strncmp(o->name, name, len)
                                : o->short_name == c)
                                return o;
        return NULL;
}

/* Walk the options as cli_parse does, loading each -p/--policy value into p in order; stops
 * quietly where cli_parse would stop or complain. */
int cli_apply_policies(const struct cli_option *const *tables, int argc, char **argv, int first,
                       rf_policy *p, rf_error *err)
{
        for (int i = first; i < argc; i++) {
                const char *a = argv[i], *value = NULL, *eq;
                const struct cli_option *o;
                int r;

                if (!strcmp(a, "--") || !strcmp(a, ":::") || a[0] != '-' || !a[1])
                        return 0;
                if (a[1] != '-') {
                        o = lookup(tables, NULL, 0, a[1]);
                        if (o && o->arg && a[2])
                                value = a + 2; /* -pbuild */
                } else {
                        eq = strchr(a + 2, '=');
                        o = lookup(tables, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2), 0);
                        if (o && o->arg && eq)
                                value = eq + 1;
                }
                if (!o)
                        return 0;
                if (o->arg && !value) {
                        if (i + 1 >= argc)
                                return 0;
                        value = argv[++i];
                }
                if (o->handler == opt_policy && (r = rf_policy_load(p, value, err)) < 0)
                        return r;
        }
        return 0;
}
