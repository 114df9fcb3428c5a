/* SPDX-License-Identifier: MIT */
/* Per-job cgroups: find our own cgroups once per process, choose v2 or v1 per controller, and
 * dispatch job create, attach, stats and destroy to the backends. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "base/syscall.h"
#include "policy/policy.h"
#include "sandbox/cgroup-internal.h"
#include "sandbox/cgroup.h"

static const char *const ctrl_names[_CGROUP_CTRL_MAX] = {
        [CGROUP_MEMORY] = "memory",
        [CGROUP_PIDS] = "pids",
};

static struct cgroup_host host;
static pthread_once_t host_once = PTHREAD_ONCE_INIT;

const char *limit_backend_name(enum limit_backend b)
{
        switch (b) {
        case LIMIT_BY_CGROUP_V2:
                return "cgroup-v2";
        case LIMIT_BY_CGROUP_V1:
                return "cgroup-v1";
        case LIMIT_BY_RLIMIT:
                return "rlimit";
        case LIMIT_BY_NONE:
                break;
        }
        return "";
}

const char *cgroup_ctrl_name(enum cgroup_ctrl c)
{
        return c < _CGROUP_CTRL_MAX ? ctrl_names[c] : "";
}

bool cgroup_denied(int r)
{
        return r == -EACCES || r == -EPERM || r == -EBUSY || r == -EROFS;
}

/* Whether the sep-separated list holds word exactly. */
static bool list_has(const char *list, char sep, const char *word)
{
        size_t n = strlen(word);

        for (const char *p = list; p && *p; p = strchr(p, sep), p = p ? p + 1 : NULL)
                if (strncmp(p, word, n) == 0 && (p[n] == sep || p[n] == '\0'))
                        return true;
        return false;
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static char *unescape(char *s)
{
        char *w = s;

        for (const char *r = s; *r; w++) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
                    r[3] >= '0' && r[3] <= '7') {
                        *w = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
                        r += 4;
                } else {
                        *w = *r++;
                }
        }
        *w = '\0';
        return s;
}

/* The directory of cgroup path own under a mount of root at mnt, or NULL where own is outside
 * what the mount shows (another cgroup namespace) or climbs with "..". */
static char *under_mount(const char *mnt, const char *root, const char *own)
{
        size_t n = strcmp(root, "/") == 0 ? 0 : strlen(root);
        const char *rel;
        char *ret;

        for (const char *p = strstr(own, "/.."); p; p = strstr(p + 1, "/.."))
                if (p[3] == '/' || p[3] == '\0')
                        return NULL;
        if (own[0] != '/')
                return NULL;
        if (n && (strncmp(own, root, n) != 0 || (own[n] != '\0' && own[n] != '/')))
                return NULL;
        rel = strcmp(own + n, "/") == 0 ? "" : own + n;
        ret = xmalloc(strlen(mnt) + strlen(rel) + 1);
        strcpy(stpcpy(ret, mnt), rel);
        return ret;
}

/* One line of /proc/self/cgroup: "0::/path" for v2, "4:memory:/path" for v1. */
static void parse_cgroup_line(char *line, const char **own_v2, const char **own_v1)
{
        char *ctrls = strchr(line, ':');
        char *path = ctrls ? strchr(ctrls + 1, ':') : NULL;

        if (!path)
                return;
        *ctrls++ = '\0';
        *path++ = '\0';
        if (strcmp(line, "0") == 0 && ctrls[0] == '\0') {
                *own_v2 = path;
                return;
        }
        for (int c = 0; c < _CGROUP_CTRL_MAX; c++)
                if (list_has(ctrls, ',', ctrl_names[c]))
                        own_v1[c] = path;
}

/* One line of /proc/self/mountinfo: "id parent maj:min root mnt opts [optional...] - fstype
 * source superopts". Fills what the layout still lacks from a writable cgroup mount. */
static void parse_mount_line(char *line, const char *own_v2, const char *const *own_v1,
                             struct cgroup_layout *l)
{
        char *tok[32], *save = NULL;
        size_t n = 0, dash = 0;

        for (char *t = strtok_r(line, " ", &save); t && n < ARRAY_SIZE(tok);
             t = strtok_r(NULL, " ", &save))
                tok[n++] = t;
        for (size_t i = 6; i < n && !dash; i++)
                if (strcmp(tok[i], "-") == 0)
                        dash = i;
        if (!dash || dash + 3 >= n || list_has(tok[5], ',', "ro") ||
            list_has(tok[dash + 3], ',', "ro"))
                return;
        if (strcmp(tok[dash + 1], "cgroup2") == 0) {
                if (own_v2 && !l->v2_dir)
                        l->v2_dir = under_mount(unescape(tok[4]), unescape(tok[3]), own_v2);
                return;
        }
        if (strcmp(tok[dash + 1], "cgroup") != 0)
                return;
        unescape(tok[3]);
        unescape(tok[4]);
        for (int c = 0; c < _CGROUP_CTRL_MAX; c++)
                if (own_v1[c] && !l->v1_dir[c] && list_has(tok[dash + 3], ',', ctrl_names[c]))
                        l->v1_dir[c] = under_mount(tok[4], tok[3], own_v1[c]);
}

void cgroup_layout_parse(const char *proc_cgroup, const char *mountinfo, struct cgroup_layout *ret)
{
        _cleanup_free_ char *pc = xstrdup(proc_cgroup);
        _cleanup_free_ char *mi = xstrdup(mountinfo);
        const char *own_v2 = NULL, *own_v1[_CGROUP_CTRL_MAX] = { NULL };
        char *save = NULL;

        *ret = (struct cgroup_layout){ 0 };
        for (char *l = strtok_r(pc, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
                parse_cgroup_line(l, &own_v2, own_v1);
        for (char *l = strtok_r(mi, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
                parse_mount_line(l, own_v2, own_v1, ret);
}

void cgroup_layout_done(struct cgroup_layout *l)
{
        free(l->v2_dir);
        for (int c = 0; c < _CGROUP_CTRL_MAX; c++)
                free(l->v1_dir[c]);
        *l = (struct cgroup_layout){ 0 };
}

/* The v2 controllers we can give job cgroups: those our cgroup has, once delegated to us. */
static unsigned v2_setup(const char *dir, pid_t *moved)
{
        char buf[512];
        unsigned avail = 0;
        int r;

        if (!dir || cgroup_read(-1, dir, "cgroup.controllers", buf, sizeof(buf)) < 0)
                return 0;
        buf[strcspn(buf, "\n")] = '\0';
        for (int c = 0; c < _CGROUP_CTRL_MAX; c++)
                if (list_has(buf, ' ', ctrl_names[c]))
                        avail |= CGROUP_BIT(c);
        /* Any failure (not delegated, rootless, other processes in our cgroup) falls back. */
        r = avail ? cgroup_v2_delegate(dir, avail) : -ENOENT;
        *moved = r == 1 ? getpid() : 0;
        return r < 0 ? 0 : avail;
}

/* Whether we may create cgroups in a v1 directory: try it once. */
static bool v1_usable(const char *dir)
{
        char path[PATH_MAX];

        if (snprintf(path, sizeof(path), "%s/ringfence.probe-%d", dir, (int)getpid()) >=
            (int)sizeof(path))
                return false;
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return false;
        return rmdir(path) == 0;
}

static void host_init(void)
{
        _cleanup_free_ char *pc = NULL, *mi = NULL;

        if (cgroup_read_all(AT_FDCWD, "/proc/self/cgroup", &pc) < 0 ||
            cgroup_read_all(AT_FDCWD, "/proc/self/mountinfo", &mi) < 0)
                return;
        cgroup_layout_parse(pc, mi, &host.layout);
        host.v2_ctrls = v2_setup(host.layout.v2_dir, &host.v2_moved);
        for (int c = 0; c < _CGROUP_CTRL_MAX; c++)
                if (!(host.v2_ctrls & CGROUP_BIT(c)) && host.layout.v1_dir[c] &&
                    v1_usable(host.layout.v1_dir[c]))
                        host.v1_ctrls |= CGROUP_BIT(c);
}

const struct cgroup_host *cgroup_host_get(void)
{
        (void)pthread_once(&host_once, host_init);
        return &host;
}

void cgroup_host_release(void)
{
        if (!host.v2_moved || host.v2_moved != getpid()) /* not us, or a child of ours */
                return;
        cgroup_v2_undelegate(host.layout.v2_dir, host.v2_ctrls);
        host.v2_ctrls = 0;
        host.v2_moved = 0;
}

int cgroup_join(char *buf, size_t n, const char *dir, const char *file)
{
        int w = snprintf(buf, n, "%s/%s", dir, file);
        return w < 0 || (size_t)w >= n ? -ENAMETOOLONG : 0;
}

/* Open dir/file, or file relative to dirfd when dir is NULL. Returns the fd or -errno. */
static int open_file(int dirfd, const char *dir, const char *file, int flags)
{
        char path[PATH_MAX];
        int fd, r;

        if (!dir) {
                fd = openat(dirfd, file, flags | O_CLOEXEC);
        } else {
                r = cgroup_join(path, sizeof(path), dir, file);
                if (r < 0)
                        return r;
                fd = open(path, flags | O_CLOEXEC);
        }
        return fd < 0 ? -errno : fd;
}

int cgroup_write(int dirfd, const char *dir, const char *file, const char *val)
{
        _cleanup_close_ int fd = open_file(dirfd, dir, file, O_WRONLY);
        size_t n = strlen(val);
        ssize_t w;

        if (fd < 0)
                return fd;
        /* Setting a v1 memory limit fails with EINTR when a signal is pending for the writing
         * thread (the kernel checks before it sets, and while it reclaims; seen once in the
         * fault-injection test): the same value is written again. */
        do
                w = write(fd, val, n);
        while (w < 0 && errno == EINTR);
        if (w < 0)
                return -errno;
        return (size_t)w == n ? 0 : -EIO;
}

int cgroup_read(int dirfd, const char *dir, const char *file, char *buf, size_t n)
{
        _cleanup_close_ int fd = open_file(dirfd, dir, file, O_RDONLY);
        ssize_t r;

        if (fd < 0)
                return fd;
        r = read(fd, buf, n - 1);
        if (r < 0)
                return -errno;
        buf[r] = '\0';
        return (int)r;
}

int cgroup_read_all(int dirfd, const char *path, char **ret)
{
        _cleanup_close_ int fd = open_file(dirfd, NULL, path, O_RDONLY);
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap = 0;
        ssize_t r;

        if (fd < 0)
                return fd;
        do {
                if (cap - len < 4096) {
                        cap = cap ? cap * 2 : 8192;
                        buf = xrealloc(buf, cap);
                }
                r = read(fd, buf + len, cap - len - 1);
                if (r < 0 && errno != EINTR)
                        return -errno;
                len += r > 0 ? (size_t)r : 0;
        } while (r != 0);
        buf[len] = '\0';
        *ret = TAKE_PTR(buf);
        return 0;
}

int cgroup_keyed_u64(const char *text, const char *key, uint64_t *ret)
{
        size_t n = strlen(key);

        for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
                if (strncmp(p, key, n) == 0 && p[n] == ' ') {
                        *ret = strtoull(p + n + 1, NULL, 10);
                        return 0;
                }
        return -ENOENT;
}

int cgroup_read_u64(int dirfd, const char *dir, const char *file, uint64_t *ret)
{
        char buf[64], *end;
        int r = cgroup_read(dirfd, dir, file, buf, sizeof(buf));

        if (r < 0)
                return r;
        errno = 0;
        *ret = strtoull(buf, &end, 10);
        return errno || end == buf ? -EINVAL : 0;
}

static int cmp_pid(const void *a, const void *b)
{
        pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
        return (x > y) - (x < y);
}

/* The pids in cgroup.procs of dirfd, sorted; 0s (processes of other pid namespaces) left out. */
static int read_pids(int dirfd, pid_t **ret, size_t *ret_n)
{
        _cleanup_free_ char *text = NULL;
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0, cap = 1;
        char *end;
        int r = cgroup_read_all(dirfd, "cgroup.procs", &text);

        if (r < 0)
                return r;
        /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): text is set on success */
        for (const char *p = text; (p = strchr(p, '\n')); p++)
                cap++;
        pids = xcalloc(cap, sizeof(*pids));
        for (const char *p = text; *p && n < cap; p = end) {
                long v = strtol(p, &end, 10);
                if (end == p)
                        break;
                if (v > 0)
                        pids[n++] = (pid_t)v;
        }
        qsort(pids, n, sizeof(*pids), cmp_pid);
        *ret = TAKE_PTR(pids);
        *ret_n = n;
        return 0;
}

/* SIGKILL those of pids (listed in dirfd's cgroup.procs a moment ago) that are still listed
 * after a pidfd to each was opened: a pidfd names one process for good, so a pid that was
 * recycled by a process outside the cgroup is never signalled. */
static void kill_listed(int dirfd, const pid_t *pids, size_t n)
{
        _cleanup_free_ int *fds = xcalloc(n, sizeof(*fds));
        _cleanup_free_ pid_t *now = NULL;
        size_t n_now = 0;

        for (size_t i = 0; i < n; i++)
                fds[i] = sys_pidfd_open(pids[i], 0);
        if (read_pids(dirfd, &now, &n_now) == 0)
                for (size_t i = 0; i < n; i++) {
                        if (!bsearch(&pids[i], now, n_now, sizeof(*now), cmp_pid))
                                continue;
                        if (fds[i] >= 0)
                                (void)sys_pidfd_send_signal(fds[i], SIGKILL);
                        else if (fds[i] == -ENOSYS) /* before Linux 5.3: best effort */
                                (void)kill(pids[i], SIGKILL);
                }
        for (size_t i = 0; i < n; i++)
                if (fds[i] >= 0)
                        (void)close(fds[i]);
}

/* Sleep *step microseconds, doubling it up to 20 ms; false once about a second has passed. */
static bool backoff(unsigned *step, unsigned *waited)
{
        if (*waited >= 1000000)
                return false;
        (void)usleep(*step);
        *waited += *step;
        *step = *step * 2 > 20000 ? 20000 : *step * 2;
        return true;
}

int cgroup_kill_procs(int dirfd)
{
        unsigned step = 100, waited = 0;

        for (;;) {
                _cleanup_free_ pid_t *pids = NULL;
                size_t n = 0;
                int r = read_pids(dirfd, &pids, &n);

                if (r < 0)
                        return r;
                if (n == 0)
                        return 0;
                kill_listed(dirfd, pids, n);
                if (!backoff(&step, &waited))
                        return -EBUSY;
        }
}

/* rmdir name (relative to dirfd), retrying while the kernel still counts exiting processes. */
static void rmdir_retry(int dirfd, const char *name)
{
        unsigned step = 100, waited = 0;

        while (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno == EBUSY && backoff(&step, &waited))
                ;
}

/* Kill what runs in the cgroup fd and remove the cgroups below it, depth-first. */
static void empty_tree(int fd, bool v2, unsigned depth)
{
        _cleanup_close_ int dfd = -1;
        DIR *d;
        struct dirent *e;

        if (!v2 || cgroup_write(fd, NULL, "cgroup.kill", "1") < 0) /* cgroup.kill: Linux 5.14 */
                (void)cgroup_kill_procs(fd);
        dfd = depth < 16 ? dup(fd) : -1;
        if (dfd < 0 || !(d = fdopendir(dfd)))
                return;
        TAKE_FD(dfd);
        while ((e = readdir(d))) {
                _cleanup_close_ int child = -1;

                if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 ||
                    strcmp(e->d_name, "..") == 0)
                        continue;
                child = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (child < 0)
                        continue;
                empty_tree(child, v2, depth + 1);
                rmdir_retry(fd, e->d_name);
        }
        (void)closedir(d);
}

void cgroup_remove(const char *dir, bool v2)
{
        _cleanup_close_ int fd = -1;

        /* The usual case: the job has ended and left nothing behind. */
        if (rmdir(dir) == 0 || errno != EBUSY)
                return;
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return;
        empty_tree(fd, v2, 0);
        rmdir_retry(AT_FDCWD, dir);
}

/* The job cgroup's leaf name, "ringfence-<our pid>-<name>"; name is [A-Za-z0-9._-]+. */
static int job_leaf(const char *name, char *buf, size_t n, rf_error *err)
{
        size_t len = name ? strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789._-")
                          : 0;

        if (!name || len == 0 || name[len] != '\0')
                return rf_error_set(err, -EINVAL,
                                    "invalid cgroup name \"%s\": "
                                    "expected letters, digits, '.', '_' or '-'",
                                    name ? name : "(null)");
        if (snprintf(buf, n, "ringfence-%d-%s", (int)getpid(), name) >= (int)n)
                return rf_error_set(err, -ENAMETOOLONG, "cgroup name \"%s\" is too long", name);
        return 0;
}

/* Which backend enforces controller c for the job just created. */
static enum limit_backend backend_of(const struct cgroup_job *cg, const struct cgroup_host *h,
                                     enum cgroup_ctrl c)
{
        const char *v1 = c == CGROUP_MEMORY ? cg->v1_memory_path : cg->v1_pids_path;

        if (h->v2_ctrls & CGROUP_BIT(c))
                return cg->v2_path ? LIMIT_BY_CGROUP_V2 : LIMIT_BY_NONE;
        return v1 ? LIMIT_BY_CGROUP_V1 : LIMIT_BY_NONE;
}

/* The memory controller is always asked for, limit or not, so that peak memory can be reported:
 * on v2 it is the same single mkdir; on v1 one more mkdir, one write to attach, one rmdir. The
 * pids controller is used only for a pids limit. */
int cgroup_job_create(struct cgroup_job *cg, const struct policy_limits *lim, const char *name,
                      rf_error *err)
{
        static const struct policy_limits none;
        const struct cgroup_host *h = cgroup_host_get();
        unsigned want, v2, v1;
        char leaf[NAME_MAX + 1];
        int r;

        *cg = (struct cgroup_job){ .v2_fd = -1 };
        lim = lim ? lim : &none;
        r = job_leaf(name, leaf, sizeof(leaf), err);
        if (r < 0)
                return r;
        want = CGROUP_BIT(CGROUP_MEMORY) | (lim->pids ? CGROUP_BIT(CGROUP_PIDS) : 0);
        v2 = want & h->v2_ctrls;
        v1 = want & ~v2 & h->v1_ctrls;
        if (v2)
                r = cgroup_v2_create(cg, h->layout.v2_dir, leaf, v2, lim, err);
        if (r >= 0 && v1)
                r = cgroup_v1_create(cg, h, leaf, v1, lim, err);
        if (r < 0) {
                cgroup_job_destroy(cg);
                return r;
        }
        cg->memory_by = lim->memory ? backend_of(cg, h, CGROUP_MEMORY) : LIMIT_BY_NONE;
        cg->pids_by = lim->pids ? backend_of(cg, h, CGROUP_PIDS) : LIMIT_BY_NONE;
        return 0;
}

int cgroup_job_attach(struct cgroup_job *cg, pid_t pid, rf_error *err)
{
        return cgroup_v1_attach(cg, pid, err);
}

int cgroup_job_stats(const struct cgroup_job *cg, struct cgroup_stats *ret)
{
        *ret = (struct cgroup_stats){ 0 };
        if (cg->v2_path)
                cgroup_v2_stats(cg, ret);
        cgroup_v1_stats(cg, ret);
        return 0;
}

void cgroup_job_destroy(struct cgroup_job *cg)
{
        cgroup_v2_destroy(cg);
        cgroup_v1_destroy(cg);
        *cg = (struct cgroup_job){ .v2_fd = -1 };
}
