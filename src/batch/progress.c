/* SPDX-License-Identifier: MIT */
/* The progress line (--bar, or a terminal), to the log as RF_LOG_PROGRESS: jobs done, failed
 * and running, the rate, and, when the number of jobs is known (::: groups, or an -a FILE read
 * ahead), a bar, the share done and an ETA. Redrawn in place at most five times a second.
 * SIGUSR2 turns it on or off while the batch runs. */
#include "config.h"

#include <stdio.h>

#include "base/log.h"
#include "base/time.h"
#include "batch/sched.h"

#define BAR_WIDTH 20

/* A duration in seconds as "7s", "2m05s" or "1h02m". */
static void fmt_duration(char *buf, size_t n, double secs)
{
        unsigned long s = (unsigned long)(secs + 0.5);

        if (s < 60)
                snprintf(buf, n, "%lus", s);
        else if (s < 3600)
                snprintf(buf, n, "%lum%02lus", s / 60, s % 60);
        else
                snprintf(buf, n, "%luh%02lum", s / 3600, s % 3600 / 60);
}

/* "[#####...............] 25% 5/20" for done of total jobs. */
static int fmt_bar(char *buf, size_t n, uint64_t done, uint64_t total)
{
        char bar[BAR_WIDTH + 1];
        uint64_t filled = done >= total ? BAR_WIDTH : done * BAR_WIDTH / total;

        for (size_t i = 0; i < BAR_WIDTH; i++)
                bar[i] = i < filled ? '#' : '.';
        bar[BAR_WIDTH] = '\0';
        return snprintf(buf, n, "[%s] %llu%% %llu/%llu", bar,
                        (unsigned long long)(done >= total ? 100 : done * 100 / total),
                        (unsigned long long)done, (unsigned long long)total);
}

/* The ETA: the jobs left at the rate so far, or "?" before the first job ends. */
static void fmt_eta(char *buf, size_t n, uint64_t left, uint64_t finished, double secs)
{
        char d[32];

        if (left == 0) {
                snprintf(buf, n, ", ETA 0s");
                return;
        }
        if (finished == 0 || secs <= 0) {
                snprintf(buf, n, ", ETA ?");
                return;
        }
        fmt_duration(d, sizeof(d), (double)left * secs / (double)finished);
        snprintf(buf, n, ", ETA %s", d);
}

void batch_progress(struct batch *b, bool final)
{
        const rf_batch_summary *s = &b->sum;
        uint64_t now = base_now_us(CLOCK_MONOTONIC), done = s->total + s->resumed;
        uint64_t failed = batch_failures(s);
        double secs = (double)(now - b->start_us) / 1e6;
        char count[80], eta[48] = "";

        /* SIGUSR2 turns it on or off (signals.c) */
        if (!!b->o->progress == b->progress_toggled || b->o->dry_run ||
            (!final && now - b->last_progress_us < 200000))
                return;
        b->last_progress_us = now;
        snprintf(count, sizeof(count), "%llu", (unsigned long long)done);
        if (b->n_inputs_known && b->n_inputs > 0) {
                fmt_bar(count, sizeof(count), done, b->n_inputs);
                fmt_eta(eta, sizeof(eta), done >= b->n_inputs ? 0 : b->n_inputs - done, s->total,
                        secs);
        }
        /* The last one stays: the line drawn so far goes, and this one is a line of its own. */
        if (final)
                base_log_line(RF_LOG_PROGRESS, "");
        base_log(final ? RF_LOG_NOTICE : RF_LOG_PROGRESS,
                 "ringfence batch: %s done (%llu failed), %d running, %.1f jobs/s%s", count,
                 (unsigned long long)failed, engine_running(b->e),
                 secs > 0 ? (double)s->total / secs : 0.0, eta);
        b->progress_shown = !final;
}
