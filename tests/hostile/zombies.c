/* SPDX-License-Identifier: MIT */
/* Attack: a zombie factory. Forks N children (default 200) that exit at once and are never
 * waited for, prints how many it made, then exits itself, leaving the zombies to the sandbox. */
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        int n = argc > 1 ? atoi(argv[1]) : 200, made = 0;

        for (; made < n; made++) {
                pid_t p = fork();
                if (p == 0)
                        _exit(0);
                if (p < 0) {
                        printf("zombies %d: %s\n", made, attack_errname(errno));
                        return 0;
                }
        }
        printf("zombies %d: OK\n", made);
        return 0;
}
