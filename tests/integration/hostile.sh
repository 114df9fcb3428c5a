#!/bin/bash
# SPDX-License-Identifier: MIT
# The attack suite: every attack of tests/hostile under every shipped policy, as the table
# hostile.table says (attack x policy -> what must happen), one TAP check each. Each attack runs
# inside the outer net (lib.sh: its own cgroup, 512 pids, 1G, a 30 s limit) with the limits a
# careful caller would give: --pids 64 --memory 256M --files 1024 --output 1M --timeout 20s.
# Checks: the attack failed (no "ESCAPED:" line, the host-side evidence is clean), the record
# exists, is valid JSON and says why (status, limit, violations), and nothing was left behind.
# HOSTILE_UNPRIVILEGED=1 (hostile-unprivileged.sh) runs ringfence as uid 65534 when root.
# HOSTILE_ONLY=REGEX runs only the attacks whose name matches.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

TABLE=$here/hostile.table
POLICIES="default build compute net-client strict"
P=$(cd "$TOP_SRCDIR/policies" && pwd) || bail "no policies folder in $TOP_SRCDIR"
JOBS=${HOSTILE_JOBS:-4}

if [ "${HOSTILE_UNPRIVILEGED:-0}" = 1 ] && [ "$(id -u)" = 0 ]; then
        command -v setpriv >/dev/null || bail "setpriv (util-linux) is needed to run as uid 65534"
        RF_PREFIX=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

# --- the programs, world-readable -----------------------------------------------------------------
src=$(find_hostile) || bail "the hostile helpers (tests/hostile) are not built; run make check or set HOSTILE_DIR"
H=$WORK/hostile
mkdir -p "$H" || bail "mkdir $H"
for f in "$src"/*; do
        [ -f "$f" ] && [ -x "$f" ] && cp "$f" "$H/"
done
chmod 755 "$WORK" "$H" "$H"/* || bail "chmod $H"
for p in try-syscall-static fork-bomb-static mem-hog-static fs-write fs-race pty-run bad-bytes; do
        [ -x "$H/$p" ] || bail "$H/$p is missing: build the hostile programs (make check)"
done
if [ ${#RF_PREFIX[@]} -gt 0 ]; then
        mkdir -p "$WORK/bin" && cp "$RINGFENCE" "$WORK/bin/ringfence" && chmod 755 "$WORK/bin" "$WORK/bin/ringfence" ||
                bail "cannot copy $RINGFENCE for the unprivileged user"
        RINGFENCE=$WORK/bin/ringfence
fi

# --- fixtures ---------------------------------------------------------------------------------------
TAG=rf-hostile-$$-$RANDOM
CWD=$WORK/project RO=$WORK/ro TGT=$WORK/ro/target HIDDEN=$WORK/hidden-$TAG REC=$WORK/rec
mkdir -p "$CWD" "$RO" "$HIDDEN" "$REC" "$WORK/rw" "$WORK/cases" && chmod 777 "$CWD" && chmod 755 "$RO" &&
        chmod 1777 "$REC" "$WORK/rw" || bail "cannot make the fixtures in $WORK"
echo host-target >"$TGT" && chmod 644 "$TGT"
cd "$CWD" || bail "cannot enter $CWD"
# A secret in the host's environment (not passed in); the attack gets it reversed.
export HOSTILE_SECRET=s3cret-$TAG
SECRET_R=$(echo "$HOSTILE_SECRET" | rev)
ESCNAME=$'/nonexistent/\e]0;pwned-title\a\e[2J\e[31mred'
HOSTMARK=3141.$$
HOSTMARK_R=$(echo "$HOSTMARK" | rev)
sleep "$HOSTMARK" &
HOSTMARK_PID=$!
# setuid-root and file-capability copies of setuid-id (root only: they must be made by root).
SUID=
if [ "$(id -u)" = 0 ] && [ -x "$H/setuid-id" ]; then
        SUID=$WORK/suid
        mkdir -p "$SUID" && cp "$H/setuid-id" "$SUID/setuid-id" && cp "$H/setuid-id" "$SUID/filecap-id" &&
                chown root:root "$SUID"/* && chmod 4755 "$SUID/setuid-id" && chmod 755 "$SUID" "$SUID/filecap-id" ||
                SUID=
        if [ -n "$SUID" ] && ! setcap cap_setuid,cap_setgid+ep "$SUID/filecap-id" 2>/dev/null; then
                rm -f "$SUID/filecap-id"
        fi
fi
# int 0x80 reaches seccomp only where the kernel runs i386 code: what does it do on the host?
bash -c '"$0" int80; exit $?' "$H/try-syscall-static" >/dev/null 2>&1
HOST_INT80_RC=$?

# Host services: a victim that counts SIGWINCH, and TCP, UDP, path and abstract UNIX servers that
# count what arrives, each in a file of $WORK/srv.
mkdir -p "$WORK/srv" "$WORK/sock"
USOCK=$WORK/sock/s ABS=rf-hostile-$TAG
"$PY" - "$WORK/srv" "$USOCK" "$ABS" >"$WORK/srv/ports" 2>"$WORK/srv/err" <<'PYEOF' &
import os, selectors, signal, socket, sys
d, upath, abstract = sys.argv[1:4]
counts = {"tcp": 0, "udp": 0, "unix": 0, "abstract": 0, "winch": 0}
def save(k):
    counts[k] += 1
    with open(os.path.join(d, k + ".tmp"), "w") as f: f.write("%d\n" % counts[k])
    os.rename(os.path.join(d, k + ".tmp"), os.path.join(d, k))
for k in counts:
    with open(os.path.join(d, k), "w") as f: f.write("0\n")
signal.signal(signal.SIGWINCH, lambda *a: save("winch"))
tcp = socket.socket(); tcp.bind(("127.0.0.1", 0)); tcp.listen(16)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind(("127.0.0.1", 0))
un = socket.socket(socket.AF_UNIX); un.bind(upath); un.listen(16); os.chmod(upath, 0o777)
ab = socket.socket(socket.AF_UNIX); ab.bind("\0" + abstract); ab.listen(16)
print(tcp.getsockname()[1], udp.getsockname()[1], os.getpid(), flush=True)
sel = selectors.DefaultSelector()
for s, k in ((tcp, "tcp"), (un, "unix"), (ab, "abstract")):
    sel.register(s, selectors.EVENT_READ, k)
sel.register(udp, selectors.EVENT_READ, "udp")
while True:
    try:
        events = sel.select()
    except InterruptedError:
        continue
    for key, _ in events:
        if key.data == "udp":
            key.fileobj.recvfrom(100); save("udp")
        else:
            c, _ = key.fileobj.accept(); save(key.data); c.close()
PYEOF
SRV_PID=$!
for i in $(seq 50); do read -r TCP UDP VICTIM <"$WORK/srv/ports" 2>/dev/null && [ -n "${VICTIM:-}" ] && break; sleep 0.1; done
[ -n "${VICTIM:-}" ] || bail "the host-side servers did not start: $(cat "$WORK/srv/err")"
hostile_cleanup() {
        kill "$SRV_PID" "$HOSTMARK_PID" 2>/dev/null
        wait "$SRV_PID" "$HOSTMARK_PID" 2>/dev/null
        lib_cleanup
}
trap hostile_cleanup EXIT
srv_count() { cat "$WORK/srv/$1"; }

# --- the table --------------------------------------------------------------------------------------
# One line per case: INDEX NAME POLICY MODE, then the command and the expectations, tab-separated.
"$PY" - "$TABLE" "$POLICIES" "${HOSTILE_ONLY:-}" >"$WORK/cases.tsv" 2>"$WORK/table.err" <<'PYEOF' ||
import re, sys
table, policies, only = sys.argv[1], sys.argv[2].split(), sys.argv[3]
seen, order, n = {}, [], 0
for ln, line in enumerate(open(table), 1):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    f = [x.strip() for x in line.split("|", 4)]
    if len(f) != 5 or f[2] not in ("par", "ser", "pty"):
        sys.exit("%s:%d: expected NAME | POLICIES | par|ser|pty | COMMAND | EXPECTED" % (table, ln))
    name, pols = f[0], f[1].split(",")
    for p in pols:
        if p not in policies:
            sys.exit("%s:%d: unknown policy %r, expected one of %s" % (table, ln, p, " ".join(policies)))
        if (name, p) in seen:
            sys.exit("%s:%d: %s under %s is already at line %d" % (table, ln, name, p, seen[name, p]))
        seen[name, p] = ln
    if name not in order:
        order.append(name)
    if only and not re.search(only, name):
        continue
    for p in pols:
        n += 1
        print("%d\t%s\t%s\t%s\t%s\t%s" % (n, name, p, f[2], f[3], f[4]))
for name in order:
    missing = [p for p in policies if (name, p) not in seen]
    if missing:
        sys.exit("%s: attack %s has no line for %s" % (table, name, " ".join(missing)))
PYEOF
        bail "$(cat "$WORK/table.err")"
N=$(wc -l <"$WORK/cases.tsv")
[ "$N" -gt 0 ] || bail "no case matched HOSTILE_ONLY=${HOSTILE_ONLY:-}"
plan "$N"
[ ${#RF_PREFIX[@]} -gt 0 ] && echo "# ringfence runs as uid 65534 (setpriv); outer nets made by root"

# --- host-side checks (run right after the case; $C is the case folder) ----------------------------
no_file() {
        local p
        for p in /usr/$1 /etc/$1 /$1 "$RO/$1" "$H/$1" "$CWD/$1" /proc/$1; do
                [ -e "$p" ] && { echo "$p exists on the host"; return 1; }
        done
        return 0
}
cwd_file() { [ "$(cat "$CWD/$1" 2>/dev/null)" = pwned ] || { echo "$CWD/$1 was not written"; return 1; }; rm -f "$CWD/$1"; }
target_intact() {
        [ "$(cat "$TGT")" = host-target ] || { echo "$TGT changed: $(head -c 100 "$TGT")"; return 1; }
        [ "$(ls -A "$RO")" = target ] || { echo "$RO holds: $(ls -A "$RO" | tr '\n' ' ')"; return 1; }
}
int80_like_host() {
        if [ "$HOST_INT80_RC" = 0 ]; then
                [ "$RC" = 159 ] || { echo "int 0x80 works on the host, so it must meet the filter (159), got $RC"; return 1; }
        else
                [ "$RC" = "$HOST_INT80_RC" ] || { echo "int 0x80 exits $HOST_INT80_RC on the host (no ia32), got $RC"; return 1; }
        fi
}
# suid_no_gain [root-job]: the setuid-root copy gave the job nothing: no capability, and no uid 0
# unless the policy made the job uid 0 to begin with (root-job: build keeps the caller's uid, which
# is 0 for root and 65534 in the unprivileged run; then the job must be exactly that uid).
suid_no_gain() {
        local caller
        [ -n "$SUID" ] || return 0
        ! grep -Eq '^caps 0*[1-9a-f]' "$OUT" ||
                { echo "capabilities gained: $(tr '\n' '|' <"$OUT")"; return 1; }
        if [ "${1:-}" = root-job ]; then
                caller=$("${RF_PREFIX[@]}" id -u)
                grep -qx "uid $caller euid $caller" "$OUT" ||
                        { echo "expected the caller's identity, uid $caller euid $caller: $(tr '\n' '|' <"$OUT")"; return 1; }
                [ "$caller" = 0 ] && return 0
        fi
        ! grep -q 'setuid(0): OK' "$OUT" && ! grep -Eq '^uid [0-9]+ euid 0$' "$OUT" ||
                { echo "privilege gained: $(tr '\n' '|' <"$OUT")"; return 1; }
        # 137: killed by the policy first; 126: the kernel refused the exec (file capabilities
        # that no_new_privs will not grant).
        [ "$RC" = 137 ] || [ "$RC" = 126 ] || grep -Eq '^setuid\(0\): E[A-Z]+$' "$OUT" ||
                { echo "no setuid(0) answer"; return 1; }
}
victim_untouched() {
        kill -0 "$VICTIM" 2>/dev/null || { echo "the victim (pid $VICTIM) is gone"; return 1; }
        [ "$(srv_count winch)" = 0 ] || { echo "the victim got $(srv_count winch) SIGWINCH"; return 1; }
}
server_got() {
        local kind=${1%%:*} want=${1#*:} now
        sleep 0.3
        now=$(srv_count "$kind")
        [ $((now - BEFORE_SRV)) = "$want" ] || { echo "the host's $kind server counted $((now - BEFORE_SRV)), expected $want"; return 1; }
}
no_survivor() {
        local n
        n=$(survivors "^sleep $1\$" 3)
        [ "$n" = 0 ] || { echo "$n 'sleep $1' outlived the job"; pkill -KILL -f "^sleep $1\$"; return 1; }
}
bytes_exact() {
        "$H/bad-bytes" >"$C/want" 2>/dev/null
        cmp -s "$OUT" "$C/want" || { echo "stdout differs from what the command wrote"; return 1; }
        cmp -s "$ERR" "$C/want" || { echo "stderr differs from what the command wrote"; return 1; }
}
name_safe() {
        ! LC_ALL=C grep -q $'[\x1b\x07]' "$ERR" || { echo "ringfence's message holds raw ESC or BEL: $(cat -v "$ERR")"; return 1; }
        local got
        got=$(json_field "$JSON" argv.0) && [ "$got" = "$ESCNAME" ] || { echo "the record's argv[0] is not the name: $(cat -v <<<"$got")"; return 1; }
}

# --- a lighter outer net ------------------------------------------------------------------------------
# case_net SECS CMD...: lib.sh's outer_net_for (the same cgroup, limits and time limit, the same
# NET_LEFT), reading and emptying the cgroup folders with shell builtins: this driver makes some
# 300 nets, and on a busy machine each process started costs.
PROCS_N=0
procs_below() { # DIR [KILL]: count (and with KILL, kill) the processes in DIR and 3 levels below
        local f p
        PROCS_N=0
        for f in "$1"/cgroup.procs "$1"/*/cgroup.procs "$1"/*/*/cgroup.procs "$1"/*/*/*/cgroup.procs; do
                [ -r "$f" ] || continue
                while IFS= read -r p; do
                        [ -n "$p" ] || continue
                        PROCS_N=$((PROCS_N + 1))
                        [ -n "${2:-}" ] && kill -KILL "$p" 2>/dev/null
                done <"$f"
        done
}
case_net() {
        local secs=$1 rc d i dirs
        shift
        NET_LEFT=0
        if ! outer_net_make; then
                timeout -s KILL "$secs" "$@"
                return $?
        fi
        (
                for d in "${NET_DIRS[@]}"; do echo "$BASHPID" >"$d/cgroup.procs" || exit 125; done
                exec timeout -s KILL "$secs" "$@"
        )
        rc=$?
        for d in "${NET_DIRS[@]}"; do procs_below "$d"; NET_LEFT=$((NET_LEFT + PROCS_N)); done
        for i in 1 2 3 4 5 6 7 8 9 10; do
                local any=0
                for d in "${NET_DIRS[@]}"; do procs_below "$d" kill; [ "$PROCS_N" = 0 ] || any=1; done
                [ $any = 0 ] && break
                sleep 0.2
        done
        dirs=()
        for d in "${NET_DIRS[@]}"; do
                for i in "$d"/*/*/*/ "$d"/*/*/ "$d"/*/ "$d"/; do [ -d "$i" ] && dirs+=("$i"); done
        done
        rmdir "${dirs[@]}" 2>/dev/null
        NET_DIRS=()
        return $rc
}

# --- one case -----------------------------------------------------------------------------------------
# run_case INDEX NAME POLICY MODE COMMAND EXPECTED: writes "ok"/"not ok" and diagnostics to
# $WORK/cases/INDEX.
run_case() {
        local idx=$1 name=$2 pol=$3 mode=$4 cmd=$5 expect=$6 extra=() args=() hostchk=() w
        C=$WORK/cases/$idx
        mkdir -p "$C"
        OUT=$C/out ERR=$C/err JSON=$REC/$idx.json
        NET_SEQ=$((idx * 10))
        RW=$WORK/rw/$idx
        mkdir -m 777 "$RW"
        MARK=2718.$$$idx
        set -f
        eval "args=($cmd)"
        set +f
        for w in "${!args[@]}"; do
                if [ "${args[$w]}" = -- ]; then
                        extra=("${args[@]:0:$w}")
                        args=("${args[@]:$((w + 1))}")
                        break
                fi
        done
        local flags=(-p "$P/$pol.policy" --ro "$H" --ro "$RO" --rw "$RW" --pids 64 --memory 256M
                     --files 1024 --output 1M --timeout 20s --json "$JSON")
        [ -n "$SUID" ] && flags+=(--ro "$SUID")
        [ "$mode" = ser ] && BEFORE_SRV=$(srv_count "$(sed -n 's/.*host=server_got:\([a-z]*\):.*/\1/p' <<<"$expect")" 2>/dev/null)
        LAST="ringfence run ${flags[*]} ${extra[*]} -- ${args[*]}"
        local pre=()
        [ "$mode" = pty ] && pre=("$H/pty-run")
        case_net 30 "${pre[@]}" "${RF_PREFIX[@]}" "$RINGFENCE" run "${flags[@]}" "${extra[@]}" -- "${args[@]}" \
                </dev/null >"$OUT" 2>"$ERR"
        RC=$?
        printf '%s\n' "$RC" "$NET_LEFT" "$LAST" >"$C/meta"
        local w msg
        : >"$C/host"
        for w in $expect; do
                case $w in host=*)
                        w=${w#host=}
                        local a=
                        [ "$w" != "${w#*:}" ] && eval "a=\"${w#*:}\""
                        msg=$(${w%%:*} $a 2>&1) || echo "$msg" >>"$C/host" ;;
                esac
        done
}

# --- run them: par and pty cases JOBS at a time, then ser cases one by one ----------------------------
# (Only the cases' own pids are waited for: the host services run in the background too.)
case_pids=()
while IFS=$'\t' read -r idx name pol mode cmd expect; do
        [ "$mode" = ser ] && continue
        ( run_case "$idx" "$name" "$pol" "$mode" "$cmd" "$expect" ) &
        case_pids+=($!)
        while [ "$(jobs -rp | grep -cxF -f <(printf '%s\n' "${case_pids[@]}"))" -ge "$JOBS" ]; do
                sleep 0.05
        done
done <"$WORK/cases.tsv"
wait "${case_pids[@]}"
while IFS=$'\t' read -r idx name pol mode cmd expect; do
        [ "$mode" = ser ] && ( run_case "$idx" "$name" "$pol" "$mode" "$cmd" "$expect" )
done <"$WORK/cases.tsv"
"$PY" - "$WORK" "$REC" "$SUID" <<'PYEOF'
import json, os, re, sys
work, recdir, suid = sys.argv[1], sys.argv[2], sys.argv[3]

def check(jpath, opath, epath, rc, expect):
    bad = []
    try:
        raw = open(jpath, "rb").read()
        rec = json.loads(raw.decode("utf-8"))
        if raw.count(b"\n") != 1 or not raw.endswith(b"\n"):
            bad.append("the record is not exactly one line")
    except Exception as e:
        return ["no valid record (ringfence did not end by itself?): %s" % e]
    out = open(opath, "rb").read().decode("utf-8", "replace")
    err = open(epath, "rb").read().decode("utf-8", "replace")
    olines, elines = out.split("\n"), err.split("\n")
    viols = {(v.get("syscall"), v.get("action")) for v in rec.get("violations") or []}
    toks = expect.split()
    if "allow-escape" not in toks and any(l.startswith("ESCAPED:") for l in olines):
        bad.append("the attack got through: " + "; ".join(l for l in olines if l.startswith("ESCAPED:"))[:300])
    for t in toks:
        m = re.match(r"([a-z]+)(!~|<=|=|~)?(.*)$", t)
        k, op, v = m.group(1), m.group(2), m.group(3)
        if t in ("allow-escape", "needs-root") or k in ("host", "todo"):
            continue
        if t == "noviol":
            if viols: bad.append("violations recorded: %s" % sorted(viols))
        elif t == "memlimit":
            if not ((rec.get("status") == "failed" and rec.get("limit") == "memory") or
                    any(l.startswith("malloc failed") for l in olines)):
                bad.append("not stopped by the memory limit (status %s, limit %s)" % (rec.get("status"), rec.get("limit")))
        elif t == "pidlimit":
            by = (rec.get("enforced_by") or {}).get("pids")
            if not (rec.get("limit") == "pids" or (by == "rlimit" and rec.get("limit") is None)):
                bad.append("not stopped by the pids limit (limit %r, enforced by %r)" % (rec.get("limit"), by))
        elif k == "rc":
            if rc != int(v): bad.append("exit status %d, expected %s" % (rc, v))
        elif k in ("status", "limit"):
            if str(rec.get(k)) != v: bad.append("record %s is %r, expected %r" % (k, rec.get(k), v))
        elif k == "signal":
            if rec.get("signal") != int(v): bad.append("record signal is %r, expected %s" % (rec.get("signal"), v))
        elif k == "trunc":
            if rec.get("output_truncated") != (v == "true"): bad.append("output_truncated is %r" % rec.get("output_truncated"))
        elif k == "viol":
            s, a = v.split(":")
            if (s, a) not in viols: bad.append("no violation %s (%s) in %s" % (s, a, sorted(viols)))
        elif k == "bytes":
            got = rec.get("stdout_bytes")
            recv = len(open(opath, "rb").read())
            if op == "=" and (got != int(v) or recv != int(v)): bad.append("stdout_bytes %r, received %d, expected %s" % (got, recv, v))
            if op == "<=" and (got is None or got > int(v) or recv > int(v)): bad.append("stdout_bytes %r, received %d, expected at most %s" % (got, recv, v))
        elif k in ("out", "err"):
            lines = olines if k == "out" else elines
            hit = any(re.search(v, l) for l in lines)
            if (op == "~") != hit: bad.append("%s %s %s" % (k, "has no line matching" if op == "~" else "has a line matching", v))
        else:
            bad.append("unknown expectation %r in the table" % t)
    return bad

failed = 0
for line in open(os.path.join(work, "cases.tsv")):
    idx, name, pol, mode, cmd, expect = line.rstrip("\n").split("\t")
    c = os.path.join(work, "cases", idx)
    desc = "%s under %s: %s" % (name, pol, expect)
    todo = [t[5:].replace("_", " ") for t in expect.split() if t.startswith("todo=")]
    suffix = " # TODO " + todo[0] if todo else ""
    if "needs-root" in expect.split() and not suid:
        print("ok %s - %s # SKIP the setuid and file-capability copies need root to make" % (idx, desc)); continue
    try:
        rc, left, last = open(os.path.join(c, "meta")).read().split("\n")[:3]
    except Exception:
        print("not ok %s - %s%s" % (idx, desc, suffix)); print("# the case did not run (the driver failed)")
        failed += not todo; continue
    bad = check(os.path.join(recdir, idx + ".json"), os.path.join(c, "out"), os.path.join(c, "err"), int(rc), expect)
    bad += [l for l in open(os.path.join(c, "host")).read().splitlines() if l]
    if left != "0":
        bad.append("%s processes were left in the outer net" % left)
    if not bad:
        print("ok %s - %s%s" % (idx, desc, suffix)); continue
    failed += not todo
    print("not ok %s - %s%s" % (idx, desc, suffix))
    diag = ["; ".join(bad), "command: " + last, "exit status: " + rc]
    for k in ("out", "err"):
        b = open(os.path.join(c, k), "rb").read(600)
        diag.append("std%s: %r" % (k, b))
    try:
        diag.append("record: " + open(os.path.join(recdir, idx + ".json")).read(900))
    except OSError:
        pass
    for d in diag:
        print("# " + d.replace("\n", "|"))
sys.exit(1 if failed else 0)
PYEOF
