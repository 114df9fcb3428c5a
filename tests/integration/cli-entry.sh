#!/bin/bash
# SPDX-License-Identifier: MIT
# The tool's entry points: --version and -V at the top level and after each subcommand print what
# `ringfence --version` prints; a subcommand without its command prints its usage on stderr.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 13

# rft ARGS...: run `ringfence ARGS...`, keeping stdout, stderr and the status.
rft() {
        LAST="ringfence $*"
        "$RINGFENCE" "$@" </dev/null >"$OUT" 2>"$ERR"
        RC=$?
}

rft --version
want=$(cat "$OUT")
check "ringfence --version: 'ringfence VERSION', exit 0" \
        eval '[ "$RC" = 0 ] && [[ "$want" =~ ^ringfence\ [0-9]+\.[0-9]+ ]]'
rft version
expect_eq "ringfence version: the same" "$RC:$(cat "$OUT"):$(cat "$ERR")" "0:$want:"
for args in "-V" "run --version" "run -V" "batch --version" "batch -V" "policy --version" \
        "policy -V" "results --version" "results -V"; do
        # shellcheck disable=SC2086 # the words of args are the arguments
        rft $args
        expect_eq "ringfence $args: the same, exit 0" "$RC:$(cat "$OUT"):$(cat "$ERR")" "0:$want:"
done

rft results
check "ringfence results without a command: its usage on stderr, exit 125 as policy's" \
        eval '[ "$RC" = 125 ] && [ ! -s "$OUT" ] && has_line "$ERR" "^Usage: ringfence results merge" && ! has_line "$ERR" "unknown command"'
rft policy
check "... which is what ringfence policy without a command does" \
        eval '[ "$RC" = 125 ] && [ ! -s "$OUT" ] && has_line "$ERR" "^Usage: ringfence policy"'
exit 0
