#!/bin/bash
# SPDX-License-Identifier: MIT
# The key confinement and limit checks again, with `ringfence run` started by an ordinary user
# (uid 65534 through setpriv when the test runs as root): no root anywhere, user namespaces
# only, limits by rlimit where no cgroup is writable.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" = 0 ]; then
        command -v setpriv >/dev/null || bail "setpriv (util-linux) is needed to run as uid 65534"
        RF_PREFIX=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        who="uid 65534 (setpriv)"
else
        who="uid $(id -u), the caller"
fi
# The one reason to skip: the host does not let ordinary users make user namespaces.
if ! "${RF_PREFIX[@]}" unshare --user true 2>/dev/null; then
        why=$(cat /proc/sys/kernel/unprivileged_userns_clone /proc/sys/user/max_user_namespaces \
                /proc/sys/kernel/apparmor_restrict_unprivileged_userns 2>/dev/null | tr '\n' ' ')
        echo "1..0 # SKIP unprivileged user namespaces are disabled on this host (unshare --user fails as $who; sysctls: $why)"
        exit 0
fi
setup_hostile
# The tool in a world-readable place, a working directory and a record folder the user can use.
mkdir -p "$WORK/bin" "$WORK/cwd" "$WORK/u" "$WORK/rw" || bail "mkdir in $WORK failed"
cp "$RINGFENCE" "$WORK/bin/ringfence" || bail "cannot copy $RINGFENCE"
chmod 755 "$WORK/bin" "$WORK/bin/ringfence" "$WORK/cwd"
chmod 1777 "$WORK/u" "$WORK/rw"
RINGFENCE=$WORK/bin/ringfence
JSON=$WORK/u/record.json
cd "$WORK/cwd" || bail "cannot enter $WORK/cwd"
echo "# running ringfence as $who"
[ "$(id -u)" = 0 ] && echo "# outer net: cgroups made by root around the unprivileged tool"

plan 23
uid=$("${RF_PREFIX[@]}" id -u)
tag=rf-it-$$-$RANDOM
backend_re='^(cgroup-v1|cgroup-v2|rlimit)$'

# --- identity ---------------------------------------------------------------------------------
rf -- id -u
expect_eq "the command runs as the caller's own uid ($uid)" "$(cat "$OUT") $RC" "$uid 0"
rf -- sh -c 'grep -E "^(CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status | tr -s "\t " " "'
expect_eq "no capabilities, NoNewPrivs 1, Seccomp 2" "$(tr '\n' ',' <"$OUT")" \
        "CapPrm: 0000000000000000,CapEff: 0000000000000000,CapBnd: 0000000000000000,NoNewPrivs: 1,Seccomp: 2,"
rf -- sh -c 'exit 42'
expect_rc "exit codes pass through (42)" 42

# --- network ------------------------------------------------------------------------------------
server_start "$WORK/conns" || bail "could not start a TCP server on 127.0.0.1 with $PY"
rf -- "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=3); print('connected')" "$SRV_PORT"
sleep 0.5
check "no network: the host's 127.0.0.1:$SRV_PORT is out of reach" eval '[ "$RC" != 0 ] && ! has_line "$OUT" connected'
expect_eq "the host's server saw no connection" "$(cat "$WORK/conns")" 0
server_stop

# --- the file system and secrets -------------------------------------------------------------------
for dir in /usr /etc "$WORK/cwd" /; do
        f=${dir%/}/$tag
        rf -- sh -c "echo pwned >'$f'"
        check "writing into $dir fails and leaves nothing" eval '[ "$RC" != 0 ] && [ ! -e "$f" ]'
        rm -f "$f"
done
rf --rw "$WORK/rw" -- sh -c "echo from-inside >'$WORK/rw/out.txt'"
check "--rw DIR: the file written inside is on the host" eval '[ "$(cat "$WORK/rw/out.txt" 2>/dev/null)" = from-inside ]'
rf -- cat /etc/shadow
check "/etc/shadow is unreadable" eval '[ "$RC" != 0 ] && [ ! -s "$OUT" ]'
rf -- sh -c 'for d in /root /home /var /run /sys; do [ -e $d ] && echo "$d visible"; done; true'
expect_eq "/root /home /var /run /sys are not visible" "$(cat "$OUT")" ""
export SECRET_TOKEN=hunter2-$tag
rf -- env
check "a host secret (SECRET_TOKEN) is absent inside" eval '[ "$RC" = 0 ] && ! has_line "$OUT" hunter2'
unset SECRET_TOKEN

# --- refused system calls and errors ------------------------------------------------------------------
for c in ptrace keyctl; do
        rf --ro "$H" --json "$JSON" -- "$H/try-syscall" $c
        v=$(json_violation "$JSON" $c)
        check "$c is refused (EPERM) and named in the record" eval 'has_line "$OUT" "^$c: EPERM$" && [ "${v%% *}" = errno ]'
done
rf --json "$JSON" -- nosuch
check "a missing command: 127 and the sentence" \
        eval '[ "$RC" = 127 ] && [ "$(cat "$ERR")" = "ringfence run: exec \"nosuch\": No such file or directory" ] && [ "$(json_field "$JSON" status)" = spawn-error ]'

# --- limits (attacks inside the outer net) ---------------------------------------------------------------
rf_net --ro "$H" --pids 50 --json "$JSON" -- "$H/fork-bomb" procs
n=$(sed -n 's/^procs \([0-9]*\): EAGAIN$/\1/p' "$OUT")
pids_by=$(json_field "$JSON" enforced_by.pids)
check "a fork bomb under --pids 50 gets EAGAIN before 50 ($n, by $pids_by)" \
        eval '[ -n "$n" ] && [ "$n" -lt 50 ] && [[ $pids_by =~ $backend_re ]] && [ "$(json_field "$JSON" status)" = failed ]'
if [[ $pids_by == cgroup-* ]]; then
        expect_eq "its record says limit pids" "$(json_field "$JSON" limit)" pids
else
        check "its record says limit pids, or nothing (rlimit cannot tell)" \
                eval '[[ "$(json_field "$JSON" limit)" =~ ^(pids|null)$ ]]'
fi
check "nothing of the bomb is left" eval '[ "$NET_LEFT" = 0 ]'
rf_net --ro "$H" --memory 64M --json "$JSON" -- "$H/mem-hog" 1024
mem_by=$(json_field "$JSON" enforced_by.memory)
if [[ $mem_by == cgroup-* ]]; then
        check "a 1G hog under --memory 64M is stopped (limit memory, by $mem_by)" \
                eval '[ "$RC" != 0 ] && [ "$(json_field "$JSON" limit)" = memory ]'
else
        check "a 1G hog under --memory 64M gets ENOMEM (by $mem_by)" \
                eval '[ "$mem_by" = rlimit ] && [ "$RC" = 1 ] && has_line "$OUT" "^malloc failed after [0-9]+ MiB: ENOMEM$"'
fi
rf --timeout 1s --json "$JSON" -- sleep 100
check "sleep 100 under --timeout 1s: 124 within 10 s (${WALL_MS} ms), status timeout" \
        eval '[ "$RC" = 124 ] && [ "$WALL_MS" -lt 10000 ] && [ "$(json_field "$JSON" status)" = timeout ]'
m=317.$$
rf_net -- sh -c "sleep $m & echo \$!"
check "a background grandchild ('sleep $m') does not outlive its job" \
        eval 'has_line "$OUT" "^[0-9]+$" && ! pgrep -f "^sleep $m\$" >/dev/null'
m=318.$$
LAST="ringfence run -- sleep $m as $who, then SIGKILL to ringfence"
"${RF_PREFIX[@]}" "$RINGFENCE" run -- sleep "$m" </dev/null >/dev/null 2>&1 &
pid=$!
for i in $(seq 50); do pgrep -f "^sleep $m\$" >/dev/null && break; sleep 0.1; done
seen=$(pgrep -f "^sleep $m\$" | wc -l)
{ kill -KILL "$pid"; wait "$pid"; } 2>/dev/null
for i in $(seq 50); do pgrep -f "^sleep $m\$" >/dev/null || break; sleep 0.1; done
left=$(pgrep -f "^sleep $m\$" | wc -l)
check "when ringfence itself is killed (SIGKILL), its job dies too (seen $seen, left $left)" \
        eval '[ "$seen" = 1 ] && [ "$left" = 0 ]'
pkill_left=$(pgrep -f "^sleep (317|318)\.$$\$")
[ -z "$pkill_left" ] || { diag "killing leftover test sleeps: $pkill_left"; kill -KILL $pkill_left 2>/dev/null; }
