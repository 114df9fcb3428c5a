#!/bin/bash
# SPDX-License-Identifier: MIT
# Static checks: cppcheck (flags below) and clang-tidy (the checks in .clang-tidy) over src/ and
# tools/, and make check-format (.clang-format) over the sources; fails on any finding. Run from
# anywhere; needs a configured build dir for config.h (BUILD, default build/). False positives
# are silenced inline with a reason.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
[ -f "$build/config.h" ] || { echo "lint.sh: $build/config.h is missing: configure first (BUILD=dir)" >&2; exit 2; }
cd "$top"
files=$(git ls-files 'src/*.c' 'tools/*.c' | grep -v '^tools/bench/')
incs=(-I"$build" -Iinclude -Isrc -I"$build/src")
defs=(-D_GNU_SOURCE -DRF_POLICY_DIR='"/usr/share/ringfence/policies"')
status=0

echo "== cppcheck"
# warning, portability and performance findings; style is left to review. The raw-syscall asm
# of the child and glibc's headers are not checked.
cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 --platform=unix64 \
        --enable=warning,portability,performance --suppress=missingIncludeSystem -D__x86_64__ \
        --suppress=unknownMacro "${defs[@]}" -Iinclude -Isrc -I"$build" $files || status=1

echo "== clang-tidy"
for f in $files; do
        clang-tidy --quiet "$f" -- -std=gnu17 "${defs[@]}" "${incs[@]}" \
                $(pkg-config --cflags libseccomp liburing jansson check) 2>/dev/null || status=1
done
echo "== clang-format"
# What make check-format prints: the diff clang-format would make, and how many lines it changes.
make -s -C "$build" check-format || status=1

[ $status = 0 ] && echo "lint: clean"
exit $status
