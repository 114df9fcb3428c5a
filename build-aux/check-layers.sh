#!/bin/sh
# Checks that each module includes only its own headers and those of the layers below it
# (DESIGN.md, STYLE.md "The module map"), and that tools/ use only include/ringfence.h.
top=${TOP_SRCDIR:-$(dirname "$0")/..}
allowed() {
        case $1 in
        base) echo "base" ;;
        ring) echo "base ring" ;;
        policy) echo "base policy" ;;
        sandbox) echo "base policy sandbox" ;;
        engine) echo "base policy sandbox ring engine" ;;
        batch) echo "base policy sandbox ring engine batch" ;;
        api) echo "base policy sandbox ring engine batch api" ;;
        esac
}
echo "1..1"
bad=0
for f in "$top"/src/*/*.c "$top"/src/*/*.h; do
        [ -f "$f" ] || continue
        mod=$(basename "$(dirname "$f")")
        ok=$(allowed "$mod")
        for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' "$f"); do
                case " $ok " in
                *" $inc "*) ;;
                *) echo "# $f: $mod may not include $inc/ headers"; bad=1 ;;
                esac
        done
done
for f in "$top"/tools/*.c "$top"/tools/*.h; do
        [ -f "$f" ] || continue
        if grep -q '^#include "[a-z]*/' "$f"; then
                echo "# $f: tools may include only ringfence.h"; bad=1
        fi
done
if [ $bad = 0 ]; then echo "ok 1 - include layers"; else echo "not ok 1 - include layers"; fi
