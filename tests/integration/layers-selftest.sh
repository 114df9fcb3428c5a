#!/bin/bash
# SPDX-License-Identifier: MIT
# The layer check checks: build-aux/check-layers.sh run on a small fake tree (base, batch, api, a
# tool, a public header, a version script, objects built here) passes it clean and fails each
# planted violation, naming the file, what it uses and the two modules.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 14

CC=${LAYERS_CC:-cc}
CHECK=$TOP_SRCDIR/build-aux/check-layers.sh
T=$WORK/tree
mkdir -p "$T/build-aux" "$T/include" "$T/src/base" "$T/src/batch" "$T/src/api" "$T/tools" \
        "$T/src/base/.libs" "$T/.libs"

# put FILE: write stdin to $T/FILE.
put() { cat >"$T/$1"; }
put build-aux/layers.txt <<'EOF'
public ->
base   -> public
batch  -> base public
api    -> batch base public # a comment
tools  -> public
EOF
put include/ringfence.h <<'EOF'
#define RF_EXPORT __attribute__((visibility("default")))
RF_EXPORT int rf_api(void);
EOF
put src/libringfence.sym <<'EOF'
RINGFENCE_0.1 {
global:
        rf_api;
local:
        *;
};
EOF
put src/base/base.h <<<'int base_fn(void);'
put src/base/base.c <<<'#include "ringfence.h"
#include "base/base.h"
int base_fn(void) { return 1; }'
put src/batch/batch.h <<<'int batch_fn(void);'
put src/batch/batch.c <<<'#include "base/base.h"
int batch_fn(void) { return base_fn(); }'
put src/api/api.c <<<'#include "ringfence.h"
#include "batch/batch.h"
int rf_api(void) { return batch_fn(); }'
put tools/tool.c <<<'#include "ringfence.h"
int main(void) { return rf_api(); }'

# build: compile the objects (base's as a libtool object with only a PIC object, as
# --disable-static leaves it) and the shared library with the version script.
OBJECTS="src/base/libx_la-base.lo src/batch/batch.o src/api/api.o tools/tool.o"
build() {
        (cd "$T" && "$CC" -c -fPIC -Iinclude -Isrc -o src/base/.libs/libx_la-base.o src/base/base.c &&
                "$CC" -c -fPIC -Iinclude -Isrc -o src/batch/batch.o src/batch/batch.c &&
                "$CC" -c -fPIC -Iinclude -Isrc -o src/api/api.o src/api/api.c &&
                "$CC" -c -Iinclude -o tools/tool.o tools/tool.c &&
                "$CC" -shared -fvisibility=hidden -o .libs/libringfence.so \
                        -Wl,--version-script=src/libringfence.sym src/base/.libs/libx_la-base.o \
                        src/batch/batch.o src/api/api.o) >"$WORK/cc.log" 2>&1
}
printf "%s\n" "# libx_la-base.lo - a libtool object file" "pic_object='.libs/libx_la-base.o'" \
        "non_pic_object=none" >"$T/src/base/libx_la-base.lo"
build || bail "$CC could not build the fake tree: $(cat "$WORK/cc.log")"

# layers DESC WANT_RC LINE...: run the check on the fake tree; ok when it exits WANT_RC (0 or
# 1) and prints every LINE (a fixed string, a whole line).
layers() {
        local desc=$1 want=$2 rc line missing=
        shift 2
        TOP_SRCDIR=$T TOP_BUILDDIR=$T LAYER_OBJECTS=$OBJECTS sh "$CHECK" >"$WORK/out" 2>&1
        rc=$?
        [ "$rc" -ne 0 ] && rc=1
        for line in "$@"; do
                grep -qxF -- "$line" "$WORK/out" || missing="$missing|$line"
        done
        if [ "$rc" = "$want" ] && [ -z "$missing" ]; then
                ok "$desc"
        else
                not_ok "$desc" "exit status $rc, expected $want; lines missing: ${missing:-none}" \
                        "$(cat "$WORK/out")"
        fi
}

layers "a tree that keeps its layers passes" 0 "ok 2 - include edges" "ok 3 - symbol edges" \
        "ok 5 - src/libringfence.sym lists the RF_EXPORT functions, once, sorted" \
        "ok 6 - the library exports exactly them"

# --- includes, in every form -----------------------------------------------------------------
for form in '"../batch/batch.h"' '"batch/batch.h"' '<batch/batch.h>' '"../../src/batch/batch.h"'; do
        echo "#include $form" >"$T/src/base/up.h"
        layers "base including $form fails" 1 "not ok 2 - include edges: 1 not allowed" \
                "# src/base/up.h: includes ${form:1:-1} (src/batch/batch.h): base may not use batch"
done
rm "$T/src/base/up.h"
echo '#include "../src/base/base.h"' >"$T/tools/up.h"
layers "a tool including a library header fails" 1 \
        "# tools/up.h: includes ../src/base/base.h (src/base/base.h): tools may not use base"
rm "$T/tools/up.h"
echo '#include <stdio.h>' >"$T/src/base/sys.h"
layers "a system header is no edge" 0 "ok 2 - include edges"
rm "$T/src/base/sys.h"

# --- symbols, from the objects -----------------------------------------------------------------
put src/base/base.c <<<'int batch_fn(void);
int base_fn(void) { return batch_fn(); }'
build || bail "$(cat "$WORK/cc.log")"
layers "base calling batch fails" 1 "not ok 3 - symbol edges: 1 not allowed" \
        "# src/base/.libs/libx_la-base.o: uses batch_fn (defined in src/batch/batch.o): base may not use batch"
echo "allow base batch batch_fn # until it moves" >>"$T/build-aux/layers.txt"
layers "... and passes with an exception for it" 0 "ok 3 - symbol edges" \
        "# allowed for now ($T/build-aux/layers.txt:6): src/base/.libs/libx_la-base.o: uses batch_fn (defined in src/batch/batch.o)"
put src/base/base.c <<<'int base_fn(void) { return 1; }'
build || bail "$(cat "$WORK/cc.log")"
layers "an exception that nothing needs fails" 1 "not ok 4 - every exception is needed" \
        "# $T/build-aux/layers.txt:6: allow base batch batch_fn: nothing needs it any more; delete it"
sed -i '$d' "$T/build-aux/layers.txt"
put tools/tool.c <<<'int base_fn(void);
int rf_api(void);
int main(void) { return rf_api() + base_fn(); }'
build || bail "$(cat "$WORK/cc.log")"
layers "a tool calling an internal function fails (the public one is fine)" 1 \
        "# tools/tool.o: uses base_fn (defined in src/base/.libs/libx_la-base.o): tools may not use base"
put tools/tool.c <<<'int main(void) { return 0; }'
mkdir -p "$T/src/worker" && echo '#include "../batch/batch.h"' >"$T/src/worker/w.h"
layers "a module the table does not name fails" 1 \
        "# src/worker/w.h: includes ../batch/batch.h (src/batch/batch.h): module worker is not in the layer table"
rm -r "$T/src/worker"

# --- the exported symbols ----------------------------------------------------------------------
echo 'RF_EXPORT int rf_new(void);' >>"$T/include/ringfence.h"
layers "a public call missing from the version script fails" 1 \
        "# rf_new: RF_EXPORT in include/ringfence.h, missing from $T/src/libringfence.sym: add it to the newest version node" \
        "# rf_new: declared RF_EXPORT, but not exported by $T/.libs/libringfence.so"
sed -i 's/^        rf_api;/        rf_new;\n        rf_api;/' "$T/src/libringfence.sym"
layers "an unsorted version script fails" 1 \
        "# $T/src/libringfence.sym: RINGFENCE_0.1: rf_api comes after rf_new: keep each node sorted"
