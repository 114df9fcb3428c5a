/* SPDX-License-Identifier: MIT */
/* Description: count the primes below a bound on a pool of worker threads (Node's worker-thread
 * model: C functions of this program, no sandbox): one task per slice of the range, their
 * results added up on the main thread as each task is done.
 *
 * Build: cc -o worker-thread worker-thread.c $(pkg-config --cflags --libs ringfence)
 * Try:   ./worker-thread 1000000 */
#include <stdio.h>
#include <stdlib.h>

#include <ringfence.h>

#define SLICES 16

/* One task: count the primes in [from, to); its done function adds them to *total. */
struct slice {
        unsigned long from, to;
        unsigned long *total;
};

static int is_prime(unsigned long n)
{
        if (n < 2)
                return 0;
        for (unsigned long d = 2; d * d <= n; d++)
                if (n % d == 0)
                        return 0;
        return 1;
}

/* Runs on a worker thread: what it returns goes to done. */
static int count(void *arg)
{
        const struct slice *s = arg;
        int n = 0;

        for (unsigned long i = s->from; i < s->to; i++)
                n += is_prime(i);
        return n;
}

/* Runs on the main thread, inside rf_pool_wait. */
static void done(void *arg, int result)
{
        struct slice *s = arg;

        if (result >= 0)
                *s->total += (unsigned long)result;
}

int main(int argc, char *argv[])
{
        unsigned long bound = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000, total = 0;
        struct slice slices[SLICES];
        rf_error err = { 0 };
        rf_pool *pool;

        if (rf_pool_new(0, &pool, &err) < 0) { /* 0: a thread per core */
                fprintf(stderr, "worker-thread: %s\n", err.msg);
                return 1;
        }
        for (int i = 0; i < SLICES; i++) {
                slices[i] = (struct slice){ bound * i / SLICES, bound * (i + 1) / SLICES, &total };
                if (rf_pool_submit(pool, count, done, &slices[i], &err) < 0) {
                        fprintf(stderr, "worker-thread: %s\n", err.msg);
                        break;
                }
        }
        while (rf_pool_pending(pool) > 0)
                rf_pool_wait(pool, -1, NULL);
        printf("primes below %lu: %lu (%d threads, %d tasks)\n", bound, total,
               rf_pool_threads(pool), SLICES);
        rf_pool_free(pool);
        return 0;
}
