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

# shellcheck source=tools/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init spawn-cost
RINGFENCE_ALT=${RINGFENCE_ALT:-}
case $RINGFENCE_ALT in /* | "") ;; *) RINGFENCE_ALT=$PWD/${RINGFENCE_ALT#./} ;; esac

# --- the variants: name, what it is, the command one job runs --------------------------------
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

# One timed run of variant $1 with $2 jobs ($3, J, is fixed); prints elapsed seconds, returns
# non-zero on failure.
run_variant() {
        local i=$1 n=$2 t0 t1 rc=0
        t0=$(now)
        if [ "${cmds[$i]}" = REF ]; then
                "$tmp/vfork-ref" -n "$n" "$J" /bin/true >/dev/null 2>>"$tmp/err.$i" || rc=$?
        else
                # shellcheck disable=SC2086 # the command is split into words on purpose
                seq "$n" | xargs -P"$J" -n1 ${cmds[$i]} >/dev/null 2>>"$tmp/err.$i" || rc=$?
        fi
        t1=$(now)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
        return $rc
}

# One job of variant $1, which must exit 0; prints why it failed when it does not.
check_variant() {
        local check out
        if [ "${cmds[$1]}" = REF ]; then
                check=("$tmp/vfork-ref" -n 1 1 /bin/true)
        else
                # shellcheck disable=SC2206
                check=(${cmds[$1]})
        fi
        out=$("${check[@]}" 2>&1 >/dev/null) && return 0
        echo "${out:-exit status non-zero}"
        return 1
}

bench_keep
bench_header "ringfence spawn cost: $N jobs of /bin/true per variant, $J in flight, $ROUNDS rounds"
if [[ " ${names[*]} " == *" bwrap "* ]]; then echo "# bwrap:   $(bwrap --version)"; fi
mtime() { date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ; }
if [[ " ${names[*]} " == *" ringfence "* || " ${names[*]} " == *" ringfence-share-net "* ]]; then
        echo "# ringfence: $RINGFENCE (built $(mtime "$RINGFENCE"))"
fi
if [[ " ${names[*]} " == *" ringfence-alt "* ]]; then
        echo "# ringfence-alt: $RINGFENCE_ALT (built $(mtime "$RINGFENCE_ALT"))"
fi
for note in "${notes[@]}"; do echo "# note:    $note"; done

bench_rounds "$J"

echo "# load:    $(bench_load) at end"
echo
# Per round: jobs/s = N / secs and ratio = jobs/s / jobs/s of ref in that round. Per variant:
# medians over the rounds, and the range of the ratio.
awk -v n="$N" -v j="$J" -v order="${names[*]}" -v descs="$(printf '%s\n' "${descs[@]}")" "$bench_awk"'
{ rate[$1, $2, $3] = n / $4; bad[$3] += !$5; rounds[$1] = 1; if ($1 > nr) nr = $1 }
END {
        nv = split(order, names, " ")
        split(descs, desc, "\n")
        for (r in rounds)
                for (i = 1; i <= nv; i++) {
                        v = names[i]
                        rates[v] = rates[v] " " rate[r, j, v]
                        ratios[v] = ratios[v] " " rate[r, j, v] / rate[r, j, "ref"]
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
        J[1] = j
        per_round(nr, 1, J, nv, names, 0)
}' "$tmp/times"
