#!/bin/bash
# SPDX-License-Identifier: MIT
# A small Makefile built with `make -j2 SHELL=ringfence-sh`: the result of a parallel build, a
# policy per target, .SHELLFLAGS = -ec, a failing recipe's status in make's message, and a
# recursive make that keeps the jobserver (make 4.3's pipe; make 4.4's fifo). Each make runs inside the outer net.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

SH_TOOL=${RINGFENCE_SH:-$TOP_BUILDDIR/ringfence-sh}
[ -x "$SH_TOOL" ] || bail "ringfence-sh was not built ($SH_TOOL)"
command -v make >/dev/null || { echo "1..0 # SKIP make is not installed"; exit 0; }
export RINGFENCE_POLICY=$TOP_SRCDIR/policies/build.policy
unset RINGFENCE_SET RINGFENCE_SH_INSIDE MAKEFLAGS MFLAGS MAKELEVEL

plan 11

P=$WORK/proj
mkdir -p "$P/sub" && chmod 755 "$WORK" "$P" && cd "$P" || bail "cannot make $P"
# The tool inside the tree, so that a make run inside a sandbox finds it (installed, it is under
# /usr, which every sandbox shows).
mkdir -p "$P/.tools" && cp "$SH_TOOL" "$P/.tools/" && SH_TOOL=$P/.tools/ringfence-sh ||
        bail "cannot copy ringfence-sh into $P/.tools"
# Recipes show where they ran: the sandbox's hostname is not the host's, and its pid 1 is not
# the host's init.
cat >Makefile <<'EOF'
parts = p1.txt p2.txt p3.txt p4.txt
all: sum.txt who.txt plain.txt
p%.txt:
	echo $* > $@.tmp && mv $@.tmp $@
sum.txt: $(parts)
	cat $(parts) | awk '{ s += $$1 } END { print s }' > $@
who.txt: export RINGFENCE_SET = env.set=WHO=target-policy
who.txt plain.txt:
	echo "$${WHO:-none} $$(cat /proc/1/comm)" > $@
fail:
	@echo before; exit 3
net:
	cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' \n' > net.txt
net-host: export RINGFENCE_SET = net=host
net-host:
	cat /proc/net/dev | tail -n +3 | wc -l > net-host.txt
recurse:
	+$(MAKE) -C sub
.PHONY: all fail net net-host recurse
EOF
cat >posix.mk <<'EOF'
.SHELLFLAGS = -ec
stop:
	false; echo after > after.txt
EOF
cat >sub/Makefile <<'EOF'
all: s1 s2
s1 s2:
	echo $@ > $@
EOF

# make_run ARGS...: `make SHELL=ringfence-sh ARGS...` in the outer net (120 s).
make_run() {
        LAST="make SHELL=ringfence-sh $*"
        outer_net_for 120 make SHELL="$SH_TOOL" "$@" </dev/null >"$OUT" 2>"$ERR"
        RC=$?
}

make_run -j2 all
check "make -j2 SHELL=ringfence-sh builds the tree (4 parts summed in parallel)" \
        eval '[ "$RC" = 0 ] && [ "$(cat sum.txt)" = 10 ]'
check "each recipe ran in a sandbox (its own pid namespace: pid 1 is ringfence's init)" \
        eval '[ "$(cut -d" " -f2 plain.txt)" != "$(cat /proc/1/comm)" ]'
expect_eq "a target's exported RINGFENCE_SET is its policy; other targets keep the default" \
        "$(cat who.txt) | $(cut -d' ' -f1 plain.txt)" "target-policy $(cut -d' ' -f2 who.txt) | none"

make_run fail
check "a failing recipe: make reports its status (Error 3) and fails" \
        eval '[ "$RC" = 2 ] && has_line "$ERR" "\[Makefile:[0-9]+: fail\] Error 3" && has_line "$OUT" ^before$'

make_run -f posix.mk stop
check ".SHELLFLAGS = -ec: the first failing command ends the recipe" \
        eval '[ "$RC" = 2 ] && [ ! -e after.txt ] && has_line "$ERR" "Error 1"'

make_run net net-host
check "network: none by default, the host's for a target that asks (RINGFENCE_SET net=host)" \
        eval '[ "$RC" = 0 ] && [ "$(cat net.txt)" = lo ] && [ "$(cat net-host.txt)" -ge 1 ]'

make_run -j2 recurse
check "a recursive make inside a recipe builds (its recipes run in the outer sandbox)" \
        eval '[ "$RC" = 0 ] && [ "$(cat sub/s1 sub/s2 | tr -d "\n")" = s1s2 ]'
check "... and keeps make's jobserver (no 'jobserver unavailable' warning)" \
        eval '! has_line "$ERR" "jobserver unavailable"'

# make 4.4 and later (and ninja 1.13) name a fifo instead of passing two fds:
# MAKEFLAGS=... --jobserver-auth=fifo:PATH. Debian 12's make 4.3 cannot, so the test makes the
# fifo (outside the project: the sandbox shows it only when ringfence-sh binds it in) and the
# variable, and the recipe does what a sub-make does: it takes a token and gives one back.
mkfifo -m 600 "$WORK/GMfifo-test" && exec 7<>"$WORK/GMfifo-test" && printf + >&7 ||
        bail "cannot make the fifo $WORK/GMfifo-test"
LAST="MAKEFLAGS=' -j2 --jobserver-auth=fifo:$WORK/GMfifo-test' ringfence-sh -c 'take a token, give one back'"
MAKEFLAGS=" -j2 --jobserver-auth=fifo:$WORK/GMfifo-test" outer_net_for 30 "$SH_TOOL" -c \
        'f=${MAKEFLAGS##*fifo:}; dd if="$f" bs=1 count=1 2>/dev/null && printf x >"$f"' \
        </dev/null >"$OUT" 2>"$ERR"
RC=$?
back=$(timeout 5 dd bs=1 count=1 <&7 2>/dev/null)
exec 7>&-
expect_eq "make 4.4's fifo jobserver is bound into the sandbox: the recipe took the token, gave one back" \
        "$RC $(cat "$OUT") $back" "0 + x"

# .ONESHELL through a link named sh: make strips the @ of every line (it does so only for a
# shell it knows by name) and still runs the recipe through ringfence-sh, in a sandbox.
mkdir -p "$P/.tools/l" && ln -sf "$SH_TOOL" "$P/.tools/l/sh" && printf '%s\n' .ONESHELL: 'one:' \
        '	@echo first > one.txt' '	@echo second >> one.txt' '	@cat /proc/1/comm >> one.txt' >one.mk
LAST="make -f one.mk SHELL=$P/.tools/l/sh"
outer_net_for 60 make -f one.mk SHELL="$P/.tools/l/sh" </dev/null >"$OUT" 2>"$ERR"
RC=$?
expect_eq ".ONESHELL with SHELL a link named sh: the @ stripped from every line, run in a sandbox" \
        "$RC $(head -2 one.txt | tr '\n' ' ')$([ "$(sed -n 3p one.txt)" != "$(cat /proc/1/comm)" ] && echo sandboxed)" \
        "0 first second sandboxed"

rm -f p*.txt sum.txt
make_run -j2 sum.txt SHELL="$SH_TOOL --set limit.memory=bogus"
check "a bad option in SHELL: make stops with ringfence-sh's one-line error (125)" \
        eval '[ "$RC" = 2 ] && has_line "$ERR" "^ringfence-sh: .*limit.memory" && has_line "$ERR" "Error 125" && [ ! -e sum.txt ]'
