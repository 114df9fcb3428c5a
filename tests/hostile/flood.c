/* SPDX-License-Identifier: MIT */
/* Attack: endless output. `flood 1` writes to stdout forever, `flood 2` to stderr; it stops
 * only when a write fails or it is killed. */
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        static char line[4096];
        int fd = argc > 1 ? atoi(argv[1]) : 1;

        memset(line, 'y', sizeof(line) - 1);
        line[sizeof(line) - 1] = '\n';
        for (;;)
                if (write(fd, line, sizeof(line)) < 0)
                        return 1;
}
