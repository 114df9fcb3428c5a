/* SPDX-License-Identifier: MIT */
/* The sandbox module's interface: a plan prepared in the parent (paths, id maps, argv, envp, fds,
 * mounts, BPF) and the spawn that turns it into a confined process tracked by a pidfd. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "ringfence.h"
#include "policy/policy.h"
#include "sandbox/cgroup.h"

/* One step of building the job's root filesystem, run in order by the child. Paths (dst) are
 * relative to the new root; src is a host path. */
enum mount_step_kind {
        MSTEP_MKDIR,   /* mkdir dst (existing is fine) */
        MSTEP_MKFILE,  /* create an empty file dst (existing is fine) */
        MSTEP_SYMLINK, /* symlink src -> dst */
        MSTEP_BIND,    /* move the tree cloned from src (before the new root) onto dst */
        MSTEP_TMPFS,   /* mount a tmpfs on dst with data */
        MSTEP_PROC,    /* mount the job's /proc on dst */
        MSTEP_HIDE,    /* cover dst (if it exists) with an empty read-only tmpfs or /dev/null */
        MSTEP_READONLY /* make the mount at dst read-only (not recursive) */
};

struct mount_step {
        enum mount_step_kind kind;
        const char *src, *dst, *data;
        uint64_t attr;    /* MOUNT_ATTR_* set on a bind, or mount flags of a tmpfs */
        bool rw;          /* bind: clear MOUNT_ATTR_RDONLY */
        bool is_dir;      /* bind or hide: the source is a directory */
        int tree_fd;      /* bind: filled by the child */
        const char *what; /* the user's name for it, for errors ("--rw /data") */
};

/* What the child writes back to the host over the channel. */
enum child_msg_type { CHILD_MSG_ERROR = 1, CHILD_MSG_STARTED, CHILD_MSG_EXITED };

/* The step of the child's setup a failure happened in (spawn.c names each one). */
enum child_step {
        STEP_NONE,
        STEP_SYNC,
        STEP_SETSID,
        STEP_MOUNT_PRIVATE,
        STEP_OPEN_TREE,
        STEP_MOUNT_ROOT,
        STEP_MKDIR,
        STEP_MKFILE,
        STEP_SYMLINK,
        STEP_BIND,
        STEP_TMPFS,
        STEP_PROC,
        STEP_HIDE,
        STEP_READONLY,
        STEP_PIVOT_ROOT,
        STEP_CHDIR,
        STEP_HOSTNAME,
        STEP_LOOPBACK,
        STEP_CLONE,
        STEP_CGROUP,
        STEP_SETGROUPS,
        STEP_SETGID,
        STEP_SETUID,
        STEP_CAPS,
        STEP_NO_NEW_PRIVS,
        STEP_RLIMIT,
        STEP_STDIO,
        STEP_FDS,
        STEP_SECCOMP,
        STEP_EXEC,
        _STEP_MAX
};

/* The short name of a child step ("setsid", "pivot-root"), or NULL for an unknown one. */
const char *sandbox_step_id(int step);

struct child_msg {
        int32_t type;
        int32_t step;
        int32_t err;      /* positive errno */
        int32_t index;    /* which mount step or exec candidate */
        int32_t status;   /* wait status of the command */
        int32_t fallback; /* seccomp: 1 if no listener could be installed */
        struct rusage ru;
};

/* Everything the child needs, prepared by the parent; the child only reads it, except for the
 * fields marked "child writes". Shared with the child through CLONE_VM. */
struct sandbox_plan {
        uint64_t clone_flags; /* CLONE_NEW* */
        bool plain;           /* no sandbox (policy `none`): spawn as posix_spawn would */
        bool userns, rootless;
        char uid_map[64], gid_map[64];
        uid_t uid; /* inside */
        gid_t gid;
        bool drop_groups;
        char hostname[64];
        bool loopback_up;
        int netns_fd;      /* a pooled network namespace the job is born in, or -1 */
        const char *stage; /* where the new root is built ("/tmp") */
        const char *cwd;   /* inside */
        struct mount_step *steps;
        size_t n_steps;
        char *const *argv;
        char *const *envp;
        char **exec_paths; /* candidates for argv[0], tried in order */
        int stdio[3];      /* fds to become 0, 1, 2; -1 = keep */
        int *keep_fds;     /* sorted fds >= 3 passed on */
        size_t n_keep_fds;
        int cgroup_procs[3]; /* cgroup.procs fds the command enters; -1 */
        struct {
                int resource;
                struct rlimit lim;
        } rlimits[8];
        size_t n_rlimits;
        const struct sock_fprog *bpf_notify, *bpf_kill;
        int cap_last;          /* highest capability number */
        int chan;              /* the child's end of the channel (SOCK_SEQPACKET) */
        int chan_parent;       /* the parent's end, closed by the child at once */
        void *stack1, *stack2; /* the init's and the command's stacks (mmap) */
        size_t stack_size;
        /* child writes: */
        int listener_fd, seccomp_fallback;
        int exec_step, exec_err, exec_index;
        /* parent-only bookkeeping: */
        struct strv owned;     /* strings the plan owns */
        struct strv env, exec; /* envp and exec_paths storage */
        /* the policy's programs behind the exec gate */
        struct sock_fprog gate_notify, gate_kill;
        size_t cap_steps;
        struct cgroup_job cgroup;
};

/* Build a plan for argv under policy p: resolve the working directory, environment, fds, mount
 * steps, id maps, limits and cgroup. bpf is the policy's compiled filter (borrowed). stdio gives
 * the fds that become 0, 1 and 2 (-1: keep ours). Returns 0 or -errno with err saying which
 * setting could not be honoured. */
int sandbox_plan_new(const struct rf_policy *p, const struct policy_bpf *bpf, char *const argv[],
                     const int stdio[3], struct sandbox_plan **ret, rf_error *err);
/* Copy the program in behind a gate that lets the sandbox's own setup through (exit, and the
 * execve whose argv and envp pointers are argv and envp: exec-gate.c), into out, which the
 * caller frees (out->filter). An empty program stays empty. Returns 0 or -E2BIG. */
int sandbox_exec_gate(const struct sock_fprog *in, const void *argv, const void *envp,
                      struct sock_fprog *out);
/* Free a plan (NULL is fine); removes its cgroup. Only once its init has been reaped. */
void sandbox_plan_free(struct sandbox_plan *pl);

/* A started job: its init's pid and pidfd, and the parent's end of the channel. */
struct sandbox_proc {
        pid_t pid;
        int pidfd;
        int chan;    /* -1 for a plain spawn, which has no init */
        bool failed; /* a plain spawn that could not exec: error says why, and the
                      * child is reaped already (pidfd -1) */
        struct child_msg error;
};

/* Start the plan's init in its new namespaces (clone3 with CLONE_PIDFD), write its id maps,
 * and let it go; for a plain plan, start the command itself (CLONE_VM | CLONE_VFORK, no init,
 * no channel), which has exec'd or failed (ret->failed) when this returns. Returns 0 or -errno. */
int sandbox_spawn(struct sandbox_plan *pl, struct sandbox_proc *ret, rf_error *err);

/* Words for a failed child step and errno, e.g. `exec "gcc": No such file or directory`. */
void sandbox_describe_error(const struct sandbox_plan *pl, const struct child_msg *m, char *buf,
                            size_t size);
