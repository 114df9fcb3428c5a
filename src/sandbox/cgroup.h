/* SPDX-License-Identifier: MIT */
/* Per-job cgroups below our own: cgroup v2 where it has the controller, v1 where only v1 has it,
 * and which backend enforced each limit. Used by the sandbox module only. */
#pragma once

#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>

#include "ringfence.h"
#include "policy/policy.h"

enum limit_backend { LIMIT_BY_NONE, LIMIT_BY_CGROUP_V2, LIMIT_BY_CGROUP_V1, LIMIT_BY_RLIMIT };

/* "cgroup-v2", "cgroup-v1", "rlimit" or "". */
const char *limit_backend_name(enum limit_backend b);

/* A job's cgroup(s). Zero-initialise, then cgroup_job_create. */
struct cgroup_job {
        int v2_fd;            /* O_DIRECTORY fd of the v2 job cgroup, for CLONE_INTO_CGROUP; -1 */
        char *v2_path;        /* the v2 job cgroup directory, or NULL */
        char *v1_memory_path; /* the v1 memory job cgroup directory, or NULL */
        char *v1_pids_path;   /* the v1 pids job cgroup directory, or NULL */
        enum limit_backend memory_by, pids_by; /* LIMIT_BY_NONE: caller falls back to rlimits */
};

/* What a job's cgroup saw, read after the job ended. */
struct cgroup_stats {
        uint64_t peak_memory;  /* bytes, 0 if unknown */
        bool memory_limit_hit; /* the OOM killer ran in the job's cgroup */
        bool pids_limit_hit;   /* a fork or clone was refused by pids.max */
};

/* Create the job's cgroup(s) below our own current cgroup for the memory and pids limits in lim
 * (those that are 0 need none); name must be unique in this process. Limits that no cgroup can
 * enforce here (no controller, no permission) are left LIMIT_BY_NONE, not an error. Also make a
 * cgroup when no limit is set, if one is cheap, so that peak memory can be reported. Returns 0 or
 * -errno for real failures (e.g. a write that should have worked). */
int cgroup_job_create(struct cgroup_job *cg, const struct policy_limits *lim, const char *name,
                      rf_error *err);

/* Put pid into the v1 cgroups (v2 is entered by clone3 with CLONE_INTO_CGROUP). */
int cgroup_job_attach(struct cgroup_job *cg, pid_t pid, rf_error *err);

/* Read the job's statistics. */
int cgroup_job_stats(const struct cgroup_job *cg, struct cgroup_stats *ret);

/* Kill whatever is still in the job's cgroups, remove them, close fds, free paths. Safe on a
 * zeroed or half-created cgroup_job. */
void cgroup_job_destroy(struct cgroup_job *cg);

/* Undo what this process did to its own cgroup v2 to hold job cgroups (moving itself into
 * <own>/ringfence.host-<pid> and enabling memory and pids for <own>'s children), when it did.
 * Call at the end, when no job cgroup is left and no other thread creates one; later jobs get
 * no v2 cgroup. */
void cgroup_host_release(void);
