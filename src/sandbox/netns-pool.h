/* SPDX-License-Identifier: MIT */
/* The pool of empty network namespaces that jobs join instead of creating their own
 * (netns-pool.c); process-wide, safe to use from several spawning threads. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ringfence.h"

/* Whether jobs may use the pool: running as root (joining a namespace that the initial user
 * namespace owns needs it) and not turned off with RINGFENCE_NETNS_POOL=0. */
bool netns_pool_usable(void);
/* Lend an empty network namespace (loopback up, tcp_max_tw_buckets 0): an idle one, else a new
 * one. Returns its fd, which the caller owns until netns_pool_give, or -errno. */
int netns_pool_take(rf_error *err);
/* Return a namespace once no process of the job that had it is left (its pid namespace's init
 * reaped); -1 is ignored. */
void netns_pool_give(int fd);
/* Move the calling thread into fd's namespace (around a clone3, so that the child is born
 * there). Returns 0 or -errno. */
int netns_pool_enter(int fd);
/* Move the calling thread back into the host's namespace; aborts if it cannot. */
void netns_pool_leave(void);
/* Close the idle namespaces (and, when none is lent, the host's): the pool holds no fd after
 * it, and fills again on the next take. */
void netns_pool_drain(void);
/* How many namespaces are idle in the pool now (for tests). */
size_t netns_pool_idle(void);
