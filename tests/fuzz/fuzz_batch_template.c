/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the words of `ringfence batch` (src/batch/template.c, split.c): the input
 * is NUL-separated; the first part is a template word (with {} {#} {.} {/} {//} {/.} {1}..{9}
 * and their combinations) and a command line for batch_split_line, the next up to nine parts are
 * the input values. Any crash, leak, undefined behaviour, hang, or failure without a sentence is
 * a bug.
 *
 * Built by `make fuzz` (tests/fuzz/build.sh); run with tests/fuzz/run-all.sh or
 *   build/tests/fuzz/fuzz_batch_template -dict=tests/fuzz/batch.dict \
 *           tests/fuzz/corpus/batch_template
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch/batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *copy = malloc(size + 1), *word, *out, *args[10] = { 0 };
        char *template_[] = { NULL, NULL };
        struct strv words = { 0 };
        rf_error err = { 0 };
        size_t n = 0, off;
        int r;

        if (!copy)
                abort();
        memcpy(copy, data, size);
        copy[size] = '\0';
        word = copy;
        off = strlen(word) + 1;
        while (off <= size && n < 9) {
                args[n++] = copy + off;
                off += strlen(copy + off) + 1;
        }
        out = batch_template_word(word, args, size);
        if (!out)
                abort();
        free(out);
        template_[0] = word;
        (void)batch_template_has_replacements(template_);
        r = batch_split_line(word, &words, &err);
        if (r < 0 && (r != -EINVAL || err.code != r || !err.msg[0])) {
                fprintf(stderr, "failure %d without its sentence: '%s'\n", r, err.msg);
                abort();
        }
        strv_done(&words);
        free(copy);
        return 0;
}
