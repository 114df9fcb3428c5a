/* SPDX-License-Identifier: MIT */
/* Exit statuses shared by the tools and the result records (see DESIGN.md). */
#pragma once

enum {
        RF_EXIT_TIMEOUT = 124,     /* a time limit ended the command */
        RF_EXIT_INTERNAL = 125,    /* ringfence itself failed: bad flag, bad policy, no support */
        RF_EXIT_CANNOT_EXEC = 126, /* the command exists but cannot be executed */
        RF_EXIT_NOT_FOUND = 127,   /* the command was not found */
        RF_EXIT_SIGNAL_BASE = 128, /* 128+N: signal N ended the command */
};
