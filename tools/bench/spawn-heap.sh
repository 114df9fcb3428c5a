#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Does the cost of a spawn grow with the host's memory? Each mode of spawn-heap.c starts N
# /bin/true, J in flight, once from a small host and once from a host holding a touched heap of
# HEAP_MIB MiB (4 KiB pages); rounds are interleaved, the order rotated each round. Reports, per
# mode, the median jobs/s with and without the heap, the median of the per-round ratios
# heap/small (1.0: the heap costs nothing), and the ratio to the bare vfork reference of the
# same round. See tools/bench/README.md.
#
# Usage: tools/bench/spawn-heap.sh [N] [ROUNDS] [HEAP_MIB]    (defaults 200, 5, 1024)
# Environment: J (jobs in flight, default 2), MODES (default "ref batch run"; add fork, with a
#              small N: a copying spawn of a 1 GiB host runs about 1 job/s here), CC,
#              LIBRINGFENCE (default build/.libs/libringfence.a)
set -euo pipefail

N=${1:-200}
ROUNDS=${2:-5}
HEAP=${3:-1024}
J=${J:-2}
MODES=${MODES:-ref batch run}
case $N$ROUNDS$HEAP$J in *[!0-9]*) echo "usage: $0 [N] [ROUNDS] [HEAP_MIB] (integers)" >&2; exit 2 ;; esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
lib=${LIBRINGFENCE:-$root/build/.libs/libringfence.a}
[ -f "$lib" ] || { echo "spawn-heap.sh: $lib not found: build first (or set LIBRINGFENCE)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spawn-heap.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"${CC:-cc}" -std=gnu17 -O2 -Wall -Wextra -pthread -I"$root/include" -o "$tmp/spawn-heap" \
        "$here/spawn-heap.c" "$lib" -lseccomp -luring -ljansson -lm

read -r -a modes <<<"$MODES"
variants=()
for m in "${modes[@]}"; do variants+=("$m:0" "$m:$HEAP"); done
nv=${#variants[@]}

echo "# spawn-heap: N=$N J=$J rounds=$ROUNDS heap=${HEAP} MiB; $(date -u +%FT%TZ); $(nproc) CPUs;" \
        "load $(cut -d' ' -f1-3 /proc/loadavg); $(uname -r)"
for v in "${variants[@]}"; do # warm-up, and a check that every mode works
        "$tmp/spawn-heap" "${v%%:*}" 20 "$J" 0 >/dev/null || { echo "mode ${v%%:*} fails" >&2; exit 1; }
done
for ((r = 0; r < ROUNDS; r++)); do
        for ((k = 0; k < nv; k++)); do
                v=${variants[$(((k + r) % nv))]}
                out=$("$tmp/spawn-heap" "${v%%:*}" "$N" "$J" "${v##*:}") ||
                        { echo "round $r $v failed: $out" >&2; exit 1; }
                echo "$r ${v%%:*} ${v##*:} ${out%% *}" >>"$tmp/raw"
                echo "round $((r + 1))/$ROUNDS: $out" >&2
        done
done
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v heap="$HEAP" -v modes="$MODES" '
function median(a, n,   i, j, t) {
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ v[$1, $2, $3] = $4; rounds[$1] = 1 }
END {
        nm = split(modes, m, " ")
        printf "| mode | jobs/s small | jobs/s %d MiB | heap/small (median, min-max) | small/ref | heap/ref |\n", heap
        printf "| --- | --- | --- | --- | --- | --- |\n"
        for (i = 1; i <= nm; i++) {
                n = 0; lo = 1e9; hi = 0
                for (r in rounds) {
                        n++
                        s[n] = v[r, m[i], 0]; h[n] = v[r, m[i], heap]
                        q[n] = h[n] / s[n]; if (q[n] < lo) lo = q[n]; if (q[n] > hi) hi = q[n]
                        if (v[r, "ref", 0]) { rs[n] = s[n] / v[r, "ref", 0]; rh[n] = h[n] / v[r, "ref", 0] }
                }
                printf "| %s | %.0f | %.0f | %.2f (%.2f-%.2f) | %s | %s |\n", m[i], median(s, n), median(h, n),
                        median(q, n), lo, hi, rs[1] != "" ? sprintf("%.3f", median(rs, n)) : "-",
                        rh[1] != "" ? sprintf("%.3f", median(rh, n)) : "-"
        }
}' "$tmp/raw"
