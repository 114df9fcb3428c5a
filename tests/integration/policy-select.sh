#!/bin/bash
# SPDX-License-Identifier: MIT
# Choosing a policy: `ringfence run -p NAME|FILE|FILE.json` and `batch -p`, --policy, flags that
# override the policy wherever -p stands, several -p in order, the built-in `none`, and the
# errors (exit 125, FILE:LINE:COLUMN).
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 23

# A project folder readable by everybody, with the shipped policies in ./policies (names are
# looked up in the installed folder first, which a build tree has not got).
CWD=$WORK/project
mkdir -p "$CWD/policies" && cp "$TOP_SRCDIR"/policies/*.policy "$CWD/policies/" &&
        chmod -R a+rX "$WORK" && cd "$CWD" || bail "cannot set up $CWD"

# --- -p NAME, -p FILE, -p FILE.json ---------------------------------------------------------
printf 'limit.timeout = 1s\n' >short.policy
rf -p short.policy -- sleep 5
expect_rc "-p FILE: the file's limit.timeout = 1s ends sleep 5 with 124" 124
rf --policy short.policy -- true
expect_rc "--policy FILE works the same (true exits 0)" 0
rf --policy=short.policy -- sleep 5
expect_rc "--policy=FILE works the same (124)" 124
rf -pshort.policy -- sleep 5
expect_rc "-pFILE works the same (124)" 124

rf -p compute --json "$JSON" -- "$PY" -c 'import socket; socket.socket()'
check "-p compute (./policies/compute.policy by name): a socket is refused and recorded" \
        eval '[ "$RC" = 1 ] && [ "$(json_violation "$JSON" socket)" = "errno 1" ]'
rf -p default --json "$JSON" -- "$PY" -c 'import socket; socket.socket(); print("made")'
check "-p default: the embedded default allows the socket" eval '[ "$RC" = 0 ] && has_line "$OUT" made'

profile=$TOP_SRCDIR/tests/data/docker-seccomp/default.json
rf -p "$profile" -- "$PY" -c 'print("under docker")'
check "-p Docker's default.json: python3 runs" eval '[ "$RC" = 0 ] && has_line "$OUT" "under docker"'
rf -p "$TOP_SRCDIR/tests/data/docker-seccomp/example.json" --json "$JSON" -- cat /dev/null
check "-p example.json (its syscalls only, the rest EPERM): cat fails" eval '[ "$RC" != 0 ]'

# --- the other flags override the policy, before or after -p -------------------------------
rf --timeout 5s -p short.policy -- sleep 2
expect_rc "--timeout 5s before -p short.policy still wins (sleep 2 exits 0)" 0
rf -p short.policy --timeout 5s -- sleep 2
expect_rc "--timeout 5s after -p short.policy wins too (0)" 0
rf --set limit.timeout=none -p short.policy -- sleep 2
expect_rc "--set limit.timeout=none before -p wins (0)" 0
printf 'limit.timeout = 30s\n' >long.policy
rf -p short.policy -p long.policy -- sleep 2
expect_rc "several -p apply in order: the later long.policy wins (0)" 0

# --- the built-in none: no sandbox at all ---------------------------------------------------
rf -p none -- sh -c 'id -u; uname -n'
expect_eq "-p none: the caller's uid, the host's name" "$(head -n2 "$OUT" | tr '\n' ' ')" \
        "$(id -u) $(uname -n) "
server_start "$WORK/conns" || bail "could not start a TCP server on 127.0.0.1 with $PY"
connect_py="import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=3); print('connected')"
rf -p none -- "$PY" -c "$connect_py" "$SRV_PORT"
check "-p none: the host's network" eval '[ "$RC" = 0 ] && has_line "$OUT" connected'
rf -- "$PY" -c "$connect_py" "$SRV_PORT"
check "without -p: no network (the default)" eval '[ "$RC" != 0 ] && ! has_line "$OUT" connected'
server_stop

# --- errors: 125 and where ---------------------------------------------------------------
printf '# bad\nnet = moon\n' >bad.policy
rf -p bad.policy -- true
check "-p bad.policy: exit 125 and FILE:LINE:COLUMN: what, expected what" eval \
        '[ "$RC" = 125 ] && [ "$(cat "$ERR")" = "ringfence run: bad.policy:2:7: net: invalid value '"'"'moon'"'"', expected none, loopback or host" ]'
rf -p nosuch -- true
check "-p nosuch: exit 125, says where it looked" eval \
        '[ "$RC" = 125 ] && has_line "$ERR" "^ringfence run: no policy named .nosuch. in .* or ./policies, expected"'
rf -p missing.policy -- true
check "-p missing.policy: exit 125, cannot read it" eval \
        '[ "$RC" = 125 ] && has_line "$ERR" "cannot read policy file .missing.policy.: No such file or directory"'
rf -p "$WORK/bad.json" -- true
check "-p missing .json: exit 125" eval '[ "$RC" = 125 ] && has_line "$ERR" "bad.json"'
rf -p
check "-p without a value: exit 125" eval '[ "$RC" = 125 ] && has_line "$ERR" "expected NAME|FILE"'

# --- batch -p ---------------------------------------------------------------------------------
LAST="ringfence batch -p short.policy --json ... -- sleep ::: 0 5"
"$RINGFENCE" batch -p short.policy --json "$WORK/b.json" -- sleep ::: 0 5 >"$OUT" 2>"$ERR"
RC=$?
check "batch -p FILE: the policy's 1s limit times out sleep 5, not sleep 0" "$PY" -c '
import json, sys
recs = sorted((json.loads(l) for l in open(sys.argv[1])), key=lambda r: r["job"])
assert [r["status"] for r in recs] == ["ok", "timeout"], [r["status"] for r in recs]' "$WORK/b.json"
LAST="ringfence batch --timeout 9s -p short.policy -- sleep ::: 2"
"$RINGFENCE" batch --timeout 9s -p short.policy -- sleep ::: 2 >"$OUT" 2>"$ERR"
RC=$?
expect_rc "batch: --timeout before -p overrides the policy (exit 0)" 0
LAST="ringfence batch -p bad.policy -- true ::: 1"
"$RINGFENCE" batch -p bad.policy -- true ::: 1 >"$OUT" 2>"$ERR"
RC=$?
check "batch -p bad.policy: exit 125 with the position" eval \
        '[ "$RC" = 125 ] && has_line "$ERR" "^ringfence batch: bad.policy:2:7: net: invalid value"'

exit 0
