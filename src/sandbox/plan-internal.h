/* SPDX-License-Identifier: MIT */
/* What the files of the plan share (plan.c, plan-mounts.c, plan-env.c, plan-stacks.c): each
 * fills its part of a sandbox_plan in the parent. Not for other modules. */
#pragma once

#include "ringfence.h"
#include "base/base.h"
#include "policy/policy.h"
#include "sandbox/sandbox.h"

/* Keep a copy of s alive as long as the plan; returns the copy (plan.c). */
const char *plan_own(struct sandbox_plan *pl, const char *s);

/* The mount steps of the job's root filesystem, for working directory cwd (plan-mounts.c).
 * Returns 0 or -errno with err naming the path that could not be bound. */
int plan_mounts(struct sandbox_plan *pl, const struct rf_policy *p, const char *cwd, rf_error *err);

/* The job's envp and exec_paths (plan-env.c): the allowed names from ours, HOME, then the
 * policy's settings; a plain plan whose policy passes every name and sets none gets ours. */
void plan_env(struct sandbox_plan *pl, const struct rf_policy *p);

/* Give the plan its init's and command's stacks (plan-stacks.c): a kept pair, or new ones.
 * Returns 0 or -errno. */
int plan_stacks_take(struct sandbox_plan *pl, rf_error *err);
/* Keep a job's stacks for the next job, or unmap them. Only once the job is reaped. */
void plan_stacks_give(struct sandbox_plan *pl);
