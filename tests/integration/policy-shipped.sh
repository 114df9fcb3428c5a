#!/bin/bash
# SPDX-License-Identifier: MIT
# The shipped policies (policies/*.policy), each running a real program and each refusing what
# it should: gcc under build, sort, awk and python3 under compute, a python3 script under
# default, a TCP client under net-client, a static binary under strict.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 27

skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP $1"; }

# A project folder readable by everybody. As root the job runs as nobody, so the folder the
# build policy makes writable must be writable by nobody too.
CWD=$WORK/project
mkdir -p "$CWD" && chmod 755 "$WORK" && chmod 777 "$CWD" && cd "$CWD" || bail "cannot make $CWD"
P=$TOP_SRCDIR/policies
connect_py="import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=3); print('connected')"
server_start "$WORK/conns" || bail "could not start a TCP server on 127.0.0.1 with $PY"

# --- build: gcc compiles in the working tree ---------------------------------------------------
printf '#include <stdio.h>\nint main(void) { puts("built under ringfence"); return 0; }\n' >hello.c
printf 'hello: hello.c\n\t$(CC) -O2 -o hello hello.c\n' >Makefile
chmod 644 hello.c Makefile
rf -p "$P/build.policy" --json "$JSON" -- make -j4 CC=gcc
check "build: make runs gcc, which writes hello into the tree" \
        eval '[ "$RC" = 0 ] && [ "$(./hello)" = "built under ringfence" ]'
expect_eq "build: no system call was refused" "$(json_field "$JSON" violations)" "[]"
rf -p "$P/build.policy" -- "$PY" -c 'import os; print(os.cpu_count() > 0)'
check "build: python3 runs too" eval '[ "$RC" = 0 ] && has_line "$OUT" True'
rf -p "$P/build.policy" -- sh -c "echo x >'$WORK/outside'; echo x >/usr/outside"
check "build: writes outside the tree do not reach the host" \
        eval '[ ! -e "$WORK/outside" ] && [ ! -e /usr/outside ] && [ "$RC" != 0 ]'
rf -p "$P/build.policy" -- "$PY" -c "$connect_py" "$SRV_PORT"
check "build: no network" eval '[ "$RC" != 0 ] && ! has_line "$OUT" connected'

# --- compute: filters from stdin to stdout -----------------------------------------------------
printf 'pear\napple\nfig\n' >"$WORK/fruit"
RF_STDIN=$WORK/fruit
rf -p "$P/compute.policy" --json "$JSON" -- sort
check "compute: sort sorts stdin" eval '[ "$RC" = 0 ] && [ "$(tr "\n" " " <"$OUT")" = "apple fig pear " ]'
expect_eq "compute: sort made no refused system call" "$(json_field "$JSON" violations)" "[]"
rf -p "$P/compute.policy" --json "$JSON" -- awk '{ n += length($0) } END { print n }'
check "compute: awk counts" eval '[ "$RC" = 0 ] && [ "$(cat "$OUT")" = 12 ]'
rf -p "$P/compute.policy" --json "$JSON" -- "$PY" -c \
        'import sys, json; print(json.dumps(sorted(l.strip() for l in sys.stdin)))'
check "compute: python3 -c reads stdin and writes stdout, nothing refused" \
        eval '[ "$RC" = 0 ] && [ "$(cat "$OUT")" = "[\"apple\", \"fig\", \"pear\"]" ] && [ "$(json_field "$JSON" violations)" = "[]" ]'
RF_STDIN=/dev/null
seq 200000 | shuf >"$WORK/numbers" 2>/dev/null || seq 200000 -1 1 >"$WORK/numbers"
RF_STDIN=$WORK/numbers
rf -p "$P/compute.policy" -- sort -n -S 1M
RF_STDIN=/dev/null
check "compute: sort -n -S 1M of 200000 lines spills to /tmp and is right" \
        eval '[ "$RC" = 0 ] && [ "$(head -n1 "$OUT"; tail -n1 "$OUT")" = "$(printf "1\n200000")" ]'
rf -p "$P/compute.policy" --json "$JSON" -- "$PY" -c \
        'open("/tmp/scratch", "w").write("ok"); print(open("/tmp/scratch").read()); open("written", "w")'
check "compute: /tmp is writable, the working directory is not" \
        eval '[ "$RC" = 1 ] && has_line "$OUT" "^ok$" && has_line "$ERR" "Read-only file system" && [ ! -e written ]'
rf -p "$P/compute.policy" --json "$JSON" -- "$PY" -c 'import socket; socket.socket()'
check "compute: opening a socket is refused and recorded" \
        eval '[ "$RC" = 1 ] && [ "$(json_violation "$JSON" socket)" = "errno 1" ]'
rf -p "$P/compute.policy" --json "$JSON" -- "$PY" -c 'import os; os.fork()'
check "compute: starting a process is refused and recorded (clone)" \
        eval '[ "$RC" = 1 ] && [ "$(json_violation "$JSON" clone)" = "errno 1" ]'

# --- default: a python3 script -----------------------------------------------------------------
cat >"$CWD/primes.py" <<'EOF'
import sys, os, subprocess
n = int(sys.stdin.read())
primes = [p for p in range(2, n) if all(p % d for d in range(2, int(p ** 0.5) + 1))]
out = subprocess.run(["wc", "-w"], input=" ".join(map(str, primes)), capture_output=True, text=True)
print(len(primes), out.stdout.strip(), os.getcwd() == sys.argv[1])
EOF
chmod 644 "$CWD/primes.py"
echo 100 >"$WORK/n"
RF_STDIN=$WORK/n
rf -p default --json "$JSON" -- "$PY" "$CWD/primes.py" "$CWD"
RF_STDIN=/dev/null
check "default: a python3 script reads stdin, runs a subprocess, sees its working directory" \
        eval '[ "$RC" = 0 ] && [ "$(cat "$OUT")" = "25 25 True" ]'
rf -p default --json "$JSON" -- "$PY" -c \
        'import ctypes; print(ctypes.CDLL(None).unshare(0x10000000), ctypes.get_errno())'
check "default: unshare is refused and recorded" \
        eval '[ "$RC" = 0 ] && has_line "$OUT" "^-1" && [ "$(json_violation "$JSON" unshare)" = "errno 1" ]'
rf -p default -- "$PY" -c "$connect_py" "$SRV_PORT"
check "default: no network" eval '[ "$RC" != 0 ] && ! has_line "$OUT" connected'

# --- net-client: out to the network, nothing else ----------------------------------------------
before=$(cat "$WORK/conns")
rf -p "$P/net-client.policy" --json "$JSON" -- "$PY" -c \
        "import socket,sys; a = socket.getaddrinfo('localhost', int(sys.argv[1]), type=socket.SOCK_STREAM); socket.create_connection(('localhost', int(sys.argv[1])), timeout=3); print('connected')" "$SRV_PORT"
sleep 0.5
check "net-client: localhost resolves and the host's TCP server is reached" \
        eval '[ "$RC" = 0 ] && has_line "$OUT" connected && [ "$(cat "$WORK/conns")" = $((before + 1)) ]'
rf -p "$P/net-client.policy" -- "$PY" -c \
        'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(("127.0.0.1", 9)); print("udp")'
check "net-client: a UDP socket connects" eval '[ "$RC" = 0 ] && has_line "$OUT" udp'
rf -p "$P/net-client.policy" -- getent hosts localhost
check "net-client: getent hosts localhost (/etc/hosts, nsswitch)" eval '[ "$RC" = 0 ] && has_line "$OUT" localhost'
rf -p "$P/net-client.policy" --json "$JSON" -- "$PY" -c \
        'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW)'
check "net-client: a netlink socket is refused and recorded" \
        eval '[ "$RC" = 1 ] && [ "$(json_violation "$JSON" socket)" = "errno 1" ]'
rf -p "$P/net-client.policy" --json "$JSON" -- "$PY" -c \
        'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()'
check "net-client: listening is refused and recorded" \
        eval '[ "$RC" = 1 ] && [ "$(json_violation "$JSON" listen)" = "errno 1" ]'

# --- strict: a static binary reading stdin, writing stdout -------------------------------------
cat >"$CWD/upper.c" <<'EOF'
#include <ctype.h>
#include <stdio.h>
int main(void) { int c; while ((c = getchar()) != EOF) putchar(toupper(c)); return 0; }
EOF
cat >"$CWD/forks.c" <<'EOF'
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) { pid_t p = fork(); if (p == 0) _exit(0); waitpid(p, NULL, 0); puts("forked"); return 0; }
EOF
if cc -static -O2 -o "$CWD/upper" "$CWD/upper.c" 2>"$WORK/cc.err" &&
        cc -static -O2 -o "$CWD/forks" "$CWD/forks.c" 2>>"$WORK/cc.err"; then
        chmod 755 "$CWD/upper" "$CWD/forks"
        echo 'quiet please' >"$WORK/words"
        RF_STDIN=$WORK/words
        rf -p "$P/strict.policy" --json "$JSON" -- "$CWD/upper"
        RF_STDIN=/dev/null
        check "strict: the static binary upper turns stdin into upper case" \
                eval '[ "$RC" = 0 ] && [ "$(cat "$OUT")" = "QUIET PLEASE" ]'
        expect_eq "strict: nothing was refused" "$(json_field "$JSON" violations)" "[]"
        rf -p "$P/strict.policy" --json "$JSON" -- "$CWD/forks"
        check "strict: fork kills the job (violation, clone, kill)" \
                eval '[ "$(json_field "$JSON" status)" = violation ] && [ "$(json_violation "$JSON" clone)" = "kill 1" ] && ! has_line "$OUT" forked'
        rf -p "$P/strict.policy" --json "$JSON" -- "$CWD/upper" </dev/null
        check "strict: the same binary still runs with empty stdin" eval '[ "$RC" = 0 ]'
else
        diag "cc -static failed: $(head -c 300 "$WORK/cc.err")"
        skip "strict: cc -static is not available (glibc's libc.a)"
        skip "strict: nothing was refused"
        skip "strict: fork kills the job"
        skip "strict: the same binary still runs with empty stdin"
fi
rf -p "$P/strict.policy" -- "$CWD/no-such-program"
expect_rc "strict: a missing command exits 127 (the sandbox may still end)" 127
rf -p "$P/strict.policy" --json "$JSON" -- /bin/echo dynamic
check "strict: a dynamically linked program is killed (it needs more calls)" \
        eval '[ "$(json_field "$JSON" status)" = violation ] && ! has_line "$OUT" dynamic'

server_stop
exit 0
