#!/bin/bash
# SPDX-License-Identifier: MIT
# ringfence-sh as make calls it: -c, -e, -ec, options before -c, the policy from RINGFENCE_POLICY
# and RINGFENCE_SET, exit statuses passed through (128+N for a signal, 125 for its own errors),
# writes outside the tree refused, the build policy as root, nesting, and an ordinary user.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

SH_TOOL=${RINGFENCE_SH:-$TOP_BUILDDIR/ringfence-sh}
[ -x "$SH_TOOL" ] || bail "ringfence-sh was not built ($SH_TOOL)"
# The build policy of this tree, not an installed one.
export RINGFENCE_POLICY=$TOP_SRCDIR/policies/build.policy
unset RINGFENCE_SET RINGFENCE_SH_INSIDE

plan 36

# A tree owned by the caller (root when the suite runs as root), not writable by others.
TREE=$WORK/tree
mkdir -p "$TREE" && chmod 755 "$WORK" "$TREE" && cd "$TREE" || bail "cannot make $TREE"

# sh_run ARGS...: run ringfence-sh ARGS... (stdin /dev/null) like rf runs ringfence run.
sh_run() {
        local t0 t1
        LAST="ringfence-sh $*"
        t0=$(date +%s%N)
        "${RF_PREFIX[@]}" "$SH_TOOL" "$@" </dev/null >"$OUT" 2>"$ERR"
        RC=$?
        t1=$(date +%s%N)
        WALL_MS=$(((t1 - t0) / 1000000))
}
lines() { wc -l <"$1" | tr -d ' '; }

# --- the shell's flags and the recipe ---------------------------------------------------------
sh_run -c 'echo "$((6 * 7)) $(echo nested)"; for i in a b; do printf %s "$i"; done; echo'
check "-c runs shell syntax (arithmetic, substitution, loops)" \
        eval '[ "$RC" = 0 ] && [ "$(cat "$OUT")" = "42 nested
ab" ]'
sh_run -c 'exit 42'
expect_rc "-c: the recipe's exit status is passed through unchanged" 42
sh_run -c 'false; echo after'
check "-c without -e: a failed command does not stop the recipe" \
        eval '[ "$RC" = 0 ] && has_line "$OUT" "^after$"'
sh_run -ec 'false; echo after'
check "-ec (as .SHELLFLAGS gives it): the first failure ends the recipe with its status" \
        eval '[ "$RC" = 1 ] && ! has_line "$OUT" after'
sh_run -e -c '(exit 3); echo after'
check "-e -c as two flags: the same" eval '[ "$RC" = 3 ] && ! has_line "$OUT" after'
sh_run -c 'echo "$0|$1|$2"' name one two
expect_eq "-c RECIPE NAME ARGS: \$0 and the positional parameters" "$(cat "$OUT")" "name|one|two"
sh_run -xc 'echo traced'
check "-xc: the shell's trace goes to stderr" eval 'has_line "$ERR" "^\+ echo traced$" && [ "$RC" = 0 ]'
printf 'echo "script $1"; exit 4\n' >"$TREE/s.sh"
sh_run s.sh arg
check "SCRIPT ARGS (as \$(SHELL) script.sh in gnulib's Makefiles): /bin/sh runs it" \
        eval '[ "$RC" = 4 ] && [ "$(cat "$OUT")" = "script arg" ]'
sh_run -c 'nosuchcommand-xyz'
expect_rc "a missing command: 127, as /bin/sh gives it" 127
sh_run +e -c 'false; echo after'
check "+e (a flag turned off): accepted and passed to the shell" eval '[ "$RC" = 0 ] && has_line "$OUT" "^after$"'
sh_run -o pipefail -c 'false | true'
/bin/sh -o pipefail -c 'false | true' 2>/dev/null
expect_eq "-o NAME goes to /bin/sh as it is: the status /bin/sh itself gives" "$RC" "$?"
# Makefiles written for bash (.SHELLFLAGS = -eu -o pipefail -c): the shell is theirs to pick.
if [ -x /bin/bash ]; then
        sh_run --shell=/bin/bash -eu -o pipefail -c 'false | true; echo after'
        check "--shell=/bin/bash -eu -o pipefail -c: a failing pipe ends the recipe (1)" \
                eval '[ "$RC" = 1 ] && ! has_line "$OUT" after'
        sh_run --shell=/bin/bash -eco pipefail 'false | true; echo after'
        check "--shell=/bin/bash -eco pipefail RECIPE (the name, then the recipe): as bash, 1" \
                eval '[ "$RC" = 1 ] && ! has_line "$OUT" after'
        RINGFENCE_SH_SHELL=/bin/bash sh_run -euo pipefail -c 'echo "${BASH_VERSION:+bash}"'
        check "RINGFENCE_SH_SHELL=/bin/bash, -euo pipefail -c: bash runs the recipe" \
                eval '[ "$RC" = 0 ] && [ "$(cat "$OUT")" = bash ]'
else
        skip_test "--shell=/bin/bash -eu -o pipefail -c: a failing pipe ends the recipe (1)" "no /bin/bash"
        skip_test "--shell=/bin/bash -eco pipefail RECIPE (the name, then the recipe): as bash, 1" "no /bin/bash"
        skip_test "RINGFENCE_SH_SHELL=/bin/bash, -euo pipefail -c: bash runs the recipe" "no /bin/bash"
fi
sh_run --shell=bash -c true
check "--shell with a relative name: 125 and one line" \
        eval '[ "$RC" = 125 ] && [ "$(lines "$ERR")" = 1 ] && has_line "$ERR" "expected an absolute path"'

# --- signals ----------------------------------------------------------------------------------
sh_run -c 'kill -TERM $$'
expect_rc "a recipe killed by SIGTERM: 128+15" 143
sh_run -c 'kill -SEGV $$'
expect_rc "a recipe killed by SIGSEGV: 128+11" 139

# --- ringfence-sh's own errors ------------------------------------------------------------------
sh_run --bogus -c true
check "an unknown option: 125 and one line naming it" \
        eval '[ "$RC" = 125 ] && [ "$(lines "$ERR")" = 1 ] && has_line "$ERR" "^ringfence-sh: .*--bogus"'
sh_run -e
check "no -c: 125 and one line saying what was expected" \
        eval '[ "$RC" = 125 ] && [ "$(lines "$ERR")" = 1 ] && has_line "$ERR" "expected .*-c"'
sh_run -c
check "-c without a recipe: 125" eval '[ "$RC" = 125 ] && [ "$(lines "$ERR")" = 1 ]'
RINGFENCE_SET="limit.memory=lots" sh_run -c true
check "a bad RINGFENCE_SET: 125 and one line naming the variable and the setting" \
        eval '[ "$RC" = 125 ] && [ "$(lines "$ERR")" = 1 ] && has_line "$ERR" "RINGFENCE_SET.*limit.memory"'
RINGFENCE_POLICY=$WORK/nosuch.policy sh_run -c true
check "a missing RINGFENCE_POLICY file: 125 and one line naming it" \
        eval '[ "$RC" = 125 ] && [ "$(lines "$ERR")" = 1 ] && has_line "$ERR" "nosuch.policy"'

# --- where the policy comes from ----------------------------------------------------------------
sh_run --setenv GREETING=flag -c 'echo "$GREETING"'
expect_eq "options before -c shape the sandbox (--setenv)" "$(cat "$OUT")" "flag"
RINGFENCE_SET="env.set=GREETING=env" sh_run --setenv GREETING=flag -c 'echo "$GREETING"'
expect_eq "RINGFENCE_SET overrides the options before -c" "$(cat "$OUT")" "env"
rm -f "$TREE/made"
RINGFENCE_POLICY=default sh_run -c 'echo x > made'
check "RINGFENCE_POLICY=default: the tree is read-only" \
        eval '[ "$RC" != 0 ] && [ ! -e "$TREE/made" ]'
sh_run -c 'echo x > made'
check "the build policy: the recipe writes into the tree (owned by $(id -un))" \
        eval '[ "$RC" = 0 ] && [ "$(cat "$TREE/made" 2>/dev/null)" = x ]'

# --- confinement --------------------------------------------------------------------------------
mkdir -p "$WORK/outside" && chmod 777 "$WORK/outside"
sh_run -c "echo x > '$WORK/outside/file'; echo y > /usr/rf-sh-\$\$; echo z > '$HOME/rf-sh-test-$$'"
check "writes outside the tree do not reach the host" \
        eval '[ "$RC" != 0 ] && [ ! -e "$WORK/outside/file" ] && [ ! -e "$HOME/rf-sh-test-$$" ] && ! ls /usr/rf-sh-* >/dev/null 2>&1'
sh_run -c 'cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " \n"'
expect_eq "no network but loopback" "$(cat "$OUT")" "lo"
sh_run -c 'test -w /proc/sys/kernel/core_pattern && echo core_pattern; test -w /proc/sysrq-trigger && echo sysrq; echo done'
check "the kernel's knobs under /proc are not writable (also as the caller's root)" \
        eval '[ "$(cat "$OUT")" = done ]'
if [ "$(id -u)" = 0 ]; then
        sh_run -c 'id -u; grep -c . /etc/shadow; ls /etc/ssh | wc -l'
        check "as root: uid 0 with no capability, /etc/shadow and /etc/ssh hidden" \
                eval '[ "$(head -1 "$OUT")" = 0 ] && ! grep -q "^[1-9]" <(sed -n 2,3p "$OUT")'
else
        skip_test "as root: uid 0 with no capability, /etc/shadow and /etc/ssh hidden" "not root"
fi
sh_run -c 'grep -E "^Cap(Eff|Bnd)" /proc/self/status | cut -f2 | sort -u'
expect_eq "no capabilities inside" "$(cat "$OUT")" "0000000000000000"

# --- nesting ----------------------------------------------------------------------------------
cp "$SH_TOOL" "$TREE/rfsh" && chmod 755 "$TREE/rfsh"
sh_run -c './rfsh -c "echo inner; exit 7"'
check "ringfence-sh inside its own sandbox runs the recipe in that sandbox" \
        eval '[ "$RC" = 7 ] && has_line "$OUT" "^inner$"'
RINGFENCE_SH_INSIDE=1 sh_run -c "echo x > '$WORK/outside/marker'"
check "the marker variable alone, outside a sandbox, does not turn the sandbox off" \
        eval '[ ! -e "$WORK/outside/marker" ]'

# Inside a sandbox of ringfence run (no marker), no new sandbox can be made: ringfence-sh must
# fail (125, one line) and not run the recipe, never report a recipe it did not run as a success.
cp "$RINGFENCE_POLICY" "$TREE/build.policy"
# (In a sanitizer build the leak check at its exit cannot run in a sandbox: it is turned off.)
LAST="ringfence run -- ./rfsh --policy=./build.policy -c 'echo ran'"
outer_net_for 30 "$RINGFENCE" run --set env.set=ASAN_OPTIONS=detect_leaks=0 -- \
        ./rfsh --policy=./build.policy -c 'echo ran; exit 0' </dev/null >"$OUT" 2>"$ERR"
RC=$?
expect_eq "inside ringfence run, where no sandbox can be made: 125, the recipe not run" \
        "$RC $(lines "$OUT")" "125 0"
check "... with one line saying why" \
        eval '[ "$(lines "$ERR")" = 1 ] && has_line "$ERR" "^ringfence-sh: io_uring_setup: "'

# --- an ordinary user ---------------------------------------------------------------------------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
        setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user true 2>/dev/null; then
        mkdir -p "$WORK/bin" "$WORK/utree" && cp "$SH_TOOL" "$WORK/bin/" && chmod 755 "$WORK/bin" &&
                chown 65534:65534 "$WORK/utree" && cp "$RINGFENCE_POLICY" "$WORK/bin/build.policy"
        chmod 644 "$WORK/bin/build.policy"
        ( cd "$WORK/utree" && RINGFENCE_POLICY=$WORK/bin/build.policy RF_PREFIX=(setpriv --reuid=65534 --regid=65534 --clear-groups) &&
                SH_TOOL=$WORK/bin/ringfence-sh && sh_run -ec 'id -u; echo x > made; exit 5'
                echo "$RC $(head -1 "$OUT") $(cat made 2>/dev/null)" >"$WORK/user-result" )
        expect_eq "as uid 65534: the recipe runs as the caller and writes its tree" \
                "$(cat "$WORK/user-result")" "5 65534 x"
else
        skip_test "as uid 65534: the recipe runs as the caller and writes its tree" \
                "not root, no setpriv, or no unprivileged user namespaces"
fi
