/* SPDX-License-Identifier: MIT */
/* A pool of empty network namespaces (loopback up, no TIME_WAIT kept), so that a job joins one
 * instead of creating its own: creating one costs about 0.4 ms and a kernel-wide lock, joining
 * one 2 µs (research/spawn-limit.md). Each is lent to one job at a time and returned once that
 * job's pid namespace is gone, which leaves no process and no open socket in it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/base.h"
#include "sandbox/netns-pool.h"

/* Idle namespaces kept beyond this are closed (the pool never holds more than the most jobs
 * that were in flight at once). */
#define POOL_MAX_IDLE 256

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static int idle[POOL_MAX_IDLE];
static size_t n_idle;
static size_t n_lent;    /* taken and not given back yet */
static int host_fd = -1; /* the network namespace of the threads that spawn */
/* -1 unknown, 0 on, 1 off (RINGFENCE_NETNS_POOL=0); read by every worker that plans a spawn */
static _Atomic int disabled = -1;

/* Bring the loopback of the current network namespace up. */
static int loopback_up(void)
{
        struct ifreq ifr;
        _cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

        if (fd < 0)
                return -errno;
        memset(&ifr, 0, sizeof(ifr));
        memcpy(ifr.ifr_name, "lo", 3);
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                return -errno;
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        return ioctl(fd, SIOCSIFFLAGS, &ifr) < 0 ? -errno : 0;
}

/* Keep no TIME_WAIT sockets: a closed connection of one job must not hold its port against the
 * next job. The sysctl is per network namespace: this writes the current one's. */
static int no_time_wait(void)
{
        _cleanup_close_ int fd = open("/proc/sys/net/ipv4/tcp_max_tw_buckets",
                                      O_WRONLY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        return write(fd, "0", 1) == 1 ? 0 : -errno;
}

/* Create one namespace on this thread and come back: an fd for it, or -errno. */
static int create_one(rf_error *err)
{
        const char *what = "unshare";
        int fd = -1, r;

        if (unshare(CLONE_NEWNET) < 0)
                return rf_error_set(err, -errno, "creating a network namespace: %s",
                                    strerror(errno));
        fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        r = fd < 0 ? -errno : 0;
        if (r == 0 && (what = "bringing its loopback up", r = loopback_up()) == 0)
                what = "tcp_max_tw_buckets", r = no_time_wait();
        netns_pool_leave();
        if (r < 0) {
                if (fd >= 0)
                        close(fd);
                return rf_error_set(err, r, "preparing a network namespace (%s): %s", what,
                                    strerror(-r));
        }
        return fd;
}

bool netns_pool_usable(void)
{
        int off = atomic_load_explicit(&disabled, memory_order_relaxed);

        if (off < 0) {
                const char *v = secure_getenv("RINGFENCE_NETNS_POOL");
                off = v && !strcmp(v, "0");
                atomic_store_explicit(&disabled, off, memory_order_relaxed);
        }
        /* Joining a namespace owned by the initial user namespace needs root there. */
        return !off && geteuid() == 0;
}

int netns_pool_take(rf_error *err)
{
        int fd = -1;

        pthread_mutex_lock(&pool_lock);
        if (host_fd < 0) {
                host_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
                if (host_fd < 0) {
                        int e = errno;
                        pthread_mutex_unlock(&pool_lock);
                        return rf_error_set(err, -e, "/proc/thread-self/ns/net: %s", strerror(e));
                }
        }
        if (n_idle > 0)
                fd = idle[--n_idle];
        n_lent++;
        pthread_mutex_unlock(&pool_lock);
        if (fd < 0 && (fd = create_one(err)) < 0) {
                pthread_mutex_lock(&pool_lock);
                n_lent--;
                pthread_mutex_unlock(&pool_lock);
        }
        return fd;
}

void netns_pool_give(int fd)
{
        if (fd < 0)
                return;
        pthread_mutex_lock(&pool_lock);
        n_lent--;
        if (n_idle < POOL_MAX_IDLE) {
                idle[n_idle++] = fd;
                fd = -1;
        }
        pthread_mutex_unlock(&pool_lock);
        if (fd >= 0)
                close(fd);
}

int netns_pool_enter(int fd)
{
        return setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

void netns_pool_leave(void)
{
        /* We were in the host's namespace a moment ago, with the same privileges; should the way
         * back fail, this thread would spawn and connect from a job's namespace: stop here. */
        if (setns(host_fd, CLONE_NEWNET) < 0)
                abort();
}

size_t netns_pool_idle(void)
{
        size_t n;

        pthread_mutex_lock(&pool_lock);
        n = n_idle;
        pthread_mutex_unlock(&pool_lock);
        return n;
}

void netns_pool_drain(void)
{
        pthread_mutex_lock(&pool_lock);
        while (n_idle > 0)
                close(idle[--n_idle]);
        if (n_lent == 0 && host_fd >= 0) {
                close(host_fd);
                host_fd = -1;
        }
        pthread_mutex_unlock(&pool_lock);
}
