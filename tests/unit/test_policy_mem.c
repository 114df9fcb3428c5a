/* SPDX-License-Identifier: MIT */
/* Unit tests of policies read from memory (policy_load_mem, what tests/fuzz/fuzz_policy uses):
 * includes, names and seccomp-json found only among the given files, never on the filesystem;
 * cycles, NUL bytes and errors at FILE:LINE:COLUMN as for files; and the inputs that the
 * fuzzer found troublesome, kept as regressions. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ringfence.h"
#include "policy/policy.h"
#include "helpers.h"

static struct rf_policy p;
static struct policy_trace trace;

static void setup(void)
{
        rf_error err = { 0 };

        memset(&trace, 0, sizeof(trace));
        ck_assert_msg(policy_init_none(&p, &err) == 0, "none policy: %s", err.msg);
}

static void teardown(void)
{
        policy_done(&p);
        policy_trace_done(&trace);
}

/* clang-format off */
#define F(name, text) { name, text, sizeof(text) - 1 }
/* clang-format on */

/* Load files; returns the result, with the error message in msg. */
static int load(const struct policy_mem_file *files, size_t n, char *msg, size_t size)
{
        rf_error err = { 0 };
        int r = policy_load_mem(&p, files, n, &trace, &err);

        snprintf(msg, size, "%s", err.msg);
        if (r < 0)
                ck_assert_int_eq(err.code, r);
        return r;
}

START_TEST(test_includes_among_files)
{
        static const struct policy_mem_file files[] = {
                F("main.policy", "include a.policy\nlimit.pids = 7\n"),
                F("a.policy", "net = loopback\ninclude sub/b.policy\n"),
                F("sub/b.policy", "hostname = mem\n"),
        };
        char msg[512];

        ck_assert_int_eq(load(files, 3, msg, sizeof(msg)), 0);
        ck_assert_int_eq(p.net, POLICY_NET_LOOPBACK);
        ck_assert_str_eq(p.hostname, "mem");
        ck_assert_uint_eq(p.limits.pids, 7);
        ck_assert_str_eq(policy_trace_origin(&trace, "net"), "a.policy:1");
        ck_assert_str_eq(policy_trace_origin(&trace, "hostname"), "sub/b.policy:1");
        ck_assert_str_eq(policy_trace_origin(&trace, "limit.pids"), "main.policy:2");
}
END_TEST

/* An absolute path that exists on every machine is not read: only the files given count. */
START_TEST(test_no_filesystem)
{
        static const struct policy_mem_file abs[] = { F("main.policy", "include /etc/passwd\n") };
        static const struct policy_mem_file json[] = {
                F("main.policy", "seccomp-json /usr/share/doc/nothing.json\n")
        };
        static const struct policy_mem_file name[] = { F("main.policy", "include build\n") };
        char msg[512];

        ck_assert_int_eq(load(abs, 1, msg, sizeof(msg)), -EINVAL);
        ck_assert_str_eq(msg, "main.policy:1:9: cannot read '/etc/passwd': No such file or "
                              "directory, expected a readable policy file");
        ck_assert_int_eq(load(json, 1, msg, sizeof(msg)), -EINVAL);
        ck_assert_str_eq(msg, "main.policy:1:14: cannot open '/usr/share/doc/nothing.json': No "
                              "such file or directory, expected a Docker/OCI seccomp profile");
        ck_assert_int_eq(load(name, 1, msg, sizeof(msg)), -EINVAL);
        ck_assert_msg(strstr(msg, "main.policy:1:9: no policy named 'build' in ") == msg, "%s",
                      msg);
}
END_TEST

/* A name is policies/NAME.policy among the files; the built-ins still apply. */
START_TEST(test_names_and_builtins)
{
        static const struct policy_mem_file files[] = {
                F("main.policy", "include default\ninclude net\n"),
                F("policies/net.policy", "net = host\n"),
        };
        char msg[512];

        ck_assert_int_eq(load(files, 2, msg, sizeof(msg)), 0);
        ck_assert_int_eq(p.net, POLICY_NET_HOST);
        ck_assert_uint_gt(p.seccomp.n_rules, 100); /* the default's */
        ck_assert_str_eq(policy_trace_origin(&trace, "net"), "policies/net.policy:1");
}
END_TEST

START_TEST(test_seccomp_json)
{
        static const struct policy_mem_file files[] = {
                F("main.policy", "seccomp-json p.json\n"),
                F("p.json", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                            "[\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}"),
        };
        static const struct policy_mem_file bad[] = {
                F("main.policy", "seccomp-json p.json\n"),
                F("p.json", "{\"defaultAction\": 1}"),
        };
        char msg[512];

        ck_assert_int_eq(load(files, 2, msg, sizeof(msg)), 0);
        ck_assert_uint_eq(p.seccomp.n_rules, 2);
        ck_assert_int_eq(p.seccomp.default_action, POLICY_ACT_ERRNO);
        ck_assert_int_eq(load(bad, 2, msg, sizeof(msg)), -EINVAL);
        ck_assert_str_eq(msg, "main.policy:1:14: p.json: defaultAction: expected a string such "
                              "as SCMP_ACT_ALLOW, got an integer");
}
END_TEST

START_TEST(test_cycles)
{
        static const struct policy_mem_file cycle[] = {
                F("main.policy", "include a.policy\n"),
                F("a.policy", "\ninclude main.policy\n"),
        };
        /* "./a.policy" includes itself by the same name, taken from its folder ".". */
        static const struct policy_mem_file self[] = {
                F("main.policy", "include ./a.policy\n"),
                F("./a.policy", "include ./a.policy\n"),
        };
        char msg[512];

        ck_assert_int_eq(load(cycle, 2, msg, sizeof(msg)), -EINVAL);
        ck_assert_str_eq(msg, "a.policy:2:9: include cycle: main.policy -> a.policy -> "
                              "main.policy, expected files that do not include each other");
        ck_assert_int_eq(load(self, 2, msg, sizeof(msg)), -EINVAL);
        ck_assert_str_eq(msg, "./a.policy:1:9: include cycle: ./a.policy -> ./a.policy, "
                              "expected files that do not include each other");
}
END_TEST

/* The same text as a file gives: a NUL byte, an error's position, an empty file, CRLF. */
START_TEST(test_text)
{
        static const struct policy_mem_file nul[] = { F("main.policy", "ne\0t = host\n") };
        static const struct policy_mem_file err[] = {
                F("main.policy", "# comment\nnet = loopback\nlimit.pids = many\n")
        };
        static const struct policy_mem_file empty[] = { { "main.policy", NULL, 0 } };
        static const struct policy_mem_file crlf[] = { F("main.policy", "net = host\r\n") };
        static const struct policy_mem_file none[] = { { "main.policy", NULL, 1 } };
        char msg[512];

        ck_assert_int_eq(load(nul, 1, msg, sizeof(msg)), -EINVAL);
        ck_assert_str_eq(msg, "main.policy:1:3: unexpected NUL byte, expected text");
        ck_assert_int_eq(load(err, 1, msg, sizeof(msg)), -EINVAL);
        ck_assert_str_eq(msg, "main.policy:3:14: limit.pids: invalid value 'many', expected a "
                              "whole number from 1 to 4194304");
        ck_assert_int_eq(load(empty, 1, msg, sizeof(msg)), 0);
        ck_assert_int_eq(load(crlf, 1, msg, sizeof(msg)), 0);
        ck_assert_int_eq(p.net, POLICY_NET_HOST);
        ck_assert_int_eq(load(none, 1, msg, sizeof(msg)), -EINVAL);
        ck_assert_int_eq(load(NULL, 0, msg, sizeof(msg)), -EINVAL);
}
END_TEST

static Suite *policy_mem_suite(void)
{
        Suite *s = suite_create("policy_mem");
        TCase *tc = tcase_create("mem");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_includes_among_files);
        tcase_add_test(tc, test_no_filesystem);
        tcase_add_test(tc, test_names_and_builtins);
        tcase_add_test(tc, test_seccomp_json);
        tcase_add_test(tc, test_cycles);
        tcase_add_test(tc, test_text);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return test_run_suite(policy_mem_suite());
}
