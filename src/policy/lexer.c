/* SPDX-License-Identifier: MIT */
/* The lexer of the policy language (ringfence.policy(5)): lines of a file with their numbers,
 * comments, blanks, words, numbers and constant names, and errors that point at
 * FILE:LINE:COLUMN. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/cleanup.h"
#include "base/error.h"
#include "policy/parse-internal.h"
#include "policy/policy.h"

/* An error at where (a pointer into at->text, or NULL for its start); at may be NULL (the top
 * of the include chain, see load_file). */
int policy_lex_fail(const struct pos *at, const char *where, rf_error *err, const char *fmt, ...)
{
        /* cppcheck-suppress ctunullpointer ; sizeof does not evaluate err, which may be NULL */
        char msg[sizeof(err->msg)];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (at && at->file)
                return rf_error_set(err, -EINVAL, "%s:%u:%u: %s", at->file, at->line,
                                    where ? (unsigned)(where - at->text) + 1 : 1, msg);
        if (at && at->origin)
                return rf_error_set(err, -EINVAL, "%s: %s", at->origin, msg);
        return rf_error_set(err, -EINVAL, "%s", msg);
}

/* What is at s, for "unexpected X": the word or character there, or the end of the line. */
const char *policy_lex_seen(const char *s, char *buf, size_t size)
{
        size_t n = 0;

        if (!*s)
                return "end of line";
        while (s[n] && (isalnum((unsigned char)s[n]) || s[n] == '_') && n < 40)
                n++;
        snprintf(buf, size, "'%.*s'", (int)(n ? n : 1), s);
        return buf;
}

const char *policy_lex_skip_ws(const char *s)
{
        return s + strspn(s, " \t");
}

/* A number or constant at *s; moves *s past it. */
int policy_lex_atom(const struct pos *at, const char **s, uint64_t *ret, rf_error *err)
{
        const char *t = policy_lex_skip_ws(*s);
        size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
        char buf[48], *end;

        if (isdigit((unsigned char)*t)) {
                char num[40];
                snprintf(num, sizeof(num), "%.*s", (int)(n < 39 ? n : 39), t);
                errno = 0;
                *ret = strtoull(num, &end, 0);
                if (errno == ERANGE)
                        return policy_lex_fail(at, t, err,
                                               "number '%s' is too large, "
                                               "expected at most 0xffffffffffffffff",
                                               num);
                if (*end || n > 38)
                        return policy_lex_fail(at, t, err,
                                               "invalid number '%s', expected decimal, "
                                               "0x hex or 0 octal digits",
                                               num);
        } else if (n && (isupper((unsigned char)*t) || *t == '_')) {
                if (policy_constant(t, n, ret) < 0)
                        return policy_lex_fail(at, t, err,
                                               "unknown constant '%.*s', "
                                               "expected a number or a name such as AF_UNIX, "
                                               "TIOCSTI, CLONE_NEWUSER, O_WRONLY or PROT_EXEC",
                                               (int)n, t);
        } else {
                return policy_lex_fail(at, t, err,
                                       "unexpected %s, expected a number or a constant name "
                                       "such as AF_UNIX",
                                       policy_lex_seen(t, buf, sizeof(buf)));
        }
        *s = t + n;
        return 0;
}

/* Letters, digits and "._-*": what keys and statement words are made of. */
size_t policy_lex_word(const char *s)
{
        return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-*");
}

char *policy_lex_cut(char *line)
{
        char *s = (char *)policy_lex_skip_ws(line), *end;

        if (!*s || *s == '#')
                return NULL;
        /* A comment starts at a '#' after a blank. */
        for (end = s; *end; end++)
                if (*end == '#' && (end[-1] == ' ' || end[-1] == '\t'))
                        break;
        while (end > s && isspace((unsigned char)end[-1]))
                end--;
        *end = '\0';
        return s;
}

int policy_lex_lines(FILE *f, const char *path,
                     int (*fn)(void *ctx, const struct pos *at, char *line), void *ctx,
                     rf_error *err)
{
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        unsigned lineno = 0;
        char origin[PATH_MAX + 16];
        int r = 0;

        errno = 0;
        while (r >= 0 && (len = getline(&line, &cap, f)) >= 0) {
                struct pos at = { path, ++lineno, line, origin };
                if (len > 0 && line[len - 1] == '\n')
                        line[--len] = '\0';
                if (len > 0 && line[len - 1] == '\r')
                        line[--len] = '\0';
                snprintf(origin, sizeof(origin), "%s:%u", path, lineno);
                if (strlen(line) != (size_t)len)
                        r = policy_lex_fail(&at, line + strlen(line), err,
                                            "unexpected NUL byte, expected text");
                else
                        r = fn(ctx, &at, line);
        }
        if (r >= 0 && ferror(f)) {
                int e = errno ? errno : EIO;
                r = rf_error_set(err, -e, "cannot read policy file '%s': %s", path, strerror(e));
        }
        return r;
}
