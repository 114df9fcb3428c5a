#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Per-job cost of `ringfence run -- /bin/true` against its peers, as ratios to a bare
# vfork+execve loop run in the same round. See tools/bench/README.md.
#
# Usage: tools/bench/spawn-cost.sh [N] [ROUNDS]      (defaults: N=1000 jobs, ROUNDS=5)
# Environment:
#   RINGFENCE   the ringfence binary (default: ./build/ringfence, then <repo>/build/ringfence)
#   RINGFENCE_ALT  a second ringfence binary (say, a patched build) to measure beside the first,
#               as variant ringfence-alt (default: none)
#   VARIANTS    which variants to run, space-separated (default: all that are available):
#               ref xargs bwrap ringfence ringfence-share-net ringfence-alt
#   CC          compiler for vfork-ref.c (default: cc)
set -euo pipefail

N=${1:-1000}
ROUNDS=${2:-5}
J=2
case $N$ROUNDS in *[!0-9]*) echo "usage: $0 [N] [ROUNDS] (positive integers)" >&2; exit 2 ;; esac
if [ "$N" -lt 1 ] || [ "$ROUNDS" -lt 1 ]; then
        echo "usage: $0 [N] [ROUNDS] (positive integers)" >&2
        exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "${RINGFENCE:-}" ]; then
        if [ -x ./build/ringfence ]; then RINGFENCE=./build/ringfence; else RINGFENCE=$root/build/ringfence; fi
fi
case $RINGFENCE in /*) ;; *) RINGFENCE=$PWD/${RINGFENCE#./} ;; esac
RINGFENCE_ALT=${RINGFENCE_ALT:-}
case $RINGFENCE_ALT in /* | "") ;; *) RINGFENCE_ALT=$PWD/${RINGFENCE_ALT#./} ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/spawn-cost.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -o "$tmp/vfork-ref" "$here/vfork-ref.c"

now() { # seconds since the epoch, with microseconds, without a fork where bash allows it
        if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}

# --- the variants: name, what it is, the command one job runs --------------------------------
names=() descs=() cmds=()
add() { names+=("$1"); descs+=("$2"); cmds+=("$3"); }
wanted() { [ -z "${VARIANTS:-}" ] || [[ " $VARIANTS " == *" $1 "* ]]; }
notes=()

# (a) The reference: one process doing vfork+execve, 2 in flight. Every ratio divides by it.
add ref "bare vfork+execve, J=$J (reference)" "REF"
wanted xargs && add xargs "xargs -P$J -n1 /bin/true" "/bin/true"
if wanted bwrap; then
        if command -v bwrap >/dev/null; then
                add bwrap "bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev" \
                        "bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev /bin/true"
        else
                notes+=("bwrap: skipped, not installed (Debian package bubblewrap)")
        fi
fi
for v in ringfence ringfence-share-net; do
        wanted $v || continue
        if [ ! -x "$RINGFENCE" ]; then
                notes+=("$v: skipped, no ringfence at $RINGFENCE (run make, or set RINGFENCE)")
                continue
        fi
        case $v in
        ringfence) add $v "ringfence run -- /bin/true" "$RINGFENCE run -- /bin/true" ;;
        ringfence-share-net)
                add $v "ringfence run --share net (no new netns)" \
                        "$RINGFENCE run --share net -- /bin/true" ;;
        esac
done
if [ -n "$RINGFENCE_ALT" ] && wanted ringfence-alt; then
        if [ -x "$RINGFENCE_ALT" ]; then
                add ringfence-alt "the same, RINGFENCE_ALT's binary" "$RINGFENCE_ALT run -- /bin/true"
        else
                notes+=("ringfence-alt: skipped, $RINGFENCE_ALT is not executable")
        fi
fi

# One timed run of variant $1 with $2 jobs; prints elapsed seconds, returns non-zero on failure.
run_variant() {
        local i=$1 n=$2 t0 t1 rc=0
        t0=$(now)
        if [ "${cmds[$i]}" = REF ]; then
                "$tmp/vfork-ref" "$n" "$J" /bin/true >/dev/null 2>>"$tmp/err.$i" || rc=$?
        else
                # shellcheck disable=SC2086 # the command is split into words on purpose
                seq "$n" | xargs -P"$J" -n1 ${cmds[$i]} >/dev/null 2>>"$tmp/err.$i" || rc=$?
        fi
        t1=$(now)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
        return $rc
}

# Check that each variant's job exits 0 before timing it; drop the ones that do not.
keep_n=() keep_d=() keep_c=()
for i in "${!names[@]}"; do
        if [ "${cmds[$i]}" = REF ]; then
                check=("$tmp/vfork-ref" 1 1 /bin/true)
        else
                # shellcheck disable=SC2206
                check=(${cmds[$i]})
        fi
        if out=$("${check[@]}" 2>&1 >/dev/null); then
                keep_n+=("${names[$i]}") keep_d+=("${descs[$i]}") keep_c+=("${cmds[$i]}")
        else
                notes+=("${names[$i]}: skipped, one job failed: ${out:-exit status non-zero}")
        fi
done
names=("${keep_n[@]}") descs=("${keep_d[@]}") cmds=("${keep_c[@]}")
[ "${names[0]}" = ref ] || { echo "spawn-cost: the reference itself fails" >&2; exit 1; }
nv=${#names[@]}

echo "# ringfence spawn cost: $N jobs of /bin/true per variant, $J in flight, $ROUNDS rounds"
echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), kernel $(uname -r)"
echo "# load:    $(cut -d' ' -f1-3 /proc/loadavg) at start"
if awk -v n="$(nproc)" '{ exit !($1 > n) }' /proc/loadavg; then
        echo "# warning: the load average is above the CPU count: other work is running, expect noise"
fi
if [[ " ${names[*]} " == *" bwrap "* ]]; then echo "# bwrap:   $(bwrap --version)"; fi
mtime() { date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ; }
if [[ " ${names[*]} " == *" ringfence "* || " ${names[*]} " == *" ringfence-share-net "* ]]; then
        echo "# ringfence: $RINGFENCE (built $(mtime "$RINGFENCE"))"
fi
if [[ " ${names[*]} " == *" ringfence-alt "* ]]; then
        echo "# ringfence-alt: $RINGFENCE_ALT (built $(mtime "$RINGFENCE_ALT"))"
fi
for note in "${notes[@]}"; do echo "# note:    $note"; done

# Warm-up (page cache, binaries, lazily created kernel state), untimed.
warm=$(( N < 50 ? N : 50 ))
for i in $(seq 0 $((nv - 1))); do run_variant "$i" "$warm" >/dev/null || true; done

# Interleaved rounds: round r runs every variant once, the order rotated by r.
: >"$tmp/times"
for r in $(seq 1 "$ROUNDS"); do
        for k in $(seq 0 $((nv - 1))); do
                i=$(( (k + r - 1) % nv ))
                ok=1
                secs=$(run_variant "$i" "$N") || ok=0
                [ $ok = 1 ] || echo "# warning: round $r, ${names[$i]}: some jobs failed" \
                        "($(tail -n1 "$tmp/err.$i" 2>/dev/null))" >&2
                echo "$r ${names[$i]} $secs $ok" >>"$tmp/times"
        done
        echo "# round $r/$ROUNDS done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done

echo "# load:    $(cut -d' ' -f1-3 /proc/loadavg) at end"
echo
# Per round: jobs/s = N / secs and ratio = jobs/s / jobs/s of ref in that round. Per variant:
# medians over the rounds, and the range of the ratio.
awk -v n="$N" -v order="${names[*]}" -v descs="$(printf '%s\n' "${descs[@]}")" '
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
{ rate[$1, $2] = n / $3; bad[$2] += !$4; rounds[$1] = 1; if ($1 > nr) nr = $1 }
END {
        nv = split(order, names, " ")
        split(descs, desc, "\n")
        for (r in rounds)
                for (i = 1; i <= nv; i++) {
                        v = names[i]
                        rates[v] = rates[v] " " rate[r, v]
                        ratios[v] = ratios[v] " " rate[r, v] / rate[r, "ref"]
                }
        printf "| %-19s | %7s | %7s | %12s | %13s | %s |\n", "variant", "jobs/s", "us/job",
               "ratio to ref", "ratio min-max", "what"
        printf "|%s|%s|%s|%s|%s|%s|\n", "---------------------", "--------:", "--------:",
               "-------------:", "--------------:", "---"
        for (i = 1; i <= nv; i++) {
                v = names[i]
                mr = median(rates[v])
                printf "| %-19s | %7.0f | %7.0f | %12.3f | %6.3f-%-6.3f | %s%s |\n", v, mr,
                       1e6 / mr, median(ratios[v]), minmax(ratios[v], 0), minmax(ratios[v], 1),
                       desc[i], bad[v] ? " (FAILED JOBS in " bad[v] " rounds)" : ""
        }
        # Every round, to judge the noise: ref in jobs/s, the others as ratios to it.
        printf "\nper round: ref in jobs/s, every other variant as its ratio to ref\n%-6s", "round"
        for (i = 1; i <= nv; i++) {
                w[i] = length(names[i]) < 7 ? 7 : length(names[i])
                printf " %" w[i] "s", names[i]
        }
        printf "\n"
        for (r = 1; r <= nr; r++) {
                printf "%-6d", r
                for (i = 1; i <= nv; i++)
                        if (names[i] == "ref")
                                printf " %" w[i] ".0f", rate[r, "ref"]
                        else
                                printf " %" w[i] ".3f", rate[r, names[i]] / rate[r, "ref"]
                printf "\n"
        }
}' "$tmp/times"
