/* SPDX-License-Identifier: MIT */
/* Prints "uid R euid E", its effective capabilities ("caps HEX", from /proc/self/status) and
 * tries setuid(0), printing "setuid(0): OK" or the errno name. The tests install a copy as
 * setuid root to show that the sandbox gives no privilege through it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
        char line[256];
        FILE *f = fopen("/proc/self/status", "re");

        printf("uid %d euid %d\n", (int)getuid(), (int)geteuid());
        while (f && fgets(line, sizeof(line), f))
                if (!strncmp(line, "CapEff:\t", 8))
                        printf("caps %s", line + 8);
        if (f)
                fclose(f);
        if (setuid(0) == 0)
                printf("setuid(0): OK\n");
        else
                printf("setuid(0): %s\n", strerrorname_np(errno));
        return 0;
}
