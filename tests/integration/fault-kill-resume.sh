#!/bin/bash
# SPDX-License-Identifier: MIT
# Fault injection for the host (issue 5, part 2): a 2,000-job batch whose host is killed with
# SIGKILL at random moments twenty times, each time resumed; every job ends with exactly one
# record in --json and in --results DIR, no job whose record was written runs again, and after
# each kill no process is left in any pid namespace the host's jobs had.
# FAULT_SEED=N repeats a run's random delays (the seed is printed).
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

plan 7
N=2000 KILLS=20
SEED=${FAULT_SEED:-$$}
RANDOM=$SEED
diag "random delays from FAULT_SEED=$SEED"
J=$WORK/records.json L=$WORK/joblog R=$WORK/results D=$WORK/ran
mkdir -p "$D" && chmod 777 "$D"
seq "$N" >"$WORK/input"
export RINGFENCE PY

# killer.sh DELAY ARGS...: `ringfence batch ARGS...`, killed with SIGKILL after DELAY seconds
# (DELAY "end": let it finish). Just before the kill, the pid namespaces of its running jobs are
# written to ns.txt; after it, the script says how many processes are left in them.
cat >"$WORK/killer.sh" <<KEOF
#!/bin/bash
. "$TOP_SRCDIR/tests/integration/fault-lib.sh"
exec 2>/dev/null
delay=\$1
shift
"\$RINGFENCE" batch "\$@" </dev/null >/dev/null 2>"$WORK/batch.err" &
pid=\$!
: >"$WORK/ns.txt"
if [ "\$delay" != end ]; then
        sleep "\$delay"
        job_namespaces "\$pid" >"$WORK/ns.txt"
        kill -KILL "\$pid"
fi
{ wait "\$pid"; } 2>/dev/null
echo "rc=\$? jobs-seen=\$(wc -l <"$WORK/ns.txt") left=\$(in_namespaces "$WORK/ns.txt" 5)"
KEOF
chmod 755 "$WORK/killer.sh"

# runs: "job count" (sorted as join wants) for every job that has run at least once (one line appended per run).
# runs: "JOB TIMES" for each job that ran (one wc for all files: a fork per file was most of this
# test's time on a loaded machine).
runs() { (cd "$D" && find . -maxdepth 1 -type f -name '[0-9]*' -printf '%f\0' |
        xargs -0r wc -l | awk '$2 != "total" { print $2, $1 }') 2>/dev/null | LC_ALL=C sort; }
# recorded: the jobs that have a record in --json now.
recorded() { "$PY" -c '
import json, sys
for l in open(sys.argv[1]):
    if l.endswith("\n"):
        print(json.loads(l)["job"])' "$J" 2>/dev/null | LC_ALL=C sort; }

# Each job takes at least 0.1 s, so that at -j8 the batch needs 25 s or more and every one of
# the twenty kills (0.2-1.6 s apart) lands while jobs still wait to run, on any machine.
ARGS=(-j8 -a "$WORK/input" --rw "$D" --json "$J" --joblog "$L" --results "$R" --resume
      sh -c "echo x >>$D/{}; sleep 0.1")
LAST="killer.sh DELAY ${ARGS[*]}"
bad_left= bad_rerun= said= kills=0 mid=0 seen_total=0
for round in $(seq $((KILLS + 1))); do
        if [ "$round" -le "$KILLS" ]; then
                d=$((RANDOM % 15 + 2)); d=$((d / 10)).$((d % 10))
        else
                d=end
        fi
        recorded >"$WORK/rec.before"
        [ "$d" = end ] || [ "$(wc -l <"$WORK/rec.before")" -ge "$N" ] || mid=$((mid + 1))
        runs >"$WORK/runs.before"
        outer_net_for 300 "$WORK/killer.sh" "$d" "${ARGS[@]}" >"$WORK/killer.out"
        r=$(cat "$WORK/killer.out")
        case $r in *" left=0"*) ;; *) bad_left="$bad_left kill $round after $d s: $r;" ;; esac
        [ "$NET_LEFT" = 0 ] || bad_left="$bad_left kill $round: $NET_LEFT left in the outer net;"
        seen=${r#*jobs-seen=}; seen=${seen%% *}
        seen_total=$((seen_total + seen))
        runs >"$WORK/runs.after"
        # A job recorded before this run must not have run again in it.
        again=$(LC_ALL=C join "$WORK/runs.before" "$WORK/runs.after" | awk '$2 != $3 { print $1 }' |
                LC_ALL=C sort | LC_ALL=C join - "$WORK/rec.before" | head -5 | tr '\n' ' ')
        [ -z "$again" ] || bad_rerun="$bad_rerun round $round: jobs $again;"
        said="$said $d:$(recorded | wc -l)"
        [ "$d" = end ] || kills=$((kills + 1))
done
diag "delay(s):records after each run:$said"
diag "$seen_total running jobs' pid namespaces watched across the kills"
expect_eq "$N jobs, the host killed with SIGKILL $kills times at random and resumed: the last run exits 0" \
        "$(sed 's/ .*//' "$WORK/killer.out")" "rc=0"
expect_eq "... and each of the $KILLS kills came while jobs of the batch were still to run" "$mid" "$KILLS"
expect_eq "... every job has exactly one record in --json" "$(records_once "$J" "$N")" ok
check "... and one whole record.json in --results DIR/<job>/, naming its job" "$PY" -c '
import json, os, sys
d, n = sys.argv[1], int(sys.argv[2])
bad = []
for j in range(1, n + 1):
    try:
        r = json.load(open(os.path.join(d, str(j), "record.json")))
        assert r["job"] == j and r["status"] == "ok"
    except Exception as e:
        bad.append("%d (%s)" % (j, e))
assert not bad, "%d bad, first: %s" % (len(bad), bad[:3])' "$R" "$N"
expect_eq "... no job whose record was written ran again after a kill" "${bad_rerun:-ok}" ok
expect_eq "... every job ran (its file exists) and the ones run twice are those killed mid-run" \
        "$(runs | wc -l)" "$N"
expect_eq "... after each kill no process is left in the pid namespaces of the jobs it was running" \
        "${bad_left:-ok}" ok
