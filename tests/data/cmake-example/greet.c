/* SPDX-License-Identifier: MIT */
/* The library half of the CMake example. */
#include "greet.h"

const char *greet(void)
{
        return "hello from a sandboxed build";
}
