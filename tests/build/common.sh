# SPDX-License-Identifier: MIT
# Shared by tests/build/*.sh: find ringfence-sh, put it where sandboxes see it, and compare two
# install trees and two make check outcomes. Sourced by bash scripts.

say() { printf '== %s\n' "$*"; }
die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# rfsh_setup SRC W: copy the built ringfence-sh to W/tool (a sandbox of a recursive make must
# find it there) and set RFSH to it. RINGFENCE_SH names the binary, else SRC/build's.
rfsh_setup() {
        local src=$1 w=$2 bin=${RINGFENCE_SH:-$1/build/ringfence-sh}
        [ -x "$bin" ] || die "no built ringfence-sh at $bin (set RINGFENCE_SH)"
        mkdir -p "$w/tool" && cp "$bin" "$w/tool/ringfence-sh" && chmod -R a+rX "$w/tool" ||
                die "cannot copy $bin to $w/tool"
        RFSH=$w/tool/ringfence-sh
        export RINGFENCE_POLICY=${RINGFENCE_POLICY:-$src/policies/build.policy}
}

# install_listing DIR: every path below DIR with its type, mode and (for files) SHA-256.
install_listing() {
        (cd "$1" && find . -printf '%P\t%y\t%m\n' | LC_ALL=C sort | while IFS=$'\t' read -r p y m; do
                if [ "$y" = f ]; then
                        printf '%s\t%s\t%s\t%s\n' "$p" "$y" "$m" "$(sha256sum <"$p" | cut -d' ' -f1)"
                else
                        printf '%s\t%s\t%s\n' "$p" "$y" "$m"
                fi
        done)
}

# compare_installs A B: the same files, modes and contents, or the differences and a failure.
compare_installs() {
        install_listing "$1" >"$1.list"
        install_listing "$2" >"$2.list"
        if cmp -s "$1.list" "$2.list"; then
                say "same installed files: $(wc -l <"$1.list") paths, the same modes and contents"
        else
                diff "$1.list" "$2.list" | head -40
                die "the installed files differ ($1 against $2)"
        fi
}

# check_outcome LOGDIR: each test's result (PASS/FAIL/SKIP/XFAIL...) from an automake tree's
# test logs, one "name result" per line, sorted. Subtests are counted per result. A distcheck's
# copy (PACKAGE-VERSION/_build/) left in the tree is not part of its outcome.
check_outcome() {
        (cd "$1" && find . -name '*.trs' -not -path '*/_build/*' | LC_ALL=C sort | while read -r t; do
                printf '%s %s\n' "${t%.trs}" "$(sed -n 's/^:test-result: //p' "$t" | sort | uniq -c |
                        awk '{ printf "%s=%s ", $2, $1 }')"
        done)
}

# compare_outcomes A B: the same make check outcome test by test.
compare_outcomes() {
        check_outcome "$1" >"$1.outcome"
        check_outcome "$2" >"$2.outcome"
        [ -s "$1.outcome" ] || die "no test results under $1"
        if cmp -s "$1.outcome" "$2.outcome"; then
                say "same make check outcome: $(wc -l <"$1.outcome") test programs, result by result"
        else
                diff "$1.outcome" "$2.outcome" | head -40
                die "the make check outcomes differ"
        fi
}
