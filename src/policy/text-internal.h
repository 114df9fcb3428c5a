/* SPDX-License-Identifier: MIT */
/* What the policy module's text writers share (show.c, explain.c, bpf-text.c): rules, errnos and
 * the default action written as policies write them. Not for other modules. */
#pragma once

#include <stddef.h>
#include <stdio.h>

#include "policy/policy.h"

/* An errno by name ("ENOSYS"), or its number when it has none. */
void policy_text_errno(FILE *f, int e);
/* What follows the key of rule r: "ioctl: arg1 & 0xffffffff == 0x5412". */
void policy_text_rule_target(FILE *f, const struct policy_syscall_rule *r);
/* The key that makes rule r: "seccomp.allow", "seccomp.deny", "seccomp.errno", ... */
const char *policy_text_rule_key(const struct policy_syscall_rule *r);
/* "seccomp.default = errno ENOSYS" for s into buf. */
void policy_text_default(const struct policy_seccomp *s, char *buf, size_t size);
