/* SPDX-License-Identifier: MIT */
/* The CMake example's program: prints the library's greeting. */
#include <stdio.h>

#include "greet.h"

int main(void)
{
        puts(greet());
        return 0;
}
