/* SPDX-License-Identifier: MIT */
/* The base module's interface: errors, cleanup, allocation, parsing, strings, JSON, syscalls. */
#pragma once

#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "base/exit.h"
#include "base/json.h"
#include "base/log.h"
#include "base/parse.h"
#include "base/strv.h"
#include "base/syscall.h"
#include "base/time.h"
