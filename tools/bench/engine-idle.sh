#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Does the engine poll? Runs `ringfence batch -jJ -- sleep S` over J inputs and, while every
# job sleeps, reads the CPU time (/proc/PID/task/TID/schedstat: nanoseconds on a CPU) and the
# wake-ups (voluntary context switches) of each ringfence thread over a window of W seconds:
# the engine's thread (the main one) and the pool's workers. Near zero is the goal: a loop that
# polled would burn the whole window. See tools/bench/README.md.
#
# Usage: tools/bench/engine-idle.sh [J] [S] [W]     (defaults 8 jobs, 10 s each, 3 s window)
# Environment: RINGFENCE (default build/ringfence)
set -euo pipefail

J=${1:-8}
S=${2:-10}
W=${3:-3}
case $J$S$W in *[!0-9]*) echo "usage: $0 [J] [S] [W] (integers)" >&2; exit 2 ;; esac
[ "$W" -lt "$S" ] || { echo "the window W must be shorter than the jobs' S seconds" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RINGFENCE=${RINGFENCE:-$here/../../build/ringfence}
[ -x "$RINGFENCE" ] || { echo "engine-idle.sh: $RINGFENCE is not built" >&2; exit 2; }

# "TID NS_ON_CPU VOLUNTARY_SWITCHES" for every thread of pid $1.
sample() {
        local t
        for t in /proc/"$1"/task/*; do
                echo "${t##*/} $(cut -d' ' -f1 "$t/schedstat")" \
                        "$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status")"
        done
}

"$RINGFENCE" batch -j"$J" -- sleep "$S" ::: $(seq "$J") &
pid=$!
# The commands that run now: children of the jobs' inits, which are children of ringfence.
commands() {
        local n=0 i
        for i in $(pgrep -P "$1" || true); do n=$((n + $(pgrep -c -P "$i" || true))); done
        echo "$n"
}
# Start the window once all J commands run.
for _ in $(seq 600); do
        [ "$(commands "$pid")" -ge "$J" ] && break
        sleep 0.05
done
sleep 0.1
before=$(sample "$pid")
sleep "$W"
after=$(sample "$pid")
running=$(commands "$pid")
wait "$pid"
echo "# engine-idle: $J jobs of sleep $S, window $W s, commands running at its start: $J, at its end: $running;" \
        "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| thread | CPU time in the window | wake-ups in the window |"
echo "| --- | --- | --- |"
join <(echo "$before" | sort) <(echo "$after" | sort) | sort -n | awk -v pid="$pid" -v w="$W" '
        { name = $1 == pid ? "engine (main thread)" : "worker " $1
          printf "| %s | %.1f us (%.4f%% of the window) | %d |\n", name, ($4 - $2) / 1000,
                 ($4 - $2) / (w * 1e7), $5 - $3 }'
