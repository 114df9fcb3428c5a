/* SPDX-License-Identifier: MIT */
/* GNU parallel's replacement strings in command templates: {} {#} {.} {/} {//} {/.} and the
 * positional {N} {N.} {N/} {N//} {N/.}, with parallel's exact path rules. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "batch/batch.h"

/* What a replacement string does to a value. GNU parallel defines each as Perl (parallel(1),
 * --rpl): {.} is s:\.[^/.]+$::, {/} is s:.*\/::, {//} is File::Basename's dirname. Values are
 * plain bytes here: Perl's '.' not matching a newline, which matters only for a -0 value holding
 * both a newline and a '/', is not copied. */
enum rs_op {
        RS_AS_IS,       /* {}   */
        RS_NO_EXT,      /* {.}  */
        RS_BASE,        /* {/}  */
        RS_DIR,         /* {//} */
        RS_BASE_NO_EXT, /* {/.} */
};

/* The word being built, and where the finished words go: with words set, a value boundary of
 * a multi-value replacement string ends the word (GNU parallel's {} with several groups gives
 * separate arguments); without, the values are joined by a space in one string. */
struct buf {
        char *s;
        size_t n, cap;
        struct strv *words;
};

static void put(struct buf *b, const char *p, size_t len)
{
        array_grow(&b->s, &b->cap, b->n + len + 1, 1);
        memcpy(b->s + b->n, p, len);
        b->n += len;
        b->s[b->n] = '\0';
}

static void put_str(struct buf *b, const char *p)
{
        put(b, p, strlen(p));
}

/* One replacement string, parsed. */
struct rs {
        bool seq;     /* {#} */
        unsigned pos; /* 0: every value; N: the Nth group's value */
        enum rs_op op;
};

static const struct {
        const char *tail; /* what follows "{" or "{N" */
        enum rs_op op;
} rs_tails[] = {
        { "}", RS_AS_IS }, { ".}", RS_NO_EXT },       { "/}", RS_BASE },
        { "//}", RS_DIR }, { "/.}", RS_BASE_NO_EXT },
};

/* Parse the replacement string that starts at p (a '{'). Returns its length, or 0 when p does
 * not start one (as in {foo}, {0} or a lone {), which then stays as it is. */
static size_t rs_parse(const char *p, struct rs *rs)
{
        const char *q = p + 1;

        *rs = (struct rs){ 0 };
        if (q[0] == '#' && q[1] == '}') {
                rs->seq = true;
                return 3;
        }
        if (*q >= '1' && *q <= '9') {
                /* Up to 9 digits; a position past the last group gives "" as in parallel. */
                for (int i = 0; *q >= '0' && *q <= '9'; q++, i++) {
                        if (i == 9)
                                return 0;
                        rs->pos = rs->pos * 10 + (unsigned)(*q - '0');
                }
        }
        for (size_t i = 0; i < ARRAY_SIZE(rs_tails); i++) {
                size_t n = strlen(rs_tails[i].tail);
                if (strncmp(q, rs_tails[i].tail, n) == 0) {
                        rs->op = rs_tails[i].op;
                        return (size_t)(q - p) + n;
                }
        }
        return 0;
}

/* The length of v without its extension (s:\.[^/.]+$::): the last '.' goes with what follows it
 * when that is not empty and has no '/'. "dir.x/file" and "file." keep everything. */
static size_t no_ext_len(const char *v)
{
        const char *dot = strrchr(v, '.');

        if (dot && dot[1] && !strchr(dot + 1, '/'))
                return (size_t)(dot - v);
        return strlen(v);
}

/* The basename (s:.*\/::): what follows the last '/', "" when v ends in '/'. */
static const char *base_of(const char *v)
{
        const char *slash = strrchr(v, '/');

        return slash ? slash + 1 : v;
}

/* Write dirname(v) as Perl's File::Basename computes it, which is POSIX dirname(1): trailing
 * slashes do not count, "file" gives ".", "/a" gives "/", "a//b" gives "a". */
static void put_dir(struct buf *out, const char *v)
{
        size_t len = strlen(v);

        while (len > 1 && v[len - 1] == '/')
                len--;
        while (len > 0 && v[len - 1] != '/')
                len--;
        if (len == 0) {
                put(out, ".", 1);
                return;
        }
        while (len > 1 && v[len - 1] == '/')
                len--;
        put(out, v, len);
}

static void put_value(struct buf *out, const char *v, enum rs_op op)
{
        const char *b;

        switch (op) {
        case RS_AS_IS:
                put_str(out, v);
                break;
        case RS_NO_EXT:
                put(out, v, no_ext_len(v));
                break;
        case RS_BASE:
                put_str(out, base_of(v));
                break;
        case RS_DIR:
                put_dir(out, v);
                break;
        case RS_BASE_NO_EXT:
                b = base_of(v);
                put(out, b, no_ext_len(b));
                break;
        }
}

/* Between two values of a multi-value replacement string: a new word, or a space. */
static void value_break(struct buf *out)
{
        if (!out->words) {
                put(out, " ", 1);
                return;
        }
        strv_push(out->words, out->s);
        out->n = 0;
        out->s[0] = '\0';
}

/* Write what rs stands for. Without a position, each value gets the operation and the results
 * are separate words (or joined by a space), as parallel does for {} and {.} with several input
 * sources: `x{}y ::: a ::: b` gives the words "xa" and "by". */
static void put_rs(struct buf *out, const struct rs *rs, char *const *args, uint64_t seq)
{
        size_t n = strv_length(args);
        char num[24];

        if (rs->seq) {
                int k = snprintf(num, sizeof(num), "%llu", (unsigned long long)seq);
                put(out, num, (size_t)k);
        } else if (rs->pos) {
                put_value(out, rs->pos <= n ? args[rs->pos - 1] : "", rs->op);
        } else {
                for (size_t i = 0; i < n; i++) {
                        if (i)
                                value_break(out);
                        put_value(out, args[i], rs->op);
                }
        }
}

/* Fill out (the word so far, and where finished words go) from template word w. */
static void expand(struct buf *out, const char *w, char *const *args, uint64_t seq)
{
        struct rs rs;
        size_t len;

        put(out, "", 0);
        for (const char *p = w; *p;) {
                const char *brace = strchr(p, '{');
                if (!brace) {
                        put_str(out, p);
                        break;
                }
                put(out, p, (size_t)(brace - p));
                len = rs_parse(brace, &rs);
                if (len == 0) {
                        put(out, "{", 1);
                        p = brace + 1;
                        continue;
                }
                put_rs(out, &rs, args, seq);
                p = brace + len;
        }
}

char *batch_template_word(const char *w, char *const *args, uint64_t seq)
{
        struct buf out = { 0 };

        expand(&out, w, args, seq);
        return out.s;
}

void batch_template_words(const char *w, char *const *args, uint64_t seq, struct strv *words)
{
        struct buf out = { .words = words };

        expand(&out, w, args, seq);
        strv_push_take(words, out.s);
}

bool batch_template_has_replacements(char *const *template_)
{
        struct rs rs;

        for (size_t i = 0; template_ && template_[i]; i++)
                for (const char *p = strchr(template_[i], '{'); p; p = strchr(p + 1, '{'))
                        if (rs_parse(p, &rs))
                                return true;
        return false;
}
