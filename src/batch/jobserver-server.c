/* SPDX-License-Identifier: MIT */
/* The GNU make jobserver server: ringfence batch -j N --jobserver shares N slots with make -j
 * inside its jobs. Each job gets a fifo of its own (bound into its sandbox); the server keeps
 * the pool and offers one token at a time into a job's fifo, sees through inotify when the job's
 * make reads one or writes one back, and, when the job's pidfd says it ended, puts back every
 * token the job still held: a job that dies holding tokens loses none. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "batch/jobserver.h"
#include "engine/engine.h"
#include "policy/policy.h"

/* One job's end of the jobserver. */
struct js_job {
        char dir[224], path[240]; /* its folder and fifo */
        int fd;                   /* ours: O_RDWR, nonblocking */
        int job_fds[2];           /* the pipe form's R and W, passed into the job; -1 */
        int wd;                   /* its inotify watch */
        unsigned given;           /* tokens put into its fifo and not taken back */
        unsigned held_seen;       /* tokens its make held when we last looked */
        bool active;              /* an attempt runs */
        bool cut;                 /* it wrote back more than it was given: offered nothing more */
        struct js_job *next;
};

struct js_server {
        int slots;
        bool fifo_form;
        char dir[192]; /* the folder of the batch's fifos (0711) */
        int free_;     /* slots neither a job nor a token holds */
        bool hungry;   /* the scheduler waits for a slot: offer no tokens */
        bool stopping; /* the batch ends: watch no more */
        int inotify;
        struct engine *e;
        struct engine_op op;
        char evbuf[4096] __attribute__((aligned(8)));
        struct js_job *jobs;
};

int js_server_new(int slots, const char *form, struct js_server **ret, rf_error *err)
{
        struct js_server *s;
        const char *tmp = getenv("TMPDIR");

        if (strcmp(form, "pipe") != 0 && strcmp(form, "fifo") != 0)
                return rf_error_set(err, -EINVAL,
                                    "--jobserver: invalid value '%s', expected pipe or fifo", form);
        s = xcalloc(1, sizeof(*s));
        s->slots = s->free_ = slots;
        s->fifo_form = !strcmp(form, "fifo");
        /* The folder must be reachable inside the sandbox at the same path: an absolute one,
         * with no blank (make splits MAKEFLAGS at blanks, and so would a fifo:PATH in it). */
        snprintf(s->dir, sizeof(s->dir), "%s/ringfence-js.XXXXXX",
                 tmp && tmp[0] == '/' && strlen(tmp) < 160 && !strpbrk(tmp, " \t\n\\") ? tmp
                                                                                       : "/tmp");
        if (!mkdtemp(s->dir) || chmod(s->dir, 0711) < 0) {
                int e = rf_error_set(err, -errno,
                                     "--jobserver: cannot make a folder for the fifos (%s): %s",
                                     s->dir, strerror(errno));
                free(s);
                return e;
        }
        s->inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (s->inotify < 0) {
                int e = -errno;
                rmdir(s->dir);
                free(s);
                return rf_error_set(err, e, "--jobserver: inotify_init1: %s", strerror(-e));
        }
        *ret = s;
        return 0;
}

static unsigned in_fifo(const struct js_job *j)
{
        int n = 0;

        return ioctl(j->fd, FIONREAD, &n) == 0 && n > 0 ? (unsigned)n : 0;
}

/* Read and drop up to n bytes of j's fifo; returns how many were read. */
static unsigned discard(struct js_job *j, unsigned n)
{
        char buf[4096];
        unsigned got = 0;

        while (got < n) {
                ssize_t r = read(j->fd, buf, n - got < sizeof(buf) ? n - got : sizeof(buf));
                if (r <= 0)
                        break;
                got += (unsigned)r;
        }
        return got;
}

/* Take up to n unread tokens out of j's fifo back into the pool, and never more than j was
 * given: a byte beyond that is not ours (a client that gives back its implicit slot while it
 * waits, as rustc's does, reads it again), and the pool cannot grow by it. */
static void take_back(struct js_server *s, struct js_job *j, unsigned n)
{
        unsigned got = discard(j, n < j->given ? n : j->given);

        j->given -= got;
        s->free_ += (int)got;
}

/* Read and drop what j's fifo holds now, and no more (a writer that goes on cannot keep us). */
static void drain(struct js_job *j)
{
        (void)discard(j, in_fifo(j));
}

/* Whether j is cut off: a client writes back what it read, and at most one byte more (its
 * implicit slot, given back while it waits: rustc does), so more bytes in its fifo than it was
 * given plus one are forged. Such a job is offered nothing more for the rest of this attempt
 * and no longer watched (its writes cost us nothing); its fifo is emptied, and the pool keeps
 * counting every token it was given as its own until it ends (we cannot tell which of its
 * bytes were real): the pool can neither grow by the forgery nor lose what the job held. */
static bool cut_off(struct js_server *s, struct js_job *j)
{
        if (!j->cut && in_fifo(j) > j->given + 1) {
                j->cut = true;
                if (j->wd >= 0)
                        (void)inotify_rm_watch(s->inotify, j->wd);
                j->wd = -1;
                drain(j);
        }
        return j->cut;
}

/* A token on offer in another job's fifo that nobody read, taken back for job j. */
static void steal_offer(struct js_server *s, struct js_job *j)
{
        for (struct js_job *o = s->jobs; o && s->free_ < 1; o = o->next)
                if (o != j && o->active && !cut_off(s, o) && in_fifo(o) > 0)
                        take_back(s, o, 1);
}

/* Keep one token on offer in j's fifo while the pool has one, and no more. A job whose make
 * just took a token gets one that waits unread in another job's fifo when the pool is empty. */
static void balance(struct js_server *s, struct js_job *j)
{
        unsigned n, held;

        if (cut_off(s, j))
                return;
        n = in_fifo(j);
        held = j->given > n ? j->given - n : 0;
        if (n > 1) {
                take_back(s, j, n - 1);
        } else if (n == 0 && !s->hungry) {
                if (s->free_ < 1 && held > j->held_seen)
                        steal_offer(s, j);
                if (s->free_ > 0 && write(j->fd, "+", 1) == 1) {
                        j->given++;
                        s->free_--;
                }
        }
        j->held_seen = held;
}

void js_server_offer(struct js_server *s)
{
        for (struct js_job *j = s->jobs; j; j = j->next)
                if (j->active)
                        balance(s, j);
}

void js_server_idle(struct js_server *s)
{
        s->hungry = false;
        js_server_offer(s);
}

static void arm(struct js_server *s)
{
        if (!s->op.pending && s->e && !s->stopping)
                engine_read(s->e, s->inotify, s->evbuf, sizeof(s->evbuf), &s->op);
}

/* Some job's make read a token or wrote one back: rebalance, and watch again. */
static void on_events(struct engine_op *op, int res)
{
        struct js_server *s = op->user;

        if (res == -ECANCELED)
                return;
        js_server_offer(s);
        arm(s);
}

void js_server_attach(struct js_server *s, struct engine *e)
{
        s->e = e;
        s->op.complete = on_events;
        s->op.user = s;
}

bool js_server_ready(struct js_server *s)
{
        /* A new job comes first: take back tokens on offer that nobody read yet. */
        for (struct js_job *j = s->jobs; j && s->free_ < 1; j = j->next)
                if (j->active && !cut_off(s, j))
                        take_back(s, j, in_fifo(j));
        s->hungry = s->free_ < 1;
        return !s->hungry;
}

static int job_open(struct js_server *s, struct js_job *j, uint64_t seq, rf_error *err)
{
        snprintf(j->dir, sizeof(j->dir), "%s/job-%llu.XXXXXX", s->dir, (unsigned long long)seq);
        /* The job runs as another identity (nobody, for root), so the folders can be passed
         * (0711) but not listed, and each job's folder has a name nobody can guess: the job,
         * which has only its own folder bound in, is the only one to find its fifo. */
        if (!mkdtemp(j->dir) || chmod(j->dir, 0711) < 0)
                return rf_error_set(err, -errno, "--jobserver: %s: %s", j->dir, strerror(errno));
        snprintf(j->path, sizeof(j->path), "%s/fifo", j->dir);
        if (mkfifo(j->path, 0666) < 0 || chmod(j->path, 0666) < 0)
                return rf_error_set(err, -errno, "--jobserver: %s: %s", j->path, strerror(errno));
        j->fd = open(j->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (j->fd < 0)
                return rf_error_set(err, -errno, "--jobserver: %s: %s", j->path, strerror(errno));
        if (!s->fifo_form)
                for (int i = 0; i < 2; i++) {
                        j->job_fds[i] = open(j->path, O_RDWR | O_CLOEXEC);
                        if (j->job_fds[i] < 0)
                                return rf_error_set(err, -errno, "--jobserver: %s: %s", j->path,
                                                    strerror(errno));
                }
        j->wd = inotify_add_watch(s->inotify, j->path, IN_ACCESS | IN_MODIFY);
        if (j->wd < 0)
                return rf_error_set(err, -errno, "--jobserver: inotify_add_watch %s: %s", j->path,
                                    strerror(errno));
        return 0;
}

static int job_policy(struct js_server *s, struct js_job *j, struct rf_policy *p, rf_error *err)
{
        char v[320];
        int r;

        if (s->fifo_form)
                snprintf(v, sizeof(v), "MAKEFLAGS= -j%d --jobserver-auth=fifo:%s", s->slots,
                         j->path);
        else
                snprintf(v, sizeof(v), "MAKEFLAGS= -j%d --jobserver-auth=%d,%d", s->slots,
                         j->job_fds[0], j->job_fds[1]);
        r = policy_set(p, "env.set", v, "--jobserver", err);
        /* Other jobs' fifos stay out of sight: an empty tmpfs over the batch's folder, which
         * the working directory or a --rw may show (a job of an ordinary user has the uid that
         * owns it: the folder's mode would not stop it); then, for the fifo form, the job's
         * own folder on it, read-only (a fifo still opens for writing there, and nothing else
         * can be made). The pipe form needs no path: its two fds are passed in. */
        if (r == 0)
                r = policy_set(p, "fs.tmpfs", s->dir, "--jobserver", err);
        if (r == 0 && s->fifo_form)
                r = policy_set(p, "fs.ro", j->dir, "--jobserver", err);
        for (int i = 0; i < 2 && r == 0 && !s->fifo_form; i++) {
                snprintf(v, sizeof(v), "%d", j->job_fds[i]);
                r = policy_set(p, "fd", v, "--jobserver", err);
        }
        return r;
}

static void job_close(struct js_server *s, struct js_job *j)
{
        if (j->wd >= 0)
                (void)inotify_rm_watch(s->inotify, j->wd);
        if (j->fd >= 0)
                close(j->fd);
        for (int i = 0; i < 2; i++)
                if (j->job_fds[i] >= 0)
                        close(j->job_fds[i]);
        (void)unlink(j->path);
        (void)rmdir(j->dir);
}

int js_server_job_new(struct js_server *s, uint64_t seq, struct rf_policy *p, struct js_job **ret,
                      rf_error *err)
{
        struct js_job *j = *ret;
        int r;

        if (!j) {
                j = xcalloc(1, sizeof(*j));
                j->fd = j->job_fds[0] = j->job_fds[1] = j->wd = -1;
                if ((r = job_open(s, j, seq, err)) < 0 || (r = job_policy(s, j, p, err)) < 0) {
                        job_close(s, j);
                        free(j);
                        return r;
                }
                j->next = s->jobs;
                s->jobs = j;
                *ret = j;
        }
        j->active = true;
        s->free_--; /* the job's own slot: make's implicit one inside it */
        balance(s, j);
        arm(s);
        return 0;
}

unsigned js_server_job_end(struct js_server *s, struct js_job *j)
{
        unsigned unread, held;

        if (!j || !j->active)
                return 0;
        unread = in_fifo(j);
        held = j->given > unread ? j->given - unread : 0;
        /* Empty the fifo (a retry starts clean, also one cut off: watched again) and put
         * everything back. */
        drain(j);
        s->free_ += 1 + (int)j->given;
        j->given = j->held_seen = 0;
        j->active = false;
        if (j->cut) {
                j->cut = false;
                j->wd = inotify_add_watch(s->inotify, j->path, IN_ACCESS | IN_MODIFY);
        }
        js_server_offer(s);
        return held;
}

/* Forget job j for good (its last attempt ended). */
void js_server_job_free(struct js_server *s, struct js_job *j)
{
        struct js_job **pp;

        if (!j)
                return;
        (void)js_server_job_end(s, j);
        for (pp = &s->jobs; *pp; pp = &(*pp)->next)
                if (*pp == j) {
                        *pp = j->next;
                        break;
                }
        job_close(s, j);
        free(j);
}

void js_server_stop(struct js_server *s, struct engine *e)
{
        s->stopping = true;
        engine_cancel(e, &s->op);
        while (s->op.pending && engine_wait(e, 1000) >= 0)
                ;
}

void js_server_free(struct js_server *s)
{
        if (!s)
                return;
        while (s->jobs)
                js_server_job_free(s, s->jobs);
        close(s->inotify);
        (void)rmdir(s->dir);
        free(s);
}
