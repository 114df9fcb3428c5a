/* SPDX-License-Identifier: MIT */
/* The batch module's interface: job sources and templates, scheduling on the engine, output
 * grouping, result writers (JSON lines, GNU parallel's joblog) and resume. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ringfence.h"
#include "base/strv.h"
#include "batch/record.h"
#include "engine/result.h"
#include "policy/policy.h"

/* ---- job sources (source.c, template.c, split.c) ---------------------------------------- */

/* Where the jobs' inputs come from. */
enum batch_input_kind {
        BATCH_INPUT_ARGS,  /* ::: a b c (one or more groups: their cross product) */
        BATCH_INPUT_LINES, /* lines of a file or stdin (-a FILE, or stdin); -0: NUL-separated */
        BATCH_INPUT_JSONL, /* one JSON object per line (--jsonl) */
};

struct batch_source_opts {
        enum batch_input_kind kind;
        char **groups[8]; /* ARGS: up to 8 groups of NULL-terminated values */
        size_t n_groups;
        const char *path; /* LINES/JSONL: the file, or NULL/"-" for stdin */
        bool nul;         /* LINES: NUL-separated */
        char **template_; /* the command template (NULL-terminated), or NULL: each input
                           * line is a command line split as a shell would, without a shell */
};

/* One job as read from the source, before it runs. Owned by the caller once returned. */
struct batch_input {
        uint64_t seq;     /* 1, 2, 3, ... in input order */
        uint64_t line;    /* the line (or -0 record) of the file it came from; 0 for ::: */
        struct strv argv; /* the command, replacement strings applied */
        struct strv args; /* the input values ({} or {1}..{N}); for --tag and the joblog */
        /* JSONL only: */
        struct strv env_set; /* NAME=VALUE */
        char *cwd;           /* or NULL */
        char *stdin_data;    /* or NULL; stdin_len bytes */
        size_t stdin_len;
        struct strv settings; /* KEY=VALUE policy overrides */
        /* set when the input could not be made a job (bad line): the job is skipped */
        char *error; /* "input line 7: unterminated \" quote, expected a closing \"" */
};

struct batch_source;

/* Open a source. Returns 0 or -errno with err naming the file. */
int batch_source_open(const struct batch_source_opts *o, struct batch_source **ret, rf_error *err);
/* Read the next job into *in (which the caller later releases with batch_input_done).
 * Returns 1 when a job was read (possibly with in->error set), 0 at the end, or -errno. Memory is
 * constant in the number of jobs: the source reads ahead at most one line. */
int batch_source_next(struct batch_source *s, struct batch_input *in, rf_error *err);
void batch_source_free(struct batch_source *s);
void batch_input_done(struct batch_input *in);

/* Read the input ahead, before the batch starts (prescan.c): for ::: groups, count the jobs; for a
 * regular file (-a FILE), go through it once, counting the jobs and, with stop_on_bad, checking
 * each line (and a JSON line's own settings against p, when p is given). Returns 1 with
 * *ret_count, 0 when the input cannot be read ahead (standard input, a pipe), -EINVAL with err
 * naming the file and the first bad line, or -errno. Memory is constant in the number of lines. */
int batch_source_prescan(const struct batch_source_opts *o, const struct rf_policy *p,
                         bool stop_on_bad, uint64_t *ret_count, rf_error *err);

/* Apply the replacement strings {} {#} {.} {/} {//} {/.} {1}..{9} to template word w for input
 * values args and job number seq; a word without replacement strings gets the input appended as
 * GNU parallel does only when the whole template has none (the caller handles that). {1.} {1/}
 * {1//} {1/.} combine a position with a path form. Returns a new string. */
char *batch_template_word(const char *w, char *const *args, uint64_t seq);
/* The same, appending the result to words as GNU parallel makes arguments: a replacement string
 * without a position ({} {.} {/} {//} {/.}) stands for each value as a word of its own when there
 * are several (several ::: groups), the text before it joining the first and the text after it
 * the last: `x{}y ::: a ::: b` appends "xa" and "by". One value gives one word. */
void batch_template_words(const char *w, char *const *args, uint64_t seq, struct strv *words);
/* Whether any word of the template has a replacement string. */
bool batch_template_has_replacements(char *const *template_);
/* Split a command line as a shell would (quotes '...' "..." and backslashes; no expansions, no
 * operators): appends the words to out. Returns 0, or -EINVAL with err saying what was expected
 * ("unterminated quote, expected a closing '"). */
int batch_split_line(const char *line, struct strv *out, rf_error *err);

/* The policy of a job with its own settings (JSON lines "set", "env", "cwd"; jobpolicy.c): a copy
 * of base with them applied into *ret, which the caller releases with policy_done, and whether a
 * seccomp setting changed (the filter must be compiled again). Returns 1 when *ret was made, 0
 * when in has no settings of its own (*ret untouched), or -EINVAL with err (*ret released). */
int batch_job_policy(const struct rf_policy *base, const struct batch_input *in,
                     struct rf_policy *ret, bool *ret_seccomp, rf_error *err);

/* ---- records and resume (results.c, joblog.c, resume.c) -------------------------------- */

/* One finished (or skipped) job, as written to --json (batch_record_line) and --joblog. */
struct batch_record {
        uint64_t seq;
        uint32_t attempt;
        char *const *argv;
        const struct engine_result *res;
        const char *command_line;        /* argv joined with spaces, for the joblog */
        struct batch_record_extra extra; /* key and shard (with shards), bytes given on stdin */
};

struct batch_writers;

/* Open the writers (either path may be NULL): json_path gets one JSON line per job (DESIGN.md),
 * joblog_path GNU parallel's joblog (header line, then tab-separated Seq Host Starttime
 * JobRuntime Send Receive Exitval Signal Command). append: keep what is there (resume). Each
 * record is written with one write() and is complete once it returns. */
int batch_writers_open(const char *json_path, const char *joblog_path, bool append,
                       struct batch_writers **ret, rf_error *err);
/* Write one job's record to every writer. Returns 0, or -errno (ENOSPC...) with err saying which
 * file: the batch then stops with status 125; every record already written stays valid. */
int batch_writers_put(struct batch_writers *w, const struct batch_record *rec, rf_error *err);
/* Write rec to the joblog only (a line rebuilt from its --json record on resume; nothing when
 * there is no joblog). Returns 0 or -errno with err. */
int batch_writers_put_joblog(struct batch_writers *w, const struct batch_record *rec,
                             rf_error *err);
/* Append line (a whole JSON line with its newline, not a job's record: the shard's end line)
 * to the --json file, if there is one. Returns 0 or -errno. */
int batch_writers_put_line(struct batch_writers *w, const char *line, rf_error *err);
int batch_writers_close(struct batch_writers *w, rf_error *err);

/* --resume with both --json and --joblog: give the joblog a line for each --json record it lacks
 * (the host was killed between the two writes, or the joblog is new), rebuilt from the record,
 * so that both files hold every finished job exactly once (rebuild.c). The joblog is matched to
 * the --json records in order (they are written in the same order); where the two disagree, a
 * record whose job has no joblog line at all gets one. Call after batch_writers_open. Returns the
 * number of lines rebuilt, or -errno with err naming the file and line. */
int batch_joblog_rebuild(const char *json_path, const char *joblog_path, struct batch_writers *w,
                         rf_error *err);

/* GNU parallel's joblog header line (with its newline) (joblog.c). */
extern const char batch_joblog_header[];
/* Format rec as one joblog line (with its newline) into a new string; returns its length. */
size_t batch_joblog_format(const struct batch_record *rec, char **ret_line);
/* Parse one joblog line: its Seq and whether the job failed. Returns 0 or -EINVAL. */
int batch_joblog_parse(const char *line, size_t len, uint64_t *ret_seq, bool *ret_failed);

/* Read one --json record (a line without its newline) back: its job number, and whether it
 * failed (a status other than ok). Returns 1; 0 for a shard's end line (no job's record); or
 * -EINVAL with why (why_len bytes) saying what is
 * wrong (recscan.c). Records as ringfence writes them take a fast path; others go to jansson. */
int batch_record_key(const char *line, size_t len, uint64_t *ret_seq, bool *ret_failed, char *why,
                     size_t why_len);

/* What an earlier run already finished: the seq numbers with a record, and whether each failed. */
struct batch_done_set;

/* Read the records of an earlier run from the JSON lines file or the joblog (whichever is given;
 * a torn last line is ignored and cut off so that appending continues cleanly). Returns 0 or
 * -errno. A missing file is an empty set. */
int batch_done_load(const char *json_path, const char *joblog_path, struct batch_done_set **ret,
                    rf_error *err);
/* batch_done_load for shard I/N (shard "I/N", or NULL for no shard): every --json line must be
 * that shard's, else -EINVAL naming the line (the file of another shard, or of no shard). */
int batch_done_load_shard(const char *json_path, const char *joblog_path, const char *shard,
                          struct batch_done_set **ret, rf_error *err);
/* Whether job seq is done: with failed_only (--resume-failed), a failed job counts as not done. */
bool batch_done_has(const struct batch_done_set *d, uint64_t seq, bool failed_only);
void batch_done_free(struct batch_done_set *d);

/* ---- a batch's life (batch.c) ----------------------------------------------------------- */

struct batch;

/* Make the batch that o describes, under policy p, sharing as share says (NULL: no jobserver,
 * no shard; filled in as the batch runs): its policy compiled, its input opened (and a file read
 * ahead), its shard, what --resume finds, its writers, its --results folder, its engine and its
 * jobservers. p, o and share are borrowed until batch_free. Returns 0 with *ret, or -errno with
 * err (-EINVAL for an o->input that is not an RF_BATCH_* value). */
int batch_new(const rf_policy *p, const rf_batch_options *o, rf_batch_share *share,
              struct batch **ret, rf_error *err);
/* Run batch b to its end and close its writers: *ret says how it went (without its exit_status,
 * see batch_exit_status). Call once. Returns 0 or -errno with err (a write error stops the batch
 * after every record already written). */
int batch_run(struct batch *b, rf_batch_summary *ret, rf_error *err);
/* Free b (NULL is fine). */
void batch_free(struct batch *b);
/* The jobs of s that did not succeed: failed, timed out, violations, spawn errors, skipped. */
uint64_t batch_failures(const rf_batch_summary *s);
/* A batch's exit status: 125 (RF_EXIT_INTERNAL) when it returned r < 0, else the number of jobs
 * that did not succeed, capped at 100. */
int32_t batch_exit_status(const rf_batch_summary *s, int r);
