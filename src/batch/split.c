/* SPDX-License-Identifier: MIT */
/* Splitting a command line into words the way a POSIX shell does, without running a shell: only
 * quotes and backslashes are understood. Nothing is expanded ($HOME, `cmd`, *, ~ stay as they
 * are), and | ; & < > # ( ) are ordinary characters: a pipeline needs an explicit `sh -c '...'`. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "batch/batch.h"

/* The characters that separate words (the default IFS). */
static bool is_blank(char c)
{
        return c == ' ' || c == '\t' || c == '\n';
}

/* Copy the '...' quote at *p into word: everything up to the next ' is literal. Returns 0, or
 * -EINVAL when the quote is not closed. */
static int single_quote(const char **p, char *word, size_t *n, rf_error *err)
{
        const char *end = strchr(*p + 1, '\'');

        if (!end)
                return rf_error_set(err, -EINVAL, "unterminated ' quote, expected a closing '");
        memcpy(word + *n, *p + 1, (size_t)(end - *p - 1));
        *n += (size_t)(end - *p - 1);
        *p = end + 1;
        return 0;
}

/* Copy the "..." quote at *p into word. Inside, a backslash escapes only " \ $ ` and a newline
 * (a backslash-newline disappears); before any other character it stays as it is. Returns 0, or
 * -EINVAL when the quote is not closed. */
static int double_quote(const char **p, char *word, size_t *n, rf_error *err)
{
        const char *q = *p + 1;

        for (; *q != '"'; q++) {
                if (!*q)
                        return rf_error_set(err, -EINVAL,
                                            "unterminated \" quote, expected a closing \"");
                if (q[0] == '\\' && q[1] && strchr("\"\\$`\n", q[1])) {
                        q++;
                        if (*q == '\n')
                                continue;
                }
                word[(*n)++] = *q;
        }
        *p = q + 1;
        return 0;
}

/* Remove the words appended since first: on an error out is left as it was given. */
static void drop_from(struct strv *out, size_t first)
{
        while (out->n > first)
                free(out->v[--out->n]);
        if (out->v)
                out->v[out->n] = NULL;
}

/* Append the n bytes of word as the next word. */
static void push_word(struct strv *out, char *word, size_t n)
{
        word[n] = '\0';
        strv_push(out, word);
}

/* Read one piece of a word at *p (a quote, an escaped character or a plain character) into
 * word. Returns 1 when the piece makes a word (even an empty one, as "" does), 0 for a
 * backslash-newline, which joins lines and makes nothing, or -EINVAL. */
static int piece(const char **p, char *word, size_t *n, rf_error *err)
{
        const char *q = *p;
        int r;

        switch (*q) {
        case '\'':
                r = single_quote(p, word, n, err);
                return r < 0 ? r : 1;
        case '"':
                r = double_quote(p, word, n, err);
                return r < 0 ? r : 1;
        case '\\':
                if (!q[1])
                        return rf_error_set(err, -EINVAL,
                                            "trailing backslash, expected a character after it");
                *p = q + 2;
                if (q[1] == '\n')
                        return 0;
                word[(*n)++] = q[1];
                return 1;
        default:
                word[(*n)++] = *q;
                *p = q + 1;
                return 1;
        }
}

int batch_split_line(const char *line, struct strv *out, rf_error *err)
{
        /* No word is longer than the line it comes from. */
        _cleanup_free_ char *word = xmalloc(strlen(line) + 1);
        size_t first = out->n, n = 0;
        bool in_word = false;
        const char *p = line;
        int r;

        while (*p) {
                if (is_blank(*p)) {
                        if (in_word)
                                push_word(out, word, n);
                        in_word = false;
                        n = 0;
                        p++;
                        continue;
                }
                r = piece(&p, word, &n, err);
                if (r < 0) {
                        drop_from(out, first);
                        return r;
                }
                in_word = in_word || r > 0;
        }
        if (in_word)
                push_word(out, word, n);
        return 0;
}
