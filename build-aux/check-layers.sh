#!/bin/sh
# SPDX-License-Identifier: MIT
# The layer check (make check): every edge between two modules must be allowed by the table in
# build-aux/layers.txt (DESIGN.md "Layers"). It finds the edges twice: in the sources, every
# include of the tree's own headers in whatever form ("mod/x.h", "../mod/x.h", "x.h" beside the
# file, <mod/x.h>); in the built objects, every symbol that one module's object leaves undefined
# and another module's object defines (nm). Each violation names the file, what it uses (header
# or symbol) and the two modules. Then the public edge: src/libringfence.sym lists exactly the
# RF_EXPORT functions of include/ringfence.h, and the built library exports exactly those.
#
# Environment: TOP_SRCDIR (the sources; default: this script's ..), TOP_BUILDDIR (config.h, the
# objects, .libs/libringfence.so; default: TOP_SRCDIR), LAYER_OBJECTS (the objects to read, .lo
# or .o, relative to TOP_BUILDDIR: make check names those of the library, the tools and the
# examples; empty: the symbol edges are not checked), LAYERS (the table), EXPORTS (the version
# script), NM, AWK. Prints TAP.
set -u
top=${TOP_SRCDIR:-$(dirname "$0")/..}
build=${TOP_BUILDDIR:-$top}
table=${LAYERS:-$top/build-aux/layers.txt}
exports=${EXPORTS:-$top/src/libringfence.sym}
objects=${LAYER_OBJECTS:-}
AWK=${AWK:-awk}
NM=${NM:-nm}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rf-layers.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
top=$(cd "$top" && pwd) && build=$(cd "$build" && pwd) || exit 99

# The module of a path relative to the top or the build folder ("" when it is in none).
module_awk='
function module(p) {
        if (p ~ /^src\/[^\/]+\//) {
                sub(/^src\//, "", p)
                sub(/\/.*/, "", p)
                return p
        }
        if (p ~ /^tools\//)
                return "tools"
        if (p ~ /^examples\//)
                return "examples"
        if (p ~ /^include\//)
                return "public"
        return ""
}'

# Include edges: "include<TAB>FROM<TAB>TO<TAB>HEADER<TAB>WHERE" for each include of a header of
# another module. A quoted name is looked for beside the file, then in include/ and src/ (the
# -I order), then the same in the build folder; <name> only in include/ and src/. Names found in
# none of them are the system's.
include_edges() {
        (cd "$top" && find src tools examples include -name '*.[ch]' 2>/dev/null | LC_ALL=C sort) |
                (cd "$top" && $AWK -v build="$build" "$module_awk"'
function exists(p,  l, r) {
        r = (getline l < p)
        close(p)
        return r >= 0
}
function norm(p,  n, a, o, i, k, out) {
        n = split(p, a, "/")
        k = 0
        for (i = 1; i <= n; i++) {
                if (a[i] == "" || a[i] == ".")
                        continue
                if (a[i] == ".." && k > 0 && o[k] != "..")
                        k--
                else
                        o[++k] = a[i]
        }
        out = o[1]
        for (i = 2; i <= k; i++)
                out = out "/" o[i]
        return out
}
function resolve(quoted, dir, name,  c, i, n, cand) {
        n = 0
        if (quoted)
                cand[++n] = norm(dir "/" name)
        cand[++n] = norm("include/" name)
        cand[++n] = norm("src/" name)
        for (i = 1; i <= n; i++)
                if (exists(cand[i]))
                        return cand[i]
        if (!quoted)
                return ""
        for (i = 1; i <= n; i++)
                if (exists(build "/" cand[i]))
                        return cand[i]
        return ""
}
{
        f = $0
        from = module(f)
        dir = f
        sub(/\/[^\/]*$/, "", dir)
        while ((getline line < f) > 0) {
                if (line !~ /^[ \t]*#[ \t]*include[ \t]*[<"]/)
                        continue
                sub(/^[ \t]*#[ \t]*include[ \t]*/, "", line)
                quoted = substr(line, 1, 1) == "\""
                name = substr(line, 2)
                sub(/[">].*/, "", name)
                if (name == "config.h" || (p = resolve(quoted, dir, name)) == "")
                        continue
                to = module(p)
                if (to == "")
                        to = "(outside the modules)"
                if (to != from)
                        printf "include\t%s\t%s\t%s\t%s: includes %s (%s)\n", from, to, p, f,
                               name, p
        }
        close(f)
}')
}

# The objects behind LAYER_OBJECTS: a libtool .lo names its non-PIC object, or its PIC one.
object_files() {
        for o in $objects; do
                case $o in
                *.lo)
                        d=$(dirname "$o")
                        f=$(sed -n "s/^non_pic_object='\\(.*\\)'\$/\\1/p" "$build/$o")
                        [ -n "$f" ] && [ "$f" != none ] ||
                                f=$(sed -n "s/^pic_object='\\(.*\\)'\$/\\1/p" "$build/$o")
                        echo "$d/$f" ;;
                *) echo "$o" ;;
                esac
        done | LC_ALL=C sort -u
}

# The names the version script exports, "NODE NAME" in its order.
exported_names() {
        $AWK '/^[A-Za-z_][A-Za-z0-9_.]*[ \t]*\{/ { node = $1 }
/^[ \t]*[A-Za-z_][A-Za-z0-9_]*;/ { name = $1; sub(/;.*/, "", name); print node, name }' "$exports"
}

# Symbol edges: "symbol<TAB>FROM<TAB>TO<TAB>SYMBOL<TAB>WHERE" for each undefined symbol of an
# object that an object of another module defines. An object outside src/ (a tool, an example)
# that calls a symbol of the version script's global: list uses the module public.
symbol_edges() {
        exported_names | cut -d' ' -f2 >"$tmp/exports"
        object_files >"$tmp/objects" || return 1
        # shellcheck disable=SC2046 # one word per object
        (cd "$build" && $NM -P -A -g $(cat "$tmp/objects")) >"$tmp/nm" || return 1
        $AWK "$module_awk"'
pass == 0 { exported[$1] = 1; next }
{
        obj = $1
        sub(/:$/, "", obj)
        m = module(obj)
        undef = $3 ~ /^[Uwv]$/
}
pass == 1 && !undef {
        def[$2, m] = 1
        if (obj ~ /^src\// && !($2 in lib)) {
                lib[$2] = m
                file[$2] = obj
        }
}
pass == 2 && undef && !(($2, m) in def) && ($2 in lib) {
        to = lib[$2]
        if (obj !~ /^src\// && ($2 in exported))
                to = "public"
        if (to != m)
                printf "symbol\t%s\t%s\t%s\t%s: uses %s (defined in %s)\n", m, to, $2, obj, $2,
                       file[$2]
}' pass=0 "$tmp/exports" pass=1 "$tmp/nm" pass=2 "$tmp/nm"
}

# Judge the edges against the table; prints the TAP lines.
judge() {
        $AWK -v table="$table" -v symbols="$1" '
pass == 0 {
        sub(/#.*/, "")
        if (NF == 0)
                next
        if ($2 == "->") {
                known[$1] = 1
                for (i = 3; i <= NF; i++)
                        ok[$1, $i] = 1
        } else if ($1 == "allow" && NF == 4) {
                exc[$2, $3, $4] = FNR
        } else {
                printf "# %s:%d: neither `MODULE -> USES...` nor `allow FROM TO WHAT`\n", table,
                       FNR
                badtable = 1
        }
        next
}
{
        kind = $1; from = $2; to = $3; what = $4; where = $5
        if ((from, to) in ok)
                next
        if ((from, to, what) in exc) {
                used[from, to, what] = 1
                printf "# allowed for now (%s:%d): %s\n", table, exc[from, to, what], where
                next
        }
        if (!(from in known))
                why = "module " from " is not in the layer table"
        else if (!(to in known))
                why = "module " to " is not in the layer table"
        else
                why = from " may not use " to
        printf "# %s: %s\n", where, why
        bad[kind]++
}
END {
        print (badtable ? "not ok" : "ok") " 1 - the layer table reads"
        print (bad["include"] ? "not ok" : "ok") " 2 - include edges" \
              (bad["include"] ? ": " bad["include"] " not allowed" : "")
        if (!symbols) {
                print "ok 3 - symbol edges # SKIP LAYER_OBJECTS names no objects"
                print "ok 4 - every exception is needed # SKIP without the symbol edges"
                exit 0
        }
        print (bad["symbol"] ? "not ok" : "ok") " 3 - symbol edges" \
              (bad["symbol"] ? ": " bad["symbol"] " not allowed" : "")
        stale = 0
        for (k in exc)
                if (!(k in used)) {
                        split(k, e, SUBSEP)
                        printf "# %s:%d: allow %s %s %s: nothing needs it any more; delete it\n",
                               table, exc[k], e[1], e[2], e[3]
                        stale = 1
                }
        print (stale ? "not ok" : "ok") " 4 - every exception is needed"
}' pass=0 "$table" FS='\t' pass=1 -
}

# Test 5: the version script lists each RF_EXPORT function of the public header once, each node
# sorted. Test 6: the built shared library (when there is one) exports exactly those.
check_exports() {
        h=$top/include/ringfence.h
        sed -n 's/^RF_EXPORT[^(]*[ *]\([A-Za-z_][A-Za-z0-9_]*\)(.*/\1/p' "$h" | LC_ALL=C sort \
                >"$tmp/header"
        [ "$(wc -l <"$tmp/header")" -eq "$(grep -c '^RF_EXPORT' "$h")" ] ||
                echo "# $h: a line starting RF_EXPORT does not name its function before a ("
        exported_names >"$tmp/nodes"
        cut -d' ' -f2 "$tmp/nodes" | LC_ALL=C sort >"$tmp/listed"
        LC_ALL=C comm -23 "$tmp/header" "$tmp/listed" |
                sed "s|.*|# &: RF_EXPORT in include/ringfence.h, missing from $exports: add it to \
the newest version node|"
        LC_ALL=C sort -u "$tmp/listed" | LC_ALL=C comm -13 "$tmp/header" - |
                sed "s|.*|# &: in $exports, but no RF_EXPORT function of include/ringfence.h|"
        LC_ALL=C uniq -d "$tmp/listed" | sed "s|.*|# &: listed more than once in $exports|"
        $AWK -v f="$exports" '$1 == node && $2 < prev {
        printf "# %s: %s: %s comes after %s: keep each node sorted\n", f, $1, $2, prev }
{ node = $1; prev = $2 }' "$tmp/nodes"
}

check_library() {
        so=$build/.libs/libringfence.so
        [ -f "$so" ] || { echo "ok 6 - the library exports exactly them # SKIP no $so"; return 0; }
        $NM -D -P --defined-only "$so" | $AWK '$2 != "A" { sub(/@.*/, "", $1); print $1 }' |
                LC_ALL=C sort -u >"$tmp/dynamic"
        if LC_ALL=C comm -3 "$tmp/header" "$tmp/dynamic" >"$tmp/diff" && [ ! -s "$tmp/diff" ]; then
                echo "ok 6 - the library exports exactly them"
        else
                sed "s|^\t\(.*\)|# \1: exported by $so, but not declared RF_EXPORT|; \
s|^[^#].*|# &: declared RF_EXPORT, but not exported by $so|" "$tmp/diff"
                echo "not ok 6 - the library exports exactly them"
        fi
}

echo "1..6"
include_edges >"$tmp/edges" || exit 99
if [ -n "$objects" ]; then
        symbol_edges >>"$tmp/edges" || { echo "Bail out! nm could not read the objects"; exit 1; }
        symbols=1
else
        symbols=0
fi
LC_ALL=C sort -u "$tmp/edges" | judge $symbols >"$tmp/tap"
check_exports >"$tmp/exports-diag"
cat "$tmp/exports-diag" >>"$tmp/tap"
if [ -s "$tmp/exports-diag" ]; then
        echo "not ok 5 - src/libringfence.sym lists the RF_EXPORT functions, once, sorted"
else
        echo "ok 5 - src/libringfence.sym lists the RF_EXPORT functions, once, sorted"
fi >>"$tmp/tap"
check_library >>"$tmp/tap"
cat "$tmp/tap"
! grep -q '^not ok' "$tmp/tap"
