/* SPDX-License-Identifier: MIT */
/* Start a job: clone3 (CLONE_PIDFD, CLONE_VM on a stack of its own, the new namespaces), write
 * its id maps from the parent, and release it; and turn a child's (step, errno) into words. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/base.h"
#include "sandbox/child.h"
#include "sandbox/fault.h"
#include "sandbox/netns-pool.h"
#include "sandbox/sandbox.h"

static int write_proc_file(pid_t pid, const char *name, const char *text, rf_error *err)
{
        char path[64];
        _cleanup_close_ int fd = -1;
        size_t n = strlen(text);

        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, text, n) != (ssize_t)n)
                return rf_error_set(err, -errno, "write %s: %s", path, strerror(errno));
        return 0;
}

static int write_id_maps(const struct sandbox_plan *pl, pid_t pid, rf_error *err)
{
        int r;

        if (pl->rootless && (r = write_proc_file(pid, "setgroups", "deny", err)) < 0)
                return r;
        if ((r = write_proc_file(pid, "uid_map", pl->uid_map, err)) < 0)
                return r;
        return write_proc_file(pid, "gid_map", pl->gid_map, err);
}

static int clone_error(int e, rf_error *err)
{
        const char *hint = "";

        if (e == EPERM || e == ENOSPC || e == EUSERS)
                hint = " (are unprivileged user namespaces allowed? see "
                       "/proc/sys/user/max_user_namespaces and "
                       "kernel.apparmor_restrict_unprivileged_userns)";
        return rf_error_set(err, -e, "clone3 into new namespaces: %s%s", strerror(e), hint);
}

/* A plain spawn: the command itself, on its own stack in our memory, the parent suspended until
 * it has exec'd (CLONE_VFORK), as posix_spawn does; no init, no channel, no namespace. */
static int spawn_plain(struct sandbox_plan *pl, struct sandbox_proc *ret, rf_error *err)
{
        struct clone_args ca;
        sigset_t all, old;
        siginfo_t si;
        int pidfd = -1;
        long pid;

        memset(&ca, 0, sizeof(ca));
        ca.flags = CLONE_VM | CLONE_VFORK | CLONE_PIDFD;
        ca.pidfd = (uint64_t)(uintptr_t)&pidfd;
        ca.exit_signal = SIGCHLD;
        ca.stack = (uint64_t)(uintptr_t)pl->stack1;
        ca.stack_size = pl->stack_size;
        /* The child unblocks once it has reset the handlers it must not run in our memory. */
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        pid = child_clone3(&ca, child_plain, pl);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (pid < 0)
                return rf_error_set(err, pid, "clone3: %s", strerror((int)-pid));
        ret->pid = (pid_t)pid;
        ret->pidfd = pidfd;
        ret->chan = -1;
        if (!pl->exec_err)
                return 0;
        /* It could not exec and is exiting: reap it, and report its step and errno. */
        (void)sys_pidfd_wait(pidfd, &si, WEXITED, NULL);
        close(pidfd);
        ret->pidfd = -1;
        ret->failed = true;
        memset(&ret->error, 0, sizeof(ret->error));
        ret->error.type = CHILD_MSG_ERROR;
        ret->error.step = pl->exec_step;
        ret->error.err = pl->exec_err;
        ret->error.index = pl->exec_index;
        return 0;
}

/* Kill (SIGKILL) and reap a started job that is still ours; closes its fds. */
static void kill_and_reap(struct sandbox_proc *proc)
{
        siginfo_t si;

        if (proc->pidfd >= 0) {
                (void)sys_pidfd_send_signal(proc->pidfd, SIGKILL);
                (void)sys_pidfd_wait(proc->pidfd, &si, WEXITED, NULL);
                close(proc->pidfd);
        }
        if (proc->chan >= 0)
                close(proc->chan);
        proc->pidfd = proc->chan = -1;
}

int sandbox_spawn(struct sandbox_plan *pl, struct sandbox_proc *ret, rf_error *err)
{
        struct clone_args ca;
        sigset_t all, old;
        int sv[2], pidfd = -1, r;
        long pid;

        ret->failed = false;
        SANDBOX_FAULT_ARM();
        if (pl->plain)
                return spawn_plain(pl, ret, err);
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return rf_error_set(err, -errno, "socketpair: %s", strerror(errno));
        pl->chan_parent = sv[0];
        pl->chan = sv[1];
        memset(&ca, 0, sizeof(ca));
        ca.flags = CLONE_VM | CLONE_PIDFD | pl->clone_flags;
        ca.pidfd = (uint64_t)(uintptr_t)&pidfd;
        ca.exit_signal = SIGCHLD;
        ca.stack = (uint64_t)(uintptr_t)pl->stack1;
        ca.stack_size = pl->stack_size;
        /* A pooled network namespace: this thread goes there for the clone, so that the child
         * is born in it (its own user namespace could not join it: research/spawn-limit.md). */
        if (pl->netns_fd >= 0 && (r = netns_pool_enter(pl->netns_fd)) < 0) {
                close(sv[0]);
                close(sv[1]);
                return rf_error_set(err, r, "joining a pooled network namespace: %s", strerror(-r));
        }
        /* The init starts with every signal blocked and collects them with sigtimedwait. */
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        pid = child_clone3(&ca, child_init, pl);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (pl->netns_fd >= 0)
                netns_pool_leave();
        /* pl is shared with the child (CLONE_VM): leave its fields alone from here on. */
        close(sv[1]);
        if (pid < 0) {
                close(sv[0]);
                return clone_error((int)-pid, err);
        }
        ret->pid = (pid_t)pid;
        ret->pidfd = pidfd;
        ret->chan = sv[0];
        if (pl->userns && (r = write_id_maps(pl, ret->pid, err)) < 0)
                goto fail;
        if (send(sv[0], "g", 1, MSG_NOSIGNAL) != 1) {
                r = rf_error_set(err, -errno, "starting the job: %s", strerror(errno));
                goto fail;
        }
        return 0;
fail:
        kill_and_reap(ret);
        return r;
}

/* Each child step: its short name (in error messages, and RINGFENCE_FAULT_STEP in a build with
 * fault injection) and the words for what it does. */
static const struct {
        const char *id, *words;
} step_names[_STEP_MAX] = {
        [STEP_NONE] = { "none", "setup" },
        [STEP_SYNC] = { "sync", "waiting for the host" },
        [STEP_SETSID] = { "setsid", "setsid" },
        [STEP_MOUNT_PRIVATE] = { "mount-private", "making the mount tree private" },
        [STEP_OPEN_TREE] = { "open-tree", "mount" },
        [STEP_MOUNT_ROOT] = { "mount-root", "mount the new root" },
        [STEP_MKDIR] = { "mkdir", "mkdir" },
        [STEP_MKFILE] = { "mkfile", "create" },
        [STEP_SYMLINK] = { "symlink", "symlink" },
        [STEP_BIND] = { "bind", "mount" },
        [STEP_TMPFS] = { "tmpfs", "mount tmpfs" },
        [STEP_PROC] = { "proc", "mount /proc" },
        [STEP_HIDE] = { "hide", "hide" },
        [STEP_READONLY] = { "readonly", "remount read-only" },
        [STEP_PIVOT_ROOT] = { "pivot-root", "pivot_root" },
        [STEP_CHDIR] = { "chdir", "chdir" },
        [STEP_HOSTNAME] = { "hostname", "sethostname" },
        [STEP_LOOPBACK] = { "loopback", "bring up loopback" },
        [STEP_CLONE] = { "clone", "start the command" },
        [STEP_CGROUP] = { "cgroup", "enter the job's cgroup" },
        [STEP_SETGROUPS] = { "setgroups", "setgroups" },
        [STEP_SETGID] = { "setgid", "setresgid" },
        [STEP_SETUID] = { "setuid", "setresuid" },
        [STEP_CAPS] = { "caps", "drop capabilities" },
        [STEP_NO_NEW_PRIVS] = { "no-new-privs", "no_new_privs" },
        [STEP_RLIMIT] = { "rlimit", "setrlimit" },
        [STEP_STDIO] = { "stdio", "standard streams" },
        [STEP_FDS] = { "fds", "file descriptors" },
        [STEP_SECCOMP] = { "seccomp", "load seccomp filter" },
        [STEP_EXEC] = { "exec", "exec" },
};

const char *sandbox_step_id(int step)
{
        return step >= 0 && step < _STEP_MAX ? step_names[step].id : NULL;
}

/* Copy src into dst (size bytes) for a message a person reads on a terminal, where a hostile
 * command name must not send escape sequences: bytes below 0x20 and DEL become \xNN, a
 * backslash and a double quote get a backslash. Truncates; terminates when size > 0. */
static const char *printable(const char *src, char *dst, size_t size)
{
        static const char hex[] = "0123456789abcdef";
        size_t o = 0;

        for (const unsigned char *p = (const unsigned char *)src; *p && o + 5 < size; p++) {
                if (*p < 0x20 || *p == 0x7f) {
                        dst[o++] = '\\';
                        dst[o++] = 'x';
                        dst[o++] = hex[*p >> 4];
                        dst[o++] = hex[*p & 15];
                } else {
                        if (*p == '\\' || *p == '"')
                                dst[o++] = '\\';
                        dst[o++] = (char)*p;
                }
        }
        if (size)
                dst[o] = 0;
        return dst;
}

void sandbox_describe_error(const struct sandbox_plan *pl, const struct child_msg *m, char *buf,
                            size_t size)
{
        char safe[1024];

        int step = m->step >= 0 && m->step < _STEP_MAX ? m->step : STEP_NONE;
        const char *words = step_names[step].words;
        const char *e = strerror(m->err);
        const struct mount_step *s = NULL;

        if (m->index >= 0 && (size_t)m->index < pl->n_steps && step != STEP_EXEC)
                s = &pl->steps[m->index];
        if (step == STEP_EXEC)
                snprintf(buf, size, "exec \"%s\": %s", printable(pl->argv[0], safe, sizeof(safe)),
                         e);
        else if (step == STEP_CHDIR)
                snprintf(buf, size, "chdir \"%s\": %s", printable(pl->cwd, safe, sizeof(safe)), e);
        else if (s && s->what)
                snprintf(buf, size, "could not set up the sandbox at step \"%s\" (%s %s): %s",
                         sandbox_step_id(step), words, printable(s->what, safe, sizeof(safe)), e);
        else if (s)
                snprintf(buf, size, "could not set up the sandbox at step \"%s\" (%s /%s): %s",
                         sandbox_step_id(step), words, printable(s->dst, safe, sizeof(safe)), e);
        else
                snprintf(buf, size, "could not set up the sandbox at step \"%s\" (%s): %s",
                         sandbox_step_id(step), words, e);
        if (m->err == ENOSYS && step != STEP_EXEC) {
                /* Never run with less confinement than asked: say what the kernel lacks. */
                size_t n = strlen(buf);
                snprintf(buf + n, size - n,
                         " (this kernel lacks a system call the sandbox needs for this step; "
                         "ringfence needs Linux 5.12 or later)");
        }
}
