/* SPDX-License-Identifier: MIT */
/* The names the policy language knows besides settings: named groups of system calls
 * (`seccomp.allow = @file-system`), in the spirit of systemd's, and the constants that argument
 * conditions may use (`socket: arg0 == AF_UNIX`). Listed by `ringfence policy groups`. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "policy/policy.h"

#define G(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Each group names system calls, or other groups by their @name. Names that this architecture
 * or this libseccomp lacks are skipped when a group is used, so one table serves all. Groups of
 * calls the default policy refuses say so in their description. */
/* clang-format off */
static const struct policy_group groups[] = {
        { "@aio", "asynchronous I/O (not io_uring: see @io-uring)",
          G("io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
            "io_setup", "io_submit") },
        { "@basic-io", "read, write, seek and close open files",
          G("_llseek", "close", "close_range", "dup", "dup2", "dup3", "lseek", "pread64",
            "preadv", "preadv2", "pwrite64", "pwritev", "pwritev2", "read", "readv", "write",
            "writev") },
        { "@chown", "change the owner of files",
          G("chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32") },
        { "@clock", "set the host's clocks (refused by the default policy)",
          G("adjtimex", "clock_adjtime", "clock_adjtime64", "clock_settime", "clock_settime64",
            "settimeofday", "stime") },
        { "@credentials", "read the process's user, group and capability ids",
          G("capget", "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32",
            "getgroups", "getgroups32", "getresgid", "getresgid32", "getresuid", "getresuid32",
            "getuid", "getuid32") },
        { "@debug", "trace and inspect other processes (refused by the default policy)",
          G("lookup_dcookie", "perf_event_open", "pidfd_getfd", "process_vm_readv",
            "process_vm_writev", "ptrace") },
        { "@file-system", "open, inspect, create, rename and remove files and directories",
          G("access", "chdir", "chmod", "creat", "faccessat", "faccessat2", "fallocate",
            "fchdir", "fchmod", "fchmodat", "fchmodat2", "fcntl", "fcntl64", "fstat", "fstat64",
            "fstatat64", "fstatfs", "fstatfs64", "ftruncate", "ftruncate64", "futimesat",
            "getcwd", "getdents", "getdents64", "inotify_add_watch", "inotify_init",
            "inotify_init1", "inotify_rm_watch", "link", "linkat", "lstat", "lstat64", "mkdir",
            "mkdirat", "newfstatat", "open", "openat", "openat2", "readlink", "readlinkat",
            "rename", "renameat", "renameat2", "rmdir", "stat", "stat64", "statfs", "statfs64",
            "statx", "symlink", "symlinkat", "truncate", "truncate64", "umask", "unlink",
            "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes") },
        { "@io-event", "wait for file descriptors to become ready",
          G("_newselect", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old",
            "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
            "poll", "ppoll", "ppoll_time64", "pselect6", "pselect6_time64", "select") },
        { "@io-uring", "io_uring, whose operations bypass seccomp (refused by the default policy)",
          G("io_uring_enter", "io_uring_register", "io_uring_setup") },
        { "@ipc", "pipes, System V and POSIX message queues, semaphores and shared memory",
          G("ipc", "memfd_create", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
            "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink",
            "msgctl", "msgget", "msgrcv", "msgsnd", "pipe", "pipe2", "semctl", "semget", "semop",
            "semtimedop", "semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget") },
        { "@keyring", "kernel keyrings, not namespaced (refused by the default policy)",
          G("add_key", "keyctl", "request_key") },
        { "@memory", "map, protect and release memory",
          G("brk", "madvise", "membarrier", "mincore", "mlock", "mlock2", "mlockall", "mmap",
            "mmap2", "mprotect", "mremap", "msync", "munlock", "munlockall", "munmap",
            "pkey_alloc", "pkey_free", "pkey_mprotect") },
        { "@module", "load and unload kernel modules (refused by the default policy)",
          G("delete_module", "finit_module", "init_module") },
        { "@mount", "change the mount tree (refused by the default policy)",
          G("fsconfig", "fsmount", "fsopen", "fspick", "mount", "mount_setattr", "move_mount",
            "open_tree", "pivot_root", "umount", "umount2") },
        { "@network-io", "sockets: create, connect, listen, send and receive",
          G("accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt",
            "listen", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "send",
            "sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown", "socket", "socketpair") },
        { "@obsolete", "calls removed from Linux or unused (refused by the default policy)",
          G("_sysctl", "create_module", "get_kernel_syms", "nfsservctl", "query_module",
            "sysfs", "uselib", "ustat", "vm86", "vm86old") },
        { "@process", "start, wait for and end processes and threads",
          G("arch_prctl", "clone", "clone3", "execve", "execveat", "exit", "exit_group", "fork",
            "getpgid", "getpgrp", "getpid", "getppid", "getrusage", "getsid", "gettid", "kill",
            "pidfd_open", "pidfd_send_signal", "prctl", "set_tid_address", "setpgid", "setsid",
            "tgkill", "times", "tkill", "vfork", "wait4", "waitid", "waitpid") },
        { "@raw-io", "raw I/O ports (refused by the default policy)",
          G("ioperm", "iopl") },
        { "@reboot", "reboot the host or replace its kernel (refused by the default policy)",
          G("kexec_file_load", "kexec_load", "reboot") },
        { "@resources", "read and change resource limits and scheduling",
          G("getpriority", "getrlimit", "ioprio_get", "ioprio_set", "prlimit64",
            "sched_get_priority_max", "sched_get_priority_min", "sched_getaffinity",
            "sched_getattr", "sched_getparam", "sched_getscheduler", "sched_rr_get_interval",
            "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr",
            "sched_setparam", "sched_setscheduler", "setpriority", "setrlimit", "ugetrlimit") },
        { "@setuid", "change user and group ids",
          G("setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
            "setgroups", "setgroups32", "setregid", "setregid32", "setresgid", "setresgid32",
            "setresuid", "setresuid32", "setreuid", "setreuid32", "setuid", "setuid32") },
        { "@signal", "signal handlers, masks and waiting for signals",
          G("pause", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo",
            "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64",
            "rt_tgsigqueueinfo", "sigaltstack", "signalfd", "signalfd4", "sigprocmask",
            "sigreturn") },
        { "@swap", "host-wide swap (refused by the default policy)", G("swapoff", "swapon") },
        { "@sync", "flush files to disk",
          G("fdatasync", "fsync", "msync", "sync", "sync_file_range", "syncfs") },
        { "@system-info", "the host's name, load, and random numbers",
          G("getcpu", "getrandom", "sysinfo", "uname") },
        { "@thread", "thread set-up and synchronisation",
          G("futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv", "futex_wake",
            "get_robust_list", "get_thread_area", "rseq", "sched_yield", "set_robust_list",
            "set_thread_area") },
        { "@time", "read the clocks and sleep",
          G("alarm", "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64",
            "clock_nanosleep", "clock_nanosleep_time64", "getitimer", "gettimeofday",
            "nanosleep", "setitimer", "time", "timer_create", "timer_delete",
            "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
            "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
            "timerfd_settime", "timerfd_settime64") },
        { "@xattr", "extended attributes of files",
          G("fgetxattr", "flistxattr", "fremovexattr", "fsetxattr", "getxattr", "lgetxattr",
            "listxattr", "llistxattr", "lremovexattr", "lsetxattr", "removexattr", "setxattr") },
        /* What almost every dynamically linked program needs to start, allocate, read and
         * write its stdio and exit: a base for small allow-lists. */
        { "@basic-runtime", "what a program needs to start, use memory, do stdio and exit",
          G("@basic-io", "@memory", "@signal", "@thread", "access", "arch_prctl", "execve",
            "exit", "exit_group", "faccessat", "faccessat2", "fcntl", "fstat", "fstatfs",
            "getrandom", "getpid", "gettid", "ioctl", "newfstatat", "open", "openat",
            "prlimit64", "readlink", "readlinkat", "set_tid_address", "stat", "statx", "uname",
            "clock_gettime", "clock_getres", "gettimeofday", "time") },
};
/* clang-format on */

/* The i-th group, or NULL past the last. */
const struct policy_group *policy_group_at(size_t i)
{
        return i < ARRAY_SIZE(groups) ? &groups[i] : NULL;
}

/* The group called name ("@file-system"), or NULL. */
const struct policy_group *policy_group_find(const char *name)
{
        for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
                if (!strcmp(groups[i].name, name))
                        return &groups[i];
        return NULL;
}

static bool strv_has(const struct strv *sv, const char *s)
{
        for (size_t i = 0; i < sv->n; i++)
                if (!strcmp(sv->v[i], s))
                        return true;
        return false;
}

static void expand(const struct policy_group *g, struct strv *out, unsigned depth)
{
        for (const char *const *m = g->members; *m; m++) {
                if (**m == '@') {
                        const struct policy_group *sub = policy_group_find(*m);
                        if (sub && depth < 8)
                                expand(sub, out, depth + 1);
                } else if (!strv_has(out, *m) &&
                           seccomp_syscall_resolve_name(*m) != __NR_SCMP_ERROR) {
                        strv_push(out, *m);
                }
        }
}

/* Append g's system calls that libseccomp knows to out, nested groups expanded, each once. */
void policy_group_expand(const struct policy_group *g, struct strv *out)
{
        expand(g, out, 0);
}

/* ---- constants ---------------------------------------------------------------------------- */

/* clang-format off */
#define C(name) { #name, (uint64_t)(name) }

/* The names argument conditions may use, with this architecture's values. */
static const struct {
        const char *name;
        uint64_t value;
} constants[] = {
        /* socket families */
        C(AF_UNSPEC), C(AF_UNIX), C(AF_LOCAL), C(AF_INET), C(AF_INET6), C(AF_NETLINK),
        C(AF_PACKET), C(AF_KEY), C(AF_BLUETOOTH), C(AF_CAN), C(AF_TIPC), C(AF_ALG), C(AF_VSOCK),
        C(AF_XDP), C(AF_RDS), C(AF_APPLETALK), C(AF_X25), C(AF_AX25), C(AF_IPX),
        /* socket types and their flags */
        C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_SEQPACKET), C(SOCK_RDM),
        C(SOCK_NONBLOCK), C(SOCK_CLOEXEC),
        /* terminal and file ioctls */
        C(TCGETS), C(TCSETS), C(TCSETSW), C(TCSETSF), C(TCGETA), C(TCSETA), C(TCSETAW),
        C(TCSETAF), C(TCSBRK), C(TCXONC), C(TCFLSH), C(TIOCEXCL), C(TIOCNXCL), C(TIOCSCTTY),
        C(TIOCGPGRP), C(TIOCSPGRP), C(TIOCOUTQ), C(TIOCSTI), C(TIOCGWINSZ), C(TIOCSWINSZ),
        C(TIOCMGET), C(TIOCMSET), C(TIOCINQ), C(TIOCLINUX), C(TIOCCONS), C(TIOCNOTTY),
        C(TIOCSETD), C(TIOCGETD), C(TIOCGSID), C(TIOCGPTN), C(TIOCSPTLCK), C(TIOCSBRK),
        C(TIOCCBRK), C(FIONREAD), C(FIONBIO), C(FIOCLEX), C(FIONCLEX), C(FIOASYNC),
#ifdef TIOCGPTPEER
        C(TIOCGPTPEER),
#endif
        /* clone flags */
        C(CLONE_VM), C(CLONE_FS), C(CLONE_FILES), C(CLONE_SIGHAND), C(CLONE_PIDFD),
        C(CLONE_PTRACE), C(CLONE_VFORK), C(CLONE_PARENT), C(CLONE_THREAD), C(CLONE_NEWNS),
        C(CLONE_SYSVSEM), C(CLONE_SETTLS), C(CLONE_PARENT_SETTID), C(CLONE_CHILD_CLEARTID),
        C(CLONE_DETACHED), C(CLONE_UNTRACED), C(CLONE_CHILD_SETTID), C(CLONE_NEWCGROUP),
        C(CLONE_NEWUTS), C(CLONE_NEWIPC), C(CLONE_NEWUSER), C(CLONE_NEWPID), C(CLONE_NEWNET),
        C(CLONE_IO), C(CLONE_NEWTIME),
        /* open flags */
        C(O_RDONLY), C(O_WRONLY), C(O_RDWR), C(O_ACCMODE), C(O_CREAT), C(O_EXCL), C(O_NOCTTY),
        C(O_TRUNC), C(O_APPEND), C(O_NONBLOCK), C(O_DSYNC), C(O_SYNC), C(O_DIRECTORY),
        C(O_NOFOLLOW), C(O_CLOEXEC), C(O_DIRECT), C(O_NOATIME), C(O_PATH), C(O_TMPFILE),
        C(O_ASYNC),
        /* memory protection and mapping */
        C(PROT_NONE), C(PROT_READ), C(PROT_WRITE), C(PROT_EXEC), C(PROT_GROWSDOWN),
        C(PROT_GROWSUP), C(MAP_SHARED), C(MAP_PRIVATE), C(MAP_FIXED), C(MAP_ANONYMOUS),
        C(MAP_GROWSDOWN), C(MAP_NORESERVE), C(MAP_POPULATE), C(MAP_STACK),
        C(MAP_FIXED_NOREPLACE),
};
/* clang-format on */

/* The value of the constant called name; 0 when found, -ENOENT when not. */
int policy_constant(const char *name, size_t len, uint64_t *ret)
{
        for (size_t i = 0; i < ARRAY_SIZE(constants); i++)
                if (strlen(constants[i].name) == len && !strncmp(constants[i].name, name, len)) {
                        *ret = constants[i].value;
                        return 0;
                }
        return -ENOENT;
}
