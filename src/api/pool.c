/* SPDX-License-Identifier: MIT */
/* The public worker-thread calls: an rf_pool wraps the engine's pool and checks the arguments
 * and that its owner's thread is the one calling. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "ringfence.h"
#include "base/base.h"
#include "engine/pool.h"

#define RF_POOL_MAX_THREADS 1024

struct rf_pool {
        struct pool *p;
        pthread_t owner;
};

/* 0 when the caller is p's owner, else -EPERM with a sentence naming call. */
static int owner_check(const rf_pool *p, const char *call, rf_error *err)
{
        if (pthread_equal(p->owner, pthread_self()))
                return 0;
        return rf_error_set(err, -EPERM, "%s: only the thread that made the pool may call it",
                            call);
}

/* pool_new with the thread count checked. */
RF_EXPORT int rf_pool_new(int nthreads, rf_pool **ret, rf_error *err)
{
        rf_pool *rp;
        int k;

        if (!ret || nthreads < 0 || nthreads > RF_POOL_MAX_THREADS)
                return rf_error_set(err, -EINVAL,
                                    "rf_pool_new: %d threads: "
                                    "expected 0 (one per core) to %d, and ret not NULL",
                                    nthreads, RF_POOL_MAX_THREADS);
        rp = xcalloc(1, sizeof(*rp));
        rp->owner = pthread_self();
        k = pool_new((unsigned)nthreads, &rp->p, err);
        if (k < 0) {
                free(rp);
                return k;
        }
        *ret = rp;
        return 0;
}

/* pool_free; NULL is fine. */
RF_EXPORT rf_pool *rf_pool_free(rf_pool *p)
{
        if (p) {
                pool_free(p->p);
                free(p);
        }
        return NULL;
}

/* pool_submit from the owner's thread. */
RF_EXPORT int rf_pool_submit(rf_pool *p, rf_task_fn fn, rf_task_done_fn done, void *arg,
                             rf_error *err)
{
        int k;

        if (!p || !fn || !done)
                return rf_error_set(err, -EINVAL,
                                    "rf_pool_submit: the pool, the task function "
                                    "and the done function must not be NULL");
        if ((k = owner_check(p, "rf_pool_submit", err)) < 0)
                return k;
        return pool_submit(p->p, fn, done, arg, err);
}

/* pool_wait from the owner's thread. */
RF_EXPORT int rf_pool_wait(rf_pool *p, int timeout_ms, rf_error *err)
{
        int k;

        if (!p)
                return rf_error_set(err, -EINVAL, "rf_pool_wait: the pool must not be NULL");
        if ((k = owner_check(p, "rf_pool_wait", err)) < 0)
                return k;
        k = pool_wait(p->p, timeout_ms);
        return k < 0 ? rf_error_set(err, k, "rf_pool_wait: %s", rf_strerror(k)) : k;
}

/* pool_pending; 0 for NULL. */
RF_EXPORT size_t rf_pool_pending(const rf_pool *p)
{
        return p ? pool_pending(p->p) : 0;
}

/* pool_threads; 0 for NULL. */
RF_EXPORT int rf_pool_threads(const rf_pool *p)
{
        return p ? (int)pool_threads(p->p) : 0;
}
