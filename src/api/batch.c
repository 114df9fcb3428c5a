/* SPDX-License-Identifier: MIT */
/* rf_batch_run: the options checked, then the batch's life (src/batch/batch.c). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ringfence.h"
#include "base/base.h"
#include "batch/batch.h"

RF_EXPORT void rf_batch_options_init(rf_batch_options *o)
{
        memset(o, 0, sizeof(*o));
        o->jobs = (int32_t)sysconf(_SC_NPROCESSORS_ONLN);
        if (o->jobs < 1)
                o->jobs = 1;
        o->input = RF_BATCH_LINES;
        o->signal_fd = -1;
}

RF_EXPORT int rf_batch_run(const rf_policy *p, const rf_batch_options *o, rf_batch_summary *ret,
                           rf_error *err)
{
        return rf_batch_run_shared(p, o, NULL, ret, err);
}

RF_EXPORT void rf_batch_share_init(rf_batch_share *s)
{
        memset(s, 0, sizeof(*s));
}

RF_EXPORT int rf_batch_run_shared(const rf_policy *p, const rf_batch_options *o,
                                  rf_batch_share *share, rf_batch_summary *ret, rf_error *err)
{
        struct batch *b = NULL;
        int r;

        if (!p || !o || !ret)
                return rf_error_set(err, -EINVAL,
                                    "rf_batch_run: policy, options and summary are needed");
        memset(ret, 0, sizeof(*ret));
        r = batch_new(p, o, share, &b, err);
        if (r == 0)
                r = batch_run(b, ret, err);
        batch_free(b);
        ret->exit_status = batch_exit_status(ret, r);
        return r < 0 ? r : 0;
}
