/* SPDX-License-Identifier: MIT */
/* Turning what a job did into its result: seccomp notifications answered and recorded, and the
 * verdict, a pure function of the job's facts (status, exit status, limit). */
#pragma once

#include "engine/engine-internal.h"

/* Everything the verdict knows of one finished job, gathered from the job in one place (job.c);
 * the verdict reads nothing else: not the job, the engine, the clock or the system. */
struct job_facts {
        /* How far it got, and how it ended. */
        bool spawned;             /* planned and spawned; false: nothing ran, error says why */
        bool setup_failed;        /* the sandbox's setup or the exec reported an error: */
        int setup_step;           /*   at this step (STEP_EXEC: the exec itself), */
        int setup_errno;          /*   with this errno */
        char error[256];          /* why it did not start (not spawned, or setup failed) */
        bool command_started;     /* the init said the command started */
        bool exited;              /* the init (or the reaper of a plain job) saw the command end: */
        int wait_status;          /*   its wait status, */
        uint64_t user_us, sys_us; /*   its CPU times */
        uint64_t peak_rss;        /*   and its peak resident size in bytes (rusage) */
        int init_code;            /* how the init itself ended: waitid's si_code (CLD_*) */
        int init_status;          /*   and si_status (exit status or signal) */
        /* What the host did to it. */
        bool timed_out;        /* the time limit fired and killed it */
        bool killed_violation; /* a refused system call whose action is kill killed it */
        bool output_cut;       /* the output limit cut its output and killed it */
        /* What its cgroup saw (false and 0 without one). */
        bool memory_limit_hit;       /* the OOM killer ran */
        bool pids_limit_hit;         /* a fork or clone was refused */
        uint64_t cgroup_peak_memory; /* bytes, 0 if unknown */
        /* The limits it ran under, and the cgroup backend that enforced memory and pids
         * (LIMIT_BY_NONE: the rlimit fallback). */
        struct policy_limits limits;
        enum limit_backend memory_by, pids_by;
        /* Counted while it ran. */
        int64_t start_unix_us;
        uint64_t wall_us;
        uint64_t stdout_bytes, stderr_bytes; /* relayed, within the output cap */
        /* n_violations recorded refused calls (borrowed) */
        const struct engine_violation *violations;
        int n_violations;
        uint32_t violations_total;
};

/* Answer one pending seccomp notification of j by its policy (EPERM, or kill), and record it. */
void engine_on_notification(struct ejob *j);
/* Make *ret the result of the job that f describes: status, exit status, exit code, signal,
 * limit, error, times, memory, output, violations and enforcement (DESIGN.md's exit statuses). */
void engine_verdict(const struct job_facts *f, struct engine_result *ret);
