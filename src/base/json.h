/* SPDX-License-Identifier: MIT */
/* A small JSON writer into a growing buffer, for result records (one object per line). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* A JSON text under construction. Owns buf. */
struct json {
        char *buf;
        size_t len, cap;
        int need_comma;
};

void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
/* Add "key": value (key NULL inside an array). Strings of any bytes become valid UTF-8 JSON. */
void json_string(struct json *j, const char *key, const char *s);
void json_string_n(struct json *j, const char *key, const char *s, size_t n);
void json_int(struct json *j, const char *key, int64_t v);
void json_uint(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, int v);
void json_null(struct json *j, const char *key);
/* Begin a nested object as the value of key. */
void json_begin_child(struct json *j, const char *key);
void json_done(struct json *j);
