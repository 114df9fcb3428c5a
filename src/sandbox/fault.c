/* SPDX-License-Identifier: MIT */
/* In a build with --enable-fault-injection only: reading the fault to inject into a child step
 * from RINGFENCE_FAULT_STEP, RINGFENCE_FAULT_ERRNO and RINGFENCE_FAULT_MODE. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/fault.h"
#include "sandbox/sandbox.h"

#ifdef RF_FAULT_INJECTION
struct sandbox_fault sandbox_fault;

/* A step by name or number; STEP_NONE for anything else. */
static int parse_step(const char *s)
{
        char *end;
        long n;

        for (int i = 0; i < _STEP_MAX; i++)
                if (!strcmp(s, sandbox_step_id(i)))
                        return i;
        n = strtol(s, &end, 10);
        return *s && !*end && n > STEP_NONE && n < _STEP_MAX ? (int)n : STEP_NONE;
}

/* An errno by number or name (EPERM); EPERM for anything else. */
static int parse_errno(const char *s)
{
        char *end;
        long n = strtol(s, &end, 10);

        if (*s && !*end && n > 0 && n < 4096)
                return (int)n;
        for (int e = 1; e < 200; e++) {
                const char *name = strerrorname_np(e);
                if (name && !strcmp(name, s))
                        return e;
        }
        return EPERM;
}

/* Read each time (a getenv or three per spawn, in test builds only): tests change it. */
void sandbox_fault_arm(void)
{
        const char *step = getenv("RINGFENCE_FAULT_STEP");
        const char *err = getenv("RINGFENCE_FAULT_ERRNO");
        const char *mode = getenv("RINGFENCE_FAULT_MODE");

        sandbox_fault.step = step ? parse_step(step) : STEP_NONE;
        sandbox_fault.err = err ? parse_errno(err) : EPERM;
        sandbox_fault.die = mode && !strcmp(mode, "die");
}
#endif
