/* SPDX-License-Identifier: MIT */
/* `ringfence-sh`: a make SHELL. `ringfence-sh [--OPTION...] [-e...] -c 'RECIPE' [NAME ARGS...]`
 * (or SCRIPT [ARGS...]) runs `/bin/sh [-e...] -c 'RECIPE'` in a sandbox (the build policy
 * unless told otherwise) and exits as the recipe did, 128+N for signal N, 125 when ringfence
 * itself fails. See ringfence-sh(1). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define ME "ringfence-sh"
/* Set inside the sandboxes ringfence-sh makes; see inside_sandbox(). */
#define INSIDE_VAR "RINGFENCE_SH_INSIDE"

/* --shell is taken by parse_args; cli_parse only has to accept it. */
static int shell_option(struct cli_result *out, const char *value, rf_error *err)
{
        (void)out;
        (void)value;
        (void)err;
        return 0;
}

static const struct cli_option sh_only_options[] = {
        { "shell", CLI_CUSTOM, NULL, NULL, "PATH",
          "the shell that runs the recipe, an absolute path (default: "
          "$RINGFENCE_SH_SHELL, else /bin/sh)",
          0, shell_option },
        { "help", CLI_FLAG, NULL, NULL, NULL, "show this help" },
        { "version", CLI_FLAG, NULL, NULL, NULL, "print the version" },
        { NULL, 0, NULL, NULL, NULL, NULL },
};

static const struct cli_option *const sh_options[] = { cli_sandbox_options, sh_only_options, NULL };

/* What the command line asked for. */
struct sh_args {
        char **rf_argv; /* the --OPTIONs (and their values), as a vector for cli_parse */
        int rf_argc;
        char *sh_flags[16]; /* "-e", "-x", "-o" "pipefail", ... for the shell */
        int n_sh_flags;
        const char *shell; /* --shell PATH, or NULL */
        int command_index; /* argv index of the recipe (after -c) */
        bool help, version;
        bool script; /* SCRIPT [ARGS] instead of -c RECIPE */
};

static void usage(void)
{
        printf("Usage: " ME " [--OPTION...] [-e] [-x] -c 'RECIPE' [NAME [ARGS...]]\n\n"
               "A make SHELL: runs /bin/sh -c 'RECIPE' in a sandbox and exits as it did.\n"
               "  make SHELL=" ME "    (GNU make passes -c, or .SHELLFLAGS such as -ec)\n\n"
               "The policy is the build policy (the working directory writable, no network),\n"
               "or: the --policy options given here, "
               "then $RINGFENCE_POLICY (NAME or FILE, several\n"
               "separated by spaces), then the other options here, then $RINGFENCE_SET\n"
               "(KEY=VALUE settings separated by spaces), each overriding the ones before.\n\n"
               "Options (long forms only; single-letter flags are the shell's):\n");
        cli_print_options(sh_options);
        /* clang-format off */
        printf("\nExit status: the recipe's; 128+N for signal N; 124 on a time limit; 125 when\n"
               ME " itself fails. See ringfence-sh(1).\n");
        /* clang-format on */
}

/* Fill err with a sentence; returns -EINVAL. */
__attribute__((format(printf, 2, 3))) static int fail(rf_error *err, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        err->code = -EINVAL;
        return -EINVAL;
}

/* The sandbox option called name (without "--", up to '=' when there is one), or NULL. */
static const struct cli_option *long_option(const char *name)
{
        size_t len = strcspn(name, "=");
        for (const struct cli_option *const *t = sh_options; *t; t++)
                for (const struct cli_option *o = *t; o->name; o++)
                        if (strlen(o->name) == len && !strncmp(o->name, name, len))
                                return o;
        return NULL;
}

/* Split argv into our --OPTIONs, the shell's flags and the recipe. Returns 0 or -EINVAL. */
static int parse_args(int argc, char **argv, struct sh_args *a, rf_error *err)
{
        const char *name_arg;
        int i;

        a->rf_argv = calloc((size_t)argc + 2, sizeof(char *));
        if (!a->rf_argv)
                return -ENOMEM;
        a->rf_argv[a->rf_argc++] = argv[0];
        a->command_index = -1;
        for (i = 1; i < argc; i++) {
                const char *s = argv[i];
                if (!strncmp(s, "--", 2) && s[2]) {
                        const struct cli_option *o = long_option(s + 2);
                        if (!o)
                                return fail(err,
                                            "unknown option '%s', expected a "
                                            "ringfence option (" ME " --help) or "
                                            "-c 'RECIPE'",
                                            s);
                        a->help |= !strcmp(o->name, "help");
                        a->version |= !strcmp(o->name, "version");
                        a->rf_argv[a->rf_argc++] = argv[i];
                        if (o->arg && !strchr(s, '=')) {
                                if (i + 1 >= argc)
                                        return fail(err, "%s: expected %s after it", s, o->arg);
                                a->rf_argv[a->rf_argc++] = argv[++i];
                        }
                        if (!strcmp(o->name, "shell"))
                                a->shell = strchr(s, '=') ? strchr(s, '=') + 1 : argv[i];
                        continue;
                }
                if (s[0] != '-' && s[0] != '+') {
                        /* $(SHELL) SCRIPT ARGS, as gnulib's and libtool's Makefiles use it */
                        a->command_index = i;
                        a->script = true;
                        return 0;
                }
                /* The shell's flags: -e, -ec, +x, -o NAME, -euo NAME (o last takes the next
                 * argument), as .SHELLFLAGS may give them; c (only after -) ends them. */
                name_arg = strchr(s + 1, 'o');
                if (!s[1] || strspn(s + 1, "abCefhmnuvxoc") != strlen(s + 1) ||
                    (s[0] == '+' && strchr(s, 'c')) || (name_arg && name_arg[1]))
                        return fail(err,
                                    "unexpected argument '%s', "
                                    "expected [--OPTION...] [-e] [-o NAME] -c 'RECIPE'",
                                    s);
                if (a->n_sh_flags >= 14)
                        return fail(err, "%s: too many shell flags", s);
                if (strchr(s, 'c')) {
                        /* -c, -ec, -xec: the shell flags around the c go to the shell too;
                         * -eco NAME: the option's name comes first, then the recipe */
                        int recipe = i + 1 + (name_arg != NULL);
                        if (strcmp(s, "-c") != 0)
                                a->sh_flags[a->n_sh_flags++] = argv[i];
                        if (name_arg && i + 1 < argc)
                                a->sh_flags[a->n_sh_flags++] = argv[i + 1];
                        if (recipe >= argc)
                                return fail(err, "%s: expected %sa recipe after it", s,
                                            name_arg ? "an option name and " : "");
                        a->command_index = recipe;
                        return 0;
                }
                a->sh_flags[a->n_sh_flags++] = argv[i];
                if (name_arg) {
                        if (i + 1 >= argc)
                                return fail(err, "%s: expected an option name after it", s);
                        a->sh_flags[a->n_sh_flags++] = argv[++i];
                }
        }
        if (!a->help && !a->version)
                return fail(err, "no recipe given, expected [--OPTION...] [-e] -c "
                                 "'RECIPE' or a SCRIPT (" ME " does not read stdin)");
        return 0;
}

/* Apply each whitespace-separated word of the environment variable var with fn. */
static int each_word(const char *var, int (*fn)(rf_policy *, const char *, rf_error *),
                     rf_policy *p, rf_error *err)
{
        const char *v = getenv(var);
        char *copy, *save = NULL;
        int r = 0;

        if (!v || !*v)
                return 0;
        copy = strdup(v);
        if (!copy)
                return -ENOMEM;
        for (char *w = strtok_r(copy, " \t\n", &save); w && r >= 0;
             w = strtok_r(NULL, " \t\n", &save)) {
                r = fn(p, w, err);
                if (r < 0 && strncmp(err->msg, var, strlen(var)) != 0) {
                        char msg[sizeof(err->msg)];
                        snprintf(msg, sizeof(msg), "%s", err->msg);
                        snprintf(err->msg, sizeof(err->msg), "%s: %.200s", var, msg);
                }
        }
        free(copy);
        return r;
}

static int load_word(rf_policy *p, const char *w, rf_error *err)
{
        return rf_policy_load(p, w, err);
}

static int set_word(rf_policy *p, const char *w, rf_error *err)
{
        const char *eq = strchr(w, '=');
        char key[64];

        if (!eq || eq == w || (size_t)(eq - w) >= sizeof(key))
                return fail(err, "invalid setting '%s', expected KEY=VALUE", w);
        snprintf(key, sizeof(key), "%.*s", (int)(eq - w), w);
        return rf_policy_set(p, key, eq + 1, "RINGFENCE_SET", err);
}

/* Pass make's jobserver into the sandbox, so that a sub-make run by a recursive recipe keeps its
 * -j. The last --jobserver-auth= of MAKEFLAGS counts: R,W (make before 4.4) passes both fds when
 * they are open here; fifo:PATH (make 4.4 and later) binds that fifo in, read-write at the same
 * path, when it is one. ringfence-sh itself takes no token: make took one for this recipe. */
static int pass_jobserver(rf_policy *p, rf_error *err)
{
        const char *mf = getenv("MAKEFLAGS"), *s, *last = NULL, *end;
        int rfd, wfd, r;
        char buf[16];

        /* make's flags end at the word "--"; the command line's variables follow, whose values
         * are not make's jobserver. */
        end = mf ? strstr(mf, " -- ") : NULL;
        if (mf && !end)
                end = mf + strlen(mf);
        for (s = mf; s && (s = strstr(s, "--jobserver-auth=")) && s < end; s++)
                if (s == mf || s[-1] == ' ')
                        last = s + strlen("--jobserver-auth=");
        if (last && !strncmp(last, "fifo:/", 6)) {
                char path[PATH_MAX];
                size_t n = strcspn(last + 5, " \t\\");
                struct stat st;

                if (n >= sizeof(path))
                        return 0;
                memcpy(path, last + 5, n);
                path[n] = '\0';
                if (stat(path, &st) < 0 || !S_ISFIFO(st.st_mode))
                        return 0;
                return rf_policy_set(p, "fs.rw", path, "MAKEFLAGS", err);
        }
        if (!last || sscanf(last, "%d,%d", &rfd, &wfd) != 2 || rfd < 3 || wfd < 3)
                return 0;
        if (fcntl(rfd, F_GETFD) < 0 || fcntl(wfd, F_GETFD) < 0)
                return 0;
        snprintf(buf, sizeof(buf), "%d", rfd);
        if ((r = rf_policy_set(p, "fd", buf, "MAKEFLAGS", err)) < 0)
                return r;
        snprintf(buf, sizeof(buf), "%d", wfd);
        return rf_policy_set(p, "fd", buf, "MAKEFLAGS", err);
}

/* The policy: flags' --policy, $RINGFENCE_POLICY (or the build policy), the other flags,
 * $RINGFENCE_SET; then what ringfence-sh itself needs. */
static rf_policy *make_policy(struct sh_args *a, rf_error *err)
{
        struct cli_result cr = { 0 };
        bool named = false;
        rf_policy *p;
        int r;

        p = rf_policy_new_default(err);
        if (!p)
                return NULL;
        for (int i = 1; i < a->rf_argc; i++)
                named |= !strcmp(a->rf_argv[i], "--policy") ||
                         !strncmp(a->rf_argv[i], "--policy=", 9);
        named |= getenv("RINGFENCE_POLICY") && *getenv("RINGFENCE_POLICY");
        r = named ? 0 : rf_policy_load(p, "build", err);
        if (r >= 0)
                r = cli_apply_policies(sh_options, a->rf_argc, a->rf_argv, 1, p, err);
        if (r >= 0)
                r = each_word("RINGFENCE_POLICY", load_word, p, err);
        if (r >= 0)
                r = cli_parse(sh_options, a->rf_argc, a->rf_argv, 1, p, &cr, err);
        if (r >= 0)
                r = each_word("RINGFENCE_SET", set_word, p, err);
        if (r >= 0)
                r = pass_jobserver(p, err);
        if (r >= 0) {
                static const char *const pass[] = { "MAKEFLAGS", "MFLAGS", "MAKELEVEL" };
                for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]) && r >= 0; i++)
                        r = rf_policy_set(p, "env.pass", pass[i], ME, err);
        }
        if (r >= 0)
                r = rf_policy_set(p, "env.set", INSIDE_VAR "=1", ME, err);
        if (r < 0)
                p = rf_policy_free(p);
        return p;
}

/* Whether we already run inside a sandbox: our own marker, and a process that holds no
 * capabilities, may gain none (no_new_privs) and is under a seccomp filter, where no new
 * sandbox could be made. The marker alone proves nothing (anyone can set a variable); the
 * three together mean whoever started us confined us already. */
static bool inside_sandbox(void)
{
        char line[256];
        int confined = 0;
        FILE *f;

        if (!getenv(INSIDE_VAR))
                return false;
        f = fopen("/proc/self/status", "re");
        if (!f)
                return false;
        while (fgets(line, sizeof(line), f))
                confined += !strcmp(line, "NoNewPrivs:\t1\n") || !strcmp(line, "Seccomp:\t2\n") ||
                            !strcmp(line, "CapEff:\t0000000000000000\n") ||
                            !strcmp(line, "CapBnd:\t0000000000000000\n");
        fclose(f);
        return confined == 4;
}

/* The shell: --shell, else $RINGFENCE_SH_SHELL, else /bin/sh; NULL when not an absolute path. */
static const char *shell_path(const struct sh_args *a)
{
        const char *sh = a->shell ? a->shell : getenv("RINGFENCE_SH_SHELL");

        if (!sh || !*sh)
                return "/bin/sh";
        return sh[0] == '/' ? sh : NULL;
}

/* argv for the sandbox: the shell, its flags, -c, the recipe and what follows it. */
static char **shell_argv(int argc, char **argv, const struct sh_args *a, const char *shell)
{
        char **v = calloc((size_t)a->n_sh_flags + (size_t)argc + 3, sizeof(char *));
        int n = 0;

        if (!v)
                return NULL;
        v[n++] = (char *)shell;
        for (int i = 0; i < a->n_sh_flags; i++)
                v[n++] = a->sh_flags[i];
        if (!a->script)
                v[n++] = (char *)"-c";
        for (int i = a->command_index; i < argc; i++)
                v[n++] = argv[i];
        return v;
}

/* $PWD as the policy's $PWD: make -C DIR changes the directory but not the variable. */
static void fix_pwd(void)
{
        char *cwd = getcwd(NULL, 0);
        if (cwd)
                setenv("PWD", cwd, 1);
        free(cwd);
}

int main(int argc, char **argv)
{
        struct sh_args a = { 0 };
        rf_error err = { 0 };
        rf_run_options opts;
        rf_result res;
        rf_policy *p = NULL;
        char **sh = NULL;
        const char *shell;
        int r, status = 125;

        rf_set_log_handler(cli_log, NULL);
        if (parse_args(argc, argv, &a, &err) < 0) {
                fprintf(stderr, ME ": %s\n", err.msg[0] ? err.msg : "out of memory");
                goto out;
        }
        if (a.help || a.version) {
                if (a.help)
                        usage();
                else
                        printf(ME " %s\n", rf_version());
                status = 0;
                goto out;
        }
        shell = shell_path(&a);
        if (!shell) {
                fprintf(stderr, ME ": %s '%s': expected an absolute path\n",
                        a.shell ? "--shell" : "RINGFENCE_SH_SHELL",
                        a.shell ? a.shell : getenv("RINGFENCE_SH_SHELL"));
                goto out;
        }
        sh = shell_argv(argc, argv, &a, shell);
        if (!sh) {
                fprintf(stderr, ME ": out of memory\n");
                goto out;
        }
        if (inside_sandbox()) {
                /* The sandbox we are in holds this recipe already; none can be made in it. */
                execv(shell, sh);
                fprintf(stderr, ME ": exec %s: %s\n", shell, strerror(errno));
                status = errno == ENOENT ? 127 : 126;
                goto out;
        }
        fix_pwd();
        p = make_policy(&a, &err);
        if (!p) {
                fprintf(stderr, ME ": %s\n", err.msg);
                goto out;
        }
        rf_run_options_init(&opts);
        opts.signal_fd = cli_signal_fd();
        r = rf_run(p, sh, &opts, &res, &err);
        if (r < 0 && res.status != RF_STATUS_SPAWN_ERROR)
                fprintf(stderr, ME ": %s\n", err.msg);
        else if (res.status == RF_STATUS_SPAWN_ERROR)
                fprintf(stderr, ME ": %s\n", res.error);
        else if (res.status == RF_STATUS_TIMEOUT)
                fprintf(stderr, ME ": time limit reached, recipe killed\n");
        else if (res.limit[0])
                fprintf(stderr, ME ": %s limit reached, recipe stopped\n", res.limit);
        else if (res.status == RF_STATUS_VIOLATION)
                fprintf(stderr, ME ": recipe killed for refused system call %s\n",
                        res.n_violations ? res.violations[0].syscall : "(unknown)");
        status = res.exit_status;
        if (opts.signal_fd >= 0)
                close(opts.signal_fd);
out:
        rf_policy_free(p);
        free(sh);
        free(a.rf_argv);
        return status;
}
