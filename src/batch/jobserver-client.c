/* SPDX-License-Identifier: MIT */
/* The GNU make jobserver client: a batch run by make -jN takes make's job slots. Its first job
 * runs on the implicit slot; each further job needs a token, one byte read from make's pipe or
 * fifo through the engine's ring; when the job ends that very byte goes back. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "batch/jobserver.h"
#include "engine/engine.h"

struct js_client {
        int rfd, wfd; /* make's read and write ends (the same fd for a fifo) */
        bool own_fds; /* we opened them (fifo), so we close them */
        struct engine *e;
        struct engine_op op;  /* the pending read of one token */
        unsigned char byte;   /* ... its buffer */
        bool implicit_busy;   /* a job runs on the implicit slot */
        unsigned char *free_; /* tokens in hand that no job holds */
        size_t n_free, cap_free;
        struct js_hold holders; /* list head: jobs holding a token */
        uint64_t n_read, n_returned;
        bool broken; /* a read or write failed: no more tokens */
};

/* The value of the last --jobserver-auth= (or make 4.1's --jobserver-fds=) word among make's
 * flags, or NULL. A word starts after a blank that no backslash escapes; the flags end at the
 * word "--", after which make puts the command line's variables (X='a --jobserver-auth=...'
 * is a variable's value, not make's jobserver). */
static char *auth_value(const char *makeflags)
{
        static const char *const names[] = { "--jobserver-auth=", "--jobserver-fds=" };
        const char *best = NULL;
        size_t best_len = 0;

        for (const char *p = makeflags; p && *p; p++) {
                if (p != makeflags && (p[-1] != ' ' || (p - 1 != makeflags && p[-2] == '\\')))
                        continue;
                if (p[0] == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\0'))
                        break;
                for (size_t i = 0; i < 2; i++)
                        if (!strncmp(p, names[i], strlen(names[i]))) {
                                best = p + strlen(names[i]);
                                best_len = strcspn(best, " ");
                        }
        }
        return best ? strndup(best, best_len) : NULL;
}

/* An inherited fd make named: open, and a pipe. */
static bool usable_pipe_fd(int fd)
{
        struct stat st;

        return fd >= 0 && fcntl(fd, F_GETFD) >= 0 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

static const char plus_hint[] = "mark the make rule that runs ringfence with a leading + (or "
                                "call it through $(MAKE)) so that make passes its jobserver on";

static int open_fifo(struct js_client *c, const char *path, char *warn, size_t warn_size)
{
        struct stat st;
        int fd = open(path, O_RDWR | O_CLOEXEC);

        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
                snprintf(warn, warn_size,
                         "MAKEFLAGS names the jobserver fifo %s, "
                         "but %s; running without make's jobserver",
                         path, fd < 0 ? strerror(errno) : "it is not a fifo");
                if (fd >= 0)
                        close(fd);
                return 0;
        }
        c->rfd = c->wfd = fd;
        c->own_fds = true;
        return 1;
}

static int open_pipe(struct js_client *c, const char *v, char *warn, size_t warn_size)
{
        int r, w, n = 0;

        if (sscanf(v, "%d,%d%n", &r, &w, &n) != 2 || v[n]) {
                snprintf(warn, warn_size,
                         "MAKEFLAGS has --jobserver-auth=%s, "
                         "expected fifo:PATH or R,W; running without make's jobserver",
                         v);
                return 0;
        }
        if (!usable_pipe_fd(r) || !usable_pipe_fd(w)) {
                snprintf(warn, warn_size,
                         "make's jobserver fds %d,%d are not open here: "
                         "%s; running without make's jobserver",
                         r, w, plus_hint);
                return 0;
        }
        /* FD_CLOEXEC is per descriptor: make's own fds keep theirs. */
        (void)fcntl(r, F_SETFD, FD_CLOEXEC);
        (void)fcntl(w, F_SETFD, FD_CLOEXEC);
        c->rfd = r;
        c->wfd = w;
        return 1;
}

int js_client_open(const char *makeflags, struct js_client **ret, char *warn, size_t warn_size)
{
        struct js_client *c;
        char *v = auth_value(makeflags);
        int r;

        warn[0] = '\0';
        if (!v)
                return 0;
        c = xcalloc(1, sizeof(*c));
        c->rfd = c->wfd = -1;
        c->holders.next = c->holders.prev = &c->holders;
        if (!strncmp(v, "fifo:", 5))
                r = open_fifo(c, v + 5, warn, warn_size);
        else
                r = open_pipe(c, v, warn, warn_size);
        free(v);
        if (r <= 0) {
                free(c);
                return r;
        }
        *ret = c;
        return 1;
}

static void give_back(struct js_client *c, unsigned char byte)
{
        ssize_t n;

        do
                n = write(c->wfd, &byte, 1);
        while (n < 0 && errno == EINTR);
        if (n == 1)
                c->n_returned++;
        else
                c->broken = true;
}

static void on_token(struct engine_op *op, int res)
{
        struct js_client *c = op->user;

        if (res == 1) {
                c->n_read++;
                array_grow(&c->free_, &c->cap_free, c->n_free + 1, 1);
                c->free_[c->n_free++] = c->byte;
        } else if (res != -ECANCELED && res != -EINTR && res != -EAGAIN) {
                /* make closed its end, or the fd went bad: go on with what we hold. */
                c->broken = true;
        }
}

void js_client_attach(struct js_client *c, struct engine *e)
{
        c->e = e;
        c->op.complete = on_token;
        c->op.user = c;
}

bool js_client_ready(struct js_client *c)
{
        if (!c->implicit_busy || c->n_free > 0)
                return true;
        if (!c->op.pending && !c->broken)
                engine_read(c->e, c->rfd, &c->byte, 1, &c->op);
        return false;
}

static void link_holder(struct js_client *c, struct js_hold *h)
{
        h->next = c->holders.next;
        h->prev = &c->holders;
        h->next->prev = h;
        c->holders.next = h;
}

static void unlink_holder(struct js_hold *h)
{
        /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): a linked holder has both links */
        h->prev->next = h->next;
        h->next->prev = h->prev;
        h->next = h->prev = NULL;
}

void js_client_take(struct js_client *c, struct js_hold *h)
{
        if (!c->implicit_busy) {
                c->implicit_busy = true;
                h->byte = JS_IMPLICIT;
        } else if (c->n_free > 0) {
                h->byte = c->free_[--c->n_free];
                link_holder(c, h);
        } else {
                h->byte = JS_NONE; /* not reached: js_client_ready said yes */
        }
}

void js_client_put(struct js_client *c, struct js_hold *h)
{
        if (h->byte == JS_IMPLICIT) {
                c->implicit_busy = false;
                if (c->holders.next != &c->holders) {
                        /* Another job takes over the implicit slot; its token goes back. */
                        struct js_hold *o = c->holders.next;
                        unlink_holder(o);
                        give_back(c, (unsigned char)o->byte);
                        o->byte = JS_IMPLICIT;
                        c->implicit_busy = true;
                }
        } else if (h->byte >= 0) {
                unlink_holder(h);
                give_back(c, (unsigned char)h->byte);
        }
        h->byte = JS_NONE;
}

void js_client_trim(struct js_client *c)
{
        while (c->n_free > 0)
                give_back(c, c->free_[--c->n_free]);
}

void js_client_stop(struct js_client *c, struct engine *e)
{
        engine_cancel(e, &c->op);
        while (c->op.pending && engine_wait(e, 1000) >= 0)
                ;
        js_client_trim(c);
        /* Jobs that were never put back (an engine failure): their bytes go back too. */
        while (c->holders.next != &c->holders) {
                struct js_hold *o = c->holders.next;
                unlink_holder(o);
                give_back(c, (unsigned char)o->byte);
                o->byte = JS_NONE;
        }
}

void js_client_counts(const struct js_client *c, uint64_t *ret_read, uint64_t *ret_returned)
{
        *ret_read = c->n_read;
        *ret_returned = c->n_returned;
}

void js_client_free(struct js_client *c)
{
        if (!c)
                return;
        if (c->own_fds)
                close(c->rfd);
        free(c->free_);
        free(c);
}
