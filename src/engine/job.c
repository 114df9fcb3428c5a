/* SPDX-License-Identifier: MIT */
/* One job in the engine, from spawn to result: its operations (exit, channel, output, seccomp
 * listener, time limit) and what each completion means; exactly one result per job. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "engine/engine-internal.h"
#include "engine/pool.h"
#include "engine/verdict.h"

void ejob_kill(struct ejob *j, int signo)
{
        if (j->spawning) {
                /* A worker is spawning it: the kill is sent once the worker answers. */
                if (j->kill_signo != SIGKILL)
                        j->kill_signo = signo;
                return;
        }
        if (j->proc.pidfd >= 0 && !j->exited)
                (void)sys_pidfd_send_signal(j->proc.pidfd, signo);
}

static void arm_poll(struct ejob *j, int kind, int fd)
{
        struct io_uring_sqe *sqe = engine_sqe(j->e);
        io_uring_prep_poll_add(sqe, fd, POLLIN);
        engine_arm(j->e, sqe, &j->ops[kind]);
}

static void arm_read(struct ejob *j, int i)
{
        struct io_uring_sqe *sqe = engine_sqe(j->e);
        io_uring_prep_read(sqe, j->pipes[i], j->buf[i], sizeof(j->buf[i]), (uint64_t)-1);
        engine_arm(j->e, sqe, &j->ops[EOP_OUT + i]);
}

static void arm_timer(struct ejob *j, int kind, struct __kernel_timespec *ts, uint64_t ms)
{
        struct io_uring_sqe *sqe = engine_sqe(j->e);
        ts->tv_sec = (long long)(ms / 1000);
        ts->tv_nsec = (long long)(ms % 1000) * 1000000;
        io_uring_prep_timeout(sqe, ts, 0, 0);
        engine_arm(j->e, sqe, &j->ops[kind]);
}

/* Watch for the job's end: IORING_OP_WAITID where the kernel has it, else a poll on the pidfd.
 * A plain job has no init to report its rusage, so it is polled and reaped with waitid here. */
static bool plain(const struct ejob *j)
{
        return j->plan && j->plan->plain;
}

static void arm_exit(struct ejob *j)
{
        struct io_uring_sqe *sqe = engine_sqe(j->e);

        if (j->e->have_waitid && !plain(j))
                engine_prep_waitid(sqe, j->proc.pidfd, &j->info);
        else
                io_uring_prep_poll_add(sqe, j->proc.pidfd, POLLIN);
        engine_arm(j->e, sqe, &j->ops[EOP_EXIT]);
}

/* Cancel an operation still in flight (its completion then comes with -ECANCELED). */
static void cancel(struct ejob *j, int kind)
{
        struct io_uring_sqe *sqe;

        if (!j->ops[kind].pending)
                return;
        sqe = engine_sqe(j->e);
        if (kind == EOP_TIMEOUT || kind == EOP_DRAIN)
                io_uring_prep_timeout_remove(sqe, (uint64_t)(uintptr_t)&j->ops[kind], 0);
        else
                io_uring_prep_cancel(sqe, &j->ops[kind], 0);
        io_uring_sqe_set_data(sqe, NULL);
}

static void close_fd(int *fd)
{
        if (*fd >= 0)
                close(*fd);
        *fd = -1;
}

/* Messages from the job's init; STARTED may carry the seccomp listener. rearm: poll again when
 * nothing is left to read now. */
static void on_channel(struct ejob *j, bool rearm)
{
        for (;;) {
                struct child_msg m;
                union {
                        char buf[CMSG_SPACE(sizeof(int))];
                        struct cmsghdr align;
                } u;
                struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
                struct msghdr msg = { .msg_iov = &iov,
                                      .msg_iovlen = 1,
                                      .msg_control = u.buf,
                                      .msg_controllen = sizeof(u.buf) };
                ssize_t n = recvmsg(j->proc.chan, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);

                if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                        if (rearm)
                                arm_poll(j, EOP_CHAN, j->proc.chan);
                        return;
                }
                if (n <= 0) {
                        close_fd(&j->proc.chan);
                        return;
                }
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
                        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
                            j->listener < 0) {
                                memcpy(&j->listener, CMSG_DATA(c), sizeof(int));
                                if (rearm)
                                        arm_poll(j, EOP_LISTENER, j->listener);
                        }
                if ((size_t)n != sizeof(m))
                        continue;
                if (m.type == CHILD_MSG_EXITED) {
                        j->got_exit = true;
                        j->exit_msg = m;
                } else if (m.type == CHILD_MSG_ERROR) {
                        j->got_error = true;
                        j->error_msg = m;
                } else if (m.type == CHILD_MSG_STARTED) {
                        j->fallback = m.fallback;
                        j->started = true;
                }
        }
}

/* Relay what the job wrote on stream i, within the output cap. */
static void on_output(struct ejob *j, int i, int n)
{
        uint64_t cap = j->spec.policy->limits.output;
        uint64_t used = j->res.stdout_bytes + j->res.stderr_bytes, keep;

        if (n <= 0) {
                close_fd(&j->pipes[i]);
                return;
        }
        keep = (uint64_t)n;
        if (cap && used + keep > cap) {
                keep = cap > used ? cap - used : 0;
                if (!j->output_cut) {
                        j->output_cut = true;
                        ejob_kill(j, SIGKILL);
                }
        }
        *(i == 0 ? &j->res.stdout_bytes : &j->res.stderr_bytes) += keep;
        if (j->spec.on_output) {
                if (keep)
                        j->spec.on_output(j->spec.user, i, j->buf[i], keep);
                arm_read(j, i);
                return;
        }
        for (size_t off = 0; off < keep;) {
                ssize_t k = write(j->sinks[i], j->buf[i] + off, keep - off);
                if (k <= 0)
                        break;
                off += (size_t)k;
        }
        arm_read(j, i);
}

/* Reap a plain job: its wait status and rusage become what an init would have sent. Returns
 * false while it has not exited yet. */
static bool reap_plain(struct ejob *j)
{
        struct rusage ru;
        int st;

        memset(&j->info, 0, sizeof(j->info));
        if (sys_pidfd_wait(j->proc.pidfd, &j->info, WEXITED | WNOHANG, &ru) < 0)
                return true; /* gone already (ECHILD): no status to give */
        if (j->info.si_pid == 0)
                return false;
        st = j->info.si_code == CLD_EXITED   ? (j->info.si_status & 0xff) << 8
             : j->info.si_code == CLD_DUMPED ? (j->info.si_status & 0x7f) | 0x80
                                             : j->info.si_status & 0x7f;
        j->exit_msg.type = CHILD_MSG_EXITED;
        j->exit_msg.status = st;
        j->exit_msg.ru = ru;
        j->got_exit = true;
        return true;
}

static void on_exit_(struct ejob *j, int res)
{
        if (plain(j)) {
                if (!reap_plain(j)) {
                        arm_exit(j);
                        return;
                }
        } else if (!j->e->have_waitid) {
                if (sys_pidfd_wait(j->proc.pidfd, &j->info, WEXITED | WNOHANG, NULL) < 0 ||
                    j->info.si_pid == 0) {
                        arm_exit(j);
                        return;
                }
        } else if (res < 0 && res != -ECHILD) {
                arm_exit(j);
                return;
        }
        j->exited = true;
        cancel(j, EOP_TIMEOUT);
        cancel(j, EOP_LISTENER);
        /* Streams still held open by something outside the job's pid namespace: drain, bounded. */
        if (j->pipes[0] >= 0 || j->pipes[1] >= 0 || j->proc.chan >= 0)
                arm_timer(j, EOP_DRAIN, &j->drain_ts, 1000);
}

/* Everything the verdict needs to know of j, from j, its plan and its cgroup: the one place that
 * reads them for it. */
static void gather_facts(const struct ejob *j, struct job_facts *f)
{
        const struct rusage *ru = &j->exit_msg.ru;
        struct cgroup_stats cg = { 0 };

        memset(f, 0, sizeof(*f));
        f->spawned = j->plan != NULL;
        f->setup_failed = j->got_error;
        f->setup_step = j->error_msg.step;
        f->setup_errno = j->error_msg.err;
        if (!j->plan)
                snprintf(f->error, sizeof(f->error), "%s", j->spawn_err.msg);
        else if (j->got_error)
                sandbox_describe_error(j->plan, &j->error_msg, f->error, sizeof(f->error));
        f->command_started = j->started;
        f->exited = j->got_exit;
        f->wait_status = j->exit_msg.status;
        f->user_us = (uint64_t)ru->ru_utime.tv_sec * 1000000 + (uint64_t)ru->ru_utime.tv_usec;
        f->sys_us = (uint64_t)ru->ru_stime.tv_sec * 1000000 + (uint64_t)ru->ru_stime.tv_usec;
        f->peak_rss = (uint64_t)ru->ru_maxrss * 1024;
        f->init_code = j->info.si_code;
        f->init_status = j->info.si_status;
        f->timed_out = j->timed_out;
        f->killed_violation = j->killed_violation;
        f->output_cut = j->output_cut;
        if (j->plan) {
                (void)cgroup_job_stats(&j->plan->cgroup, &cg);
                f->memory_by = j->plan->cgroup.memory_by;
                f->pids_by = j->plan->cgroup.pids_by;
        }
        f->memory_limit_hit = cg.memory_limit_hit;
        f->pids_limit_hit = cg.pids_limit_hit;
        f->cgroup_peak_memory = cg.peak_memory;
        f->limits = j->spec.policy->limits;
        f->start_unix_us = j->res.start_unix_us;
        f->wall_us = j->res.wall_us;
        f->stdout_bytes = j->res.stdout_bytes;
        f->stderr_bytes = j->res.stderr_bytes;
        f->violations = j->res.violations;
        f->n_violations = j->res.n_violations;
        f->violations_total = j->res.violations_total;
}

static void finish(struct ejob *j)
{
        struct engine *e = j->e;
        struct job_facts f;
        struct engine_result res;

        j->res.wall_us = base_now_us(CLOCK_MONOTONIC) - j->start_us;
        if (j->proc.chan >= 0)
                on_channel(j, false); /* what the init said before its end */
        gather_facts(j, &f);
        engine_verdict(&f, &res);
        e->running--;
        if (j->prev)
                j->prev->next = j->next;
        else
                e->jobs = j->next;
        if (j->next)
                j->next->prev = j->prev;
        e->done(e->ctx, &j->spec, &res);
        close_fd(&j->listener);
        close_fd(&j->pipes[0]);
        close_fd(&j->pipes[1]);
        close_fd(&j->proc.chan);
        if (j->proc.pidfd >= 0)
                close(j->proc.pidfd);
        sandbox_plan_free(j->plan);
        free(j);
}

void ejob_complete(struct ejob *j, int kind, int res, unsigned cqe_flags)
{
        (void)cqe_flags;
        j->ops[kind].pending = false;
        j->pending--;
        switch (kind) {
        case EOP_EXIT:
                on_exit_(j, res);
                break;
        case EOP_CHAN:
                if (res > 0)
                        on_channel(j, true);
                else if (res != -ECANCELED)
                        arm_poll(j, EOP_CHAN, j->proc.chan);
                break;
        case EOP_LISTENER:
                if (res > 0 && (res & POLLIN) && !j->exited) {
                        engine_on_notification(j);
                        if (j->listener >= 0 && !(res & (POLLHUP | POLLERR)))
                                arm_poll(j, EOP_LISTENER, j->listener);
                }
                break;
        case EOP_OUT:
        case EOP_ERR:
                on_output(j, kind - EOP_OUT, res);
                break;
        case EOP_TIMEOUT:
                if (res == -ETIME && !j->exited) {
                        j->timed_out = true;
                        ejob_kill(j, SIGKILL);
                }
                break;
        case EOP_DRAIN:
                if (res == -ETIME) {
                        cancel(j, EOP_OUT);
                        cancel(j, EOP_ERR);
                        cancel(j, EOP_CHAN);
                }
                break;
        }
        if (j->exited) {
                if (j->pipes[0] < 0 && j->pipes[1] < 0 && j->proc.chan < 0)
                        cancel(j, EOP_DRAIN);
                if (j->pending == 0)
                        finish(j);
        }
}

static int make_capture(struct ejob *j, int stdio[3], rf_error *err)
{
        for (int i = 0; i < 2; i++) {
                int p[2];
                if (pipe2(p, O_CLOEXEC) < 0)
                        return rf_error_set(err, -errno, "pipe: %s", strerror(errno));
                j->pipes[i] = p[0];
                stdio[i + 1] = p[1];
                j->sinks[i] = j->spec.sinks[i] >= 0 ? j->spec.sinks[i] : i + 1;
        }
        return 0;
}

/* The rest of a start, once the plan and spawn gave r (on this thread, or a worker's): close
 * the job's ends of the capture pipes, then watch the job, or finish it as a spawn error. */
static void started(struct ejob *j, int r)
{
        const struct policy_limits *l = &j->spec.policy->limits;

        for (int i = 0; i < 2; i++)
                if (j->pipes[i] >= 0)
                        close(j->stdio[i + 1]);
        if (r < 0) {
                /* Could not start: that is this job's result (spawn_err says why, plan is
                 * NULL), not the engine's failure. */
                j->exited = true;
                sandbox_plan_free(j->plan);
                j->plan = NULL;
                finish(j);
                return;
        }
        if (j->proc.failed) {
                /* A plain spawn that could not exec, reaped already: its error is the result. */
                j->got_error = true;
                j->error_msg = j->proc.error;
                j->exited = true;
                finish(j);
                return;
        }
        arm_exit(j);
        if (j->proc.chan >= 0)
                arm_poll(j, EOP_CHAN, j->proc.chan);
        for (int i = 0; i < 2; i++)
                if (j->pipes[i] >= 0)
                        arm_read(j, i);
        if (l->timeout_ms)
                arm_timer(j, EOP_TIMEOUT, &j->timeout_ts, l->timeout_ms);
        if (j->kill_signo)
                ejob_kill(j, j->kill_signo);
}

/* On a worker thread: plan and spawn the job; the engine's thread leaves j's plan, proc and
 * spawn_err alone until ejob_spawned. */
static int spawn_task(void *arg)
{
        struct ejob *j = arg;
        int r = sandbox_plan_new(j->spec.policy, j->spec.bpf, j->spec.argv, j->stdio, &j->plan,
                                 &j->spawn_err);

        return r < 0 ? r : sandbox_spawn(j->plan, &j->proc, &j->spawn_err);
}

/* The worker's answer, on the engine's thread: the rest of the start. */
static void ejob_spawned(void *arg, int result)
{
        struct ejob *j = arg;

        j->spawning = false;
        if (result == -ECANCELED && !j->spawn_err.msg[0])
                rf_error_set(&j->spawn_err, result, "the engine stopped before the job started");
        started(j, result);
}

void ejob_start(struct engine *e, const struct engine_job *spec)
{
        struct ejob *j = xcalloc(1, sizeof(*j));
        const struct policy_limits *l = &spec->policy->limits;
        int r = 0;

        j->e = e;
        j->spec = *spec;
        j->listener = j->pipes[0] = j->pipes[1] = -1;
        j->proc = (struct sandbox_proc){ .pid = -1, .pidfd = -1, .chan = -1 };
        for (int i = 0; i < 3; i++)
                j->stdio[i] = spec->stdio[i];
        for (int k = 0; k < _EOP_MAX; k++)
                j->ops[k] = (struct eop){ .job = j, .kind = k };
        j->res.start_unix_us = (int64_t)base_now_us(CLOCK_REALTIME);
        j->start_us = base_now_us(CLOCK_MONOTONIC);
        j->next = e->jobs;
        if (e->jobs)
                e->jobs->prev = j;
        e->jobs = j;
        e->running++;
        if (spec->capture || l->output)
                r = make_capture(j, j->stdio, &j->spawn_err);
        if (r == 0 && e->pool) {
                j->spawning = true;
                r = pool_submit(e->pool, spawn_task, ejob_spawned, j, &j->spawn_err);
                if (r == 0)
                        return;
                j->spawning = false;
        }
        if (r == 0)
                r = spawn_task(j);
        started(j, r);
}
