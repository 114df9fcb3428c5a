# SPDX-License-Identifier: MIT
# Shared helpers for the integration tests: TAP output, running `ringfence run` and keeping
# what it did, reading the JSON record (with python3, never grep), and the outer net, a
# cgroup of the test's own with pids.max=512 and 1G of memory around every attack.
#
# Sourced by bash scripts. Environment: RINGFENCE (the built tool), TOP_SRCDIR, TOP_BUILDDIR,
# HOSTILE_DIR (where the tests/hostile helpers were built; found by itself when unset).

set -u
# Under `make check -jN` the tests inherit make's MAKEFLAGS, whose jobserver ringfence batch
# would join (or warn about): each test says itself when it wants a jobserver.
unset MAKEFLAGS MFLAGS

PY=/usr/bin/python3
# The script's own stdout, for TAP lines written while a run's stdout is redirected.
exec 9>&1
TAP_N=0
TAP_FAILED=0

# --- TAP ---------------------------------------------------------------------------------
plan() { echo "1..$1"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
# With TODO set (TODO="why" check ...), a result is a known gap: TAP's "# TODO", which the driver
# reports as XFAIL (or XPASS once fixed, which fails the suite until the TODO is removed).
ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1${TODO:+ # TODO $TODO}"; }
not_ok() {
        TAP_N=$((TAP_N + 1))
        [ -n "${TODO:-}" ] || TAP_FAILED=$((TAP_FAILED + 1))
        echo "not ok $TAP_N - $1${TODO:+ # TODO $TODO}"
        shift
        [ $# -gt 0 ] && diag "$@"
        return 0
}
# Abort the whole script: a test that cannot run says why and fails.
bail() { echo "Bail out! $*"; exit 1; }

# --- the tool under test -----------------------------------------------------------------
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TOP_SRCDIR:=$(cd "$here/../.." && pwd)}"
if [ -z "${RINGFENCE:-}" ]; then
        for c in "${TOP_BUILDDIR:-}/ringfence" "$TOP_SRCDIR/build/ringfence" "$TOP_SRCDIR/ringfence"; do
                [ -x "$c" ] && { RINGFENCE=$c; break; }
        done
fi
[ -n "${RINGFENCE:-}" ] || bail "RINGFENCE is not set and no built ringfence was found"
case $RINGFENCE in /*) ;; *) RINGFENCE=$(cd "$(dirname "$RINGFENCE")" && pwd)/$(basename "$RINGFENCE") ;; esac
[ -x "$RINGFENCE" ] || bail "RINGFENCE=$RINGFENCE is not an executable file"
: "${TOP_BUILDDIR:=$(dirname "$RINGFENCE")}"
[ -x "$PY" ] || bail "$PY is needed to read the JSON records and was not found"

# The hostile helpers (tests/hostile/*.c): built by make check, or by hand into /tmp/it-build.
find_hostile() {
        local d
        for d in "${HOSTILE_DIR:-}" "$TOP_BUILDDIR/tests/hostile" /tmp/it-build; do
                [ -n "$d" ] && [ -x "$d/try-syscall" ] && [ -x "$d/fork-bomb" ] &&
                        [ -x "$d/mem-hog" ] && [ -x "$d/setuid-id" ] && { echo "$d"; return 0; }
        done
        return 1
}

# A scratch folder for this script, removed at exit (with the outer-net cgroups).
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rf-it.XXXXXX") || bail "mktemp -d failed"
chmod 755 "$WORK"
CLEANUP_CGROUPS=()
lib_cleanup() {
        local d
        for d in "${CLEANUP_CGROUPS[@]}"; do cgroup_remove "$d"; done
        rm -rf "$WORK"
}
trap lib_cleanup EXIT

# Copy the hostile helpers into a world-readable folder of WORK (so that the sandbox and an
# unprivileged user can see them) and set H to it. Fails the script when they are missing.
setup_hostile() {
        local src
        src=$(find_hostile) || bail "the hostile helpers (tests/hostile: try-syscall fork-bomb mem-hog setuid-id) are not built; set HOSTILE_DIR or run make check"
        H=$WORK/hostile
        mkdir -p "$H" && cp "$src"/try-syscall "$src"/fork-bomb "$src"/mem-hog "$src"/setuid-id "$H"/ &&
                chmod 755 "$H" "$H"/* || bail "could not copy the hostile helpers to $H"
}

# RF_PREFIX: words put before the tool (run-unprivileged.sh sets it to a setpriv call).
RF_PREFIX=()
# Run `ringfence run ARGS...` with stdin from /dev/null (or RF_STDIN), keeping stdout in
# $OUT, stderr in $ERR, the exit status in $RC, the wall time in $WALL_MS and the command in
# $LAST. `rf_net` does the same inside the outer net.
OUT=$WORK/out ERR=$WORK/err JSON=$WORK/record.json RC=0 WALL_MS=0 LAST=
RF_STDIN=/dev/null
rf_exec() {
        local net=$1 t0 t1
        shift
        LAST="ringfence run $*"
        rm -f "$JSON"
        t0=$(date +%s%N)
        if [ "$net" = 1 ]; then
                outer_net "${RF_PREFIX[@]}" "$RINGFENCE" run "$@" <"$RF_STDIN" >"$OUT" 2>"$ERR"
        else
                "${RF_PREFIX[@]}" "$RINGFENCE" run "$@" <"$RF_STDIN" >"$OUT" 2>"$ERR"
        fi
        RC=$?
        t1=$(date +%s%N)
        WALL_MS=$(((t1 - t0) / 1000000))
        return 0
}
rf() { rf_exec 0 "$@"; }
rf_net() { rf_exec 1 "$@"; }

# What the last run did, for diagnostics.
last_run() {
        echo "command: $LAST"
        echo "exit status: $RC, wall: ${WALL_MS} ms"
        echo "stdout: $(head -c 600 "$OUT" | tr '\n' '|')"
        echo "stderr: $(head -c 600 "$ERR" | tr '\n' '|')"
        [ -s "$JSON" ] && echo "record: $(head -c 900 "$JSON")"
        return 0
}

# check DESC CMD...: ok when CMD succeeds, else not ok with the last run's details.
check() {
        local desc=$1
        shift
        if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*" "$(last_run)"; fi
}
# expect_eq DESC GOT WANT
expect_eq() {
        if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $3" "got: $2" "$(last_run)"; fi
}
# expect_rc DESC WANT: the last run's exit status.
expect_rc() { expect_eq "$1" "$RC" "$2"; }
# has_line FILE REGEX (extended): a line of FILE matches.
has_line() { grep -Eq -- "$2" "$1"; }

# --- the JSON record ---------------------------------------------------------------------
# json_field FILE KEY: the value at KEY (dots walk into objects, numbers index arrays):
# strings as they are, null/true/false as words, others as JSON. Fails when absent.
json_field() {
        "$PY" - "$1" "$2" <<'PYEOF'
import json, sys
try:
    with open(sys.argv[1]) as f:
        v = json.loads(f.readline())
    for k in sys.argv[2].split("."):
        v = v[int(k)] if isinstance(v, list) else v[k]
except Exception as e:
    print("(no %s: %s)" % (sys.argv[2], e)); sys.exit(1)
print(v if isinstance(v, str) else json.dumps(v))
PYEOF
}
# json_violation FILE SYSCALL: the action recorded for SYSCALL ("errno", "kill"...), and its
# count after a space; fails when the record names no such syscall.
json_violation() {
        "$PY" - "$1" "$2" <<'PYEOF'
import json, sys
try:
    with open(sys.argv[1]) as f:
        r = json.loads(f.readline())
except Exception as e:
    print("(no record: %s)" % e); sys.exit(1)
for v in r.get("violations") or []:
    if v.get("syscall") == sys.argv[2]:
        print(v.get("action"), v.get("count")); sys.exit(0)
print("(not in violations: %s)" % json.dumps(r.get("violations"))); sys.exit(1)
PYEOF
}

# --- the outer net ------------------------------------------------------------------------
# Host-wide process count (for "the host is unharmed").
host_pids() { local n=0 p; for p in /proc/[0-9]*; do n=$((n + 1)); done; echo "$n"; }

# The path of this process's cgroup for a v1 controller, or of the v2 one (controller "").
own_cgroup() {
        local ctl=$1 line
        while IFS= read -r line; do
                if [ -z "$ctl" ]; then
                        case $line in 0::*) echo "${line#0::}"; return 0 ;; esac
                else
                        local rest=${line#*:}
                        local ctls=${rest%%:*}
                        case ",$ctls," in *",$ctl,"*) echo "${rest#*:}"; return 0 ;; esac
                fi
        done </proc/self/cgroup
        return 1
}

# Kill what is left in cgroup dir D and everything below it (only pids listed there), then
# remove the folders, deepest first.
cgroup_remove() {
        local d=$1 i p f
        [ -d "$d" ] || return 0
        for i in 1 2 3 4 5 6 7 8 9 10; do
                local any=0
                while IFS= read -r f; do
                        while IFS= read -r p; do
                                [ -n "$p" ] && { any=1; kill -KILL "$p" 2>/dev/null; }
                        done <"$f"
                done < <(find "$d" -name cgroup.procs 2>/dev/null)
                [ $any = 0 ] && break
                sleep 0.2
        done
        find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
}

# Processes left anywhere below cgroup folder D.
cgroup_count() {
        local n=0 f p
        while IFS= read -r f; do
                while IFS= read -r p; do [ -n "$p" ] && n=$((n + 1)); done <"$f"
        done < <(find "$1" -name cgroup.procs 2>/dev/null)
        echo "$n"
}

# Create the outer-net cgroups for one run; sets NET_DIRS and NET_PIDS_DIR (may be empty).
NET_SEQ=0
NET_NOTE_SAID=0
NET_DIRS=()
NET_PIDS_DIR=
outer_net_make() {
        local name own d
        NET_SEQ=$((NET_SEQ + 1))
        name=rf-it-$$-$NET_SEQ
        NET_DIRS=() NET_PIDS_DIR=
        [ "$(id -u)" = 0 ] || return 1
        if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
                own=$(own_cgroup "") || return 1
                d=/sys/fs/cgroup${own%/}/$name
                mkdir "$d" 2>/dev/null || return 1
                NET_DIRS=("$d") CLEANUP_CGROUPS+=("$d")
                if ! { echo 512 >"$d/pids.max" && echo 1G >"$d/memory.max"; } 2>/dev/null; then
                        cgroup_remove "$d"; NET_DIRS=(); return 1
                fi
                NET_PIDS_DIR=$d
        else
                local ctl
                for ctl in pids memory; do
                        own=$(own_cgroup $ctl) || { outer_net_drop; return 1; }
                        d=/sys/fs/cgroup/$ctl${own%/}/$name
                        mkdir "$d" 2>/dev/null || { outer_net_drop; return 1; }
                        NET_DIRS+=("$d") CLEANUP_CGROUPS+=("$d")
                done
                if ! { echo 512 >"${NET_DIRS[0]}/pids.max" &&
                       echo 1G >"${NET_DIRS[1]}/memory.limit_in_bytes"; } 2>/dev/null; then
                        outer_net_drop; return 1
                fi
                NET_PIDS_DIR=${NET_DIRS[0]}
        fi
        return 0
}
outer_net_drop() { local d; for d in "${NET_DIRS[@]}"; do cgroup_remove "$d"; done; NET_DIRS=(); }

# outer_net CMD...: run CMD in a fresh cgroup below the test's own (pids.max 512, memory 1G)
# under `timeout -s KILL 60`, then kill what is left there and remove the cgroup. Returns
# CMD's status. Afterwards NET_LEFT is how many processes were still in the cgroup when CMD
# returned (before they were killed), NET_PEAK the cgroup's pids.peak (or "" where unknown),
# and NET_PIDS_MAX_HITS how often the outer pids limit itself refused a fork.
NET_LEFT=0 NET_PEAK= NET_PIDS_MAX_HITS=0
outer_net() {
        local rc d
        NET_LEFT=0 NET_PEAK= NET_PIDS_MAX_HITS=0
        if ! outer_net_make; then
                [ $NET_NOTE_SAID = 1 ] || echo "# outer net: timeout only (not root, or no writable cgroup)" >&9
                NET_NOTE_SAID=1
                timeout -s KILL 60 "$@"
                return $?
        fi
        (
                for d in "${NET_DIRS[@]}"; do echo "$BASHPID" >"$d/cgroup.procs" || exit 125; done
                exec timeout -s KILL 60 "$@"
        )
        rc=$?
        NET_LEFT=0
        for d in "${NET_DIRS[@]}"; do NET_LEFT=$((NET_LEFT + $(cgroup_count "$d"))); done
        if [ -n "$NET_PIDS_DIR" ]; then
                [ -r "$NET_PIDS_DIR/pids.peak" ] && NET_PEAK=$(cat "$NET_PIDS_DIR/pids.peak")
                [ -r "$NET_PIDS_DIR/pids.events" ] &&
                        NET_PIDS_MAX_HITS=$(awk '$1 == "max" { print $2 }' "$NET_PIDS_DIR/pids.events")
        fi
        outer_net_drop
        return $rc
}

# A TCP server on the host's 127.0.0.1 at a random high port that counts the connections it
# accepts into FILE. Sets SRV_PORT and SRV_PID; stop it with server_stop.
server_start() {
        local file=$1 i
        SRV_PORT= SRV_PID=
        "$PY" - "$file" >"$file.port" 2>"$file.err" <<'PYEOF' &
import socket, sys, random
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
for _ in range(50):
    try:
        s.bind(("127.0.0.1", random.randint(20000, 60000))); break
    except OSError:
        pass
s.listen(16); s.settimeout(0.2)
n = 0
open(sys.argv[1], "w").write("0\n")
print(s.getsockname()[1], flush=True)
while True:
    try:
        c, _ = s.accept()
        n += 1; open(sys.argv[1], "w").write("%d\n" % n); c.close()
    except socket.timeout:
        pass
PYEOF
        SRV_PID=$!
        for i in $(seq 50); do
                SRV_PORT=$(head -n1 "$file.port" 2>/dev/null)
                [ -n "$SRV_PORT" ] && return 0
                sleep 0.1
        done
        return 1
}
server_stop() { [ -n "${SRV_PID:-}" ] && kill "$SRV_PID" 2>/dev/null; wait "$SRV_PID" 2>/dev/null; SRV_PID=; }

# --- ringfence batch (batch-*.sh) -------------------------------------------------------------
# rfb ARGS...: run `ringfence batch ARGS...` as rf runs `ringfence run`: stdin from RF_STDIN,
# stdout in $OUT, stderr in $ERR, the exit status in $RC, the wall time in $WALL_MS, the command
# in $LAST. rfb_net does the same inside the outer net; rfb_net_for SECS ARGS... with a time
# limit of SECS instead of 60 (for big batches).
rfb_exec() {
        local secs=$1 t0 t1
        shift
        LAST="ringfence batch $*"
        t0=$(date +%s%N)
        if [ "$secs" -gt 0 ]; then
                outer_net_for "$secs" "${RF_PREFIX[@]}" "$RINGFENCE" batch "$@" <"$RF_STDIN" >"$OUT" 2>"$ERR"
        else
                "${RF_PREFIX[@]}" "$RINGFENCE" batch "$@" <"$RF_STDIN" >"$OUT" 2>"$ERR"
        fi
        RC=$?
        t1=$(date +%s%N)
        WALL_MS=$(((t1 - t0) / 1000000))
        return 0
}
rfb() { rfb_exec 0 "$@"; }
rfb_net() { rfb_exec 60 "$@"; }
rfb_net_for() { rfb_exec "$@"; }

# outer_net_for SECS CMD...: outer_net with a time limit of SECS seconds instead of 60.
outer_net_for() {
        local secs=$1 rc d
        shift
        NET_LEFT=0 NET_PEAK= NET_PIDS_MAX_HITS=0
        if ! outer_net_make; then
                [ $NET_NOTE_SAID = 1 ] || echo "# outer net: timeout only (not root, or no writable cgroup)" >&9
                NET_NOTE_SAID=1
                timeout -s KILL "$secs" "$@"
                return $?
        fi
        (
                for d in "${NET_DIRS[@]}"; do echo "$BASHPID" >"$d/cgroup.procs" || exit 125; done
                exec timeout -s KILL "$secs" "$@"
        )
        rc=$?
        NET_LEFT=0
        for d in "${NET_DIRS[@]}"; do NET_LEFT=$((NET_LEFT + $(cgroup_count "$d"))); done
        if [ -n "$NET_PIDS_DIR" ]; then
                [ -r "$NET_PIDS_DIR/pids.peak" ] && NET_PEAK=$(cat "$NET_PIDS_DIR/pids.peak")
                [ -r "$NET_PIDS_DIR/pids.events" ] &&
                        NET_PIDS_MAX_HITS=$(awk '$1 == "max" { print $2 }' "$NET_PIDS_DIR/pids.events")
        fi
        outer_net_drop
        return $rc
}

# jsonl_eval FILE EXPR: evaluate the Python expression EXPR with `rs`, the records of the JSON
# lines FILE (each line parsed with json.loads; a line that does not parse fails), and print
# the result (strings as they are, others with repr). Fails when FILE or a line is bad.
jsonl_eval() {
        "$PY" - "$1" "$2" <<'PYEOF'
import json, sys
try:
    with open(sys.argv[1]) as f:
        rs = [json.loads(l) for l in f]
    v = eval(sys.argv[2], {"rs": rs, "json": json})
except Exception as e:
    print("(%s: %s)" % (sys.argv[1], e)); sys.exit(1)
print(v if isinstance(v, str) else repr(v))
PYEOF
}

# records_once FILE N: "ok" when the JSON lines FILE has exactly one record for each job 1..N and
# no other, else what is missing, repeated or extra (and fails).
records_once() {
        "$PY" - "$1" "$2" <<'PYEOF'
import collections, json, sys
try:
    with open(sys.argv[1]) as f:
        jobs = collections.Counter(json.loads(l)["job"] for l in f)
except Exception as e:
    print("(%s: %s)" % (sys.argv[1], e)); sys.exit(1)
n = int(sys.argv[2])
missing = [j for j in range(1, n + 1) if j not in jobs]
repeated = sorted(j for j, c in jobs.items() if c > 1)
extra = sorted(j for j in jobs if not (isinstance(j, int) and 1 <= j <= n))
if missing or repeated or extra:
    print("missing %s, repeated %s, extra %s" % (missing[:20], repeated[:20], extra[:20])); sys.exit(1)
print("ok")
PYEOF
}

# joblog_once FILE N: "ok" when FILE is a GNU parallel joblog (its exact header line, then lines
# of 9 tab-separated columns) with exactly one line for each Seq 1..N, else what is wrong.
joblog_once() {
        "$PY" - "$1" "$2" <<'PYEOF'
import collections, sys
HEADER = "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand"
try:
    lines = open(sys.argv[1], newline="").read().split("\n")
except Exception as e:
    print("(%s: %s)" % (sys.argv[1], e)); sys.exit(1)
if lines[-1] != "":
    print("the last line has no newline: %r" % lines[-1][:80]); sys.exit(1)
if lines[0] != HEADER:
    print("header is %r" % lines[0][:120]); sys.exit(1)
seqs = collections.Counter()
for i, l in enumerate(lines[1:-1], 2):
    cols = l.split("\t", 8)
    if len(cols) != 9 or not cols[0].isdigit():
        print("line %d is not 9 columns: %r" % (i, l[:120])); sys.exit(1)
    seqs[int(cols[0])] += 1
n = int(sys.argv[2])
missing = [j for j in range(1, n + 1) if j not in seqs]
repeated = sorted(j for j, c in seqs.items() if c > 1)
extra = sorted(j for j in seqs if not 1 <= j <= n)
if missing or repeated or extra:
    print("missing %s, repeated %s, extra %s" % (missing[:20], repeated[:20], extra[:20])); sys.exit(1)
print("ok")
PYEOF
}

# survivors PATTERN [SECS]: wait up to SECS (default 5) for no process whose command line matches
# the extended regex PATTERN (pgrep -f) to be left; print how many are left then.
survivors() {
        local pat=$1 secs=${2:-5} i n=0
        for ((i = 0; i < secs * 10; i++)); do
                n=$(pgrep -f -c -- "$pat" 2>/dev/null) || n=0
                [ "$n" = 0 ] && break
                sleep 0.1
        done
        echo "$n"
}

# skip_test DESC WHY: a test that cannot run here, counted as passed with a TAP "# SKIP".
skip_test() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }
