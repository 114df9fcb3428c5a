/* SPDX-License-Identifier: MIT */
/* The tools print the library's lines (rf_set_log_handler) on stderr. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

void cli_log(int level, const char *line, void *user)
{
        (void)user;
        if (level == RF_LOG_PROGRESS)
                fprintf(stderr, "\r\033[K%s", line); /* back to the line's start, clear it */
        else
                fprintf(stderr, "%s\n", line);
        fflush(stderr);
}
