#!/bin/bash
# SPDX-License-Identifier: MIT
# What ringfence-sh costs: (1) start-up, `ringfence-sh -c true` against `/bin/sh -c true`,
# `ringfence run -p build -- /bin/sh -c true` and, where bwrap is installed, the same shell in
# bubblewrap with every namespace new (perf stat -r N: task-clock and wall); (2) a build
# of this tree, `make -jJ TARGET` plainly and with SHELL=ringfence-sh, interleaved, ROUNDS each,
# medians and their ratio. The load average is printed before and after: on a shared machine
# give the ratio, not the seconds.
#
# Usage: tools/bench/sh-cost.sh [ROUNDS] [TARGET]   (defaults: 3, all-am: the whole tree, every
# recipe line in its own sandbox). Run it on an idle machine: each sandboxed recipe line is a
# session, hence a scheduler autogroup, of its own, so while other sessions load the machine a
# SHELL=ringfence-sh build gets a larger share of the CPU than a plain one and its wall time
# looks better than it is; the CPU ratio printed beside it does not depend on that.
# STARTUP_RUNS (default 50) for perf stat; JOBS (default 2); BUILD_DIR (default: the build/ of
# the checkout) holds the ringfence and ringfence-sh to measure.
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
if command -v bwrap >/dev/null; then
        startup bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev /bin/sh -c true
else
        echo "(bwrap: not installed, Debian package bubblewrap)"
fi

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
        local TIMEFORMAT='%R %U %S' real user sys
        # bash's time: the wall time, and the CPU time of make and every process it waited for
        # (the sandboxed recipe lines too: each init reaps its command, ringfence-sh its init).
        { time make -j"$JOBS" "${sh[@]}" "$TARGET" >"$W/make.out" 2>&1 ||
                { tail "$W/make.out" >&2; exit 1; }; } 2>"$W/time"
        read -r real user sys <"$W/time"
        awk -v m="$1" -v r="$real" -v u="$user" -v s="$sys" \
                'BEGIN { printf "%s %d %d\n", m, r * 1000, (u + s) * 1000 }' | tee -a "$W/times" >&2
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
$1 == "plain" { p[++np] = $2; pc[np] = $3 } $1 == "ringfence-sh" { s[++ns] = $2; sc[ns] = $3 }
END {
        mp = median(p, np); ms = median(s, ns); mpc = median(pc, np); msc = median(sc, ns)
        printf "make -j%s %s: plain median %.1f s (%d rounds), SHELL=ringfence-sh median %.1f s; wall ratio %.3f\n",
                jobs, target, mp / 1000, np, ms / 1000, ms / mp
        printf "CPU (user+sys of make and all it waited for): plain median %.1f s, SHELL=ringfence-sh %.1f s; CPU ratio %.3f\n",
                mpc / 1000, msc / 1000, msc / mpc
}' "$W/times"
echo "times (mode wall-ms cpu-ms): $(tr '\n' ' ' <"$W/times")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
