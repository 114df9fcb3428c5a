/* SPDX-License-Identifier: MIT */
/* What each signal does to a running batch, as GNU parallel users expect: INT, TERM and HUP stop
 * it (no more jobs start, the running ones get SIGTERM; a second one kills them at once), QUIT
 * kills the running jobs at once, USR1 lists the running jobs (to the log), USR2 turns the progress
 * line on or off. Every job that ran keeps its record either way. */
#include "config.h"

#include <signal.h>

#include "base/log.h"
#include "base/time.h"
#include "batch/sched.h"

void batch_running_add(struct batch *b, struct bjob *bj)
{
        bj->started_us = base_now_us(CLOCK_MONOTONIC);
        bj->run_prev = NULL;
        bj->run_next = b->running;
        if (b->running)
                b->running->run_prev = bj;
        b->running = bj;
}

void batch_running_remove(struct batch *b, struct bjob *bj)
{
        if (bj->run_prev)
                bj->run_prev->run_next = bj->run_next;
        else if (b->running == bj)
                b->running = bj->run_next;
        if (bj->run_next)
                bj->run_next->run_prev = bj->run_prev;
        bj->run_prev = bj->run_next = NULL;
}

/* SIGUSR1: one line per running job to the log (oldest last), as GNU parallel prints them. */
static void list_running(struct batch *b)
{
        uint64_t now = base_now_us(CLOCK_MONOTONIC);
        int n = 0;

        for (struct bjob *bj = b->running; bj; bj = bj->run_next)
                n++;
        if (b->progress_shown)
                base_log_line(RF_LOG_PROGRESS, "");
        b->progress_shown = false;
        base_log(RF_LOG_NOTICE, "ringfence batch: %d job%s running", n, n == 1 ? "" : "s");
        for (struct bjob *bj = b->running; bj; bj = bj->run_next)
                base_log(RF_LOG_NOTICE, "ringfence batch: job %llu, attempt %u, for %.1f s: %s",
                         (unsigned long long)bj->in.seq, bj->attempt,
                         (double)(now - bj->started_us) / 1e6, bj->cmdline ? bj->cmdline : "");
}

/* INT, TERM, HUP, QUIT: stop starting; ask the jobs to end, or (QUIT, or a second signal) kill
 * them at once. */
static void stop(struct batch *b, bool at_once)
{
        b->sum.interrupted = 1;
        b->stop_starting = true;
        b->signals++;
        engine_signal_all(b->e, at_once || b->signals > 1 ? SIGKILL : SIGTERM);
}

void batch_on_signal(void *ctx, int signo)
{
        struct batch *b = ctx;

        switch (signo) {
        case SIGUSR1:
                list_running(b);
                break;
        case SIGUSR2:
                if (b->progress_shown)
                        base_log_line(RF_LOG_PROGRESS, "");
                b->progress_toggled = !b->progress_toggled;
                b->progress_shown = false;
                b->last_progress_us = 0;
                batch_progress(b, false);
                break;
        case SIGQUIT:
                stop(b, true);
                break;
        case SIGINT:
        case SIGTERM:
        case SIGHUP:
        default:
                stop(b, false);
                break;
        }
}
