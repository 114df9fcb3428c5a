/* SPDX-License-Identifier: MIT */
/* Table-driven option parsing: every flag maps onto a policy setting, so flags, `--set` and
 * policy files all go through the same code and give the same errors. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Every option of every table, in order. */
#define FOR_EACH_OPTION(tables, o)                                                                 \
        for (const struct cli_option *const *t_ = (tables); *t_; t_++)                             \
                for (const struct cli_option *o = *t_; o->name; o++)

static const struct cli_option *find(const struct cli_option *const *tables, const char *name,
                                     size_t len)
{
        FOR_EACH_OPTION(tables, o)
                if (strlen(o->name) == len && !strncmp(o->name, name, len))
                        return o;
        return NULL;
}

static const struct cli_option *find_short(const struct cli_option *const *tables, char c)
{
        FOR_EACH_OPTION(tables, o)
                if (o->short_name == c)
                        return o;
        return NULL;
}

static int unknown(const struct cli_option *const *tables, const char *arg, rf_error *err)
{
        char list[160] = "";
        size_t n = 0;

        FOR_EACH_OPTION(tables, o)
                if (n + 32 < sizeof(list))
                        n += (size_t)snprintf(list + n, sizeof(list) - n, "%s--%s", n ? ", " : "",
                                              o->name);
        err->code = -EINVAL;
        snprintf(err->msg, sizeof(err->msg), "unknown option '%s', expected one of %s, ...", arg,
                 list);
        return -EINVAL;
}

static int apply(const struct cli_option *o, const char *value, rf_policy *p,
                 struct cli_result *out, rf_error *err)
{
        char origin[64], key[64];
        const char *eq;

        snprintf(origin, sizeof(origin), "--%s", o->name);
        switch (o->kind) {
        case CLI_SETTING:
                return rf_policy_set(p, o->key, o->fixed_value ? o->fixed_value : value, origin,
                                     err);
        case CLI_SET:
                /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): --set has an argument */
                eq = strchr(value, '=');
                if (!eq || eq == value || (size_t)(eq - value) >= sizeof(key)) {
                        err->code = -EINVAL;
                        snprintf(err->msg, sizeof(err->msg),
                                 "--set: invalid value '%s', expected KEY=VALUE", value);
                        return -EINVAL;
                }
                snprintf(key, sizeof(key), "%.*s", (int)(eq - value), value);
                return rf_policy_set(p, key, eq + 1, "--set", err);
        case CLI_SHARE:
                snprintf(key, sizeof(key), "namespace.%s", value);
                return rf_policy_set(p, key, "off", origin, err);
        case CLI_STRING:
                out->json_path = value;
                return 0;
        case CLI_FLAG:
                if (!strcmp(o->name, "help"))
                        out->help = true;
                else if (!strcmp(o->name, "version"))
                        out->version = true;
                else
                        out->verbose = true;
                return 0;
        case CLI_CUSTOM:
                return o->handler(out, value, err);
        }
        return -EINVAL;
}

int cli_parse(const struct cli_option *const *opts, int argc, char **argv, int first, rf_policy *p,
              struct cli_result *out, rf_error *err)
{
        out->command_index = -1;
        for (int i = first; i < argc; i++) {
                if (!strcmp(argv[i], ":::")) {
                        out->command_index = i;
                        return 0;
                }
                const char *a = argv[i], *name, *value = NULL, *eq;
                const struct cli_option *o;
                int r;

                if (!strcmp(a, "--")) {
                        out->command_index = i + 1 < argc ? i + 1 : -1;
                        return 0;
                }
                if (!strcmp(a, "-h"))
                        a = "--help";
                if (strncmp(a, "--", 2) != 0) {
                        if (a[0] != '-' || !a[1]) {
                                out->command_index = i;
                                return 0;
                        }
                        o = find_short(opts, a[1]);
                        if (!o)
                                return unknown(opts, a, err);
                        eq = a[2] ? a + 1 : NULL; /* -j4 as -j 4 */
                } else {
                        name = a + 2;
                        eq = strchr(name, '=');
                        o = find(opts, name, eq ? (size_t)(eq - name) : strlen(name));
                }
                if (!o)
                        return unknown(opts, a, err);
                if (o->arg) {
                        if (eq)
                                value = eq + 1;
                        else if (i + 1 < argc)
                                value = argv[++i];
                        else {
                                err->code = -EINVAL;
                                snprintf(err->msg, sizeof(err->msg), "--%s: expected %s after it",
                                         o->name, o->arg);
                                return -EINVAL;
                        }
                } else if (eq) {
                        err->code = -EINVAL;
                        snprintf(err->msg, sizeof(err->msg), "--%s takes no value", o->name);
                        return -EINVAL;
                }
                if ((r = apply(o, value, p, out, err)) < 0)
                        return r;
        }
        return 0;
}

int cli_version(void)
{
        printf("ringfence %s\n", rf_version());
        return 0;
}

void cli_print_options(const struct cli_option *const *tables)
{
        FOR_EACH_OPTION(tables, o) {
                char left[64], sh[8] = "    ";
                if (o->short_name)
                        snprintf(sh, sizeof(sh), "-%c, ", o->short_name);
                snprintf(left, sizeof(left), "%s--%s%s%s", sh, o->name, o->arg ? " " : "",
                         o->arg ? o->arg : "");
                printf("  %-28s %s\n", left, o->help);
        }
}
