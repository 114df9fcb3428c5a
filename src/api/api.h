/* SPDX-License-Identifier: MIT */
/* What the files of src/api/ share: the one copy from the engine's result to the public one. */
#pragma once

#include "ringfence.h"
#include "engine/result.h"

/* Fill the public *d from the engine's result *s, as rf_run returns it (result.c). A string or a
 * violation list longer than rf_result holds is cut; violations_total still counts them all. */
void api_result_export(rf_result *d, const struct engine_result *s);
