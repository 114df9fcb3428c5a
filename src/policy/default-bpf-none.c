/* SPDX-License-Identifier: MIT */
/* No prebuilt default: the stand-in for the generated default-bpf.c in libpolicy-core.la, the
 * policy module that gen-default-bpf links to build and compile the default the slow way. */
#include "config.h"

#include "ringfence.h"
#include "policy/policy.h"
#include "policy/prebuilt.h"

const struct policy_prebuilt policy_prebuilt_default = { .available = false };
