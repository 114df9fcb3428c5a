/* SPDX-License-Identifier: MIT */
/* Import of a Docker (moby) seccomp profile, or of the linux.seccomp part of an OCI runtime
 * config, as the syscall part of a policy: what oci-read.c reads becomes the policy's rules. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/oci-internal.h"
#include "policy/policy.h"

/* The profile is taken as written: it replaces the policy's syscall rules and default action
 * entirely, ringfence's own refusals included (a profile that allows ptrace gets ptrace). What
 * stays is what the compiler adds to every program: foreign ABIs (x32, i386) are killed. */

/* Whether the new policy already has a rule without conditions for name. */
static bool has_unconditional(const struct policy_seccomp *s, const char *name)
{
        for (size_t i = 0; i < s->n_rules; i++)
                if (!s->rules[i].n_conds && !strcmp(s->rules[i].name, name))
                        return true;
        return false;
}

/* Add the rules of one entry for one name. Like runc, several conditions on the same argument
 * (which libseccomp cannot AND in one rule) become one rule each, so any of them matches. */
static int add_name(struct oci_import *im, const char *name, enum policy_action action,
                    int errno_val, const struct policy_arg_cond *conds, size_t n, bool split,
                    const char *origin)
{
        int nr, r;

        /* Docker's profile lists calls of kernels newer than this libseccomp knows, and of other
         * architectures; runc skips the names it cannot resolve, and so do we, counting them. */
        nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR) {
                im->info.n_unknown_names++;
                return 0;
        }
        if (nr < 0) {
                im->info.n_foreign_names++;
                return 0;
        }
        /* libseccomp keeps only the unconditional rule of a call that has one. */
        if (n > 0 && has_unconditional(&im->tmp.seccomp, name)) {
                im->info.n_swallowed++;
                return 0;
        }
        for (size_t k = 0; k < (split ? n : 1); k++) {
                r = policy_add_syscall_rule(&im->tmp, name, action, errno_val,
                                            split ? &conds[k] : conds, split ? 1 : (unsigned)n,
                                            origin, origin, im->err);
                if (r < 0)
                        return r;
                im->info.n_rules++;
        }
        return 0;
}

/* Whether two conditions test the same argument. */
static bool same_arg_twice(const struct policy_arg_cond *conds, size_t n)
{
        for (size_t i = 0; i < n; i++)
                for (size_t k = i + 1; k < n; k++)
                        if (conds[i].index == conds[k].index)
                                return true;
        return false;
}

/* Import entry i of syscalls. */
static int import_entry(struct oci_import *im, const json_t *e, size_t i)
{
        _cleanup_(oci_entry_done) struct oci_entry en = { 0 };
        char origin[512];
        size_t k;
        json_t *name;
        int r;

        r = oci_read_entry(im, e, i, &en);
        if (r < 0)
                return r;
        if (!en.applies) {
                im->info.n_not_applied++;
                return 0;
        }
        /* libseccomp refuses a rule that acts as the default does; runc leaves such rules out,
         * and adding one would also remove an earlier unconditional rule for the same call. */
        if (en.action == im->tmp.seccomp.default_action &&
            en.errno_val == im->tmp.seccomp.default_errno) {
                im->info.n_as_default++;
                return 0;
        }
        snprintf(origin, sizeof(origin), "%s %ssyscalls[%zu]", im->file, im->base, i);
        json_array_foreach(en.names, k, name) {
                r = add_name(im, json_string_value(name), en.action, en.errno_val, en.conds,
                             en.n_conds, same_arg_twice(en.conds, en.n_conds), origin);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Import the parsed root (named file in errors) into p's seccomp part, replacing it; p is
 * untouched on failure. */
static int import_root(struct rf_policy *p, const char *file, const json_t *root,
                       struct policy_seccomp_import *ret_info, rf_error *err)
{
        struct oci_import im = { .file = file, .base = "", .err = err };
        struct policy_seccomp *s = &im.tmp.seccomp;
        const json_t *syscalls = NULL;
        int r;

        r = oci_read_profile(&im, root, &s->default_action, &s->default_errno, &syscalls);
        for (size_t i = 0; r >= 0 && i < json_array_size(syscalls); i++)
                r = import_entry(&im, json_array_get(syscalls, i), i);
        if (r >= 0) {
                /* Swap: the old rules go with im.tmp. */
                struct policy_seccomp old = p->seccomp;
                p->seccomp = im.tmp.seccomp;
                im.tmp.seccomp = old;
                p->seccomp_pristine = false; /* no longer the default's prebuilt programs */
                if (ret_info)
                        *ret_info = im.info;
        }
        policy_done(&im.tmp);
        return r < 0 ? r : 0;
}

/* Import path into p's seccomp part, replacing it; p is untouched on failure. */
int policy_import_seccomp_json_info(struct rf_policy *p, const char *path,
                                    struct policy_seccomp_import *ret_info, rf_error *err)
{
        _cleanup_(json_decrefp) json_t *root = NULL;
        int r;

        r = oci_load(path, &root, err);
        if (r < 0)
                return r;
        return import_root(p, path, root, ret_info, err);
}

/* The same from len bytes of text in memory, shown as name in errors. */
int policy_import_seccomp_json_mem(struct rf_policy *p, const char *name, const char *text,
                                   size_t len, struct policy_seccomp_import *ret_info,
                                   rf_error *err)
{
        _cleanup_(json_decrefp) json_t *root = NULL;
        json_error_t jerr;

        if (!p || !name || (!text && len))
                return rf_error_set(err, -EINVAL,
                                    "policy_import_seccomp_json_mem: no policy, name or text");
        root = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
        if (!root)
                return rf_error_set(err, -EINVAL, "%s:%d:%d: syntax error: %s", name, jerr.line,
                                    jerr.column, jerr.text);
        return import_root(p, name, root, ret_info, err);
}

/* The same without the counts. */
int policy_import_seccomp_json(struct rf_policy *p, const char *path, rf_error *err)
{
        return policy_import_seccomp_json_info(p, path, NULL, err);
}
