/* SPDX-License-Identifier: MIT */
/* Turning what a job did into its result: seccomp notifications answered by the policy and
 * recorded, and the final status, exit status and limit (DESIGN.md's exit statuses). */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/base.h"
#include "engine/verdict.h"

static void record_violation(struct engine_result *res, int nr, const char *action,
                             const struct policy_syscall_rule *rule)
{
        const char *name = policy_syscall_name(nr);
        struct engine_violation *v = NULL;

        res->violations_total++;
        for (int i = 0; i < res->n_violations; i++)
                if (res->violations[i].nr == nr)
                        v = &res->violations[i];
        if (!v && res->n_violations < ENGINE_MAX_VIOLATIONS) {
                v = &res->violations[res->n_violations++];
                v->nr = nr;
                snprintf(v->syscall, sizeof(v->syscall), "%s", name ? name : "unknown");
                snprintf(v->action, sizeof(v->action), "%s", action);
                if (rule)
                        snprintf(v->rule, sizeof(v->rule), "%s: %s", rule->origin, rule->name);
                else
                        snprintf(v->rule, sizeof(v->rule), "seccomp.default");
        }
        if (v)
                v->count++;
}

/* One seccomp notification: decide by the policy, record it, answer or kill. */
void engine_on_notification(struct ejob *w)
{
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        const struct policy_syscall_rule *rule;
        enum policy_action act;
        int e;

        memset(&req, 0, sizeof(req));
        if (ioctl(w->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
                if (errno != EINTR && errno != ENOENT) {
                        close(w->listener);
                        w->listener = -1;
                }
                return;
        }
        rule = policy_match(w->spec.policy, req.data.nr, (const uint64_t *)req.data.args);
        act = rule ? rule->action : w->spec.policy->seccomp.default_action;
        e = rule ? rule->errno_val : w->spec.policy->seccomp.default_errno;
        if (req.data.arch != AUDIT_ARCH_X86_64)
                act = POLICY_ACT_KILL;
        record_violation(&w->res, req.data.nr, act == POLICY_ACT_KILL ? "kill" : "errno", rule);
        if (act == POLICY_ACT_KILL) {
                w->killed_violation = true;
                ejob_kill(w, SIGKILL);
                return;
        }
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        resp.error = -(e > 0 ? e : EPERM);
        (void)ioctl(w->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void set_enforced(struct engine_result *r, const struct sandbox_plan *pl,
                         const struct policy_limits *l)
{
        const char *mem = limit_backend_name(pl->cgroup.memory_by);
        const char *pids = limit_backend_name(pl->cgroup.pids_by);

        snprintf(r->enforced_memory, sizeof(r->enforced_memory), "%s",
                 !l->memory ? "" : *mem ? mem : "rlimit");
        snprintf(r->enforced_pids, sizeof(r->enforced_pids), "%s",
                 !l->pids ? "" : *pids ? pids : "rlimit");
        snprintf(r->enforced_cpu, sizeof(r->enforced_cpu), "%s", l->cpu_ms ? "rlimit" : "");
        snprintf(r->enforced_files, sizeof(r->enforced_files), "%s", l->files ? "rlimit" : "");
        snprintf(r->enforced_file_size, sizeof(r->enforced_file_size), "%s",
                 l->file_size ? "rlimit" : "");
        snprintf(r->enforced_time, sizeof(r->enforced_time), "%s", l->timeout_ms ? "host" : "");
        snprintf(r->enforced_output, sizeof(r->enforced_output), "%s", l->output ? "host" : "");
}

static void set_limit(struct engine_result *r, const char *name)
{
        snprintf(r->limit, sizeof(r->limit), "%s", name);
}

/* Decide status and exit status from what was seen. */
void engine_verdict(struct ejob *w)
{
        struct engine_result *r = &w->res;
        const struct policy_limits *l = &w->spec.policy->limits;
        struct cgroup_stats cg = { 0 };
        int st = w->exit_msg.status;

        set_enforced(r, w->plan, l);

        (void)cgroup_job_stats(&w->plan->cgroup, &cg);
        r->exit_code = -1;
        if (w->got_error) {
                int e = w->error_msg.err;
                r->status = RF_STATUS_SPAWN_ERROR;
                sandbox_describe_error(w->plan, &w->error_msg, r->error, sizeof(r->error));
                r->exit_status = w->error_msg.step != STEP_EXEC ? RF_EXIT_INTERNAL
                                 : e == ENOENT                  ? RF_EXIT_NOT_FOUND
                                                                : RF_EXIT_CANNOT_EXEC;
                return;
        }
        if (w->got_exit) {
                r->user_us = (uint64_t)w->exit_msg.ru.ru_utime.tv_sec * 1000000 +
                             (uint64_t)w->exit_msg.ru.ru_utime.tv_usec;
                r->sys_us = (uint64_t)w->exit_msg.ru.ru_stime.tv_sec * 1000000 +
                            (uint64_t)w->exit_msg.ru.ru_stime.tv_usec;
                r->peak_memory = (uint64_t)w->exit_msg.ru.ru_maxrss * 1024;
        }
        if (cg.peak_memory)
                r->peak_memory = cg.peak_memory;
        if (w->timed_out) {
                r->status = RF_STATUS_TIMEOUT;
                r->exit_status = RF_EXIT_TIMEOUT;
                r->signal = SIGKILL; /* what ended it */
                set_limit(r, "time");
                return;
        }
        if (w->killed_violation) {
                r->status = RF_STATUS_VIOLATION;
                r->signal = SIGKILL;
                r->exit_status = RF_EXIT_SIGNAL_BASE + SIGKILL;
                return;
        }
        if (!w->got_exit && !w->started && w->info.si_code == CLD_EXITED) {
                /* The init ended during setup without a word (a signal is reported below). */
                r->status = RF_STATUS_SPAWN_ERROR;
                r->exit_status = RF_EXIT_INTERNAL;
                snprintf(r->error, sizeof(r->error), "the sandbox's init ended during setup, "
                         "before the command started (exit status %d)", w->info.si_status);
                return;
        }
        if (!w->got_exit) {
                r->status = w->output_cut ? RF_STATUS_FAILED : RF_STATUS_SIGNALED;
                r->signal = SIGKILL;
                r->exit_status = RF_EXIT_SIGNAL_BASE + SIGKILL;
                if (w->output_cut)
                        set_limit(r, "output");
                else
                        snprintf(r->error, sizeof(r->error), "the job's init ended (%s)",
                                 strsignal(w->info.si_status));
                return;
        }
        if (WIFEXITED(st)) {
                r->exit_code = WEXITSTATUS(st);
                r->exit_status = r->exit_code;
                r->status = r->exit_code ? RF_STATUS_FAILED : RF_STATUS_OK;
        } else {
                r->signal = WTERMSIG(st);
                r->exit_status = RF_EXIT_SIGNAL_BASE + r->signal;
                r->status = RF_STATUS_SIGNALED;
                /* seccomp killed it: a foreign ABI, or a refused call with no listener */
                if (r->signal == SIGSYS) {
                        r->status = RF_STATUS_VIOLATION;
                        if (!r->n_violations)
                                record_violation(r, -1, "kill", NULL);
                }
        }
        if (w->output_cut)
                set_limit(r, "output");
        else if (cg.memory_limit_hit)
                set_limit(r, "memory");
        else if (r->signal == SIGXCPU && l->cpu_ms) {
                set_limit(r, "cpu-time");
                r->status = RF_STATUS_TIMEOUT;
                r->exit_status = RF_EXIT_TIMEOUT;
        }
        else if (r->signal == SIGXFSZ && l->file_size)
                set_limit(r, "file-size");
        else if (cg.pids_limit_hit && r->status != RF_STATUS_OK)
                set_limit(r, "pids");
        if (r->limit[0] && r->status == RF_STATUS_SIGNALED)
                r->status = RF_STATUS_FAILED;
}

