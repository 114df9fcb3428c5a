/* SPDX-License-Identifier: MIT */
/* What cgroup.c, cgroup-v1.c and cgroup-v2.c share: where our own cgroups are, the backends' job
 * operations, and small helpers for cgroup files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ringfence.h"
#include "policy/policy.h"
#include "sandbox/cgroup.h"

/* The controllers a job cgroup can use, as indices and as mask bits. */
enum cgroup_ctrl { CGROUP_MEMORY, CGROUP_PIDS, _CGROUP_CTRL_MAX };
#define CGROUP_BIT(c) (1u << (c))

/* Where our process's cgroups are, from /proc/self/cgroup and /proc/self/mountinfo: each a
 * directory under a writable mount, NULL where there is none or ours is not visible. */
struct cgroup_layout {
        char *v2_dir;                   /* <cgroup2 mount>/<our v2 path> */
        char *v1_dir[_CGROUP_CTRL_MAX]; /* <v1 mount of the controller>/<our path in it> */
};

/* What this process decided once (cgroup_host_get): the layout, plus which controllers each
 * backend can use for job cgroups. */
struct cgroup_host {
        struct cgroup_layout layout;
        unsigned v2_ctrls; /* CGROUP_BIT()s enabled for children of layout.v2_dir */
        unsigned v1_ctrls; /* CGROUP_BIT()s whose layout.v1_dir we may create cgroups in */
        pid_t v2_moved;    /* our pid if we moved into layout.v2_dir/ringfence.host-<pid> */
};

/* "memory" or "pids". */
const char *cgroup_ctrl_name(enum cgroup_ctrl c);

/* Parse the text of /proc/self/cgroup and /proc/self/mountinfo into ret (freed with
 * cgroup_layout_done). Parts that are missing, read-only or not visible stay NULL. */
void cgroup_layout_parse(const char *proc_cgroup, const char *mountinfo, struct cgroup_layout *ret);
/* Free what l owns. */
void cgroup_layout_done(struct cgroup_layout *l);

/* The per-process state, set up on first use (thread-safe, once per process). */
const struct cgroup_host *cgroup_host_get(void);

/* dir/file into buf of size n; returns 0 or -ENAMETOOLONG. */
int cgroup_join(char *buf, size_t n, const char *dir, const char *file);
/* Write val to file in the directory dirfd (or dir, when dirfd < 0). Returns 0 or -errno. */
int cgroup_write(int dirfd, const char *dir, const char *file, const char *val);
/* Read file (at most n - 1 bytes) NUL-terminated into buf. Returns the length or -errno. */
int cgroup_read(int dirfd, const char *dir, const char *file, char *buf, size_t n);
/* Read a whole file of any size (dirfd may be AT_FDCWD). *ret is NUL-terminated and the
 * caller's. Returns 0 or -errno. */
int cgroup_read_all(int dirfd, const char *path, char **ret);
/* The value of "key N" in a flat keyed file's text ("oom_kill 3"). Returns 0 or -ENOENT. */
int cgroup_keyed_u64(const char *text, const char *key, uint64_t *ret);
/* Read a file holding one decimal number. Returns 0 or -errno. */
int cgroup_read_u64(int dirfd, const char *dir, const char *file, uint64_t *ret);
/* True for the errors that mean "this host does not let us", not "something broke". */
bool cgroup_denied(int r);

/* SIGKILL every process listed in cgroup.procs of dirfd, again and again until it is empty or
 * about a second has passed. Only pids listed both before and after a pidfd to them was opened
 * are signalled, so a recycled pid is never hit. Returns 0 when empty, -EBUSY, or -errno. */
int cgroup_kill_procs(int dirfd);
/* Remove the job cgroup dir with any cgroups below it, killing what runs in them first
 * (cgroup.kill when v2 has it). Retries briefly while the kernel finishes exits. */
void cgroup_remove(const char *dir, bool v2);

/* v2: make own_dir able to hold job cgroups with ctrls: enable them in its subtree_control,
 * after moving our own process into own_dir/ringfence.host-<pid> when own_dir holds processes.
 * On failure everything is put back. Returns 0, 1 when we moved, or -errno. */
int cgroup_v2_delegate(const char *own_dir, unsigned ctrls);
/* v2: undo a delegation that moved us: disable ctrls in own_dir's subtree_control, move our
 * process back into own_dir, remove the leaf. Best effort. */
void cgroup_v2_undelegate(const char *own_dir, unsigned ctrls);
/* v2: make parent/leaf with the limits of lim for ctrls, open it into cg->v2_fd. A refused mkdir
 * leaves cg->v2_path NULL and returns 0. Returns 0 or -errno with err filled. */
int cgroup_v2_create(struct cgroup_job *cg, const char *parent, const char *leaf, unsigned ctrls,
                     const struct policy_limits *lim, rf_error *err);
/* v2: add what the job's cgroup saw to st. */
void cgroup_v2_stats(const struct cgroup_job *cg, struct cgroup_stats *st);
/* v2: kill, remove, close and free; leaves cg's v2 part empty. */
void cgroup_v2_destroy(struct cgroup_job *cg);

/* v1: make <v1 dir of c>/leaf for each c in ctrls with the limits of lim. A refused mkdir leaves
 * that path NULL. Returns 0 or -errno with err filled. */
int cgroup_v1_create(struct cgroup_job *cg, const struct cgroup_host *h, const char *leaf,
                     unsigned ctrls, const struct policy_limits *lim, rf_error *err);
/* v1: put pid into each v1 cgroup of cg. Returns 0 or -errno with err filled. */
int cgroup_v1_attach(const struct cgroup_job *cg, pid_t pid, rf_error *err);
/* v1: add what the job's cgroups saw to st. */
void cgroup_v1_stats(const struct cgroup_job *cg, struct cgroup_stats *st);
/* v1: kill, remove and free; leaves cg's v1 part empty. */
void cgroup_v1_destroy(struct cgroup_job *cg);
