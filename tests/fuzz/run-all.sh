#!/bin/bash
# Runs every libFuzzer target of tests/fuzz/ for SECONDS each over its seed corpus (CI: 60), or
# each for RUNS inputs (the long run: --runs 10000000), and fails if any crashes, leaks, runs into
# undefined behaviour or times out. Build them first with `make fuzz`. New corpus entries go to a
# scratch folder (KEEP=DIR keeps them there, one folder a target, for a later -merge=1 into
# corpus/); the input that broke a target is kept in BUILDDIR/tests/fuzz/artifacts/TARGET/.
# TARGETS="policy ring" picks targets. Each line of the report gives the inputs run, the time
# taken and the corpus size.
# Usage: tests/fuzz/run-all.sh SECONDS|--runs RUNS [BUILDDIR]   (BUILDDIR: default ./build, else .)
set -u
usage() {
        echo "usage: $0 SECONDS|--runs RUNS [BUILDDIR]: SECONDS or RUNS must be a whole number such as 60" >&2
        exit 2
}
runs_limit=
if [ "${1:-}" = --runs ]; then
        runs_limit=${2:-}
        shift 2 2>/dev/null || usage
        secs=0
        case $runs_limit in '' | *[!0-9]*) usage ;; esac
else
        secs=${1:-}
        shift 2>/dev/null
fi
case $secs in
'' | *[!0-9]*) usage ;;
esac
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-}
[ -n "$build" ] || { [ -x build/tests/fuzz/fuzz_ring ] && build=build || build=.; }
targets=${TARGETS:-policy oci batch_source batch_template ring}
for t in $targets; do
        if [ ! -x "$build/tests/fuzz/fuzz_$t" ]; then
                echo "$0: $build/tests/fuzz/fuzz_$t is missing, expected it built by" \
                     "'make fuzz' (or name the build folder: $0 $secs BUILDDIR)" >&2
                exit 2
        fi
done
if [ -n "${KEEP:-}" ]; then
        scratch=$KEEP
        mkdir -p "$scratch" || exit 2
else
        scratch=$(mktemp -d "${TMPDIR:-/tmp}/rf-fuzz.XXXXXX") || exit 2
        trap 'rm -rf "$scratch"' EXIT
fi
# libFuzzer stops itself after SECONDS or RUNS; the outer limit catches a hang it cannot.
if [ -n "$runs_limit" ]; then
        limit=(-runs="$runs_limit") outer=86400
else
        limit=(-max_total_time="$secs") outer=$((secs + 120))
fi
failed=0
echo "1..$(echo $targets | wc -w)"
i=0
for t in $targets; do
        i=$((i + 1))
        max_len=4096
        case $t in
        policy | oci) dict=$src/tests/fuzz/$t.dict ;;
        batch_*) dict=$src/tests/fuzz/batch.dict ;;
        ring) dict= max_len=9300 ;; # the largest ring shape() lays out, and its header
        esac
        art=$build/tests/fuzz/artifacts/$t
        mkdir -p "$scratch/$t" "$art"
        log=$scratch/$t.log
        # One input may take a few hundred ms (include default, then a compile, under ASan),
        # seconds on a loaded machine: 30 s for one input is a hang.
        t0=$(date +%s)
        timeout -k 10 $outer "$build/tests/fuzz/fuzz_$t" ${dict:+"-dict=$dict"} \
                "${limit[@]}" -timeout=30 -rss_limit_mb=2048 -max_len=$max_len \
                -print_final_stats=1 -artifact_prefix="$art/" \
                "$scratch/$t" "$src/tests/fuzz/corpus/$t" >"$log" 2>&1
        rc=$?
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        corpus=$(ls "$scratch/$t" "$src/tests/fuzz/corpus/$t" | grep -vc ':$\|^$')
        if [ $rc -eq 0 ]; then
                echo "ok $i - fuzz_$t: ${runs:-?} inputs in $(($(date +%s) - t0)) s, corpus $corpus"
        else
                failed=1
                echo "not ok $i - fuzz_$t: exit $rc after ${runs:-?} inputs; input kept in $art/"
                grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -n 8 |
                        sed 's/^/# /'
        fi
done
exit $failed
