/* SPDX-License-Identifier: MIT */
/* A job's output on its way to the user: grouped per job (never interleaved mid-line), or line
 * by line with a tag. Host memory stays bounded: past 1 MiB a job's output goes to a memfd. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "base/base.h"
#include "batch/output.h"

#define OUTBUF_MEMORY (1u << 20)

void outbuf_init(struct outbuf *o)
{
        memset(o, 0, sizeof(*o));
        o->spill = -1;
}

int output_write_all(int fd, const char *buf, size_t n)
{
        while (n > 0) {
                ssize_t k = write(fd, buf, n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return k < 0 ? -errno : -EIO;
                buf += k;
                n -= (size_t)k;
        }
        return 0;
}

int outbuf_add(struct outbuf *o, const char *buf, size_t n)
{
        if (o->spill < 0 && o->len + n > OUTBUF_MEMORY) {
                o->spill = memfd_create("ringfence-output", MFD_CLOEXEC);
                if (o->spill < 0)
                        return -errno;
        }
        if (o->spill >= 0) {
                o->spilled_any = true;
                return output_write_all(o->spill, buf, n);
        }
        array_grow(&o->buf, &o->cap, o->len + n, 1);
        memcpy(o->buf + o->len, buf, n);
        o->len += n;
        return 0;
}

int outbuf_flush(struct outbuf *o, int fd)
{
        int r = output_write_all(fd, o->buf, o->len);

        o->len = 0;
        if (r == 0 && o->spill >= 0) {
                off_t off = 0, end = lseek(o->spill, 0, SEEK_CUR);
                while (r == 0 && off < end) {
                        ssize_t k = sendfile(fd, o->spill, &off, (size_t)(end - off));
                        if (k <= 0)
                                r = k < 0 ? -errno : -EIO;
                }
                (void)ftruncate(o->spill, 0);
                (void)lseek(o->spill, 0, SEEK_SET);
        }
        return r;
}

void outbuf_done(struct outbuf *o)
{
        free(o->buf);
        if (o->spill >= 0)
                close(o->spill);
        outbuf_init(o);
}

static int write_line(int fd, const char *tag, const char *a, size_t an, const char *b, size_t bn)
{
        struct jw_line {
                const char *p;
                size_t n;
        } parts[4] = { { tag, tag ? strlen(tag) : 0 },
                       { "\t", tag ? 1 : 0 },
                       { a, an },
                       { b, bn } };
        int r = 0;

        for (size_t i = 0; i < ARRAY_SIZE(parts) && r == 0; i++)
                if (parts[i].n)
                        r = output_write_all(fd, parts[i].p, parts[i].n);
        return r;
}

int output_lines(struct outbuf *partial, const char *tag, const char *buf, size_t n, bool final,
                 int fd)
{
        const char *nl;
        int r = 0;

        while (r == 0 && n && (nl = memchr(buf, '\n', n))) {
                size_t k = (size_t)(nl - buf) + 1;
                r = write_line(fd, tag, partial->buf, partial->len, buf, k);
                partial->len = 0;
                buf += k;
                n -= k;
        }
        if (r == 0 && n && partial->len + n > OUTBUF_MEMORY) {
                /* A line longer than we keep: pass it on in pieces. */
                r = write_line(fd, tag, partial->buf, partial->len, buf, n);
                partial->len = 0;
                n = 0;
        }
        if (r == 0 && n)
                r = outbuf_add(partial, buf, n);
        if (r == 0 && final && partial->len) {
                r = write_line(fd, tag, partial->buf, partial->len, "\n", 1);
                partial->len = 0;
        }
        return r;
}

int outbuf_flush_lines(struct outbuf *o, const char *tag, int fd)
{
        struct outbuf partial;
        char chunk[65536];
        int r;

        outbuf_init(&partial);
        r = output_lines(&partial, tag, o->buf, o->len, false, fd);
        o->len = 0;
        if (r == 0 && o->spill >= 0) {
                off_t off = 0, end = lseek(o->spill, 0, SEEK_CUR);
                while (r == 0 && off < end) {
                        ssize_t k = pread(o->spill, chunk, sizeof(chunk), off);
                        if (k <= 0) {
                                r = k < 0 ? -errno : -EIO;
                                break;
                        }
                        off += k;
                        r = output_lines(&partial, tag, chunk, (size_t)k, false, fd);
                }
                (void)ftruncate(o->spill, 0);
                (void)lseek(o->spill, 0, SEEK_SET);
        }
        if (r == 0)
                r = output_lines(&partial, tag, "", 0, true, fd);
        outbuf_done(&partial);
        return r;
}
