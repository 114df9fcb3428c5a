#!/bin/bash
# SPDX-License-Identifier: MIT
# `ringfence policy`: check (0, or 125 and FILE:LINE:COLUMN), show (each line with its origin,
# loadable again), explain (allowed or refused and by which line; exit 0, 1 or 2), groups, and
# bpf (the compiled filter, one instruction a line).
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 31

cd "$WORK" || bail "cannot cd to $WORK"
P=$TOP_SRCDIR/policies
# pol ARGS...: run `ringfence policy ARGS...`, keeping stdout, stderr and the status.
pol() {
        LAST="ringfence policy $*"
        "$RINGFENCE" policy "$@" >"$OUT" 2>"$ERR"
        RC=$?
}

# --- check --------------------------------------------------------------------------------------
pol check "$P/default.policy" "$P/build.policy" "$P/compute.policy" "$P/net-client.policy" \
        "$P/strict.policy"
check "check: every shipped policy loads and compiles (exit 0, one ok line each)" \
        eval '[ "$RC" = 0 ] && [ "$(grep -c ": ok, " "$OUT")" = 5 ]'
printf 'net = none\n\nseccomp.allow = ioctl: arg1 == TCGETS ||| arg1 == 2\n' >bad.policy
printf 'limit.pids = 10\n' >good.policy
pol check bad.policy good.policy
check "check: a bad file exits 125 with FILE:LINE:COLUMN: what, expected what" \
        eval '[ "$RC" = 125 ] && [ "$(cat "$ERR")" = "bad.policy:3:41: unexpected '"'|'"', expected an argument arg0 to arg5" ]'
check "check: the good file after it is still checked" has_line "$OUT" "^good.policy: ok"
printf 'include bad.policy\n' >inc.policy
pol check inc.policy
check "check: an error in an included file names that file" \
        eval '[ "$RC" = 125 ] && has_line "$ERR" "^bad.policy:3:41: "'
printf 'include loop.policy\n' >loop.policy
pol check loop.policy
check "check: an include cycle names the chain" \
        eval '[ "$RC" = 125 ] && has_line "$ERR" "^loop.policy:1:9: include cycle: loop.policy -> loop.policy, expected"'
printf 'seccomp.report = read\nseccomp.allow = read: arg0 == 0\n' >conflict.policy
pol check conflict.policy
check "check: a policy that cannot compile exits 125 and says why" \
        eval '[ "$RC" = 125 ] && has_line "$ERR" "cannot override the rule without conditions from conflict.policy:1"'
pol check
expect_rc "check without files: 125" 125

# --- show -----------------------------------------------------------------------------------------
printf 'include default\nnet = host\nfs.rw = $PWD\nseccomp.allow = socket: arg0 == AF_UNIX\n' >mine.policy
pol show mine.policy --set limit.memory=2G
check "show: net from its line" has_line "$OUT" "^net = host +# from mine.policy:2$"
check "show: \$PWD expanded, with its line" has_line "$OUT" "^fs.rw = $WORK +# from mine.policy:3$"
check "show: --set overrides, from --set" has_line "$OUT" "^limit.memory = 2G +# from --set$"
check "show: the default's settings from the default policy" \
        has_line "$OUT" "^seccomp.report = ptrace +# from default policy$"
check "show: argument conditions as numbers" \
        has_line "$OUT" "^seccomp.allow = socket: arg0 == 1 +# from mine.policy:4$"
cp "$OUT" shown.policy
pol check shown.policy
check "show's output is a policy that checks" eval '[ "$RC" = 0 ]'
pol show "$TOP_SRCDIR/tests/data/docker-seccomp/example.json"
check "show FILE.json: the profile's rules, from syscalls[i]" \
        has_line "$OUT" "^seccomp.allow = open +# from .*example.json syscalls\[1\]$"
pol show nosuch
check "show nosuch: 125" eval '[ "$RC" = 125 ] && has_line "$ERR" "no policy named .nosuch."'
mkdir -p sub
pol show default --set fs.rw=. --set fs.ro=sub/../lib --set fs.tmpfs=./t --set fs.hide=sub/x
check "show: relative fs.* paths given with --set are taken from the working directory" \
        eval 'has_line "$OUT" "^fs.rw = $WORK +# from --set$" &&
              has_line "$OUT" "^fs.ro = $WORK/lib +# from --set$" &&
              has_line "$OUT" "^fs.tmpfs = $WORK/t +# from --set$" &&
              has_line "$OUT" "^fs.hide = $WORK/sub/x +# from --set$"'
printf 'fs.rw = out\n' >rel.policy
pol check rel.policy
check "check: a relative path in a policy file stays an error" \
        eval '[ "$RC" = 125 ] && has_line "$ERR" "^rel.policy:1:9: fs.rw: .out. is not an absolute path, expected one such as /srv/data or \\\$PWD/out$"'
pol show default --set limit.timeout=0.4ms
check "show: --set limit.timeout=0.4ms is refused (125), not shown as none" \
        eval '[ "$RC" = 125 ] && has_line "$ERR" "limit.timeout: duration .0.4ms. is below the resolution of 1ms, expected at least 1ms$"'
pol show default --set limit.memory=64m --set limit.file-size=4k
check "show: lowercase sizes are the capitals" \
        eval 'has_line "$OUT" "^limit.memory = 64M +# from --set$" && has_line "$OUT" "^limit.file-size = 4K +# from --set$"'
: >empty.policy
printf '# nothing but a comment\n\n' >comments.policy
pol check empty.policy comments.policy good.policy
check "check: an empty policy file loads (0) with a one-line warning, as does one of comments" \
        eval '[ "$RC" = 0 ] && [ "$(wc -l <"$ERR")" = 2 ] &&
              has_line "$ERR" "^ringfence: warning: policy file .empty.policy. has no settings, so it changes nothing$" &&
              has_line "$ERR" "^ringfence: warning: policy file .comments.policy. has no settings"'

# --- explain --------------------------------------------------------------------------------------
pol explain default ptrace
check "explain default ptrace: refused by its line, exit 1" eval \
        '[ "$RC" = 1 ] && [ "$(cat "$OUT")" = "ptrace: refused (fails with EPERM, reported), by default policy: seccomp.report = ptrace" ]'
pol explain default read
check "explain default read: allowed, exit 0" eval '[ "$RC" = 0 ] && has_line "$OUT" "^read: allowed, by default policy"'
pol explain mine.policy socket
check "explain socket under mine.policy: depends on arguments, exit 2, lists the rule" eval \
        '[ "$RC" = 2 ] && has_line "$OUT" "^  allowed, by mine.policy:4: seccomp.allow = socket: arg0 == 1$"'
pol explain mine.policy socket AF_UNIX 1 0
check "explain socket AF_UNIX: allowed by mine.policy:4" eval \
        '[ "$RC" = 0 ] && has_line "$OUT" "^socket\(AF_UNIX, 1, 0\): allowed, by mine.policy:4"'
pol explain default ioctl 1 TIOCSTI
check "explain default ioctl 1 TIOCSTI: refused" eval '[ "$RC" = 1 ] && has_line "$OUT" "refused"'
pol explain default nosuch
check "explain an unknown call: 125" eval '[ "$RC" = 125 ] && has_line "$ERR" "unknown system call .nosuch."'

# --- groups ---------------------------------------------------------------------------------------
pol groups
check "groups: @file-system, @network-io, @process and @signal are listed" \
        eval '[ "$RC" = 0 ] && has_line "$OUT" "^@file-system: " && has_line "$OUT" "^@network-io: " && has_line "$OUT" "^@process: " && has_line "$OUT" "^@signal: "'
pol groups @network-io
check "groups @network-io: its calls" eval '[ "$RC" = 0 ] && has_line "$OUT" " connect " && ! has_line "$OUT" "^@signal"'

# --- bpf ------------------------------------------------------------------------------------------
pol bpf "$P/strict.policy"
check "bpf: one numbered instruction a line, syscalls and actions named" \
        eval '[ "$RC" = 0 ] && has_line "$OUT" "^ +0: ld \[4\] +; A = architecture$" && has_line "$OUT" "; execve$" && has_line "$OUT" "; allow$"'
n_insns=$(grep -c '^ *[0-9]*: ' "$OUT")
check "bpf: as many lines as the header says instructions" \
        has_line "$OUT" "^# The notify program of .*strict.policy: $n_insns instructions"
pol bpf --kill default
check "bpf --kill: the kill program" eval '[ "$RC" = 0 ] && has_line "$OUT" "^# The kill program of default" && has_line "$OUT" "; kill the process$"'

exit 0
