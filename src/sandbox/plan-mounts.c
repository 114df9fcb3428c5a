/* SPDX-License-Identifier: MIT */
/* Parent side of a spawn, the job's root filesystem: the mount steps the child runs in order
 * (child-mount.c): the system read-only, a private /tmp, /proc, a minimal /dev, the working
 * directory, and the policy's own fs rules, shallowest first. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "sandbox/plan-internal.h"

/* Keep "a b" alive as long as the plan (a rule's name for errors, "--rw /data"). */
static const char *own2(struct sandbox_plan *pl, const char *a, const char *b)
{
        strv_pushf(&pl->owned, "%s %s", a, b);
        return pl->owned.v[pl->owned.n - 1];
}

static struct mount_step *add_step(struct sandbox_plan *pl, size_t *cap, enum mount_step_kind k,
                                   const char *src, const char *dst)
{
        struct mount_step *s;

        array_grow(&pl->steps, cap, pl->n_steps + 1, sizeof(*pl->steps));
        s = &pl->steps[pl->n_steps++];
        memset(s, 0, sizeof(*s));
        s->kind = k;
        s->src = src;
        s->dst = dst;
        s->tree_fd = -1;
        return s;
}

/* Whether an earlier step already makes directory rel. */
static bool have_mkdir(const struct sandbox_plan *pl, const char *rel)
{
        for (size_t i = 0; i < pl->n_steps; i++)
                if ((pl->steps[i].kind == MSTEP_MKDIR || pl->steps[i].kind == MSTEP_TMPFS) &&
                    !strcmp(pl->steps[i].dst, rel))
                        return true;
        return false;
}

/* mkdir every parent of rel (and rel itself when dir). rel has no leading slash. */
static void add_mkdirs(struct sandbox_plan *pl, size_t *cap, const char *rel, bool dir)
{
        char buf[PATH_MAX];
        size_t n = strlen(rel);

        if (n >= sizeof(buf))
                return;
        memcpy(buf, rel, n + 1);
        for (size_t i = 1; i <= n; i++) {
                if (buf[i] != '/' && buf[i] != '\0')
                        continue;
                if (buf[i] == '\0' && !dir)
                        break;
                buf[i] = '\0';
                if (!have_mkdir(pl, buf))
                        add_step(pl, cap, MSTEP_MKDIR, NULL, plan_own(pl, buf));
                if (i < n)
                        buf[i] = '/';
        }
}

/* Bind host path src at the same place inside, read-only unless rw. what names it for errors. */
static int add_bind(struct sandbox_plan *pl, size_t *cap, const char *src, bool rw, uint64_t attr,
                    const char *what, rf_error *err)
{
        struct stat st;
        struct mount_step *s;
        const char *rel = src + 1;

        if (stat(src, &st) < 0)
                return rf_error_set(err, -errno, "%s: %s", what, strerror(errno));
        add_mkdirs(pl, cap, rel, S_ISDIR(st.st_mode));
        if (!S_ISDIR(st.st_mode))
                add_step(pl, cap, MSTEP_MKFILE, NULL, rel);
        s = add_step(pl, cap, MSTEP_BIND, src, rel);
        s->rw = rw;
        s->attr = attr;
        s->is_dir = S_ISDIR(st.st_mode);
        s->what = what;
        return 0;
}

static void add_tmpfs(struct sandbox_plan *pl, size_t *cap, const char *rel, const char *mode,
                      uint64_t size, uint64_t flags)
{
        char data[64];
        struct mount_step *s;

        add_mkdirs(pl, cap, rel, true);
        snprintf(data, sizeof(data), "mode=%s,size=%llu", mode, (unsigned long long)size);
        s = add_step(pl, cap, MSTEP_TMPFS, "tmpfs", rel);
        s->data = plan_own(pl, data);
        s->attr = flags;
}

/* The system read-only: /usr and /etc, and the top-level links or directories into them. */
static int add_system(struct sandbox_plan *pl, size_t *cap, rf_error *err)
{
        static const char *const dirs[] = { "/usr",   "/etc",   "/bin",    "/sbin", "/lib",
                                            "/lib32", "/lib64", "/libx32", NULL };
        for (size_t i = 0; dirs[i]; i++) {
                struct stat st;
                char target[PATH_MAX];
                ssize_t n;

                if (lstat(dirs[i], &st) < 0)
                        continue;
                if (S_ISLNK(st.st_mode)) {
                        n = readlink(dirs[i], target, sizeof(target) - 1);
                        if (n < 0)
                                continue;
                        target[n] = '\0';
                        add_step(pl, cap, MSTEP_SYMLINK, plan_own(pl, target), dirs[i] + 1);
                } else if (S_ISDIR(st.st_mode)) {
                        int r = add_bind(pl, cap, dirs[i], false, MOUNT_ATTR_NODEV, dirs[i], err);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int add_dev(struct sandbox_plan *pl, size_t *cap, uint64_t shm_size, rf_error *err)
{
        static const char *const nodes[] = { "/dev/null",   "/dev/zero",    "/dev/full",
                                             "/dev/random", "/dev/urandom", "/dev/tty",
                                             NULL };
        static const char *const links[][2] = {
                { "/proc/self/fd", "dev/fd" },
                { "/proc/self/fd/0", "dev/stdin" },
                { "/proc/self/fd/1", "dev/stdout" },
                { "/proc/self/fd/2", "dev/stderr" },
        };

        add_tmpfs(pl, cap, "dev", "0755", 65536, MS_NOSUID | MS_NOEXEC);
        for (size_t i = 0; nodes[i]; i++) {
                int r = add_bind(pl, cap, nodes[i], true, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC,
                                 nodes[i], err);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < ARRAY_SIZE(links); i++)
                add_step(pl, cap, MSTEP_SYMLINK, links[i][0], links[i][1]);
        add_tmpfs(pl, cap, "dev/shm", "1777", shm_size, MS_NOSUID | MS_NODEV);
        add_step(pl, cap, MSTEP_READONLY, NULL, "dev");
        return 0;
}

/* Whether path is dir or below it. */
static bool path_under(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

static size_t depth(const char *path)
{
        size_t d = 0;
        for (; *path; path++)
                d += *path == '/';
        return d;
}

static int by_depth(const void *a, const void *b)
{
        const struct policy_fs_rule *x = *(const struct policy_fs_rule *const *)a;
        const struct policy_fs_rule *y = *(const struct policy_fs_rule *const *)b;
        size_t dx = depth(x->path), dy = depth(y->path);
        return dx < dy ? -1 : dx > dy ? 1 : (x < y ? -1 : x > y);
}

static int add_user_rules(struct sandbox_plan *pl, size_t *cap, const struct rf_policy *p,
                          uint64_t tmp_size, rf_error *err)
{
        _cleanup_free_ const struct policy_fs_rule **sorted = NULL;
        int r = 0;

        if (!p->n_fs)
                return 0;
        sorted = xcalloc(p->n_fs, sizeof(*sorted));
        for (size_t i = 0; i < p->n_fs; i++)
                sorted[i] = &p->fs[i];
        qsort(sorted, p->n_fs, sizeof(*sorted), by_depth);
        for (size_t i = 0; i < p->n_fs && r == 0; i++) {
                const struct policy_fs_rule *f = sorted[i];
                const char *what = NULL, *rel = f->path + 1;
                struct stat st;

                switch (f->kind) {
                case POLICY_FS_RO:
                case POLICY_FS_RW:
                        what = own2(pl, f->kind == POLICY_FS_RW ? "--rw" : "--ro", f->path);
                        if (!strcmp(f->path, "/"))
                                return rf_error_set(err, -EINVAL,
                                                    "%s: binding the whole host root is refused",
                                                    what);
                        r = add_bind(pl, cap, f->path, f->kind == POLICY_FS_RW, MOUNT_ATTR_NODEV,
                                     what, err);
                        break;
                case POLICY_FS_TMPFS:
                        add_tmpfs(pl, cap, rel, "1777", tmp_size, MS_NOSUID | MS_NODEV);
                        break;
                case POLICY_FS_HIDE:
                        if (lstat(f->path, &st) < 0)
                                break; /* nothing there to hide */
                        add_step(pl, cap, MSTEP_HIDE, NULL, rel)->is_dir = S_ISDIR(st.st_mode);
                        break;
                }
        }
        return r;
}

int plan_mounts(struct sandbox_plan *pl, const struct rf_policy *p, const char *cwd, rf_error *err)
{
        size_t cap = 0;
        uint64_t tmp = p->limits.tmp_size ? p->limits.tmp_size : 64ULL << 20;
        int r;

        if ((r = add_system(pl, &cap, err)) < 0)
                return r;
        add_tmpfs(pl, &cap, "tmp", "1777", tmp, MS_NOSUID | MS_NODEV);
        if (p->namespaces & POLICY_NS_PID) {
                add_mkdirs(pl, &cap, "proc", true);
                add_step(pl, &cap, MSTEP_PROC, "proc", "proc");
        } else if ((r = add_bind(pl, &cap, "/proc", false,
                                 MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                                 "/proc (the host's: namespace.pid=off)", err)) < 0) {
                /* A user namespace may not mount a proc of a pid namespace it does not own. */
                return r;
        }
        if ((r = add_dev(pl, &cap, tmp, err)) < 0)
                return r;
        /* The working directory, readable; not when it is a pseudo filesystem or the root. */
        if (strcmp(cwd, "/") != 0 && strcmp(cwd, "/tmp") != 0 && !path_under(cwd, "/proc") &&
            !path_under(cwd, "/dev") &&
            (r = add_bind(pl, &cap, plan_own(pl, cwd), false, MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID,
                          "the working directory", err)) < 0)
                return r;
        return add_user_rules(pl, &cap, p, tmp, err);
}
