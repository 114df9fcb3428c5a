/* SPDX-License-Identifier: MIT */
/* Unit tests of the compiled default policy: each program loaded in a child against the calls
 * that must be refused (and those that must work), the notify program answered through
 * policy_match, real programs (bash, python3, cc, make, perl) under the kill program. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "policy/policy.h"
#include "helpers.h"

static struct rf_policy p;
static struct policy_bpf bpf;

static void setup(void)
{
        rf_error err = { 0 };
        ck_assert_msg(policy_init_default(&p, &err) == 0, "default policy: %s", err.msg);
        ck_assert_msg(policy_compile(&p, &bpf, &err) == 0, "compile: %s", err.msg);
}

static void teardown(void)
{
        policy_bpf_done(&bpf);
        policy_done(&p);
}

/* Rebuild bpf after changing p. */
static void recompile(void)
{
        rf_error err = { 0 };
        policy_bpf_done(&bpf);
        ck_assert_msg(policy_compile(&p, &bpf, &err) == 0, "compile: %s", err.msg);
}

static void load(const struct sock_fprog *prog)
{
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0)
                _exit(100);
}

static double now_us(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static bool has_ret(const struct sock_fprog *f, uint32_t k)
{
        for (unsigned i = 0; i < f->len; i++)
                if (f->filter[i].code == (BPF_RET | BPF_K) && f->filter[i].k == k)
                        return true;
        return false;
}

START_TEST(test_compile_default)
{
        double best = 1e12;

        ck_assert_uint_gt(bpf.notify.len, 10);
        ck_assert_uint_le(bpf.notify.len, BPF_MAXINSNS);
        ck_assert_uint_gt(bpf.kill.len, 10);
        ck_assert_uint_le(bpf.kill.len, BPF_MAXINSNS);
        ck_assert(has_ret(&bpf.notify, SECCOMP_RET_USER_NOTIF));
        ck_assert(!has_ret(&bpf.notify, SECCOMP_RET_TRACE | 0x5eed));
        ck_assert(!has_ret(&bpf.notify, SECCOMP_RET_TRACE | 0x5eee));
        ck_assert(has_ret(&bpf.notify, SECCOMP_RET_KILL_PROCESS)); /* foreign ABIs */
        ck_assert(!has_ret(&bpf.kill, SECCOMP_RET_TRACE | 0x5eee));
        ck_assert(has_ret(&bpf.kill, SECCOMP_RET_KILL_PROCESS));
        ck_assert(!has_ret(&bpf.kill, SECCOMP_RET_USER_NOTIF));
        ck_assert(has_ret(&bpf.kill, SECCOMP_RET_ERRNO | ENOSYS));
        for (int i = 0; i < 10; i++) {
                struct policy_bpf b;
                double t0 = now_us(), t;
                ck_assert_int_eq(policy_compile(&p, &b, NULL), 0);
                t = now_us() - t0;
                best = t < best ? t : best;
                policy_bpf_done(&b);
        }
        fprintf(stderr,
                "# default policy: %zu rules, notify %u and kill %u instructions, "
                "compiled (both) in %.0f us\n",
                p.seccomp.n_rules, bpf.notify.len, bpf.kill.len, best);
}
END_TEST

START_TEST(test_compile_refuses_override)
{
        struct policy_arg_cond c = { 1, POLICY_CMP_EQ, 5, 0 };
        rf_error err = { 0 };
        struct policy_bpf b;

        ck_assert_int_eq(policy_set(&p, "seccomp.allow", "ioctl", "--set", NULL), 0);
        ck_assert_int_eq(policy_add_syscall_rule(&p, "ioctl", POLICY_ACT_REPORT, EPERM, &c, 1,
                                                 "test", "test", NULL),
                         0);
        ck_assert_int_eq(policy_compile(&p, &b, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "seccomp: the rule for 'ioctl' from test has argument "
                                  "conditions and cannot override the rule without conditions "
                                  "from --set");
        /* the same action is no conflict */
        p.seccomp.rules[p.seccomp.n_rules - 1].action = POLICY_ACT_ALLOW;
        ck_assert_int_eq(policy_compile(&p, &b, &err), 0);
        policy_bpf_done(&b);
}
END_TEST

enum expect { ALLOWED, FAILS, KILLED };

/* One system call with its arguments and what the kill program must do with it. */
struct probe {
        const char *what;
        long nr;
        uint64_t a[6];
        enum expect expect;
        int err; /* FAILS: the errno */
};

#define TIOCSTI_HI ((uint64_t)TIOCSTI | 1ULL << 32)

/* clang-format off */
static const struct probe probes[] = {
        { "getpid", SYS_getpid, { 0 }, ALLOWED, 0 },
        { "ptrace(TRACEME)", SYS_ptrace, { PTRACE_TRACEME }, KILLED, 0 },
        { "clone3", SYS_clone3, { 0, 0 }, FAILS, ENOSYS },
        { "unshare(NEWUSER)", SYS_unshare, { CLONE_NEWUSER }, KILLED, 0 },
        { "unshare(0)", SYS_unshare, { 0 }, KILLED, 0 },
        { "clone(NEWUSER)", SYS_clone, { CLONE_NEWUSER | SIGCHLD }, KILLED, 0 },
        { "clone(NEWNET)", SYS_clone, { CLONE_NEWNET | SIGCHLD }, KILLED, 0 },
        { "clone(NEWTIME bit)", SYS_clone, { 0x80 }, KILLED, 0 },
        /* allowed flags; CLONE_SIGHAND without CLONE_VM makes the kernel say EINVAL */
        { "clone(SIGHAND)", SYS_clone, { CLONE_SIGHAND }, FAILS, EINVAL },
        { "ioctl(TIOCSTI)", SYS_ioctl, { (uint64_t)-1, TIOCSTI }, KILLED, 0 },
        { "ioctl(TIOCSTI | 1 << 32)", SYS_ioctl, { 0, TIOCSTI_HI }, KILLED, 0 },
        { "ioctl(TIOCSTI sign-extended)", SYS_ioctl, { 0, 0xffffffff00000000ULL | TIOCSTI },
          KILLED, 0 },
        { "ioctl(TIOCLINUX)", SYS_ioctl, { (uint64_t)-1, TIOCLINUX }, KILLED, 0 },
        { "ioctl(TIOCGWINSZ)", SYS_ioctl, { (uint64_t)-1, TIOCGWINSZ }, FAILS, EBADF },
        { "ioctl(FIONREAD)", SYS_ioctl, { (uint64_t)-1, FIONREAD }, FAILS, EBADF },
        { "ioctl(0x80045430)", SYS_ioctl, { (uint64_t)-1, 0x80045430 }, FAILS, EBADF },
        { "ioctl(sign-extended 0x80045430)", SYS_ioctl, { (uint64_t)-1, 0xffffffff80045430ULL },
          FAILS, EBADF },
        { "ioctl(TIOCGWINSZ | 1 << 40)", SYS_ioctl, { (uint64_t)-1, TIOCGWINSZ | 1ULL << 40 },
          FAILS, EBADF },
        { "ioctl(TIOCLINUX | 1 << 63)", SYS_ioctl, { (uint64_t)-1, TIOCLINUX | 1ULL << 63 },
          KILLED, 0 },
#ifdef __x86_64__
        { "x32 getpid", 0x40000000 | SYS_getpid, { 0 }, KILLED, 0 },
#endif
        { "io_uring_setup", SYS_io_uring_setup, { 1, 0 }, KILLED, 0 },
        { "seccomp(NEW_LISTENER)", SYS_seccomp,
          { SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0 }, KILLED, 0 },
        { "seccomp(GET_ACTION_AVAIL, bad)", SYS_seccomp, { SECCOMP_GET_ACTION_AVAIL, 0, 0 },
          FAILS, EFAULT },
        { "socket(AF_VSOCK)", SYS_socket, { 40, SOCK_STREAM, 0 }, KILLED, 0 },
        { "socket(AF_VSOCK | 1 << 32)", SYS_socket, { 40 | 1ULL << 32, SOCK_STREAM, 0 }, KILLED,
          0 },
        { "socket(AF_ALG)", SYS_socket, { 38, SOCK_SEQPACKET, 0 }, KILLED, 0 },
        { "socket(AF_UNIX, bad type)", SYS_socket, { AF_UNIX, 99, 0 }, FAILS, EINVAL },
        { "socket(AF_KCM, bad type)", SYS_socket, { 41, 99, 0 }, FAILS, EINVAL },
        { "socket(64)", SYS_socket, { 64, SOCK_STREAM, 0 }, KILLED, 0 },
        { "personality(query)", SYS_personality, { 0xffffffff }, ALLOWED, 0 },
        { "personality(READ_IMPLIES_EXEC)", SYS_personality, { READ_IMPLIES_EXEC }, KILLED, 0 },
        { "mount", SYS_mount, { 0 }, KILLED, 0 },
        { "bpf", SYS_bpf, { 0 }, KILLED, 0 },
        { "keyctl", SYS_keyctl, { 0 }, KILLED, 0 },
        { "perf_event_open", SYS_perf_event_open, { 0 }, KILLED, 0 },
        { "userfaultfd", SYS_userfaultfd, { 0 }, KILLED, 0 },
        { "pidfd_getfd", SYS_pidfd_getfd, { (uint64_t)-1, 0, 0 }, KILLED, 0 },
        { "kcmp (not listed)", SYS_kcmp, { 0 }, KILLED, 0 },
        { "open_by_handle_at", SYS_open_by_handle_at, { 0 }, KILLED, 0 },
        { "close_range(bad)", SYS_close_range, { 5, 4, 0 }, FAILS, EINVAL },
        { "execve(NULL)", SYS_execve, { 0 }, FAILS, EFAULT },
};
/* clang-format on */

/* Run one probe in a child with prog loaded; returns the wait status. */
static int run_probe(const struct sock_fprog *prog, const struct probe *pr)
{
        int status;
        pid_t pid = fork();

        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                long r;

                load(prog);
                errno = 0;
                r = syscall(pr->nr, pr->a[0], pr->a[1], pr->a[2], pr->a[3], pr->a[4], pr->a[5]);
                if (r == 0 && pr->nr == SYS_clone)
                        _exit(0); /* an allowed clone's child */
                if (pr->expect == FAILS)
                        _exit(r == -1 && errno == pr->err ? 0 : 1);
                _exit(0);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        return status;
}

static void check_probe(const struct probe *pr, int status)
{
        if (pr->expect == KILLED)
                ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
                              "%s: expected death by SIGSYS, got status 0x%x", pr->what, status);
        else
                ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                              "%s: expected %s, got status 0x%x", pr->what,
                              pr->expect == FAILS ? strerror(pr->err) : "success", status);
}

START_TEST(test_kill_program)
{
        const struct probe *pr = &probes[_i];

        check_probe(pr, run_probe(&bpf.kill, pr));
}
END_TEST

/* policy_match must predict what the filter did, for every probe of the native ABI. */
START_TEST(test_match_agrees)
{
        const struct probe *pr = &probes[_i];
        const struct policy_syscall_rule *r = policy_match(&p, (int)pr->nr, pr->a);
        enum policy_action a = r ? r->action : p.seccomp.default_action;

        if (pr->nr & 0x40000000) {
                ck_assert_ptr_null(r);
                return;
        }
        switch (pr->expect) {
        case KILLED:
                ck_assert_msg(a == POLICY_ACT_REPORT || a == POLICY_ACT_KILL, "%s: %s", pr->what,
                              policy_action_name(a));
                break;
        case FAILS:
                ck_assert_msg(a == POLICY_ACT_ALLOW ||
                                      (a == POLICY_ACT_ERRNO && r->errno_val == pr->err),
                              "%s: %s", pr->what, policy_action_name(a));
                break;
        case ALLOWED:
                ck_assert_msg(a == POLICY_ACT_ALLOW, "%s: %s", pr->what, policy_action_name(a));
                break;
        }
}
END_TEST

#ifdef __x86_64__
static void int80_getpid(void)
{
        long r;

        signal(SIGSEGV, SIG_DFL); /* not a sanitizer's handler: the status must show it */
        /* i386 getpid (20) through the 32-bit entry; it clobbers r8-r11 */
        __asm__ volatile("int $0x80"
                         : "=a"(r)
                         : "0"(20L)
                         : "memory", "cc", "r8", "r9", "r10", "r11");
        _exit(r > 0 ? 0 : 1);
}

START_TEST(test_int80)
{
        int plain, filtered;
        pid_t pid = fork();

        if (pid == 0)
                int80_getpid();
        ck_assert_int_eq(waitpid(pid, &plain, 0), pid);
        pid = fork();
        if (pid == 0) {
                load(&bpf.kill);
                int80_getpid();
        }
        ck_assert_int_eq(waitpid(pid, &filtered, 0), pid);
        if (WIFEXITED(plain) && WEXITSTATUS(plain) == 0) {
                ck_assert_msg(WIFSIGNALED(filtered) && WTERMSIG(filtered) == SIGSYS,
                              "int 0x80 under the filter: status 0x%x", filtered);
        } else {
                /* This kernel has no i386 entry (ia32_emulation off): the call faults before
                 * seccomp sees it. It must still not succeed. */
                fprintf(stderr, "# int 0x80 is disabled on this kernel (status 0x%x)\n", plain);
                ck_assert_msg(WIFSIGNALED(filtered) && WTERMSIG(filtered) == WTERMSIG(plain),
                              "int 0x80 under the filter: status 0x%x", filtered);
        }
}
END_TEST
#endif

/* The default action changed to allow: the refused calls stay refused, others now work. */
START_TEST(test_default_allow_keeps_refusals)
{
        static const struct probe more[] = {
                { "kcmp", SYS_kcmp, { 0, 0, 99 }, FAILS, ESRCH },
                { "personality(query)", SYS_personality, { 0xffffffff }, ALLOWED, 0 },
        };

        ck_assert_int_eq(policy_set(&p, "seccomp.default", "allow", NULL, NULL), 0);
        recompile();
        for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
                /* skip what only the default action refused (kcmp, personality(READ_IMPLIES_EXEC),
                 * ...), but not the foreign ABI */
                if (!(probes[i].nr & 0x40000000) && probes[i].expect == KILLED &&
                    !policy_match(&p, (int)probes[i].nr, probes[i].a))
                        continue;
                check_probe(&probes[i], run_probe(&bpf.kill, &probes[i]));
        }
        for (size_t i = 0; i < ARRAY_SIZE(more); i++)
                check_probe(&more[i], run_probe(&bpf.kill, &more[i]));
}
END_TEST

START_TEST(test_user_rules)
{
        static const struct probe after[] = {
                { "ptrace allowed", SYS_ptrace, { PTRACE_PEEKDATA, 0, 0 }, FAILS, ESRCH },
                { "getppid errno", SYS_getppid, { 0 }, FAILS, EACCES },
                { "ioctl allowed", SYS_ioctl, { (uint64_t)-1, TIOCSTI_HI }, FAILS, EBADF },
                { "getcwd refused", SYS_getcwd, { 0 }, KILLED, 0 },
        };

        ck_assert_int_eq(policy_set(&p, "seccomp.allow", "ptrace", NULL, NULL), 0);
        ck_assert_int_eq(policy_set(&p, "seccomp.errno", "getppid EACCES", NULL, NULL), 0);
        ck_assert_int_eq(policy_set(&p, "seccomp.allow", "ioctl", NULL, NULL), 0);
        ck_assert_int_eq(policy_set(&p, "seccomp.kill", "getcwd", NULL, NULL), 0);
        recompile();
        for (size_t i = 0; i < ARRAY_SIZE(after); i++)
                check_probe(&after[i], run_probe(&bpf.kill, &after[i]));
}
END_TEST

static void send_fd(int sock, int fd)
{
        char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
        char byte = 'f';
        struct iovec iov = { &byte, 1 };
        struct msghdr msg = { .msg_iov = &iov,
                              .msg_iovlen = 1,
                              .msg_control = cbuf,
                              .msg_controllen = sizeof(cbuf) };
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
        if (sendmsg(sock, &msg, 0) != 1)
                _exit(101);
}

static int recv_fd(int sock)
{
        char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
        char byte;
        struct iovec iov = { &byte, 1 };
        struct msghdr msg = { .msg_iov = &iov,
                              .msg_iovlen = 1,
                              .msg_control = cbuf,
                              .msg_controllen = sizeof(cbuf) };
        struct cmsghdr *c;
        int fd;

        ck_assert_int_eq(recvmsg(sock, &msg, MSG_CMSG_CLOEXEC), 1);
        c = CMSG_FIRSTHDR(&msg);
        ck_assert_ptr_nonnull(c);
        ck_assert_int_eq(c->cmsg_type, SCM_RIGHTS);
        memcpy(&fd, CMSG_DATA(c), sizeof(int));
        return fd;
}

/* Receive one notification, check which call and rule it is, and answer with the rule's errno. */
static void answer(int lfd, const char *name, const struct policy_syscall_rule *want)
{
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        const struct policy_syscall_rule *r;
        int e;

        memset(&req, 0, sizeof(req));
        ck_assert_int_eq(ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req), 0);
        ck_assert_str_eq(policy_syscall_name(req.data.nr), name);
        ck_assert_uint_eq(req.data.arch, seccomp_arch_native());
        r = policy_match(&p, req.data.nr, (const uint64_t *)req.data.args);
        ck_assert_ptr_eq(r, want);
        e = r ? r->errno_val : p.seccomp.default_errno;
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        resp.error = -e;
        ck_assert_int_eq(ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0);
}

static const struct policy_syscall_rule *rule_for(const char *name)
{
        static const uint64_t args[6];
        return policy_match(&p, seccomp_syscall_resolve_name(name), args);
}

START_TEST(test_notify_program)
{
        const struct policy_syscall_rule *ptrace_rule = rule_for("ptrace");
        _cleanup_close_ int lfd = -1;
        int sv[2], status;
        pid_t pid;

        ck_assert(ptrace_rule && ptrace_rule->action == POLICY_ACT_REPORT);
        ck_assert_ptr_null(rule_for("kcmp")); /* unlisted: the default applies */
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                int fd;
                long r1, r2, e1, e2;

                close(sv[0]);
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        _exit(100);
                fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                                  SECCOMP_FILTER_FLAG_NEW_LISTENER, &bpf.notify);
                if (fd < 0)
                        _exit(100);
                send_fd(sv[1], fd);
                close(fd);
                r1 = syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
                e1 = errno;
                r2 = syscall(SYS_kcmp, 0, 0, 0, 0, 0);
                e2 = errno;
                if (syscall(SYS_getpid) <= 0) /* allowed: no notification */
                        _exit(102);
                _exit(r1 == -1 && e1 == EPERM && r2 == -1 && e2 == EPERM ? 0 : 1);
        }
        close(sv[1]);
        lfd = recv_fd(sv[0]);
        close(sv[0]);
        answer(lfd, "ptrace", ptrace_rule);
        answer(lfd, "kcmp", NULL);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x", status);
}
END_TEST

/* policy_match: the last rule whose conditions hold decides; a rule without conditions replaces
 * the earlier ones for its call. */
START_TEST(test_match_later_wins)
{
        struct policy_arg_cond one = { 0, POLICY_CMP_EQ, 1, 0 }, small = { 0, POLICY_CMP_LT, 5, 0 };
        uint64_t a1[6] = { 1 }, a3[6] = { 3 }, a7[6] = { 7 };
        const struct policy_syscall_rule *r;
        int nr = seccomp_syscall_resolve_name("getppid");

        ck_assert_int_eq(policy_add_syscall_rule(&p, "getppid", POLICY_ACT_ALLOW, 0, &one, 1, "a",
                                                 "a", NULL),
                         0);
        ck_assert_int_eq(policy_add_syscall_rule(&p, "getppid", POLICY_ACT_ERRNO, EACCES, &small, 1,
                                                 "b", "b", NULL),
                         0);
        r = policy_match(&p, nr, a1);
        ck_assert_str_eq(r->origin, "b");
        r = policy_match(&p, nr, a3);
        ck_assert_str_eq(r->origin, "b");
        r = policy_match(&p, nr, a7);
        ck_assert_str_eq(r->origin, "default policy"); /* the unconditional allow from before */
        ck_assert_int_eq(r->action, POLICY_ACT_ALLOW);
        ck_assert_int_eq(policy_set(&p, "seccomp.kill", "getppid", "c", NULL), 0);
        ck_assert_str_eq(policy_match(&p, nr, a1)->origin, "c");
        ck_assert_ptr_null(policy_match(&p, -1, a1));
        ck_assert_ptr_null(policy_match(&p, 0x40000000 | nr, a1));
}
END_TEST

START_TEST(test_syscall_names)
{
        ck_assert_str_eq(policy_syscall_name(SYS_ptrace), "ptrace");
        ck_assert_str_eq(policy_syscall_name(SYS_getpid), "getpid");
        ck_assert_ptr_eq(policy_syscall_name(SYS_getpid), policy_syscall_name(SYS_getpid));
        ck_assert_ptr_null(policy_syscall_name(-1));
        ck_assert_ptr_null(policy_syscall_name(100000));
        ck_assert_ptr_null(policy_syscall_name(0x40000000 | SYS_getpid));
        ck_assert_str_eq(policy_action_name(POLICY_ACT_REPORT), "report");
}
END_TEST

/* A scratch directory for the programs below, with a C file and a Makefile. */
static char dir[] = "/tmp/rf-policy-XXXXXX";

static void write_file(const char *name, const char *text)
{
        char path[256];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
}

static void programs_setup(void)
{
        setup();
        strcpy(dir, "/tmp/rf-policy-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        write_file("t.c", "#include <stdio.h>\nint main(void) { puts(\"compiled\"); return 0; }\n");
        write_file("Makefile", "all:\n\t@echo made\n");
}

static void programs_teardown(void)
{
        static const char *const names[] = { "t.c", "t", "Makefile", "f" };
        char path[256];

        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
                (void)unlink(path);
        }
        (void)rmdir(dir);
        teardown();
}

/* Run argv under the kill program with stdout captured; returns the wait status. */
static int run_program(char *const argv[], char *out, size_t out_size)
{
        int pfd[2], status;
        size_t n = 0;
        ssize_t k;
        pid_t pid;

        ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                /* not the make that runs these tests (it would say "Entering directory") */
                unsetenv("MAKEFLAGS");
                unsetenv("MFLAGS");
                unsetenv("MAKELEVEL");
                if (dup2(pfd[1], 1) < 0 || chdir(dir) < 0)
                        _exit(103);
                load(&bpf.kill);
                execvp(argv[0], argv);
                _exit(127);
        }
        close(pfd[1]);
        while ((k = read(pfd[0], out + n, out_size - 1 - n)) > 0)
                n += (size_t)k;
        out[n] = '\0';
        close(pfd[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        return status;
}

#define RUN(expect_out, ...)                                                                       \
        do {                                                                                       \
                char *const argv_[] = { __VA_ARGS__, NULL };                                       \
                char out_[4096];                                                                   \
                int st_ = run_program(argv_, out_, sizeof(out_));                                  \
                ck_assert_msg(WIFEXITED(st_) && WEXITSTATUS(st_) == 0,                             \
                              "%s under the default policy: status 0x%x (signal %d)", argv_[0],    \
                              st_, WIFSIGNALED(st_) ? WTERMSIG(st_) : 0);                          \
                ck_assert_str_eq(out_, expect_out);                                                \
        } while (0)

START_TEST(test_bash)
{
        RUN("hi\n", "bash", "-c", "echo hi");
}
END_TEST

START_TEST(test_coreutils)
{
        RUN("a b \n3\nMakefile f t.c\n", "bash", "-c",
            "export LC_ALL=C; printf 'b\\na\\nb\\n' > f && sort f | uniq | tr '\\n' ' ' && "
            "echo && cp f g && mv g h && wc -l < h && rm h && ls | xargs && "
            "sha256sum f >/dev/null && stat f >/dev/null && date >/dev/null && "
            "id -u >/dev/null && sleep 0.01");
}
END_TEST

START_TEST(test_python3)
{
        RUN("1\n", "/usr/bin/python3", "-c", "print(1)");
        RUN("[1, 4, 9] 0\n", "/usr/bin/python3", "-c",
            "import subprocess, threading, concurrent.futures as cf\n"
            "with cf.ThreadPoolExecutor(2) as ex: r = list(ex.map(lambda x: x * x, [1, 2, 3]))\n"
            "print(r, subprocess.run(['true']).returncode)");
}
END_TEST

START_TEST(test_cc)
{
        RUN("", "cc", "-O2", "-o", "t", "t.c");
        RUN("compiled\n", "./t");
}
END_TEST

START_TEST(test_make_perl)
{
        RUN("made\n", "make", "-s");
        RUN("perl ok\n", "perl", "-e", "print qq(perl ok\\n)");
}
END_TEST

/* Whether this process can load filters: valgrind, for one, does not implement seccomp(). */
static bool seccomp_available(void)
{
        uint32_t action = SECCOMP_RET_KILL_PROCESS;
        return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

static Suite *policy_compile_suite(bool load)
{
        Suite *s = suite_create("policy_compile");
        TCase *tc;

        tc = tcase_create("compile");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_compile_default);
        tcase_add_test(tc, test_compile_refuses_override);
        tcase_add_test(tc, test_match_later_wins);
        tcase_add_test(tc, test_syscall_names);
        suite_add_tcase(s, tc);
        if (!load)
                return s;

        tc = tcase_create("kill");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_loop_test(tc, test_kill_program, 0, (int)ARRAY_SIZE(probes));
        tcase_add_loop_test(tc, test_match_agrees, 0, (int)ARRAY_SIZE(probes));
#ifdef __x86_64__
        tcase_add_test(tc, test_int80);
#endif
        tcase_add_test(tc, test_default_allow_keeps_refusals);
        tcase_add_test(tc, test_user_rules);
        suite_add_tcase(s, tc);

        tc = tcase_create("notify");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_notify_program);
        suite_add_tcase(s, tc);

        tc = tcase_create("programs");
        tcase_add_checked_fixture(tc, programs_setup, programs_teardown);
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_bash);
        tcase_add_test(tc, test_coreutils);
        tcase_add_test(tc, test_python3);
        tcase_add_test(tc, test_cc);
        tcase_add_test(tc, test_make_perl);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        bool load = seccomp_available();

        if (!load)
                fprintf(stderr, "# seccomp() is not available here: only compiling, not loading\n");
        /* CK_TAP_LOG_FILE_NAME=- (set by make check) makes Check write TAP to stdout. */
        return test_run_suite(policy_compile_suite(load));
}
