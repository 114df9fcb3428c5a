#!/bin/bash
# SPDX-License-Identifier: MIT
# Builds this tree twice at the same path (a VPATH build outside the sources): once plainly with
# make -jN, once with make -jN SHELL=ringfence-sh under the build policy, each recipe line in its
# own sandbox; runs make check in each (plainly: the tests make sandboxes of their own, which a
# sandbox cannot), installs each with DESTDIR (the second through ringfence-sh too), and fails
# unless both give the same make check outcome and the same installed files.
#
# Usage: tests/build/own-tree.sh [WORKDIR]   (CI: after the build in build/; RINGFENCE_SH names
# the ringfence-sh to use, JOBS the -j, CHECK=0 leaves make check out; PLAIN_CHECK=DIR takes the
# plain build's make check outcome from DIR, a plain build of the same sources and configure
# flags whose make check has run (CI's build/), instead of running the suite a second time.)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
SRC=$(cd "$here/../.." && pwd)
W=${1:-$(mktemp -d "${TMPDIR:-/tmp}/rf-own-tree.XXXXXX")}
JOBS=${JOBS:-2}
CHECK=${CHECK:-1}
mkdir -p "$W" && chmod 755 "$W" && W=$(cd "$W" && pwd)
rfsh_setup "$SRC" "$W"
B=$W/b

# build MODE: configure, build, check, install into W/dest-MODE, keep the tree as W/tree-MODE.
build() {
        local mode=$1 t0 t1
        local -a sh=()
        rm -rf "$B" "$W/dest-$mode" "$W/tree-$mode" && mkdir -p "$B" || die "cannot make $B"
        cd "$B" || die "cannot enter $B"
        say "$mode: configure"
        "$SRC/configure" -q --enable-werror >configure.out 2>&1 || { tail -20 configure.out; die "$mode: configure failed"; }
        [ "$mode" = ringfence-sh ] && sh=(SHELL="$RFSH")
        # What the recipes need besides their working directory: the sources (read-only), the
        # tool itself (for the make that automake's `all` and `install` run inside a recipe),
        # and the install directory.
        export RINGFENCE_SET="fs.ro=$SRC fs.ro=$W/tool fs.rw=$W/dest-$mode"
        mkdir -p "$W/dest-$mode"
        say "$mode: make -j$JOBS ${sh[*]}"
        t0=$(date +%s.%N)
        # BUILT_SOURCES first, then all-am: automake's `all` would run all-am from a recipe, a
        # make inside one sandbox; this way every recipe line gets its own.
        make -j"$JOBS" "${sh[@]}" src/policy/default-bpf.c >build.out 2>&1 &&
                make -j"$JOBS" "${sh[@]}" all-am >>build.out 2>&1 || { tail -30 build.out; die "$mode: the build failed"; }
        t1=$(date +%s.%N)
        say "$mode: built in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"
        if [ "$CHECK" = 1 ] && { [ "$mode" = ringfence-sh ] || [ -z "${PLAIN_CHECK:-}" ]; }; then
                say "$mode: make -j$JOBS check"
                make -j"$JOBS" check >check.out 2>&1
                echo "$?" >check.status
                grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' check.out | tr '\n' ' '; echo
        fi
        say "$mode: make install DESTDIR=$W/dest-$mode ${sh[*]}"
        make "${sh[@]}" install DESTDIR="$W/dest-$mode" >install.out 2>&1 || { tail -30 install.out; die "$mode: make install failed"; }
        unset RINGFENCE_SET
        cd "$W" && mv "$B" "$W/tree-$mode"
}

build plain
build ringfence-sh
compare_installs "$W/dest-plain" "$W/dest-ringfence-sh"
if [ "$CHECK" = 1 ]; then
        plain_tree=$W/tree-plain plain_status=
        if [ -n "${PLAIN_CHECK:-}" ]; then
                [ -f "$PLAIN_CHECK/test-suite.log" ] || die "no make check has run in $PLAIN_CHECK"
                plain_tree=$W/plain-check
                ln -sfn "$(cd "$PLAIN_CHECK" && pwd)" "$plain_tree"
                # make check's status there: 0 when it had no FAIL, XPASS nor ERROR, else 2.
                plain_status=0
                grep -Eq '^# (FAIL|XPASS|ERROR): *[1-9]' "$plain_tree/test-suite.log" && plain_status=2
                say "plain: make check outcome taken from $PLAIN_CHECK"
        else
                plain_status=$(cat "$plain_tree/check.status")
        fi
        [ "$plain_status" = "$(cat "$W/tree-ringfence-sh/check.status")" ] ||
                die "make check exited $plain_status plainly and $(cat "$W/tree-ringfence-sh/check.status") after the ringfence-sh build"
        compare_outcomes "$plain_tree" "$W/tree-ringfence-sh"
fi
say "own tree: the ringfence-sh build matches the plain one ($W)"
