# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# What spawn-cost.sh and batch-throughput.sh share, sourced by both: setup, the list of variants,
# the header, the interleaved rounds against the vfork+execve reference, and the awk statistics
# (median, range) and per-round table of their reports. Not a program of its own.
#
# A script that sources it sets N and ROUNDS, calls bench_init, adds its variants with add
# (`ref` first), defines run_variant I N J (one timed run of variant I, N jobs, J in flight:
# prints the elapsed seconds, fails when a job failed) and check_variant I (one job of variant
# I: fails, printing why, when it does not exit 0), then calls bench_keep, bench_header and
# bench_rounds, and reads "$tmp/times".

bench_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# bench_init NAME: here and root (the folders), RINGFENCE made absolute (default ./build/ringfence,
# then <repo>/build/ringfence), tmp (a temporary folder, removed on exit) with $tmp/vfork-ref.
bench_init() {
        here=$bench_lib
        root=$(cd "$here/../.." && pwd)
        if [ -z "${RINGFENCE:-}" ]; then
                if [ -x ./build/ringfence ]; then RINGFENCE=./build/ringfence; else RINGFENCE=$root/build/ringfence; fi
        fi
        case $RINGFENCE in /*) ;; *) RINGFENCE=$PWD/${RINGFENCE#./} ;; esac
        tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
        trap 'rm -rf "$tmp"' EXIT
        "${CC:-cc}" -std=c17 -O2 -Wall -Wextra -o "$tmp/vfork-ref" "$here/vfork-ref.c"
}

now() { # seconds since the epoch, with microseconds, without a fork where bash allows it
        if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}

# --- the variants: name, what it is, the command ------------------------------------------------
names=() descs=() cmds=()
notes=()
add() { names+=("$1"); descs+=("$2"); cmds+=("$3"); }
wanted() { [ -z "${VARIANTS:-}" ] || [[ " $VARIANTS " == *" $1 "* ]]; }

# Keep the variants whose check_variant passes (a variant whose jobs fail would look fast); note
# the others. Sets nv; fails when the reference itself fails.
bench_keep() {
        local keep_n=() keep_d=() keep_c=() i out
        for i in "${!names[@]}"; do
                if out=$(check_variant "$i"); then
                        keep_n+=("${names[$i]}") keep_d+=("${descs[$i]}") keep_c+=("${cmds[$i]}")
                else
                        notes+=("${names[$i]}: skipped, one job failed: $out")
                fi
        done
        names=("${keep_n[@]}") descs=("${keep_d[@]}") cmds=("${keep_c[@]}")
        [ "${names[0]}" = ref ] || { echo "$(basename "$0" .sh): the reference itself fails" >&2; exit 1; }
        nv=${#names[@]}
}

bench_load() { cut -d' ' -f1-3 /proc/loadavg; }
bench_loadwarn() {
        local ncpu
        ncpu=$(nproc)
        if awk -v n="$ncpu" '{ exit !($1 > n) }' /proc/loadavg; then
                echo "# warning: the load average is above the CPU count ($ncpu): other work is running, expect noise"
        fi
}

# bench_header TITLE: the first lines of the report (what, when, where, how loaded).
bench_header() {
        echo "# $1"
        echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "# machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), kernel $(uname -r)"
        echo "# load:    $(bench_load) at start"
        bench_loadwarn
}

# bench_rounds "J...": a warm-up (page cache, binaries, lazily created kernel state), untimed, then
# ROUNDS interleaved rounds: round r runs every variant once per J, the order rotated by r. Each
# run is a line "ROUND J VARIANT SECONDS OK [EXTRA...]" in $tmp/times, EXTRA what round_extra
# prints after the run (nothing unless the script defines it again).
round_extra() { :; }
bench_rounds() {
        local js=$1 warm r j k i ok secs
        warm=$(( N < 50 ? N : 50 ))
        for j in $js; do
                for i in $(seq 0 $((nv - 1))); do run_variant "$i" "$warm" "$j" >/dev/null || true; done
        done
        : >"$tmp/times"
        for r in $(seq 1 "$ROUNDS"); do
                for j in $js; do
                        for k in $(seq 0 $((nv - 1))); do
                                i=$(( (k + r - 1) % nv ))
                                ok=1
                                secs=$(run_variant "$i" "$N" "$j") || ok=0
                                [ $ok = 1 ] || echo "# warning: round $r, J=$j, ${names[$i]}: some jobs failed" \
                                        "($(tail -n1 "$tmp/err.$i" 2>/dev/null))" >&2
                                echo "$r $j ${names[$i]} $secs $ok $(round_extra)" >>"$tmp/times"
                        done
                done
                echo "# round $r/$ROUNDS done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
        done
}

# awk functions for the reports, to put before an awk program. median and minmax take the values
# as one string separated by spaces; per_round prints every round, to judge the noise: ref in
# jobs/s, the others as ratios to it, from rate[ROUND, J, VARIANT] (a J column where show_j).
# shellcheck disable=SC2016,SC2034 # awk code, not shell; used by the scripts
bench_awk='
function median(s,    a, k, m, i, j, t) {
        k = split(s, a, " ")
        for (i = 2; i <= k; i++)        # insertion sort: POSIX awk has no asort
                for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
                        t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
                }
        m = int((k + 1) / 2)
        return k % 2 ? a[m] : (a[m] + a[m + 1]) / 2
}
function minmax(s, want_max,    a, k, i, v) {
        k = split(s, a, " ")
        v = a[1]
        for (i = 2; i <= k; i++)
                if (want_max ? a[i] + 0 > v + 0 : a[i] + 0 < v + 0) v = a[i]
        return v
}
function per_round(nr, nj, J, nv, names, show_j,    i, w, r, jj, j) {
        printf "\nper round: ref in jobs/s, every other variant as its ratio to ref\n%-6s", "round"
        if (show_j) printf " %2s", "J"
        for (i = 1; i <= nv; i++) {
                w[i] = length(names[i]) < 7 ? 7 : length(names[i])
                printf " %" w[i] "s", names[i]
        }
        printf "\n"
        for (r = 1; r <= nr; r++)
                for (jj = 1; jj <= nj; jj++) {
                        j = J[jj]
                        printf "%-6d", r
                        if (show_j) printf " %2d", j
                        for (i = 1; i <= nv; i++)
                                if (names[i] == "ref")
                                        printf " %" w[i] ".0f", rate[r, j, "ref"]
                                else
                                        printf " %" w[i] ".3f", rate[r, j, names[i]] / rate[r, j, "ref"]
                        printf "\n"
                }
}
'
