#!/bin/sh
# Builds the libFuzzer targets with clang, ASan and UBSan (what `make fuzz` runs): the library
# sources they need are compiled once into BUILDDIR/tests/fuzz/obj, then each target is linked.
# Usage: FUZZ_CC=clang [FUZZ_LIBS=...] [FUZZ_DEPS_CFLAGS=...] build.sh SRCDIR BUILDDIR TARGET...
# (TARGET: ring, policy, oci, batch_source, batch_template). Nothing else in the build uses it.
set -eu
src=$1 build=$2
shift 2
cc=${FUZZ_CC:?FUZZ_CC (a clang with libFuzzer) is not set}
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cflags="-g -O1 -std=gnu17 -Wall -Wextra -Werror -Wno-unused-command-line-argument $san \
 -D_GNU_SOURCE -I$build -I$src/include -I$src/src ${FUZZ_DEPS_CFLAGS:-} ${FUZZ_CFLAGS:-}"
libs=${FUZZ_LIBS:--lseccomp -ljansson -luring -lm}

lib="base/alloc base/error base/json base/log base/parse base/strv base/syscall base/time
 policy/model policy/set policy/default policy/compile policy/match policy/clone policy/prebuilt
 policy/oci policy/oci-read policy/parser policy/lexer policy/loader policy/groups
 ring/shm ring/spsc ring/wake batch/source batch/split batch/template"
obj=$build/tests/fuzz/obj
mkdir -p "$obj"

# Recompile an object when its source, or any header, is newer.
newest_h=$(ls -t "$src"/src/*/*.h "$src"/include/*.h "$build/config.h" | head -n 1)
compile() { # SOURCE OBJECT EXTRA_FLAGS
        if [ ! -e "$2" ] || [ "$1" -nt "$2" ] || [ "$newest_h" -nt "$2" ]; then
                echo "  CC(fuzz) $1"
                # shellcheck disable=SC2086
                $cc $cflags $3 -c "$1" -o "$2"
        fi
}
objs=
for f in $lib; do
        o=$obj/$(echo "$f" | tr / -).o
        compile "$src/src/$f.c" "$o" -fsanitize=fuzzer-no-link
        objs="$objs $o"
done
# The default policy's programs compiled at build time (make builds src/policy/default-bpf.c).
compile "$build/src/policy/default-bpf.c" "$obj/policy-default-bpf.o" -fsanitize=fuzzer-no-link
objs="$objs $obj/policy-default-bpf.o"

for t in "$@"; do
        compile "$src/tests/fuzz/fuzz_$t.c" "$obj/fuzz_$t.o" -fsanitize=fuzzer-no-link
        echo "  LD(fuzz) tests/fuzz/fuzz_$t"
        # shellcheck disable=SC2086
        $cc $cflags -fsanitize=fuzzer "$obj/fuzz_$t.o" $objs $libs -o "$build/tests/fuzz/fuzz_$t"
done
