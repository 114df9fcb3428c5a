/* SPDX-License-Identifier: MIT */
/* The result of one job as the layers below src/api/ keep it (engine, batch, records), and the
 * names of its statuses. It starts with the fields of the public rf_result, whose layout is ABI;
 * src/api/result.c copies between the two, so this one may grow without touching the ABI. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Refused system calls listed in a result, at most (violations_total counts them all). */
#define ENGINE_MAX_VIOLATIONS 16

/* One refused system call: its name, how often, what the policy did ("errno", "kill"), and the
 * policy rule that refused it ("default policy: ptrace"). */
struct engine_violation {
        char syscall[32];
        int32_t nr;
        uint32_t count;
        char action[16];
        char rule[64];
};

/* The result of one job (ringfence.h's rf_result says what each field means). Sizes in bytes,
 * times in microseconds. */
struct engine_result {
        int32_t status;      /* an rf_status */
        int32_t exit_status; /* the command's status, 128+N, 124, 125, 126 or 127 */
        int32_t exit_code;   /* the command's exit code, or -1 */
        int32_t signal;      /* the signal that ended it, or 0 */
        char limit[16];      /* the limit that stopped it ("memory", "time", ...), or "" */
        char error[256];     /* why it could not start, or "" */
        int64_t start_unix_us;
        uint64_t wall_us, user_us, sys_us;
        uint64_t peak_memory;
        uint64_t stdout_bytes, stderr_bytes;
        int32_t output_truncated;
        int32_t n_violations;
        uint32_t violations_total;
        struct engine_violation violations[ENGINE_MAX_VIOLATIONS];
        /* which mechanism enforced each limit ("cgroup-v2", "rlimit", "host", ...), or "" */
        char enforced_memory[12], enforced_pids[12], enforced_cpu[12], enforced_files[12],
                enforced_file_size[12], enforced_time[12], enforced_output[12];
};

/* The name of status (an rf_status) as records write it ("ok", "spawn-error", ...), or "unknown"
 * (result.c: the one table of status names). */
const char *engine_status_name(int status);
/* The status whose name is the n bytes at name, or -1 when no status has that name. */
int engine_status_parse(const char *name, size_t n);
