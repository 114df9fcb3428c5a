/* SPDX-License-Identifier: MIT */
/* The engine module's interface: run jobs from spawn to result. (This first engine supervises one
 * job with poll; the io_uring loop and worker pool replace it for batches.) */
#pragma once

#include "ringfence.h"
#include "policy/policy.h"

/* How one job is run. */
struct engine_job {
        const struct rf_policy *policy;
        const struct policy_bpf *bpf; /* compiled from policy */
        char *const *argv;
        int stdio[3];       /* the job's 0, 1, 2: fds of ours, or -1 for ours */
        bool count_output;  /* relay stdout/stderr through the host to count them */
        int signal_fd;      /* a signalfd whose signals are forwarded to the job, or -1 */
};

/* Start job, supervise it (time limit, output cap, seccomp notifications, forwarded signals),
 * wait for it, and fill *ret. Returns 0 when *ret holds the job's result (also one that could not
 * start), or -errno when ringfence itself failed (err says why). */
int engine_run_job(const struct engine_job *job, rf_result *ret, rf_error *err);
