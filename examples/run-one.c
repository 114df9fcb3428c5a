/* SPDX-License-Identifier: MIT */
/* Description: run one command in the default sandbox, as `ringfence run` does, with a time
 * and a memory limit; print what happened as a result record and exit as the command did.
 *
 * Build: cc -o run-one run-one.c $(pkg-config --cflags --libs ringfence)
 * Try:   ./run-one sh -c 'echo hello; exit 3'; echo $?
 *
 * It needs root, or unprivileged user namespaces (DESIGN.md). */
#include <stdio.h>
#include <stdlib.h>

#include <ringfence.h>

int main(int argc, char *argv[])
{
        rf_error err = { 0 };
        rf_result res;
        rf_policy *p;
        char *json;

        if (argc < 2) {
                fprintf(stderr, "usage: %s COMMAND [ARG]...\n", argv[0]);
                return 125;
        }
        /* The embedded default policy (no network, read-only system, private /tmp, ...), plus
         * two limits set as `--set KEY=VALUE` would. */
        p = rf_policy_new_default(&err);
        if (!p || rf_policy_set(p, "limit.timeout", "10s", "run-one", &err) < 0 ||
            rf_policy_set(p, "limit.memory", "256M", "run-one", &err) < 0) {
                fprintf(stderr, "run-one: %s\n", err.msg);
                rf_policy_free(p);
                return 125;
        }
        /* NULL options: the job gets our stdin, stdout and stderr. A negative return means
         * ringfence itself failed; res is then a spawn-error result (exit status 125). */
        if (rf_run(p, argv + 1, NULL, &res, &err) < 0)
                fprintf(stderr, "run-one: %s\n", err.msg);
        if (rf_result_to_json(&res, 1, 1, argv + 1, &json) == 0) {
                printf("%s\n", json);
                free(json);
        }
        fprintf(stderr, "run-one: %s: %s, exit status %d\n", argv[1], rf_status_name(res.status),
                res.exit_status);
        rf_policy_free(p);
        return res.exit_status;
}
