/* SPDX-License-Identifier: MIT */
/* Reading a job source ahead, before the batch starts: the number of jobs (for the progress
 * line's ETA) and, for an input file, a check of every line, so that a malformed line stops the
 * batch before anything runs. One input at a time is made and dropped, so memory stays constant
 * however long the file is. Standard input and pipes cannot be read twice: they are not read
 * ahead (their bad lines are skipped with a record when their turn comes). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base.h"
#include "batch/batch.h"

/* The size of the cross product of the ::: groups, at most UINT64_MAX. */
static uint64_t args_count(const struct batch_source_opts *o)
{
        uint64_t n = o->n_groups ? 1 : 0;

        for (size_t g = 0; g < o->n_groups; g++) {
                uint64_t k = o->groups[g] ? strv_length(o->groups[g]) : 0;
                n = k && n > UINT64_MAX / k ? UINT64_MAX : n * k;
        }
        return n;
}

/* Whether o's input is a file that can be read twice (a regular file named by -a). */
static bool readable_ahead(const struct batch_source_opts *o)
{
        struct stat st;

        if (!o->path || strcmp(o->path, "-") == 0)
                return false;
        return stat(o->path, &st) == 0 && S_ISREG(st.st_mode);
}

/* What is wrong with input in, or NULL: its own error, or a job setting that does not apply. */
static const char *input_problem(const struct batch_input *in, const struct rf_policy *p,
                                 rf_error *e)
{
        struct rf_policy own;
        bool seccomp;
        int r;

        if (in->error)
                return in->error;
        if (!p)
                return NULL;
        r = batch_job_policy(p, in, &own, &seccomp, e);
        if (r < 0) {
                rf_error_prefix(e, "input line %llu", (unsigned long long)in->line);
                return e->msg;
        }
        if (r > 0)
                policy_done(&own);
        return NULL;
}

int batch_source_prescan(const struct batch_source_opts *o, const struct rf_policy *p,
                         bool stop_on_bad, uint64_t *ret_count, rf_error *err)
{
        struct batch_source *s = NULL;
        struct batch_input in;
        uint64_t n = 0;
        int r;

        if (o->kind == BATCH_INPUT_ARGS) {
                *ret_count = args_count(o);
                return 1;
        }
        if (!readable_ahead(o))
                return 0;
        if ((r = batch_source_open(o, &s, err)) < 0)
                return r;
        while ((r = batch_source_next(s, &in, err)) > 0) {
                rf_error e = { 0 };
                const char *why = stop_on_bad ? input_problem(&in, p, &e) : NULL;
                n++;
                if (why) {
                        r = rf_error_set(err, -EINVAL,
                                         "-a %s: %s; nothing was started (every "
                                         "line is checked first; --bad-input skip runs the others)",
                                         o->path, why);
                        batch_input_done(&in);
                        break;
                }
                batch_input_done(&in);
        }
        batch_source_free(s);
        if (r < 0)
                return r;
        *ret_count = n;
        return 1;
}
