/* SPDX-License-Identifier: MIT */
/* libringfence: run untrusted commands in a sandbox that denies by default.
 *
 * Conventions: functions that can fail return 0 (or a count) on success and a negative errno on
 * failure, and fill the optional rf_error with one sentence for a person. They never print. */
#ifndef RINGFENCE_H
#define RINGFENCE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(RF_BUILDING_LIBRARY)
#define RF_EXPORT __attribute__((visibility("default")))
#else
#define RF_EXPORT
#endif

/* An error: code is a negative errno, msg a sentence that says what, where, and what was
 * expected. Callers may pass NULL wherever an rf_error * is taken. */
typedef struct rf_error {
        int code;
        char msg[256];
} rf_error;

/* The text of errno code (positive or negative). Never NULL. */
RF_EXPORT const char *rf_strerror(int code);

/* The library's version, e.g. "0.1.0". */
RF_EXPORT const char *rf_version(void);

/* A policy: everything a sandbox is made of (namespaces, filesystem, network, identity,
 * environment, fds, limits, seccomp). Opaque; owned by the caller. */
typedef struct rf_policy rf_policy;

/* A new policy holding the embedded default policy (defaults deny). Returns NULL and fills err
 * only if the embedded policy cannot be built. Free with rf_policy_free. */
RF_EXPORT rf_policy *rf_policy_new_default(rf_error *err);

/* Free p (NULL is fine). Returns NULL. */
RF_EXPORT rf_policy *rf_policy_free(rf_policy *p);

/* Set one setting, as a policy line or `--set KEY=VALUE` would; later settings override earlier
 * ones, and list settings (fs.rw, env.pass, ...) append. origin (may be NULL) says where the
 * setting came from, for error messages. Returns 0 or -EINVAL with err naming key and value. */
RF_EXPORT int rf_policy_set(rf_policy *p, const char *key, const char *value, const char *origin,
                            rf_error *err);

/* What happened to a job, as in the "status" field of a result record. */
typedef enum rf_status {
        RF_STATUS_OK,          /* exited 0 */
        RF_STATUS_FAILED,      /* exited non-zero, or a limit other than time stopped it */
        RF_STATUS_SIGNALED,    /* a signal ended it */
        RF_STATUS_TIMEOUT,     /* the wall-clock limit ended it */
        RF_STATUS_VIOLATION,   /* the policy ended it for a refused system call */
        RF_STATUS_SPAWN_ERROR, /* it could not be started */
        RF_STATUS_SKIPPED,     /* it was not run */
        _RF_STATUS_MAX
} rf_status;

/* The name of status as written in records ("ok", "failed", ...). */
RF_EXPORT const char *rf_status_name(int status);

#define RF_MAX_VIOLATIONS 16

/* One refused system call: its name, how often, what the policy did ("errno", "kill"), and the
 * policy rule that refused it (where it came from, e.g. "default policy: ptrace"). */
typedef struct rf_violation {
        char syscall[32];
        int32_t nr;
        uint32_t count;
        char action[16];
        char rule[64];
} rf_violation;

/* The result of one job. Plain data, filled by rf_run. Sizes in bytes, times in microseconds. */
typedef struct rf_result {
        int32_t status;      /* an rf_status */
        int32_t exit_status; /* what `ringfence run` exits with: the command's status, 128+N, 124,
                              * 125, 126 or 127 (DESIGN.md) */
        int32_t exit_code;   /* the command's exit code, or -1 */
        int32_t signal;      /* the signal that ended it, or 0 */
        char limit[16];      /* the limit that stopped it ("memory", "pids", "output", "time",
                              * "cpu-time", "file-size"), or "" */
        /* exit_status is 124 for "time" and "cpu-time" */
        char error[256];     /* why it could not start, or "" */
        int64_t start_unix_us;
        uint64_t wall_us, user_us, sys_us;
        uint64_t peak_memory;
        uint64_t stdout_bytes, stderr_bytes;
        int32_t output_truncated;
        int32_t n_violations;
        uint32_t violations_total;
        rf_violation violations[RF_MAX_VIOLATIONS];
        /* which mechanism enforced each limit: "cgroup-v2", "cgroup-v1", "rlimit", "host" (the
         * supervisor: time and output), or "" when the limit was not set */
        char enforced_memory[12], enforced_pids[12], enforced_cpu[12], enforced_files[12],
                enforced_file_size[12], enforced_time[12], enforced_output[12];
} rf_result;

/* How rf_run runs a job. Zero-initialise, then set what you need; fds of -1 (or a NULL options
 * pointer) mean the caller's own 0, 1 and 2 and no forwarding. */
typedef struct rf_run_options {
        int stdin_fd, stdout_fd, stderr_fd; /* the job's 0, 1 and 2; -1: the caller's own */
        int signal_fd;        /* a signalfd: each signal read from it is forwarded to the job */
        int32_t count_output; /* relay stdout and stderr through the host to count their bytes */
} rf_run_options;

/* Initialise opts to the defaults (the caller's stdio, no forwarding, no counting). */
RF_EXPORT void rf_run_options_init(rf_run_options *opts);

/* Run argv[0] with argv in a sandbox made from p, wait for it, and fill *ret. Returns 0 once the
 * job has a result (also one that could not start: see ret->status and ret->error), or a negative
 * errno when ringfence itself could not work (err says why; *ret is then a spawn-error result
 * with exit_status 125). */
RF_EXPORT int rf_run(const rf_policy *p, char *const argv[], const rf_run_options *opts,
                     rf_result *ret, rf_error *err);

/* Format r as one JSON line (no trailing newline) into a new string the caller frees. job and
 * attempt number the record; argv is the command. Returns 0 or -ENOMEM. */
RF_EXPORT int rf_result_to_json(const rf_result *r, uint64_t job, uint32_t attempt,
                                char *const argv[], char **ret_json);

#ifdef __cplusplus
}
#endif
#endif
