/* SPDX-License-Identifier: MIT */
/* Attempts one system call named on the command line, the way a hostile job would, and prints
 * "NAME: OK" or "NAME: ERRNO-NAME": one binary, many cases (after bubblewrap's try-syscall.c).
 * Exit status 0 when the call was made (whatever it answered), 2 for an unknown name. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

static long r_clone_flags(unsigned long flags)
{
        long r = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
        if (r == 0)
                _exit(0);
        if (r > 0)
                waitpid((pid_t)r, NULL, 0);
        return r;
}

static long r_clone3(void)
{
        struct clone_args args;
        long r;

        memset(&args, 0, sizeof(args));
        args.exit_signal = SIGCHLD;
        r = syscall(SYS_clone3, &args, sizeof(args));
        if (r == 0)
                _exit(0);
        if (r > 0)
                waitpid((pid_t)r, NULL, 0);
        return r;
}

static long r_x32(void)
{
        /* getpid through the x32 ABI: nr | __X32_SYSCALL_BIT. */
        return syscall(0x40000000L | SYS_getpid);
}

static long r_int80(void)
{
#if defined(__x86_64__)
        long ret = 20; /* i386 __NR_getpid */
        __asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
        if (ret < 0 && ret > -4096) {
                errno = (int)-ret;
                return -1;
        }
        return ret;
#else
        errno = ENOSYS;
        return -1;
#endif
}

static long r_process_vm_readv(void)
{
        char src[16] = "secret", dst[16];
        struct iovec l = { dst, sizeof(dst) }, r = { src, sizeof(src) };
        return process_vm_readv(getpid(), &l, 1, &r, 1, 0);
}

static long r_setns(void)
{
        int fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -1;
        return syscall(SYS_setns, fd, 0);
}

static long run(const char *n)
{
        static char buf[64];
        char c = 'x';

        if (!strcmp(n, "getpid"))
                return syscall(SYS_getpid);
        if (!strcmp(n, "ptrace"))
                return ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        if (!strcmp(n, "process_vm_readv"))
                return r_process_vm_readv();
        if (!strcmp(n, "io_uring_setup")) {
                char params[120];
                memset(params, 0, sizeof(params));
                return syscall(SYS_io_uring_setup, 4, params);
        }
        if (!strcmp(n, "mount"))
                return mount("none", "/tmp", "tmpfs", 0, NULL);
        if (!strcmp(n, "umount2"))
                return umount2("/tmp", MNT_DETACH);
        if (!strcmp(n, "pivot_root"))
                return syscall(SYS_pivot_root, ".", ".");
        if (!strcmp(n, "bpf")) {
                memset(buf, 0, sizeof(buf));
                return syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, buf, sizeof(buf));
        }
        if (!strcmp(n, "perf_event_open")) {
                char attr[128];
                memset(attr, 0, sizeof(attr));
                return syscall(SYS_perf_event_open, attr, 0, -1, -1, 0);
        }
        if (!strcmp(n, "userfaultfd"))
                return syscall(SYS_userfaultfd, O_CLOEXEC | 1 /* UFFD_USER_MODE_ONLY */);
        if (!strcmp(n, "keyctl"))
                return syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3 /* SESSION */, 0);
        if (!strcmp(n, "add_key"))
                return syscall(SYS_add_key, "user", "ringfence-test", "x", 1, -2 /* PROCESS */);
        if (!strcmp(n, "request_key"))
                return syscall(SYS_request_key, "user", "ringfence-nosuch", NULL, 0);
        if (!strcmp(n, "kexec_load"))
                return syscall(SYS_kexec_load, 0, 0, NULL, 0);
        if (!strcmp(n, "init_module"))
                return syscall(SYS_init_module, buf, 0, "");
        if (!strcmp(n, "finit_module"))
                return syscall(SYS_finit_module, 0, "", 0);
        if (!strcmp(n, "delete_module"))
                return syscall(SYS_delete_module, "ringfence_nosuch", 0);
        if (!strcmp(n, "unshare"))
                return syscall(SYS_unshare, CLONE_NEWUSER);
        if (!strcmp(n, "unshare-ns"))
                return syscall(SYS_unshare, CLONE_NEWNS);
        if (!strcmp(n, "setns"))
                return r_setns();
        if (!strcmp(n, "clone-newuser"))
                return r_clone_flags(CLONE_NEWUSER);
        if (!strcmp(n, "clone-newnet"))
                return r_clone_flags(CLONE_NEWNET);
        if (!strcmp(n, "clone-plain"))
                return r_clone_flags(0);
        if (!strcmp(n, "clone3"))
                return r_clone3();
        if (!strcmp(n, "personality"))
                return personality(READ_IMPLIES_EXEC);
        if (!strcmp(n, "personality-query"))
                return personality(0xffffffff);
        if (!strcmp(n, "tiocsti"))
                return ioctl(0, TIOCSTI, &c);
        if (!strcmp(n, "tiocsti-high"))
                return syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI | (1UL << 32), &c);
        if (!strcmp(n, "tioclinux")) {
                char sub = 2; /* TIOCL_SETSEL */
                return ioctl(0, TIOCLINUX, &sub);
        }
        if (!strcmp(n, "x32"))
                return r_x32();
        if (!strcmp(n, "int80"))
                return r_int80();
        errno = EINVAL;
        return -2;
}

int main(int argc, char **argv)
{
        long r;

        if (argc != 2) {
                fprintf(stderr, "usage: try-syscall NAME\n");
                return 2;
        }
        errno = 0;
        r = run(argv[1]);
        if (r == -2) {
                fprintf(stderr, "try-syscall: unknown case '%s'\n", argv[1]);
                return 2;
        }
        if (r < 0)
                printf("%s: %s\n", argv[1], strerrorname_np(errno) ? strerrorname_np(errno) : "?");
        else
                printf("%s: OK\n", argv[1]);
        return 0;
}
