/* SPDX-License-Identifier: MIT */
/* Job sources: ::: groups (their cross product), lines of a file or stdin, and JSON lines, read
 * one input per call so that memory stays constant however many jobs there are. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "batch/batch.h"

struct batch_source {
        struct batch_source_opts o; /* groups and template_ are borrowed from the caller */
        FILE *f;                    /* LINES, JSONL */
        bool close_f;               /* false for stdin */
        const char *name;           /* the file as errors name it */
        char *line;                 /* the last record read, reused */
        size_t line_cap;
        uint64_t seq, lineno;
        size_t idx[ARRAY_SIZE(((struct batch_source_opts *)0)->groups)]; /* ARGS: the odometer */
        bool args_done;
        bool has_rs; /* the template has a replacement string */
};

/* Give in->argv and in->args a terminating NULL even when empty, so callers may walk them. */
static void strv_ensure(struct strv *sv)
{
        if (!sv->v) {
                array_grow(&sv->v, &sv->cap, 1, sizeof(char *));
                sv->v[0] = NULL;
        }
}

/* Mark in as not runnable: "WHERE: WHAT". Its argv is emptied. */
static void __attribute__((format(printf, 2, 3)))
input_fail(struct batch_input *in, const char *fmt, ...)
{
        va_list ap;

        strv_done(&in->argv);
        free(in->error);
        va_start(ap, fmt);
        if (vasprintf(&in->error, fmt, ap) < 0)
                rf_oom();
        va_end(ap);
}

/* ---- building argv ------------------------------------------------------------------------ */

/* Split line into in->argv, or fail in with where and the reason. */
static void split_into(struct batch_input *in, const char *line, const char *where)
{
        rf_error e = { 0 };

        if (batch_split_line(line, &in->argv, &e) < 0)
                input_fail(in, "%s: %s", where, e.msg);
        else if (in->argv.n == 0)
                input_fail(in, "%s: empty command line, expected a command to run", where);
}

/* in->argv from the template applied to in->args, or, without a template, from in->args joined
 * by spaces and split as a command line. A template with no replacement string gets the values
 * appended as arguments of their own (GNU parallel's rule). */
static void build_argv(const struct batch_source *s, struct batch_input *in, const char *where)
{
        _cleanup_free_ char *line = NULL;
        size_t len = 0;

        if (s->o.template_) {
                for (char **w = s->o.template_; *w; w++)
                        batch_template_words(*w, in->args.v, in->seq, &in->argv);
                for (size_t i = 0; !s->has_rs && i < in->args.n; i++)
                        strv_push(&in->argv, in->args.v[i]);
                return;
        }
        for (size_t i = 0; i < in->args.n; i++)
                len += strlen(in->args.v[i]) + 1;
        line = xmalloc(len + 1);
        line[0] = '\0';
        for (size_t i = 0; i < in->args.n; i++) {
                if (i)
                        strcat(line, " ");
                strcat(line, in->args.v[i]);
        }
        split_into(in, line, where);
}

/* ---- ::: groups ---------------------------------------------------------------------------- */

/* The next combination of the groups, the last group varying fastest:
 * ::: a b ::: 1 2 gives a 1, a 2, b 1, b 2. */
static int next_args(struct batch_source *s, struct batch_input *in)
{
        char where[48];
        size_t g;

        if (s->args_done)
                return 0;
        for (g = 0; g < s->o.n_groups; g++)
                strv_push(&in->args, s->o.groups[g][s->idx[g]]);
        for (g = s->o.n_groups; g-- > 0;) {
                if (s->o.groups[g][++s->idx[g]])
                        break;
                s->idx[g] = 0;
        }
        s->args_done = g == (size_t)-1;
        in->seq = ++s->seq;
        snprintf(where, sizeof(where), "input %llu", (unsigned long long)in->seq);
        build_argv(s, in, where);
        return 1;
}

/* ---- records of a file --------------------------------------------------------------------- */

/* Read the next record (a line, or up to a NUL with nul) into s->line without its delimiter; a
 * last record without one counts too. Returns 1 with *len set, 0 at the end, or -errno. */
static int read_record(struct batch_source *s, bool nul, size_t *len, rf_error *err)
{
        ssize_t n;
        int r;

        errno = 0;
        n = getdelim(&s->line, &s->line_cap, nul ? '\0' : '\n', s->f);
        if (n < 0) {
                if (!ferror(s->f))
                        return 0;
                r = errno ? -errno : -EIO;
                return rf_error_set(err, r, "cannot read %s: %s", s->name, rf_strerror(r));
        }
        s->lineno++;
        if (n > 0 && s->line[n - 1] == (nul ? '\0' : '\n'))
                s->line[--n] = '\0';
        *len = (size_t)n;
        return 1;
}

/* One line (or NUL-separated record) is one input value. A "\r" before the "\n" stays part of
 * the value, as in GNU parallel and xargs. */
static int next_line(struct batch_source *s, struct batch_input *in, rf_error *err)
{
        char where[48];
        size_t len;
        int r = read_record(s, s->o.nul, &len, err);

        if (r <= 0)
                return r;
        in->seq = ++s->seq;
        in->line = s->lineno;
        snprintf(where, sizeof(where), "input %s %llu", s->o.nul ? "record" : "line",
                 (unsigned long long)s->lineno);
        /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): len is set when r > 0 */
        if (memchr(s->line, '\0', len)) {
                input_fail(in, "%s: has a NUL byte, expected text (NUL-separated input needs -0)",
                           where);
                return 1;
        }
        strv_push(&in->args, s->line);
        build_argv(s, in, where);
        return 1;
}

/* ---- JSON lines ---------------------------------------------------------------------------- */

/* v's text when it is a string without NUL bytes, else NULL. */
static const char *json_cstr(const json_t *v)
{
        const char *s = json_string_value(v);

        return s && strlen(s) == json_string_length(v) ? s : NULL;
}

/* Append the strings of array a (the value of key) to out. */
static int json_strings(const json_t *a, const char *key, struct strv *out, rf_error *e)
{
        size_t i;
        json_t *v;

        if (!json_is_array(a))
                return rf_error_set(e, -EINVAL, "'%s' must be an array of strings", key);
        json_array_foreach(a, i, v) {
                if (!json_cstr(v))
                        return rf_error_set(e, -EINVAL, "'%s' must be an array of strings", key);
                strv_push(out, json_cstr(v));
        }
        return 0;
}

/* Append NAME=VALUE for each member of object o (the value of key) to out. */
static int json_pairs(json_t *o, const char *key, const char *example, struct strv *out,
                      rf_error *e)
{
        const char *name;
        json_t *v;

        if (!json_is_object(o))
                return rf_error_set(e, -EINVAL, "'%s' must be an object such as %s", key, example);
        json_object_foreach(o, name, v) {
                if (!*name || strchr(name, '='))
                        return rf_error_set(e, -EINVAL,
                                            "'%s' has the name '%s', expected a name without '='",
                                            key, name);
                if (!json_cstr(v))
                        return rf_error_set(e, -EINVAL, "'%s' value of '%s' must be a string", key,
                                            name);
                strv_pushf(out, "%s=%s", name, json_cstr(v));
        }
        return 0;
}

/* Reject keys other than those jsonl_fields reads: a misspelt "evn" must not pass silently. */
static int json_known_keys(json_t *o, rf_error *e)
{
        static const char *const known[] = { "argv", "cmd", "args", "env", "cwd", "stdin", "set" };
        const char *key;
        json_t *v;

        json_object_foreach(o, key, v) {
                size_t i = 0;
                while (i < ARRAY_SIZE(known) && strcmp(key, known[i]) != 0)
                        i++;
                if (i == ARRAY_SIZE(known))
                        return rf_error_set(e, -EINVAL,
                                            "unknown key '%s', expected argv, cmd, "
                                            "args, env, cwd, stdin or set",
                                            key);
        }
        return 0;
}

/* Fill in's args, env_set, cwd, stdin and settings from object o. */
static int jsonl_fields(json_t *o, struct batch_input *in, rf_error *e)
{
        json_t *v;
        int r;

        if ((v = json_object_get(o, "args")) && (r = json_strings(v, "args", &in->args, e)) < 0)
                return r;
        if ((v = json_object_get(o, "env")) &&
            (r = json_pairs(v, "env", "{\"NAME\": \"value\"}", &in->env_set, e)) < 0)
                return r;
        if ((v = json_object_get(o, "set")) &&
            (r = json_pairs(v, "set", "{\"limit.timeout\": \"2s\"}", &in->settings, e)) < 0)
                return r;
        if ((v = json_object_get(o, "cwd"))) {
                if (!json_cstr(v) || !*json_cstr(v))
                        return rf_error_set(e, -EINVAL, "'cwd' must be a directory name");
                in->cwd = xstrdup(json_cstr(v));
        }
        if ((v = json_object_get(o, "stdin"))) {
                if (!json_is_string(v))
                        return rf_error_set(e, -EINVAL, "'stdin' must be a string");
                in->stdin_len = json_string_length(v);
                in->stdin_data = xmalloc(in->stdin_len + 1);
                memcpy(in->stdin_data, json_string_value(v), in->stdin_len + 1);
        }
        return 0;
}

/* in->argv from "argv", from "cmd" split as a command line, or from the template. */
static int jsonl_command(const struct batch_source *s, json_t *o, struct batch_input *in,
                         rf_error *e)
{
        json_t *argv = json_object_get(o, "argv"), *cmd = json_object_get(o, "cmd");
        int r;

        if (argv && cmd)
                return rf_error_set(e, -EINVAL, "give 'argv' or 'cmd', not both");
        if (argv) {
                if ((r = json_strings(argv, "argv", &in->argv, e)) < 0)
                        return r;
                if (in->argv.n == 0)
                        return rf_error_set(e, -EINVAL,
                                            "'argv' is empty, expected a command "
                                            "and its arguments");
        } else if (cmd) {
                if (!json_cstr(cmd))
                        return rf_error_set(e, -EINVAL, "'cmd' must be a string");
                if ((r = batch_split_line(json_cstr(cmd), &in->argv, e)) < 0)
                        return r;
                if (in->argv.n == 0)
                        return rf_error_set(e, -EINVAL, "'cmd' is empty, expected a command line");
        } else if (s->o.template_) {
                build_argv(s, in, "");
        } else {
                return rf_error_set(e, -EINVAL,
                                    "no command, expected 'argv' (an array of strings) "
                                    "or 'cmd' (a string)");
        }
        return 0;
}

static bool is_blank_line(const char *l)
{
        return l[strspn(l, " \t\r")] == '\0';
}

/* One JSON object per line; blank lines are skipped and take no job number. */
static int next_jsonl(struct batch_source *s, struct batch_input *in, rf_error *err)
{
        _cleanup_(json_decrefp) json_t *o = NULL;
        json_error_t jerr;
        rf_error e = { 0 };
        size_t len;
        int r;

        do {
                if ((r = read_record(s, false, &len, err)) <= 0)
                        return r;
                /* len is set when r > 0: */
                /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
        } while (len == strlen(s->line) && is_blank_line(s->line));
        in->seq = ++s->seq;
        in->line = s->lineno;
        o = json_loadb(s->line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
        if (!o)
                rf_error_set(&e, -EINVAL, "invalid JSON at column %d: %s", jerr.column, jerr.text);
        else if (!json_is_object(o))
                rf_error_set(&e, -EINVAL,
                             "expected a JSON object such as {\"argv\": [\"echo\", \"hi\"]}");
        else if (json_known_keys(o, &e) == 0 && jsonl_fields(o, in, &e) == 0)
                (void)jsonl_command(s, o, in, &e);
        if (e.code)
                input_fail(in, "input line %llu: %s", (unsigned long long)s->lineno, e.msg);
        return 1;
}

/* ---- the source ---------------------------------------------------------------------------- */

static int open_args(struct batch_source *s, rf_error *err)
{
        if (s->o.n_groups < 1 || s->o.n_groups > ARRAY_SIZE(s->o.groups))
                return rf_error_set(err, -EINVAL, "%zu groups of ::: values, expected 1 to %zu",
                                    s->o.n_groups, ARRAY_SIZE(s->o.groups));
        for (size_t g = 0; g < s->o.n_groups; g++) {
                if (!s->o.groups[g])
                        return rf_error_set(err, -EINVAL, "::: group %zu is missing", g + 1);
                /* An empty group makes the cross product empty: no jobs. */
                if (!s->o.groups[g][0])
                        s->args_done = true;
        }
        return 0;
}

static int open_file(struct batch_source *s, rf_error *err)
{
        if (s->o.kind == BATCH_INPUT_JSONL && s->o.nul)
                return rf_error_set(err, -EINVAL,
                                    "JSON lines are separated by newlines, "
                                    "expected no NUL separator (-0) with them");
        if (!s->o.path || strcmp(s->o.path, "-") == 0) {
                s->f = stdin;
                s->name = "standard input";
                return 0;
        }
        s->f = fopen(s->o.path, "re");
        if (!s->f)
                return rf_error_set(err, -errno, "cannot open input file '%s': %s", s->o.path,
                                    rf_strerror(errno));
        s->close_f = true;
        s->name = s->o.path;
        return 0;
}

int batch_source_open(const struct batch_source_opts *o, struct batch_source **ret, rf_error *err)
{
        struct batch_source *s = xcalloc(1, sizeof(*s));
        int r;

        s->o = *o;
        if (s->o.template_ && !s->o.template_[0])
                s->o.template_ = NULL;
        s->has_rs = batch_template_has_replacements(s->o.template_);
        switch (o->kind) {
        case BATCH_INPUT_ARGS:
                r = open_args(s, err);
                break;
        case BATCH_INPUT_LINES:
        case BATCH_INPUT_JSONL:
                r = open_file(s, err);
                break;
        default:
                r = rf_error_set(err, -EINVAL, "unknown kind of input %d", (int)o->kind);
        }
        if (r < 0) {
                batch_source_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

int batch_source_next(struct batch_source *s, struct batch_input *in, rf_error *err)
{
        int r = -EINVAL;

        memset(in, 0, sizeof(*in));
        switch (s->o.kind) {
        case BATCH_INPUT_ARGS:
                r = next_args(s, in);
                break;
        case BATCH_INPUT_LINES:
                r = next_line(s, in, err);
                break;
        case BATCH_INPUT_JSONL:
                r = next_jsonl(s, in, err);
                break;
        }
        if (r <= 0) {
                batch_input_done(in);
                return r;
        }
        strv_ensure(&in->argv);
        strv_ensure(&in->args);
        return 1;
}

void batch_source_free(struct batch_source *s)
{
        if (!s)
                return;
        if (s->close_f)
                (void)fclose(s->f);
        free(s->line);
        free(s);
}

void batch_input_done(struct batch_input *in)
{
        strv_done(&in->argv);
        strv_done(&in->args);
        strv_done(&in->env_set);
        strv_done(&in->settings);
        free(in->cwd);
        free(in->stdin_data);
        free(in->error);
        memset(in, 0, sizeof(*in));
}
