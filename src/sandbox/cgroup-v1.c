/* SPDX-License-Identifier: MIT */
/* The cgroup v1 backend: one job cgroup per controller hierarchy (memory, pids), below our own
 * cgroup in each, entered by writing the job's pid. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/policy.h"
#include "sandbox/cgroup-internal.h"
#include "sandbox/cgroup.h"

/* mkdir dir/leaf into *ret; a refusal (no permission, read-only) leaves *ret NULL. */
static int make(const char *dir, const char *leaf, char **ret, rf_error *err)
{
        char path[PATH_MAX];
        int r = cgroup_join(path, sizeof(path), dir, leaf);

        if (r < 0)
                return rf_error_set(err, r, "cgroup path %s/%s is too long", dir, leaf);
        if (mkdir(path, 0755) < 0) {
                r = -errno;
                if (cgroup_denied(r))
                        return 0;
                return rf_error_set(err, r, "cannot create cgroup %s: %s", path, rf_strerror(r));
        }
        *ret = xstrdup(path);
        return 0;
}

/* Write the decimal v to dir/file; a missing file is fine when optional. */
static int set_u64(const char *dir, const char *file, uint64_t v, bool optional, rf_error *err)
{
        char buf[32];
        int r;

        snprintf(buf, sizeof(buf), "%" PRIu64, v);
        r = cgroup_write(-1, dir, file, buf);
        if (r == -ENOENT && optional)
                return 0;
        if (r < 0)
                return rf_error_set(err, r, "cannot set %s of cgroup %s to %s: %s", file, dir, buf,
                                    rf_strerror(r));
        return 0;
}

int cgroup_v1_create(struct cgroup_job *cg, const struct cgroup_host *h, const char *leaf,
                     unsigned ctrls, const struct policy_limits *lim, rf_error *err)
{
        int r = 0;

        if (ctrls & CGROUP_BIT(CGROUP_MEMORY)) {
                r = make(h->layout.v1_dir[CGROUP_MEMORY], leaf, &cg->v1_memory_path, err);
                /* memsw (memory+swap) exists only with swap accounting; it must not be below
                 * limit_in_bytes, so it comes second. The OOM killer stays on. */
                if (r == 0 && cg->v1_memory_path && lim->memory)
                        r = set_u64(cg->v1_memory_path, "memory.limit_in_bytes", lim->memory, false,
                                    err);
                if (r == 0 && cg->v1_memory_path && lim->memory)
                        r = set_u64(cg->v1_memory_path, "memory.memsw.limit_in_bytes", lim->memory,
                                    true, err);
        }
        if (r == 0 && (ctrls & CGROUP_BIT(CGROUP_PIDS))) {
                r = make(h->layout.v1_dir[CGROUP_PIDS], leaf, &cg->v1_pids_path, err);
                if (r == 0 && cg->v1_pids_path && lim->pids)
                        r = set_u64(cg->v1_pids_path, "pids.max", lim->pids, false, err);
        }
        return r;
}

int cgroup_v1_attach(const struct cgroup_job *cg, pid_t pid, rf_error *err)
{
        const char *paths[] = { cg->v1_memory_path, cg->v1_pids_path };
        char buf[16];
        int r;

        snprintf(buf, sizeof(buf), "%d", (int)pid);
        for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
                if (!paths[i])
                        continue;
                r = cgroup_write(-1, paths[i], "cgroup.procs", buf);
                if (r < 0)
                        return rf_error_set(err, r, "cannot move process %d into cgroup %s: %s",
                                            (int)pid, paths[i], rf_strerror(r));
        }
        return 0;
}

void cgroup_v1_stats(const struct cgroup_job *cg, struct cgroup_stats *st)
{
        const char *mem = cg->v1_memory_path, *pids = cg->v1_pids_path;
        char buf[1024];
        uint64_t v;

        if (mem && cgroup_read_u64(-1, mem, "memory.max_usage_in_bytes", &v) == 0 &&
            v > st->peak_memory)
                st->peak_memory = v;
        /* "oom_kill N" is Linux 4.13; before it, no OOM kill is reported. */
        if (mem && cgroup_read(-1, mem, "memory.oom_control", buf, sizeof(buf)) >= 0 &&
            cgroup_keyed_u64(buf, "oom_kill", &v) == 0 && v > 0)
                st->memory_limit_hit = true;
        if (pids && cgroup_read(-1, pids, "pids.events", buf, sizeof(buf)) >= 0 &&
            cgroup_keyed_u64(buf, "max", &v) == 0 && v > 0)
                st->pids_limit_hit = true;
}

void cgroup_v1_destroy(struct cgroup_job *cg)
{
        if (cg->v1_memory_path)
                cgroup_remove(cg->v1_memory_path, false);
        if (cg->v1_pids_path)
                cgroup_remove(cg->v1_pids_path, false);
        free(cg->v1_memory_path);
        free(cg->v1_pids_path);
        cg->v1_memory_path = NULL;
        cg->v1_pids_path = NULL;
}
