/* SPDX-License-Identifier: MIT */
/* Unit tests of the policy model: the default policy, every setting key with a good and a bad
 * value (the exact sentence a person sees), path normalisation, and policies/default.policy. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "policy/policy.h"
#include "helpers.h"

static struct rf_policy p;

static void setup(void)
{
        rf_error err = { 0 };
        ck_assert_msg(policy_init_default(&p, &err) == 0, "default policy: %s", err.msg);
}

static void teardown(void)
{
        policy_done(&p);
}

#define SET_OK(k, v)                                                                               \
        do {                                                                                       \
                rf_error e_ = { 0 };                                                               \
                int r_ = policy_set(&p, k, v, NULL, &e_);                                          \
                ck_assert_msg(r_ == 0, "%s = %s: %d %s", k, v, r_, e_.msg);                        \
        } while (0)

#define SET_ERR(k, v, origin, text)                                                                \
        do {                                                                                       \
                rf_error e_ = { 0 };                                                               \
                ck_assert_int_eq(policy_set(&p, k, v, origin, &e_), -EINVAL);                      \
                ck_assert_int_eq(e_.code, -EINVAL);                                                \
                ck_assert_str_eq(e_.msg, text);                                                    \
        } while (0)

static const struct policy_syscall_rule *match0(const char *name)
{
        static const uint64_t args[6];
        return policy_match(&p, seccomp_syscall_resolve_name(name), args);
}

static size_t rules_named(const char *name)
{
        size_t n = 0;
        for (size_t i = 0; i < p.seccomp.n_rules; i++)
                n += !strcmp(p.seccomp.rules[i].name, name);
        return n;
}

START_TEST(test_default_settings)
{
        static const char *const env[] = { "PATH", "LANG", "LANGUAGE", "LC_*", "TERM", "TZ" };

        ck_assert_uint_eq(p.namespaces, POLICY_NS_ALL);
        ck_assert_int_eq(p.net, POLICY_NET_NONE);
        ck_assert(!p.as_root);
        ck_assert(!p.hostname_set);
        ck_assert_ptr_null(p.cwd);
        ck_assert_uint_eq(p.env_pass.n, 6);
        for (size_t i = 0; i < 6; i++)
                ck_assert_str_eq(p.env_pass.v[i], env[i]);
        ck_assert_uint_eq(p.env_set.n, 0);
        ck_assert_uint_eq(p.n_fds, 0);
        ck_assert_uint_eq(p.n_fs, 0);
        ck_assert_uint_eq(p.limits.tmp_size, 64 << 20);
        ck_assert_uint_eq(p.limits.timeout_ms + p.limits.cpu_ms + p.limits.memory + p.limits.pids +
                                  p.limits.files + p.limits.file_size + p.limits.output,
                          0);
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_REPORT);
        ck_assert_int_eq(p.seccomp.default_errno, EPERM);
}
END_TEST

START_TEST(test_default_seccomp)
{
        /* clang-format off */
        static const char *const refused[] = {
                "io_uring_setup", "io_uring_enter", "io_uring_register", "ptrace",
                "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root",
                "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick",
                "mount_setattr", "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key",
                "request_key", "kexec_load", "kexec_file_load", "init_module", "finit_module",
                "delete_module", "unshare", "setns", "acct", "swapon", "swapoff", "reboot",
                "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "syslog", "quotactl",
                "nfsservctl", "lookup_dcookie", "vhangup", "iopl", "ioperm", "create_module",
                "get_kernel_syms", "query_module", "uselib", "ustat", "sysfs", "_sysctl",
                "name_to_handle_at", "open_by_handle_at", "fanotify_init",
        };
        static const char *const allowed[] = { "read", "execve", "close_range", "rseq",
                                               "faccessat2", "statx", "openat2", "pidfd_open",
                                               "epoll_pwait2", "futex_waitv", "arch_prctl",
                                               "landlock_create_ruleset", "prctl", "wait4" };
        /* clang-format on */
        const struct policy_syscall_rule *r;

        for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
                r = match0(refused[i]);
                ck_assert_msg(r && r->action == POLICY_ACT_REPORT && r->errno_val == EPERM,
                              "%s is not refused", refused[i]);
                ck_assert_str_eq(r->origin, "default policy");
        }
        for (size_t i = 0; i < ARRAY_SIZE(allowed); i++) {
                r = match0(allowed[i]);
                ck_assert_msg(r && r->action == POLICY_ACT_ALLOW, "%s is not allowed", allowed[i]);
        }
        r = match0("clone3");
        ck_assert(r && r->action == POLICY_ACT_ERRNO && r->errno_val == ENOSYS);
        /* vm86 exists on i386 only: its rule is kept but never applies here */
        ck_assert_uint_eq(rules_named("vm86"), 1);
        for (size_t i = 0; i < p.seccomp.n_rules; i++)
                if (!strcmp(p.seccomp.rules[i].name, "vm86"))
                        ck_assert_int_lt(p.seccomp.rules[i].nr, 0);
}
END_TEST

START_TEST(test_namespaces)
{
        static const struct {
                const char *key;
                unsigned bit;
        } ns[] = { { "namespace.user", POLICY_NS_USER },    { "namespace.pid", POLICY_NS_PID },
                   { "namespace.mount", POLICY_NS_MOUNT },  { "namespace.ipc", POLICY_NS_IPC },
                   { "namespace.uts", POLICY_NS_UTS },      { "namespace.net", POLICY_NS_NET },
                   { "namespace.cgroup", POLICY_NS_CGROUP } };

        for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
                SET_OK(ns[i].key, "off");
                ck_assert_uint_eq(p.namespaces, POLICY_NS_ALL & ~ns[i].bit);
                SET_OK(ns[i].key, "on");
                ck_assert_uint_eq(p.namespaces, POLICY_NS_ALL);
        }
        SET_ERR("namespace.user", "maybe", NULL,
                "namespace.user: invalid value 'maybe', expected on or off");
        SET_ERR("namespace.pid", "", NULL, "namespace.pid: invalid value '', expected on or off");
        ck_assert_uint_eq(p.namespaces, POLICY_NS_ALL);
}
END_TEST

START_TEST(test_net)
{
        SET_OK("net", "host");
        ck_assert_int_eq(p.net, POLICY_NET_HOST);
        ck_assert_uint_eq(p.namespaces, POLICY_NS_ALL & ~POLICY_NS_NET);
        SET_OK("net", "loopback");
        ck_assert_int_eq(p.net, POLICY_NET_LOOPBACK);
        ck_assert_uint_eq(p.namespaces, POLICY_NS_ALL);
        SET_OK("net", "none");
        ck_assert_int_eq(p.net, POLICY_NET_NONE);
        /* turning the namespace off is the host network, and back on a private one */
        SET_OK("namespace.net", "off");
        ck_assert_int_eq(p.net, POLICY_NET_HOST);
        SET_OK("namespace.net", "on");
        ck_assert_int_eq(p.net, POLICY_NET_NONE);
        SET_ERR("net", "wifi", NULL, "net: invalid value 'wifi', expected none, loopback or host");
}
END_TEST

START_TEST(test_fs_rules)
{
        static const struct {
                const char *in, *out;
        } norm[] = {
                { "/usr", "/usr" },      { "//a//b/", "/a/b" },          { "/a/./b/.", "/a/b" },
                { "/a/b/../c", "/a/c" }, { "/a/../../b", "/b" },         { "/...", "/..." },
                { "/a/b/..", "/a" },     { "/a/.hidden", "/a/.hidden" },
        };

        SET_OK("fs.ro", "/usr/lib");
        SET_OK("fs.rw", "/home/me/work");
        SET_OK("fs.hide", "/home/me/.ssh");
        SET_OK("fs.tmpfs", "/var/tmp");
        ck_assert_uint_eq(p.n_fs, 4);
        ck_assert_int_eq(p.fs[0].kind, POLICY_FS_RO);
        ck_assert_int_eq(p.fs[1].kind, POLICY_FS_RW);
        ck_assert_int_eq(p.fs[2].kind, POLICY_FS_HIDE);
        ck_assert_int_eq(p.fs[3].kind, POLICY_FS_TMPFS);
        ck_assert_str_eq(p.fs[2].path, "/home/me/.ssh");
        ck_assert_int_eq(policy_set(&p, "fs.rw", "/srv//data/", "job.policy:7", NULL), 0);
        ck_assert_str_eq(p.fs[4].path, "/srv/data");
        ck_assert_str_eq(p.fs[4].origin, "job.policy:7");

        for (size_t i = 0; i < ARRAY_SIZE(norm); i++) {
                _cleanup_free_ char *out = NULL;
                ck_assert_int_eq(policy_normalize_path(norm[i].in, &out), 0);
                ck_assert_str_eq(out, norm[i].out);
        }
        SET_OK("fs.ro", "/");
        SET_OK("fs.ro", "/../..");
        ck_assert_str_eq(p.fs[p.n_fs - 1].path, "/");
        SET_ERR("fs.rw", "x", NULL, "fs.rw: 'x' is not an absolute path");
        SET_ERR("fs.ro", "./usr", NULL, "fs.ro: './usr' is not an absolute path");
        SET_ERR("fs.tmpfs", "", NULL, "fs.tmpfs: '' is not an absolute path");
        SET_ERR("fs.rw", "/", NULL, "fs.rw: '/' is the root directory, which only fs.ro may name");
        SET_ERR("fs.hide", "/a/..", NULL,
                "fs.hide: '/a/..' is the root directory, which only fs.ro may name");
        SET_ERR("fs.tmpfs", "//", NULL,
                "fs.tmpfs: '//' is the root directory, which only fs.ro may name");
        ck_assert_uint_eq(p.n_fs, 7);
}
END_TEST

START_TEST(test_identity_hostname_cwd)
{
        SET_OK("identity", "root");
        ck_assert(p.as_root);
        SET_OK("identity", "user");
        ck_assert(!p.as_root);
        SET_ERR("identity", "admin", NULL,
                "identity: invalid value 'admin', expected user or root");

        SET_OK("hostname", "box-1.example");
        ck_assert(p.hostname_set);
        ck_assert_str_eq(p.hostname, "box-1.example");
        SET_OK("hostname", "a23456789012345678901234567890123456789012345678901234567890123");
        ck_assert_uint_eq(strlen(p.hostname), 63);
        SET_ERR("hostname", "a234567890123456789012345678901234567890123456789012345678901234",
                NULL,
                "hostname: invalid value "
                "'a234567890123456789012345678901234567890123456789012345678901234', expected 1 "
                "to 63 letters, digits, '.', '-' or '_'");
        SET_ERR("hostname", "", NULL,
                "hostname: invalid value '', expected 1 to 63 letters, digits, '.', '-' or '_'");
        SET_ERR("hostname", "my host", NULL,
                "hostname: invalid value 'my host', expected 1 to 63 letters, digits, '.', '-' "
                "or '_'");

        SET_OK("cwd", "/work/./src/");
        ck_assert_str_eq(p.cwd, "/work/src");
        SET_OK("cwd", "/tmp");
        ck_assert_str_eq(p.cwd, "/tmp");
        SET_ERR("cwd", "src", NULL, "cwd: 'src' is not an absolute path");
        ck_assert_str_eq(p.cwd, "/tmp");
}
END_TEST

START_TEST(test_env)
{
        SET_OK("env.pass", "HOME");
        SET_OK("env.pass", "XDG_*");
        SET_OK("env.pass", "HOME"); /* no duplicate */
        ck_assert_uint_eq(p.env_pass.n, 8);
        ck_assert_str_eq(p.env_pass.v[6], "HOME");
        ck_assert_str_eq(p.env_pass.v[7], "XDG_*");
        ck_assert_ptr_null(p.env_pass.v[8]);
        SET_ERR("env.pass", "1ABC", NULL,
                "env.pass: invalid value '1ABC', expected a variable name such as LANG, a "
                "prefix such as LC_*, or *");
        SET_ERR("env.pass", "**", NULL,
                "env.pass: invalid value '**', expected a variable name such as LANG, a prefix "
                "such as LC_*, or *");
        SET_ERR("env.pass", "", "--env",
                "--env: env.pass: invalid value '', expected a variable name such as LANG, a "
                "prefix such as LC_*, or *");
        SET_ERR("env.pass", "A*B", NULL,
                "env.pass: invalid value 'A*B', expected a variable name such as LANG, a "
                "prefix such as LC_*, or *");
        SET_OK("env.pass", "*"); /* every variable */
        ck_assert_uint_eq(p.env_pass.n, 9);
        ck_assert_str_eq(p.env_pass.v[8], "*");

        SET_OK("env.set", "MODE=fast");
        SET_OK("env.set", "EMPTY=");
        SET_OK("env.set", "MODE=a=b"); /* a later value for the same name replaces it */
        ck_assert_uint_eq(p.env_set.n, 2);
        ck_assert_str_eq(p.env_set.v[0], "MODE=a=b");
        ck_assert_str_eq(p.env_set.v[1], "EMPTY=");
        SET_ERR("env.set", "MODE", NULL,
                "env.set: invalid value 'MODE', expected NAME=VALUE with a name such as MY_VAR");
        SET_ERR("env.set", "=x", NULL,
                "env.set: invalid value '=x', expected NAME=VALUE with a name such as MY_VAR");
        SET_ERR("env.set", "MY-VAR=1", NULL,
                "env.set: invalid value 'MY-VAR=1', expected NAME=VALUE with a name such as "
                "MY_VAR");
}
END_TEST

START_TEST(test_fd)
{
        SET_OK("fd", "3");
        SET_OK("fd", "1023");
        SET_OK("fd", "3");
        ck_assert_uint_eq(p.n_fds, 2);
        ck_assert_int_eq(p.fds[0], 3);
        ck_assert_int_eq(p.fds[1], 1023);
        SET_ERR("fd", "1024", NULL,
                "fd: invalid value '1024', expected a whole number from 0 to 1023");
        SET_ERR("fd", "-1", NULL, "fd: invalid value '-1', expected a whole number from 0 to 1023");
        SET_ERR("fd", "stdin", NULL,
                "fd: invalid value 'stdin', expected a whole number from 0 to 1023");
}
END_TEST

START_TEST(test_limits)
{
        SET_OK("limit.timeout", "1.5s");
        ck_assert_uint_eq(p.limits.timeout_ms, 1500);
        SET_OK("limit.timeout", "2m"); /* later overrides earlier */
        ck_assert_uint_eq(p.limits.timeout_ms, 120000);
        SET_OK("limit.cpu-time", "250ms");
        ck_assert_uint_eq(p.limits.cpu_ms, 250);
        SET_OK("limit.memory", "512M");
        ck_assert_uint_eq(p.limits.memory, 512ULL << 20);
        SET_OK("limit.file-size", "64K");
        ck_assert_uint_eq(p.limits.file_size, 64 << 10);
        SET_OK("limit.output", "4096");
        ck_assert_uint_eq(p.limits.output, 4096);
        SET_OK("limit.tmp-size", "1G");
        ck_assert_uint_eq(p.limits.tmp_size, 1ULL << 30);
        SET_OK("limit.pids", "4194304");
        ck_assert_uint_eq(p.limits.pids, 4194304);
        SET_OK("limit.files", "1");
        ck_assert_uint_eq(p.limits.files, 1);

        /* 0 and none clear a limit */
        SET_OK("limit.timeout", "none");
        SET_OK("limit.cpu-time", "0");
        SET_OK("limit.memory", "none");
        SET_OK("limit.file-size", "0");
        SET_OK("limit.output", "none");
        SET_OK("limit.tmp-size", "0");
        SET_OK("limit.pids", "none");
        SET_OK("limit.files", "none");
        ck_assert_uint_eq(p.limits.timeout_ms + p.limits.cpu_ms + p.limits.memory +
                                  p.limits.file_size + p.limits.output + p.limits.tmp_size +
                                  p.limits.pids + p.limits.files,
                          0);

        SET_ERR("limit.timeout", "soon", NULL,
                "limit.timeout: invalid value 'soon', expected a duration such as 500ms, 1.5s, "
                "2m or 1h");
        SET_ERR("limit.cpu-time", "-1s", NULL,
                "limit.cpu-time: invalid value '-1s', expected a duration such as 500ms, 1.5s, "
                "2m or 1h");
        SET_ERR("limit.memory", "lots", NULL,
                "limit.memory: invalid value 'lots', expected a size such as 4096, 64K, 512M or "
                "2G (units B, K, M, G, T or KiB, MiB, GiB, TiB, in either case)");
        SET_ERR("limit.file-size", "10 M", NULL,
                "limit.file-size: invalid value '10 M', expected a size such as 4096, 64K, 512M "
                "or 2G (units B, K, M, G, T or KiB, MiB, GiB, TiB, in either case)");
        SET_ERR("limit.output", "1X", NULL,
                "limit.output: invalid value '1X', expected a size such as 4096, 64K, 512M or "
                "2G (units B, K, M, G, T or KiB, MiB, GiB, TiB, in either case)");
        SET_ERR("limit.tmp-size", "", NULL,
                "limit.tmp-size: invalid value '', expected a size such as 4096, 64K, 512M or "
                "2G (units B, K, M, G, T or KiB, MiB, GiB, TiB, in either case)");
        SET_ERR("limit.pids", "4194305", NULL,
                "limit.pids: invalid value '4194305', expected a whole number from 1 to 4194304");
        SET_ERR("limit.files", "many", NULL,
                "limit.files: invalid value 'many', expected a whole number from 1 to 1048576");
}
END_TEST

/* Issue 14's rough edges: values that used to mean something else than they say. */
START_TEST(test_limits_rough_edges)
{
        /* below the resolution: refused, never dropped to no limit */
        SET_ERR("limit.timeout", "0.0001", "--timeout",
                "--timeout: limit.timeout: duration '0.0001' is below the resolution of 1ms, "
                "expected at least 1ms");
        SET_ERR("limit.cpu-time", "0.4ms", NULL,
                "limit.cpu-time: duration '0.4ms' is below the resolution of 1ms, expected at "
                "least 1ms");
        SET_OK("limit.timeout", "1ms");
        ck_assert_uint_eq(p.limits.timeout_ms, 1);

        /* a memory limit too small to start a process, and the smallest one */
        SET_ERR("limit.memory", "1", "--memory",
                "--memory: limit.memory: '1' is too small to start a process, expected at least "
                "4M or none");
        SET_ERR("limit.memory", "4095K", NULL,
                "limit.memory: '4095K' is too small to start a process, expected at least 4M or "
                "none");
        ck_assert_uint_eq(p.limits.memory, 0);
        SET_OK("limit.memory", "4M");
        ck_assert_uint_eq(p.limits.memory, 4ULL << 20);
        SET_OK("limit.memory", "0"); /* still no limit */
        ck_assert_uint_eq(p.limits.memory, 0);

        /* a count of 0 is outside the range the error states */
        SET_ERR("limit.pids", "0", "--pids",
                "--pids: limit.pids: invalid value '0', expected a whole number from 1 to "
                "4194304");
        SET_ERR("limit.files", "0", NULL,
                "limit.files: invalid value '0', expected a whole number from 1 to 1048576");
        ck_assert_uint_eq(p.limits.pids + p.limits.files, 0);

        /* lowercase units */
        SET_OK("limit.memory", "1g");
        ck_assert_uint_eq(p.limits.memory, 1ULL << 30);
        SET_OK("limit.output", "64m");
        ck_assert_uint_eq(p.limits.output, 64ULL << 20);
        SET_OK("limit.file-size", "4k");
        ck_assert_uint_eq(p.limits.file_size, 4096);
}
END_TEST

START_TEST(test_seccomp_default)
{
        SET_OK("seccomp.default", "allow");
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_ALLOW);
        SET_OK("seccomp.default", "kill");
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_KILL);
        SET_OK("seccomp.default", "errno EACCES");
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_ERRNO);
        ck_assert_int_eq(p.seccomp.default_errno, EACCES);
        SET_OK("seccomp.default", "errno 38");
        ck_assert_int_eq(p.seccomp.default_errno, ENOSYS);
        SET_OK("seccomp.default", "report");
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_REPORT);
        ck_assert_int_eq(p.seccomp.default_errno, EPERM);
        SET_ERR("seccomp.default", "deny", NULL,
                "seccomp.default: invalid value 'deny', expected allow, kill, report or errno "
                "NAME (such as errno EPERM)");
        SET_ERR("seccomp.default", "errno", NULL,
                "seccomp.default: invalid value 'errno', expected allow, kill, report or errno "
                "NAME (such as errno EPERM)");
        SET_ERR("seccomp.default", "allow now", NULL,
                "seccomp.default: invalid value 'allow now', expected allow, kill, report or "
                "errno NAME (such as errno EPERM)");
        SET_ERR("seccomp.default", "errno EFOO", NULL,
                "seccomp.default: unknown errno name 'EFOO', expected a name such as EPERM or "
                "ENOSYS");
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_REPORT);
}
END_TEST

START_TEST(test_seccomp_rules)
{
        const struct policy_syscall_rule *r;

        ck_assert_ptr_nonnull(match0("ptrace"));
        SET_OK("seccomp.allow", "ptrace");
        r = match0("ptrace");
        ck_assert_int_eq(r->action, POLICY_ACT_ALLOW);
        ck_assert_str_eq(r->origin, "rf_policy_set");
        ck_assert_uint_eq(rules_named("ptrace"), 1);

        ck_assert_int_eq(policy_set(&p, "seccomp.deny", "getppid", "--set", NULL), 0);
        r = match0("getppid");
        ck_assert(r->action == POLICY_ACT_ERRNO && r->errno_val == EPERM);
        ck_assert_str_eq(r->origin, "--set");
        SET_OK("seccomp.report", "getppid");
        r = match0("getppid");
        ck_assert(r->action == POLICY_ACT_REPORT && r->errno_val == EPERM);
        SET_OK("seccomp.kill", "getppid");
        ck_assert_int_eq(match0("getppid")->action, POLICY_ACT_KILL);
        SET_OK("seccomp.errno", "getppid  EACCES");
        r = match0("getppid");
        ck_assert(r->action == POLICY_ACT_ERRNO && r->errno_val == EACCES);
        ck_assert_uint_eq(rules_named("getppid"), 1);

        /* a rule without conditions replaces the conditional default rules for ioctl */
        ck_assert_uint_gt(rules_named("ioctl"), 2);
        SET_OK("seccomp.report", "ioctl");
        ck_assert_uint_eq(rules_named("ioctl"), 1);
        ck_assert_int_eq(match0("ioctl")->action, POLICY_ACT_REPORT);

        /* a call another architecture has is accepted, and never applies here */
        SET_OK("seccomp.deny", "vm86old");

        SET_ERR("seccomp.deny", "opne", NULL, "seccomp.deny: unknown system call 'opne'");
        SET_ERR("seccomp.allow", "", NULL, "seccomp.allow: unknown system call ''");
        SET_ERR("seccomp.report", "open at", NULL, "seccomp.report: unknown system call 'open at'");
        SET_ERR("seccomp.kill", "PTRACE", NULL, "seccomp.kill: unknown system call 'PTRACE'");
        SET_ERR("seccomp.errno", "clone3", NULL,
                "seccomp.errno: invalid value 'clone3', expected a system call and an errno name "
                "such as 'clone3 ENOSYS'");
        SET_ERR("seccomp.errno", "clone3 ENOSYS EPERM", NULL,
                "seccomp.errno: invalid value 'clone3 ENOSYS EPERM', expected a system call and "
                "an errno name such as 'clone3 ENOSYS'");
        SET_ERR("seccomp.errno", "clone3 ENOPE", NULL,
                "seccomp.errno: unknown errno name 'ENOPE', expected a name such as EPERM or "
                "ENOSYS");
        SET_ERR("seccomp.errno", "clone3 0", NULL,
                "seccomp.errno: errno '0' is out of range, expected 1 to 4094");
        SET_ERR("seccomp.default", "errno 4095", NULL,
                "seccomp.default: errno '4095' is out of range, expected 1 to 4094");
        SET_ERR("seccomp.errno", "clon3 ENOSYS", NULL,
                "seccomp.errno: unknown system call 'clon3'");
        ck_assert_int_eq(policy_errno_from_name("EWOULDBLOCK"), EAGAIN);
        ck_assert_int_eq(policy_errno_from_name("ENOTSUP"), EOPNOTSUPP);
        ck_assert_int_eq(policy_errno_from_name("EHWPOISON"), EHWPOISON);
        ck_assert_int_eq(policy_errno_from_name("EPERMX"), -EINVAL);
}
END_TEST

START_TEST(test_errors)
{
        SET_ERR("limit.memory", "lots", "--set",
                "--set: limit.memory: invalid value 'lots', expected a size such as 4096, 64K, "
                "512M or 2G (units B, K, M, G, T or KiB, MiB, GiB, TiB, in either case)");
        SET_ERR("fs.rw", "x", "file:3", "file:3: fs.rw: 'x' is not an absolute path");
        SET_ERR("foo", "1", NULL,
                "unknown setting 'foo', expected one of: namespace.*, net, fs.*, identity, "
                "hostname, cwd, env.*, fd, limit.*, seccomp.*");
        SET_ERR("net.mode", "1", "file:9",
                "file:9: unknown setting 'net.mode', expected one of: namespace.*, net, fs.*, "
                "identity, hostname, cwd, env.*, fd, limit.*, seccomp.*");
        SET_ERR("limit.memroy", "1G", NULL,
                "unknown setting 'limit.memroy', expected one of: limit.timeout, limit.cpu-time, "
                "limit.memory, limit.file-size, limit.output, limit.tmp-size, limit.pids, "
                "limit.files");
        SET_ERR("namespace.time", "on", NULL,
                "unknown setting 'namespace.time', expected one of: namespace.user, "
                "namespace.pid, namespace.mount, namespace.ipc, namespace.uts, namespace.net, "
                "namespace.cgroup");
        SET_ERR("net", NULL, NULL, "net: a value is required");
        /* errors change nothing */
        ck_assert_uint_eq(p.limits.memory, 0);
        ck_assert_uint_eq(p.n_fs, 0);
        /* without an rf_error the code still comes back */
        ck_assert_int_eq(policy_set(&p, "fd", "x", "--set", NULL), -EINVAL);
}
END_TEST

/* Apply policies/default.policy line by line (key = value) to an empty policy. */
static void apply_policy_file(struct rf_policy *q, const char *path)
{
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        char line[512], origin[64];
        unsigned lineno = 0;

        ck_assert_msg(f, "cannot open %s", path);
        while (fgets(line, sizeof(line), f)) {
                char *key = line, *eq, *end, *value;
                rf_error err = { 0 };

                lineno++;
                line[strcspn(line, "\n")] = '\0';
                key += strspn(key, " \t");
                if (!*key || *key == '#')
                        continue;
                eq = strchr(key, '=');
                ck_assert_msg(eq, "%s:%u: no '='", path, lineno);
                for (end = eq; end > key && (end[-1] == ' ' || end[-1] == '\t'); end--)
                        ;
                *end = '\0';
                value = eq + 1 + strspn(eq + 1, " \t");
                snprintf(origin, sizeof(origin), "default.policy:%u", lineno);
                ck_assert_msg(policy_set(q, key, value, origin, &err) == 0, "%s", err.msg);
        }
}

static char *read_file(const char *path)
{
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        char *buf = NULL;
        size_t n = 0;
        long size;

        ck_assert_msg(f, "cannot open %s", path);
        ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
        size = ftell(f);
        rewind(f);
        buf = calloc(1, (size_t)size + 1);
        ck_assert_ptr_nonnull(buf);
        n = fread(buf, 1, (size_t)size, f);
        ck_assert_uint_eq(n, (size_t)size);
        return buf;
}

START_TEST(test_default_policy_file)
{
        static const char *const conditional[] = { "clone", "personality", "ioctl", "socket",
                                                   "seccomp" };
        const char *top = getenv("TOP_SRCDIR");
        char path[4096], text[64];
        struct rf_policy q = { 0 };
        size_t k = 0;
        _cleanup_free_ char *all = NULL;

        snprintf(path, sizeof(path), "%s/policies/default.policy", top ? top : ".");
        apply_policy_file(&q, path);
        ck_assert_uint_eq(q.namespaces, p.namespaces);
        ck_assert_int_eq(q.net, p.net);
        ck_assert_int_eq(q.as_root, p.as_root);
        ck_assert_uint_eq(q.env_pass.n, p.env_pass.n);
        for (size_t i = 0; i < p.env_pass.n; i++)
                ck_assert_str_eq(q.env_pass.v[i], p.env_pass.v[i]);
        ck_assert_uint_eq(q.env_set.n + q.n_fds + q.n_fs, 0);
        ck_assert_mem_eq(&q.limits, &p.limits, sizeof(p.limits));
        ck_assert_int_eq(q.seccomp.default_action, p.seccomp.default_action);
        ck_assert_int_eq(q.seccomp.default_errno, p.seccomp.default_errno);
        /* the same unconditional rules in the same order */
        for (size_t i = 0; i < p.seccomp.n_rules; i++) {
                const struct policy_syscall_rule *a = &p.seccomp.rules[i], *b;
                if (a->n_conds)
                        continue;
                ck_assert_msg(k < q.seccomp.n_rules, "default.policy lacks %s", a->name);
                b = &q.seccomp.rules[k++];
                ck_assert_str_eq(b->name, a->name);
                ck_assert_int_eq(b->action, a->action);
                ck_assert_int_eq(b->errno_val, a->errno_val);
                ck_assert_int_eq(b->nr, a->nr);
        }
        ck_assert_uint_eq(k, q.seccomp.n_rules);
        /* the conditional rules are described in comments */
        all = read_file(path);
        for (size_t i = 0; i < ARRAY_SIZE(conditional); i++) {
                snprintf(text, sizeof(text), "\n#   %s ", conditional[i]);
                ck_assert_msg(strstr(all, text), "default.policy does not describe %s",
                              conditional[i]);
        }
        policy_done(&q);
}
END_TEST

START_TEST(test_api)
{
        static const char *const rel_keys[] = { "fs.ro", "fs.rw", "fs.hide", "fs.tmpfs" };
        rf_error err = { 0 };
        rf_policy *ap = rf_policy_new_default(&err);
        char *cwd, *want = NULL;

        ck_assert_ptr_nonnull(ap);
        ck_assert_str_eq(rf_version(), PACKAGE_VERSION);
        ck_assert_int_eq(rf_policy_set(ap, "limit.memory", "1G", NULL, &err), 0);
        ck_assert_uint_eq(ap->limits.memory, 1ULL << 30);
        ck_assert_int_eq(rf_policy_set(NULL, "net", "host", NULL, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "rf_policy_set: the policy, key and value must not be NULL");
        ck_assert_int_eq(rf_policy_set(ap, NULL, "host", NULL, &err), -EINVAL);
        ck_assert_int_eq(rf_policy_set(ap, "net", NULL, NULL, NULL), -EINVAL);
        ck_assert_int_eq(rf_policy_set(ap, "net", "moon", "--set", &err), -EINVAL);
        ck_assert_str_eq(err.msg, "--set: net: invalid value 'moon', expected none, loopback or "
                                  "host");

        /* a relative fs.* path given as a value is taken from the working directory, lexically */
        cwd = getcwd(NULL, 0);
        ck_assert_ptr_nonnull(cwd);
        ck_assert_int_eq(rf_policy_set(ap, "fs.rw", ".", "--rw", &err), 0);
        ck_assert_str_eq(ap->fs[ap->n_fs - 1].path, cwd);
        ck_assert_str_eq(ap->fs[ap->n_fs - 1].origin, "--rw");
        ck_assert_int_eq(rf_policy_set(ap, "fs.ro", "sub/../out/./x", "--set", &err), 0);
        ck_assert_int_ge(asprintf(&want, "%s/out/x", strcmp(cwd, "/") ? cwd : ""), 0);
        ck_assert_str_eq(ap->fs[ap->n_fs - 1].path, want);
        free(want);
        ck_assert_int_ge(asprintf(&want, "%s/d", cwd), 0);
        for (size_t i = 0; i < ARRAY_SIZE(rel_keys); i++) {
                ck_assert_int_eq(rf_policy_set(ap, rel_keys[i], "d", NULL, &err), 0);
                ck_assert_str_eq(ap->fs[ap->n_fs - 1].path, want);
        }
        /* an empty path and a relative cwd are still refused */
        ck_assert_int_eq(rf_policy_set(ap, "fs.tmpfs", "", "--tmpfs", &err), -EINVAL);
        ck_assert_str_eq(err.msg, "--tmpfs: fs.tmpfs: '' is not an absolute path, expected one "
                                  "such as /srv/data or $PWD/out");
        ck_assert_int_eq(rf_policy_set(ap, "cwd", ".", "--cwd", &err), -EINVAL);
        free(cwd);
        free(want);
        ck_assert_ptr_null(rf_policy_free(ap));
        ck_assert_ptr_null(rf_policy_free(NULL));
}
END_TEST

static Suite *policy_set_suite(void)
{
        Suite *s = suite_create("policy_set");
        TCase *tc;

        tc = tcase_create("default");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_default_settings);
        tcase_add_test(tc, test_default_seccomp);
        tcase_add_test(tc, test_default_policy_file);
        suite_add_tcase(s, tc);

        tc = tcase_create("keys");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_namespaces);
        tcase_add_test(tc, test_net);
        tcase_add_test(tc, test_fs_rules);
        tcase_add_test(tc, test_identity_hostname_cwd);
        tcase_add_test(tc, test_env);
        tcase_add_test(tc, test_fd);
        tcase_add_test(tc, test_limits);
        tcase_add_test(tc, test_limits_rough_edges);
        tcase_add_test(tc, test_seccomp_default);
        tcase_add_test(tc, test_seccomp_rules);
        suite_add_tcase(s, tc);

        tc = tcase_create("errors");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_errors);
        tcase_add_test(tc, test_api);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        /* CK_TAP_LOG_FILE_NAME=- (set by make check) makes Check write TAP to stdout. */
        return test_run_suite(policy_set_suite());
}
