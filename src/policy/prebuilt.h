/* SPDX-License-Identifier: MIT */
/* The default policy's seccomp part prepared at build time: its rules with their resolved numbers
 * and its two compiled programs, written as C by gen-default-bpf (default-bpf.c in the build
 * directory). For the policy module's own files, the generator and the tests. */
#pragma once

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

/* One rule of the default as policy_default_seccomp leaves it; its conditions are
 * conds[cond .. cond + n_conds) of the policy_prebuilt. */
struct policy_prebuilt_rule {
        const char *name;
        int nr;
        enum policy_action action;
        int errno_val;
        unsigned n_conds;
        unsigned cond;
};

struct policy_prebuilt {
        bool available;              /* false in the generator's own build (default-bpf-none.c) */
        uint32_t arch;               /* seccomp_arch_native() of the build */
        unsigned seccomp_version[3]; /* the libseccomp that resolved and compiled it */
        uint64_t fingerprint;        /* policy_seccomp_fingerprint() of the default */
        const char *origin;          /* every rule's origin */
        enum policy_action default_action;
        int default_errno;
        const struct policy_prebuilt_rule *rules;
        size_t n_rules;
        const struct policy_arg_cond *conds;
        size_t n_conds;
        const struct sock_filter *notify;
        unsigned short notify_len;
        const struct sock_filter *kill;
        unsigned short kill_len;
};

/* This build's prebuilt default: default-bpf.c, generated; default-bpf-none.c (not available)
 * in libpolicy-core.la, which the generator itself links. */
extern const struct policy_prebuilt policy_prebuilt_default;

/* A 64-bit FNV-1a hash of s's default action and errno and of each rule's name, action, errno,
 * conditions and number, in order (origins do not count): equal for equal seccomp parts. */
uint64_t policy_seccomp_fingerprint(const struct policy_seccomp *s);

/* The prebuilt default if it stands for what this process would build and compile: made for
 * the native architecture by the libseccomp version loaded here. NULL otherwise. */
const struct policy_prebuilt *policy_prebuilt_get(void);

/* Fill p's empty seccomp part with the prebuilt default's rules. Returns false, leaving p as it
 * was, when there is none to use (policy_default_seccomp must then build them). */
bool policy_prebuilt_default_seccomp(struct rf_policy *p);

/* Copy the prebuilt programs into ret when p->seccomp_pristine holds and p's seccomp part has
 * the prebuilt fingerprint. Returns false, leaving ret as it was, when they do not apply. */
bool policy_prebuilt_compile(const struct rf_policy *p, struct policy_bpf *ret);
