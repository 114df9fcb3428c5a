/* SPDX-License-Identifier: MIT */
/* A small JSON writer: escapes control characters, and replaces bytes that are not valid UTF-8
 * with U+FFFD, so that any command's bytes make a valid, displayable record. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/json.h"

static void put(struct jw *j, const char *s, size_t n)
{
        array_grow(&j->buf, &j->cap, j->len + n + 1, 1);
        memcpy(j->buf + j->len, s, n);
        j->len += n;
        j->buf[j->len] = '\0';
}

static void puts_(struct jw *j, const char *s)
{
        put(j, s, strlen(s));
}

/* Length of a valid UTF-8 sequence at s (n bytes left), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
        size_t len;
        uint32_t cp;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                len = 2, cp = s[0] & 0x1f;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                len = 3, cp = s[0] & 0x0f;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                len = 4, cp = s[0] & 0x07;
        else
                return 0;
        if (len > n)
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
                return 0;
        return len;
}

static void put_escaped(struct jw *j, const char *str, size_t n)
{
        const unsigned char *s = (const unsigned char *)str;
        char tmp[8];

        put(j, "\"", 1);
        for (size_t i = 0; i < n;) {
                size_t l = utf8_len(s + i, n - i);
                if (l == 0) {
                        puts_(j, "\\ufffd");
                        i++;
                } else if (l > 1) {
                        put(j, (const char *)s + i, l);
                        i += l;
                } else if (s[i] == '"' || s[i] == '\\') {
                        tmp[0] = '\\', tmp[1] = (char)s[i];
                        put(j, tmp, 2);
                        i++;
                } else if (s[i] < 0x20 || s[i] == 0x7f) {
                        snprintf(tmp, sizeof(tmp), "\\u%04x", s[i]);
                        puts_(j, tmp);
                        i++;
                } else {
                        put(j, (const char *)s + i, 1);
                        i++;
                }
        }
        put(j, "\"", 1);
}

static void key_(struct jw *j, const char *key)
{
        if (j->need_comma)
                put(j, ",", 1);
        j->need_comma = 1;
        if (key) {
                put_escaped(j, key, strlen(key));
                put(j, ":", 1);
        }
}

void jw_begin_object(struct jw *j)
{
        if (j->len)
                key_(j, NULL);
        put(j, "{", 1);
        j->need_comma = 0;
}

void jw_begin_child(struct jw *j, const char *key)
{
        key_(j, key);
        put(j, "{", 1);
        j->need_comma = 0;
}

void jw_end_object(struct jw *j)
{
        put(j, "}", 1);
        j->need_comma = 1;
}

void jw_begin_array(struct jw *j, const char *key)
{
        key_(j, key);
        put(j, "[", 1);
        j->need_comma = 0;
}

void jw_end_array(struct jw *j)
{
        put(j, "]", 1);
        j->need_comma = 1;
}

void jw_string_n(struct jw *j, const char *key, const char *s, size_t n)
{
        key_(j, key);
        put_escaped(j, s, n);
}

void jw_string(struct jw *j, const char *key, const char *s)
{
        if (!s) {
                jw_null(j, key);
                return;
        }
        jw_string_n(j, key, s, strlen(s));
}

void jw_int(struct jw *j, const char *key, int64_t v)
{
        char tmp[32];
        key_(j, key);
        snprintf(tmp, sizeof(tmp), "%" PRId64, v);
        puts_(j, tmp);
}

void jw_uint(struct jw *j, const char *key, uint64_t v)
{
        char tmp[32];
        key_(j, key);
        snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
        puts_(j, tmp);
}

void jw_bool(struct jw *j, const char *key, int v)
{
        key_(j, key);
        puts_(j, v ? "true" : "false");
}

void jw_null(struct jw *j, const char *key)
{
        key_(j, key);
        puts_(j, "null");
}

void jw_newline(struct jw *j)
{
        put(j, "\n", 1);
}

void jw_done(struct jw *j)
{
        free(j->buf);
        memset(j, 0, sizeof(*j));
}
