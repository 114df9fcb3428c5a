/* SPDX-License-Identifier: MIT */
/* Reading the clocks in microseconds. */
#include "config.h"

#include "base/time.h"

uint64_t base_now_us(clockid_t c)
{
        struct timespec ts;

        clock_gettime(c, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}
