/* SPDX-License-Identifier: MIT */
/* The CMake example's library: one greeting. */
#pragma once
const char *greet(void);
