/* SPDX-License-Identifier: MIT */
/* Reading a Docker (moby) seccomp profile or an OCI runtime config's linux.seccomp with jansson:
 * each value checked for its shape and turned into the model's terms (actions, errnos, argument
 * conditions, whether an entry applies to this host), with errors that give the JSON path. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/oci-internal.h"
#include "policy/policy.h"

#define ACTIONS                                                                                    \
        "SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, "                   \
        "SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG or SCMP_ACT_NOTIFY"
#define OPS                                                                                        \
        "SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GT, SCMP_CMP_GE or "         \
        "SCMP_CMP_MASKED_EQ"

/* libseccomp's actions in the model's terms. errno_val 0: the errno comes from errnoRet (or
 * defaultErrnoRet), EPERM when absent. */
static const struct action_map {
        const char *name;
        enum policy_action action;
        int errno_val;
} action_map[] = {
        { "SCMP_ACT_ALLOW", POLICY_ACT_ALLOW, 0 },
        { "SCMP_ACT_ERRNO", POLICY_ACT_ERRNO, 0 },
        { "SCMP_ACT_KILL", POLICY_ACT_KILL, 0 },
        { "SCMP_ACT_KILL_PROCESS", POLICY_ACT_KILL, 0 },
        /* One thread killed while the others go on helps nobody: the whole job is killed. */
        { "SCMP_ACT_KILL_THREAD", POLICY_ACT_KILL, 0 },
        /* TRAP sends SIGSYS, which kills a program that has no handler for it; one that has a
         * handler could go on after a refused call, which ringfence does not offer: kill. */
        { "SCMP_ACT_TRAP", POLICY_ACT_KILL, 0 },
        /* With no tracer attached the kernel fails a TRACE call with ENOSYS, and no tracer is
         * ever attached to a ringfence job: the same result, said directly. errnoRet is the
         * tracer's message, not an errno, and is ignored. */
        { "SCMP_ACT_TRACE", POLICY_ACT_ERRNO, ENOSYS },
        /* LOG writes to the kernel's audit log and allows; the log is not ringfence's record. */
        { "SCMP_ACT_LOG", POLICY_ACT_ALLOW, 0 },
        /* NOTIFY hands the call to a listener; ringfence's host is the listener: report. */
        { "SCMP_ACT_NOTIFY", POLICY_ACT_REPORT, EPERM },
};

/* clang-format off */
static const struct {
        const char *name;
        enum policy_cmp op;
} op_map[] = {
        { "SCMP_CMP_EQ", POLICY_CMP_EQ },  { "SCMP_CMP_NE", POLICY_CMP_NE },
        { "SCMP_CMP_LT", POLICY_CMP_LT },  { "SCMP_CMP_LE", POLICY_CMP_LE },
        { "SCMP_CMP_GT", POLICY_CMP_GT },  { "SCMP_CMP_GE", POLICY_CMP_GE },
        { "SCMP_CMP_MASKED_EQ", POLICY_CMP_MASKED_EQ },
};
/* clang-format on */

/* The names includes.arches and excludes.arches may give the native architecture: Go's GOARCH
 * (what moby compares), the kernel's and libseccomp's. */
/* clang-format off */
static const char *const native_arches[] = {
#if defined(__x86_64__) && !defined(__ILP32__)
        "amd64", "x86_64", "SCMP_ARCH_X86_64",
#elif defined(__aarch64__)
        "arm64", "aarch64", "SCMP_ARCH_AARCH64",
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        "ppc64le", "SCMP_ARCH_PPC64LE",
#elif defined(__s390x__)
        "s390x", "SCMP_ARCH_S390X",
#elif defined(__riscv) && __riscv_xlen == 64
        "riscv64", "SCMP_ARCH_RISCV64",
#endif
        NULL,
};
/* clang-format on */

/* "FILE: [linux.seccomp.]WHERE: what" as an -EINVAL error; fmt starts with the JSON path. */
__attribute__((format(printf, 2, 3))) static int fail(struct oci_import *im, const char *fmt, ...)
{
        char body[sizeof(im->err->msg)];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(body, sizeof(body), fmt, ap);
        va_end(ap);
        return rf_error_set(im->err, -EINVAL, "%s: %s%s", im->file, im->base, body);
}

/* The member key of obj, or NULL when absent or null (Go writes null for an empty list). */
static json_t *get(const json_t *obj, const char *key)
{
        json_t *v = json_object_get(obj, key);
        return json_is_null(v) ? NULL : v;
}

/* The kind of a JSON value, for "expected ..., got ..." errors; NULL (what get() returns for a
 * member that is absent or null) is "nothing". */
static const char *kind(const json_t *v)
{
        static const char *const kinds[] = {
                [JSON_OBJECT] = "an object",         [JSON_ARRAY] = "an array",
                [JSON_STRING] = "a string",          [JSON_INTEGER] = "an integer",
                [JSON_REAL] = "a fractional number", [JSON_TRUE] = "a boolean",
                [JSON_FALSE] = "a boolean",          [JSON_NULL] = "null",
        };
        return v ? kinds[json_typeof(v)] : "nothing";
}

/* v as a non-negative integer at path; jansson's integers are signed 64-bit, so values from
 * 2^63 on are refused by the parser already ("too big integer"). */
static int get_uint(struct oci_import *im, const json_t *v, const char *path, uint64_t *ret)
{
        if (!json_is_integer(v))
                return fail(im, "%s: expected a non-negative integer, got %s", path, kind(v));
        if (json_integer_value(v) < 0)
                return fail(im, "%s: %lld is negative, expected a non-negative integer", path,
                            (long long)json_integer_value(v));
        *ret = (uint64_t)json_integer_value(v);
        return 0;
}

/* An errnoRet or defaultErrnoRet. The kernel caps the errno of SECCOMP_RET_ERRNO at 4095
 * (MAX_ERRNO); the model's largest is 4094, so larger values (moby's example.json has 12345)
 * become 4094: the program sees a failure either way. 0 would make the call "succeed" without
 * running, which the model cannot say: refused. */
static int get_errno(struct oci_import *im, const json_t *v, const char *path, int *ret)
{
        uint64_t e = 0;
        int r;

        r = get_uint(im, v, path, &e);
        if (r < 0)
                return r;
        if (e == 0)
                return fail(im, "%s: 0 is not an errno, expected a number from 1 (EPERM) up", path);
        if (e > 4094) {
                e = 4094;
                im->info.n_errno_capped++;
        }
        *ret = (int)e;
        return 0;
}

/* An action with its errno: name is the action's string at path, errno_json the errnoRet (or
 * defaultErrnoRet) next to it, or NULL. */
static int get_action(struct oci_import *im, const json_t *name, const json_t *errno_json,
                      const char *path, const char *errno_path, enum policy_action *ret_action,
                      int *ret_errno)
{
        const struct action_map *a = NULL;
        const char *s;
        int e = EPERM, r;

        if (!name)
                return fail(im, "%s: missing, expected one of " ACTIONS, path);
        if (!json_is_string(name))
                return fail(im, "%s: expected a string such as SCMP_ACT_ALLOW, got %s", path,
                            kind(name));
        s = json_string_value(name);
        for (size_t i = 0; i < ARRAY_SIZE(action_map) && !a; i++)
                if (!strcmp(s, action_map[i].name))
                        a = &action_map[i];
        if (!a)
                return fail(im, "%s: unknown action '%s', expected " ACTIONS, path, s);
        /* The runtime spec: an errno given to an action that takes none is an error. */
        if (errno_json && strcmp(s, "SCMP_ACT_ERRNO") != 0 && strcmp(s, "SCMP_ACT_TRACE") != 0)
                return fail(im,
                            "%s: given for %s, but only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take one",
                            errno_path, s);
        if (errno_json && !strcmp(s, "SCMP_ACT_ERRNO")) {
                r = get_errno(im, errno_json, errno_path, &e);
                if (r < 0)
                        return r;
        }
        if (a->action == POLICY_ACT_ALLOW || a->action == POLICY_ACT_KILL)
                e = 0;
        else if (a->errno_val)
                e = a->errno_val; /* TRACE and NOTIFY */
        *ret_action = a->action;
        *ret_errno = e;
        return 0;
}

/* Check that v, if present, is an array of strings; *ret_has_native: whether one of them names
 * the native architecture (for "arches"). */
static int get_strings(struct oci_import *im, const json_t *v, const char *path,
                       bool *ret_has_native)
{
        size_t i;
        json_t *s;

        *ret_has_native = false;
        if (!v)
                return 0;
        if (!json_is_array(v))
                return fail(im, "%s: expected an array of strings, got %s", path, kind(v));
        json_array_foreach(v, i, s) {
                if (!json_is_string(s))
                        return fail(im, "%s[%zu]: expected a string, got %s", path, i, kind(s));
                for (size_t k = 0; native_arches[k]; k++)
                        if (!strcmp(json_string_value(s), native_arches[k]))
                                *ret_has_native = true;
        }
        return 0;
}

/* "MAJOR.MINOR" into v; false when s is anything else. */
static bool parse_version(const char *s, unsigned v[2])
{
        for (int k = 0; k < 2; k++) {
                if (*s < '0' || *s > '9')
                        return false;
                for (v[k] = 0; *s >= '0' && *s <= '9'; s++) {
                        if (v[k] > 100000)
                                return false;
                        v[k] = v[k] * 10 + (unsigned)(*s - '0');
                }
                if (*s++ != (k == 0 ? '.' : '\0'))
                        return false;
        }
        return true;
}

/* Whether the running kernel is at least the minKernel at path ("4.8"). */
static int kernel_at_least(struct oci_import *im, const json_t *v, const char *path, bool *ret)
{
        unsigned min[2];

        if (!json_is_string(v))
                return fail(im, "%s: expected a string such as \"4.8\", got %s", path, kind(v));
        if (!parse_version(json_string_value(v), min))
                return fail(im, "%s: invalid kernel version '%s', expected MAJOR.MINOR such as 4.8",
                            path, json_string_value(v));
        *ret = im->kernel[0] > min[0] || (im->kernel[0] == min[0] && im->kernel[1] >= min[1]);
        return 0;
}

/* Read an includes (include = true) or excludes object at path and say whether it lets the
 * entry apply. A ringfence job holds no capabilities: an entry that includes a capability does
 * not apply, and one excluded by a capability does. */
static int filter_lets(struct oci_import *im, const json_t *f, bool include, const char *path,
                       bool *ret)
{
        char sub[96];
        const json_t *caps, *arches, *min_kernel;
        bool native = false, unused, kernel_ok = false;
        int r;

        *ret = true;
        if (!f)
                return 0;
        if (!json_is_object(f))
                return fail(im, "%s: expected an object with caps, arches or minKernel, got %s",
                            path, kind(f));
        caps = get(f, "caps");
        arches = get(f, "arches");
        min_kernel = get(f, "minKernel");
        snprintf(sub, sizeof(sub), "%s.caps", path);
        r = get_strings(im, caps, sub, &unused);
        if (r < 0)
                return r;
        snprintf(sub, sizeof(sub), "%s.arches", path);
        r = get_strings(im, arches, sub, &native);
        if (r < 0)
                return r;
        if (min_kernel) {
                snprintf(sub, sizeof(sub), "%s.minKernel", path);
                r = kernel_at_least(im, min_kernel, sub, &kernel_ok);
                if (r < 0)
                        return r;
        }
        if (include)
                *ret = json_array_size(caps) == 0 && (json_array_size(arches) == 0 || native) &&
                       (!min_kernel || kernel_ok);
        else
                *ret = !native && !(min_kernel && kernel_ok);
        return 0;
}

/* Read args at path into a new array of conditions (*ret_conds, the caller's to free). */
static int get_conds(struct oci_import *im, const json_t *args, const char *path,
                     struct policy_arg_cond **ret_conds, size_t *ret_n)
{
        _cleanup_free_ struct policy_arg_cond *conds = NULL;
        char sub[96];
        size_t i;
        json_t *a;
        int r;

        *ret_n = 0;
        if (!args)
                return 0;
        if (!json_is_array(args))
                return fail(im, "%s: expected an array of conditions, got %s", path, kind(args));
        conds = xcalloc(json_array_size(args) + 1, sizeof(*conds));
        json_array_foreach(args, i, a) {
                struct policy_arg_cond *c = &conds[i];
                const json_t *op, *two;
                uint64_t index = 0;
                size_t k;

                if (!json_is_object(a))
                        return fail(im,
                                    "%s[%zu]: expected an object with index, value and op, got %s",
                                    path, i, kind(a));
                snprintf(sub, sizeof(sub), "%s[%zu].index", path, i);
                r = get_uint(im, get(a, "index"), sub, &index);
                if (r < 0)
                        return r;
                if (index > 5)
                        return fail(im, "%s: %llu is out of range, expected 0 to 5", sub,
                                    (unsigned long long)index);
                c->index = (unsigned)index;
                snprintf(sub, sizeof(sub), "%s[%zu].value", path, i);
                r = get_uint(im, get(a, "value"), sub, &c->value);
                if (r < 0)
                        return r;
                two = get(a, "valueTwo");
                snprintf(sub, sizeof(sub), "%s[%zu].valueTwo", path, i);
                if (two && (r = get_uint(im, two, sub, &c->value2)) < 0)
                        return r;
                op = get(a, "op");
                snprintf(sub, sizeof(sub), "%s[%zu].op", path, i);
                if (!json_is_string(op))
                        return fail(im, "%s: expected one of " OPS ", got %s", sub,
                                    op ? kind(op) : "nothing");
                for (k = 0; k < ARRAY_SIZE(op_map); k++)
                        if (!strcmp(json_string_value(op), op_map[k].name))
                                break;
                if (k == ARRAY_SIZE(op_map))
                        return fail(im, "%s: unknown operator '%s', expected " OPS, sub,
                                    json_string_value(op));
                c->op = op_map[k].op; /* MASKED_EQ: value is the mask, as in the model */
        }
        *ret_n = json_array_size(args);
        *ret_conds = TAKE_PTR(conds);
        return 0;
}

/* The names of entry i: "names" (a list), or "name" in the old format. */
static int get_names(struct oci_import *im, const json_t *e, size_t i, json_t **ret)
{
        json_t *names = get(e, "names"), *name = get(e, "name"), *s;
        size_t k;

        if (names && name)
                return fail(im, "syscalls[%zu]: has both 'name' and 'names', expected one", i);
        if (name) {
                if (!json_is_string(name))
                        return fail(im, "syscalls[%zu].name: expected a string, got %s", i,
                                    kind(name));
                *ret = json_pack("[O]", name);
                return 0;
        }
        if (!names)
                return fail(im,
                            "syscalls[%zu]: no system call names, "
                            "expected 'names' (a list of names) or 'name'",
                            i);
        if (!json_is_array(names) || json_array_size(names) == 0)
                return fail(im, "syscalls[%zu].names: expected a non-empty array of names, got %s",
                            i, json_is_array(names) ? "an empty one" : kind(names));
        json_array_foreach(names, k, s)
                if (!json_is_string(s))
                        return fail(im, "syscalls[%zu].names[%zu]: expected a string, got %s", i, k,
                                    kind(s));
        *ret = json_incref(names);
        return 0;
}

/* Check architectures or archMap. Only the native ABI is ever filtered (foreign ones are killed
 * by the compiler), so the lists are checked for their shape and otherwise not used. */
static int check_arches(struct oci_import *im, const json_t *prof)
{
        const json_t *map = get(prof, "archMap"), *m;
        char path[64];
        bool unused;
        size_t i;
        int r;

        r = get_strings(im, get(prof, "architectures"), "architectures", &unused);
        if (r < 0 || !map)
                return r;
        if (!json_is_array(map))
                return fail(im, "archMap: expected an array, got %s", kind(map));
        json_array_foreach(map, i, m) {
                if (!json_is_object(m) || !json_is_string(get(m, "architecture")))
                        return fail(im,
                                    "archMap[%zu]: expected an object with an architecture "
                                    "string such as SCMP_ARCH_X86_64",
                                    i);
                snprintf(path, sizeof(path), "archMap[%zu].subArchitectures", i);
                r = get_strings(im, get(m, "subArchitectures"), path, &unused);
                if (r < 0)
                        return r;
        }
        return 0;
}

int oci_load(const char *path, json_t **ret, rf_error *err)
{
        _cleanup_fclose_ FILE *f = NULL;
        json_error_t jerr;

        f = fopen(path, "re");
        if (!f)
                return rf_error_set(err, -errno, "cannot open '%s': %m", path);
        /* Duplicate keys are refused: two defaultActions would leave the reader guessing. */
        *ret = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
        if (!*ret)
                return rf_error_set(err, ferror(f) ? -EIO : -EINVAL, "%s:%d:%d: syntax error: %s",
                                    path, jerr.line, jerr.column, jerr.text);
        return 0;
}

/* The profile inside root: a Docker profile or bare OCI seccomp object (with defaultAction), or
 * an OCI runtime config's linux.seccomp. Sets im->base for errors. */
static int find_profile(struct oci_import *im, const json_t *root, const json_t **ret)
{
        const json_t *linux_, *seccomp;

        if (json_is_object(root) && get(root, "defaultAction")) {
                *ret = root;
                return 0;
        }
        linux_ = json_is_object(root) ? get(root, "linux") : NULL;
        if (!linux_)
                return rf_error_set(im->err, -EINVAL,
                                    "%s: expected a seccomp profile (an object with "
                                    "defaultAction and syscalls) or an OCI runtime config (with "
                                    "linux.seccomp), got %s",
                                    im->file, json_is_object(root) ? "neither" : kind(root));
        if (!json_is_object(linux_))
                return fail(im, "linux: expected an object, got %s", kind(linux_));
        seccomp = get(linux_, "seccomp");
        if (!seccomp)
                return fail(im, "linux.seccomp: missing, the OCI config has no seccomp profile");
        im->base = "linux.seccomp.";
        if (!json_is_object(seccomp))
                return fail(im, "expected an object with defaultAction, got %s", kind(seccomp));
        *ret = seccomp;
        return 0;
}

/* The running kernel's major.minor from uname; 0.0 when unreadable (minKernel then fails). */
static void running_kernel(unsigned v[2])
{
        struct utsname u;

        v[0] = v[1] = 0;
        if (uname(&u) == 0 && sscanf(u.release, "%u.%u", &v[0], &v[1]) != 2)
                v[0] = v[1] = 0;
}

int oci_read_profile(struct oci_import *im, const json_t *root, enum policy_action *ret_action,
                     int *ret_errno, const json_t **ret_syscalls)
{
        const json_t *prof = NULL, *syscalls;
        int r;

        running_kernel(im->kernel);
        r = find_profile(im, root, &prof);
        if (r < 0)
                return r;
        r = get_action(im, get(prof, "defaultAction"), get(prof, "defaultErrnoRet"),
                       "defaultAction", "defaultErrnoRet", ret_action, ret_errno);
        if (r >= 0)
                r = check_arches(im, prof);
        if (r < 0)
                return r;
        syscalls = get(prof, "syscalls");
        if (syscalls && !json_is_array(syscalls))
                return fail(im, "syscalls: expected an array of rules, got %s", kind(syscalls));
        *ret_syscalls = syscalls; /* NULL: the default action for every call */
        return 0;
}

int oci_read_entry(struct oci_import *im, const json_t *e, size_t i, struct oci_entry *ret)
{
        char path[64], errno_path[64];
        bool inc, exc;
        int r;

        if (!json_is_object(e))
                return fail(im, "syscalls[%zu]: expected an object with names and action, got %s",
                            i, kind(e));
        r = get_names(im, e, i, &ret->names);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "syscalls[%zu].action", i);
        snprintf(errno_path, sizeof(errno_path), "syscalls[%zu].errnoRet", i);
        r = get_action(im, get(e, "action"), get(e, "errnoRet"), path, errno_path, &ret->action,
                       &ret->errno_val);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "syscalls[%zu].args", i);
        r = get_conds(im, get(e, "args"), path, &ret->conds, &ret->n_conds);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "syscalls[%zu].includes", i);
        r = filter_lets(im, get(e, "includes"), true, path, &inc);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "syscalls[%zu].excludes", i);
        r = filter_lets(im, get(e, "excludes"), false, path, &exc);
        if (r < 0)
                return r;
        ret->applies = inc && exc;
        return 0;
}

void oci_entry_done(struct oci_entry *e)
{
        json_decref(e->names);
        free(e->conds);
        e->names = NULL;
        e->conds = NULL;
}
