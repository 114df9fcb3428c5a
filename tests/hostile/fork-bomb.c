/* SPDX-License-Identifier: MIT */
/* A bounded fork or thread bomb: `fork-bomb procs|threads [MAX]` makes processes (or threads)
 * that wait forever, until creating one fails or MAX is reached, then prints
 * "procs N: EAGAIN" and exits 1 (or "threads N: OK" and exits 0 when MAX was reached), leaving
 * its children behind for the sandbox to clean up. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *idle(void *arg)
{
        (void)arg;
        for (;;)
                pause();
        return NULL;
}

int main(int argc, char **argv)
{
        long max = argc > 2 ? atol(argv[2]) : 100000, n = 0;
        int threads, err = 0;

        if (argc < 2 || (strcmp(argv[1], "procs") && strcmp(argv[1], "threads"))) {
                fprintf(stderr, "usage: fork-bomb procs|threads [MAX]\n");
                return 2;
        }
        threads = !strcmp(argv[1], "threads");
        setvbuf(stdout, NULL, _IONBF, 0);
        for (; n < max; n++) {
                if (threads) {
                        pthread_t t;
                        pthread_attr_t a;
                        pthread_attr_init(&a);
                        pthread_attr_setstacksize(&a, 64 * 1024);
                        err = pthread_create(&t, &a, idle, NULL);
                        pthread_attr_destroy(&a);
                        if (err)
                                break;
                } else {
                        pid_t p = fork();
                        if (p == 0)
                                idle(NULL);
                        if (p < 0) {
                                err = errno;
                                break;
                        }
                }
        }
        printf("%s %ld: %s\n", argv[1], n, err ? strerrorname_np(err) : "OK");
        return err ? 1 : 0;
}
