/* SPDX-License-Identifier: MIT */
/* The cgroup v2 backend: delegation of our own cgroup (once per process), and job cgroups as its
 * children that clone3 enters with CLONE_INTO_CGROUP. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/error.h"
#include "policy/policy.h"
#include "sandbox/cgroup-internal.h"
#include "sandbox/cgroup.h"

/* "+memory +pids" (sign '+') or "-memory -pids" for the controllers in ctrls. */
static void ctrl_list(unsigned ctrls, char sign, char *buf, size_t n)
{
        size_t len = 0;

        buf[0] = '\0';
        for (int c = 0; c < _CGROUP_CTRL_MAX; c++)
                if ((ctrls & CGROUP_BIT(c)) && len < n)
                        len += (size_t)snprintf(buf + len, n - len, "%s%c%s", len ? " " : "", sign,
                                                cgroup_ctrl_name(c));
}

/* own_dir/ringfence.host-<pid> into buf, and our pid as text into pid. */
static int host_leaf(const char *own_dir, char *buf, size_t n, char pid[16])
{
        snprintf(pid, 16, "%d", (int)getpid());
        if (snprintf(buf, n, "%s/ringfence.host-%s", own_dir, pid) >= (int)n)
                return -ENAMETOOLONG;
        return 0;
}

int cgroup_v2_delegate(const char *own_dir, unsigned ctrls)
{
        char want[64], leaf[PATH_MAX], pid[16];
        int r;

        ctrl_list(ctrls, '+', want, sizeof(want));
        r = cgroup_write(-1, own_dir, "cgroup.subtree_control", want);
        if (r != -EBUSY)
                return r;
        /* Our cgroup holds processes, and v2 gives controllers to the children only of cgroups
         * that hold none: move our own process (and never another) into a leaf of its own. If
         * other processes share our cgroup, this cannot work, and everything goes back. */
        r = host_leaf(own_dir, leaf, sizeof(leaf), pid);
        if (r < 0)
                return r;
        if (mkdir(leaf, 0755) < 0 && errno != EEXIST)
                return -errno;
        r = cgroup_write(-1, leaf, "cgroup.procs", pid);
        if (r == 0)
                r = cgroup_write(-1, own_dir, "cgroup.subtree_control", want);
        if (r < 0) {
                (void)cgroup_write(-1, own_dir, "cgroup.procs", pid);
                (void)rmdir(leaf);
                return r;
        }
        return 1;
}

void cgroup_v2_undelegate(const char *own_dir, unsigned ctrls)
{
        char off[64], leaf[PATH_MAX], pid[16];

        ctrl_list(ctrls, '-', off, sizeof(off));
        if (host_leaf(own_dir, leaf, sizeof(leaf), pid) < 0 ||
            cgroup_write(-1, own_dir, "cgroup.subtree_control", off) < 0 ||
            cgroup_write(-1, own_dir, "cgroup.procs", pid) < 0)
                return;
        (void)rmdir(leaf);
}

/* Write the decimal v to file of the job's cgroup. */
static int set_u64(struct cgroup_job *cg, const char *file, uint64_t v, rf_error *err)
{
        char buf[32];
        int r;

        snprintf(buf, sizeof(buf), "%" PRIu64, v);
        r = cgroup_write(cg->v2_fd, NULL, file, buf);
        if (r < 0)
                return rf_error_set(err, r, "cannot set %s of cgroup %s to %s: %s", file,
                                    cg->v2_path, buf, rf_strerror(r));
        return 0;
}

int cgroup_v2_create(struct cgroup_job *cg, const char *parent, const char *leaf, unsigned ctrls,
                     const struct policy_limits *lim, rf_error *err)
{
        char path[PATH_MAX];
        int r = cgroup_join(path, sizeof(path), parent, leaf);

        if (r < 0)
                return rf_error_set(err, r, "cgroup path %s/%s is too long", parent, leaf);
        if (mkdir(path, 0755) < 0) {
                r = -errno;
                if (cgroup_denied(r))
                        return 0;
                return rf_error_set(err, r, "cannot create cgroup %s: %s", path, rf_strerror(r));
        }
        cg->v2_path = xstrdup(path);
        cg->v2_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cg->v2_fd < 0) {
                r = -errno;
                return rf_error_set(err, r, "cannot open cgroup %s: %s", path, rf_strerror(r));
        }
        if ((ctrls & CGROUP_BIT(CGROUP_MEMORY)) && lim->memory) {
                r = set_u64(cg, "memory.max", lim->memory, err);
                if (r < 0)
                        return r;
                /* Else the excess only moves to swap. No file: no swap accounting, no swap. */
                r = cgroup_write(cg->v2_fd, NULL, "memory.swap.max", "0");
                if (r < 0 && r != -ENOENT)
                        return rf_error_set(err, r, "cannot set memory.swap.max of cgroup %s: %s",
                                            cg->v2_path, rf_strerror(r));
        }
        if ((ctrls & CGROUP_BIT(CGROUP_PIDS)) && lim->pids)
                return set_u64(cg, "pids.max", lim->pids, err);
        return 0;
}

void cgroup_v2_stats(const struct cgroup_job *cg, struct cgroup_stats *st)
{
        const char *dir = cg->v2_fd < 0 ? cg->v2_path : NULL;
        char buf[1024];
        uint64_t v;

        /* memory.peak is Linux 5.19; memory.current is no peak, so without it say 0. */
        if (cgroup_read_u64(cg->v2_fd, dir, "memory.peak", &v) == 0 && v > st->peak_memory)
                st->peak_memory = v;
        if (cgroup_read(cg->v2_fd, dir, "memory.events", buf, sizeof(buf)) >= 0 &&
            cgroup_keyed_u64(buf, "oom_kill", &v) == 0 && v > 0)
                st->memory_limit_hit = true;
        if (cgroup_read(cg->v2_fd, dir, "pids.events", buf, sizeof(buf)) >= 0 &&
            cgroup_keyed_u64(buf, "max", &v) == 0 && v > 0)
                st->pids_limit_hit = true;
}

void cgroup_v2_destroy(struct cgroup_job *cg)
{
        if (!cg->v2_path)
                return;
        cgroup_remove(cg->v2_path, true);
        if (cg->v2_fd >= 0)
                (void)close(cg->v2_fd);
        cg->v2_fd = -1;
        free(cg->v2_path);
        cg->v2_path = NULL;
}
