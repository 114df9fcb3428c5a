/* SPDX-License-Identifier: MIT */
/* A job's output on its way to the user: grouped (kept until the job ends, in memory and then a
 * memfd past 1 MiB), line by line with an optional tag, or into --results files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* One stream of one job, kept until it can be printed. */
struct outbuf {
        char *buf;
        size_t len, cap;
        int spill; /* a memfd holding what did not fit in buf, or -1 */
        bool spilled_any;
};

/* How output reaches the user. */
struct output_mode {
        bool line_buffer;
        const char *tag; /* prefix for each line (line_buffer), or NULL */
        int fds[2];      /* where stdout and stderr go */
};

void outbuf_init(struct outbuf *o);
/* Keep n more bytes. Returns 0 or -errno. */
int outbuf_add(struct outbuf *o, const char *buf, size_t n);
/* Write everything kept to fd, then forget it. Returns 0 or -errno. */
int outbuf_flush(struct outbuf *o, int fd);
void outbuf_done(struct outbuf *o);
/* Write everything kept to fd line by line, each line prefixed by tag and a tab. */
int outbuf_flush_lines(struct outbuf *o, const char *tag, int fd);

/* Line mode: write the complete lines of partial+buf to fd, each prefixed by tag and a tab (tag
 * may be NULL), keeping an unfinished last line in partial. At the job's end, call with n == 0
 * and final set to write what is left (with a newline added). Returns 0 or -errno. */
int output_lines(struct outbuf *partial, const char *tag, const char *buf, size_t n, bool final,
                 int fd);

/* Write all of buf to fd (retrying short writes). Returns 0 or -errno. */
int output_write_all(int fd, const char *buf, size_t n);
