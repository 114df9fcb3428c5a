/* SPDX-License-Identifier: MIT */
/* The stacks a job's init and command run on (CLONE_VM): mapped with a guard page below each,
 * and kept for later jobs once a job is reaped. Process-wide, safe from several threads. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "base/base.h"
#include "sandbox/plan-internal.h"

#define STACK_SIZE (64 * 1024)

/* Stacks of finished jobs, kept for the next ones: mapping and unmapping them for every job
 * costs TLB shootdowns on every CPU that runs a thread or a CLONE_VM child of ours. */
#define STACKS_MAX_IDLE 64
#define STACKS_SIZE (2 * (STACK_SIZE + 4096))
static pthread_mutex_t stacks_lock = PTHREAD_MUTEX_INITIALIZER;
static void *stacks_idle[STACKS_MAX_IDLE];
static size_t stacks_n_idle;

int plan_stacks_take(struct sandbox_plan *pl, rf_error *err)
{
        char *m = NULL;

        pthread_mutex_lock(&stacks_lock);
        if (stacks_n_idle > 0)
                m = stacks_idle[--stacks_n_idle];
        pthread_mutex_unlock(&stacks_lock);
        if (!m) {
                m = mmap(NULL, STACKS_SIZE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
                if (m == MAP_FAILED)
                        return rf_error_set(err, -errno, "stack for the job: %s", strerror(errno));
                /* A guard page below each stack. */
                (void)mprotect(m, 4096, PROT_NONE);
                (void)mprotect(m + STACK_SIZE + 4096, 4096, PROT_NONE);
        }
        pl->stack1 = m + 4096;
        pl->stack2 = m + STACK_SIZE + 2 * 4096;
        pl->stack_size = STACK_SIZE;
        return 0;
}

void plan_stacks_give(struct sandbox_plan *pl)
{
        char *m = pl->stack1 ? (char *)pl->stack1 - 4096 : NULL;

        if (!m)
                return;
        pthread_mutex_lock(&stacks_lock);
        if (stacks_n_idle < STACKS_MAX_IDLE) {
                stacks_idle[stacks_n_idle++] = m;
                m = NULL;
        }
        pthread_mutex_unlock(&stacks_lock);
        if (m)
                munmap(m, STACKS_SIZE);
}
