/* SPDX-License-Identifier: MIT */
/* Per-job cgroups on the real kernel: limits enforced, OOM and fork refusals seen, destroy kills
 * and removes; plus the parsing of /proc/self/cgroup and mountinfo. Needs root or a delegated
 * cgroup, else the whole binary is skipped. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "base/syscall.h"
#include "policy/policy.h"
#include "sandbox/cgroup-internal.h"
#include "sandbox/cgroup.h"
#include "helpers.h"

#define MiB (1024ull * 1024)

/* Every job cgroup made here has this in its name, so main can remove any a failed test left. */
#define TAG "cgtest-"

static const struct policy_limits limits_32m_16 = { .memory = 32 * MiB, .pids = 16 };
/* The fork test's memory limit leaves room for valgrind, whose forks touch far more than 32M. */
static const struct policy_limits limits_256m_16 = { .memory = 256 * MiB, .pids = 16 };

/* The job cgroup's leaf name, "/ringfence-<pid>-cgtest-<name>": the fork and memory tests'
 * children check that they are inside before they start. */
static char child_leaf[64];

/* ---- what the host should give, read independently of the code under test ---- */

/* Our cgroup v2 path ("0::/path" in /proc/self/cgroup), or NULL. */
static char *own_v2_path(void)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
        char line[4096];

        while (f && fgets(line, sizeof(line), f))
                if (strncmp(line, "0::", 3) == 0) {
                        line[strcspn(line, "\n")] = '\0';
                        return strdup(line + 3);
                }
        return NULL;
}

/* Whether the words of text (space- or comma-separated) include word. */
static bool has_word(const char *text, const char *word)
{
        size_t n = strlen(word);

        for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
                if ((p == text || p[-1] == ' ' || p[-1] == ',') &&
                    (p[n] == '\0' || p[n] == ' ' || p[n] == ',' || p[n] == '\n'))
                        return true;
        return false;
}

/* What /proc/self/mountinfo says should enforce ctrl: v2 when our cgroup's cgroup.controllers in
 * a writable cgroup2 mount lists it; else v1 when a writable v1 hierarchy has it; else none. */
static enum limit_backend expected_backend(const char *ctrl)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        _cleanup_free_ char *own2 = own_v2_path();
        enum limit_backend ret = LIMIT_BY_NONE;
        char line[4096];

        while (f && fgets(line, sizeof(line), f)) {
                char root[1024], mnt[1024], opts[512], fstype[64], super[512], path[PATH_MAX];
                char ctrls[512] = "";
                const char *dash = strstr(line, " - "), *rel;
                FILE *c;

                if (!dash ||
                    sscanf(line, "%*s %*s %*s %1023s %1023s %511s", root, mnt, opts) != 3 ||
                    sscanf(dash + 3, "%63s %*s %511s", fstype, super) != 2 || !has_word(opts, "rw"))
                        continue;
                if (strcmp(fstype, "cgroup") == 0 && has_word(super, ctrl) && ret == LIMIT_BY_NONE)
                        ret = LIMIT_BY_CGROUP_V1;
                if (strcmp(fstype, "cgroup2") != 0 || !own2)
                        continue;
                rel = own2;
                if (strcmp(root, "/") != 0 && strncmp(own2, root, strlen(root)) == 0)
                        rel = own2 + strlen(root);
                else if (strcmp(root, "/") != 0)
                        continue;
                snprintf(path, sizeof(path), "%s%s/cgroup.controllers", mnt, rel);
                if ((c = fopen(path, "re"))) {
                        if (!fgets(ctrls, sizeof(ctrls), c))
                                ctrls[0] = '\0';
                        fclose(c);
                }
                if (has_word(ctrls, ctrl))
                        return LIMIT_BY_CGROUP_V2;
        }
        return ret;
}

/* ---- running a child inside a job's cgroups ---- */

static pid_t clone_into(int cgroup_fd)
{
        struct clone_args args = {
                .flags = CLONE_INTO_CGROUP,
                .exit_signal = SIGCHLD,
                .cgroup = (uint64_t)cgroup_fd,
        };
        return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

/* Start fn in a child that is inside every cgroup of cg before fn runs: clone3 puts it into the
 * v2 cgroup, and it waits on a pipe until the parent has attached it to the v1 ones. */
static pid_t spawn_in_job(struct cgroup_job *cg, int (*fn)(void))
{
        int hold[2];
        char c = 0, buf[16];
        bool v2_moved = false;
        pid_t pid;

        ck_assert_int_eq(pipe2(hold, O_CLOEXEC), 0);
        if (cg->v2_path) {
                pid = clone_into(cg->v2_fd);
                v2_moved = pid >= 0;
                if (pid < 0 && errno == ENOSYS) /* valgrind has no clone3: fork, move it below */
                        pid = fork();
        } else {
                pid = fork();
        }
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                close(hold[1]);
                if (read(hold[0], &c, 1) != 1)
                        _exit(100); /* the parent failed: never run fn outside the cgroup */
                _exit(fn());
        }
        close(hold[0]);
        snprintf(buf, sizeof(buf), "%d", (int)pid);
        if (cg->v2_path && !v2_moved)
                ck_assert_int_eq(cgroup_write(-1, cg->v2_path, "cgroup.procs", buf), 0);
        ck_assert_int_eq(cgroup_job_attach(cg, pid, NULL), 0);
        ck_assert_int_eq(write(hold[1], &c, 1), 1);
        close(hold[1]);
        return pid;
}

static int wait_status(pid_t pid)
{
        int status = 0;

        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        return status;
}

static bool exists(const char *path)
{
        struct stat st;

        return stat(path, &st) == 0;
}

/* Whether /proc/self/cgroup has child_leaf in the line of the v1 hierarchy of ctrl or v2's. */
static bool in_job_cgroup(const char *ctrl)
{
        char buf[4096], *line, *save = NULL;
        int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
        ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

        if (fd >= 0)
                close(fd);
        if (n <= 0)
                return false;
        buf[n] = '\0';
        for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
                if ((strstr(line, ctrl) || strncmp(line, "0::", 3) == 0) &&
                    strstr(line, child_leaf))
                        return true;
        return false;
}

/* Forks at most 64 times; the pids limit must refuse some with EAGAIN. Each grandchild waits to
 * be killed by destroy (and dies on its own after 20 s if destroy failed). */
static int fork_many(void)
{
        int eagain = 0, other = 0;

        if (!in_job_cgroup(":pids:"))
                return 5;
        for (int i = 0; i < 64; i++) {
                pid_t p = fork();
                if (p == 0) {
                        alarm(20);
                        pause();
                        _exit(0);
                }
                if (p < 0 && errno == EAGAIN)
                        eagain++;
                else if (p < 0)
                        other++;
        }
        return other ? 3 : eagain ? 0 : 2;
}

/* Map and touch n bytes. */
static int touch(size_t n)
{
        char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (p == MAP_FAILED)
                return 4;
        for (size_t i = 0; i < n; i += 4096)
                p[i] = 1;
        return 0;
}

/* Touches 128 MiB; the 32 MiB cgroup must OOM-kill it. It refuses to start outside that cgroup,
 * and RLIMIT_AS is a second net (not under ASan, which reserves terabytes of address space). */
static int hog_128m(void)
{
        if (!in_job_cgroup(":memory:"))
                return 5;
#ifndef __SANITIZE_ADDRESS__
        struct rlimit rl = { 512 * MiB, 512 * MiB };
        setrlimit(RLIMIT_AS, &rl);
#endif
        return touch(128 * MiB);
}

static int touch_8m(void)
{
        return touch(8 * MiB);
}

static int sleeper(void)
{
        alarm(30);
        pause();
        return 0;
}

/* Whether the job's memory cgroup reports a peak (v2 before Linux 5.19 does not). */
static bool has_peak(const struct cgroup_job *cg)
{
        char path[PATH_MAX];

        if (cg->v1_memory_path)
                return true;
        snprintf(path, sizeof(path), "%s/memory.peak", cg->v2_path);
        return exists(path);
}

/* ---- tests ---- */

START_TEST(test_backend_name)
{
        ck_assert_str_eq(limit_backend_name(LIMIT_BY_CGROUP_V2), "cgroup-v2");
        ck_assert_str_eq(limit_backend_name(LIMIT_BY_CGROUP_V1), "cgroup-v1");
        ck_assert_str_eq(limit_backend_name(LIMIT_BY_RLIMIT), "rlimit");
        ck_assert_str_eq(limit_backend_name(LIMIT_BY_NONE), "");
        ck_assert_str_eq(limit_backend_name((enum limit_backend)42), "");
}
END_TEST

START_TEST(test_pids_limit)
{
        struct cgroup_job cg;
        struct cgroup_stats st;
        int status;
        pid_t pid;

        ck_assert_int_eq(cgroup_job_create(&cg, &limits_256m_16, TAG "pids", NULL), 0);
        ck_assert_msg(cg.pids_by == expected_backend("pids"),
                      "pids by \"%s\", mountinfo says \"%s\"", limit_backend_name(cg.pids_by),
                      limit_backend_name(expected_backend("pids")));
        ck_assert_int_ne(cg.pids_by, LIMIT_BY_NONE);
        snprintf(child_leaf, sizeof(child_leaf), "/ringfence-%d-" TAG "pids", (int)getpid());
        pid = spawn_in_job(&cg, fork_many);
        status = wait_status(pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "fork_many: status %#x (2: no fork refused, "
                      "3: not EAGAIN, 5: not in the cgroup)",
                      status);
        ck_assert_int_eq(cgroup_job_stats(&cg, &st), 0);
        ck_assert(st.pids_limit_hit);
        ck_assert(!st.memory_limit_hit);
        cgroup_job_destroy(&cg);
}
END_TEST

START_TEST(test_memory_oom)
{
        struct cgroup_job cg;
        struct cgroup_stats st;
        int status;
        pid_t pid;

        ck_assert_int_eq(cgroup_job_create(&cg, &limits_32m_16, TAG "oom", NULL), 0);
        ck_assert_msg(cg.memory_by == expected_backend("memory"),
                      "memory by \"%s\", mountinfo says \"%s\"", limit_backend_name(cg.memory_by),
                      limit_backend_name(expected_backend("memory")));
        ck_assert_int_ne(cg.memory_by, LIMIT_BY_NONE);
        snprintf(child_leaf, sizeof(child_leaf), "/ringfence-%d-" TAG "oom", (int)getpid());
        pid = spawn_in_job(&cg, hog_128m);
        status = wait_status(pid);
        ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                      "hog_128m was not OOM-killed: status %#x (5: not in the cgroup)", status);
        ck_assert_int_eq(cgroup_job_stats(&cg, &st), 0);
        ck_assert(st.memory_limit_hit);
        ck_assert(!st.pids_limit_hit);
        if (has_peak(&cg))
                ck_assert_msg(st.peak_memory >= 16 * MiB && st.peak_memory <= 40 * MiB,
                              "peak %llu bytes", (unsigned long long)st.peak_memory);
        cgroup_job_destroy(&cg);
}
END_TEST

START_TEST(test_no_limits_reports_peak)
{
        static const struct policy_limits none;
        struct cgroup_job cg;
        struct cgroup_stats st;
        int status;

        ck_assert_int_eq(cgroup_job_create(&cg, &none, TAG "peak", NULL), 0);
        ck_assert_int_eq(cg.memory_by, LIMIT_BY_NONE);
        ck_assert_int_eq(cg.pids_by, LIMIT_BY_NONE);
        ck_assert_ptr_null(cg.v1_pids_path);
        ck_assert_msg(cg.v2_path || cg.v1_memory_path, "no memory cgroup for peak memory");
        status = wait_status(spawn_in_job(&cg, touch_8m));
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        ck_assert_int_eq(cgroup_job_stats(&cg, &st), 0);
        if (has_peak(&cg))
                ck_assert_msg(st.peak_memory >= 8 * MiB, "peak %llu",
                              (unsigned long long)st.peak_memory);
        ck_assert(!st.memory_limit_hit && !st.pids_limit_hit);
        cgroup_job_destroy(&cg);
}
END_TEST

/* Copies of the job's directories, which destroy frees. */
static size_t job_dirs(const struct cgroup_job *cg, char *dirs[3])
{
        size_t n = 0;

        if (cg->v2_path)
                dirs[n++] = strdup(cg->v2_path);
        if (cg->v1_memory_path)
                dirs[n++] = strdup(cg->v1_memory_path);
        if (cg->v1_pids_path)
                dirs[n++] = strdup(cg->v1_pids_path);
        return n;
}

START_TEST(test_destroy_kills_and_removes)
{
        struct cgroup_job cg;
        char *dirs[3];
        size_t n;
        int status;
        pid_t pid;

        ck_assert_int_eq(cgroup_job_create(&cg, &limits_32m_16, TAG "destroy", NULL), 0);
        n = job_dirs(&cg, dirs);
        ck_assert_uint_ge(n, 1);
        pid = spawn_in_job(&cg, sleeper);
        usleep(10000);
        ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0); /* still sleeping */
        for (size_t i = 0; i < n; i++)
                ck_assert_msg(exists(dirs[i]), "%s missing", dirs[i]);
        cgroup_job_destroy(&cg);
        status = wait_status(pid);
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        for (size_t i = 0; i < n; i++) {
                ck_assert_msg(!exists(dirs[i]) && errno == ENOENT, "%s still there", dirs[i]);
                free(dirs[i]);
        }
        ck_assert_ptr_null(cg.v2_path);
        ck_assert_ptr_null(cg.v1_memory_path);
        ck_assert_int_eq(cg.v2_fd, -1);
        cgroup_job_destroy(&cg); /* twice is fine */
}
END_TEST

/* A job that made cgroups of its own below its job cgroup: destroy kills and removes them too. */
START_TEST(test_destroy_removes_nested)
{
        struct cgroup_job cg;
        char inner[PATH_MAX], buf[16];
        const char *top;
        int status;
        pid_t pid;

        ck_assert_int_eq(cgroup_job_create(&cg, &limits_32m_16, TAG "nested", NULL), 0);
        top = cg.v2_path ? cg.v2_path : cg.v1_memory_path;
        ck_assert_ptr_nonnull(top);
        snprintf(inner, sizeof(inner), "%s/inner", top);
        ck_assert_int_eq(mkdir(inner, 0755), 0);
        pid = spawn_in_job(&cg, sleeper);
        snprintf(buf, sizeof(buf), "%d", (int)pid);
        ck_assert_int_eq(cgroup_write(-1, inner, "cgroup.procs", buf), 0);
        cgroup_job_destroy(&cg);
        status = wait_status(pid);
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        ck_assert(!exists(inner));
}
END_TEST

START_TEST(test_bad_name)
{
        struct cgroup_job cg;
        rf_error err = { 0 };

        ck_assert_int_eq(cgroup_job_create(&cg, &limits_32m_16, "a/b", &err), -EINVAL);
        ck_assert_int_eq(err.code, -EINVAL);
        ck_assert_ptr_nonnull(strstr(err.msg, "a/b"));
        ck_assert_ptr_null(cg.v2_path);
        ck_assert_ptr_null(cg.v1_memory_path);
        ck_assert_int_eq(cgroup_job_create(&cg, &limits_32m_16, "", NULL), -EINVAL);
        cgroup_job_destroy(&cg);
}
END_TEST

START_TEST(test_destroy_zeroed)
{
        struct cgroup_job cg = { 0 };
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

        /* A zeroed job has v2_fd 0: destroy must not close fd 0. */
        if (fcntl(0, F_GETFD) < 0)
                ck_assert_int_eq(dup2(fd, 0), 0);
        cgroup_job_destroy(&cg);
        ck_assert_int_ge(fcntl(0, F_GETFD), 0);
        ck_assert_int_eq(cg.v2_fd, -1);
        close(fd);
}
END_TEST

/* v2 mechanics on the real cgroup2 mount, without controllers (which this host may lack):
 * mkdir, clone3 with CLONE_INTO_CGROUP, cgroup.kill, rmdir. */
START_TEST(test_v2_clone_into_and_kill)
{
        const struct cgroup_host *h = cgroup_host_get();
        struct cgroup_job cg = { .v2_fd = -1 };
        char leaf[64], want[PATH_MAX], line[PATH_MAX + 8];
        _cleanup_free_ char *path = NULL;
        FILE *f;
        int status;
        pid_t pid;

        snprintf(leaf, sizeof(leaf), "ringfence-%d-" TAG "v2", (int)getpid());
        ck_assert_int_eq(cgroup_v2_create(&cg, h->layout.v2_dir, leaf, 0, &limits_32m_16, NULL), 0);
        ck_assert_ptr_nonnull(cg.v2_path);
        ck_assert_int_ge(cg.v2_fd, 0);
        path = strdup(cg.v2_path);
        pid = spawn_in_job(&cg, sleeper);
        snprintf(line, sizeof(line), "/proc/%d/cgroup", (int)pid);
        f = fopen(line, "re");
        ck_assert_ptr_nonnull(f);
        snprintf(want, sizeof(want), "/%s\n", leaf);
        while (fgets(line, sizeof(line), f) && strncmp(line, "0::", 3) != 0)
                ;
        fclose(f);
        ck_assert_msg(strncmp(line, "0::", 3) == 0 && strlen(line) >= strlen(want) &&
                              strcmp(line + strlen(line) - strlen(want), want) == 0,
                      "child is in %s", line);
        cgroup_job_destroy(&cg);
        status = wait_status(pid);
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        ck_assert(!exists(path));
}
END_TEST

/* The kill loop used by v1 and by v2 before cgroup.kill (Linux 5.14). */
START_TEST(test_kill_procs)
{
        const struct cgroup_host *h = cgroup_host_get();
        struct cgroup_job cg = { .v2_fd = -1 };
        char leaf[64];
        pid_t pids[3];
        int status;

        snprintf(leaf, sizeof(leaf), "ringfence-%d-" TAG "kill", (int)getpid());
        ck_assert_int_eq(cgroup_v2_create(&cg, h->layout.v2_dir, leaf, 0, &limits_32m_16, NULL), 0);
        for (size_t i = 0; i < ARRAY_SIZE(pids); i++)
                pids[i] = spawn_in_job(&cg, sleeper);
        ck_assert_int_eq(cgroup_kill_procs(cg.v2_fd), 0);
        for (size_t i = 0; i < ARRAY_SIZE(pids); i++) {
                status = wait_status(pids[i]);
                ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        }
        ck_assert_int_eq(rmdir(cg.v2_path), 0);
        cgroup_job_destroy(&cg);
}
END_TEST

START_TEST(test_layout_hybrid)
{
        static const char pc[] = "9:name=systemd:/\n8:pids:/\n2:cpuacct:/\n"
                                 "4:memory:/process_api/7fce\n1:cpu:/\n0::/\n";
        static const char mi[] =
                "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
                "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
                "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
                "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
                "39 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n"
                "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
        struct cgroup_layout l;

        cgroup_layout_parse(pc, mi, &l);
        ck_assert_str_eq(l.v2_dir, "/sys/fs/cgroup/unified");
        ck_assert_str_eq(l.v1_dir[CGROUP_MEMORY], "/sys/fs/cgroup/memory/process_api/7fce");
        ck_assert_str_eq(l.v1_dir[CGROUP_PIDS], "/sys/fs/cgroup/pids");
        cgroup_layout_done(&l);
        ck_assert_ptr_null(l.v2_dir);
}
END_TEST

START_TEST(test_layout_pure_v2)
{
        static const char pc[] =
                "0::/user.slice/user-1000.slice/user@1000.service/app.slice/a.scope\n";
        static const char mi[] =
                "25 30 0:22 / /sys rw,nosuid shared:7 - sysfs sysfs rw\n"
                "26 25 0:23 / /sys/fs/cgroup rw,nosuid,nodev shared:9 master:2 - cgroup2 cgroup2 "
                "rw,nsdelegate,memory_recursiveprot\n";
        struct cgroup_layout l;

        cgroup_layout_parse(pc, mi, &l);
        ck_assert_str_eq(l.v2_dir, "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/"
                                   "app.slice/a.scope");
        ck_assert_ptr_null(l.v1_dir[CGROUP_MEMORY]);
        ck_assert_ptr_null(l.v1_dir[CGROUP_PIDS]);
        cgroup_layout_done(&l);
}
END_TEST

/* Mounts that show part of a hierarchy, read-only mounts, escapes, paths outside the mount. */
START_TEST(test_layout_edges)
{
        static const char pc[] = "0::/docker/abc/sub\n5:cpu,cpuacct:/x\n6:memory:/..\n"
                                 "7:pids:/elsewhere\n";
        static const char mi[] = "1 0 0:1 / /ro\\040v2 ro - cgroup2 cgroup2 rw\n"
                                 "2 0 0:2 /docker/abc /c\\040g rw - cgroup2 cgroup2 rw\n"
                                 "3 0 0:3 / /cg/cpu rw - cgroup cgroup rw,cpu,cpuacct\n"
                                 "4 0 0:4 / /cg/memory rw - cgroup cgroup rw,memory\n"
                                 "5 0 0:5 /docker /cg/pids rw - cgroup cgroup rw,pids\n";
        struct cgroup_layout l;

        cgroup_layout_parse(pc, mi, &l);
        ck_assert_str_eq(l.v2_dir, "/c g/sub");
        ck_assert_ptr_null(l.v1_dir[CGROUP_MEMORY]); /* "/..": outside our namespace */
        ck_assert_ptr_null(l.v1_dir[CGROUP_PIDS]);   /* not under the mount's root */
        cgroup_layout_done(&l);
        cgroup_layout_parse("0::/docker/abcdef\n", "2 0 0:2 /docker/abc /c rw - cgroup2 x rw\n",
                            &l);
        ck_assert_ptr_null(l.v2_dir); /* "/docker/abc" is no parent of "/docker/abcdef" */
        cgroup_layout_done(&l);
        cgroup_layout_parse("0::/docker/abc\n", "2 0 0:2 /docker/abc /c rw - cgroup2 x rw\n", &l);
        ck_assert_str_eq(l.v2_dir, "/c");
        cgroup_layout_done(&l);
}
END_TEST

START_TEST(test_keyed)
{
        static const char ev[] = "low 0\nhigh 0\nmax 5\noom 1\noom_kill 2\noom_group_kill 0\n";
        uint64_t v = 99;

        ck_assert_int_eq(cgroup_keyed_u64(ev, "oom_kill", &v), 0);
        ck_assert_uint_eq(v, 2);
        ck_assert_int_eq(cgroup_keyed_u64(ev, "oom", &v), 0);
        ck_assert_uint_eq(v, 1);
        ck_assert_int_eq(cgroup_keyed_u64(ev, "max", &v), 0);
        ck_assert_uint_eq(v, 5);
        ck_assert_int_eq(cgroup_keyed_u64(ev, "kill", &v), -ENOENT);
        ck_assert_int_eq(cgroup_keyed_u64("", "max", &v), -ENOENT);
}
END_TEST

static Suite *cgroup_suite(void)
{
        Suite *s = suite_create("sandbox_cgroup");
        TCase *parse = tcase_create("parse"), *limits = tcase_create("limits");
        TCase *life = tcase_create("lifecycle"), *v2 = tcase_create("v2");

        tcase_add_test(parse, test_backend_name);
        tcase_add_test(parse, test_layout_hybrid);
        tcase_add_test(parse, test_layout_pure_v2);
        tcase_add_test(parse, test_layout_edges);
        tcase_add_test(parse, test_keyed);
        tcase_add_test(limits, test_pids_limit);
        tcase_add_test(limits, test_memory_oom);
        tcase_add_test(limits, test_no_limits_reports_peak);
        tcase_add_test(life, test_destroy_kills_and_removes);
        tcase_add_test(life, test_destroy_removes_nested);
        tcase_add_test(life, test_bad_name);
        tcase_add_test(life, test_destroy_zeroed);
        tcase_add_test(v2, test_v2_clone_into_and_kill);
        tcase_add_test(v2, test_kill_procs);
        tcase_set_timeout(limits, 30);
        tcase_set_timeout(life, 30);
        tcase_set_timeout(v2, 30);
        suite_add_tcase(s, parse);
        suite_add_tcase(s, limits);
        suite_add_tcase(s, life);
        if (cgroup_host_get()->layout.v2_dir) /* no cgroup2 mount: nothing to test there */
                suite_add_tcase(s, v2);
        return s;
}

/* Why the real tests cannot run here, or NULL when they can (and so must pass). */
static const char *skip_reason(void)
{
        struct cgroup_job cg;
        bool none;
        int r = cgroup_job_create(&cg, &limits_32m_16, TAG "probe", NULL);

        none = r < 0 || (cg.memory_by == LIMIT_BY_NONE && cg.pids_by == LIMIT_BY_NONE);
        cgroup_job_destroy(&cg);
        if (!none)
                return NULL;
        if (geteuid() != 0)
                return "no writable cgroup (needs root or a delegated cgroup)";
        /* As root, a writable v1 hierarchy must work; v2 may be refused (other processes share
         * our cgroup), and a host may have neither. */
        if (expected_backend("memory") == LIMIT_BY_CGROUP_V1 ||
            expected_backend("pids") == LIMIT_BY_CGROUP_V1)
                return NULL;
        return "no writable cgroup (v2 not delegated to us, or no memory or pids controller)";
}

/* Remove job cgroups that a failed or timed-out test left behind in dir. */
static void remove_leftovers(const char *dir, bool v2)
{
        DIR *d = dir ? opendir(dir) : NULL;
        struct dirent *e;
        char path[PATH_MAX];

        while (d && (e = readdir(d)))
                if (strncmp(e->d_name, "ringfence-", 10) == 0 && strstr(e->d_name, "-" TAG) &&
                    cgroup_join(path, sizeof(path), dir, e->d_name) == 0) {
                        fprintf(stderr, "# removing leftover cgroup %s\n", path);
                        cgroup_remove(path, v2);
                }
        if (d)
                closedir(d);
}

int main(void)
{
        const struct cgroup_layout *l = &cgroup_host_get()->layout;
        const char *skip = skip_reason();
        int status;

        if (skip) {
                cgroup_host_release();
                printf("1..0 # SKIP %s\n", skip);
                return 0;
        }
        status = test_run_suite(cgroup_suite());
        remove_leftovers(l->v2_dir, true);
        for (int c = 0; c < _CGROUP_CTRL_MAX; c++)
                remove_leftovers(l->v1_dir[c], false);
        cgroup_host_release();
        return status;
}
