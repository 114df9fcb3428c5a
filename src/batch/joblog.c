/* SPDX-License-Identifier: MIT */
/* GNU parallel's --joblog: the header, one tab-separated line per job, and reading a line back for
 * --resume. The layout is parallel's exactly (print_joblog and open_joblog in parallel 20221122;
 * shared/research/batch-build.md 2.1), so plot_joblog and scripts written for parallel keep
 * working. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringfence.h"
#include "base/base.h"
#include "batch/batch.h"

const char batch_joblog_header[] =
        "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n";

/* Exitval and Signal, mapped from the result the way parallel fills them:
 *
 *   status        Exitval               Signal  why
 *   ok            0                     0
 *   failed        exit code             0       the command exited non-zero
 *   failed        -1                    N       a limit (memory, pids, output...) killed it:
 *                                               parallel writes -1 for jobs it kills itself
 *                                               (--timeout, --memfree, Ctrl-C)
 *   signaled      0                     N       parallel stores $? >> 8, which is 0 when a
 *                                               signal ended the job (measured: "kill -SEGV $$"
 *                                               logs 0 and 11)
 *   timeout       -1                    N       as parallel's --timeout (measured: -1 and 15)
 *   violation     -1, or the exit code  N, or 0 the policy killed it, or it exited after a
 *                                               refused call
 *   spawn-error   exit_status           0       126 or 127, what a shell reports for a command
 *                                               it cannot run; 125 when ringfence failed
 *   skipped       -2                    0       parallel's value for a job that skip() left
 *                                               unrun
 *
 * Any status but ok that would come out as 0 and 0 is written as -1, so that --resume-failed
 * (which reruns rows whose Exitval or Signal is not 0) agrees with the JSON record's status. */
static int64_t joblog_exitval(const struct engine_result *r, int64_t *ret_signal)
{
        int64_t exitval, sig = 0;

        switch ((rf_status)r->status) {
        case RF_STATUS_OK:
                *ret_signal = 0;
                return 0;
        case RF_STATUS_SKIPPED:
                exitval = -2;
                break;
        case RF_STATUS_SPAWN_ERROR:
                exitval = r->exit_status;
                break;
        case RF_STATUS_SIGNALED:
                exitval = 0;
                sig = r->signal;
                break;
        case RF_STATUS_TIMEOUT:
                exitval = -1;
                sig = r->signal;
                break;
        case RF_STATUS_FAILED:
        case RF_STATUS_VIOLATION:
        case _RF_STATUS_MAX:
        default:
                sig = r->signal;
                exitval = sig || r->exit_code < 0 ? -1 : r->exit_code;
                break;
        }
        if (exitval == 0 && sig == 0)
                exitval = -1;
        *ret_signal = sig;
        return exitval;
}

/* "1795659857.988": microseconds as seconds with 3 decimals, cut (not rounded) as parallel does. */
static void seconds_ms(char *buf, size_t n, uint64_t us)
{
        snprintf(buf, n, "%" PRIu64 ".%03u", us / 1000000, (unsigned)(us % 1000000 / 1000));
}

/* The command column: argv joined with spaces when the record has no command line. Newlines
 * become NUL bytes, as parallel writes them (its --retry-failed turns them back); tabs stay, since
 * Command is the last column and readers split off only the first eight. */
static char *command_column(const struct batch_record *rec)
{
        size_t n = 0;
        char *s;

        if (rec->command_line) {
                s = xstrdup(rec->command_line);
        } else {
                for (size_t i = 0; rec->argv && rec->argv[i]; i++)
                        n += strlen(rec->argv[i]) + 1;
                s = xcalloc(1, n + 1);
                for (size_t i = 0, at = 0; rec->argv && rec->argv[i]; i++) {
                        size_t l = strlen(rec->argv[i]);
                        if (i)
                                s[at++] = ' ';
                        memcpy(s + at, rec->argv[i], l);
                        at += l;
                }
        }
        return s;
}

/* Format rec as one joblog line ending in "\n" into a new buffer (which may hold NUL bytes where
 * the command had newlines). Returns its length. */
size_t batch_joblog_format(const struct batch_record *rec, char **ret_line)
{
        const struct engine_result *r = rec->res;
        _cleanup_free_ char *cmd = command_column(rec);
        char start[32], runtime[32];
        int64_t exitval, sig;
        char *line = NULL;
        int n;

        seconds_ms(start, sizeof(start), r->start_unix_us > 0 ? (uint64_t)r->start_unix_us : 0);
        seconds_ms(runtime, sizeof(runtime), r->wall_us);
        exitval = joblog_exitval(r, &sig);
        n = asprintf(&line,
                     "%" PRIu64 "\t:\t%s\t%10s\t%" PRIu64 "\t%" PRIu64 "\t%" PRId64 "\t%" PRId64
                     "\t%s\n",
                     rec->seq, start, runtime, rec->extra.stdin_bytes,
                     r->stdout_bytes + r->stderr_bytes, exitval, sig, cmd);
        if (n < 0)
                rf_oom();
        for (int i = 0; i < n - 1; i++)
                if (line[i] == '\n')
                        line[i] = '\0';
        *ret_line = line;
        return (size_t)n;
}

/* Parse a signed decimal that fills [s, e) exactly. */
static bool parse_int(const char *s, const char *e, bool allow_minus, int64_t *ret)
{
        bool neg = allow_minus && s < e && *s == '-';
        uint64_t v = 0;

        if (neg)
                s++;
        if (s == e || e - s > 18)
                return false;
        for (; s < e; s++) {
                if (*s < '0' || *s > '9')
                        return false;
                v = v * 10 + (uint64_t)(*s - '0');
        }
        *ret = neg ? -(int64_t)v : (int64_t)v;
        return true;
}

/* Whether [s, e) looks like parallel's numeric columns: [-0-9. ]+, as its own reader checks. */
static bool numeric_column(const char *s, const char *e)
{
        if (s == e)
                return false;
        for (; s < e; s++)
                if (!(*s >= '0' && *s <= '9') && *s != '-' && *s != '.' && *s != ' ')
                        return false;
        return true;
}

/* Read one joblog line (without its newline): the job's seq, and whether it failed (Exitval or
 * Signal not 0, as parallel's --resume-failed decides). Returns 0, or -EINVAL when the line is
 * not a joblog record (fewer than nine columns, or a column that is not a number). */
int batch_joblog_parse(const char *line, size_t len, uint64_t *ret_seq, bool *ret_failed)
{
        const char *col[9], *end = line + len;
        int64_t seq, exitval, sig;

        col[0] = line;
        for (size_t i = 1; i < 9; i++) {
                const char *tab = memchr(col[i - 1], '\t', (size_t)(end - col[i - 1]));
                if (!tab)
                        return -EINVAL;
                col[i] = tab + 1;
        }
        if (!parse_int(col[0], col[1] - 1, false, &seq) || seq < 1 || col[2] - 1 == col[1])
                return -EINVAL;
        for (size_t i = 2; i < 6; i++)
                if (!numeric_column(col[i], col[i + 1] - 1))
                        return -EINVAL;
        if (!parse_int(col[6], col[7] - 1, true, &exitval) ||
            !parse_int(col[7], col[8] - 1, true, &sig))
                return -EINVAL;
        *ret_seq = (uint64_t)seq;
        *ret_failed = exitval != 0 || sig != 0;
        return 0;
}
