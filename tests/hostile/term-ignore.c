/* SPDX-License-Identifier: MIT */
/* Attack: refuse to stop. Ignores SIGTERM, SIGINT, SIGHUP and SIGQUIT, says so, then waits
 * forever; only SIGKILL ends it. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "attack.h"

int main(void)
{
        int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
        for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
                signal(sigs[i], SIG_IGN);
        printf("ignoring SIGTERM\n");
        fflush(stdout);
        for (;;)
                pause();
}
