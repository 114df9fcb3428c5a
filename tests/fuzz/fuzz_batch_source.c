/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the job sources of `ringfence batch` (src/batch/source.c, and through it
 * split.c and template.c): byte 0 picks the input kind (bits 0-1: lines, NUL-separated records,
 * JSON lines) and the command template (bits 2-3: none, so each line is split as a shell would,
 * or one of three templates with replacement strings); the rest is the input file, read from a
 * memfd. Every job is read to the end. Any crash, leak, undefined behaviour, hang, a job without
 * its argv, or a failure without a sentence is a bug.
 *
 * Built by `make fuzz` (tests/fuzz/build.sh); run with tests/fuzz/run-all.sh or
 *   build/tests/fuzz/fuzz_batch_source -dict=tests/fuzz/batch.dict tests/fuzz/corpus/batch_source
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "batch/batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *t_echo[] = { "echo", "{}", NULL };
static char *t_paths[] = { "cp", "{1}", "{2/.}", "out/{#}-{//}", "{.}.{/}", NULL };
static char *t_all[] = { "x", "{1.}{1/}{1//}{1/.}{9}{#}", "a{}b", "{", "}", "{{}}", NULL };
static char **templates[] = { NULL, t_echo, t_paths, t_all };

static int memfd = -1;
static char path[64];

/* Put the input into the memfd, which the source then opens by its /proc path. */
static void put_input(const uint8_t *data, size_t size)
{
        if (memfd < 0) {
                memfd = memfd_create("fuzz-input", MFD_CLOEXEC);
                if (memfd < 0)
                        abort();
                snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
        }
        if (ftruncate(memfd, 0) < 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const enum batch_input_kind kinds[] = { BATCH_INPUT_LINES, BATCH_INPUT_LINES,
                                                       BATCH_INPUT_JSONL, BATCH_INPUT_JSONL };
        struct batch_source_opts o = { 0 };
        struct batch_source *s = NULL;
        rf_error err = { 0 };
        uint64_t jobs = 0;
        int r;

        if (size < 1)
                return 0;
        o.kind = kinds[data[0] & 3];
        o.nul = (data[0] & 3) == 1;
        o.template_ = templates[(data[0] >> 2) & 3];
        put_input(data + 1, size - 1);
        o.path = path;
        if (batch_source_open(&o, &s, &err) < 0) {
                fprintf(stderr, "cannot open the memfd: %s\n", err.msg);
                abort();
        }
        for (;;) {
                struct batch_input in;
                r = batch_source_next(s, &in, &err);
                if (r <= 0)
                        break;
                /* A job has its number and a NULL-terminated argv, or says why it has none. */
                if (in.seq != ++jobs || !in.argv.v || in.argv.v[in.argv.n] ||
                    (!in.error && !in.argv.n && o.template_)) {
                        fprintf(stderr, "job %llu malformed\n", (unsigned long long)jobs);
                        abort();
                }
                if (jobs > size + 1) { /* at most one job per byte, plus a last record */
                        fprintf(stderr, "%llu jobs out of %zu bytes\n", (unsigned long long)jobs,
                                size);
                        abort();
                }
                batch_input_done(&in);
        }
        if (r < 0 && (r != err.code || !err.msg[0])) {
                fprintf(stderr, "failure %d without its sentence: '%s'\n", r, err.msg);
                abort();
        }
        batch_source_free(s);
        return 0;
}
