/* SPDX-License-Identifier: MIT */
/* The pool of network namespaces on the real kernel: what it lends is a network namespace other
 * than ours, with its loopback up and no TIME_WAIT kept; a returned one is lent again; two lent
 * at once differ; the lending thread stays in its own namespace. Needs root, else skipped. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ringfence.h"
#include "sandbox/netns-pool.h"
#include "helpers.h"

/* The inode that names fd's namespace (or the calling thread's when fd < 0). */
static ino_t ns_ino(int fd)
{
        struct stat st;

        if (fd < 0)
                ck_assert_int_eq(stat("/proc/thread-self/ns/net", &st), 0);
        else
                ck_assert_int_eq(fstat(fd, &st), 0);
        return st.st_ino;
}

START_TEST(test_lends_a_namespace_of_its_own)
{
        rf_error err = { 0 };
        ino_t ours = ns_ino(-1);
        int fd = netns_pool_take(&err);

        ck_assert_msg(fd >= 0, "take: %s", err.msg);
        ck_assert_int_ne(ns_ino(fd), ours);
        ck_assert_int_eq(ns_ino(-1), ours); /* the thread came back */
        netns_pool_give(fd);
}
END_TEST

START_TEST(test_loopback_up_and_no_time_wait)
{
        rf_error err = { 0 };
        int fd = netns_pool_take(&err), s, tw;
        struct ifreq ifr;
        char buf[16] = "";
        FILE *f;

        ck_assert_msg(fd >= 0, "take: %s", err.msg);
        ck_assert_int_eq(netns_pool_enter(fd), 0);
        s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        memset(&ifr, 0, sizeof(ifr));
        memcpy(ifr.ifr_name, "lo", 3);
        ck_assert_int_eq(ioctl(s, SIOCGIFFLAGS, &ifr), 0);
        close(s);
        f = fopen("/proc/sys/net/ipv4/tcp_max_tw_buckets", "re");
        ck_assert_ptr_nonnull(f);
        ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
        fclose(f);
        netns_pool_leave();
        ck_assert_msg(ifr.ifr_flags & IFF_UP, "loopback is down in a pooled namespace");
        tw = atoi(buf);
        ck_assert_int_eq(tw, 0);
        netns_pool_give(fd);
}
END_TEST

START_TEST(test_returned_is_lent_again_and_two_differ)
{
        rf_error err = { 0 };
        int a = netns_pool_take(&err), b, c;
        ino_t ia;

        ck_assert_msg(a >= 0, "take: %s", err.msg);
        ia = ns_ino(a);
        b = netns_pool_take(&err);
        ck_assert_msg(b >= 0, "take: %s", err.msg);
        ck_assert_int_ne(ns_ino(b), ia); /* a is still lent: never the same one twice */
        netns_pool_give(b);
        netns_pool_give(a);
        c = netns_pool_take(&err);
        ck_assert_int_eq(ns_ino(c), ia); /* the last returned is lent first */
        ck_assert_uint_eq(netns_pool_idle(), 1);
        netns_pool_give(c);
        ck_assert_uint_eq(netns_pool_idle(), 2);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("netns-pool");
        TCase *tc = tcase_create("pool");

        if (geteuid() != 0) {
                printf("1..0 # SKIP the network namespace pool is used as root only\n");
                return 0;
        }
        tcase_add_test(tc, test_lends_a_namespace_of_its_own);
        tcase_add_test(tc, test_loopback_up_and_no_time_wait);
        tcase_add_test(tc, test_returned_is_lent_again_and_two_differ);
        suite_add_tcase(s, tc);
        return test_run_suite(s);
}
