/* SPDX-License-Identifier: MIT */
/* Turning what a job did into its result: seccomp notifications answered and recorded, and the
 * final status, exit status and limit. */
#pragma once

#include "engine/engine-internal.h"

/* Answer one pending seccomp notification of j by its policy (EPERM, or kill), and record it. */
void engine_on_notification(struct ejob *j);
/* Fill j->res from what was seen: status, exit status, limit, times, memory, enforcement. */
void engine_verdict(struct ejob *j);
