/* SPDX-License-Identifier: MIT */
/* The policy module's interface: the model of a sandbox (what rf_policy is), the embedded default,
 * settings by key, and compilation of its seccomp part to BPF. */
#pragma once

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ringfence.h"
#include "base/strv.h"

/* Namespaces a job gets of its own (bit set = new namespace). */
enum {
        POLICY_NS_USER = 1 << 0,
        POLICY_NS_PID = 1 << 1,
        POLICY_NS_MOUNT = 1 << 2,
        POLICY_NS_IPC = 1 << 3,
        POLICY_NS_UTS = 1 << 4,
        POLICY_NS_NET = 1 << 5,
        POLICY_NS_CGROUP = 1 << 6,
        POLICY_NS_ALL = (1 << 7) - 1,
};

enum policy_net { POLICY_NET_NONE, POLICY_NET_LOOPBACK, POLICY_NET_HOST };

enum policy_fs_kind {
        POLICY_FS_RO,    /* bind the host path read-only */
        POLICY_FS_RW,    /* bind the host path read-write */
        POLICY_FS_HIDE,  /* cover the path with an empty, read-only directory or file */
        POLICY_FS_TMPFS, /* an empty private writable tmpfs at the path */
};

/* One filesystem rule; path is absolute and normalised (no "." or ".." parts, no double or
 * trailing slashes). */
struct policy_fs_rule {
        enum policy_fs_kind kind;
        char *path;
        char *origin;
};

/* Limits; 0 means "not set". */
struct policy_limits {
        uint64_t timeout_ms; /* wall clock */
        uint64_t cpu_ms;     /* CPU time */
        uint64_t memory;     /* bytes */
        uint64_t pids;       /* processes and threads */
        uint64_t files;      /* open files per process */
        uint64_t file_size;  /* bytes per file written */
        uint64_t output;     /* bytes of stdout+stderr */
        uint64_t tmp_size;   /* bytes of the private /tmp (default 64M) */
};

/* What a seccomp rule does when it matches. */
enum policy_action {
        POLICY_ACT_ALLOW,
        POLICY_ACT_ERRNO,  /* fail with errno_val, silently */
        POLICY_ACT_REPORT, /* fail with errno_val (EPERM by default) and record it */
        POLICY_ACT_KILL,   /* kill the job and record it */
};

/* An argument condition: (arg[index] & mask) OP value, as libseccomp's SCMP_CMP_*. */
enum policy_cmp {
        POLICY_CMP_EQ,
        POLICY_CMP_NE,
        POLICY_CMP_LT,
        POLICY_CMP_LE,
        POLICY_CMP_GT,
        POLICY_CMP_GE,
        POLICY_CMP_MASKED_EQ
};

struct policy_arg_cond {
        unsigned index;
        enum policy_cmp op;
        uint64_t value;  /* for MASKED_EQ: the mask */
        uint64_t value2; /* for MASKED_EQ: the value compared after masking */
};

/* One syscall rule: all conditions must hold (AND). */
struct policy_syscall_rule {
        char *name;
        enum policy_action action;
        int errno_val; /* positive errno for ERRNO and REPORT */
        struct policy_arg_cond conds[6];
        unsigned n_conds;
        char *origin; /* "default policy", "file:line", "--set" */
        int nr; /* native syscall number, resolved from name by policy_add_syscall_rule; < 0 when
                 * the call does not exist on this architecture (the rule then never applies) */
};

struct policy_seccomp {
        enum policy_action default_action;
        int default_errno;
        struct policy_syscall_rule *rules;
        size_t n_rules, cap_rules;
};

/* The model behind rf_policy. */
struct rf_policy {
        unsigned namespaces; /* POLICY_NS_* bits */
        enum policy_net net;
        bool as_root;
        bool hostname_set;
        char hostname[64];
        char *cwd;            /* working directory inside; NULL = the caller's */
        struct strv env_pass; /* names; a trailing '*' matches a prefix (LC_*) */
        struct strv env_set;  /* NAME=VALUE */
        int *fds;
        size_t n_fds, cap_fds;
        struct policy_fs_rule *fs;
        size_t n_fs, cap_fs;
        struct policy_limits limits;
        struct policy_seccomp seccomp;
        /* seccomp is still exactly the embedded default (set by policy_init_default, cleared by
         * every change to the rules or the default action): policy_compile may then use the
         * programs compiled at build time (prebuilt.h). Code that changes seccomp other than
         * through policy_set or policy_add_syscall_rule must clear it. */
        bool seccomp_pristine;
        /* identity = caller: the job keeps the caller's own uid and gid, also as root (the
         * built-in policy `none`); as_root is then false. Set by the policy language
         * (parser.c), read by the sandbox's id set-up. */
        bool caller_identity;
};

/* Fill p with the embedded default policy. Returns 0 or -errno. */
int policy_init_default(struct rf_policy *p, rf_error *err);
/* Release what p owns (not p itself). */
void policy_done(struct rf_policy *p);
/* Set key=value (see rf_policy_set and ringfence.policy(5) for the keys). */
int policy_set(struct rf_policy *p, const char *key, const char *value, const char *origin,
               rf_error *err);

/* A compiled filter pair, made once per policy. notify: report and kill rules return
 * SECCOMP_RET_USER_NOTIF, for a host that listens; kill: the fallback where no listener can be
 * installed (report and kill rules kill the process). Both kill foreign ABIs (x32, i386). */
struct policy_bpf {
        struct sock_fprog notify;
        struct sock_fprog kill;
};

/* Compile p's seccomp rules. The programs are owned by ret; free with policy_bpf_done. While
 * p->seccomp_pristine, they are copies of the default's programs compiled at build time, without
 * libseccomp (the same bytes as it would make here). */
int policy_compile(const struct rf_policy *p, struct policy_bpf *ret, rf_error *err);
void policy_bpf_done(struct policy_bpf *b);

/* Which rule of p decides syscall nr (native ABI) with these arguments: returns the rule, or
 * NULL when the default action applies. Used by the host to answer seccomp notifications. */
const struct policy_syscall_rule *policy_match(const struct rf_policy *p, int nr,
                                               const uint64_t args[6]);

/* The name of native syscall nr ("ptrace"), or NULL if unknown. */
const char *policy_syscall_name(int nr);

/* Additions for the policy module's own files (model.c, set.c, default.c) and its users. */

/* Normalise absolute path into a new string in *ret: no "." parts, ".." resolved lexically, no
 * double or trailing slashes. Returns 0, or -EINVAL if path is not absolute. */
int policy_normalize_path(const char *path, char **ret);

/* Append a filesystem rule for path (normalised here). what names the setting in errors
 * ("fs.rw"). Returns 0 or -EINVAL (not absolute, or "/" for anything but POLICY_FS_RO). */
int policy_add_fs_rule(struct rf_policy *p, enum policy_fs_kind kind, const char *path,
                       const char *origin, const char *what, rf_error *err);

/* Append a seccomp rule for the system call name. A rule without conditions first removes all
 * earlier rules for that name. name must be known to libseccomp (on any architecture; a call the
 * native one lacks gets nr < 0 and never applies). what names the setting in errors. Returns 0
 * or -EINVAL (unknown name, errno out of 1..4094, more than 6 conditions or an index above 5). */
int policy_add_syscall_rule(struct rf_policy *p, const char *name, enum policy_action action,
                            int errno_val, const struct policy_arg_cond *conds, unsigned n_conds,
                            const char *origin, const char *what, rf_error *err);

/* Fill p's seccomp part with the embedded default rules (default.c), resolving each name with
 * libseccomp; policy_init_default copies them from the prebuilt default instead where it can.
 * Returns 0 or -errno. */
int policy_default_seccomp(struct rf_policy *p, rf_error *err);

/* The name of a policy action as written in policies and result records: "allow", "errno",
 * "report", "kill". */
const char *policy_action_name(enum policy_action a);

/* The errno number for name ("EPERM"), or -EINVAL. */
int policy_errno_from_name(const char *name);

/* What an import of a seccomp profile left out, for `show` and warnings. */
struct policy_seccomp_import {
        size_t n_rules;         /* rules added */
        size_t n_unknown_names; /* names libseccomp does not know (newer kernels), skipped */
        size_t n_foreign_names; /* names of other architectures' calls, skipped */
        size_t n_not_applied;   /* entries left out by includes/excludes (caps, arches, kernel) */
        size_t n_as_default;    /* entries acting as the default action, left out (no-ops) */
        size_t n_swallowed;     /* conditional rules under an unconditional one, left out */
        size_t n_errno_capped;  /* errnoRet values above 4094, made 4094 */
};

/* Replace p's seccomp rules and default action with those of the Docker/moby seccomp profile, OCI
 * runtime config (its linux.seccomp) or bare OCI seccomp object in the JSON file path, taken as
 * written. Errors name the file and the JSON path, or FILE:LINE:COLUMN for syntax. ret_info (may
 * be NULL) gets the counts of what was left out. Returns 0 or -errno; p is untouched on failure. */
int policy_import_seccomp_json_info(struct rf_policy *p, const char *path,
                                    struct policy_seccomp_import *ret_info, rf_error *err);
/* The same, without the counts. */
int policy_import_seccomp_json(struct rf_policy *p, const char *path, rf_error *err);
/* The same from len bytes of JSON text in memory (tests, fuzzing), named name in errors. */
int policy_import_seccomp_json_mem(struct rf_policy *p, const char *name, const char *text,
                                   size_t len, struct policy_seccomp_import *ret_info,
                                   rf_error *err);

/* Make dst a deep copy of src (dst's old contents are not freed). Release with policy_done. */
void policy_copy(struct rf_policy *dst, const struct rf_policy *src);

/* ---- the policy language (parser.c) and its names (groups.c) ------------------------------ */

/* Where the settings of a loaded policy came from, for `ringfence policy show`: the last origin
 * ("build.policy:12") of each single-valued key ("net", "limit.memory") and of each list entry
 * ("env.pass LANG", "env.set NAME", "fd 3"). Filesystem and seccomp rules keep their own. */
struct policy_trace {
        struct strv keys, origins; /* in step */
        char *base; /* where everything else came from ("default policy"); NULL: the default */
};
void policy_trace_done(struct policy_trace *t);
/* The origin of key, else t's base; never NULL. */
const char *policy_trace_origin(const struct policy_trace *t, const char *key);

/* Apply the policy file path (ringfence.policy(5)) onto p, line by line: settings, includes,
 * seccomp-json. Errors are "FILE:LINE:COLUMN: what was wrong, expected what"; p may be partly
 * changed on failure. Returns 0 or -errno. */
int policy_load_file(struct rf_policy *p, const char *path, rf_error *err);

/* A policy file in memory, for policy_load_mem. */
struct policy_mem_file {
        /* as errors show it and includes name it: "main.policy", "sub/a.policy" */
        const char *name;
        const char *text; /* len bytes, not NUL-terminated */
        size_t len;
};

/* Apply files[0] onto p as policy_load_file would, with trace (may be NULL), except that
 * include, seccomp-json and policy names find their files only among files (a NAME as
 * "policies/NAME.policy"), never on the filesystem: for tests and fuzzing. The built-ins default
 * and none still apply. Returns 0 or -errno; p may be partly changed on failure. */
int policy_load_mem(struct rf_policy *p, const struct policy_mem_file *files, size_t n_files,
                    struct policy_trace *trace, rf_error *err);

/* Apply what spec names onto p: the built-in "default" or "none" (which replace all of p), a
 * NAME (RF_POLICY_DIR/NAME.policy, then ./policies/NAME.policy), a policy FILE, or a FILE.json
 * seccomp profile (replaces p's seccomp part). trace (may be NULL) records origins. */
int policy_load(struct rf_policy *p, const char *spec, struct policy_trace *trace, rf_error *err);

/* Fill p with the built-in policy "none": no sandbox (every namespace off, the host network,
 * the caller's identity, seccomp allows everything, no limits). Returns 0 or -errno. */
int policy_init_none(struct rf_policy *p, rf_error *err);

/* Set key to value as a policy line would (groups, argument conditions, $HOME, $PWD and
 * $TMPDIR, identity = caller), with errors prefixed by origin instead of a position. */
int policy_set_value(struct rf_policy *p, const char *key, const char *value, const char *origin,
                     struct policy_trace *trace, rf_error *err);

/* A number (decimal, 0x hex, 0 octal) or constant name ("TIOCSTI"), as conditions take them.
 * Returns 0 or -EINVAL. */
int policy_parse_value(const char *s, uint64_t *ret);

/* A named group of system calls; members are names or other groups ("@signal"). */
struct policy_group {
        const char *name; /* "@file-system" */
        const char *description;
        const char *const *members; /* NULL-terminated */
};
/* The i-th group, or NULL past the last. */
const struct policy_group *policy_group_at(size_t i);
/* The group called name ("@file-system"), or NULL. */
const struct policy_group *policy_group_find(const char *name);
/* Append g's system calls that libseccomp knows to out, nested groups expanded, each once. */
void policy_group_expand(const struct policy_group *g, struct strv *out);
/* The value of the constant name[0..len) (AF_UNIX, TIOCSTI, CLONE_NEWUSER, O_RDONLY,
 * PROT_EXEC, ...): 0, or -ENOENT when unknown. */
int policy_constant(const char *name, size_t len, uint64_t *ret);

/* ---- the policy as text (show.c, explain.c, bpf-text.c) ----------------------------------- */

/* Write p as a policy file to f (`ringfence policy show`): a header naming spec, then each
 * setting with the origin t gives it. */
void policy_show(FILE *f, const char *spec, const struct rf_policy *p,
                 const struct policy_trace *t);
/* Write what p does with the system call name (native number nr; < 0: a call of other
 * architectures) to f, one line or a list (`ringfence policy explain`). args (NULL-terminated,
 * may be NULL): up to 6 numbers or constant names. Returns RF_EXPLAIN_ALLOWED, _REFUSED or
 * _DEPENDS, or -EINVAL for bad args. */
int policy_explain(FILE *f, const struct rf_policy *p, const struct policy_trace *t,
                   const char *name, int nr, char *const *args, rf_error *err);
/* Write prog to f as numbered instructions with what each loads, compares or returns (`ringfence
 * policy bpf`); spec and kill name it in the header. */
void policy_bpf_text(FILE *f, const char *spec, const struct sock_fprog *prog, bool kill);
