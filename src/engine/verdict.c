/* SPDX-License-Identifier: MIT */
/* Turning what a job did into its result: seccomp notifications answered by the policy and
 * recorded, and the verdict: the final status, exit status and limit, from the job's facts alone
 * (DESIGN.md's exit statuses). */
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

void engine_result_unstarted(struct engine_result *ret, const char *why)
{
        memset(ret, 0, sizeof(*ret));
        ret->status = RF_STATUS_SPAWN_ERROR;
        ret->exit_status = RF_EXIT_INTERNAL;
        ret->exit_code = -1;
        snprintf(ret->error, sizeof(ret->error), "%s", why ? why : "");
}

static void set_enforced(struct engine_result *r, const struct job_facts *f)
{
        const struct policy_limits *l = &f->limits;
        const char *mem = limit_backend_name(f->memory_by);
        const char *pids = limit_backend_name(f->pids_by);

        snprintf(r->enforced_memory, sizeof(r->enforced_memory), "%s",
                 !l->memory ? ""
                 : *mem     ? mem
                            : "rlimit");
        snprintf(r->enforced_pids, sizeof(r->enforced_pids), "%s",
                 !l->pids ? ""
                 : *pids  ? pids
                          : "rlimit");
        snprintf(r->enforced_cpu, sizeof(r->enforced_cpu), "%s", l->cpu_ms ? "rlimit" : "");
        snprintf(r->enforced_files, sizeof(r->enforced_files), "%s", l->files ? "rlimit" : "");
        snprintf(r->enforced_file_size, sizeof(r->enforced_file_size), "%s",
                 l->file_size ? "rlimit" : "");
        snprintf(r->enforced_time, sizeof(r->enforced_time), "%s", l->timeout_ms ? "host" : "");
        snprintf(r->enforced_output, sizeof(r->enforced_output), "%s", l->output ? "host" : "");
}

/* What was counted while it ran, as counted. */
static void set_counted(struct engine_result *r, const struct job_facts *f)
{
        r->start_unix_us = f->start_unix_us;
        r->wall_us = f->wall_us;
        r->stdout_bytes = f->stdout_bytes;
        r->stderr_bytes = f->stderr_bytes;
        r->output_truncated = f->output_cut;
        r->violations_total = f->violations_total;
        r->n_violations = f->n_violations;
        if (f->n_violations > 0)
                memcpy(r->violations, f->violations,
                       (size_t)f->n_violations * sizeof(*r->violations));
}

static void set_limit(struct engine_result *r, const char *name)
{
        snprintf(r->limit, sizeof(r->limit), "%s", name);
}

/* The init ended during setup without a word: it did not say the command started, nothing of
 * ours killed it, and it exited (a signal is the init's end, see ended_unseen). */
static bool init_ended_in_setup(const struct job_facts *f)
{
        return !f->timed_out && !f->killed_violation && !f->exited && !f->command_started &&
               f->init_code == CLD_EXITED;
}

/* A job whose command did not start: nothing spawned, its setup or exec failed, or its init
 * ended during setup. */
static void unstarted(const struct job_facts *f, struct engine_result *r)
{
        char why[sizeof(r->error)];

        if (f->spawned && !f->setup_failed)
                snprintf(why, sizeof(why),
                         "the sandbox's init ended during setup, "
                         "before the command started (exit status %d)",
                         f->init_status);
        engine_result_unstarted(r, f->spawned && !f->setup_failed ? why : f->error);
        set_counted(r, f);
        if (!f->spawned)
                return;
        set_enforced(r, f);
        if (f->setup_failed)
                r->exit_status = f->setup_step != STEP_EXEC ? RF_EXIT_INTERNAL
                                 : f->setup_errno == ENOENT ? RF_EXIT_NOT_FOUND
                                                            : RF_EXIT_CANNOT_EXEC;
        else
                r->peak_memory = f->cgroup_peak_memory;
}

/* The job's init ended and nobody saw the command's end: the output limit's kill, or the init's
 * own end. */
static void ended_unseen(const struct job_facts *f, struct engine_result *r)
{
        r->status = f->output_cut ? RF_STATUS_FAILED : RF_STATUS_SIGNALED;
        r->signal = SIGKILL;
        r->exit_status = RF_EXIT_SIGNAL_BASE + SIGKILL;
        if (f->output_cut)
                set_limit(r, "output");
        else
                snprintf(r->error, sizeof(r->error), "the job's init ended (%s)",
                         strsignal(f->init_status));
}

/* The command's own end, from its wait status. */
static void ended(const struct job_facts *f, struct engine_result *r)
{
        int st = f->wait_status;

        if (WIFEXITED(st)) {
                r->exit_code = WEXITSTATUS(st);
                r->exit_status = r->exit_code;
                r->status = r->exit_code ? RF_STATUS_FAILED : RF_STATUS_OK;
                return;
        }
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

/* The limit that stopped a command that ended by itself or by a signal, if one did: a signaled
 * command stopped by a limit failed. */
static void stopped_by(const struct job_facts *f, struct engine_result *r)
{
        const struct policy_limits *l = &f->limits;

        if (f->output_cut)
                set_limit(r, "output");
        else if (f->memory_limit_hit)
                set_limit(r, "memory");
        else if (r->signal == SIGXCPU && l->cpu_ms) {
                set_limit(r, "cpu-time");
                r->status = RF_STATUS_TIMEOUT;
                r->exit_status = RF_EXIT_TIMEOUT;
        } else if (r->signal == SIGXFSZ && l->file_size)
                set_limit(r, "file-size");
        else if (f->pids_limit_hit && r->status != RF_STATUS_OK)
                set_limit(r, "pids");
        if (r->limit[0] && r->status == RF_STATUS_SIGNALED)
                r->status = RF_STATUS_FAILED;
}

void engine_verdict(const struct job_facts *f, struct engine_result *r)
{
        if (!f->spawned || f->setup_failed || init_ended_in_setup(f)) {
                unstarted(f, r);
                return;
        }
        memset(r, 0, sizeof(*r));
        set_counted(r, f);
        set_enforced(r, f);
        r->exit_code = -1;
        if (f->exited) {
                r->user_us = f->user_us;
                r->sys_us = f->sys_us;
                r->peak_memory = f->peak_rss;
        }
        if (f->cgroup_peak_memory)
                r->peak_memory = f->cgroup_peak_memory;
        if (f->timed_out) {
                r->status = RF_STATUS_TIMEOUT;
                r->exit_status = RF_EXIT_TIMEOUT;
                r->signal = SIGKILL; /* what ended it */
                set_limit(r, "time");
        } else if (f->killed_violation) {
                r->status = RF_STATUS_VIOLATION;
                r->signal = SIGKILL;
                r->exit_status = RF_EXIT_SIGNAL_BASE + SIGKILL;
        } else if (!f->exited) {
                ended_unseen(f, r);
        } else {
                ended(f, r);
                stopped_by(f, r);
        }
}
