/* SPDX-License-Identifier: MIT */
/* A small JSON writer into a growing buffer, for result records (one object per line). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* A JSON text under construction. Owns buf. */
struct jw {
        char *buf;
        size_t len, cap;
        int need_comma;
};

void jw_begin_object(struct jw *j);
void jw_end_object(struct jw *j);
void jw_begin_array(struct jw *j, const char *key);
void jw_end_array(struct jw *j);
/* Add "key": value (key NULL inside an array). Strings of any bytes become valid UTF-8 JSON. */
void jw_string(struct jw *j, const char *key, const char *s);
void jw_string_n(struct jw *j, const char *key, const char *s, size_t n);
void jw_int(struct jw *j, const char *key, int64_t v);
void jw_uint(struct jw *j, const char *key, uint64_t v);
void jw_bool(struct jw *j, const char *key, int v);
void jw_null(struct jw *j, const char *key);
/* Begin a nested object as the value of key. */
void jw_begin_child(struct jw *j, const char *key);
/* End the text with a newline (a JSON line), after its last value. */
void jw_newline(struct jw *j);
void jw_done(struct jw *j);
