#!/bin/bash
# SPDX-License-Identifier: MIT
# Resource limits of `ringfence run` against the attacks they exist for: fork and thread bombs,
# a memory hog, an output flood, sleeping and spinning forever, big files, and children that
# try to outlive their job. Every attack runs inside the outer net (lib.sh), so a limit that
# fails cannot harm the machine.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
setup_hostile
cd "$WORK" || bail "cannot enter $WORK"

plan 36
backend_re='^(cgroup-v1|cgroup-v2|rlimit)$'

# The net did its part: ringfence returned by itself (not killed by the net's timeout), and
# nothing was left in the net's cgroup afterwards.
net_clean() { { [ "$RC" != 137 ] || [ "$WALL_MS" -lt 55000 ]; } && [ "$NET_LEFT" = 0 ]; }

# --- fork and thread bombs ------------------------------------------------------------------------
before=$(host_pids)
rf_net --ro "$H" --pids 50 --json "$JSON" -- "$H/fork-bomb" procs
bomb_out=$(cat "$OUT")
n=$(sed -n 's/^procs \([0-9]*\): EAGAIN$/\1/p' "$OUT")
check "a fork bomb under --pids 50 gets EAGAIN before 50 processes" eval '[ -n "$n" ] && [ "$n" -lt 50 ] && [ "$n" -ge 30 ]'
pids_by=$(json_field "$JSON" enforced_by.pids)
check "its record names the pids backend ($pids_by: cgroup-v1, cgroup-v2 or rlimit)" eval '[[ $pids_by =~ $backend_re ]]'
# A cgroup counts refused forks, so the record must say so; an rlimit cannot tell.
limit_re='^pids$'
[[ $pids_by == cgroup-* ]] || limit_re='^(pids|null)$'
check "its record: status failed, limit pids" \
        eval '[ "$(json_field "$JSON" status)" = failed ] && [[ "$(json_field "$JSON" limit)" =~ $limit_re ]]'
check "nothing of the bomb is left once ringfence returned; the outer net was never needed" \
        eval 'net_clean && [ "${NET_PIDS_MAX_HITS:-0}" = 0 ] && { [ -z "$NET_PEAK" ] || [ "$NET_PEAK" -le 56 ]; }' ||
        diag "outer net: left $NET_LEFT, pids.peak ${NET_PEAK:-unknown}, max hits $NET_PIDS_MAX_HITS"

# The shell then becomes the sleep (exec): a fork of its own could meet the full pids limit and
# end the job early with "Cannot fork" (seen once in CI under ASan).
rf_net --pids 50 --timeout 3s --json "$JSON" -- sh -c 'f() { f | f & }; f; exec sleep 10'
check "a shell fork bomb under --pids 50 --timeout 3s ends by the time limit (124) within 30 s" \
        eval '[ "$RC" = 124 ] && [ "$WALL_MS" -lt 30000 ]'
check "nothing of the shell bomb is left; the outer net was never needed" \
        eval 'net_clean && [ "${NET_PIDS_MAX_HITS:-0}" = 0 ]' ||
        diag "outer net: left $NET_LEFT, pids.peak ${NET_PEAK:-unknown}, max hits $NET_PIDS_MAX_HITS"
sleep 1
after=$(host_pids)
check "the host is unharmed: its process count is back to normal ($before before, $after after)" \
        eval '[ "$after" -le $((before + 40)) ]'

rf_net --ro "$H" --pids 50 --json "$JSON" -- "$H/fork-bomb" threads
n=$(sed -n 's/^threads \([0-9]*\): EAGAIN$/\1/p' "$OUT")
check "a thread bomb under --pids 50 gets EAGAIN before 50 threads" eval '[ -n "$n" ] && [ "$n" -lt 50 ]'
check "its record: limit pids; nothing left" eval '[[ "$(json_field "$JSON" limit)" =~ $limit_re ]] && net_clean'

# --- memory ----------------------------------------------------------------------------------------
rf_net --ro "$H" --memory 64M --json "$JSON" -- "$H/mem-hog" 1024
mem_by=$(json_field "$JSON" enforced_by.memory)
check "a 1G memory hog under --memory 64M: the record names the backend ($mem_by)" eval '[[ $mem_by =~ $backend_re ]]'
if [[ $mem_by == cgroup-* ]]; then
        check "the hog is stopped: status failed, limit memory, nothing allocated in full" \
                eval '[ "$RC" != 0 ] && [ "$(json_field "$JSON" status) $(json_field "$JSON" limit)" = "failed memory" ] && ! has_line "$OUT" "^allocated"'
        check "ringfence says the memory limit was reached" \
                eval 'has_line "$ERR" "^ringfence run: memory limit reached, command stopped$"'
else
        check "the hog is stopped: malloc fails with ENOMEM, exit 1" \
                eval '[ "$RC" = 1 ] && has_line "$OUT" "^malloc failed after [0-9]+ MiB: ENOMEM$"'
        check "(rlimit) the hog got less than 64M" \
                eval '[ "$(sed -n "s/^malloc failed after \([0-9]*\) MiB.*/\1/p" "$OUT")" -lt 64 ]'
fi
check "its peak memory in the record is at most 64M (+1M)" \
        eval '[ "$(json_field "$JSON" peak_memory)" -le $((65 << 20)) ] && [ "$(json_field "$JSON" peak_memory)" -gt 0 ]'
check "nothing of the hog is left" net_clean
rf_net --memory 64M -- "$PY" -c 'b = b"x" * (1 << 30); print("survived")'
check "a python hog (1G bytes) under --memory 64M fails too" eval '[ "$RC" != 0 ] && ! has_line "$OUT" survived'
rf_net --ro "$H" --memory 64M -- "$H/mem-hog" 16
check "16M under --memory 64M is fine" eval '[ "$RC" = 0 ] && has_line "$OUT" "^allocated 16 MiB$"'

# --- output --------------------------------------------------------------------------------------
rf_net --output 1K --json "$JSON" -- yes
bytes=$(wc -c <"$OUT")
check "yes under --output 1K is stopped, having passed at most 1K ($bytes bytes)" \
        eval '[ "$RC" != 0 ] && [ "$bytes" -le 1024 ] && [ "$bytes" -gt 0 ] && [ "$WALL_MS" -lt 30000 ]'
expect_eq "its record: limit output, output_truncated true" \
        "$(json_field "$JSON" limit) $(json_field "$JSON" output_truncated)" "output true"
check "ringfence says the output limit was reached" eval 'has_line "$ERR" "^ringfence run: output limit reached, command stopped$" && net_clean'
rf_net --output 1K --json "$JSON" -- sh -c 'yes >&2'
ys=$(grep -c '^y$' "$ERR")
check "a flood on stderr is capped as well (≤ 1K of it passed)" \
        eval '[ "$RC" != 0 ] && [ $((ys * 2)) -le 1024 ] && [ "$(json_field "$JSON" limit)" = output ]'
rf --output 1K --json "$JSON" -- seq 100
check "output under the cap passes whole and is not truncated" \
        eval '[ "$RC" = 0 ] && [ "$(cat "$OUT")" = "$(seq 100)" ] && [ "$(json_field "$JSON" output_truncated)" = false ]'

# --- time --------------------------------------------------------------------------------------------
rf --timeout 1s --json "$JSON" -- sleep 100
check "sleep 100 under --timeout 1s exits 124 after about a second (${WALL_MS} ms)" \
        eval '[ "$RC" = 124 ] && [ "$WALL_MS" -ge 900 ] && [ "$WALL_MS" -lt 10000 ]'
expect_eq "its record: status timeout, limit time, enforced by the host" \
        "$(json_field "$JSON" status) $(json_field "$JSON" limit) $(json_field "$JSON" enforced_by.time)" "timeout time host"
check "ringfence says the time limit was reached" eval 'has_line "$ERR" "^ringfence run: time limit reached, command killed$"'
rf --timeout 300ms -- sleep 100
check "--timeout 300ms works too (124, under 10 s)" eval '[ "$RC" = 124 ] && [ "$WALL_MS" -lt 10000 ]'
rf --timeout 5s -- true
check "a quick command under --timeout 5s exits 0 at once" eval '[ "$RC" = 0 ] && [ "$WALL_MS" -lt 4000 ]'
rf_net --cpu-time 1s --json "$JSON" -- sh -c 'while :; do :; done'
check "a CPU spin under --cpu-time 1s is stopped (limit cpu-time) within 20 s" \
        eval '[ "$RC" != 0 ] && [ "$(json_field "$JSON" limit)" = cpu-time ] && [ "$WALL_MS" -lt 20000 ]'

# --- files --------------------------------------------------------------------------------------------
mkdir -p "$WORK/rw" && chmod 777 "$WORK/rw"
rf --rw "$WORK/rw" --file-size 10K --json "$JSON" -- dd if=/dev/zero of="$WORK/rw/big" bs=1K count=100
check "dd of 100K under --file-size 10K stops at 10K (the file on the host is 10240 bytes)" \
        eval '[ "$RC" != 0 ] && [ "$(stat -c %s "$WORK/rw/big")" = 10240 ] && [ "$(json_field "$JSON" limit)" = file-size ]'
rf --files 20 -- sh -c 'ulimit -n'
expect_eq "--files 20: the open files limit inside is 20" "$(cat "$OUT")" 20
rf --files 20 -- "$PY" -c '
import os
fds = []
try:
    while True: fds.append(os.open("/dev/null", os.O_RDONLY))
except OSError as e:
    print(e.strerror, max(fds))'
expect_eq "--files 20: opening more fails with EMFILE at fd 19" "$(cat "$OUT")" "Too many open files 19"
t=/tmp/rf-it-$$
rf --tmp-size 1M -- sh -c "head -c 512K /dev/zero >$t-a && echo fits; head -c 1M /dev/zero >$t-b && echo fits-too"
check "--tmp-size 1M: 512K fits in /tmp, 1M more does not (No space left on device)" \
        eval '[ "$(cat "$OUT")" = fits ] && has_line "$ERR" "No space left on device"'
rm -f "$t-a" "$t-b"

# --- nothing outlives its job ------------------------------------------------------------------------
m=312.$$
rf_net -- sh -c "sleep $m & echo \$!"
check "a background grandchild was started (its pid printed)" eval '[ "$RC" = 0 ] && has_line "$OUT" "^[0-9]+$"'
check "the background 'sleep $m' does not outlive its job" eval '! pgrep -f "^sleep $m\$" >/dev/null'
m=315.$$
rf_net -- sh -c "setsid sh -c 'sleep $m & sleep $m &' </dev/null >/dev/null 2>&1; echo started"
check "a setsid double fork ('sleep $m') does not outlive its job" \
        eval 'has_line "$OUT" "^started$" && ! pgrep -f "^sleep $m\$" >/dev/null && net_clean'
m=316.$$
rf_net --timeout 1s -- sh -c "sleep $m & sleep $m"
check "--timeout kills the whole tree ('sleep $m' twice)" eval '[ "$RC" = 124 ] && ! pgrep -f "^sleep $m\$" >/dev/null'
m=313.$$
LAST="ringfence run -- sleep $m, then SIGKILL to ringfence"
"$RINGFENCE" run -- sleep "$m" </dev/null >/dev/null 2>&1 &
pid=$!
for i in $(seq 50); do pgrep -f "^sleep $m\$" >/dev/null && break; sleep 0.1; done
seen=$(pgrep -f "^sleep $m\$" | wc -l)
{ kill -KILL "$pid"; wait "$pid"; } 2>/dev/null
for i in $(seq 50); do pgrep -f "^sleep $m\$" >/dev/null || break; sleep 0.1; done
left=$(pgrep -f "^sleep $m\$" | wc -l)
check "when ringfence itself is killed (SIGKILL), its job dies too (seen $seen, left $left)" \
        eval '[ "$seen" = 1 ] && [ "$left" = 0 ]'
pkill_left=$(pgrep -f "^sleep (312|313|315|316)\.$$\$")
[ -z "$pkill_left" ] || { diag "killing leftover test sleeps: $pkill_left"; kill -KILL $pkill_left 2>/dev/null; }
