/* SPDX-License-Identifier: MIT */
/* Reading the clocks in microseconds. */
#pragma once

#include <stdint.h>
#include <time.h>

/* The time of clock c (CLOCK_MONOTONIC for durations, CLOCK_REALTIME for Unix time) in
 * microseconds. */
uint64_t base_now_us(clockid_t c);
