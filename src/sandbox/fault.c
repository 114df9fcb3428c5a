/* SPDX-License-Identifier: MIT */
/* The child steps' short names, and (in a build with --enable-fault-injection only) reading the
 * fault to inject from RINGFENCE_FAULT_STEP, RINGFENCE_FAULT_ERRNO and RINGFENCE_FAULT_MODE. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/fault.h"
#include "sandbox/sandbox.h"

static const char *const step_ids[_STEP_MAX] = {
        [STEP_NONE] = "none",
        [STEP_SYNC] = "sync",
        [STEP_SETSID] = "setsid",
        [STEP_MOUNT_PRIVATE] = "mount-private",
        [STEP_OPEN_TREE] = "open-tree",
        [STEP_MOUNT_ROOT] = "mount-root",
        [STEP_MKDIR] = "mkdir",
        [STEP_MKFILE] = "mkfile",
        [STEP_SYMLINK] = "symlink",
        [STEP_BIND] = "bind",
        [STEP_TMPFS] = "tmpfs",
        [STEP_PROC] = "proc",
        [STEP_HIDE] = "hide",
        [STEP_READONLY] = "readonly",
        [STEP_PIVOT_ROOT] = "pivot-root",
        [STEP_CHDIR] = "chdir",
        [STEP_HOSTNAME] = "hostname",
        [STEP_LOOPBACK] = "loopback",
        [STEP_CLONE] = "clone",
        [STEP_CGROUP] = "cgroup",
        [STEP_SETGROUPS] = "setgroups",
        [STEP_SETGID] = "setgid",
        [STEP_SETUID] = "setuid",
        [STEP_CAPS] = "caps",
        [STEP_NO_NEW_PRIVS] = "no-new-privs",
        [STEP_RLIMIT] = "rlimit",
        [STEP_STDIO] = "stdio",
        [STEP_FDS] = "fds",
        [STEP_SECCOMP] = "seccomp",
        [STEP_EXEC] = "exec",
};

const char *sandbox_step_id(int step)
{
        return step >= 0 && step < _STEP_MAX ? step_ids[step] : NULL;
}

#ifdef RF_FAULT_INJECTION
struct sandbox_fault sandbox_fault;

/* A step by name or number; STEP_NONE for anything else. */
static int parse_step(const char *s)
{
        char *end;
        long n;

        for (int i = 0; i < _STEP_MAX; i++)
                if (step_ids[i] && !strcmp(s, step_ids[i]))
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
