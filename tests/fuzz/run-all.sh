#!/bin/sh
# Runs every libFuzzer target of tests/fuzz/ for SECONDS each over its seed corpus (CI: 60) and
# fails if any crashes, leaks, runs into undefined behaviour or times out. Build them first with
# `make fuzz`. New corpus entries go to a scratch folder, not into the tree; the input that broke
# a target is kept in BUILDDIR/tests/fuzz/artifacts/TARGET/.
# Usage: tests/fuzz/run-all.sh SECONDS [BUILDDIR]     (BUILDDIR: default ./build, else .)
set -u
secs=${1:-}
case $secs in
''|*[!0-9]*) echo "usage: $0 SECONDS [BUILDDIR]: SECONDS must be a whole number such as 60" >&2
        exit 2 ;;
esac
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-}
[ -n "$build" ] || { [ -x build/tests/fuzz/fuzz_ring ] && build=build || build=.; }
targets="policy oci batch_source batch_template ring"
for t in $targets; do
        if [ ! -x "$build/tests/fuzz/fuzz_$t" ]; then
                echo "$0: $build/tests/fuzz/fuzz_$t is missing, expected it built by" \
                     "'make fuzz' (or name the build folder: $0 $secs BUILDDIR)" >&2
                exit 2
        fi
done
scratch=$(mktemp -d "${TMPDIR:-/tmp}/rf-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
failed=0
echo "1..5"
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
        # libFuzzer stops itself after SECONDS; the outer limit catches a hang it cannot. One
        # input may take a few hundred ms (include default, then a compile, under ASan), seconds
        # on a loaded machine: 30 s for one input is a hang.
        timeout -k 10 $((secs + 120)) "$build/tests/fuzz/fuzz_$t" ${dict:+"-dict=$dict"} \
                -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 -max_len=$max_len \
                -print_final_stats=1 -artifact_prefix="$art/" \
                "$scratch/$t" "$src/tests/fuzz/corpus/$t" >"$log" 2>&1
        rc=$?
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        corpus=$(ls "$scratch/$t" "$src/tests/fuzz/corpus/$t" | grep -vc ':$\|^$')
        if [ $rc -eq 0 ]; then
                echo "ok $i - fuzz_$t: ${runs:-?} inputs in ${secs}s, corpus $corpus"
        else
                failed=1
                echo "not ok $i - fuzz_$t: exit $rc after ${runs:-?} inputs; input kept in $art/"
                grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -n 8 |
                        sed 's/^/# /'
        fi
done
exit $failed
