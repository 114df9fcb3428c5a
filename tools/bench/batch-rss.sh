#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Peak memory of `ringfence batch` against the number of jobs: a --dry-run stream of N inputs (the
# source, template and scheduler path without spawning) beside one of N/1000, and real runs of
# /bin/true jobs (default sandbox) at two sizes. Memory flat in the number of jobs is the goal.
# See tools/bench/README.md.
#
# Usage: tools/bench/batch-rss.sh [N]          (default: N=1000000 dry-run inputs)
# Environment:
#   RINGFENCE   the ringfence binary (default: ./build/ringfence, then <repo>/build/ringfence);
#               copied before the first run
#   REAL        sizes of the real runs, space-separated (default: "2000 20000"; "" skips them)
#   J           jobs in flight for every run (default: 8)
#   RF_ARGS     extra options for every `ringfence batch` (default: none; say, "-p none")
set -euo pipefail

N=${1:-1000000}
REAL=${REAL-2000 20000}
J=${J:-8}
RF_ARGS=${RF_ARGS:-}
case $N$J${REAL// /} in *[!0-9]*) echo "usage: $0 [N] (positive integer)" >&2; exit 2 ;; esac
if [ "$N" -lt 1 ] || [ "$J" -lt 1 ]; then echo "usage: $0 [N] (positive integer)" >&2; exit 2; fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "${RINGFENCE:-}" ]; then
        if [ -x ./build/ringfence ]; then RINGFENCE=./build/ringfence; else RINGFENCE=$root/build/ringfence; fi
fi
case $RINGFENCE in /*) ;; *) RINGFENCE=$PWD/${RINGFENCE#./} ;; esac
[ -x "$RINGFENCE" ] || { echo "batch-rss: no ringfence at $RINGFENCE (run make, or set RINGFENCE)" >&2; exit 1; }
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "batch-rss: $TIME is missing (Debian package time)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/batch-rss.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rf_built=$(date -u -r "$RINGFENCE" +%Y-%m-%dT%H:%M:%SZ)
cp "$RINGFENCE" "$tmp/ringfence"
RF=$tmp/ringfence

now() { if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi; }
# A 20 ms pause without forking a sleep (the machine is small): a read that times out on a FIFO
# nobody writes to.
mkfifo "$tmp/fifo"
exec 3<>"$tmp/fifo"
pause() { read -r -t 0.02 -u 3 _ || true; }

# measure LABEL N INPUT [OPTIONS...]: run `ringfence batch -j J OPTIONS -- /bin/true` on N inputs,
# from a pipe (INPUT=pipe: seq N | ringfence ..., the streaming case) or a regular file given
# with -a (INPUT=file: ringfence may read a file ahead), under /usr/bin/time. While it runs,
# sample VmHWM (peak resident set) and VmRSS of the ringfence process itself from
# /proc/PID/status every 20 ms. Appends one line to $tmp/rows.
measure() {
        local label=$1 n=$2 input=$3 tpid pid="" hwm=0 rss=0 peak_rss=0 t0 t1 rc=0 line k v
        shift 3
        # shellcheck disable=SC2206 # RF_ARGS is split into words on purpose
        local cmd=("$TIME" -f %M -o "$tmp/time" "$RF" batch -j "$J" $RF_ARGS "$@")
        t0=$(now)
        if [ "$input" = file ]; then
                seq "$n" >"$tmp/input"
                t0=$(now)
                "${cmd[@]}" -a "$tmp/input" -- /bin/true >/dev/null 2>"$tmp/err" </dev/null &
                tpid=$!
        else
                seq "$n" | "${cmd[@]}" -- /bin/true >/dev/null 2>"$tmp/err" &
                tpid=$!
        fi
        # ringfence is the only child of /usr/bin/time
        while kill -0 "$tpid" 2>/dev/null; do
                if [ -z "$pid" ]; then
                        # the file has no newline at its end: read fails but sets pid
                        read -r pid _ <"/proc/$tpid/task/$tpid/children" 2>/dev/null || true
                fi
                if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
                        while read -r k v _; do
                                case $k in
                                VmHWM:) [ "$v" -le "$hwm" ] || hwm=$v ;;
                                VmRSS:) rss=$v; [ "$v" -le "$peak_rss" ] || peak_rss=$v ;;
                                esac
                        done <"/proc/$pid/status" 2>/dev/null || true
                fi
                pause
        done
        wait "$tpid" || rc=$?
        if [ "$hwm" = 0 ]; then hwm=- rss=-; fi  # over before the first sample
        t1=$(now)
        line=$(tail -n1 "$tmp/time")
        case $line in *[!0-9]*|"") line=- ;; esac
        [ "$rc" = 0 ] || echo "# warning: $label: exit status $rc ($(grep -v '^Command' "$tmp/err" | tail -n1))" >&2
        echo "$label|$n|$input|$hwm|$rss|$line|$t0|$t1|$rc|$(grep -o '[0-9]* ok, [0-9]* failed' "$tmp/err" | tail -n1)" >>"$tmp/rows"
        rm -f "$tmp/input"
}

ncpu=$(nproc)
loadwarn() {
        if awk -v n="$ncpu" '{ exit !($1 > n) }' /proc/loadavg; then
                echo "# warning: the load average is above the CPU count ($ncpu): other work is running, expect noise"
        fi
}
small=$(( N / 1000 > 0 ? N / 1000 : 1 ))
echo "# ringfence batch peak memory: --dry-run of $small and $N inputs, real /bin/true runs of ${REAL:-(none)} jobs, -j $J${RF_ARGS:+ $RF_ARGS}"
echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# machine: $ncpu CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), kernel $(uname -r), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
echo "# load:    $(cut -d' ' -f1-3 /proc/loadavg) at start"
loadwarn
echo "# ringfence: $RINGFENCE (built $rf_built)"

: >"$tmp/rows"
measure dry-run "$small" pipe --dry-run
measure dry-run "$N" pipe --dry-run
measure dry-run "$small" file --dry-run
measure dry-run "$N" file --dry-run
for n in $REAL; do
        measure real "$n" pipe
        echo "# real run of $n jobs done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done

echo "# load:    $(cut -d' ' -f1-3 /proc/loadavg) at end"
loadwarn
echo
printf '| %-7s | %9s | %-5s | %11s | %13s | %16s | %8s | %8s | %s |\n' run jobs input "VmHWM (KiB)" \
        "time %M (KiB)" "VmRSS last (KiB)" "secs" "jobs/s" "jobs ok / failed"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' --------- ----------: ------- ------------: \
        --------------: ------------------: ---------: ---------: ---
while IFS='|' read -r label n input hwm rss tm t0 t1 rc okf; do
        secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
        rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
        [ "$label" = dry-run ] && okf="(nothing runs)"
        [ "$rc" = 0 ] || okf="$okf (exit $rc)"
        printf '| %-7s | %9s | %-5s | %11s | %13s | %16s | %8s | %8s | %s |\n' "$label" "$n" "$input" \
                "$hwm" "$tm" "$rss" "$secs" "$rate" "$okf"
        echo "$label-$input $n $hwm $tm" >>"$tmp/pairs"
done <"$tmp/rows"

echo
echo "growth from the smallest to the largest run of each kind (flat is the goal):"
awk '{ if (!($1 in n0)) { n0[$1] = $2; h0[$1] = $3; m0[$1] = $4; order[++k] = $1 }
       n1[$1] = $2; h1[$1] = $3; m1[$1] = $4 }
function grow(what, a, b, x) {
        printf "    %-14s %6d -> %6d KiB (%+6d KiB, %6.1f bytes per extra job)\n", what, a, b, b - a,
               (b - a) * 1024 / (n1[x] - n0[x])
}
END {
        for (i = 1; i <= k; i++) {
                x = order[i]
                if (n1[x] == n0[x]) continue
                printf "  %s, %d -> %d jobs:\n", x, n0[x], n1[x]
                grow("time %M", m0[x], m1[x], x)
                if (h0[x] != "-" && h1[x] != "-")
                        grow("VmHWM sampled", h0[x], h1[x], x)
        }
}' "$tmp/pairs"
