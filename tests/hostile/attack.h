/* SPDX-License-Identifier: MIT */
/* What every attack program of tests/hostile shares: one verdict line that the driver
 * (tests/integration/hostile.sh) reads. "blocked: WHY" when the attack failed, "ESCAPED: WHAT"
 * when it got through; the driver fails on any ESCAPED line. Also what several attacks need (the
 * /proc scans of proc-pids and proc-environ). Header-only, static functions. */
#ifndef RF_HOSTILE_ATTACK_H
#define RF_HOSTILE_ATTACK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The errno name ("EPERM"), or "?" for a value without one. */
static inline const char *attack_errname(int e)
{
        const char *n = strerrorname_np(e);
        return n ? n : "?";
}

/* Print "blocked: ..." and flush: the attack failed, for the reason given. */
static inline void __attribute__((format(printf, 1, 2))) blocked(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        fputs("blocked: ", stdout);
        vprintf(fmt, ap);
        fputc('\n', stdout);
        fflush(stdout);
        va_end(ap);
}

/* Print "ESCAPED: ..." and flush: the attack got through. */
static inline void __attribute__((format(printf, 1, 2))) escaped(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        fputs("ESCAPED: ", stdout);
        vprintf(fmt, ap);
        fputc('\n', stdout);
        fflush(stdout);
        va_end(ap);
}

/* Reverse s in place: the driver passes the strings an attack looks for reversed, so that no
 * command line in the sandbox holds them. */
static inline void attack_unreverse(char *s)
{
        for (size_t i = 0, n = strlen(s); i < n / 2; i++) {
                char c = s[i];
                s[i] = s[n - 1 - i];
                s[n - 1 - i] = c;
        }
}

/* The name of the next entry of the /proc listing d that is a process other than self (this
 * process's pid, as text), or NULL at the end. */
static inline const char *attack_next_pid(DIR *d, const char *self)
{
        struct dirent *e;

        while ((e = readdir(d)))
                if (isdigit((unsigned char)e->d_name[0]) && strcmp(e->d_name, self) != 0)
                        return e->d_name;
        return NULL;
}

/* Read up to size - 1 bytes of path (a /proc file such as cmdline or environ) into buf as one
 * string, its NUL separators turned into sep. Returns the length, or -1 when path cannot be
 * opened (buf untouched). */
static inline ssize_t attack_read_proc(const char *path, char *buf, size_t size, char sep)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n;

        if (fd < 0)
                return -1;
        n = read(fd, buf, size - 1);
        close(fd);
        for (ssize_t i = 0; i < n; i++)
                if (!buf[i])
                        buf[i] = sep;
        n = n > 0 ? n : 0;
        buf[n] = 0;
        return n;
}

#endif
