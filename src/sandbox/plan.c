/* SPDX-License-Identifier: MIT */
/* Parent side of a spawn: turn a policy and a command into a plan the child can follow with
 * system calls alone (mount steps, id maps, argv, envp, exec candidates, fds, rlimits, cgroup). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "sandbox/netns-pool.h"
#include "sandbox/sandbox.h"

#define STACK_SIZE (64 * 1024)

extern char **environ;

/* Keep a copy of s alive as long as the plan; returns the copy. */
static const char *own(struct sandbox_plan *pl, const char *s)
{
        strv_push(&pl->owned, s);
        return pl->owned.v[pl->owned.n - 1];
}

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
                        add_step(pl, cap, MSTEP_MKDIR, NULL, own(pl, buf));
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
        s->data = own(pl, data);
        s->attr = flags;
}

/* The system read-only: /usr and /etc, and the top-level links or directories into them. */
static int add_system(struct sandbox_plan *pl, size_t *cap, rf_error *err)
{
        static const char *const dirs[] = { "/usr", "/etc", "/bin", "/sbin", "/lib",
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
                        add_step(pl, cap, MSTEP_SYMLINK, own(pl, target), dirs[i] + 1);
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
        static const char *const nodes[] = { "/dev/null", "/dev/zero", "/dev/full",
                                             "/dev/random", "/dev/urandom", "/dev/tty", NULL };
        static const char *const links[][2] = {
                { "/proc/self/fd", "dev/fd" },     { "/proc/self/fd/0", "dev/stdin" },
                { "/proc/self/fd/1", "dev/stdout" }, { "/proc/self/fd/2", "dev/stderr" },
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

static int add_mounts(struct sandbox_plan *pl, const struct rf_policy *p, const char *cwd,
                      rf_error *err)
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
            (r = add_bind(pl, &cap, own(pl, cwd), false, MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID,
                          "the working directory", err)) < 0)
                return r;
        return add_user_rules(pl, &cap, p, tmp, err);
}

static bool env_wanted(const struct rf_policy *p, const char *entry)
{
        size_t len = strcspn(entry, "=");

        for (size_t i = 0; i < p->env_pass.n; i++) {
                const char *pat = p->env_pass.v[i];
                size_t pl = strlen(pat);
                if (pl && pat[pl - 1] == '*' ? len >= pl - 1 && !strncmp(entry, pat, pl - 1)
                                             : len == pl && !strncmp(entry, pat, len))
                        return true;
        }
        return false;
}

/* The job's environment: the allowed names from ours, HOME, then the policy's settings. A plain
 * spawn keeps HOME and adds nothing of its own, as xargs would. */
static void make_env(struct sandbox_plan *pl, const struct rf_policy *p, struct strv *env)
{
        bool have_path = false;

        for (char **e = environ; e && *e; e++)
                if (env_wanted(p, *e) && (pl->plain || strncmp(*e, "HOME=", 5) != 0)) {
                        strv_push(env, *e);
                        have_path |= !strncmp(*e, "PATH=", 5);
                }
        if (!have_path && !pl->plain)
                strv_push(env, "PATH=/usr/local/bin:/usr/bin:/bin");
        if (!pl->plain)
                strv_push(env, "HOME=/tmp");
        for (size_t i = 0; i < p->env_set.n; i++) {
                size_t len = strcspn(p->env_set.v[i], "=") + 1;
                for (size_t j = 0; j < env->n; j++)
                        if (!strncmp(env->v[j], p->env_set.v[i], len)) {
                                free(env->v[j]);
                                env->v[j] = xstrdup(p->env_set.v[i]);
                                goto next;
                        }
                strv_push(env, p->env_set.v[i]);
next:;
        }
}

/* Whether the policy asks for no confinement at all (the built-in `none`): no namespace, the
 * caller's identity, seccomp allowing every call, no filesystem rule, no limit that needs a
 * cgroup. Such a job is spawned plainly, as xargs would (child-plain.c). */
static bool wants_nothing(const struct rf_policy *p)
{
        return p->namespaces == 0 && p->caller_identity && !p->as_root &&
               p->seccomp.default_action == POLICY_ACT_ALLOW && p->seccomp.n_rules == 0 &&
               p->n_fs == 0 && !p->limits.memory && !p->limits.pids;
}

/* Whether env_pass passes every name ("*") and nothing is set: the job gets our environ. */
static bool env_is_ours(const struct rf_policy *p)
{
        if (p->env_set.n)
                return false;
        for (size_t i = 0; i < p->env_pass.n; i++)
                if (!strcmp(p->env_pass.v[i], "*"))
                        return true;
        return false;
}

/* Where to look for argv[0]: itself if it has a slash, else each directory of the job's PATH. */
static void make_exec_paths(char *const *envp, const char *cmd, struct strv *out)
{
        const char *path = "/usr/local/bin:/usr/bin:/bin";

        if (strchr(cmd, '/')) {
                strv_push(out, cmd);
                return;
        }
        for (char *const *e = envp; *e; e++)
                if (!strncmp(*e, "PATH=", 5))
                        path = *e + 5;
        while (*path) {
                size_t n = strcspn(path, ":");
                if (n)
                        strv_pushf(out, "%.*s/%s", (int)n, path, cmd);
                path += n + (path[n] == ':');
        }
        if (!out->n)
                strv_push(out, cmd);
}

/* Who the job is inside and outside: an unprivileged id, the caller's own when not root. */
static void make_ids(struct sandbox_plan *pl, const struct rf_policy *p)
{
        uid_t euid = geteuid();
        gid_t egid = getegid();
        /* identity = caller (the policy `none`): the caller's own ids and groups, also root's. */
        uid_t out_uid = euid == 0 && !p->caller_identity ? 65534 : euid;
        gid_t out_gid = euid == 0 && !p->caller_identity ? 65534 : egid;

        pl->rootless = euid != 0;
        pl->userns = p->namespaces & POLICY_NS_USER;
        pl->drop_groups = !pl->rootless && !p->caller_identity;
        if (pl->userns) {
                pl->uid = p->as_root ? 0 : out_uid;
                pl->gid = p->as_root ? 0 : out_gid;
                snprintf(pl->uid_map, sizeof(pl->uid_map), "%u %u 1\n", pl->uid, out_uid);
                snprintf(pl->gid_map, sizeof(pl->gid_map), "%u %u 1\n", pl->gid, out_gid);
        } else {
                pl->uid = out_uid;
                pl->gid = out_gid;
        }
}

static void add_rlimit(struct sandbox_plan *pl, int res, uint64_t soft, uint64_t hard)
{
        if (pl->n_rlimits >= ARRAY_SIZE(pl->rlimits))
                return;
        pl->rlimits[pl->n_rlimits].resource = res;
        pl->rlimits[pl->n_rlimits].lim.rlim_cur = soft;
        pl->rlimits[pl->n_rlimits].lim.rlim_max = hard;
        pl->n_rlimits++;
}

/* Limits: a cgroup where one can enforce them, rlimits for the rest. A plain plan (no memory or
 * pids limit: no cgroup) gets only the policy's rlimits; core dumps stay as under xargs. */
static int make_limits(struct sandbox_plan *pl, const struct rf_policy *p, rf_error *err)
{
        static unsigned long counter;
        const struct policy_limits *l = &p->limits;
        char name[64];
        const char *paths[3];
        int r;

        snprintf(name, sizeof(name), "%lu", __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
        /* Only the memory and pids limits need a cgroup; without them peak memory comes from the
         * command's rusage, and a job costs no cgroup at all. */
        r = l->memory || l->pids ? cgroup_job_create(&pl->cgroup, l, name, err) : 0;
        if (r < 0)
                return r;
        paths[0] = pl->cgroup.v2_path;
        paths[1] = pl->cgroup.v1_memory_path;
        paths[2] = pl->cgroup.v1_pids_path;
        for (int i = 0; i < 3; i++) {
                char file[PATH_MAX];
                if (!paths[i])
                        continue;
                snprintf(file, sizeof(file), "%s/cgroup.procs", paths[i]);
                pl->cgroup_procs[i] = open(file, O_WRONLY | O_CLOEXEC);
                if (pl->cgroup_procs[i] < 0)
                        return rf_error_set(err, -errno, "cgroup %s: %s", file, strerror(errno));
        }
        if (!pl->plain)
                add_rlimit(pl, RLIMIT_CORE, 0, 0);
        if (l->files)
                add_rlimit(pl, RLIMIT_NOFILE, l->files, l->files);
        if (l->file_size)
                add_rlimit(pl, RLIMIT_FSIZE, l->file_size, l->file_size);
        if (l->cpu_ms)
                add_rlimit(pl, RLIMIT_CPU, (l->cpu_ms + 999) / 1000, (l->cpu_ms + 999) / 1000 + 1);
        if (l->memory && pl->cgroup.memory_by == LIMIT_BY_NONE)
                add_rlimit(pl, RLIMIT_AS, l->memory, l->memory);
        if (l->pids && pl->cgroup.pids_by == LIMIT_BY_NONE)
                add_rlimit(pl, RLIMIT_NPROC, l->pids, l->pids);
        return 0;
}

static int read_cap_last(void)
{
        static _Atomic int cached = -1; /* plans are made on several threads */
        int v = 40;
        FILE *f;

        if (cached >= 0)
                return cached;
        f = fopen("/proc/sys/kernel/cap_last_cap", "re");
        if (f) {
                if (fscanf(f, "%d", &v) != 1)
                        v = 40;
                fclose(f);
        }
        cached = v;
        return v;
}

static int make_fds(struct sandbox_plan *pl, const struct rf_policy *p, const int stdio[3],
                    rf_error *err)
{
        for (int i = 0; i < 3; i++)
                pl->stdio[i] = stdio ? stdio[i] : -1;
        pl->keep_fds = xcalloc(p->n_fds + 1, sizeof(int));
        for (size_t i = 0; i < p->n_fds; i++) {
                int fd = p->fds[i];
                if (fd < 3)
                        continue;
                if (fcntl(fd, F_GETFD) < 0)
                        return rf_error_set(err, -EBADF, "--fd %d: not an open file descriptor",
                                            fd);
                size_t j = pl->n_keep_fds++;
                while (j > 0 && pl->keep_fds[j - 1] > fd) {
                        pl->keep_fds[j] = pl->keep_fds[j - 1];
                        j--;
                }
                pl->keep_fds[j] = fd;
        }
        return 0;
}

/* Stacks of finished jobs, kept for the next ones: mapping and unmapping them for every job
 * costs TLB shootdowns on every CPU that runs a thread or a CLONE_VM child of ours. */
#define STACKS_MAX_IDLE 64
#define STACKS_SIZE (2 * (STACK_SIZE + 4096))
static pthread_mutex_t stacks_lock = PTHREAD_MUTEX_INITIALIZER;
static void *stacks_idle[STACKS_MAX_IDLE];
static size_t stacks_n_idle;

static int make_stacks(struct sandbox_plan *pl, rf_error *err)
{
        char *m = NULL;

        pthread_mutex_lock(&stacks_lock);
        if (stacks_n_idle > 0)
                m = stacks_idle[--stacks_n_idle];
        pthread_mutex_unlock(&stacks_lock);
        if (!m) {
                m = mmap(NULL, STACKS_SIZE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
                if (m == MAP_FAILED)
                        return rf_error_set(err, -errno, "stack for the job: %s",
                                            strerror(errno));
                /* A guard page below each stack. */
                (void)mprotect(m, 4096, PROT_NONE);
                (void)mprotect(m + STACK_SIZE + 4096, 4096, PROT_NONE);
        }
        pl->stack1 = m + 4096;
        pl->stack2 = m + STACK_SIZE + 2 * 4096;
        pl->stack_size = STACK_SIZE;
        return 0;
}

/* Keep a job's stacks for the next job, or unmap them. Only once the job is reaped. */
static void free_stacks(struct sandbox_plan *pl)
{
        char *m = pl->stack1 ? (char *)pl->stack1 - 4096 : NULL;

        if (!m)
                return;
        pthread_mutex_lock(&stacks_lock);
        if (stacks_n_idle < STACKS_MAX_IDLE) {
                stacks_idle[stacks_n_idle++] = m;
                m = NULL;
        }
        pthread_mutex_unlock(&stacks_lock);
        if (m)
                munmap(m, STACKS_SIZE);
}

static uint64_t ns_flags(unsigned ns)
{
        uint64_t f = 0;
        f |= ns & POLICY_NS_USER ? CLONE_NEWUSER : 0;
        f |= ns & POLICY_NS_PID ? CLONE_NEWPID : 0;
        f |= ns & POLICY_NS_MOUNT ? CLONE_NEWNS : 0;
        f |= ns & POLICY_NS_IPC ? CLONE_NEWIPC : 0;
        f |= ns & POLICY_NS_UTS ? CLONE_NEWUTS : 0;
        f |= ns & POLICY_NS_NET ? CLONE_NEWNET : 0;
        f |= ns & POLICY_NS_CGROUP ? CLONE_NEWCGROUP : 0;
        return f;
}

/* The rest of a plain plan: the environment, exec candidates, stdio, rlimits and one stack; the
 * working directory only when the policy names one (else the child keeps ours). */
static int plan_plain(struct sandbox_plan *pl, const struct rf_policy *p, const int stdio[3],
                      rf_error *err)
{
        int r;

        pl->cwd = p->cwd ? own(pl, p->cwd) : NULL;
        if (env_is_ours(p)) {
                pl->envp = environ;
        } else {
                make_env(pl, p, &pl->env);
                pl->envp = pl->env.v;
        }
        make_exec_paths(pl->envp, pl->argv[0], &pl->exec);
        pl->exec_paths = pl->exec.v;
        if ((r = make_fds(pl, p, stdio, err)) < 0 || (r = make_limits(pl, p, err)) < 0)
                return r;
        return make_stacks(pl, err);
}

int sandbox_plan_new(const struct rf_policy *p, const struct policy_bpf *bpf, char *const argv[],
                     const int stdio[3], struct sandbox_plan **ret, rf_error *err)
{
        struct sandbox_plan *pl = xcalloc(1, sizeof(*pl));
        char cwd[PATH_MAX];
        int r;

        pl->listener_fd = -1;
        pl->exec_index = -1;
        pl->chan = pl->chan_parent = -1;
        pl->netns_fd = -1;
        pl->cgroup.v2_fd = -1;
        for (int i = 0; i < 3; i++)
                pl->cgroup_procs[i] = -1;
        pl->clone_flags = ns_flags(p->namespaces);
        pl->plain = wants_nothing(p);
        pl->argv = argv;
        pl->cap_last = read_cap_last();
        pl->loopback_up = (p->namespaces & POLICY_NS_NET) && p->net != POLICY_NET_HOST;
        /* A pooled network namespace instead of a new one, where the job has a pid namespace:
         * when its init is reaped, no process of it is left to hold a socket there. */
        if ((pl->clone_flags & CLONE_NEWNET) && (pl->clone_flags & CLONE_NEWPID) &&
            netns_pool_usable()) {
                r = netns_pool_take(err);
                if (r < 0)
                        goto fail;
                pl->netns_fd = r;
                pl->clone_flags &= ~(uint64_t)CLONE_NEWNET;
                pl->loopback_up = false; /* up already, and the job may not change it */
        }
        snprintf(pl->hostname, sizeof(pl->hostname), "%s",
                 p->hostname_set ? p->hostname : "ringfence");
        make_ids(pl, p);
        if (pl->plain) {
                r = plan_plain(pl, p, stdio, err);
                if (r < 0)
                        goto fail;
                *ret = pl;
                return 0;
        }
        if (!p->cwd && !getcwd(cwd, sizeof(cwd))) {
                r = rf_error_set(err, -errno, "working directory: %s", strerror(errno));
                goto fail;
        }
        pl->cwd = own(pl, p->cwd ? p->cwd : cwd);
        pl->stage = "/tmp";
        if (pl->clone_flags & CLONE_NEWNS) {
                if ((r = add_mounts(pl, p, pl->cwd, err)) < 0)
                        goto fail;
        } else if (p->n_fs) {
                r = rf_error_set(err, -EINVAL, "%s %s: needs namespace.mount=on",
                                 p->fs[0].kind == POLICY_FS_RW ? "--rw" : "a filesystem rule",
                                 p->fs[0].path);
                goto fail;
        }
        make_env(pl, p, &pl->env);
        pl->envp = pl->env.v;
        make_exec_paths(pl->envp, argv[0], &pl->exec);
        pl->exec_paths = pl->exec.v;
        if ((r = sandbox_exec_gate(&bpf->notify, pl->argv, pl->envp, &pl->gate_notify)) < 0 ||
            (r = sandbox_exec_gate(&bpf->kill, pl->argv, pl->envp, &pl->gate_kill)) < 0) {
                r = rf_error_set(err, r, "seccomp: the filter is too long for the exec gate");
                goto fail;
        }
        pl->bpf_notify = &pl->gate_notify;
        pl->bpf_kill = &pl->gate_kill;
        if ((r = make_fds(pl, p, stdio, err)) < 0 || (r = make_limits(pl, p, err)) < 0 ||
            (r = make_stacks(pl, err)) < 0)
                goto fail;
        *ret = pl;
        return 0;
fail:
        sandbox_plan_free(pl);
        return r;
}

void sandbox_plan_free(struct sandbox_plan *pl)
{
        if (!pl)
                return;
        /* Not the steps' tree_fd: the child opened them in its own fd table (it shares our
         * memory, not our fds), and a child killed during its setup leaves numbers there that
         * are other fds of ours. */
        for (int i = 0; i < 3; i++)
                if (pl->cgroup_procs[i] >= 0)
                        close(pl->cgroup_procs[i]);
        cgroup_job_destroy(&pl->cgroup);
        netns_pool_give(pl->netns_fd);
        free_stacks(pl);
        free(pl->steps);
        free(pl->keep_fds);
        free(pl->gate_notify.filter);
        free(pl->gate_kill.filter);
        strv_done(&pl->owned);
        strv_done(&pl->env);
        strv_done(&pl->exec);
        free(pl);
}
