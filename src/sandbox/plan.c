/* SPDX-License-Identifier: MIT */
/* Parent side of a spawn: turn a policy and a command into a plan the child can follow with
 * system calls alone: id maps, fds, rlimits, cgroup here; the mount steps (plan-mounts.c), envp
 * and exec candidates (plan-env.c) and the stacks (plan-stacks.c) beside it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "sandbox/netns-pool.h"
#include "sandbox/plan-internal.h"
#include "sandbox/sandbox.h"

/* Keep a copy of s alive as long as the plan; returns the copy. */
const char *plan_own(struct sandbox_plan *pl, const char *s)
{
        strv_push(&pl->owned, s);
        return pl->owned.v[pl->owned.n - 1];
}

/* Whether the policy asks for no confinement at all (the built-in `none`): no namespace, the
 * caller's identity, seccomp allowing every call, no filesystem rule, no limit that needs a
 * cgroup. Such a job is spawned plainly, as xargs would (child-plain.c). */
static bool wants_nothing(const struct rf_policy *p)
{
        return p->namespaces == 0 && p->caller_identity && !p->as_root &&
               p->seccomp.default_action == POLICY_ACT_ALLOW && p->seccomp.n_rules == 0 &&
               p->n_fs == 0 && !p->limits.memory && !p->limits.pids;
}

/* Who the job is inside and outside: an unprivileged id, the caller's own when not root. */
static void make_ids(struct sandbox_plan *pl, const struct rf_policy *p)
{
        uid_t euid = geteuid();
        gid_t egid = getegid();
        /* identity = caller (the policy `none`): the caller's own ids and groups, also root's. */
        uid_t out_uid = euid == 0 && !p->caller_identity ? 65534 : euid;
        gid_t out_gid = euid == 0 && !p->caller_identity ? 65534 : egid;

        pl->rootless = euid != 0;
        pl->userns = p->namespaces & POLICY_NS_USER;
        pl->drop_groups = !pl->rootless && !p->caller_identity;
        if (pl->userns) {
                pl->uid = p->as_root ? 0 : out_uid;
                pl->gid = p->as_root ? 0 : out_gid;
                snprintf(pl->uid_map, sizeof(pl->uid_map), "%u %u 1\n", pl->uid, out_uid);
                snprintf(pl->gid_map, sizeof(pl->gid_map), "%u %u 1\n", pl->gid, out_gid);
        } else {
                pl->uid = out_uid;
                pl->gid = out_gid;
        }
}

static void add_rlimit(struct sandbox_plan *pl, int res, uint64_t soft, uint64_t hard)
{
        if (pl->n_rlimits >= ARRAY_SIZE(pl->rlimits))
                return;
        pl->rlimits[pl->n_rlimits].resource = res;
        pl->rlimits[pl->n_rlimits].lim.rlim_cur = soft;
        pl->rlimits[pl->n_rlimits].lim.rlim_max = hard;
        pl->n_rlimits++;
}

/* Limits: a cgroup where one can enforce them, rlimits for the rest. A plain plan (no memory or
 * pids limit: no cgroup) gets only the policy's rlimits; core dumps stay as under xargs. */
static int make_limits(struct sandbox_plan *pl, const struct rf_policy *p, rf_error *err)
{
        static unsigned long counter;
        const struct policy_limits *l = &p->limits;
        char name[64];
        const char *paths[3];
        int r;

        snprintf(name, sizeof(name), "%lu", __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
        /* Only the memory and pids limits need a cgroup; without them peak memory comes from the
         * command's rusage, and a job costs no cgroup at all. */
        r = l->memory || l->pids ? cgroup_job_create(&pl->cgroup, l, name, err) : 0;
        if (r < 0)
                return r;
        paths[0] = pl->cgroup.v2_path;
        paths[1] = pl->cgroup.v1_memory_path;
        paths[2] = pl->cgroup.v1_pids_path;
        for (int i = 0; i < 3; i++) {
                char file[PATH_MAX];
                if (!paths[i])
                        continue;
                snprintf(file, sizeof(file), "%s/cgroup.procs", paths[i]);
                pl->cgroup_procs[i] = open(file, O_WRONLY | O_CLOEXEC);
                if (pl->cgroup_procs[i] < 0)
                        return rf_error_set(err, -errno, "cgroup %s: %s", file, strerror(errno));
        }
        if (!pl->plain)
                add_rlimit(pl, RLIMIT_CORE, 0, 0);
        if (l->files)
                add_rlimit(pl, RLIMIT_NOFILE, l->files, l->files);
        if (l->file_size)
                add_rlimit(pl, RLIMIT_FSIZE, l->file_size, l->file_size);
        if (l->cpu_ms)
                add_rlimit(pl, RLIMIT_CPU, (l->cpu_ms + 999) / 1000, (l->cpu_ms + 999) / 1000 + 1);
        if (l->memory && pl->cgroup.memory_by == LIMIT_BY_NONE)
                add_rlimit(pl, RLIMIT_AS, l->memory, l->memory);
        if (l->pids && pl->cgroup.pids_by == LIMIT_BY_NONE)
                add_rlimit(pl, RLIMIT_NPROC, l->pids, l->pids);
        return 0;
}

static int read_cap_last(void)
{
        static _Atomic int cached = -1; /* plans are made on several threads */
        int v = 40;
        FILE *f;

        if (cached >= 0)
                return cached;
        f = fopen("/proc/sys/kernel/cap_last_cap", "re");
        if (f) {
                if (fscanf(f, "%d", &v) != 1)
                        v = 40;
                fclose(f);
        }
        cached = v;
        return v;
}

static int make_fds(struct sandbox_plan *pl, const struct rf_policy *p, const int stdio[3],
                    rf_error *err)
{
        for (int i = 0; i < 3; i++)
                pl->stdio[i] = stdio ? stdio[i] : -1;
        pl->keep_fds = xcalloc(p->n_fds + 1, sizeof(int));
        for (size_t i = 0; i < p->n_fds; i++) {
                int fd = p->fds[i];
                if (fd < 3)
                        continue;
                if (fcntl(fd, F_GETFD) < 0)
                        return rf_error_set(err, -EBADF, "--fd %d: not an open file descriptor",
                                            fd);
                size_t j = pl->n_keep_fds++;
                while (j > 0 && pl->keep_fds[j - 1] > fd) {
                        pl->keep_fds[j] = pl->keep_fds[j - 1];
                        j--;
                }
                pl->keep_fds[j] = fd;
        }
        return 0;
}

static uint64_t ns_flags(unsigned ns)
{
        uint64_t f = 0;
        f |= ns & POLICY_NS_USER ? CLONE_NEWUSER : 0;
        f |= ns & POLICY_NS_PID ? CLONE_NEWPID : 0;
        f |= ns & POLICY_NS_MOUNT ? CLONE_NEWNS : 0;
        f |= ns & POLICY_NS_IPC ? CLONE_NEWIPC : 0;
        f |= ns & POLICY_NS_UTS ? CLONE_NEWUTS : 0;
        f |= ns & POLICY_NS_NET ? CLONE_NEWNET : 0;
        f |= ns & POLICY_NS_CGROUP ? CLONE_NEWCGROUP : 0;
        return f;
}

/* The working directory and environment of a plain plan: the directory only when the policy
 * names one (else the child keeps ours). */
static void plan_plain(struct sandbox_plan *pl, const struct rf_policy *p)
{
        pl->cwd = p->cwd ? plan_own(pl, p->cwd) : NULL;
        plan_env(pl, p);
}

/* The working directory, mount steps, environment and seccomp programs of a sandboxed plan. */
static int plan_sandboxed(struct sandbox_plan *pl, const struct rf_policy *p,
                          const struct policy_bpf *bpf, rf_error *err)
{
        char cwd[PATH_MAX];
        int r;

        if (!p->cwd && !getcwd(cwd, sizeof(cwd)))
                return rf_error_set(err, -errno, "working directory: %s", strerror(errno));
        pl->cwd = plan_own(pl, p->cwd ? p->cwd : cwd);
        pl->stage = "/tmp";
        if (pl->clone_flags & CLONE_NEWNS) {
                if ((r = plan_mounts(pl, p, pl->cwd, err)) < 0)
                        return r;
        } else if (p->n_fs) {
                return rf_error_set(err, -EINVAL, "%s %s: needs namespace.mount=on",
                                    p->fs[0].kind == POLICY_FS_RW ? "--rw" : "a filesystem rule",
                                    p->fs[0].path);
        }
        plan_env(pl, p);
        if ((r = sandbox_exec_gate(&bpf->notify, pl->argv, pl->envp, &pl->gate_notify)) < 0 ||
            (r = sandbox_exec_gate(&bpf->kill, pl->argv, pl->envp, &pl->gate_kill)) < 0)
                return rf_error_set(err, r, "seccomp: the filter is too long for the exec gate");
        pl->bpf_notify = &pl->gate_notify;
        pl->bpf_kill = &pl->gate_kill;
        return 0;
}

int sandbox_plan_new(const struct rf_policy *p, const struct policy_bpf *bpf, char *const argv[],
                     const int stdio[3], struct sandbox_plan **ret, rf_error *err)
{
        struct sandbox_plan *pl = xcalloc(1, sizeof(*pl));
        int r;

        pl->listener_fd = -1;
        pl->exec_index = -1;
        pl->chan = pl->chan_parent = -1;
        pl->netns_fd = -1;
        pl->cgroup.v2_fd = -1;
        for (int i = 0; i < 3; i++)
                pl->cgroup_procs[i] = -1;
        pl->clone_flags = ns_flags(p->namespaces);
        pl->plain = wants_nothing(p);
        pl->argv = argv;
        pl->cap_last = read_cap_last();
        pl->loopback_up = (p->namespaces & POLICY_NS_NET) && p->net != POLICY_NET_HOST;
        /* A pooled network namespace instead of a new one, where the job has a pid namespace:
         * when its init is reaped, no process of it is left to hold a socket there. */
        if ((pl->clone_flags & CLONE_NEWNET) && (pl->clone_flags & CLONE_NEWPID) &&
            netns_pool_usable()) {
                r = netns_pool_take(err);
                if (r < 0)
                        goto fail;
                pl->netns_fd = r;
                pl->clone_flags &= ~(uint64_t)CLONE_NEWNET;
                pl->loopback_up = false; /* up already, and the job may not change it */
        }
        snprintf(pl->hostname, sizeof(pl->hostname), "%s",
                 p->hostname_set ? p->hostname : "ringfence");
        make_ids(pl, p);
        if (pl->plain)
                plan_plain(pl, p);
        else if ((r = plan_sandboxed(pl, p, bpf, err)) < 0)
                goto fail;
        /* Then, for both: stdio and the fds passed on, the limits, the stacks. */
        if ((r = make_fds(pl, p, stdio, err)) < 0 || (r = make_limits(pl, p, err)) < 0 ||
            (r = plan_stacks_take(pl, err)) < 0)
                goto fail;
        *ret = pl;
        return 0;
fail:
        sandbox_plan_free(pl);
        return r;
}

void sandbox_plan_free(struct sandbox_plan *pl)
{
        if (!pl)
                return;
        /* Not the steps' tree_fd: the child opened them in its own fd table (it shares our
         * memory, not our fds), and a child killed during its setup leaves numbers there that
         * are other fds of ours. */
        for (int i = 0; i < 3; i++)
                if (pl->cgroup_procs[i] >= 0)
                        close(pl->cgroup_procs[i]);
        cgroup_job_destroy(&pl->cgroup);
        netns_pool_give(pl->netns_fd);
        plan_stacks_give(pl);
        free(pl->steps);
        free(pl->keep_fds);
        free(pl->gate_notify.filter);
        free(pl->gate_kill.filter);
        strv_done(&pl->owned);
        strv_done(&pl->env);
        strv_done(&pl->exec);
        free(pl);
}
