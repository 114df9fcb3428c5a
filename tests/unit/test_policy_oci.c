/* SPDX-License-Identifier: MIT */
/* Unit tests of the import of Docker/moby seccomp profiles and OCI runtime configs: moby's own
 * profiles (tests/data/docker-seccomp) read as written, includes and excludes, every action and
 * operator, errors as exact sentences, and Docker's default profile loaded in children that run
 * real programs. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "policy/policy.h"
#include "helpers.h"

/* Go's name of this architecture, as Docker's profiles write it in includes.arches. */
#if defined(__x86_64__)
#define GOARCH "amd64"
#elif defined(__aarch64__)
#define GOARCH "arm64"
#elif defined(__powerpc64__)
#define GOARCH "ppc64le"
#elif defined(__s390x__)
#define GOARCH "s390x"
#elif defined(__riscv)
#define GOARCH "riscv64"
#else
#error "add this architecture's GOARCH name"
#endif

static struct rf_policy p;
static struct policy_seccomp_import info;
static char dir[] = "/tmp/rf-oci-XXXXXX";

/* The folder with moby's profiles, copied into the repository with their SOURCE.md. */
static const char *data_dir(void)
{
        static char path[4096];
        const char *top = getenv("TOP_SRCDIR");
        char probe[4200];

        ck_assert_msg(top != NULL, "TOP_SRCDIR is not set: make check sets it; by hand, run "
                                   "TOP_SRCDIR=/path/to/ringfence tests/unit/test_policy_oci");
        snprintf(path, sizeof(path), "%s/tests/data/docker-seccomp", top);
        snprintf(probe, sizeof(probe), "%s/default.json", path);
        ck_assert_msg(access(probe, R_OK) == 0,
                      "cannot read %s: %s; moby's profiles belong in tests/data/docker-seccomp",
                      probe, strerror(errno));
        return path;
}

/* Import a file of data_dir() into p, which must work. */
static void import_data(const char *name)
{
        char path[4200];
        rf_error err = { 0 };

        snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
        ck_assert_msg(policy_import_seccomp_json_info(&p, path, &info, &err) == 0, "%s: %s", name,
                      err.msg);
}

/* Write name in the scratch folder (the current directory). */
static void write_file(const char *name, const char *text)
{
        FILE *f = fopen(name, "we");

        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
}

/* Write text as name and import it, which must work. */
static void import_text(const char *name, const char *text)
{
        rf_error err = { 0 };

        write_file(name, text);
        ck_assert_msg(policy_import_seccomp_json_info(&p, name, &info, &err) == 0, "%s: %s", name,
                      err.msg);
}

/* p starts as the default policy, so that each test also sees its rules replaced. Files are
 * written in a scratch folder, which is the current directory (errors then name short paths). */
static void setup(void)
{
        rf_error err = { 0 };

        ck_assert_msg(policy_init_default(&p, &err) == 0, "default policy: %s", err.msg);
        memset(&info, 0xff, sizeof(info));
        strcpy(dir, "/tmp/rf-oci-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        ck_assert_int_eq(chdir(dir), 0);
}

static void teardown(void)
{
        DIR *d = opendir(dir);
        struct dirent *e;

        while (d && (e = readdir(d)))
                if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                        (void)unlinkat(dirfd(d), e->d_name, 0);
        if (d)
                closedir(d);
        (void)chdir("/");
        (void)rmdir(dir);
        policy_done(&p);
}

/* The rule of p that decides nr with these first arguments, or NULL (the default). */
static const struct policy_syscall_rule *rule(int nr, uint64_t a0, uint64_t a1, uint64_t a2,
                                              uint64_t a3)
{
        const uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };
        return policy_match(&p, nr, args);
}

/* That nr with these arguments is decided by a rule with this action and errno. */
#define ASSERT_RULE(nr, a0, a1, a2, a3, act, e)                                                    \
        do {                                                                                       \
                const struct policy_syscall_rule *r_ = rule(nr, a0, a1, a2, a3);                   \
                ck_assert_msg(r_ != NULL, "%s: no rule", #nr);                                     \
                ck_assert_msg(r_->action == (act) && r_->errno_val == (e),                         \
                              "%s: %s %d, expected %s %d", #nr, policy_action_name(r_->action),    \
                              r_->errno_val, policy_action_name(act), (int)(e));                   \
        } while (0)
#define ASSERT_ALLOW(nr, a0, a1, a2, a3) ASSERT_RULE(nr, a0, a1, a2, a3, POLICY_ACT_ALLOW, 0)
#define ASSERT_DEFAULT(nr, a0, a1, a2, a3)                                                         \
        ck_assert_msg(rule(nr, a0, a1, a2, a3) == NULL, "%s: a rule, expected the default", #nr)

/* Compile p, which must work; returns the kill program's length. */
static unsigned assert_compiles(void)
{
        struct policy_bpf b;
        rf_error err = { 0 };
        unsigned len;

        ck_assert_msg(policy_compile(&p, &b, &err) == 0, "compile: %s", err.msg);
        ck_assert_uint_gt(b.kill.len, 0);
        len = b.kill.len;
        policy_bpf_done(&b);
        return len;
}

/* example.json: default EPERM; clone only without namespace flags; open and close; syslog fails
 * with errno 12345, which the kernel would cap and the model makes 4094. */
START_TEST(test_example)
{
        const uint64_t ns_mask = 2114060288; /* CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|... */

        import_data("example.json");
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_ERRNO);
        ck_assert_int_eq(p.seccomp.default_errno, EPERM);
        ck_assert_uint_eq(p.seccomp.n_rules, 4);
        ck_assert_uint_eq(info.n_rules, 4);
        ck_assert_uint_eq(info.n_errno_capped, 1);
        ck_assert_uint_eq(info.n_unknown_names + info.n_foreign_names + info.n_not_applied, 0);
        ASSERT_ALLOW(SYS_clone, SIGCHLD, 0, 0, 0);
        ASSERT_ALLOW(SYS_clone, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_THREAD, 0, 0, 0);
        ASSERT_DEFAULT(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0);
        ASSERT_DEFAULT(SYS_clone, CLONE_NEWNET, 0, 0, 0);
        ASSERT_DEFAULT(SYS_clone, CLONE_NEWNS, 0, 0, 0);
        ASSERT_DEFAULT(SYS_clone, ns_mask, 0, 0, 0);
        ck_assert_uint_eq(rule(SYS_clone, 0, 0, 0, 0)->conds[0].op, POLICY_CMP_MASKED_EQ);
        ck_assert_uint_eq(rule(SYS_clone, 0, 0, 0, 0)->conds[0].value, ns_mask);
        ck_assert_uint_eq(rule(SYS_clone, 0, 0, 0, 0)->conds[0].value2, 0);
#ifdef SYS_open
        ASSERT_ALLOW(SYS_open, 0, 0, 0, 0);
#endif
        ASSERT_ALLOW(SYS_close, 3, 0, 0, 0);
        ASSERT_RULE(SYS_syslog, 0, 0, 0, 0, POLICY_ACT_ERRNO, 4094);
        ASSERT_DEFAULT(SYS_read, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_ptrace, 0, 0, 0, 0); /* the default policy's kill rule is gone */
        ASSERT_DEFAULT(SYS_io_uring_setup, 0, 0, 0, 0);
        ck_assert_ptr_nonnull(strstr(rule(SYS_close, 0, 0, 0, 0)->origin, "syscalls[2]"));
        assert_compiles();
}
END_TEST

/* conditional_include.json: syslog needs CAP_SYSLOG, which a job never has; ptrace is excluded
 * only with CAP_SYS_ADMIN, so it applies. */
START_TEST(test_conditional_include)
{
        import_data("conditional_include.json");
        ck_assert_uint_eq(p.seccomp.n_rules, 2);
        ck_assert_uint_eq(info.n_not_applied, 1);
        ASSERT_ALLOW(SYS_chmod, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_syslog, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_ptrace, 0, 0, 0, 0);
        assert_compiles();
}
END_TEST

/* includes and excludes by architecture and kernel version. */
START_TEST(test_arches_kernel)
{
        struct utsname u;
        unsigned maj = 0;

        ck_assert_int_eq(uname(&u), 0);
        ck_assert_int_eq(sscanf(u.release, "%u", &maj), 1);
        ck_assert_uint_ge(maj, 4); /* "4.8" below must apply */
        import_text("a.json",
                    "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
                    "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\","
                    "  \"includes\": {\"arches\": [\"s390x\", \"" GOARCH "\"]}},"
                    "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\","
                    "  \"includes\": {\"arches\": [\"s390x\", \"mips64\"]}},"
                    "{\"names\": [\"getuid\"], \"action\": \"SCMP_ACT_ALLOW\","
                    "  \"excludes\": {\"arches\": [\"" GOARCH "\"]}},"
                    "{\"names\": [\"getgid\"], \"action\": \"SCMP_ACT_ALLOW\","
                    "  \"excludes\": {\"arches\": [\"s390x\"]}},"
                    "{\"names\": [\"gettid\"], \"action\": \"SCMP_ACT_ALLOW\","
                    "  \"includes\": {\"minKernel\": \"4.8\"}},"
                    "{\"names\": [\"getpgrp\"], \"action\": \"SCMP_ACT_ALLOW\","
                    "  \"includes\": {\"minKernel\": \"999.0\"}},"
                    "{\"names\": [\"getsid\"], \"action\": \"SCMP_ACT_ALLOW\","
                    "  \"excludes\": {\"minKernel\": \"4.8\"}},"
                    "{\"names\": [\"getegid\"], \"action\": \"SCMP_ACT_ALLOW\","
                    "  \"excludes\": {\"minKernel\": \"999.0\", \"caps\": [\"CAP_SYS_ADMIN\"]}},"
                    "{\"names\": [\"geteuid\"], \"action\": \"SCMP_ACT_ALLOW\","
                    "  \"includes\": {\"arches\": [\"" GOARCH "\"], \"caps\": [\"CAP_SYS_ADMIN\"]}}"
                    "]}");
        ASSERT_ALLOW(SYS_getpid, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_getppid, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_getuid, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_getgid, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_gettid, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_getpgrp, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_getsid, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_getegid, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_geteuid, 0, 0, 0, 0);
        ck_assert_uint_eq(info.n_not_applied, 5);
        ck_assert_uint_eq(p.seccomp.n_rules, 4);
}
END_TEST

/* minKernel at the running kernel's own version applies; one minor version later does not. */
START_TEST(test_min_kernel_boundary)
{
        struct utsname u;
        unsigned maj = 0, min = 0;
        char text[1024];

        ck_assert_int_eq(uname(&u), 0);
        ck_assert_int_eq(sscanf(u.release, "%u.%u", &maj, &min), 2);
        snprintf(text, sizeof(text),
                 "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
                 "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\","
                 "  \"includes\": {\"minKernel\": \"%u.%u\"}},"
                 "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\","
                 "  \"includes\": {\"minKernel\": \"%u.%u\"}},"
                 "{\"names\": [\"getuid\"], \"action\": \"SCMP_ACT_ALLOW\","
                 "  \"excludes\": {\"minKernel\": \"%u.%u\"}},"
                 "{\"names\": [\"getgid\"], \"action\": \"SCMP_ACT_ALLOW\","
                 "  \"excludes\": {\"minKernel\": \"%u.%u\"}}]}",
                 maj, min, maj, min + 1, maj, min, maj, min + 1);
        import_text("k.json", text);
        ASSERT_ALLOW(SYS_getpid, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_getppid, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_getuid, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_getgid, 0, 0, 0, 0);
}
END_TEST

/* default-old-format.json: "name" per entry and a plain "architectures" list. */
START_TEST(test_old_format)
{
        import_data("default-old-format.json");
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_ERRNO);
        ck_assert_int_eq(p.seccomp.default_errno, EPERM);
        ck_assert_uint_gt(p.seccomp.n_rules, 250);
        ck_assert_uint_gt(info.n_foreign_names, 0); /* chown32 and friends */
        ASSERT_ALLOW(SYS_accept4, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_execve, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_personality, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_personality, 8, 0, 0, 0);
        ASSERT_ALLOW(SYS_personality, 4294967295, 0, 0, 0);
        ASSERT_DEFAULT(SYS_personality, 1, 0, 0, 0);
        ASSERT_ALLOW(SYS_clone, SIGCHLD, 0, 0, 0);
        ASSERT_DEFAULT(SYS_clone, CLONE_NEWUSER, 0, 0, 0);
        for (size_t i = 0; i < p.seccomp.n_rules; i++)
                ck_assert_int_ge(p.seccomp.rules[i].nr, 0);
        assert_compiles();
}
END_TEST

/* Docker's default profile as the policy model sees it. */
START_TEST(test_default_profile)
{
        import_data("default.json");
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_ERRNO);
        ck_assert_int_eq(p.seccomp.default_errno, EPERM);
        /* 10 entries for other architectures or s390, 13 that need a capability */
        ck_assert_uint_eq(info.n_not_applied, 19);
        ck_assert_uint_eq(info.n_swallowed + info.n_as_default + info.n_errno_capped, 0);
        ck_assert_uint_gt(info.n_foreign_names, 0);
        if (seccomp_syscall_resolve_name("mseal") == __NR_SCMP_ERROR) /* libseccomp 2.5 */
                ck_assert_uint_gt(info.n_unknown_names, 0);
        for (size_t i = 0; i < p.seccomp.n_rules; i++)
                ck_assert_int_ge(p.seccomp.rules[i].nr, 0);
        ASSERT_ALLOW(SYS_read, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0); /* minKernel 4.8 */
        ASSERT_ALLOW(SYS_process_vm_readv, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_unshare, CLONE_NEWUSER, 0, 0, 0);
        ASSERT_DEFAULT(SYS_mount, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_bpf, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_io_uring_setup, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_open_by_handle_at, 0, 0, 0, 0);
        ASSERT_RULE(SYS_clone3, 0, 0, 0, 0, POLICY_ACT_ERRNO, ENOSYS);
        ASSERT_ALLOW(SYS_clone, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND, 0, 0, 0);
        ASSERT_DEFAULT(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0);
        ASSERT_ALLOW(SYS_socket, AF_INET, 0, 0, 0);
        ASSERT_ALLOW(SYS_socket, AF_UNIX, 0, 0, 0);
        ASSERT_DEFAULT(SYS_socket, AF_ALG, 0, 0, 0);
        ASSERT_ALLOW(SYS_socket, 39, 0, 0, 0);
        ASSERT_DEFAULT(SYS_socket, AF_VSOCK, 0, 0, 0);
        ASSERT_ALLOW(SYS_socket, 41, 0, 0, 0);
        ASSERT_ALLOW(SYS_personality, 0xffffffff, 0, 0, 0);
        ASSERT_DEFAULT(SYS_personality, 1, 0, 0, 0);
#ifdef __x86_64__
        ASSERT_ALLOW(SYS_arch_prctl, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_modify_ldt, 0, 0, 0, 0);
#endif
        assert_compiles();
}
END_TEST

/* Every action of an OCI config's linux.seccomp, in the model's terms. */
static const char oci_seccomp[] =
        "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
        " \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"], \"syscalls\": ["
        "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13},"
        "{\"names\": [\"umount2\"], \"action\": \"SCMP_ACT_ERRNO\"},"
        "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_KILL\"},"
        "{\"names\": [\"kexec_load\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},"
        "{\"names\": [\"reboot\"], \"action\": \"SCMP_ACT_KILL_THREAD\"},"
        "{\"names\": [\"swapon\"], \"action\": \"SCMP_ACT_TRAP\"},"
        "{\"names\": [\"swapoff\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 5},"
        "{\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_NOTIFY\"},"
        "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_LOG\"},"
        "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\"}"
        "]}";

static void assert_oci_rules(void)
{
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_ALLOW);
        ck_assert_uint_eq(p.seccomp.n_rules, 8);
        ck_assert_uint_eq(info.n_as_default, 2); /* LOG is allow, as the default */
        ASSERT_RULE(SYS_mount, 0, 0, 0, 0, POLICY_ACT_ERRNO, EACCES);
        ASSERT_RULE(SYS_umount2, 0, 0, 0, 0, POLICY_ACT_ERRNO, EPERM);
        ASSERT_RULE(SYS_ptrace, 0, 0, 0, 0, POLICY_ACT_KILL, 0);
        ASSERT_RULE(SYS_kexec_load, 0, 0, 0, 0, POLICY_ACT_KILL, 0);
        ASSERT_RULE(SYS_reboot, 0, 0, 0, 0, POLICY_ACT_KILL, 0);
        ASSERT_RULE(SYS_swapon, 0, 0, 0, 0, POLICY_ACT_KILL, 0);
        ASSERT_RULE(SYS_swapoff, 0, 0, 0, 0, POLICY_ACT_ERRNO, ENOSYS);
        ASSERT_RULE(SYS_bpf, 0, 0, 0, 0, POLICY_ACT_REPORT, EPERM);
        ASSERT_DEFAULT(SYS_getpid, 0, 0, 0, 0);
        ASSERT_DEFAULT(SYS_io_uring_setup, 0, 0, 0, 0);
        assert_compiles();
}

START_TEST(test_oci_config)
{
        char text[4096];

        snprintf(text, sizeof(text),
                 "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\"]},"
                 " \"linux\": {\"namespaces\": [{\"type\": \"pid\"}], \"seccomp\": %s}}",
                 oci_seccomp);
        import_text("config.json", text);
        assert_oci_rules();
        ck_assert_ptr_nonnull(
                strstr(rule(SYS_bpf, 0, 0, 0, 0)->origin, "config.json linux.seccomp.syscalls[7]"));
}
END_TEST

START_TEST(test_oci_bare)
{
        import_text("seccomp.json", oci_seccomp);
        assert_oci_rules();
}
END_TEST

/* Default actions, each with its errno. */
START_TEST(test_default_actions)
{
        static const struct {
                const char *json;
                enum policy_action action;
                int errno_val;
        } cases[] = {
                { "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", POLICY_ACT_ERRNO, EPERM },
                { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38}",
                  POLICY_ACT_ERRNO, ENOSYS },
                { "{\"defaultAction\": \"SCMP_ACT_KILL_THREAD\"}", POLICY_ACT_KILL, 0 },
                { "{\"defaultAction\": \"SCMP_ACT_TRAP\"}", POLICY_ACT_KILL, 0 },
                { "{\"defaultAction\": \"SCMP_ACT_TRACE\"}", POLICY_ACT_ERRNO, ENOSYS },
                { "{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"syscalls\": null}", POLICY_ACT_REPORT,
                  EPERM },
                { "{\"defaultAction\": \"SCMP_ACT_LOG\", \"syscalls\": []}", POLICY_ACT_ALLOW, 0 },
        };

        unsigned default_len = assert_compiles(); /* p is the default policy */

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                import_text("d.json", cases[i].json);
                ck_assert_msg(p.seccomp.default_action == cases[i].action &&
                                      p.seccomp.default_errno == cases[i].errno_val,
                              "%s: %s %d", cases[i].json,
                              policy_action_name(p.seccomp.default_action),
                              p.seccomp.default_errno);
                ck_assert_uint_eq(p.seccomp.n_rules, 0);
                ck_assert(!p.seccomp_pristine);
                /* a default action and the foreign-ABI check: not the default's program */
                ck_assert_uint_lt(assert_compiles(), default_len / 4);
        }
}
END_TEST

/* Each operator, with values on both sides of the boundary. */
START_TEST(test_operators)
{
        import_text("ops.json",
                    "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
                    "{\"names\": [\"setuid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                    "  [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"}]},"
                    "{\"names\": [\"setgid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                    "  [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_NE\"}]},"
                    "{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                    "  [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_LT\"}]},"
                    "{\"names\": [\"getsid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                    "  [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_LE\"}]},"
                    "{\"names\": [\"setfsuid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                    "  [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_GT\"}]},"
                    "{\"names\": [\"setfsgid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                    "  [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_GE\"}]},"
                    "{\"names\": [\"umask\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                    "  [{\"index\": 0, \"value\": 240, \"valueTwo\": 48, "
                    "    \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
                    "{\"names\": [\"dup3\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                    "  [{\"index\": 2, \"value\": 9223372036854775807, \"op\": \"SCMP_CMP_EQ\"}]}"
                    "]}");
        ASSERT_ALLOW(SYS_setuid, 5, 0, 0, 0);
        ASSERT_DEFAULT(SYS_setuid, 4, 0, 0, 0);
        ASSERT_ALLOW(SYS_setgid, 4, 0, 0, 0);
        ASSERT_DEFAULT(SYS_setgid, 5, 0, 0, 0);
        ASSERT_ALLOW(SYS_getpgid, 4, 0, 0, 0);
        ASSERT_DEFAULT(SYS_getpgid, 5, 0, 0, 0);
        ASSERT_ALLOW(SYS_getsid, 5, 0, 0, 0);
        ASSERT_DEFAULT(SYS_getsid, 6, 0, 0, 0);
        ASSERT_ALLOW(SYS_setfsuid, 6, 0, 0, 0);
        ASSERT_DEFAULT(SYS_setfsuid, 5, 0, 0, 0);
        ASSERT_ALLOW(SYS_setfsgid, 5, 0, 0, 0);
        ASSERT_DEFAULT(SYS_setfsgid, 4, 0, 0, 0);
        ASSERT_ALLOW(SYS_umask, 0x35, 0, 0, 0);
        ASSERT_ALLOW(SYS_umask, 0x13f, 0, 0, 0);
        ASSERT_DEFAULT(SYS_umask, 0x45, 0, 0, 0);
        ASSERT_ALLOW(SYS_dup3, 0, 0, INT64_MAX, 0);
        ASSERT_DEFAULT(SYS_dup3, 0, 0, 0, 0);
        ck_assert_uint_eq(rule(SYS_umask, 0x35, 0, 0, 0)->conds[0].value, 240);
        ck_assert_uint_eq(rule(SYS_umask, 0x35, 0, 0, 0)->conds[0].value2, 48);
        assert_compiles();
}
END_TEST

/* What libseccomp cannot take is imported as runc has libseccomp run it. */
START_TEST(test_libseccomp_limits)
{
        import_text("lim.json",
                    "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, "
                    "\"syscalls\": ["
                    "{\"names\": [\"getpid\", \"no_such_call\", \"chown32\"], "
                    "  \"action\": \"SCMP_ACT_ALLOW\"},"
                    /* acts as the default: left out, and does not undo the allow above */
                    "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},"
                    /* conditional under an unconditional rule: libseccomp keeps the latter */
                    "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_KILL\", \"args\": "
                    "  [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
                    /* two conditions on one argument: one rule each (either matches) */
                    "{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                    "  [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"},"
                    "   {\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]},"
                    /* conditions on different arguments: all must hold */
                    "{\"names\": [\"mmap\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                    "  [{\"index\": 2, \"value\": 4, \"valueTwo\": 0, "
                    "    \"op\": \"SCMP_CMP_MASKED_EQ\"},"
                    "   {\"index\": 3, \"value\": 1, \"op\": \"SCMP_CMP_NE\"}]},"
                    /* an unconditional rule after a conditional one replaces it */
                    "{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13, "
                    "  \"args\": [{\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"}]},"
                    "{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\"}"
                    "]}");
        ck_assert_uint_eq(info.n_unknown_names, 1);
        ck_assert_uint_eq(info.n_foreign_names, 1);
        ck_assert_uint_eq(info.n_as_default, 1);
        ck_assert_uint_eq(info.n_swallowed, 1);
        ASSERT_ALLOW(SYS_getpid, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_getpid, 1, 0, 0, 0);
        ASSERT_ALLOW(SYS_personality, 0, 0, 0, 0);
        ASSERT_ALLOW(SYS_personality, 8, 0, 0, 0);
        ASSERT_DEFAULT(SYS_personality, 1, 0, 0, 0);
        ASSERT_ALLOW(SYS_mmap, 0, 4096, 3, 2);
        ASSERT_DEFAULT(SYS_mmap, 0, 4096, 5, 2);
        ASSERT_DEFAULT(SYS_mmap, 0, 4096, 3, 1);
        ASSERT_ALLOW(SYS_kill, 1, 9, 0, 0);
        ck_assert_uint_eq(p.seccomp.n_rules, 5); /* getpid, personality x2, mmap, kill */
        assert_compiles();
}
END_TEST

/* A failed import leaves p as it was. */
START_TEST(test_failure_keeps_policy)
{
        size_t n = p.seccomp.n_rules;
        enum policy_action dflt = p.seccomp.default_action;
        const struct policy_syscall_rule *r = rule(SYS_ptrace, 0, 0, 0, 0);
        rf_error err = { 0 };

        ck_assert_ptr_nonnull(r);
        write_file("late.json", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                                "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\"},"
                                "{\"names\": [\"write\"], \"action\": \"SCMP_ACT_NOPE\"}]}");
        ck_assert_int_eq(policy_import_seccomp_json(&p, "late.json", &err), -EINVAL);
        ck_assert_uint_eq(p.seccomp.n_rules, n);
        ck_assert_int_eq(p.seccomp.default_action, dflt);
        ck_assert_ptr_eq(rule(SYS_ptrace, 0, 0, 0, 0), r);
        ck_assert_int_eq(policy_import_seccomp_json(&p, "missing.json", &err), -ENOENT);
        ck_assert_str_eq(err.msg, "cannot open 'missing.json': No such file or directory");
        ck_assert_uint_eq(p.seccomp.n_rules, n);
}
END_TEST

#define A_                                                                                         \
        "expected SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, "          \
        "SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG or SCMP_ACT_NOTIFY"
#define PRE_ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
#define ARG_(a) PRE_ "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [" a "]}]}"

/* Bad inputs, each with its sentence. */
static const struct {
        const char *name, *json, *msg;
} bad[] = {
        { "bad.json", "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [,\n",
          "bad.json:3:16: syntax error: unexpected token near ','" },
        { "dup.json",
          "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultAction\": \"SCMP_ACT_ALLOW\"}",
          "dup.json:1:51: syntax error: duplicate object key near '\"defaultAction\"'" },
        { "big.json",
          ARG_("{\"index\": 0, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_EQ\"}"),
          "big.json:1:148: syntax error: too big integer near '18446744073709551615'" },
        { "act.json",
          PRE_ "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
               " {\"names\": [\"write\"], \"action\": \"SCMP_ACT_FOO\"}]}",
          "act.json: syscalls[1].action: unknown action 'SCMP_ACT_FOO', " A_ },
        { "op.json", ARG_("{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_XX\"}"),
          "op.json: syscalls[0].args[0].op: unknown operator 'SCMP_CMP_XX', expected SCMP_CMP_EQ, "
          "SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GT, SCMP_CMP_GE or SCMP_CMP_MASKED_EQ" },
        { "arr.json", PRE_ "{\"names\": [\"read\"]}}",
          "arr.json: syscalls: expected an array of rules, got an object" },
        { "names.json", PRE_ "[{\"action\": \"SCMP_ACT_ALLOW\"}]}",
          "names.json: syscalls[0]: no system call names, expected 'names' (a list of names) or "
          "'name'" },
        { "empty.json", PRE_ "[{\"names\": [], \"action\": \"SCMP_ACT_ALLOW\"}]}",
          "empty.json: syscalls[0].names: expected a non-empty array of names, got an empty one" },
        { "both.json",
          PRE_ "[{\"name\": \"read\", \"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
          "both.json: syscalls[0]: has both 'name' and 'names', expected one" },
        { "num.json", PRE_ "[{\"names\": [\"read\", 7], \"action\": \"SCMP_ACT_ALLOW\"}]}",
          "num.json: syscalls[0].names[1]: expected a string, got an integer" },
        { "noact.json", PRE_ "[{\"names\": [\"read\"]}]}",
          "noact.json: syscalls[0].action: missing, expected one of SCMP_ACT_ALLOW, "
          "SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, "
          "SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG or SCMP_ACT_NOTIFY" },
        { "dflt.json", "{\"defaultAction\": 1}",
          "dflt.json: defaultAction: expected a string such as SCMP_ACT_ALLOW, got an integer" },
        { "none.json", "{\"syscalls\": []}",
          "none.json: expected a seccomp profile (an object with defaultAction and syscalls) or "
          "an OCI runtime config (with linux.seccomp), got neither" },
        { "list.json", "[]",
          "list.json: expected a seccomp profile (an object with defaultAction and syscalls) or "
          "an OCI runtime config (with linux.seccomp), got an array" },
        { "nosec.json", "{\"ociVersion\": \"1.0.2\", \"linux\": {}}",
          "nosec.json: linux.seccomp: missing, the OCI config has no seccomp profile" },
        { "cfg.json",
          "{\"linux\": {\"seccomp\": " PRE_ "[{\"names\": [\"read\"], \"action\": \"allow\"}]}}}",
          "cfg.json: linux.seccomp.syscalls[0].action: unknown action 'allow', " A_ },
        { "idx.json", ARG_("{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}"),
          "idx.json: syscalls[0].args[0].index: 6 is out of range, expected 0 to 5" },
        { "neg.json", ARG_("{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}"),
          "neg.json: syscalls[0].args[0].value: -1 is negative, expected a non-negative integer" },
        { "real.json", ARG_("{\"index\": 0, \"value\": 1.5, \"op\": \"SCMP_CMP_EQ\"}"),
          "real.json: syscalls[0].args[0].value: expected a non-negative integer, got a "
          "fractional number" },
        { "noop.json", ARG_("{\"index\": 0, \"value\": 1}"),
          "noop.json: syscalls[0].args[0].op: expected one of SCMP_CMP_EQ, SCMP_CMP_NE, "
          "SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GT, SCMP_CMP_GE or SCMP_CMP_MASKED_EQ, got nothing" },
        { "args.json",
          PRE_ "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": {}}]}",
          "args.json: syscalls[0].args: expected an array of conditions, got an object" },
        { "ern.json",
          PRE_ "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1}]}",
          "ern.json: syscalls[0].errnoRet: given for SCMP_ACT_ALLOW, but only SCMP_ACT_ERRNO "
          "and SCMP_ACT_TRACE take one" },
        { "e0.json",
          PRE_ "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 0}]}",
          "e0.json: syscalls[0].errnoRet: 0 is not an errno, expected a number from 1 (EPERM) "
          "up" },
        { "de.json", "{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultErrnoRet\": 1}",
          "de.json: defaultErrnoRet: given for SCMP_ACT_KILL, but only SCMP_ACT_ERRNO and "
          "SCMP_ACT_TRACE take one" },
        { "mk.json",
          PRE_ "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
               "\"includes\": {\"minKernel\": \"4.x\"}}]}",
          "mk.json: syscalls[0].includes.minKernel: invalid kernel version '4.x', expected "
          "MAJOR.MINOR such as 4.8" },
        { "caps.json",
          PRE_ "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
               "\"excludes\": {\"caps\": \"CAP_SYS_ADMIN\"}}]}",
          "caps.json: syscalls[0].excludes.caps: expected an array of strings, got a string" },
        { "arch.json", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [1]}",
          "arch.json: architectures[0]: expected a string, got an integer" },
        { "map.json", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{}]}",
          "map.json: archMap[0]: expected an object with an architecture string such as "
          "SCMP_ARCH_X86_64" },
        { "ent.json", PRE_ "[\"read\"]}",
          "ent.json: syscalls[0]: expected an object with names and action, got a string" },
        /* Found by tests/fuzz/fuzz_oci (corpus/oci/regress-no-value.json): a condition without
         * value or index crashed the import (kind() of a missing member). */
        { "noval.json", ARG_("{\"index\": 0, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}"),
          "noval.json: syscalls[0].args[0].value: expected a non-negative integer, got nothing" },
        { "noidx.json", ARG_("{\"value\": 1, \"op\": \"SCMP_CMP_EQ\"}"),
          "noidx.json: syscalls[0].args[0].index: expected a non-negative integer, got nothing" },
        { "nullidx.json", ARG_("{\"index\": null, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}"),
          "nullidx.json: syscalls[0].args[0].index: expected a non-negative integer, got "
          "nothing" },
};

START_TEST(test_errors)
{
        rf_error err = { 0 };

        write_file(bad[_i].name, bad[_i].json);
        ck_assert_int_eq(policy_import_seccomp_json(&p, bad[_i].name, &err), -EINVAL);
        ck_assert_int_eq(err.code, -EINVAL);
        ck_assert_str_eq(err.msg, bad[_i].msg);
}
END_TEST

/* The same inputs from memory (what the fuzzer uses): the same sentences, nothing written. */
START_TEST(test_errors_mem)
{
        rf_error err = { 0 };
        size_t n = p.seccomp.n_rules;

        ck_assert_int_eq(policy_import_seccomp_json_mem(&p, bad[_i].name, bad[_i].json,
                                                        strlen(bad[_i].json), NULL, &err),
                         -EINVAL);
        ck_assert_int_eq(err.code, -EINVAL);
        ck_assert_str_eq(err.msg, bad[_i].msg);
        ck_assert_uint_eq(p.seccomp.n_rules, n); /* untouched */
}
END_TEST

/* Docker's default profile, compiled and loaded in children that run real programs. */
static struct policy_bpf bpf;

static void programs_setup(void)
{
        rf_error err = { 0 };

        setup();
        import_data("default.json");
        ck_assert_msg(policy_compile(&p, &bpf, &err) == 0, "compile: %s", err.msg);
        write_file("t.c", "#include <stdio.h>\nint main(void) { puts(\"compiled\"); return 0; }\n");
}

static void programs_teardown(void)
{
        policy_bpf_done(&bpf);
        teardown();
}

static void load(const struct sock_fprog *prog)
{
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0)
                _exit(100);
}

/* Run argv (under prog unless NULL) with stdout captured; returns the wait status. */
static int run_program(const struct sock_fprog *prog, char *const argv[], char *out,
                       size_t out_size)
{
        int pfd[2], status;
        size_t n = 0;
        ssize_t k;
        pid_t pid;

        ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                unsetenv("MAKEFLAGS"); /* not the make that runs these tests */
                unsetenv("MFLAGS");
                unsetenv("MAKELEVEL");
                if (dup2(pfd[1], 1) < 0)
                        _exit(103);
                if (prog)
                        load(prog);
                execv(argv[0], argv);
                _exit(127);
        }
        close(pfd[1]);
        while (n < out_size - 1 && (k = read(pfd[0], out + n, out_size - 1 - n)) > 0)
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
                int st_ = run_program(&bpf.kill, argv_, out_, sizeof(out_));                       \
                ck_assert_msg(WIFEXITED(st_) && WEXITSTATUS(st_) == 0,                             \
                              "%s under Docker's default profile: status 0x%x (signal %d)",        \
                              argv_[0], st_, WIFSIGNALED(st_) ? WTERMSIG(st_) : 0);                \
                ck_assert_str_eq(out_, expect_out);                                                \
        } while (0)

START_TEST(test_notify_is_kill)
{
        /* Docker's default has no kill or report rules: both programs are the same. */
        ck_assert_uint_eq(bpf.notify.len, bpf.kill.len);
        ck_assert_mem_eq(bpf.notify.filter, bpf.kill.filter,
                         bpf.kill.len * sizeof(*bpf.kill.filter));
}
END_TEST

START_TEST(test_true)
{
        RUN("", "/bin/true");
}
END_TEST

START_TEST(test_shell_pipe)
{
        char *const argv[] = { "/bin/sh", "-c", "ls / | sort | head -1", NULL };
        char expect[4096];

        ck_assert_int_eq(run_program(NULL, argv, expect, sizeof(expect)), 0);
        ck_assert_uint_gt(strlen(expect), 1); /* the same pipe without a filter */
        RUN(expect, "/bin/sh", "-c", "ls / | sort | head -1");
}
END_TEST

START_TEST(test_python3)
{
        RUN("42\n", "/usr/bin/python3", "-c", "print(6*7)");
}
END_TEST

START_TEST(test_cc)
{
        char cc[] = "/usr/bin/cc";

        ck_assert_msg(access(cc, X_OK) == 0, "%s: %s", cc, strerror(errno));
        RUN("", cc, "-O2", "-o", "t", "t.c");
        RUN("compiled\n", "./t");
}
END_TEST

/* In a child under the filter: ptrace(PTRACE_TRACEME), unshare(CLONE_NEWUSER), unshare(0) and
 * clone3(NULL, 0), each as -errno or the result. */
START_TEST(test_syscalls)
{
        long res[4];
        int pfd[2], status;
        pid_t pid;

        /* Without the filter unshare(0) works and clone3(NULL, 0) is EINVAL: the errors below
         * come from the profile. */
        ck_assert_int_eq(unshare(0), 0);
        ck_assert_int_eq(syscall(SYS_clone3, NULL, 0), -1);
        ck_assert_int_eq(errno, EINVAL);
        ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                load(&bpf.kill);
                res[0] = ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0 ? -errno : 0;
                res[1] = unshare(CLONE_NEWUSER) < 0 ? -errno : 0;
                res[2] = unshare(0) < 0 ? -errno : 0;
                res[3] = syscall(SYS_clone3, NULL, 0) < 0 ? -errno : 0;
                _exit(write(pfd[1], res, sizeof(res)) == sizeof(res) ? 0 : 101);
        }
        close(pfd[1]);
        ck_assert_int_eq(read(pfd[0], res, sizeof(res)), sizeof(res));
        close(pfd[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_int_eq(status, 0);
        ck_assert_int_eq(res[0], 0);      /* allowed: minKernel 4.8 */
        ck_assert_int_eq(res[1], -EPERM); /* needs CAP_SYS_ADMIN in Docker's profile */
        ck_assert_int_eq(res[2], -EPERM);
        ck_assert_int_eq(res[3], -ENOSYS); /* so that glibc falls back to clone */
}
END_TEST

/* Whether this process can load filters: valgrind, for one, does not implement seccomp(). */
static bool seccomp_available(void)
{
        uint32_t action = SECCOMP_RET_KILL_PROCESS;
        return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

static Suite *policy_oci_suite(bool load_filters)
{
        Suite *s = suite_create("policy_oci");
        TCase *tc;

        tc = tcase_create("import");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_example);
        tcase_add_test(tc, test_conditional_include);
        tcase_add_test(tc, test_arches_kernel);
        tcase_add_test(tc, test_min_kernel_boundary);
        tcase_add_test(tc, test_old_format);
        tcase_add_test(tc, test_default_profile);
        tcase_add_test(tc, test_oci_config);
        tcase_add_test(tc, test_oci_bare);
        tcase_add_test(tc, test_default_actions);
        tcase_add_test(tc, test_operators);
        tcase_add_test(tc, test_libseccomp_limits);
        tcase_add_test(tc, test_failure_keeps_policy);
        suite_add_tcase(s, tc);

        tc = tcase_create("errors");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_loop_test(tc, test_errors, 0, (int)ARRAY_SIZE(bad));
        tcase_add_loop_test(tc, test_errors_mem, 0, (int)ARRAY_SIZE(bad));
        suite_add_tcase(s, tc);

        tc = tcase_create("programs");
        tcase_add_checked_fixture(tc, programs_setup, programs_teardown);
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_notify_is_kill);
        if (load_filters) {
                tcase_add_test(tc, test_true);
                tcase_add_test(tc, test_shell_pipe);
                tcase_add_test(tc, test_python3);
                tcase_add_test(tc, test_cc);
                tcase_add_test(tc, test_syscalls);
        }
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        bool load_filters = seccomp_available();

        if (!load_filters)
                fprintf(stderr, "# seccomp() is not available here: only importing and "
                                "compiling, not loading\n");
        /* CK_TAP_LOG_FILE_NAME=- (set by make check) makes Check write TAP to stdout. */
        return test_run_suite(policy_oci_suite(load_filters));
}
