/* SPDX-License-Identifier: MIT */
/* `mem-hog MIB`: allocates MIB mebibytes in 8 MiB steps and touches every page. Prints
 * "allocated N MiB" and exits 0 when it got them all, or "malloc failed after N MiB: ENOMEM"
 * and exits 1; a cgroup limit usually kills it before either. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
        long want = argc > 1 ? atol(argv[1]) : 1024, got = 0;
        const size_t step = 8u << 20;

        setvbuf(stdout, NULL, _IONBF, 0);
        for (; got < want; got += 8) {
                char *p = malloc(step);
                if (!p) {
                        printf("malloc failed after %ld MiB: %s\n", got, strerrorname_np(errno));
                        return 1;
                }
                memset(p, 0xa5, step);
        }
        printf("allocated %ld MiB\n", got);
        return 0;
}
