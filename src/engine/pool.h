/* SPDX-License-Identifier: MIT */
/* The worker pool's interface: threads that run tasks for one owner thread (the engine's, or a
 * library user's), each worker with a request ring and a reply ring of its own (a fixed header,
 * then the payload), waking the owner through one eventfd that an io_uring loop can read. */
#pragma once

#include <stddef.h>

#include "ringfence.h"

struct pool;

/* A task: runs on a worker thread; what it returns is handed to its done function. */
typedef int (*pool_fn)(void *arg);
/* Called on the owner's thread, once per task, with what fn returned, or with -ECANCELED when the
 * pool was freed before the task could start. */
typedef void (*pool_done_fn)(void *arg, int result);

/* A pool of nthreads workers (0: one per online core), sleeping until they are given work.
 * Workers start with every signal blocked. Returns 0 or -errno. */
int pool_new(unsigned nthreads, struct pool **ret, rf_error *err);

/* Stop p: tasks not started yet are not run (their done gets -ECANCELED), tasks running are
 * waited for, then every done is called and the threads are joined. NULL is fine. Not from a
 * done function. A child spawned on a worker with PR_SET_PDEATHSIG dies when its worker does:
 * free the pool only after such children are gone. */
void pool_free(struct pool *p);

/* Queue fn(arg) to run on a worker; done(arg, result) runs later on the owner's thread, from
 * pool_drain. Never blocks: when every worker's ring is full the task waits in a queue of the
 * owner's. Owner's thread only. Returns 0, or -EINVAL when fn or done is NULL, -ESHUTDOWN while
 * the pool stops. */
int pool_submit(struct pool *p, pool_fn fn, pool_done_fn done, void *arg, rf_error *err);

/* Call done for every finished task and hand queued tasks to workers with room. Owner's thread
 * only; done functions may submit more. Returns how many tasks finished. */
size_t pool_drain(struct pool *p);

/* Tasks submitted whose done has not run yet. */
size_t pool_pending(const struct pool *p);

/* The number of worker threads. */
unsigned pool_threads(const struct pool *p);

/* The eventfd a worker writes after a reply, when the owner announced with pool_sleep_prepare
 * that it sleeps. The owner reads it (or polls it) to wake; the pool keeps it. */
int pool_fd(const struct pool *p);

/* Before the owner sleeps on pool_fd: returns 1 when a reply is already there (don't sleep;
 * nothing announced), 0 when the owner may sleep; then call pool_sleep_done after waking. */
int pool_sleep_prepare(struct pool *p);

/* Withdraw pool_sleep_prepare's announcement. */
void pool_sleep_done(struct pool *p);

/* For owners without an event loop: sleep until a task finishes (at most timeout_ms, < 0: no
 * limit), then drain. Returns how many tasks finished (0 when the time ran out), or -errno. */
int pool_wait(struct pool *p, int timeout_ms);
