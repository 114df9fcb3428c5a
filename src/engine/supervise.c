/* SPDX-License-Identifier: MIT */
/* Supervise one sandboxed job until it ends: wait on its pidfd, enforce the wall-clock limit and
 * the output cap, answer seccomp notifications (EPERM or kill, and record them), forward signals,
 * and turn what happened into a result record. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "engine/engine.h"
#include "sandbox/sandbox.h"

/* What the supervisor saw while the job ran. */
struct watch {
        const struct engine_job *job;
        struct sandbox_plan *plan;
        struct sandbox_proc proc;
        rf_result *res;
        int listener;
        int pipes[2];      /* read ends of the job's stdout and stderr, or -1 */
        int sinks[2];      /* where they go */
        bool got_exit, got_error, timed_out, output_cut, killed_violation, fallback;
        struct child_msg exit_msg, error_msg;
        siginfo_t init_info;
};

static uint64_t now_us(clockid_t c)
{
        struct timespec ts;
        clock_gettime(c, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void kill_job(struct watch *w)
{
        (void)sys_pidfd_send_signal(w->proc.pidfd, SIGKILL);
}

static void record_violation(rf_result *res, int nr, const char *action,
                             const struct policy_syscall_rule *rule)
{
        const char *name = policy_syscall_name(nr);
        rf_violation *v = NULL;

        res->violations_total++;
        for (int i = 0; i < res->n_violations; i++)
                if (res->violations[i].nr == nr)
                        v = &res->violations[i];
        if (!v && res->n_violations < RF_MAX_VIOLATIONS) {
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
static void on_notification(struct watch *w)
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
        rule = policy_match(w->job->policy, req.data.nr, (const uint64_t *)req.data.args);
        act = rule ? rule->action : w->job->policy->seccomp.default_action;
        e = rule ? rule->errno_val : w->job->policy->seccomp.default_errno;
        if (req.data.arch != AUDIT_ARCH_X86_64)
                act = POLICY_ACT_KILL;
        record_violation(w->res, req.data.nr, act == POLICY_ACT_KILL ? "kill" : "errno", rule);
        if (act == POLICY_ACT_KILL) {
                w->killed_violation = true;
                kill_job(w);
                return;
        }
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        resp.error = -(e > 0 ? e : EPERM);
        (void)ioctl(w->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* A message from the job's init; STARTED may carry the seccomp listener. */
static void on_channel(struct watch *w)
{
        struct child_msg m;
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                              .msg_controllen = sizeof(u.buf) };
        ssize_t n = recvmsg(w->proc.chan, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        struct cmsghdr *c;

        if (n <= 0) {
                if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                        close(w->proc.chan);
                        w->proc.chan = -1;
                }
                return;
        }
        for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && w->listener < 0)
                        memcpy(&w->listener, CMSG_DATA(c), sizeof(int));
        if ((size_t)n != sizeof(m))
                return;
        if (m.type == CHILD_MSG_EXITED) {
                w->got_exit = true;
                w->exit_msg = m;
        } else if (m.type == CHILD_MSG_ERROR) {
                w->got_error = true;
                w->error_msg = m;
        } else if (m.type == CHILD_MSG_STARTED) {
                w->fallback = m.fallback;
        }
}

/* Relay what the job wrote on stream i, within the output cap. */
static void on_output(struct watch *w, int i)
{
        char buf[65536];
        uint64_t cap = w->job->policy->limits.output;
        uint64_t *count = i == 0 ? &w->res->stdout_bytes : &w->res->stderr_bytes;
        ssize_t n = read(w->pipes[i], buf, sizeof(buf));
        uint64_t used, keep;

        if (n <= 0) {
                if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                        close(w->pipes[i]);
                        w->pipes[i] = -1;
                }
                return;
        }
        used = w->res->stdout_bytes + w->res->stderr_bytes;
        keep = (uint64_t)n;
        if (cap && used + keep > cap) {
                keep = cap > used ? cap - used : 0;
                if (!w->output_cut) {
                        w->output_cut = true;
                        w->res->output_truncated = 1;
                        kill_job(w);
                }
        }
        *count += (uint64_t)n;
        for (size_t off = 0; off < keep;) {
                ssize_t k = write(w->sinks[i], buf + off, keep - off);
                if (k <= 0)
                        break;
                off += (size_t)k;
        }
}

static void on_signal(struct watch *w)
{
        struct signalfd_siginfo si;

        if (read(w->job->signal_fd, &si, sizeof(si)) == sizeof(si))
                (void)sys_pidfd_send_signal(w->proc.pidfd, (int)si.ssi_signo);
}

/* Poll until the init has exited and every stream is drained. */
static void supervise(struct watch *w, uint64_t deadline_us)
{
        bool exited = false;

        for (;;) {
                struct pollfd pf[6];
                int idx[6], n = 0, timeout = -1;

#define WATCH(fd_, tag)                                                                            \
        if ((fd_) >= 0) {                                                                          \
                pf[n] = (struct pollfd){ .fd = (fd_), .events = POLLIN };                          \
                idx[n++] = (tag);                                                                  \
        }
                if (!exited)
                        WATCH(w->proc.pidfd, 0);
                WATCH(w->proc.chan, 1);
                if (!exited)
                        WATCH(w->listener, 2);
                WATCH(w->pipes[0], 3);
                WATCH(w->pipes[1], 4);
                if (!exited)
                        WATCH(w->job->signal_fd, 5);
#undef WATCH
                if (exited && w->proc.chan < 0 && w->pipes[0] < 0 && w->pipes[1] < 0)
                        return;
                if (!exited && deadline_us) {
                        uint64_t now = now_us(CLOCK_MONOTONIC);
                        if (now >= deadline_us) {
                                w->timed_out = true;
                                kill_job(w);
                                deadline_us = 0;
                        } else {
                                timeout = (int)((deadline_us - now + 999) / 1000);
                        }
                }
                if (exited)
                        timeout = 1000; /* streams held open by nobody left; drain, bounded */
                int r = poll(pf, (nfds_t)n, timeout);
                if (r < 0 && errno != EINTR)
                        return;
                if (r == 0 && exited)
                        return;
                for (int i = 0; i < n; i++) {
                        if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                                continue;
                        switch (idx[i]) {
                        case 0: {
                                struct rusage ru;
                                if (sys_pidfd_wait(w->proc.pidfd, &w->init_info, WEXITED, &ru) ==
                                    0)
                                        exited = true;
                                break;
                        }
                        case 1: on_channel(w); break;
                        case 2: on_notification(w); break;
                        case 3: on_output(w, 0); break;
                        case 4: on_output(w, 1); break;
                        case 5: on_signal(w); break;
                        }
                }
        }
}

static void set_enforced(rf_result *r, const struct sandbox_plan *pl,
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

static void set_limit(rf_result *r, const char *name)
{
        snprintf(r->limit, sizeof(r->limit), "%s", name);
}

/* Decide status and exit status from what was seen. */
static void conclude(struct watch *w)
{
        rf_result *r = w->res;
        const struct policy_limits *l = &w->job->policy->limits;
        struct cgroup_stats cg = { 0 };
        int st = w->exit_msg.status;

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
                set_limit(r, "time");
                return;
        }
        if (w->killed_violation) {
                r->status = RF_STATUS_VIOLATION;
                r->signal = SIGKILL;
                r->exit_status = RF_EXIT_SIGNAL_BASE + SIGKILL;
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
                                 strsignal(w->init_info.si_status));
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

static int make_capture(struct watch *w, int stdio[3], rf_error *err)
{
        for (int i = 0; i < 2; i++) {
                int p[2];
                if (pipe2(p, O_CLOEXEC) < 0)
                        return rf_error_set(err, -errno, "pipe: %s", strerror(errno));
                w->pipes[i] = p[0];
                stdio[i + 1] = p[1];
                w->sinks[i] = w->job->stdio[i + 1] >= 0 ? w->job->stdio[i + 1] : i + 1;
                (void)fcntl(p[0], F_SETFL, O_NONBLOCK);
        }
        return 0;
}

int engine_run_job(const struct engine_job *job, rf_result *ret, rf_error *err)
{
        struct watch w = { .job = job, .res = ret, .listener = -1, .pipes = { -1, -1 },
                           .proc = { .pid = -1, .pidfd = -1, .chan = -1 } };
        int stdio[3] = { job->stdio[0], job->stdio[1], job->stdio[2] };
        const struct policy_limits *l = &job->policy->limits;
        uint64_t start;
        int r;

        memset(ret, 0, sizeof(*ret));
        ret->exit_code = -1;
        ret->start_unix_us = (int64_t)now_us(CLOCK_REALTIME);
        start = now_us(CLOCK_MONOTONIC);
        if ((job->count_output || l->output) && (r = make_capture(&w, stdio, err)) < 0)
                goto fail;
        r = sandbox_plan_new(job->policy, job->bpf, job->argv, stdio, &w.plan, err);
        if (r == 0)
                r = sandbox_spawn(w.plan, &w.proc, err);
        for (int i = 1; i < 3; i++)
                if (w.pipes[i - 1] >= 0)
                        close(stdio[i]);
        if (r < 0)
                goto fail;
        supervise(&w, l->timeout_ms ? start + l->timeout_ms * 1000 : 0);
        ret->wall_us = now_us(CLOCK_MONOTONIC) - start;
        conclude(&w);
        set_enforced(ret, w.plan, l);
        r = 0;
        goto out;
fail:
        ret->wall_us = now_us(CLOCK_MONOTONIC) - start;
        ret->status = RF_STATUS_SPAWN_ERROR;
        ret->exit_status = RF_EXIT_INTERNAL;
        snprintf(ret->error, sizeof(ret->error), "%s", err ? err->msg : rf_strerror(r));
out:
        if (w.listener >= 0)
                close(w.listener);
        for (int i = 0; i < 2; i++)
                if (w.pipes[i] >= 0)
                        close(w.pipes[i]);
        sandbox_proc_kill_and_reap(&w.proc);
        sandbox_plan_free(w.plan);
        return r;
}
