#!/bin/bash
# SPDX-License-Identifier: MIT
# `ringfence batch` spawning on its worker threads: hundreds of jobs at once, each with exactly
# the record its command earned, with signals and time limits among them; the same as an
# ordinary user; and a job's init keeps no fd of the jobs spawned beside it.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 7

# check_records FILE N: every job 1..N has one record, with the status and exit code its input
# asks for (see the command below). Prints what is wrong, fails when something is.
check_records() {
        "$PY" - "$1" "$2" <<'PYEOF'
import json, sys
n = int(sys.argv[2])
seen, bad = {}, []
for line in open(sys.argv[1]):
    r = json.loads(line)
    seen[r["job"]] = seen.get(r["job"], 0) + 1
    i = r["job"]
    if i % 50 == 0:
        want = ("timeout", None, 124)
    elif i % 10 == 0:
        want = ("signaled", None, 128 + 15)
    else:
        want = ("ok" if i % 7 == 0 else "failed", i % 7, i % 7)
    got = (r["status"], r["exit_code"], r["exit_status"])
    if got != want:
        bad.append("job %d: %s, expected %s" % (i, got, want))
missing = [i for i in range(1, n + 1) if seen.get(i) != 1]
if missing:
    bad.append("jobs without exactly one record: %s" % missing[:10])
for b in bad[:10]:
    print(b)
sys.exit(1 if bad else 0)
PYEOF
}

# --- many jobs at once, through the pool, inside the outer net ----------------------------------
n=300
rfb_net_for 300 -j16 --timeout 4s --json "$WORK/r.jsonl" -- \
        sh -c 'i={}; [ $((i % 50)) = 0 ] && exec sleep 100; [ $((i % 10)) = 0 ] && kill -TERM $$; exit $((i % 7))' \
        ::: $(seq $n)
check "$n jobs, 16 at a time: one record each, with its exit code, signal or timeout" \
        check_records "$WORK/r.jsonl" $n
expect_rc "the exit status counts the failed jobs, capped at 100" 100
expect_eq "the summary counts every job" \
        "$(grep -o "$n jobs: [0-9]* ok" "$ERR" | cut -d' ' -f1)" "$n"

# --- as an ordinary user: the spawns on worker threads need no privilege ----------------------
if [ "$(id -u)" = 0 ]; then
        command -v setpriv >/dev/null || bail "setpriv (util-linux) is needed to run as uid 65534"
        RF_PREFIX=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
rfb_net_for 120 -j8 -- sh -c 'echo "job {} as $(id -u)"' ::: $(seq 100)
RF_PREFIX=()
expect_eq "as an ordinary user: 100 jobs, 8 at a time, all ran" \
        "$(sort -n -k2 "$OUT" | head -1):$(wc -l <"$OUT")" "job 1 as 65534:100"
expect_rc "as an ordinary user: exit 0" 0

# --- a job's init holds its channel and nothing else ---------------------------------------------
# The inits are cloned while other jobs are being spawned on other threads, and would otherwise
# keep those jobs' pipes open for as long as they live.
"$RINGFENCE" batch -j6 -- sleep 30 ::: 1 2 3 4 5 6 >/dev/null 2>&1 &
rf_pid=$!
running=0
for _ in $(seq 400); do
        running=0
        for init in $(pgrep -P $rf_pid || true); do
                running=$((running + $(pgrep -c -P "$init" || true)))
        done
        [ $running -ge 6 ] && break
        sleep 0.05
done
fds=
for init in $(pgrep -P $rf_pid || true); do
        fds="$fds $(ls /proc/"$init"/fd 2>/dev/null | wc -l)"
done
kill -TERM $rf_pid 2>/dev/null
wait $rf_pid
expect_eq "6 jobs started at once: all 6 commands ran" "$running" 6
expect_eq "each job's init has exactly one fd open (its channel)" "$fds" " 1 1 1 1 1 1"
