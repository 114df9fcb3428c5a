/* SPDX-License-Identifier: MIT */
/* Loading policies (ringfence.policy(5)): files and the includes between them (relative to the
 * including file, with cycles and depth refused), names looked up as -p does, the built-ins
 * default and none, seccomp-json profiles, files in memory for tests, and the trace of origins. */
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
#include "base/log.h"
#include "policy/parse-internal.h"
#include "policy/policy.h"

#ifndef RF_POLICY_DIR
#define RF_POLICY_DIR "/usr/local/share/ringfence/policies"
#endif

/* ---- the trace ------------------------------------------------------------------------------ */

void policy_trace_done(struct policy_trace *t)
{
        if (!t)
                return;
        strv_done(&t->keys);
        strv_done(&t->origins);
        free(t->base);
        t->base = NULL;
}

const char *policy_trace_origin(const struct policy_trace *t, const char *key)
{
        if (!t)
                return "default policy";
        for (size_t i = t->keys.n; i-- > 0;)
                if (!strcmp(t->keys.v[i], key))
                        return t->origins.v[i];
        return t->base ? t->base : "default policy";
}

void policy_trace_record(struct policy_trace *t, const char *key, const char *origin)
{
        if (!t)
                return;
        for (size_t i = 0; i < t->keys.n; i++)
                if (!strcmp(t->keys.v[i], key)) {
                        free(t->origins.v[i]);
                        t->origins.v[i] = xstrdup(origin);
                        return;
                }
        strv_push(&t->keys, key);
        strv_push(&t->origins, origin);
}

/* Everything now comes from base (a built-in policy replaced what was there). */
static void trace_reset(struct policy_trace *t, const char *base)
{
        if (!t)
                return;
        policy_trace_done(t);
        t->base = xstrdup(base);
}

/* ---- files, names and built-ins ------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
        size_t n = strlen(s), m = strlen(suffix);
        return n >= m && !strcmp(s + n - m, suffix);
}

enum spec_kind { SPEC_DEFAULT, SPEC_NONE, SPEC_JSON, SPEC_FILE };

/* The file called path among l->mem, or NULL. */
static const struct policy_mem_file *mem_find(const struct loader *l, const char *path)
{
        for (size_t i = 0; i < l->n_mem; i++)
                if (!strcmp(l->mem[i].name, path))
                        return &l->mem[i];
        return NULL;
}

/* Whether path can be read: from the filesystem, or among l->mem. */
static bool readable(const struct loader *l, const char *path)
{
        return l->mem ? mem_find(l, path) != NULL : access(path, R_OK) == 0;
}

/* What spec names, and the path to read (*ret_path, for JSON and FILE). Relative paths are
 * taken from dir (NULL: the working directory); names are looked up as -p does. */
static int resolve(const struct loader *l, const struct pos *at, const char *where,
                   const char *spec, const char *dir, enum spec_kind *ret_kind, char **ret_path)
{
        rf_error *err = l->err;

        *ret_path = NULL;
        if (!*spec)
                return policy_lex_fail(at, where, err, "expected a policy name or path");
        if (!strchr(spec, '/') && !ends_with(spec, ".policy") && !ends_with(spec, ".json")) {
                char *inst = NULL, *local = NULL;
                if (!strcmp(spec, "default") || !strcmp(spec, "none")) {
                        *ret_kind = spec[0] == 'd' ? SPEC_DEFAULT : SPEC_NONE;
                        return 0;
                }
                *ret_kind = SPEC_FILE;
                if (asprintf(&inst, "%s/%s.policy", RF_POLICY_DIR, spec) < 0 ||
                    asprintf(&local, "policies/%s.policy", spec) < 0)
                        rf_oom();
                if (readable(l, inst)) {
                        *ret_path = inst;
                        free(local);
                        return 0;
                }
                free(inst);
                if (readable(l, local)) {
                        *ret_path = local;
                        return 0;
                }
                free(local);
                return policy_lex_fail(at, where, err,
                                       "no policy named '%s' in " RF_POLICY_DIR
                                       " or ./policies, expected default, none, "
                                       "an installed name such as build, or a path",
                                       spec);
        }
        *ret_kind = ends_with(spec, ".json") ? SPEC_JSON : SPEC_FILE;
        if (spec[0] == '/' || !dir || !*dir || !strcmp(dir, "."))
                *ret_path = xstrdup(spec);
        else if (asprintf(ret_path, "%s/%s", dir, spec) < 0)
                rf_oom();
        return 0;
}

/* Fill p with the built-in "none": no sandbox at all. */
int policy_init_none(struct rf_policy *p, rf_error *err)
{
        /* The whole environment passes, as xargs would pass it: `none` is no sandbox. */
        static const char *const env_pass[] = { "*" };

        (void)err;
        memset(p, 0, sizeof(*p));
        p->namespaces = 0;
        p->net = POLICY_NET_HOST;
        p->caller_identity = true;
        for (size_t i = 0; i < ARRAY_SIZE(env_pass); i++)
                strv_push(&p->env_pass, env_pass[i]);
        p->seccomp.default_action = POLICY_ACT_ALLOW;
        return 0;
}

static int load_builtin(struct loader *l, enum spec_kind kind)
{
        struct rf_policy fresh;
        int r = kind == SPEC_DEFAULT ? policy_init_default(&fresh, l->err)
                                     : policy_init_none(&fresh, l->err);

        if (r < 0)
                return r;
        policy_done(l->p);
        *l->p = fresh;
        trace_reset(l->trace, kind == SPEC_DEFAULT ? "default policy" : "none policy");
        return 0;
}

static int load_json(struct loader *l, const struct pos *at, const char *where, const char *path)
{
        struct policy_seccomp_import info;
        const struct policy_mem_file *m = l->mem ? mem_find(l, path) : NULL;
        rf_error e = { 0 };
        int r;

        if (!l->mem)
                r = policy_import_seccomp_json_info(l->p, path, &info, &e);
        else if (m)
                r = policy_import_seccomp_json_mem(l->p, path, m->text, m->len, &info, &e);
        else
                r = rf_error_set(&e, -ENOENT, "cannot open '%s': %s", path, strerror(ENOENT));

        if (r < 0 && !strstr(e.msg, "expected"))
                snprintf(e.msg + strlen(e.msg), sizeof(e.msg) - strlen(e.msg),
                         ", expected a Docker/OCI seccomp profile");
        if (r < 0)
                return at ? policy_lex_fail(at, where, l->err, "%s", e.msg)
                          : rf_error_set(l->err, r, "%s", e.msg);
        policy_trace_record(l->trace, "seccomp.default", at ? at->origin : path);
        return 0;
}

static int load_file(struct loader *l, const char *path, const struct pos *from, const char *where);

int policy_include(struct loader *l, const struct pos *at, const char *word, const char *arg)
{
        _cleanup_free_ char *dir = xstrdup(at->file), *path = NULL;
        enum spec_kind kind;
        int r;

        /* Paths are taken from the including file's folder. */
        *(strrchr(dir, '/') ? strrchr(dir, '/') : dir) = '\0';
        if (!strcmp(word, "seccomp-json")) {
                kind = SPEC_JSON;
                if (arg[0] == '/' || !*dir)
                        path = xstrdup(arg);
                else if (asprintf(&path, "%s/%s", dir, arg) < 0)
                        rf_oom();
        } else if ((r = resolve(l, at, arg, arg, dir, &kind, &path)) < 0) {
                return r;
        }
        /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): resolve set it */
        if (kind == SPEC_DEFAULT || kind == SPEC_NONE)
                return load_builtin(l, kind);
        if (kind == SPEC_JSON)
                return load_json(l, at, arg, path);
        return load_file(l, path, at, arg);
}

/* "a -> b -> c" for the files from index i down, then path. */
static void cycle_text(const struct loader *l, size_t i, const char *path, char *buf, size_t size)
{
        size_t n = 0;

        buf[0] = '\0';
        for (; i < l->depth && n < size; i++)
                n += (size_t)snprintf(buf + n, size - n, "%s -> ", l->chain[i]);
        if (n < size)
                snprintf(buf + n, size - n, "%s", path);
}

static int parse_line_cb(void *ctx, const struct pos *at, char *line)
{
        return policy_parse_line(ctx, at, line);
}

/* Open path for reading: from the filesystem (*ret_real its real path), or from l->mem
 * (*ret_real the name). Returns NULL with errno set when it cannot. */
static FILE *open_file(const struct loader *l, const char *path, char **ret_real)
{
        const struct policy_mem_file *m;
        FILE *f;

        if (!l->mem) {
                *ret_real = realpath(path, NULL);
                f = *ret_real ? fopen(*ret_real, "re") : NULL;
                if (!f) {
                        int e = errno;
                        free(*ret_real);
                        errno = e;
                }
                return f;
        }
        *ret_real = NULL;
        m = mem_find(l, path);
        if (!m) {
                errno = ENOENT;
                return NULL;
        }
        /* fmemopen refuses a size of 0 on older C libraries: an empty file reads as "". */
        f = m->len ? fmemopen((void *)m->text, m->len, "r") : fmemopen((void *)"", 1, "r");
        if (f && !m->len)
                (void)fgetc(f); /* now at the end */
        if (f)
                *ret_real = xstrdup(path);
        return f;
}

/* Read path (shown as it is written), included from position from (NULL: the top). */
static int load_file(struct loader *l, const char *path, const struct pos *from, const char *where)
{
        _cleanup_fclose_ FILE *f = NULL;
        char *real, chain[200];
        size_t lines;
        int r, e;

        if (l->depth == POLICY_MAX_DEPTH)
                return policy_lex_fail(from, where, l->err,
                                       "includes nested deeper than %d, expected fewer",
                                       POLICY_MAX_DEPTH);
        f = open_file(l, path, &real);
        if (!f) {
                e = errno;
                if (from)
                        return policy_lex_fail(from, where, l->err,
                                               "cannot read '%s': %s, "
                                               "expected a readable policy file",
                                               path, strerror(e));
                return rf_error_set(l->err, -e, "cannot read policy file '%s': %s", path,
                                    strerror(e));
        }
        for (size_t i = 0; i < l->depth; i++)
                if (!strcmp(l->real[i], real)) {
                        free(real);
                        cycle_text(l, i, path, chain, sizeof(chain));
                        return policy_lex_fail(from, where, l->err,
                                               "include cycle: %s, expected "
                                               "files that do not include each other",
                                               chain);
                }
        l->real[l->depth] = real;
        l->chain[l->depth++] = xstrdup(path);
        lines = l->n_lines;
        r = policy_lex_lines(f, path, parse_line_cb, l, l->err);
        /* Most likely the wrong file, or one cut short: loaded, but said. */
        if (r >= 0 && l->n_lines == lines)
                base_log(RF_LOG_WARNING,
                         "ringfence: warning: policy file '%s' has no settings, so it "
                         "changes nothing",
                         path);
        l->depth--;
        free(l->real[l->depth]);
        free(l->chain[l->depth]);
        return r;
}

int policy_load_file(struct rf_policy *p, const char *path, rf_error *err)
{
        struct loader l = { .p = p, .err = err };

        if (!p || !path)
                return rf_error_set(err, -EINVAL, "policy_load_file: no policy or path");
        return load_file(&l, path, NULL, NULL);
}

int policy_load(struct rf_policy *p, const char *spec, struct policy_trace *trace, rf_error *err)
{
        struct loader l = { .p = p, .trace = trace, .err = err };
        struct pos top = { NULL, 0, spec, NULL };
        _cleanup_free_ char *path = NULL;
        enum spec_kind kind;
        int r;

        if (!p || !spec)
                return rf_error_set(err, -EINVAL, "policy_load: no policy or name");
        r = resolve(&l, &top, spec, spec, NULL, &kind, &path);
        if (r < 0)
                return r;
        /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): resolve set it */
        if (kind == SPEC_DEFAULT || kind == SPEC_NONE)
                return load_builtin(&l, kind);
        if (kind == SPEC_JSON)
                return load_json(&l, NULL, NULL, path);
        return load_file(&l, path, NULL, NULL);
}

int policy_load_mem(struct rf_policy *p, const struct policy_mem_file *files, size_t n_files,
                    struct policy_trace *trace, rf_error *err)
{
        struct loader l = { .p = p, .trace = trace, .err = err, .mem = files, .n_mem = n_files };

        if (!p || !files || !n_files)
                return rf_error_set(err, -EINVAL, "policy_load_mem: no policy or files");
        for (size_t i = 0; i < n_files; i++)
                if (!files[i].name || (!files[i].text && files[i].len))
                        return rf_error_set(err, -EINVAL,
                                            "policy_load_mem: file %zu has no name or text", i);
        return load_file(&l, files[0].name, NULL, NULL);
}
