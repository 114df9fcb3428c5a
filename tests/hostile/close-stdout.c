/* SPDX-License-Identifier: MIT */
/* Attack: end the output but not the work. `close-stdout child MARKER`: a child closes its
 * stdout and stderr and runs `sleep MARKER`, the main process exits 0 at once (ringfence must
 * not wait for the child, nor leave it behind). `close-stdout self`: the main process closes
 * its own stdout and stderr and keeps running (ringfence must wait for it, up to its limit). */
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        if (argc == 3 && !strcmp(argv[1], "child")) {
                printf("child started\n");
                fflush(stdout);
                if (fork() == 0) {
                        close(1);
                        close(2);
                        execlp("sleep", "sleep", argv[2], (char *)NULL);
                        _exit(127);
                }
                return 0;
        }
        printf("closing\n");
        fflush(stdout);
        close(1);
        close(2);
        for (;;)
                pause();
}
