#!/bin/bash
# SPDX-License-Identifier: MIT
# The programs of examples/ (built by make check against the library) run and print what their
# Description says, so that an example cannot rot. run-one and batch-args spawn sandboxes: they
# are skipped where `ringfence run` cannot make one (no root, no user namespaces).
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

EX=$TOP_BUILDDIR/examples
for e in run-one batch-args worker-thread ring; do
        [ -x "$EX/$e" ] || bail "$EX/$e is not built (make check builds the examples)"
done
plan 8

# ex NAME ARGS...: run example NAME; stdout in $OUT, stderr in $ERR, exit status in $RC.
ex() {
        local name=$1
        shift
        LAST="examples/$name $*"
        "$EX/$name" "$@" </dev/null >"$OUT" 2>"$ERR"
        RC=$?
}

rf -- true
if [ "$RC" != 0 ]; then
        why=$(head -c 300 "$ERR" | tr "\n" " ")
        for t in "run-one: the command's output, then its record; its exit status" \
                "run-one: a missing command is a spawn error, exit status 127" \
                "batch-args: each job's output, in input order" \
                "batch-args: the summary and exit status"; do
                skip_test "$t" "ringfence run cannot make a sandbox here: $why"
        done
else
        ex run-one sh -c 'echo hello; exit 3'
        sed -n 2p "$OUT" >"$WORK/record"
        expect_eq "run-one: the command's output, then its record; its exit status" \
                "$(head -n 1 "$OUT")|$(json_field "$WORK/record" status)|$(json_field \
                "$WORK/record" exit_status)|$RC" "hello|failed|3|3"
        ex run-one /nonexistent
        check "run-one: a missing command is a spawn error, exit status 127" \
                test "$RC:$(cat "$ERR")" = "127:run-one: /nonexistent: spawn-error, exit status 127"
        ex batch-args a b 'c d'
        expect_eq "batch-args: each job's output, in input order" "$(cat "$OUT")" \
                "job 1: a
job 2: b
job 3: c d"
        expect_eq "batch-args: the summary and exit status" "$(cat "$ERR"):$RC" \
                "batch-args: 3 jobs, 3 ok, 0 failed:0"
fi

ex worker-thread 100000
check "worker-thread: the primes below 100000, counted on the pool" \
        has_line "$OUT" '^primes below 100000: 9592 \([0-9]+ threads, 16 tasks\)$'
expect_rc "worker-thread: exit status 0" 0

ex ring
expect_eq "ring: every message arrives, in order" "$(head -n 1 "$OUT"):$RC" \
        "100000 messages in order, sum 14999850000:0"
check "ring: max message and wake-ups reported" \
        has_line "$OUT" '^messages up to [0-9]+ bytes; [0-9]+ wake-ups$'
