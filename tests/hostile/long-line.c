/* SPDX-License-Identifier: MIT */
/* Attack on the host side: one very long line. `long-line MIB` writes MIB MiB of 'a' without a
 * newline to stdout (default 8), then "\nend\n". */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        static char chunk[1 << 16];
        long n = (argc > 1 ? atol(argv[1]) : 8) << 4;

        memset(chunk, 'a', sizeof(chunk));
        for (long i = 0; i < n; i++)
                if (write(1, chunk, sizeof(chunk)) < 0)
                        return 1;
        return write(1, "\nend\n", 5) == 5 ? 0 : 1;
}
