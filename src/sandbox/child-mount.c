/* SPDX-License-Identifier: MIT */
/* The job's root filesystem, built by its init between clone3 and execve: clone the host trees
 * it may see (read-only unless asked), mount a tmpfs as the new root, put the trees, a private
 * /tmp, its own /proc and a minimal /dev in place, and pivot_root into it. Raw syscalls only. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "sandbox/child.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

static CHILD_CODE long set_attr(int dfd, const char *path, unsigned flags, uint64_t set,
                                uint64_t clr, uint64_t propagation)
{
        struct mount_attr attr = { .attr_set = set, .attr_clr = clr, .propagation = propagation };
        return RSYS(SYS_mount_setattr, dfd, path, flags, &attr, sizeof(attr));
}

/* Clone every tree a bind step needs while the host's tree is still in view. */
static CHILD_CODE long clone_trees(struct sandbox_plan *pl, int *index)
{
        for (size_t i = 0; i < pl->n_steps; i++) {
                struct mount_step *s = &pl->steps[i];
                long fd, r;
                uint64_t set = s->attr, clr = 0;

                if (s->kind != MSTEP_BIND)
                        continue;
                *index = (int)i;
                fd = RSYS(SYS_open_tree, AT_FDCWD, s->src,
                          OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
                if (fd < 0)
                        return fd;
                s->tree_fd = (int)fd;
                if (s->rw)
                        clr |= MOUNT_ATTR_RDONLY;
                else
                        set |= MOUNT_ATTR_RDONLY;
                r = set_attr((int)fd, "", AT_EMPTY_PATH | AT_RECURSIVE, set, clr, MS_PRIVATE);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The kernel-wide knobs under the job's /proc (sysctls, sysrq, irq affinity, ...) are
 * checked against the global root uid's owner bits, not capabilities: a job that runs as the
 * caller's root (identity = caller) could write them. Each becomes a read-only bind of itself,
 * as Docker and bubblewrap do; names this kernel lacks are skipped. */
static CHILD_CODE long proc_readonly(const char *dst)
{
        static const char *const names[] = { "sys",       "sysrq-trigger", "irq",  "bus",
                                             "fs",        "acpi",          "scsi", "latency_stats",
                                             "timer_list" };
        long dfd, fd, r = 0;

        dfd = RSYS(SYS_openat, AT_FDCWD, dst, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return dfd;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && r >= 0; i++) {
                fd = RSYS(SYS_open_tree, dfd, names[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
                if (fd == -ENOENT)
                        continue;
                if (fd < 0) {
                        r = fd;
                        break;
                }
                r = set_attr((int)fd, "", AT_EMPTY_PATH, MOUNT_ATTR_RDONLY, 0, 0);
                if (r >= 0)
                        r = RSYS(SYS_move_mount, fd, "", dfd, names[i], MOVE_MOUNT_F_EMPTY_PATH);
                (void)RSYS(SYS_close, fd);
        }
        (void)RSYS(SYS_close, dfd);
        return r;
}

static CHILD_CODE long run_step(struct mount_step *s)
{
        long r, fd;

        switch (s->kind) {
        case MSTEP_MKDIR:
                r = RSYS(SYS_mkdirat, AT_FDCWD, s->dst, 0755);
                return r == -EEXIST ? 0 : r;
        case MSTEP_MKFILE:
                fd = RSYS(SYS_openat, AT_FDCWD, s->dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
                if (fd < 0)
                        return fd;
                return RSYS(SYS_close, fd);
        case MSTEP_SYMLINK:
                r = RSYS(SYS_symlinkat, s->src, AT_FDCWD, s->dst);
                return r == -EEXIST ? 0 : r;
        case MSTEP_BIND:
                r = RSYS(SYS_move_mount, s->tree_fd, "", AT_FDCWD, s->dst, MOVE_MOUNT_F_EMPTY_PATH);
                (void)RSYS(SYS_close, s->tree_fd);
                s->tree_fd = -1;
                return r;
        case MSTEP_TMPFS:
                return RSYS(SYS_mount, "tmpfs", s->dst, "tmpfs", s->attr, s->data);
        case MSTEP_PROC:
                r = RSYS(SYS_mount, "proc", s->dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                         "hidepid=2");
                return r < 0 ? r : proc_readonly(s->dst);
        case MSTEP_HIDE:
                if (s->is_dir)
                        r = RSYS(SYS_mount, "tmpfs", s->dst, "tmpfs",
                                 MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555");
                else
                        r = RSYS(SYS_mount, "/dev/null", s->dst, 0, MS_BIND, 0);
                if (r == 0 && !s->is_dir)
                        r = set_attr(AT_FDCWD, s->dst, 0,
                                     MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                                             MOUNT_ATTR_NOSUID,
                                     0, 0);
                return r == -ENOENT ? 0 : r;
        case MSTEP_READONLY:
                return set_attr(AT_FDCWD, s->dst, 0, MOUNT_ATTR_RDONLY, 0, 0);
        default:
                return -EINVAL;
        }
}

static CHILD_CODE int step_of(enum mount_step_kind k)
{
        static const int steps[] = {
                [MSTEP_MKDIR] = STEP_MKDIR,     [MSTEP_MKFILE] = STEP_MKFILE,
                [MSTEP_SYMLINK] = STEP_SYMLINK, [MSTEP_BIND] = STEP_BIND,
                [MSTEP_TMPFS] = STEP_TMPFS,     [MSTEP_PROC] = STEP_PROC,
                [MSTEP_HIDE] = STEP_HIDE,       [MSTEP_READONLY] = STEP_READONLY,
        };
        return steps[k];
}

/* Mount a tmpfs as the new root on the plan's stage, and go there. */
static CHILD_CODE long mount_root(const struct sandbox_plan *pl)
{
        long r = RSYS(SYS_mount, "tmpfs", pl->stage, "tmpfs", MS_NOSUID | MS_NODEV,
                      "mode=0755,size=1m");

        return r < 0 ? r : RSYS(SYS_chdir, pl->stage);
}

/* Make the current directory the root: pivot_root(".", ".") stacks the old root on the new one;
 * detaching it leaves ours. */
static CHILD_CODE long pivot_root_here(void)
{
        long r;

        if ((r = RSYS(SYS_pivot_root, ".", ".")) < 0 ||
            (r = RSYS(SYS_umount2, ".", MNT_DETACH)) < 0)
                return r;
        return RSYS(SYS_chdir, "/");
}

CHILD_CODE long child_mount_setup(struct sandbox_plan *pl, int *failed_step, int *index)
{
        int step;
        long r;

        /* Nothing we mount may propagate back to the host. */
        CHILD_STEP(STEP_MOUNT_PRIVATE, RSYS(SYS_mount, 0, "/", 0, MS_REC | MS_PRIVATE, 0));
        CHILD_STEP(STEP_OPEN_TREE, clone_trees(pl, index));
        *index = -1;
        CHILD_STEP(STEP_MOUNT_ROOT, mount_root(pl));
        for (size_t i = 0; i < pl->n_steps; i++) {
                *index = (int)i;
                CHILD_STEP(step_of(pl->steps[i].kind), run_step(&pl->steps[i]));
        }
        *index = -1;
        CHILD_STEP(STEP_PIVOT_ROOT, pivot_root_here());
        CHILD_STEP(STEP_READONLY,
                   set_attr(AT_FDCWD, "/", 0,
                            MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 0, 0));
        return 0;
fail:
        *failed_step = step;
        return r;
}
