/* SPDX-License-Identifier: MIT */
/* What the files of the policy language share (lexer.c, parser.c, loader.c): positions in the
 * text, the load in progress, and the calls between the three. Not for other modules. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ringfence.h"
#include "policy/policy.h"

#define POLICY_MAX_DEPTH 16 /* includes nested at most this deep */

/* Where text is read from: a file's line, or a single value (file NULL: `--set`, the API), whose
 * errors are prefixed with origin instead of a position. Columns count bytes of text from 1. */
struct pos {
        const char *file;
        unsigned line;
        const char *text;
        const char *origin;
};

/* One load: the policy, the trace, and the files being read (for cycles), outermost first. */
struct loader {
        struct rf_policy *p;
        struct policy_trace *trace;
        rf_error *err;
        char *chain[POLICY_MAX_DEPTH]; /* the names shown */
        char *real[POLICY_MAX_DEPTH];  /* their real paths */
        size_t depth;
        /* policy_load_mem: the files to read instead of the filesystem (NULL: the filesystem) */
        const struct policy_mem_file *mem;
        size_t n_mem;
        size_t n_lines; /* lines read so far that were more than blanks and a comment */
};

/* ---- lexer.c: positions, errors and the small tokens ---------------------------------------- */

/* An -EINVAL error at where (a pointer into at->text, or NULL for its start): "FILE:LINE:COLUMN:
 * what" for a file, "ORIGIN: what" for a single value, "what" without at. Returns -EINVAL. */
__attribute__((format(printf, 4, 5))) int policy_lex_fail(const struct pos *at, const char *where,
                                                          rf_error *err, const char *fmt, ...);
/* What is at s, for "unexpected X": the quoted word or character there (in buf), or "end of
 * line". */
const char *policy_lex_seen(const char *s, char *buf, size_t size);
/* s past any blanks (spaces and tabs). */
const char *policy_lex_skip_ws(const char *s);
/* A number (decimal, 0x hex, 0 octal) or constant name at *s, after blanks; moves *s past it.
 * Returns 0 or -EINVAL with a positioned error. */
int policy_lex_atom(const struct pos *at, const char **s, uint64_t *ret, rf_error *err);
/* The length of the key or statement word at s (letters, digits, "._-*"). */
size_t policy_lex_word(const char *s);
/* Cut line's comment (a '#' first or after a blank) and trailing blanks, in place. Returns where
 * its text starts, or NULL when nothing is left. */
char *policy_lex_cut(char *line);
/* Call fn for each line of f (without its "\n" or "\r\n"), numbered from 1, at->origin being
 * "PATH:LINE", until fn fails. A line with a NUL byte is an error. Returns 0 or fn's or the read's
 * -errno. */
int policy_lex_lines(FILE *f, const char *path,
                     int (*fn)(void *ctx, const struct pos *at, char *line), void *ctx,
                     rf_error *err);

/* ---- parser.c: lines and settings -------------------------------------------------------- */

/* Apply one line of a file (changed in place) onto l->p. Returns 0 or -errno. */
int policy_parse_line(struct loader *l, const struct pos *at, char *line);

/* ---- loader.c: files, includes, names, built-ins, the trace ---------------------------- */

/* Record origin as where key was last set. */
void policy_trace_record(struct policy_trace *t, const char *key, const char *origin);
/* include SPEC | seccomp-json PATH at position at, arg the rest of the line (not empty). */
int policy_include(struct loader *l, const struct pos *at, const char *word, const char *arg);
