/* SPDX-License-Identifier: MIT */
/* rf_shard_parse (which shard of a cluster's job array this is) and rf_results_merge. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringfence.h"
#include "base/base.h"
#include "batch/shard.h"

/* A whole number from 0 to max in v. */
static int number(const char *v, uint64_t max, uint64_t *ret)
{
        char *end = NULL;

        if (!v || !*v || *v == '-' || *v == '+')
                return -EINVAL;
        errno = 0;
        *ret = strtoull(v, &end, 10);
        return errno || *end || *ret > max ? -EINVAL : 0;
}

static int env_number(const char *name, uint64_t *ret, rf_error *err)
{
        const char *v = getenv(name);

        if (number(v, UINT32_MAX, ret) < 0)
                return rf_error_set(err, -EINVAL,
                                    "--shard auto: %s is '%s', expected a whole number", name,
                                    v ? v : "");
        return 0;
}

/* The number of shards given (--shards N, else RINGFENCE_SHARDS), or 0. */
static int given_count(uint32_t count, uint64_t *ret, rf_error *err)
{
        *ret = count;
        if (!count && getenv("RINGFENCE_SHARDS"))
                return env_number("RINGFENCE_SHARDS", ret, err);
        return 0;
}

/* Slurm job arrays. With the number of shards N given, the shard is the task's id modulo N:
 * N consecutive ids (--array=0-99, or 1-100) are the N shards whatever the first, and tasks run
 * again alone or a few at a time (sbatch --array=7, --array=3,17) are the shards they were; ids
 * that span more than N numbers are refused. Else the task's place in its array
 * (--array=MIN-MAX[:STEP]) of the array's size. */
static int from_slurm(uint32_t given, uint32_t *ret_index, uint32_t *ret_count, rf_error *err)
{
        uint64_t id, min = 0, max = 0, step = 1, count = 0, n;
        int r;

        if ((r = env_number("SLURM_ARRAY_TASK_ID", &id, err)) < 0)
                return r;
        if ((r = given_count(given, &n, err)) < 0)
                return r;
        if (getenv("SLURM_ARRAY_TASK_MIN") &&
            (r = env_number("SLURM_ARRAY_TASK_MIN", &min, err)) < 0)
                return r;
        if (getenv("SLURM_ARRAY_TASK_STEP") &&
            (r = env_number("SLURM_ARRAY_TASK_STEP", &step, err)) < 0)
                return r;
        if (getenv("SLURM_ARRAY_TASK_MAX") &&
            (r = env_number("SLURM_ARRAY_TASK_MAX", &max, err)) < 0)
                return r;
        if (getenv("SLURM_ARRAY_TASK_COUNT")) {
                if ((r = env_number("SLURM_ARRAY_TASK_COUNT", &count, err)) < 0)
                        return r;
        } else if (getenv("SLURM_ARRAY_TASK_MAX")) {
                count = max >= min && step ? (max - min) / step + 1 : 0;
        }
        if (n) {
                /* Ids within N consecutive numbers never share a shard, whatever the step or
                 * the gaps (--array=3,17 to run two shards again); wider, they could. */
                bool span = getenv("SLURM_ARRAY_TASK_MIN") && getenv("SLURM_ARRAY_TASK_MAX");
                if (span ? max < min || max - min >= n : count > n)
                        return rf_error_set(err, -EINVAL,
                                            "--shard auto: with %" PRIu64 " shards "
                                            "given, expected task ids within %" PRIu64
                                            " consecutive numbers (--array=0-%" PRIu64 "), not "
                                            "%" PRIu64 " to %" PRIu64 " (%" PRIu64 " tasks)",
                                            n, n, n - 1, min, span ? max : min + count - 1, count);
                *ret_index = (uint32_t)(id % n);
                *ret_count = (uint32_t)n;
                return 0;
        }
        if (!count || !step || id < min || (id - min) % step || (id - min) / step >= count)
                return rf_error_set(err, -EINVAL,
                                    "--shard auto: SLURM_ARRAY_TASK_ID %" PRIu64
                                    " does not fit the array (count %" PRIu64 ", min %" PRIu64
                                    ", step %" PRIu64 "); expected SLURM_ARRAY_TASK_COUNT or "
                                    "SLURM_ARRAY_TASK_MIN and _MAX from sbatch --array",
                                    id, count, min, step);
        *ret_index = (uint32_t)((id - min) / step);
        *ret_count = (uint32_t)count;
        return 0;
}

/* Kubernetes Indexed Jobs: the index in JOB_COMPLETION_INDEX, the count given. */
static int from_k8s(uint32_t count, uint32_t *ret_index, uint32_t *ret_count, rf_error *err)
{
        uint64_t index, n;
        int r;

        if ((r = env_number("JOB_COMPLETION_INDEX", &index, err)) < 0)
                return r;
        if ((r = given_count(count, &n, err)) < 0)
                return r;
        if (!n)
                return rf_error_set(err, -EINVAL,
                                    "--shard auto: JOB_COMPLETION_INDEX is set but "
                                    "not how many shards there are; give --shards N or set "
                                    "RINGFENCE_SHARDS to the Job's completions");
        if (index >= n)
                return rf_error_set(err, -EINVAL,
                                    "--shard auto: JOB_COMPLETION_INDEX %" PRIu64
                                    " is not below the %" PRIu64 " shards",
                                    index, n);
        *ret_index = (uint32_t)index;
        *ret_count = (uint32_t)n;
        return 0;
}

RF_EXPORT int rf_shard_parse(const char *spec, uint32_t count, uint32_t *ret_index,
                             uint32_t *ret_count, rf_error *err)
{
        const char *slash;
        char idx[24];
        uint64_t i, n;

        if (!spec || !ret_index || !ret_count)
                return rf_error_set(err, -EINVAL, "rf_shard_parse: spec and results are needed");
        if (!strcmp(spec, "auto")) {
                if (getenv("SLURM_ARRAY_TASK_ID"))
                        return from_slurm(count, ret_index, ret_count, err);
                if (getenv("JOB_COMPLETION_INDEX"))
                        return from_k8s(count, ret_index, ret_count, err);
                return rf_error_set(err, -EINVAL,
                                    "--shard auto: neither SLURM_ARRAY_TASK_ID (Slurm job array) "
                                    "nor JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set; "
                                    "elsewhere give --shard I/N (HTCondor: --shard $(Process)/N)");
        }
        slash = strchr(spec, '/');
        if (slash && (size_t)(slash - spec) < sizeof(idx)) {
                snprintf(idx, sizeof(idx), "%.*s", (int)(slash - spec), spec);
                if (number(idx, UINT32_MAX, &i) == 0 && number(slash + 1, UINT32_MAX, &n) == 0 &&
                    n > 0 && i < n) {
                        if (count && count != n)
                                return rf_error_set(err, -EINVAL,
                                                    "--shard %s and --shards %" PRIu32
                                                    " disagree on the number of shards",
                                                    spec, count);
                        *ret_index = (uint32_t)i;
                        *ret_count = (uint32_t)n;
                        return 0;
                }
        }
        return rf_error_set(err, -EINVAL,
                            "--shard: invalid value '%s', "
                            "expected I/N with 0 <= I < N (e.g. 0/4), or auto",
                            spec);
}

RF_EXPORT int rf_results_merge(const char *const *paths, size_t n, int out_fd, rf_merge_report *ret,
                               rf_error *err)
{
        if (!paths || !n || out_fd < 0 || !ret)
                return rf_error_set(err, -EINVAL,
                                    "rf_results_merge: files, "
                                    "an output fd and a report are needed");
        return batch_merge(paths, n, out_fd, ret, err);
}
