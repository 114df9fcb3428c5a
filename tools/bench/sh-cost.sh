#!/bin/bash
# SPDX-License-Identifier: MIT
# What ringfence-sh costs: (1) start-up, `ringfence-sh -c true` against `/bin/sh -c true` and
# `ringfence run -p build -- /bin/sh -c true` (perf stat -r N: task-clock and wall); (2) a build
# of this tree, `make -jJ TARGET` plainly and with SHELL=ringfence-sh, interleaved, ROUNDS each,
# medians and their ratio. The load average is printed before and after: on a shared machine
# give the ratio, not the seconds.
#
# Usage: tools/bench/sh-cost.sh [ROUNDS] [TARGET]   (defaults: 3, all-am: the whole tree, every
# recipe line in its own sandbox). STARTUP_RUNS (default 50) for perf stat; JOBS (default 2);
# BUILD_DIR (default: the build/ of the checkout) holds the ringfence and ringfence-sh to measure.
set -u
ROUNDS=${1:-3}
TARGET=${2:-all-am}
JOBS=${JOBS:-2}
N=${STARTUP_RUNS:-50}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BD=${BUILD_DIR:-$SRC/build}
[ -x "$BD/ringfence-sh" ] && [ -x "$BD/ringfence" ] || { echo "no ringfence-sh in $BD" >&2; exit 1; }
command -v perf >/dev/null || { echo "perf is needed" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/rf-sh-cost.XXXXXX")
trap 'rm -rf "$W"' EXIT
chmod 755 "$W"
mkdir "$W/tool" && cp "$BD/ringfence-sh" "$W/tool/" && chmod -R a+rX "$W/tool"
export RINGFENCE_POLICY=$SRC/policies/build.policy
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"

# --- start-up --------------------------------------------------------------------------------
cd "$W" || exit 1
startup() {
        perf stat -x, -e task-clock -r "$N" "$@" 2>"$W/perf" >/dev/null
        local ms wall
        ms=$(awk -F, '/task-clock/ { printf "%.2f", $1 }' "$W/perf")
        # perf -x prints no elapsed time: measure the wall time of N runs ourselves
        local t0 t1
        t0=$(date +%s%N)
        for ((i = 0; i < N; i++)); do "$@" >/dev/null; done
        t1=$(date +%s%N)
        wall=$(awk "BEGIN { printf \"%.2f\", ($t1 - $t0) / $N / 1e6 }")
        printf '| %-52s | %8s ms | %8s ms |\n' "$*" "$ms" "$wall"
}
echo
echo "| start-up of | task-clock | wall |"
echo "| --- | --- | --- |"
startup /bin/sh -c true
startup "$W/tool/ringfence-sh" -c true
startup "$BD/ringfence" run -p "$RINGFENCE_POLICY" -- /bin/sh -c true

# --- a build of this tree ----------------------------------------------------------------------
B=$W/b
mkdir -p "$B" && cd "$B" && "$SRC/configure" -q >/dev/null 2>&1 || { echo "configure failed" >&2; exit 1; }
make -j"$JOBS" src/policy/default-bpf.c >/dev/null 2>&1 || { echo "make failed" >&2; exit 1; }
export RINGFENCE_SET="fs.ro=$SRC fs.ro=$W/tool"
one() {
        local -a sh=()
        [ "$1" = ringfence-sh ] && sh=(SHELL="$W/tool/ringfence-sh")
        make clean >/dev/null 2>&1
        make -j"$JOBS" src/policy/default-bpf.c >/dev/null 2>&1
        local t0 t1
        t0=$(date +%s%N)
        make -j"$JOBS" "${sh[@]}" "$TARGET" >"$W/make.out" 2>&1 || { tail "$W/make.out" >&2; exit 1; }
        t1=$(date +%s%N)
        echo "$1 $(((t1 - t0) / 1000000))" | tee -a "$W/times" >&2
}
for ((r = 0; r < ROUNDS; r++)); do
        if ((r % 2)); then one ringfence-sh; one plain; else one plain; one ringfence-sh; fi
done
echo
awk -v target="$TARGET" -v jobs="$JOBS" '
function median(a, n,   i, j, t) {
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
$1 == "plain" { p[++np] = $2 } $1 == "ringfence-sh" { s[++ns] = $2 }
END {
        mp = median(p, np); ms = median(s, ns)
        printf "make -j%s %s: plain median %.1f s (%d rounds), SHELL=ringfence-sh median %.1f s; ratio %.3f\n",
                jobs, target, mp / 1000, np, ms / 1000, ms / mp
}' "$W/times"
echo "times (ms): $(tr '\n' ' ' <"$W/times")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
