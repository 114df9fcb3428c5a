/* SPDX-License-Identifier: MIT */
/* What the two halves of the Docker/OCI seccomp import share: oci-read.c reads the JSON into the
 * model's terms, oci.c turns what it read into the policy's rules. Not for other modules. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "ringfence.h"
#include "policy/policy.h"

/* One import in progress: where errors point, and the rules built so far. */
struct oci_import {
        const char *file;
        const char *base; /* "" or "linux.seccomp." */
        rf_error *err;
        unsigned kernel[2];   /* the running kernel's major.minor */
        struct rf_policy tmp; /* only .seccomp is used; moved into the caller's on success */
        struct policy_seccomp_import info;
};

/* One entry of a profile's syscalls, read (oci_entry_done frees it). */
struct oci_entry {
        json_t *names; /* a non-empty array of strings */
        enum policy_action action;
        int errno_val;
        struct policy_arg_cond *conds; /* n_conds of them, as written */
        size_t n_conds;
        bool applies; /* its includes and excludes let it apply here */
};

/* Read path as JSON into *ret (the caller's); syntax errors say where
 * ("FILE:LINE:COLUMN: syntax error: ..."). Returns 0 or -errno. */
int oci_load(const char *path, json_t **ret, rf_error *err);
/* Find the profile in root (a Docker profile or bare OCI seccomp object, or an OCI runtime
 * config's linux.seccomp; sets im->base for errors) and read its default action and errno, check
 * its architecture lists, and give its syscalls array (NULL when it has none; borrowed from
 * root). Returns 0 or -EINVAL with im->err saying where. */
int oci_read_profile(struct oci_import *im, const json_t *root, enum policy_action *ret_action,
                     int *ret_errno, const json_t **ret_syscalls);
/* Read entry i of syscalls into *ret (zeroed by the caller; freed with oci_entry_done, also
 * after a failure). Returns 0 or -EINVAL with im->err saying where. */
int oci_read_entry(struct oci_import *im, const json_t *e, size_t i, struct oci_entry *ret);
/* Free what an entry holds. */
void oci_entry_done(struct oci_entry *e);
