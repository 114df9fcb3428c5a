/* SPDX-License-Identifier: MIT */
/* rf_run: one command in a sandbox, from policy to result. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "ringfence.h"
#include "api/api.h"
#include "base/base.h"
#include "engine/engine.h"
#include "policy/policy.h"

RF_EXPORT void rf_run_options_init(rf_run_options *opts)
{
        memset(opts, 0, sizeof(*opts));
        opts->stdin_fd = opts->stdout_fd = opts->stderr_fd = opts->signal_fd = -1;
}

RF_EXPORT int rf_run(const rf_policy *p, char *const argv[], const rf_run_options *opts,
                     rf_result *ret, rf_error *err)
{
        struct policy_bpf bpf = { 0 };
        struct engine_result res;
        rf_run_options defaults;
        struct engine_job job = { .policy = p, .argv = argv };
        int r;

        if (!p || !argv || !argv[0] || !ret)
                return rf_error_set(err, -EINVAL, "rf_run: policy, argv[0] and result are needed");
        if (!opts) {
                rf_run_options_init(&defaults);
                opts = &defaults;
        }
        job.stdio[0] = opts->stdin_fd;
        job.stdio[1] = opts->stdout_fd;
        job.stdio[2] = opts->stderr_fd;
        job.sinks[0] = opts->stdout_fd;
        job.sinks[1] = opts->stderr_fd;
        job.capture = opts->count_output;
        if ((r = policy_compile(p, &bpf, err)) < 0) {
                engine_result_unstarted(&res, err ? err->msg : rf_strerror(r));
        } else {
                job.bpf = &bpf;
                r = engine_run_job(&job, opts->signal_fd, &res, err);
                policy_bpf_done(&bpf);
        }
        api_result_export(ret, &res);
        return r;
}
