/* SPDX-License-Identifier: MIT */
/* Scope-bound cleanup of fds and heap memory, and explicit ownership transfer. */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void freep(void *p)
{
        free(*(void **)p);
}

static inline void closep(int *fd)
{
        if (*fd >= 0)
                (void)close(*fd);
}

static inline void fclosep(FILE **f)
{
        if (*f)
                (void)fclose(*f);
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Take ownership of p, leaving NULL behind. */
#define TAKE_PTR(p)                                                                                \
        ({                                                                                         \
                __typeof__(p) _p = (p);                                                            \
                (p) = NULL;                                                                        \
                _p;                                                                                \
        })

/* Take ownership of fd, leaving -1 behind. */
#define TAKE_FD(fd)                                                                                \
        ({                                                                                         \
                int _fd = (fd);                                                                    \
                (fd) = -1;                                                                         \
                _fd;                                                                               \
        })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Abort with a message when memory runs out where no error can be reported. (GNU spelling, not
 * C11 _Noreturn: cppcheck 2.10 does not treat _Noreturn as noreturn and then reports NULL
 * dereferences after every `if (!p) rf_oom();`.) */
__attribute__((noreturn)) void rf_oom(void);
