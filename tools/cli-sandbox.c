/* SPDX-License-Identifier: MIT */
/* What run and batch share: the options that shape a sandbox (each maps onto a policy setting),
 * and the signal fd through which signals reach the jobs. */
#include "config.h"

#include <signal.h>
#include <stddef.h>
#include <sys/signalfd.h>

#include "cli.h"

const struct cli_option cli_sandbox_options[] = {
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

/* Signals for the jobs are read from a signalfd (and forwarded through their pidfds). */
int cli_signal_fd(void)
{
        static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
        sigset_t set;

        sigemptyset(&set);
        for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
                sigaddset(&set, sigs[i]);
        if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
                return -1;
        return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

