/* SPDX-License-Identifier: MIT */
/* The record writers: one JSON line per job (--json) and GNU parallel's joblog (--joblog). Each
 * record goes out with one write() on an O_APPEND fd, without stdio buffering, so a host killed
 * with SIGKILL leaves each record whole or absent; a write that fails part-way is cut back, so
 * the files always end at a record boundary ("Nothing is lost", DESIGN.md). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/base.h"
#include "batch/batch.h"

/* One append-only file of records. */
struct record_file {
        const char *flag; /* "--json" or "--joblog", for messages */
        char *path;
        int fd;       /* -1: not written */
        bool regular; /* a regular file: records can be cut back, and it is fsynced */
};

struct batch_writers {
        struct record_file json, joblog;
};

static int file_error(const struct record_file *f, int code, rf_error *err)
{
        return rf_error_set(err, code, "%s %s: %s", f->flag, f->path, rf_strerror(code));
}

/* A write failed with code after done bytes of a record went out: cut those off again, so the
 * file still ends at a record boundary. O_APPEND left the offset at the end of what we wrote. */
static int cut_back(const struct record_file *f, size_t done, int code, rf_error *err)
{
        off_t end;
        int fail;

        if (done == 0 || !f->regular)
                return file_error(f, code, err);
        end = lseek(f->fd, 0, SEEK_CUR);
        if (end < (off_t)done)
                fail = end < 0 ? errno : EIO;
        else if (ftruncate(f->fd, end - (off_t)done) < 0)
                fail = errno;
        else
                return file_error(f, code, err);
        return rf_error_set(err, code, "%s %s: %s, and the partial record could not be cut off: %s",
                            f->flag, f->path, rf_strerror(code), rf_strerror(fail));
}

/* Append buf as one record. A write the kernel cuts short (a full disk, RLIMIT_FSIZE, a signal)
 * is continued; if the rest cannot be written, what went out is cut off again. */
static int record_append(const struct record_file *f, const char *buf, size_t len, rf_error *err)
{
        size_t done = 0;

        while (done < len) {
                ssize_t n = write(f->fd, buf + done, len - done);
                if (n > 0)
                        done += (size_t)n;
                else if (n == 0 || errno != EINTR)
                        return cut_back(f, done, n < 0 ? -errno : -EIO, err);
        }
        return 0;
}

/* Remove the last record, of len bytes, written to f (the other writer failed on it). */
static void record_unappend(const struct record_file *f, size_t len)
{
        off_t end = lseek(f->fd, 0, SEEK_CUR);

        if (f->regular && end >= (off_t)len)
                (void)ftruncate(f->fd, end - (off_t)len);
}

/* Cut a torn last record (one without its newline: the host died during a write) so that the
 * next record starts on a line of its own. Returns the new size or -errno. */
static off_t cut_torn_tail(int fd, off_t size)
{
        char buf[4096];
        off_t at = size;

        while (at > 0) {
                size_t n = at < (off_t)sizeof(buf) ? (size_t)at : sizeof(buf);
                ssize_t r = pread(fd, buf, n, at - (off_t)n);
                if (r != (ssize_t)n)
                        return r < 0 ? -errno : -EIO;
                if (at == size && buf[n - 1] == '\n')
                        return size;
                for (size_t i = n; i > 0; i--)
                        if (buf[i - 1] == '\n') {
                                at = at - (off_t)n + (off_t)i;
                                return ftruncate(fd, at) < 0 ? -errno : at;
                        }
                at -= (off_t)n;
        }
        return ftruncate(fd, 0) < 0 ? -errno : 0;
}

static int record_file_open(struct record_file *f, const char *flag, const char *path, bool append,
                            off_t *ret_size, rf_error *err)
{
        int flags = O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY | (append ? 0 : O_TRUNC);
        struct stat st;
        off_t size = 0;

        f->flag = flag;
        f->fd = -1;
        if (!path)
                return 0;
        f->path = xstrdup(path);
        f->fd = open(path, flags, 0644);
        if (f->fd < 0 || fstat(f->fd, &st) < 0)
                return file_error(f, -errno, err);
        f->regular = S_ISREG(st.st_mode);
        if (f->regular)
                size = append ? cut_torn_tail(f->fd, st.st_size) : 0;
        if (size < 0)
                return file_error(f, (int)size, err);
        *ret_size = size;
        return 0;
}

/* Close f, fsyncing a regular file first so that a finished batch's records survive a crash of
 * the machine too. */
static int record_file_close(struct record_file *f, rf_error *err)
{
        int r = 0;

        if (f->fd >= 0) {
                if (f->regular && fsync(f->fd) < 0)
                        r = file_error(f, -errno, err);
                if (close(f->fd) < 0 && r == 0 && errno != EINTR)
                        r = file_error(f, -errno, err);
                f->fd = -1;
        }
        free(f->path);
        f->path = NULL;
        return r;
}

int batch_writers_open(const char *json_path, const char *joblog_path, bool append,
                       struct batch_writers **ret, rf_error *err)
{
        struct batch_writers *w = xcalloc(1, sizeof(*w));
        off_t json_size = 0, joblog_size = 0;
        int r;

        w->json.fd = w->joblog.fd = -1;
        r = record_file_open(&w->json, "--json", json_path, append, &json_size, err);
        if (r >= 0)
                r = record_file_open(&w->joblog, "--joblog", joblog_path, append, &joblog_size,
                                     err);
        /* A new joblog (or an empty one, or a pipe) starts with the header; one we append to
         * has it already. */
        if (r >= 0 && w->joblog.fd >= 0 && joblog_size == 0)
                r = record_append(&w->joblog, batch_joblog_header, strlen(batch_joblog_header),
                                  err);
        if (r < 0) {
                (void)batch_writers_close(w, NULL);
                return r;
        }
        *ret = w;
        return 0;
}

int batch_writers_put(struct batch_writers *w, const struct batch_record *rec, rf_error *err)
{
        _cleanup_free_ char *json = NULL, *joblog = NULL;
        size_t json_len = 0, joblog_len;
        int r;

        if (!w || !rec || !rec->res)
                return rf_error_set(err, -EINVAL, "no record to write, expected a job's result");
        if (w->json.fd >= 0) {
                /* Its stdin_bytes (the joblog's Send) lets --resume rebuild a joblog line
                 * from the record alone (rebuild.c). */
                json = batch_record_line(rec, &json_len);
                r = record_append(&w->json, json, json_len, err);
                if (r < 0)
                        return r;
        }
        if (w->joblog.fd >= 0) {
                joblog_len = batch_joblog_format(rec, &joblog);
                r = record_append(&w->joblog, joblog, joblog_len, err);
                if (r < 0) {
                        /* Keep both files telling the same story: the job has a record in
                         * neither, and resuming runs it again. */
                        if (json)
                                record_unappend(&w->json, json_len);
                        return r;
                }
        }
        return 0;
}

int batch_writers_put_joblog(struct batch_writers *w, const struct batch_record *rec, rf_error *err)
{
        _cleanup_free_ char *line = NULL;
        size_t len;

        if (!w || w->joblog.fd < 0)
                return 0;
        len = batch_joblog_format(rec, &line);
        return record_append(&w->joblog, line, len, err);
}

int batch_writers_put_line(struct batch_writers *w, const char *line, rf_error *err)
{
        if (!w || w->json.fd < 0)
                return 0;
        return record_append(&w->json, line, strlen(line), err);
}

int batch_writers_close(struct batch_writers *w, rf_error *err)
{
        int r, r2;

        if (!w)
                return 0;
        r = record_file_close(&w->json, err);
        r2 = record_file_close(&w->joblog, r < 0 ? NULL : err);
        free(w);
        return r < 0 ? r : r2;
}
