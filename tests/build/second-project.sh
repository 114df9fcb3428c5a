#!/bin/bash
# SPDX-License-Identifier: MIT
# A second real project, GNU hello (its own configure script and Makefiles), fetched at test
# time as Debian's source package (apt-get source with a private, temporary apt configuration:
# nothing on the machine changes), built twice at the same path: plainly with make -jN, and with
# make -jN SHELL=ringfence-sh under the build policy. Fails unless both give the same make check
# outcome and the same installed files (make install DESTDIR=..., the second through
# ringfence-sh too).
#
# Usage: tests/build/second-project.sh [WORKDIR]   (needs network to deb.debian.org; PACKAGE
# names another Debian source package with an autotools build, JOBS the -j.)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
SRC=$(cd "$here/../.." && pwd)
W=${1:-$(mktemp -d "${TMPDIR:-/tmp}/rf-second.XXXXXX")}
PACKAGE=${PACKAGE:-hello}
SUITE=${SUITE:-bookworm}
JOBS=${JOBS:-2}
mkdir -p "$W" && chmod 755 "$W" && W=$(cd "$W" && pwd)
rfsh_setup "$SRC" "$W"

# --- fetch: deb-src from a private apt configuration (own lists, cache and sources file) --------
say "fetch: apt-get source $PACKAGE ($SUITE)"
rm -f "$W"/pkg/"${PACKAGE}"_*
A=$W/apt
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$W/pkg"
echo "deb-src http://deb.debian.org/debian $SUITE main" >"$A/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$A/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A/cache" -o APT::Sandbox::User=root -qq)
apt-get "${apt_opts[@]}" update >"$W/apt.out" 2>&1 || { tail "$W/apt.out"; die "apt-get update (deb-src) failed"; }
(cd "$W/pkg" && apt-get "${apt_opts[@]}" source --download-only "$PACKAGE") >>"$W/apt.out" 2>&1 ||
        { tail "$W/apt.out"; die "apt-get source $PACKAGE failed"; }
# apt checked the Sources index's signature and each file's hash; the upstream tarball is the
# project as its authors ship it.
orig=$(ls "$W"/pkg/"${PACKAGE}"_*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -1)
[ -n "$orig" ] || die "no upstream tarball in $W/pkg"
say "fetched $(basename "$orig")"

T=$W/tree
build() {
        local mode=$1
        local -a sh=()
        rm -rf "$T" "$W/dest-$mode" && mkdir -p "$T" "$W/dest-$mode" || die "cannot make $T"
        tar -xf "$orig" -C "$T" --strip-components=1 || die "cannot unpack $orig"
        cd "$T" || die "cannot enter $T"
        say "$mode: configure"
        ./configure -q --prefix=/usr >configure.out 2>&1 || { tail -20 configure.out; die "$mode: configure failed"; }
        [ "$mode" = ringfence-sh ] && sh=(SHELL="$RFSH")
        export RINGFENCE_SET="fs.ro=$W/tool fs.rw=$W/dest-$mode"
        say "$mode: make -j$JOBS ${sh[*]}"
        make -j"$JOBS" "${sh[@]}" >build.out 2>&1 || { tail -30 build.out; die "$mode: the build failed"; }
        say "$mode: make -j$JOBS check ${sh[*]}"
        make -j"$JOBS" "${sh[@]}" check >check.out 2>&1
        echo "$?" >check.status
        grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' check.out | tr '\n' ' '; echo
        say "$mode: make install DESTDIR=$W/dest-$mode ${sh[*]}"
        make "${sh[@]}" install DESTDIR="$W/dest-$mode" >install.out 2>&1 || { tail -30 install.out; die "$mode: make install failed"; }
        unset RINGFENCE_SET
        cd "$W" && rm -rf "$W/tree-$mode" && mv "$T" "$W/tree-$mode"
}

# REUSE_PLAIN=1 keeps a plain build an earlier run of this script left in WORKDIR.
if [ "${REUSE_PLAIN:-0}" = 1 ] && [ -s "$W/tree-plain/check.status" ] && [ -d "$W/dest-plain" ]; then
        say "plain: kept from an earlier run"
else
        build plain
fi
build ringfence-sh
compare_installs "$W/dest-plain" "$W/dest-ringfence-sh"
[ "$(cat "$W/tree-plain/check.status")" = "$(cat "$W/tree-ringfence-sh/check.status")" ] ||
        die "make check exited $(cat "$W/tree-plain/check.status") plainly and $(cat "$W/tree-ringfence-sh/check.status") with ringfence-sh"
compare_outcomes "$W/tree-plain" "$W/tree-ringfence-sh"
say "$PACKAGE: the ringfence-sh build matches the plain one ($W)"
