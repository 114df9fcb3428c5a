#!/bin/bash
# SPDX-License-Identifier: MIT
# CI's checkers (issue 5, part 4; .ci/run runs them all): the ring, engine and pool unit tests
# under ThreadSanitizer; valgrind memcheck on every unit test (zero leaks, zero errors; forked
# children too); cppcheck, clang-tidy and make check-format (tools/ci/lint.sh, the checks in
# .clang-tidy and .clang-format); and a --enable-fault-injection build running the setup-step
# fault test. Each in its own build directory. Usage: tools/ci/checks.sh
# [tsan|valgrind|lint|fault]... (default: all). About 15 minutes on 2 cores when the machine is
# otherwise idle.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
jobs=$(nproc)
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(tsan valgrind fault lint)
[ -x configure ] || autoreconf -fi >/dev/null

# build DIR CONFIGURE-FLAGS...: configure (once) and build the library and unit tests in DIR.
build() {
        local dir=$1
        shift
        mkdir -p "$dir"
        (cd "$dir" && { [ -f Makefile ] || "$top/configure" --enable-werror "$@" >/dev/null; } &&
                make -j"$jobs" >/dev/null && make -j"$jobs" check TESTS= >/dev/null)
}
unit_tests() { # DIR [GLOB...]: the built unit test binaries in DIR matching the globs
        local dir=$1 g
        shift
        # Executables only: not the objects, nor the .valgrind.log and .tsan.log of an earlier run.
        for g in "${@:-test_*}"; do
                find "$dir/tests/unit" -maxdepth 1 -type f -perm -u+x -name "$g" ! -name '*.*'
        done | sort -u
}

for step in "${steps[@]}"; do
        case $step in
        lint)
                echo "== cppcheck, clang-tidy and clang-format"
                build build-lint
                BUILD=$top/build-lint tools/ci/lint.sh
                ;;
        valgrind)
                echo "== valgrind memcheck on every unit test"
                build build-lint
                fail=0
                # What make check's AM_TESTS_ENVIRONMENT gives the tests (data files, the tools).
                export TOP_SRCDIR=$top TOP_BUILDDIR=$top/build-lint RINGFENCE=$top/build-lint/ringfence
                for t in $(unit_tests build-lint); do
                        # CK_FORK=no: one process, so memcheck sees every test case's frees.
                        if ! CK_FORK=no CK_DEFAULT_TIMEOUT=600 valgrind -q --leak-check=full \
                                --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
                                --track-fds=no --suppressions="$top/tools/ci/valgrind.supp" "$t" >"$t.valgrind.log" 2>&1; then
                                echo "valgrind: $t failed:"; tail -40 "$t.valgrind.log"; fail=1
                        fi
                        # A test that cannot spawn sandboxes under valgrind (it does not follow
                        # clone3) skips them and says so: show the reason.
                        grep -h '# SKIP' "$t.valgrind.log" | sed "s|^|valgrind: $(basename "$t"): |" || true
                done
                [ $fail = 0 ] || exit 1
                echo "valgrind: clean"
                ;;
        tsan)
                echo "== ThreadSanitizer: ring, engine and pool unit tests, and ringfence batch"
                build build-tsan --enable-sanitizers=thread
                fail=0
                for t in $(unit_tests build-tsan 'test_ring_*' 'test_engine_*' 'test_pool_*'); do
                        TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 "$t" >"$t.tsan.log" 2>&1 ||
                                { echo "tsan: $t failed:"; tail -60 "$t.tsan.log"; fail=1; }
                        echo "tsan: $(basename "$t"): $(tail -n1 "$t.tsan.log")"
                done
                # The whole batch path: spawning workers, the engine, the write lane (records,
                # --results files, grouped output), without and with the default sandbox.
                for pol in none default; do
                        d=build-tsan/tsan-batch-$pol
                        rm -rf "$d" && mkdir -p "$d"
                        seq 60 | TSAN_OPTIONS=halt_on_error=1 timeout -k 5 300 build-tsan/ringfence \
                                batch -j4 -k -p "$pol" --json "$d/records.jsonl" --results "$d/res" \
                                -- sh -c 'echo out{}; echo err{} >&2' >"$d/out" 2>"$d/err" &&
                                [ "$(wc -l <"$d/records.jsonl")" = 60 ] &&
                                [ "$(cat "$d/res/60/stdout")" = out60 ] ||
                                { echo "tsan: ringfence batch -p $pol failed:"; tail -60 "$d/err"; fail=1; }
                        echo "tsan: ringfence batch -p $pol: $(tail -n1 "$d/err")"
                done
                [ $fail = 0 ] || exit 1
                ;;
        fault)
                echo "== fault injection build: every sandbox setup step made to fail"
                build build-fault --enable-fault-injection
                CK_DEFAULT_TIMEOUT=600 build-fault/tests/unit/test_sandbox_fault
                ;;
        *) echo "checks.sh: unknown step \"$step\", expected tsan, valgrind, lint or fault" >&2; exit 125 ;;
        esac
done
echo "== checks passed"
