/* SPDX-License-Identifier: MIT */
/* The job's side of the spawn, between clone3 and execve: the init (pid 1 of the job's pid
 * namespace) sets up the namespaces it owns, starts the command, then reaps and forwards signals;
 * the command's own steps drop every privilege and load seccomp last. Raw system calls only. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "sandbox/child.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif

/* A full kernel signal set (64 signals), for rt_sigprocmask and rt_sigtimedwait. */
static const unsigned long all_signals = ~0UL;
static const unsigned long no_signals = 0UL;

static CHILD_CODE size_t child_strlen(const char *s)
{
        size_t n = 0;
        /* The empty asm keeps GCC from turning the loop into a call to libc's strlen, which
         * a sanitizer intercepts (ThreadSanitizer then logs the child's read as the host's). */
        while (s[n]) {
                __asm__("" : "+r"(n));
                n++;
        }
        return n;
}

static CHILD_CODE void child_send(struct sandbox_plan *pl, struct child_msg *m, int fd_to_pass)
{
        struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

        if (fd_to_pass >= 0) {
                struct cmsghdr *c = (struct cmsghdr *)u.buf;
                msg.msg_control = u.buf;
                msg.msg_controllen = sizeof(u.buf);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                __builtin_memcpy(CMSG_DATA(c), &fd_to_pass, sizeof(int));
        }
        (void)RSYS(SYS_sendmsg, pl->chan, &msg, MSG_NOSIGNAL);
}

static CHILD_CODE _Noreturn void child_fail(struct sandbox_plan *pl, int step, long err, int index)
{
        struct child_msg m = { .type = CHILD_MSG_ERROR,
                               .step = step,
                               .err = (int)-err,
                               .index = index };
        child_send(pl, &m, -1);
        for (;;)
                (void)RSYS(SYS_exit_group, 125);
}

/* Bring the loopback interface of the job's own network namespace up. */
static CHILD_CODE long child_loopback_up(void)
{
        struct ifreq ifr;
        long fd, r;

        __builtin_memset(&ifr, 0, sizeof(ifr));
        __builtin_memcpy(ifr.ifr_name, "lo", 3);
        fd = RSYS(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return fd;
        r = RSYS(SYS_ioctl, fd, SIOCGIFFLAGS, &ifr);
        if (r == 0) {
                ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
                r = RSYS(SYS_ioctl, fd, SIOCSIFFLAGS, &ifr);
        }
        (void)RSYS(SYS_close, fd);
        return r;
}

/* Drop the ambient and all remaining capabilities (the bounding set is already empty). */
static CHILD_CODE long child_drop_caps(void)
{
        struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct data[2];
        long r;

        r = RSYS(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        if (r < 0 && r != -EINVAL)
                return r;
        __builtin_memset(data, 0, sizeof(data));
        return RSYS(SYS_capset, &hdr, data);
}

/* Make exactly the fds the plan passes on survive exec: 0-2 and keep_fds; mark the rest
 * close-on-exec (the fd table is shared with the init, which does not exec). */
static CHILD_CODE long child_fds(const struct sandbox_plan *pl)
{
        unsigned lo = 3;
        long r;

        if ((r = child_stdio(pl)) < 0)
                return r;
        for (size_t i = 0; i < pl->n_keep_fds; i++) {
                unsigned fd = (unsigned)pl->keep_fds[i];
                if (fd > lo) {
                        r = RSYS(SYS_close_range, lo, fd - 1, CLOSE_RANGE_CLOEXEC);
                        if (r < 0)
                                return r;
                }
                r = RSYS(SYS_fcntl, fd, F_SETFD, 0);
                if (r < 0)
                        return r;
                lo = fd + 1;
        }
        return RSYS(SYS_close_range, lo, ~0U, CLOSE_RANGE_CLOEXEC);
}

/* Enter the job's cgroup (each hierarchy's cgroup.procs the plan opened). */
static CHILD_CODE long child_enter_cgroup(const struct sandbox_plan *pl)
{
        long r;

        for (int i = 0; i < 3; i++)
                if (pl->cgroup_procs[i] >= 0 &&
                    (r = RSYS(SYS_write, pl->cgroup_procs[i], "0", 1)) < 0)
                        return r;
        return 0;
}

/* Make the command the OOM killer's first choice: never the init, which shares the host's
 * memory. Raising the score needs no privilege. */
static CHILD_CODE void child_oom_first(void)
{
        long fd = RSYS(SYS_openat, AT_FDCWD, "/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

        if (fd >= 0) {
                (void)RSYS(SYS_write, fd, "1000", 4);
                (void)RSYS(SYS_close, fd);
        }
}

/* Empty the capability bounding set. */
static CHILD_CODE long child_drop_bounding(const struct sandbox_plan *pl)
{
        long r;

        for (int cap = 0; cap <= pl->cap_last; cap++)
                if ((r = RSYS(SYS_prctl, PR_CAPBSET_DROP, cap, 0, 0, 0)) < 0 && r != -EINVAL)
                        return r;
        return 0;
}

/* Load the plan's filter with a listener the host gets; where none can be installed (already
 * under a listener, nested, or no support), the filter that kills, and a note to report it. */
static CHILD_CODE long child_seccomp(struct sandbox_plan *pl)
{
        long r;

        if (!pl->bpf_notify)
                return 0;
        r = RSYS(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
                 pl->bpf_notify);
        if (r >= 0) {
                pl->listener_fd = (int)r;
                return 0;
        }
        pl->seccomp_fallback = 1;
        return RSYS(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, pl->bpf_kill);
}

/* The command's steps, in the order the kernel needs them; runs on stack2, sharing the init's
 * memory and fd table (CLONE_VM | CLONE_VFORK | CLONE_FILES) until execve. */
static CHILD_CODE int child_command(void *arg)
{
        struct sandbox_plan *pl = arg;
        int step;
        long r;

        CHILD_STEP(STEP_CGROUP, child_enter_cgroup(pl));
        child_oom_first();
        /* A process group of its own, as a shell gives a foreground job: the signals the host
         * forwards reach the command and what it started, as Ctrl-C at a terminal would. */
        (void)RSYS(SYS_setpgid, 0, 0);
        child_default_signals(false);
        CHILD_STEP(STEP_SETGROUPS, pl->drop_groups ? RSYS(SYS_setgroups, 0, 0) : 0);
        CHILD_STEP(STEP_SETGID, RSYS(SYS_setresgid, pl->gid, pl->gid, pl->gid));
        /* The bounding set needs CAP_SETPCAP, so before setresuid. */
        CHILD_STEP(STEP_CAPS, child_drop_bounding(pl));
        CHILD_STEP(STEP_SETUID, RSYS(SYS_setresuid, pl->uid, pl->uid, pl->uid));
        CHILD_STEP(STEP_CAPS, child_drop_caps());
        CHILD_STEP(STEP_NO_NEW_PRIVS, RSYS(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
        CHILD_STEP(STEP_RLIMIT, child_rlimits(pl));
        CHILD_STEP(STEP_FDS, child_fds(pl));
        /* Unblock signals before the filter: calls after it reach the host only once the
         * command has exec'd (exec-gate.c lets that execve and exit through). */
        (void)RSYS(SYS_rt_sigprocmask, SIG_SETMASK, &no_signals, 0, 8);
        CHILD_STEP(STEP_SECCOMP, child_seccomp(pl));
        CHILD_STEP(STEP_EXEC, child_exec(pl));
fail:
        return child_command_failed(pl, step, r);
}

CHILD_CODE int child_command_failed(struct sandbox_plan *pl, int step, long r)
{
        pl->exec_step = step;
        pl->exec_err = (int)-r;
        return 127;
}

CHILD_CODE long child_stdio(const struct sandbox_plan *pl)
{
        long r;

        for (int i = 0; i < 3; i++)
                if (pl->stdio[i] >= 0 && pl->stdio[i] != i &&
                    (r = RSYS(SYS_dup3, pl->stdio[i], i, 0)) < 0)
                        return r;
        return 0;
}

CHILD_CODE long child_rlimits(const struct sandbox_plan *pl)
{
        long r;

        /* clang-format off */
        for (size_t i = 0; i < pl->n_rlimits; i++)
                if ((r = RSYS(SYS_prlimit64, 0, pl->rlimits[i].resource, &pl->rlimits[i].lim,
                              0)) < 0)
                        return r;
        /* clang-format on */
        return 0;
}

CHILD_CODE void child_default_signals(bool keep_ignored)
{
        /* The kernel's struct sigaction, as rt_sigaction takes it with an 8-byte mask. */
        struct ksigaction {
                void *handler;
                unsigned long flags;
                void *restorer;
                unsigned long mask;
        };
        static const struct ksigaction dfl = { SIG_DFL, 0, 0, 0 };

        for (int sig = 1; sig < 65; sig++) {
                struct ksigaction old;
                if (sig == SIGKILL || sig == SIGSTOP)
                        continue;
                /* On success the kernel filled old (behind RSYS's asm, unseen by the analyzer). */
                /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
                if (keep_ignored && (RSYS(SYS_rt_sigaction, sig, 0, &old, 8) != 0 ||
                                     old.handler == SIG_DFL || old.handler == SIG_IGN))
                        continue;
                (void)RSYS(SYS_rt_sigaction, sig, &dfl, 0, 8);
        }
}

/* execve the command over its candidate paths (prepared by the plan), as execvp: a file that
 * exists but fails is remembered, missing ones are passed over. Returns only on failure: -errno,
 * with pl->exec_index naming the path it is about. */
CHILD_CODE long child_exec(struct sandbox_plan *pl)
{
        long r = -ENOENT;

        pl->exec_index = 0;
        for (int i = 0; pl->exec_paths[i]; i++) {
                long e = RSYS(SYS_execve, pl->exec_paths[i], pl->argv, pl->envp);
                if (r == -ENOENT || (e != -ENOENT && e != -ENOTDIR)) {
                        r = e;
                        pl->exec_index = i;
                }
        }
        return r;
}

/* After the command started: reap every child, forward signals to the command's process group,
 * and report its end to the host. When the init exits, the kernel kills what is left of the
 * namespace. */
static CHILD_CODE _Noreturn void child_reap_loop(struct sandbox_plan *pl, long cmd)
{
        struct child_msg m = { .type = CHILD_MSG_EXITED };

        for (;;) {
                struct {
                        int signo, errno_, code, pad[29];
                } info;
                long sig = RSYS(SYS_rt_sigtimedwait, &all_signals, &info, 0, 8);

                if (sig == SIGCHLD || sig < 0) {
                        int status;
                        struct rusage ru;
                        long p;
                        while ((p = RSYS(SYS_wait4, -1, &status, WNOHANG | __WALL, &ru)) > 0)
                                if (p == cmd) {
                                        /* wait4 filled status: a kernel write behind RSYS's
                                         * asm, which the analyzer does not see. */
                                        // NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign)
                                        m.status = status;
                                        m.ru = ru;
                                        child_send(pl, &m, -1);
                                        for (;;)
                                                (void)RSYS(SYS_exit_group, 0);
                                }
                        if (p == -ECHILD)
                                for (;;)
                                        (void)RSYS(SYS_exit_group, 0);
                } else if (RSYS(SYS_kill, -cmd, sig) < 0) {
                        /* The command's group is gone (it moved itself): the command alone. */
                        (void)RSYS(SYS_kill, cmd, sig);
                }
        }
}

/* Wait until the host has written our id maps and cgroup and lets us go. */
static CHILD_CODE long child_wait_host(const struct sandbox_plan *pl)
{
        char go;
        long r = RSYS(SYS_read, pl->chan, &go, 1);

        return r == 1 ? 0 : r < 0 ? r : -EPIPE;
}

/* Die with the host. Set only now: a change of uid clears the death signal. If the host died
 * already, its end of the channel is closed: go too. */
static CHILD_CODE long child_die_with_host(const struct sandbox_plan *pl)
{
        struct pollfd pfd = { .fd = pl->chan, .events = POLLRDHUP };

        (void)RSYS(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        return RSYS(SYS_poll, &pfd, 1, 0) != 0 ? -EPIPE : 0;
}

static CHILD_CODE long child_sethostname(const struct sandbox_plan *pl)
{
        return RSYS(SYS_sethostname, pl->hostname, child_strlen(pl->hostname));
}

/* Start the command on stack2, in our memory and fd table; we wait until it has exec'd or
 * failed (CLONE_VFORK). Returns its pid or -errno. */
static CHILD_CODE long child_start_command(struct sandbox_plan *pl)
{
        struct clone_args ca;

        __builtin_memset(&ca, 0, sizeof(ca));
        ca.flags = CLONE_VM | CLONE_VFORK | CLONE_FILES;
        ca.exit_signal = SIGCHLD;
        ca.stack = (unsigned long)pl->stack2;
        ca.stack_size = pl->stack_size;
        return child_clone3(&ca, child_command, pl);
}

/* Whether the command exec'd: if not, reap it and return its -errno, with *step and *index
 * saying where it failed. */
static CHILD_CODE long child_command_result(struct sandbox_plan *pl, long cmd, int *step,
                                            int *index)
{
        int status;

        if (!pl->exec_err)
                return 0;
        (void)RSYS(SYS_wait4, cmd, &status, __WALL, 0);
        *step = pl->exec_step;
        *index = pl->exec_index;
        return -pl->exec_err;
}

/* Tell the host the command runs, passing it the seccomp listener; then keep only the channel:
 * what the host had open when we were cloned (say, the pipes of a job that another thread was
 * spawning) must not stay open for as long as we live. */
static CHILD_CODE void child_report_started(struct sandbox_plan *pl)
{
        struct child_msg m;

        __builtin_memset(&m, 0, sizeof(m));
        m.type = CHILD_MSG_STARTED;
        m.fallback = pl->seccomp_fallback;
        child_send(pl, &m, pl->listener_fd);
        if (pl->listener_fd >= 0)
                (void)RSYS(SYS_close, pl->listener_fd);
        if (pl->chan > 0)
                (void)RSYS(SYS_close_range, 0, pl->chan - 1, 0);
        (void)RSYS(SYS_close_range, pl->chan + 1, ~0U, 0);
}

CHILD_CODE int child_init(void *arg)
{
        struct sandbox_plan *pl = arg;
        int step = STEP_SYNC, index = -1;
        long r, cmd;

        (void)RSYS(SYS_close, pl->chan_parent);
        /* Step "sync" twice: wait for the host to write our id maps, then check it is still there
         * (the fault hook is at the second: failing before the read fails the host's writes). */
        if ((r = child_wait_host(pl)) < 0)
                goto fail;
        CHILD_STEP(STEP_SETSID, RSYS0(SYS_setsid));
        /* Take the job's mapped ids now, keeping our capabilities in the new user namespace, so
         * that what we create (the new root's directories) has an owner there. */
        if (pl->userns) {
                CHILD_STEP(STEP_SETGROUPS, pl->drop_groups ? RSYS(SYS_setgroups, 0, 0) : 0);
                CHILD_STEP(STEP_SETGID, RSYS(SYS_setresgid, pl->gid, pl->gid, pl->gid));
                CHILD_STEP(STEP_SETUID, RSYS(SYS_setresuid, pl->uid, pl->uid, pl->uid));
        }
        CHILD_STEP(STEP_SYNC, child_die_with_host(pl));
        if ((pl->clone_flags & CLONE_NEWNS) && (r = child_mount_setup(pl, &step, &index)) < 0)
                goto fail;
        CHILD_STEP(STEP_CHDIR, pl->cwd ? RSYS(SYS_chdir, pl->cwd) : 0);
        CHILD_STEP(STEP_HOSTNAME, pl->clone_flags & CLONE_NEWUTS ? child_sethostname(pl) : 0);
        CHILD_STEP(STEP_LOOPBACK, pl->loopback_up ? child_loopback_up() : 0);
        CHILD_STEP(STEP_CLONE, cmd = child_start_command(pl));
        if ((r = child_command_result(pl, cmd, &step, &index)) < 0)
                goto fail;
        child_report_started(pl);
        child_reap_loop(pl, cmd);
fail:
        child_fail(pl, step, r, index);
}
