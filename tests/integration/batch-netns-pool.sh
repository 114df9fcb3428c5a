#!/bin/bash
# SPDX-License-Identifier: MIT
# Pooled network namespaces (src/sandbox/netns-pool.c): as root, a job joins an empty network
# namespace that an earlier, finished job had, instead of creating one. What a job sees must not
# change: only its loopback, never the host's network, and never another job's sockets, neither
# those of a job before it in the same namespace nor those of a job running beside it.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 10

if [ "$(id -u)" != 0 ]; then
        for i in 1 2 3 4 5 6 7 8 9 10; do ok "skipped # SKIP the pool is used as root only (this run is not root)"; done
        exit 0
fi
PORT=$((41000 + $$ % 2000))
# Each script below prints its network namespace first; they are passed as {} to python3 -c.
show_ns="import os; print(os.readlink('/proc/self/ns/net'), flush=True)"

# A listener on 127.0.0.1:PORT, in the background of a job that then exits (its pid namespace
# dies with it, the listener too); a connection to itself that it closes first (TIME_WAIT).
leave_py="$show_ns
import os, socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $PORT)); s.listen(8)
c = socket.create_connection(('127.0.0.1', $PORT)); a, _ = s.accept(); c.close(); a.close()
if os.fork() == 0:
    time.sleep(60)
print('left', flush=True)"
# Try PORT: connect (must be refused), then bind it without SO_REUSEADDR (must work), and count
# the TCP/UDP and unix sockets this namespace shows (its own bound, unlistening one is not listed).
probe_py="$show_ns
import socket
try:
    socket.create_connection(('127.0.0.1', $PORT), timeout=2); print('connected')
except ConnectionRefusedError:
    print('refused')
except OSError as e:
    print('error', e.errno)
s = socket.socket(); s.bind(('127.0.0.1', $PORT)); print('bound')
n = sum(len(open('/proc/net/' + f).readlines()) - 1 for f in ('tcp', 'tcp6', 'udp', 'udp6', 'unix'))
print('sockets', n)"
netns='readlink /proc/self/ns/net'

# --- one job after the other: the same namespace, clean -----------------------------------------
rfb_net -j 1 -k -- sh -c "$netns" ::: 1 2 3
expect_eq "-j 1: three jobs, one after the other, had the same pooled namespace (the pool is used)" \
        "$(sort -u "$OUT" | wc -l | tr -d ' '):$RC" "1:0"
check "the pooled namespace is not the host's" eval '[ "$(head -n1 "$OUT")" != "$(readlink /proc/self/ns/net)" ]'
rfb_net -j 1 -k -- "$PY" -c {} ::: "$leave_py" "$probe_py"
expect_eq "job A (listener left in its background) and job B ran in the same namespace" \
        "$(grep -c '^net:' "$OUT"):$(grep '^net:' "$OUT" | sort -u | wc -l | tr -d ' ')" "2:1"
check "job A listened and left" has_line "$OUT" '^left$'
check "job B: a connection to A's port is refused (A's listener died with A)" has_line "$OUT" '^refused$'
check "job B: can bind A's port (no socket and no TIME_WAIT of A's is left)" has_line "$OUT" '^bound$'
expect_eq "job B sees no socket but its own (/proc/net/tcp, tcp6, udp, udp6, unix)" \
        "$(grep '^sockets' "$OUT")" "sockets 0"

# --- two jobs at once: never the same namespace --------------------------------------------------
hold_py="$show_ns
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', $PORT)); s.listen(8); print('holding', flush=True); time.sleep(4)"
try_py="$show_ns
import socket, time
time.sleep(1.5)
try:
    socket.create_connection(('127.0.0.1', $PORT), timeout=2); print('connected')
except ConnectionRefusedError:
    print('refused')"
rfb_net -j 2 -k -- "$PY" -c {} ::: "$hold_py" "$try_py"
expect_eq "-j 2: two jobs in flight have two different namespaces" \
        "$(grep '^net:' "$OUT" | sort -u | wc -l | tr -d ' ')" "2"
check "a job cannot reach the listener of the job running beside it" \
        eval 'has_line "$OUT" "^holding$" && has_line "$OUT" "^refused$" && ! has_line "$OUT" "^connected$"'

# --- RINGFENCE_NETNS_POOL=0: a new namespace per job, as before ------------------------------------
RINGFENCE_NETNS_POOL=0 rfb_net -j 1 -k -- "$PY" -c {} ::: "$probe_py"
expect_eq "RINGFENCE_NETNS_POOL=0: a fresh namespace, the same clean view" \
        "$(grep -v '^net:' "$OUT" | tr '\n' ' ')" "refused bound sockets 0 "
