/* SPDX-License-Identifier: MIT */
/* The embedded default seccomp policy: an allow-list in the spirit of Docker's default profile;
 * anything else fails with EPERM and is reported. policies/default.policy is the same, as text. */
#include "config.h"

#include <errno.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/policy.h"

#define ORIGIN "default policy"

/* Allowed without conditions: Docker's default allow-list (moby/profiles seccomp/default.json,
 * the unconditional group) less what is refused below, plus arch_prctl (glibc sets up TLS with
 * it). Names that this architecture lacks (chown32, _llseek, ...) are kept so the list serves
 * every architecture; they never apply here. Left out on purpose: socketcall (on i386 it would
 * reach socket() past the family check below), clock_adjtime64 (sets the clock). */
/* clang-format off */
static const char *const allowed[] = {
        "_llseek", "_newselect", "accept", "accept4", "access", "alarm", "arch_prctl", "bind",
        "brk", "cachestat", "capget", "capset", "chdir", "chmod", "chown", "chown32",
        "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64",
        "clock_nanosleep", "clock_nanosleep_time64", "close", "close_range", "connect",
        "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1",
        "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
        "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat", "exit", "exit_group",
        "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate", "fanotify_mark",
        "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat", "fcntl",
        "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr",
        "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate",
        "ftruncate64", "futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv",
        "futex_wake", "futimesat", "get_robust_list", "get_thread_area", "getcpu", "getcwd",
        "getdents", "getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid",
        "getgid32", "getgroups", "getgroups32", "getitimer", "getpeername", "getpgid", "getpgrp",
        "getpid", "getppid", "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid",
        "getresuid32", "getrlimit", "getrusage", "getsid", "getsockname", "getsockopt", "gettid",
        "gettimeofday", "getuid", "getuid32", "getxattr", "inotify_add_watch", "inotify_init",
        "inotify_init1", "inotify_rm_watch", "io_cancel", "io_destroy", "io_getevents",
        "io_pgetevents", "io_pgetevents_time64", "io_setup", "io_submit", "ioprio_get",
        "ioprio_set", "ipc", "kill", "landlock_add_rule", "landlock_create_ruleset",
        "landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link", "linkat", "listen",
        "listxattr", "llistxattr", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64",
        "madvise", "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret", "mincore",
        "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mmap2",
        "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
        "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap",
        "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap",
        "nanosleep", "newfstatat", "open", "openat", "openat2", "pause", "pidfd_open",
        "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll",
        "ppoll", "ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
        "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev", "pwritev2",
        "read", "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg",
        "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "rename", "renameat",
        "renameat2", "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending",
        "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
        "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_get_priority_max",
        "sched_get_priority_min", "sched_getaffinity", "sched_getattr", "sched_getparam",
        "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
        "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler",
        "sched_yield", "select", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64",
        "send", "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "set_robust_list",
        "set_thread_area", "set_tid_address", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32",
        "setgid", "setgid32", "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority",
        "setregid", "setregid32", "setresgid", "setresgid32", "setresuid", "setresuid32",
        "setreuid", "setreuid32", "setrlimit", "setsid", "setsockopt", "setuid", "setuid32",
        "setxattr", "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd",
        "signalfd4", "sigprocmask", "sigreturn", "socketpair", "splice", "stat", "stat64",
        "statfs", "statfs64", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs",
        "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete", "timer_getoverrun",
        "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create",
        "timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "times",
        "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname", "unlink", "unlinkat",
        "utime", "utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4", "waitid",
        "waitpid", "write", "writev",
};
/* clang-format on */

/* Refused: each fails with EPERM and is reported, also when a policy changes the default action.
 * The comment says why. */
/* clang-format off */
static const char *const refused[] = {
        /* io_uring's operations never pass the seccomp filter (moby/moby#46762) */
        "io_uring_setup", "io_uring_enter", "io_uring_register",
        /* read and change other processes, their memory and their fds (ptrace bypassed seccomp
         * before Linux 4.8) */
        "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd",
        /* change the mount tree that the sandbox built */
        "mount", "umount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen",
        "fsconfig", "fsmount", "fspick", "mount_setattr",
        /* load programs into the kernel */
        "bpf",
        /* a large kernel attack surface, and it can watch other processes */
        "perf_event_open",
        /* lets a process stall the kernel at will, a staple of kernel exploits */
        "userfaultfd",
        /* kernel keyrings are not namespaced: keys would be shared between jobs and the host */
        "keyctl", "add_key", "request_key",
        /* replace the running kernel */
        "kexec_load", "kexec_file_load",
        /* load and unload kernel modules */
        "init_module", "finit_module", "delete_module",
        /* new namespaces inside the sandbox widen the kernel attack surface (clone's namespace
         * flags are refused below) */
        "unshare", "setns",
        /* host-wide process accounting */
        "acct",
        /* host-wide swap */
        "swapon", "swapoff",
        /* reboot or halt the machine */
        "reboot",
        /* set or slew the host's clocks (Docker refuses them without CAP_SYS_TIME) */
        "settimeofday", "clock_settime", "clock_settime64", "clock_adjtime", "clock_adjtime64",
        "adjtimex", "stime",
        /* read the kernel log: kernel addresses and other jobs' messages */
        "syslog",
        /* disk quotas are host-wide */
        "quotactl", "quotactl_fd",
        /* removed from Linux; nothing needs them */
        "nfsservctl", "create_module", "get_kernel_syms", "query_module", "uselib", "ustat",
        "sysfs", "_sysctl",
        /* exposes kernel pointers, for profilers only */
        "lookup_dcookie",
        /* hangs up the terminal */
        "vhangup",
        /* raw I/O port access */
        "iopl", "ioperm",
        /* open_by_handle_at opens any file of a mounted filesystem, past the sandbox's mount
         * tree (the "shocker" container escape); name_to_handle_at is its other half */
        "name_to_handle_at", "open_by_handle_at",
        /* watches whole filesystems, outside the sandbox too */
        "fanotify_init",
        /* virtual 8086 mode, i386 only (and foreign ABIs are killed anyway) */
        "vm86", "vm86old",
};
/* clang-format on */

/* clone's namespace flags. CLONE_NEWTIME (0x80) shares its bit with the exit signal in clone's
 * first argument, where a value of 128 or more is an invalid signal anyway. */
static const uint64_t clone_ns_flags[] = { CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWUTS,
                                           CLONE_NEWIPC, CLONE_NEWUSER,   CLONE_NEWPID,
                                           CLONE_NEWNET, CLONE_NEWTIME };

/* personality() values allowed, as Docker: PER_LINUX, PER_LINUX32, UNAME26, UNAME26|PER_LINUX32
 * and 0xffffffff (query only). Others (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE, ...) weaken the
 * process's own defences and fall to the default action. */
static const uint64_t personalities[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };

/* ioctl commands refused. The kernel reads the command as 32 bits, so they are compared on the
 * low 32 bits only: TIOCSTI | 1 << 32 must not pass (CVE-2019-10063). TIOCSTI pushes input into
 * the terminal (CVE-2017-5226); TIOCLINUX pastes the console selection. */
static const uint32_t ioctl_refused[] = { TIOCSTI, TIOCLINUX };

/* socket families refused: AF_ALG (38, the kernel's crypto API, a large attack surface) and
 * AF_VSOCK (40, not confined by the network namespace: it reaches the hypervisor's host). */
static const uint32_t socket_refused[] = { 38, 40 };

static int add(struct rf_policy *p, const char *name, enum policy_action action, int errno_val,
               const struct policy_arg_cond *conds, unsigned n_conds, rf_error *err)
{
        return policy_add_syscall_rule(p, name, action, errno_val, conds, n_conds, ORIGIN, ORIGIN,
                                       err);
}

static int report_if_masked(struct rf_policy *p, const char *name, unsigned arg, uint64_t mask,
                            uint64_t value, rf_error *err)
{
        struct policy_arg_cond c = { arg, POLICY_CMP_MASKED_EQ, mask, value };
        return add(p, name, POLICY_ACT_REPORT, EPERM, &c, 1, err);
}

static int allow_if_masked(struct rf_policy *p, const char *name, unsigned arg, uint64_t mask,
                           uint64_t value, rf_error *err)
{
        struct policy_arg_cond c = { arg, POLICY_CMP_MASKED_EQ, mask, value };
        return add(p, name, POLICY_ACT_ALLOW, 0, &c, 1, err);
}

/* Allow name when the low 32 bits of argument arg lie in the aligned block [start, start +
 * 2^size_bits) and are none of the refused values; the high 32 bits do not count, as the kernel
 * reads these arguments as 32-bit ints. libseccomp has no "not equal" on masked values and takes
 * one comparison per argument, so the block is split in halves until each part holds no refused
 * value; each part becomes one masked-equal rule. Rules that only allow cannot conflict, and what
 * they leave out falls to the default action. */
static int allow_block_except(struct rf_policy *p, const char *name, unsigned arg, uint64_t start,
                              unsigned size_bits, const uint32_t *refuse, size_t n_refuse,
                              rf_error *err)
{
        uint64_t size = 1ULL << size_bits;
        bool hit = false;
        int r;

        for (size_t i = 0; i < n_refuse; i++)
                hit |= refuse[i] >= start && refuse[i] < start + size;
        if (!hit)
                return allow_if_masked(p, name, arg, ~(size - 1) & 0xffffffffULL, start, err);
        if (size_bits == 0)
                return 0;
        r = allow_block_except(p, name, arg, start, size_bits - 1, refuse, n_refuse, err);
        if (r < 0)
                return r;
        return allow_block_except(p, name, arg, start + size / 2, size_bits - 1, refuse, n_refuse,
                                  err);
}

/* ioctl: allowed unless the command's low 32 bits are a refused one. The refused commands also
 * have rules of their own, so that they stay refused when a policy changes the default action. */
static int add_ioctl(struct rf_policy *p, rf_error *err)
{
        int r;

        for (size_t i = 0; i < ARRAY_SIZE(ioctl_refused); i++) {
                r = report_if_masked(p, "ioctl", 1, 0xffffffffULL, ioctl_refused[i], err);
                if (r < 0)
                        return r;
        }
        return allow_block_except(p, "ioctl", 1, 0, 32, ioctl_refused, ARRAY_SIZE(ioctl_refused),
                                  err);
}

/* socket: families 0 to 63 (AF_MAX is 46) except the refused ones; larger ones do not exist. */
static int add_socket(struct rf_policy *p, rf_error *err)
{
        int r;

        for (size_t i = 0; i < ARRAY_SIZE(socket_refused); i++) {
                r = report_if_masked(p, "socket", 0, 0xffffffffULL, socket_refused[i], err);
                if (r < 0)
                        return r;
        }
        return allow_block_except(p, "socket", 0, 0, 6, socket_refused, ARRAY_SIZE(socket_refused),
                                  err);
}

/* clone: allowed without namespace flags; each flag is also refused by its own rule so that it
 * stays refused when a policy changes the default action. */
static int add_clone(struct rf_policy *p, rf_error *err)
{
        uint64_t all = 0;
        int r;

        for (size_t i = 0; i < ARRAY_SIZE(clone_ns_flags); i++) {
                all |= clone_ns_flags[i];
                r = report_if_masked(p, "clone", 0, clone_ns_flags[i], clone_ns_flags[i], err);
                if (r < 0)
                        return r;
        }
        return allow_if_masked(p, "clone", 0, all, 0, err);
}

/* Add the default policy's seccomp rules and default action to p. */
int policy_default_seccomp(struct rf_policy *p, rf_error *err)
{
        int r = 0;

        p->seccomp.default_action = POLICY_ACT_REPORT;
        p->seccomp.default_errno = EPERM;
        for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(allowed); i++)
                r = add(p, allowed[i], POLICY_ACT_ALLOW, 0, NULL, 0, err);
        /* clone3's flags are in memory that seccomp cannot read: ENOSYS makes glibc fall back
         * to clone, whose flags the rules below check (Docker does the same). */
        if (r >= 0)
                r = add(p, "clone3", POLICY_ACT_ERRNO, ENOSYS, NULL, 0, err);
        for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(refused); i++)
                r = add(p, refused[i], POLICY_ACT_REPORT, EPERM, NULL, 0, err);
        if (r >= 0)
                r = add_clone(p, err);
        for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(personalities); i++) {
                struct policy_arg_cond c = { 0, POLICY_CMP_EQ, personalities[i], 0 };
                r = add(p, "personality", POLICY_ACT_ALLOW, 0, &c, 1, err);
        }
        if (r >= 0)
                r = add_ioctl(p, err);
        if (r >= 0)
                r = add_socket(p, err);
        /* seccomp: nested sandboxes may add filters, but not a listener that would let a job
         * answer its own system calls. */
        if (r >= 0)
                r = report_if_masked(p, "seccomp", 1, SECCOMP_FILTER_FLAG_NEW_LISTENER,
                                     SECCOMP_FILTER_FLAG_NEW_LISTENER, err);
        if (r >= 0)
                r = allow_if_masked(p, "seccomp", 1, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, err);
        return r;
}
