/* SPDX-License-Identifier: MIT */
/* Unit tests of the policy language (parser.c, groups.c): every construct, every error with its
 * exact FILE:LINE:COLUMN sentence, includes and cycles, argument conditions compiled and run by
 * the kernel and matched by policy_match, $PWD/$HOME/$TMPDIR, origins, `show` round trips, and
 * the compile time of each shipped policy. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/cleanup.h"
#include "policy/policy.h"
#include "policy/prebuilt.h"
#include "helpers.h"

static struct rf_policy p;
static char dir[] = "/tmp/rf-parse-XXXXXX";
static char old_cwd[PATH_MAX];

/* Each test runs in a fresh folder of its own (its cwd), on the default policy. */
static void setup(void)
{
        rf_error err = { 0 };

        ck_assert_ptr_nonnull(getcwd(old_cwd, sizeof(old_cwd)));
        strcpy(dir, "/tmp/rf-parse-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        ck_assert_int_eq(chdir(dir), 0);
        ck_assert_msg(policy_init_default(&p, &err) == 0, "default policy: %s", err.msg);
}

static void teardown(void)
{
        char cmd[PATH_MAX + 16];

        policy_done(&p);
        ck_assert_int_eq(chdir(old_cwd), 0);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *path, const char *text)
{
        FILE *f = fopen(path, "we");

        ck_assert_msg(f != NULL, "cannot write %s", path);
        ck_assert_int_ge(fputs(text, f), 0);
        ck_assert_int_eq(fclose(f), 0);
}

/* Load text as t.policy onto p; returns what policy_load_file did, the message in err. */
static int load_text(const char *text, rf_error *err)
{
        write_file("t.policy", text);
        return policy_load_file(&p, "t.policy", err);
}

#define LOAD_OK(text)                                                                              \
        do {                                                                                       \
                rf_error e_ = { 0 };                                                               \
                int r_ = load_text(text, &e_);                                                     \
                ck_assert_msg(r_ == 0, "%s: %s", text, e_.msg);                                    \
        } while (0)

static const struct policy_syscall_rule *match(const char *name, uint64_t a0, uint64_t a1)
{
        uint64_t args[6] = { a0, a1 };
        return policy_match(&p, seccomp_syscall_resolve_name(name), args);
}

/* ---- syntax ---------------------------------------------------------------------------------- */

START_TEST(test_settings_comments_blanks)
{
        LOAD_OK("# a comment\n"
                "\n"
                "   \t\n"
                "net = loopback   # a comment after a blank\n"
                "limit.memory=512M\n"
                "  hostname =  box-1\r\n"
                "env.set = A=x#y\n"
                "net = host\n");
        /* later lines override earlier ones */
        ck_assert_int_eq(p.net, POLICY_NET_HOST);
        ck_assert_uint_eq(p.limits.memory, 512ULL << 20);
        ck_assert_str_eq(p.hostname, "box-1");
        /* '#' not after a blank is part of the value */
        ck_assert_str_eq(p.env_set.v[0], "A=x#y");
}
END_TEST

/* Every error: the file, line and column of the offending token, what was wrong, and what was
 * expected instead. */
static const struct {
        const char *text, *msg;
} errors[] = {
        { "net = moon\n",
          "t.policy:1:7: net: invalid value 'moon', expected none, loopback or host" },
        { "# ok\nnte = host\n", "t.policy:2:1: unknown setting 'nte', expected one of: "
                                "namespace.*, net, fs.*, identity, hostname, cwd, env.*, fd, "
                                "limit.*, seccomp.*" },
        { "limit.memroy = 1G\n", "t.policy:1:1: unknown setting 'limit.memroy', expected one of: "
                                 "limit.timeout, limit.cpu-time, limit.memory, limit.file-size, "
                                 "limit.output, limit.tmp-size, limit.pids, limit.files" },
        { "net host\n", "t.policy:1:5: unexpected 'host' after 'net', expected '='" },
        { "net\n", "t.policy:1:4: expected '= VALUE' after 'net'" },
        { "net =   \n", "t.policy:1:6: expected a value after 'net ='" },
        { "= host\n", "t.policy:1:1: unexpected '=', expected a setting (KEY = VALUE), include, "
                      "seccomp-json, clear or a comment" },
        { "  \"net\" = host\n", "t.policy:1:3: unexpected '\"', expected a setting (KEY = "
                                "VALUE), include, seccomp-json, clear or a comment" },
        { "limit.memory = 8Q\n", "t.policy:1:16: limit.memory: invalid value '8Q', expected a "
                                 "size such as 4096, 64K, 512M or 2G (units B, K, M, G, T or "
                                 "KiB, MiB, GiB, TiB, in either case)" },
        { "identity = admin\n", "t.policy:1:12: identity: invalid value 'admin', expected user, "
                                "root or caller" },
        { "seccomp.default = errno EFOO\n", "t.policy:1:19: seccomp.default: unknown errno name "
                                            "'EFOO', expected a name such as EPERM or ENOSYS" },
        { "seccomp.allow = foo\n", "t.policy:1:17: unknown system call 'foo', expected a name "
                                   "such as openat, or a group such as @file-system" },
        { "seccomp.allow = read, wrte\n", "t.policy:1:23: unknown system call 'wrte', expected "
                                          "a name such as openat, or a group such as "
                                          "@file-system" },
        { "seccomp.allow = @nope\n", "t.policy:1:17: unknown group '@nope', expected one of "
                                     "`ringfence policy groups` such as @file-system" },
        { "seccomp.allow = READ\n", "t.policy:1:17: unexpected 'READ', expected a system call "
                                    "name such as openat or a group such as @file-system" },
        { "seccomp.allow = ioctl:\n", "t.policy:1:23: unexpected end of line, expected an "
                                      "argument arg0 to arg5" },
        { "seccomp.allow = ioctl: arg7 == 1\n", "t.policy:1:24: unexpected 'arg7', expected "
                                                "an argument arg0 to arg5" },
        { "seccomp.allow = ioctl: arg1 =! 1\n", "t.policy:1:29: unexpected '=', expected a "
                                                "comparison (==, !=, <, <=, >, >=) or a mask "
                                                "('& VALUE ==') after arg1" },
        { "seccomp.allow = ioctl: arg1 == FOO\n", "t.policy:1:32: unknown constant 'FOO', "
                                                  "expected a number or a name such as AF_UNIX, "
                                                  "TIOCSTI, CLONE_NEWUSER, O_WRONLY or "
                                                  "PROT_EXEC" },
        { "seccomp.allow = ioctl: arg1 == -1\n", "t.policy:1:32: unexpected '-', expected a "
                                                 "number or a constant name such as AF_UNIX" },
        { "seccomp.allow = ioctl: arg1 & 0xff != 1\n", "t.policy:1:36: unexpected '!', "
                                                       "expected '==' after the mask (seccomp "
                                                       "compares masked arguments only for "
                                                       "equality)" },
        { "seccomp.allow = ioctl: arg1 == 1 && arg1 == 2\n",
          "t.policy:1:37: arg1 is compared twice in one rule, which seccomp cannot do, expected "
          "each argument once between '||'" },
        { "seccomp.allow = ioctl: arg1 == 1 ||\n", "t.policy:1:36: unexpected end of line, "
                                                   "expected an argument arg0 to arg5" },
        { "seccomp.allow = ioctl: arg1 == 1 |\n", "t.policy:1:35: unexpected end of line, expected "
                                                  "a number or a constant name such as AF_UNIX" },
        { "seccomp.allow = ioctl: arg1 == 1 arg2\n", "t.policy:1:34: unexpected 'arg2', "
                                                     "expected '&&', '||' or the end of the "
                                                     "line" },
        { "seccomp.allow = ioctl: arg1 == 99999999999999999999999\n",
          "t.policy:1:32: number '99999999999999999999999' is too large, expected at most "
          "0xffffffffffffffff" },
        { "seccomp.allow = ioctl: arg1 == 0x1g\n", "t.policy:1:32: invalid number '0x1g', "
                                                   "expected decimal, 0x hex or 0 octal digits" },
        { "seccomp.allow = ioctl; arg1\n", "t.policy:1:22: unexpected ';', expected ':' and "
                                           "argument conditions, or the end of the line" },
        { "seccomp.errno = clone3\n", "t.policy:1:23: expected an errno name such as ENOSYS "
                                      "after the system call" },
        { "seccomp.errno = clone3 EFOO\n", "t.policy:1:24: unknown errno name 'EFOO', expected "
                                           "a name such as EPERM or ENOSYS" },
        { "seccomp.errno = clone3 5000\n", "t.policy:1:24: errno 5000 is out of range, "
                                           "expected 1 to 4094" },
        { "fs.rw = $FOO/x\n", "t.policy:1:9: unknown variable '$FOO', expected $HOME, $PWD or "
                              "$TMPDIR ($$ for a '$')" },
        { "fs.ro = ${PWD/x\n", "t.policy:1:9: unterminated '${PWD', expected '}' after the "
                               "name" },
        { "fs.rw = build\n", "t.policy:1:9: fs.rw: 'build' is not an absolute path, expected one "
                             "such as /srv/data or $PWD/out" },
        { "fs.rw = /\n", "t.policy:1:9: fs.rw: '/' is the root directory, which only fs.ro may "
                         "name" },
        { "include\n", "t.policy:1:8: expected a policy name or path after include" },
        { "include nosuch\n", "t.policy:1:9: no policy named 'nosuch' in " RF_POLICY_DIR " or "
                              "./policies, expected default, none, an installed name such as "
                              "build, or a path" },
        { "include ./nosuch.policy\n", "t.policy:1:9: cannot read './nosuch.policy': No such "
                                       "file or directory, expected a readable policy file" },
        { "clear\n", "t.policy:1:6: unexpected end of line, expected seccomp, fs, env or fd "
                     "after clear" },
        { "clear bogus\n", "t.policy:1:7: unexpected 'bogus', expected seccomp, fs, env or fd "
                           "after clear" },
        { "clear fs now\n", "t.policy:1:10: unexpected 'now', expected the end of the line after "
                            "clear fs" },
        { "clear seccomp foo\n", "t.policy:1:15: unknown system call 'foo', expected a name such "
                                 "as openat, or a group such as @file-system" },
        { "seccomp-json\n", "t.policy:1:13: expected a path after seccomp-json" },
        { "seccomp-json missing.json\n", "t.policy:1:14: cannot open 'missing.json': No such "
                                         "file or directory, expected a Docker/OCI seccomp "
                                         "profile" },
};

START_TEST(test_errors)
{
        rf_error err = { 0 };

        ck_assert_int_eq(load_text(errors[_i].text, &err), -EINVAL);
        ck_assert_str_eq(err.msg, errors[_i].msg);
}
END_TEST

START_TEST(test_error_nul_byte)
{
        rf_error err = { 0 };
        int fd = open("t.policy", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, "net = none\nnet\0 = host\n", 23), 23);
        close(fd);
        ck_assert_int_eq(policy_load_file(&p, "t.policy", &err), -EINVAL);
        ck_assert_str_eq(err.msg, "t.policy:2:4: unexpected NUL byte, expected text");
        ck_assert_int_eq(policy_load_file(&p, "none.policy", &err), -ENOENT);
        ck_assert_str_eq(err.msg, "cannot read policy file 'none.policy': No such file or "
                                  "directory");
}
END_TEST

/* ---- seccomp rules --------------------------------------------------------------------------- */

START_TEST(test_conditions_match)
{
        const struct policy_syscall_rule *r;

        LOAD_OK("clear seccomp\n"
                "seccomp.default = report\n"
                "seccomp.allow = ioctl: arg1 == TCGETS || arg1 == TIOCGWINSZ\n"
                "seccomp.allow = socket: arg0 == AF_UNIX\n"
                "seccomp.report = ioctl: arg1 & 0xffffffff == TIOCSTI\n"
                "seccomp.allow = mmap: arg2 & PROT_EXEC == 0 && arg3 & MAP_SHARED == 0\n"
                "seccomp.errno = clone ENOSYS: arg0 & CLONE_NEWUSER | CLONE_NEWNS == CLONE_NEWNS\n"
                "seccomp.allow = getppid: arg0 < 10 || arg0 >= 0x100 && arg1 <= 7\n"
                "seccomp.allow = getpgid: arg0 > 017 && arg1 != 5\n");
        /* || makes one rule per alternative, each with the line as its origin */
        r = match("ioctl", 1, TCGETS);
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(r->action, POLICY_ACT_ALLOW);
        ck_assert_str_eq(r->origin, "t.policy:3");
        ck_assert_ptr_nonnull(match("ioctl", 1, TIOCGWINSZ));
        ck_assert_ptr_null(match("ioctl", 1, TIOCSWINSZ));
        /* the mask: the high half does not count */
        r = match("ioctl", 1, (1ULL << 32) | TIOCSTI);
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(r->action, POLICY_ACT_REPORT);
        ck_assert_str_eq(r->origin, "t.policy:5");
        ck_assert_uint_eq(r->conds[0].op, POLICY_CMP_MASKED_EQ);
        ck_assert_uint_eq(r->conds[0].value, 0xffffffffULL);
        ck_assert_uint_eq(r->conds[0].value2, TIOCSTI);
        ck_assert_ptr_nonnull(match("socket", AF_UNIX, 0));
        ck_assert_ptr_null(match("socket", AF_INET, 0));
        /* && keeps the conditions of one rule together */
        r = match("mmap", 0, 0);
        ck_assert_ptr_nonnull(r);
        ck_assert_uint_eq(r->n_conds, 2);
        {
                uint64_t args[6] = { 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE };
                ck_assert_ptr_null(policy_match(&p, SYS_mmap, args));
                args[2] = PROT_READ;
                ck_assert_ptr_nonnull(policy_match(&p, SYS_mmap, args));
                args[3] = MAP_SHARED;
                ck_assert_ptr_null(policy_match(&p, SYS_mmap, args));
        }
        /* a | b or'ed constants */
        r = match("clone", CLONE_NEWNS, 0);
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(r->errno_val, ENOSYS);
        ck_assert_uint_eq(r->conds[0].value, CLONE_NEWUSER | CLONE_NEWNS);
        ck_assert_ptr_null(match("clone", 0, 0));
        ck_assert_ptr_null(match("clone", CLONE_NEWNS | CLONE_NEWUSER, 0));
        /* && binds tighter than ||; < >= <= > !=; octal */
        ck_assert_ptr_nonnull(match("getppid", 9, 100));
        ck_assert_ptr_null(match("getppid", 10, 0));
        ck_assert_ptr_nonnull(match("getppid", 0x100, 7));
        ck_assert_ptr_null(match("getppid", 0x100, 8));
        ck_assert_ptr_null(match("getpgid", 15, 0));
        ck_assert_ptr_nonnull(match("getpgid", 16, 0));
        ck_assert_ptr_null(match("getpgid", 16, 5));
        ck_assert_uint_eq(p.seccomp.n_rules, 9);
}
END_TEST

/* Run the compiled kill program for real in a child: each check is one bit of its exit code. */
START_TEST(test_conditions_compile_and_run)
{
        struct policy_bpf b;
        rf_error err = { 0 };
        pid_t pid;
        int status;

        LOAD_OK("clear seccomp\n"
                "seccomp.default = allow\n"
                "seccomp.errno = getppid EHOSTDOWN: arg0 == 7 || arg0 & 0xff == 0x42\n"
                "seccomp.errno = ioctl EXDEV: arg1 == TIOCSTI\n"
                "seccomp.errno = getpgid ENOSYS: arg0 > 1000 && arg1 != 3\n");
        ck_assert_msg(policy_compile(&p, &b, &err) == 0, "compile: %s", err.msg);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                int bits = 0;
                char c = 0;
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
                    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &b.kill) < 0)
                        _exit(255);
                bits |= (syscall(SYS_getppid, 7) < 0 && errno == EHOSTDOWN) << 0;
                bits |= (syscall(SYS_getppid, 0x1142) < 0 && errno == EHOSTDOWN) << 1;
                bits |= (syscall(SYS_getppid, 8) > 0) << 2;
                bits |= (ioctl(-1, TIOCSTI, &c) < 0 && errno == EXDEV) << 3;
                bits |= (ioctl(-1, TCGETS, &c) < 0 && errno == EBADF) << 4;
                bits |= (syscall(SYS_getpgid, 2000, 4) < 0 && errno == ENOSYS) << 5;
                bits |= (syscall(SYS_getpgid, 0, 4) >= 0) << 6;
                bits |= (syscall(SYS_getpgid, 2000, 3) < 0 && errno == ESRCH) << 7;
                _exit(bits == 0xff ? 0 : 1 + (bits & 0x7f));
        }
        policy_bpf_done(&b);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
}
END_TEST

START_TEST(test_groups_lists_clear)
{
        const struct policy_group *g = policy_group_find("@signal");
        struct strv names = { 0 };

        ck_assert_ptr_nonnull(g);
        ck_assert_ptr_null(policy_group_find("signal"));
        policy_group_expand(policy_group_find("@basic-runtime"), &names);
        ck_assert_uint_gt(names.n, 50); /* nested groups expanded, each name once */
        for (size_t i = 0; i < names.n; i++)
                for (size_t j = i + 1; j < names.n; j++)
                        ck_assert_str_ne(names.v[i], names.v[j]);
        strv_done(&names);
        /* every member of every group is a group or a call libseccomp knows */
        for (size_t i = 0; (g = policy_group_at(i)) != NULL; i++)
                for (const char *const *m = g->members; *m; m++)
                        ck_assert_msg(**m == '@'
                                              ? policy_group_find(*m) != NULL
                                              : seccomp_syscall_resolve_name(*m) != __NR_SCMP_ERROR,
                                      "%s: %s", g->name, *m);
        LOAD_OK("clear seccomp\n"
                "seccomp.default = kill\n"
                "seccomp.allow = @signal, read write\n"
                "seccomp.report = close\n"
                "clear seccomp rt_sigaction @time\n");
        ck_assert_ptr_nonnull(match("rt_sigprocmask", 0, 0));
        ck_assert_ptr_nonnull(match("read", 0, 0));
        ck_assert_ptr_nonnull(match("write", 0, 0));
        ck_assert_ptr_null(match("rt_sigaction", 0, 0));
        ck_assert_int_eq(match("close", 0, 0)->action, POLICY_ACT_REPORT);
        ck_assert_str_eq(match("close", 0, 0)->origin, "t.policy:4");
        ck_assert_ptr_null(match("openat", 0, 0));
        LOAD_OK("fs.ro = /usr\nfd = 3\nclear fs\nclear fd\nclear env\nenv.pass = HOME\n");
        ck_assert_uint_eq(p.n_fs + p.n_fds, 0);
        ck_assert_uint_eq(p.env_pass.n, 1);
        ck_assert_int_eq(p.seccomp.n_rules, 17);
}
END_TEST

/* ---- includes, names, built-ins -------------------------------------------------------------- */

START_TEST(test_includes)
{
        rf_error err = { 0 };

        ck_assert_int_eq(mkdir("sub", 0755), 0);
        ck_assert_int_eq(mkdir("policies", 0755), 0);
        /* a path is taken from the including file's folder, a name from ./policies */
        write_file("sub/base.policy", "limit.pids = 7\ninclude ../sub/more.policy\n");
        write_file("sub/more.policy", "limit.files = 9\n");
        write_file("policies/named.policy", "hostname = named\n");
        write_file("sub/top.policy", "include base.policy\ninclude named\nlimit.pids = 8\n");
        ck_assert_msg(policy_load_file(&p, "sub/top.policy", &err) == 0, "%s", err.msg);
        ck_assert_uint_eq(p.limits.pids, 8);
        ck_assert_uint_eq(p.limits.files, 9);
        ck_assert_str_eq(p.hostname, "named");
        /* errors in an included file name that file */
        write_file("sub/more.policy", "\n  limit.files = lots\n");
        ck_assert_int_eq(policy_load_file(&p, "sub/top.policy", &err), -EINVAL);
        ck_assert_str_eq(err.msg, "sub/../sub/more.policy:2:17: limit.files: invalid value "
                                  "'lots', expected a whole number from 1 to 1048576");
}
END_TEST

START_TEST(test_include_cycles)
{
        rf_error err = { 0 };

        write_file("a.policy", "net = host\ninclude b.policy\n");
        write_file("b.policy", "# b\n\ninclude ./c.policy\n");
        write_file("c.policy", "include a.policy\n");
        ck_assert_int_eq(policy_load_file(&p, "a.policy", &err), -EINVAL);
        ck_assert_str_eq(err.msg, "./c.policy:1:9: include cycle: a.policy -> b.policy -> "
                                  "./c.policy -> a.policy, expected files that do not include "
                                  "each other");
        write_file("self.policy", "include self.policy\n");
        ck_assert_int_eq(policy_load_file(&p, "self.policy", &err), -EINVAL);
        ck_assert_str_eq(err.msg, "self.policy:1:9: include cycle: self.policy -> self.policy, "
                                  "expected files that do not include each other");
        /* the same file twice, one after the other, is no cycle */
        write_file("twice.policy", "include c2.policy\ninclude c2.policy\n");
        write_file("c2.policy", "limit.pids = 5\n");
        ck_assert_msg(policy_load_file(&p, "twice.policy", &err) == 0, "%s", err.msg);
}
END_TEST

START_TEST(test_builtins_and_load)
{
        struct policy_trace t = { 0 };
        rf_error err = { 0 };
        uint64_t dflt;

        dflt = policy_seccomp_fingerprint(&p.seccomp);
        /* none: no sandbox */
        ck_assert_int_eq(policy_load(&p, "none", &t, &err), 0);
        ck_assert_uint_eq(p.namespaces, 0);
        ck_assert_int_eq(p.net, POLICY_NET_HOST);
        ck_assert(p.caller_identity);
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_ALLOW);
        ck_assert_uint_eq(p.seccomp.n_rules, 0);
        ck_assert_str_eq(policy_trace_origin(&t, "net"), "none policy");
        /* include default replaces what came before it */
        LOAD_OK("limit.pids = 3\ninclude default\nlimit.files = 4\n");
        ck_assert_uint_eq(p.namespaces, POLICY_NS_ALL);
        ck_assert(!p.caller_identity);
        ck_assert_uint_eq(p.limits.pids, 0);
        ck_assert_uint_eq(p.limits.files, 4);
        ck_assert_uint_eq(policy_seccomp_fingerprint(&p.seccomp), dflt);
        /* a name is looked up in ./policies; a .json is a seccomp profile */
        ck_assert_int_eq(mkdir("policies", 0755), 0);
        write_file("policies/mine.policy", "identity = caller\n");
        ck_assert_int_eq(policy_load(&p, "mine", &t, &err), 0);
        ck_assert(p.caller_identity);
        ck_assert_str_eq(policy_trace_origin(&t, "identity"), "policies/mine.policy:1");
        write_file("p.json", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                             "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
        ck_assert_msg(policy_load(&p, "p.json", &t, &err) == 0, "%s", err.msg);
        ck_assert_uint_eq(p.seccomp.n_rules, 1);
        ck_assert_str_eq(policy_trace_origin(&t, "seccomp.default"), "p.json");
        ck_assert_int_eq(policy_load(&p, "missing", &t, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "no policy named 'missing' in " RF_POLICY_DIR " or ./policies, "
                                  "expected default, none, an installed name such as build, or "
                                  "a path");
        ck_assert_int_eq(policy_load(&p, "", &t, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "expected a policy name or path");
        /* identity = caller, and back */
        ck_assert_int_eq(policy_set_value(&p, "identity", "root", "--set", &t, &err), 0);
        ck_assert(p.as_root && !p.caller_identity);
        ck_assert_str_eq(policy_trace_origin(&t, "identity"), "--set");
        policy_trace_done(&t);
}
END_TEST

START_TEST(test_variables_and_origins)
{
        char cwd[PATH_MAX], want[PATH_MAX + 64];
        rf_error err = { 0 };

        ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
        ck_assert_int_eq(setenv("HOME", "/home/someone", 1), 0);
        ck_assert_int_eq(unsetenv("TMPDIR"), 0);
        LOAD_OK("fs.rw = $PWD\n"
                "fs.ro = ${HOME}/.config\n"
                "fs.tmpfs = $TMPDIR/scratch\n"
                "fs.hide = $PWD/odd$$name/..\n"
                "cwd = $PWD/sub\n");
        ck_assert_uint_eq(p.n_fs, 4);
        ck_assert_str_eq(p.fs[0].path, cwd);
        ck_assert_str_eq(p.fs[0].origin, "t.policy:1");
        ck_assert_str_eq(p.fs[1].path, "/home/someone/.config");
        ck_assert_str_eq(p.fs[2].path, "/tmp/scratch");
        ck_assert_str_eq(p.fs[3].path, cwd); /* odd$name/.. normalised away */
        snprintf(want, sizeof(want), "%s/sub", cwd);
        ck_assert_str_eq(p.cwd, want);
        ck_assert_int_eq(setenv("TMPDIR", "/var/tmp", 1), 0);
        LOAD_OK("fs.tmpfs = $TMPDIR\n");
        ck_assert_str_eq(p.fs[4].path, "/var/tmp");
        ck_assert_int_eq(unsetenv("HOME"), 0);
        ck_assert_int_eq(load_text("\n\nfs.ro = $HOME\n", &err), -EINVAL);
        ck_assert_str_eq(err.msg, "t.policy:3:9: $HOME is not set, expected it in ringfence's "
                                  "environment");
        ck_assert_int_eq(unsetenv("TMPDIR"), 0);
}
END_TEST

/* The same settings through policy_set_value (--set, rf_policy_set): no position, the origin. */
START_TEST(test_set_value)
{
        rf_error err = { 0 };

        ck_assert_int_eq(policy_set_value(&p, "seccomp.allow", "socket: arg0 == AF_INET6", "--set",
                                          NULL, &err),
                         0);
        ck_assert_str_eq(match("socket", AF_INET6, 0)->origin, "--set");
        ck_assert_int_eq(rf_policy_set(&p, "seccomp.report", "@debug", NULL, &err), 0);
        ck_assert_int_eq(match("ptrace", 0, 0)->action, POLICY_ACT_REPORT);
        ck_assert_int_eq(policy_set_value(&p, "seccomp.allow", "socket: arg9 == 1", "--set", NULL,
                                          &err),
                         -EINVAL);
        ck_assert_str_eq(err.msg, "--set: unexpected 'arg9', expected an argument arg0 to arg5");
        ck_assert_int_eq(policy_set_value(&p, "net", "moon", "--set", NULL, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "--set: net: invalid value 'moon', expected none, loopback or "
                                  "host");
        /* a relative fs.* value is taken from the working directory (test_policy_set), a
         * relative cwd is not */
        ck_assert_int_eq(policy_set_value(&p, "cwd", "rel", NULL, NULL, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "cwd: 'rel' is not an absolute path, expected one such as "
                                  "/srv/data or $PWD/out");
        ck_assert_int_eq(policy_parse_value("TIOCSTI | 0x100", &(uint64_t){ 0 }), 0);
        ck_assert_int_eq(policy_parse_value("TIOCSTI ||", &(uint64_t){ 0 }), -EINVAL);
}
END_TEST

/* ---- show, explain and the shipped policies -------------------------------------------------- */

static const char *top_srcdir(void)
{
        const char *top = getenv("TOP_SRCDIR");

        ck_assert_msg(top != NULL, "TOP_SRCDIR is not set: make check sets it");
        return top;
}

/* show's text, loaded again onto the default, gives the same policy. */
static void assert_round_trip(const char *spec)
{
        _cleanup_free_ char *text = NULL;
        struct rf_policy a, b;
        rf_error err = { 0 };

        ck_assert_msg(rf_policy_show(spec, NULL, &text, &err) == 0, "%s: %s", spec, err.msg);
        write_file("shown.policy", text);
        ck_assert_int_eq(policy_init_default(&a, &err), 0);
        ck_assert_int_eq(policy_init_default(&b, &err), 0);
        ck_assert_msg(policy_load(&a, spec, NULL, &err) == 0, "%s: %s", spec, err.msg);
        ck_assert_msg(policy_load_file(&b, "shown.policy", &err) == 0, "%s: %s", spec, err.msg);
        ck_assert_uint_eq(policy_seccomp_fingerprint(&a.seccomp),
                          policy_seccomp_fingerprint(&b.seccomp));
        ck_assert_uint_eq(a.namespaces, b.namespaces);
        ck_assert_int_eq(a.net, b.net);
        ck_assert_int_eq(a.as_root, b.as_root);
        ck_assert_int_eq(a.caller_identity, b.caller_identity);
        ck_assert_mem_eq(&a.limits, &b.limits, sizeof(a.limits));
        ck_assert_uint_eq(a.n_fs, b.n_fs);
        ck_assert_uint_eq(a.env_pass.n, b.env_pass.n);
        policy_done(&a);
        policy_done(&b);
}

START_TEST(test_show)
{
        static const char *const sets[] = { "limit.memory=1G", "seccomp.deny=getppid", NULL };
        _cleanup_free_ char *text = NULL;
        char path[PATH_MAX];
        rf_error err = { 0 };

        write_file("t.policy", "net = host\nfs.ro = /usr/share\n"
                               "seccomp.allow = ioctl: arg1 == TCGETS || arg1 & 3 == 1\n");
        ck_assert_int_eq(rf_policy_show("t.policy", (char *const *)sets, &text, &err), 0);
        ck_assert_ptr_nonnull(strstr(text, "\nnet = host                               # from "
                                           "t.policy:1\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nnamespace.net = off                      # from "
                                           "t.policy:1\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nnamespace.pid = on                       # from "
                                           "default policy\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nfs.ro = /usr/share                       # from "
                                           "t.policy:2\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nlimit.memory = 1G                        # from "
                                           "--set\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nseccomp.deny = getppid                   # from "
                                           "--set\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nseccomp.allow = ioctl: arg1 == 0x5401    # from "
                                           "t.policy:3\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nseccomp.allow = ioctl: arg1 & 3 == 1     # from "
                                           "t.policy:3\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nseccomp.errno = clone3 ENOSYS            # from "
                                           "default policy\n"));
        assert_round_trip("t.policy");
        assert_round_trip("default");
        assert_round_trip("none");
        for (const char *const *n =
                     (const char *const[]){ "build", "compute", "net-client", "strict", NULL };
             *n; n++) {
                snprintf(path, sizeof(path), "%s/policies/%s.policy", top_srcdir(), *n);
                assert_round_trip(path);
        }
}
END_TEST

START_TEST(test_explain)
{
        char *text = NULL;
        rf_error err = { 0 };

        write_file("t.policy", "seccomp.errno = getppid EAGAIN\nclear seccomp ioctl\n"
                               "seccomp.allow = ioctl: arg1 == TCGETS\n");
        ck_assert_int_eq(rf_policy_explain("t.policy", "ptrace", NULL, &text, &err),
                         RF_EXPLAIN_REFUSED);
        ck_assert_str_eq(text, "ptrace: refused (fails with EPERM, reported), by default policy: "
                               "seccomp.report = ptrace\n");
        free(text);
        ck_assert_int_eq(rf_policy_explain("t.policy", "getppid", NULL, &text, &err),
                         RF_EXPLAIN_REFUSED);
        ck_assert_str_eq(text, "getppid: refused (fails with EAGAIN), by t.policy:1: "
                               "seccomp.errno = getppid EAGAIN\n");
        free(text);
        ck_assert_int_eq(rf_policy_explain("t.policy", "read", NULL, &text, &err),
                         RF_EXPLAIN_ALLOWED);
        ck_assert_str_eq(text, "read: allowed, by default policy: seccomp.allow = read\n");
        free(text);
        ck_assert_int_eq(rf_policy_explain("t.policy", "ioctl", NULL, &text, &err),
                         RF_EXPLAIN_DEPENDS);
        ck_assert_str_eq(text, "ioctl: depends on its arguments; the last rule that holds "
                               "decides:\n"
                               "  allowed, by t.policy:3: seccomp.allow = ioctl: arg1 == 0x5401\n"
                               "  otherwise refused (fails with EPERM, reported), by the default "
                               "action from default policy: seccomp.default = report\n");
        free(text);
        ck_assert_int_eq(rf_policy_explain("t.policy", "ioctl",
                                           (char *const[]){ "1", "TIOCSTI", NULL }, &text, &err),
                         RF_EXPLAIN_REFUSED);
        ck_assert_str_eq(text, "ioctl(1, TIOCSTI): refused (fails with EPERM, reported), by the "
                               "default action from default policy: seccomp.default = report\n");
        free(text);
        ck_assert_int_eq(rf_policy_explain("t.policy", "nosuch", NULL, &text, &err), -EINVAL);
        ck_assert_str_eq(err.msg, "unknown system call 'nosuch', expected a name such as openat");
        ck_assert_int_eq(rf_policy_explain("t.policy", "ioctl", (char *const[]){ "x", NULL }, &text,
                                           &err),
                         -EINVAL);
        ck_assert_str_eq(err.msg, "argument 'x' of ioctl: expected at most 6 numbers or constant "
                                  "names such as TIOCSTI");
}
END_TEST

static double now_us(clockid_t clock)
{
        struct timespec ts;

        clock_gettime(clock, &ts);
        return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return x < y ? -1 : x > y;
}

/* Each shipped policy loads and compiles; default.policy is the embedded default's text. The
 * median time of load + compile over 20 runs, wall clock and this thread's CPU time (steadier on
 * a busy machine), is printed for the README. */
START_TEST(test_shipped_policies)
{
        static const char *const names[] = { "default", "build", "compute", "net-client",
                                             "strict" };
        struct rf_policy q, d;
        struct policy_bpf b;
        rf_error err = { 0 };
        char path[PATH_MAX];
        double t[20], cpu[20];

        for (size_t n = 0; n < ARRAY_SIZE(names); n++) {
                snprintf(path, sizeof(path), "%s/policies/%s.policy", top_srcdir(), names[n]);
                for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
                        double t0, c0;
                        ck_assert_int_eq(policy_init_default(&q, &err), 0);
                        t0 = now_us(CLOCK_MONOTONIC);
                        c0 = now_us(CLOCK_THREAD_CPUTIME_ID);
                        ck_assert_msg(policy_load_file(&q, path, &err) == 0, "%s", err.msg);
                        ck_assert_msg(policy_compile(&q, &b, &err) == 0, "%s", err.msg);
                        cpu[i] = now_us(CLOCK_THREAD_CPUTIME_ID) - c0;
                        t[i] = now_us(CLOCK_MONOTONIC) - t0;
                        policy_bpf_done(&b);
                        if (i + 1 < ARRAY_SIZE(t))
                                policy_done(&q);
                }
                qsort(t, ARRAY_SIZE(t), sizeof(t[0]), by_value);
                qsort(cpu, ARRAY_SIZE(cpu), sizeof(cpu[0]), by_value);
                fprintf(stderr,
                        "# %s.policy: load + compile, median of 20: "
                        "%.0f us wall, %.0f us CPU; %zu rules\n",
                        names[n], t[ARRAY_SIZE(t) / 2], cpu[ARRAY_SIZE(cpu) / 2],
                        q.seccomp.n_rules);
                if (n == 0) {
                        /* the same settings and rules as the embedded default */
                        ck_assert_int_eq(policy_init_default(&d, &err), 0);
                        ck_assert_uint_eq(q.namespaces, d.namespaces);
                        ck_assert_mem_eq(&q.limits, &d.limits, sizeof(d.limits));
                        ck_assert_uint_eq(q.seccomp.n_rules, d.seccomp.n_rules);
                        for (size_t i = 0; i < d.seccomp.n_rules; i++)
                                ck_assert(d.seccomp.rules[i].nr < 0 ||
                                          policy_match(&q, d.seccomp.rules[i].nr, NULL));
                        policy_done(&d);
                }
                policy_done(&q);
        }
}
END_TEST

/* Whether this process can load filters: valgrind, for one, does not implement seccomp(). */
static bool seccomp_available(void)
{
        uint32_t action = SECCOMP_RET_KILL_PROCESS;
        return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

static Suite *policy_parse_suite(void)
{
        Suite *s = suite_create("policy_parse");
        TCase *tc = tcase_create("syntax");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_settings_comments_blanks);
        tcase_add_loop_test(tc, test_errors, 0, ARRAY_SIZE(errors));
        tcase_add_test(tc, test_error_nul_byte);
        suite_add_tcase(s, tc);

        tc = tcase_create("seccomp");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_conditions_match);
        if (seccomp_available())
                tcase_add_test(tc, test_conditions_compile_and_run);
        tcase_add_test(tc, test_groups_lists_clear);
        suite_add_tcase(s, tc);

        tc = tcase_create("files");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_includes);
        tcase_add_test(tc, test_include_cycles);
        tcase_add_test(tc, test_builtins_and_load);
        tcase_add_test(tc, test_variables_and_origins);
        tcase_add_test(tc, test_set_value);
        suite_add_tcase(s, tc);

        tc = tcase_create("tools");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_show);
        tcase_add_test(tc, test_explain);
        tcase_add_test(tc, test_shipped_policies);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return test_run_suite(policy_parse_suite());
}
