#!/bin/bash
# SPDX-License-Identifier: MIT
# ringfence run as CMake's compiler and link launcher under ninja (tests/data/cmake-example):
# the project builds and runs, every compile and link goes through the sandbox, a failing
# compile gives the compiler's own status, and a signal gives 128+N as ninja expects.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

for t in cmake ninja cc; do
        command -v $t >/dev/null || { echo "1..0 # SKIP $t is not installed (tools/install-deps.sh installs it)"; exit 0; }
done
POLICY=$TOP_SRCDIR/policies/build.policy

plan 8

# The sources and the build directory side by side, as an out-of-tree build has them: the
# launcher shows the sources read-only (--ro) and the build directory (its working directory,
# the build policy's $PWD) writable.
SRC=$WORK/src B=$WORK/build
cp -r "$TOP_SRCDIR/tests/data/cmake-example" "$SRC" && mkdir -p "$B" && chmod -R a+rX "$WORK" ||
        bail "cannot copy the example to $SRC"
launcher="$RINGFENCE;run;-p;$POLICY;--ro;$SRC;--"

# configure DIR POLICY-ARGS...: cmake -G Ninja into DIR with the launcher.
configure() {
        local dir=$1
        shift
        LAST="cmake -S $SRC -B $dir -G Ninja ... $*"
        cmake -S "$SRC" -B "$dir" -G Ninja "-DCMAKE_C_COMPILER_LAUNCHER=$launcher" \
                "-DCMAKE_C_LINKER_LAUNCHER=$launcher" "$@" >"$OUT" 2>"$ERR"
        RC=$?
}
build() {
        LAST="ninja -C $1"
        outer_net_for 120 ninja -C "$1" >"$OUT" 2>"$ERR"
        RC=$?
}

configure "$B"
check "cmake -G Ninja accepts ringfence run as compiler and link launcher" eval '[ "$RC" = 0 ]'
build "$B"
check "ninja builds the project through the launcher" eval '[ "$RC" = 0 ] && [ -x "$B/hello" ]'
expect_eq "the program runs" "$("$B/hello")" "hello from a sandboxed build"
n_compile=$(ninja -C "$B" -t commands hello | grep -c -- "$RINGFENCE run -p $POLICY --ro $SRC -- .* -c ")
n_link=$(ninja -C "$B" -t commands hello | grep -E -c -- "$RINGFENCE run -p $POLICY --ro $SRC -- .* -o hello( |$)")
expect_eq "both compiles and the link run through the launcher" "$n_compile $n_link" "2 1"

# The same project with the default policy as launcher: the build directory is read-only in the
# sandbox, so a compile that really ran there cannot write its object.
launcher="$RINGFENCE;run;-p;default;--ro;$SRC;--"
configure "$WORK/build-ro"
build "$WORK/build-ro"
check "with -p default the compile cannot write the build directory (it runs in the sandbox)" \
        eval '[ "$RC" != 0 ] && has_line "$OUT" "Read-only file system" && [ ! -e "$WORK/build-ro/hello" ]'

# A source that does not compile: ninja fails on it, and the launcher's status is the compiler's.
launcher="$RINGFENCE;run;-p;$POLICY;--ro;$SRC;--"
configure "$WORK/build-broken" -DRF_BROKEN=ON
build "$WORK/build-broken"
check "a failing compile fails the build, naming the object" \
        eval '[ "$RC" = 1 ] && has_line "$OUT" "^FAILED: CMakeFiles/hello.dir/broken.c.o"'
cd "$WORK/build-broken" || bail "no $WORK/build-broken"
cc -c "$SRC/broken.c" -o "$WORK/plain.o" 2>/dev/null
plain=$?
"$RINGFENCE" run -p "$POLICY" --ro "$SRC" -- cc -c "$SRC/broken.c" -o broken.o 2>/dev/null
expect_eq "the launcher exits with the compiler's own status" "$?" "$plain"
"$RINGFENCE" run -p "$POLICY" -- sh -c 'kill -SEGV $$'
expect_eq "a compiler killed by SIGSEGV: 128+11, as ninja's ParseExitStatus expects" "$?" 139
