#!/bin/bash
# SPDX-License-Identifier: MIT
# `ringfence batch` records and resumption: --joblog in GNU parallel's exact layout, --json with
# one record per job, --resume and --resume-failed from either, a torn last line, a batch killed
# with SIGKILL again and again and resumed (every job exactly once), and big inputs.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 41

lines() { tr '\n' '|' <"$1" | sed 's/|$//'; }
L=$WORK/joblog J=$WORK/records.json

# joblog_row FILE SEQ: the columns of Seq SEQ's line in joblog FILE, joined by "|" (empty when
# there is no such line).
joblog_row() {
        "$PY" - "$1" "$2" <<'PYEOF'
import sys
for l in open(sys.argv[1], newline="").read().split("\n")[1:]:
    cols = l.split("\t", 8)
    if cols[0] == sys.argv[2]:
        print("|".join(cols)); break
PYEOF
}
# joblog_col FILE SEQ N: column N (1-9) of Seq SEQ's line.
joblog_col() { joblog_row "$1" "$2" | cut -d'|' -f"$3"; }

# --- --joblog: GNU parallel's layout --------------------------------------------------------------
t_before=$(date +%s)
rfb -j4 --timeout 2s --joblog "$L" --json "$J" sh -c '{}' ::: 'exit 3' 'kill -KILL $$' 'echo hi' 'sleep 30'
expect_eq "--joblog: the exact header line of GNU parallel" "$(head -n1 "$L" | od -c | head -n3 | tr -s ' ')" \
        "$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n' | od -c | head -n3 | tr -s ' ')"
expect_eq "--joblog: one line of 9 tab-separated columns for each of the 4 jobs" "$(joblog_once "$L" 4)" ok
expect_eq "--joblog: Host is ':' (local), Send is 0" \
        "$(for s in 1 2 3 4; do printf '%s%s ' "$(joblog_col "$L" $s 2)" "$(joblog_col "$L" $s 5)"; done)" \
        ":0 :0 :0 :0 "
check "--joblog: Starttime is Unix seconds with 3 decimals, of this run" "$PY" -c '
import sys
for s in sys.argv[2:]:
    f = float(s); assert s.split(".")[1].__len__() == 3, s
    assert int(sys.argv[1]) - 1 <= f <= int(sys.argv[1]) + 120, s' "$t_before" \
        "$(joblog_col "$L" 1 3)" "$(joblog_col "$L" 2 3)" "$(joblog_col "$L" 3 3)" "$(joblog_col "$L" 4 3)"
check "--joblog: JobRuntime is seconds with 3 decimals, right-aligned in 10 characters" "$PY" -c '
import re, sys
for s in sys.argv[1:]:
    assert len(s) == 10 and re.match(r"^ *[0-9]+\.[0-9]{3}$", s), repr(s)
assert float(sys.argv[4]) >= 1.9, sys.argv[4]' \
        "$(joblog_col "$L" 1 4)" "$(joblog_col "$L" 2 4)" "$(joblog_col "$L" 3 4)" "$(joblog_col "$L" 4 4)"
expect_eq "--joblog: exit 3 gives Exitval 3, Signal 0" "$(joblog_col "$L" 1 7) $(joblog_col "$L" 1 8)" "3 0"
expect_eq "--joblog: a job killed by SIGKILL gives Exitval 0, Signal 9 (as parallel)" \
        "$(joblog_col "$L" 2 7) $(joblog_col "$L" 2 8)" "0 9"
expect_eq "--joblog: a job that succeeds gives 0 0; Receive counts its output bytes (3)" \
        "$(joblog_col "$L" 3 7) $(joblog_col "$L" 3 8) $(joblog_col "$L" 3 6)" "0 0 3"
expect_eq "--joblog: a job stopped by --timeout gives Exitval -1 (as parallel)" "$(joblog_col "$L" 4 7)" "-1"
expect_eq "--joblog: Command is the command line" "$(joblog_col "$L" 1 9)" "sh -c exit 3"
expect_eq "--json: one record per job, every job exactly once" "$(records_once "$J" 4)" ok
expect_eq "--json: the records' statuses" \
        "$(jsonl_eval "$J" '" ".join("%d:%s" % (r["job"], r["status"]) for r in sorted(rs, key=lambda r: r["job"]))')" \
        "1:failed 2:signaled 3:ok 4:timeout"
printf '%s\n' '{"argv": ["true"]}' '{"argv": [' >"$WORK/jobs.jsonl"
rfb --jsonl --bad-input skip -a "$WORK/jobs.jsonl" --joblog "$L"
expect_eq "--joblog: a skipped job (malformed input line) gives Exitval -2, Signal 0" \
        "$(joblog_col "$L" 2 7) $(joblog_col "$L" 2 8)" "-2 0"
rfb -j1 --joblog "$L" echo ::: a
rfb -j1 --joblog "$L" echo ::: b
expect_eq "--joblog without --resume starts the file again" "$(joblog_once "$L" 1) $(joblog_col "$L" 1 9)" "ok echo b"

# --- --resume and --resume-failed --------------------------------------------------------------------
# resume_case FLAG FILE: the same steps with the records in --joblog or --json FILE.
resume_case() {
        local flag=$1 file=$2 what=$3
        rm -f "$file"
        rfb -j1 "$flag" "$file" sh -c 'echo {}; exit {}' ::: 0 1 0 2
        rfb -j1 "$flag" "$file" --resume sh -c 'echo {}; exit {}' ::: 0 1 0 2 0
        expect_eq "--resume from $what: only the job not yet recorded runs (job 5)" \
                "$(lines "$OUT") $RC" "0 0"
        rfb -j1 "$flag" "$file" --resume sh -c 'echo {}; exit {}' ::: 0 1 0 2 0
        expect_eq "--resume from $what again: nothing runs" "$(lines "$OUT") $RC" " 0"
        rfb -j1 "$flag" "$file" --resume-failed sh -c 'echo {}; exit {}' ::: 0 1 0 2 0
        expect_eq "--resume-failed from $what: the failed jobs run again (2 and 4)" \
                "$(lines "$OUT") $RC" "1|2 2"
}
resume_case --joblog "$L" "a joblog"
expect_eq "--resume-failed appends to the joblog: 7 lines after the header" "$(($(wc -l <"$L") - 1))" 7
resume_case --json "$J" "a --json file"
expect_eq "--resume-failed appends to the --json file: 7 records, jobs 2 and 4 twice" \
        "$(jsonl_eval "$J" 'sorted(r["job"] for r in rs)')" "[1, 2, 2, 3, 4, 4, 5]"

printf '%s\n' '{"argv": ["echo", "one"]}' '{"argv": [' '{"argv": ["echo", "three"]}' >"$WORK/jobs.jsonl"
rm -f "$J"
rfb -j1 --jsonl --bad-input skip -a "$WORK/jobs.jsonl" --json "$J"
rfb -j1 --jsonl --bad-input skip -a "$WORK/jobs.jsonl" --json "$J" --resume
expect_eq "--resume from a --json file that holds a skipped job's record: runs nothing, exit 0" \
        "$RC:$(lines "$OUT"):$(jsonl_eval "$J" 'len(rs)')" "0::3"

# A torn last line: the host died while writing it.
rm -f "$J" "$L"
rfb -j1 --json "$J" --joblog "$L" echo ::: a b c
head -n2 "$J" >"$J.new" && tail -n1 "$J" | head -c 40 >>"$J.new" && mv "$J.new" "$J"
head -n3 "$L" >"$L.new" && tail -n1 "$L" | head -c 20 >>"$L.new" && mv "$L.new" "$L"
rfb -j1 --json "$J" --joblog "$L" --resume echo ::: a b c
expect_eq "--resume after a torn last record: the torn job runs again, the others do not" \
        "$(lines "$OUT") $RC" "c 0"
expect_eq "... and both files are whole again, each job once" \
        "$(records_once "$J" 3) $(joblog_once "$L" 3)" "ok ok"
printf 'Seq\tHost\n1\tbad\n2\tbad\n' >"$L"
rfb --joblog "$L" --resume echo ::: a
check "--resume from a file that is not a joblog: 125, naming the file and line" \
        eval '[ "$RC" = 125 ] && has_line "$ERR" "^ringfence batch: --joblog $L:1: "'

# --- SIGKILL mid-batch, resumed: every job exactly once ----------------------------------------------
cat >"$WORK/killer.sh" <<'EOF'
#!/bin/bash
# killer.sh DELAY ARGS...: `ringfence batch ARGS...` killed with SIGKILL after DELAY seconds
# (or run to its end with DELAY "end"); then say how many of its processes are left: those whose
# command line matches the extended regex PAT (from the environment).
exec 2>/dev/null # not bash's "Killed" notices
delay=$1
shift
"$RINGFENCE" batch "$@" </dev/null >/dev/null 2>&1 &
pid=$!
if [ "$delay" != end ]; then
        sleep "$delay"
        kill -KILL "$pid"
fi
{ wait "$pid"; } 2>/dev/null
echo "rc=$?"
for i in $(seq 50); do
        n=$(pgrep -c -f -- "$PAT") || n=0
        [ "$n" = 0 ] && break
        sleep 0.1
done
echo "left=$n"
EOF
chmod 755 "$WORK/killer.sh"
# 30 jobs of about 0.1 s, with a tag of this script in their arguments and in the input file's
# name (so in the command line of ringfence and of each job's init).
TAG=$WORK/kill-input
for i in $(seq 30); do echo "0.1$$"; done >"$TAG"
PAT="^$RINGFENCE batch .*$TAG|^sleep 0\.1$$\$"
export PAT RINGFENCE
LAST="10 rounds of killer.sh DELAY -j4 -a $TAG --json $J --joblog $L --resume sleep"
bad= badlog=
t0=$(date +%s)
# delay: a random kill point from 0.05 s to 0.75 s after the start (start-up, reading the records
# back, rebuilding the joblog, running), in steps of 50 ms
delay() { printf '%d.%02d' $(($1 / 20)) $(($1 % 20 * 5)); }
for round in 1 2 3 4 5 6 7 8 9 10; do
        rm -f "$J" "$L"
        d1=$(delay $((RANDOM % 15 + 1))) d2=$(delay $((RANDOM % 15 + 1)))
        said="round $round:"
        for d in "$d1" "$d2" end; do
                outer_net "$WORK/killer.sh" "$d" -j4 -a "$TAG" --json "$J" --joblog "$L" --resume sleep \
                        >"$WORK/killer.out"
                r=$(tr '\n' ' ' <"$WORK/killer.out")
                case $r in *"left=0"*) ;; *) bad="$bad round $round ($d): processes left: $r;" ;; esac
                [ "$NET_LEFT" = 0 ] || bad="$bad round $round ($d): $NET_LEFT left in the outer net;"
                n=$(cat "$J" 2>/dev/null | wc -l)
                if [ "$d" = end ]; then said="$said resumed to the end: $n"; else said="$said killed after $d s: $n records,"; fi
        done
        diag "$said"
        case $r in *"rc=0"*) ;; *) bad="$bad round $round: the last run did not exit 0: $r;" ;; esac
        o=$(records_once "$J" 30) || bad="$bad round $round: --json: $o;"
        o=$(joblog_once "$L" 30) || badlog="$badlog round $round: --joblog: $o;"
done
diag "10 rounds of kills: $(($(date +%s) - t0)) s"
expect_eq "SIGKILL twice mid-batch and resumed, 10 rounds: every job exactly once in --json, nothing left running" \
        "${bad:-ok}" ok
expect_eq "... and every job exactly once in --joblog (a line lost between the two writes is rebuilt)" \
        "${badlog:-ok}" ok

# The same at the worst moment, made certain with strace: SIGKILL as ringfence enters the write of
# job 1's joblog line, its --json record already written. Resumed, each file must end up with
# every job exactly once. The records are written by a worker thread (src/batch/lane.c): strace
# follows threads (-f) and counts each thread's calls apart (when=N is the thread's N-th), so the
# batch gets one core, hence one worker (taskset), and N is counted in the writing thread.
STRACE=(taskset -c 0 strace -f)
if command -v strace >/dev/null 2>&1 && command -v taskset >/dev/null 2>&1 &&
        "${STRACE[@]}" -o "$WORK/trace" -y -P "$J" -P "$L" -e trace=write "$RINGFENCE" batch -j1 \
                --json "$J" --joblog "$L" echo ::: a b c </dev/null >/dev/null 2>&1 &&
        n=$(awk '/^[0-9]+ +write\(/ { n[$1]++ } /^[0-9]+ +write\([0-9]+<[^>]*joblog>/ { if (++k == 2) { print n[$1]; exit } }' "$WORK/trace") &&
        # strace traced: a trace without job 1's joblog write is this test's failure, not a skip.
        { [ -n "$n" ] || { n=0; diag "no second joblog write in the trace: $(head -c 300 "$WORK/trace")"; }; }; then
        rm -f "$J" "$L"
        { "${STRACE[@]}" -o /dev/null -P "$J" -P "$L" -e trace=write \
                -e inject=write:signal=SIGKILL:when="$n" \
                "$RINGFENCE" batch -j1 --json "$J" --joblog "$L" echo ::: a b c </dev/null >/dev/null; } 2>/dev/null
        diag "killed at write $n: $(wc -l <"$J") record(s) in --json, $(($(wc -l <"$L") - 1)) in --joblog"
        rfb -j1 --json "$J" --joblog "$L" --resume echo ::: a b c
        expect_eq "SIGKILL between a job's --json record and its joblog line, resumed: each file has every job once" \
                "$([ "$n" != 0 ] && echo at-write-"$n") $(records_once "$J" 3) / $(joblog_once "$L" 3)" \
                "at-write-$n ok / ok"
else
        skip_test "SIGKILL between a job's --json record and its joblog line, resumed" "strace cannot trace here"
fi

# Every kill point, made certain with strace: for each system call that touches the two record
# files (opening, cutting, the joblog's header, each record, fsync...), a batch killed with SIGKILL
# as it enters that call, then a --resume killed at the same call, then a --resume to the end:
# each file has every job exactly once, and no job that finished ran again. A point is a call and
# its number within its thread (the main thread opens, cuts and syncs; the worker writes records):
# it strikes whichever thread gets there first.
if command -v strace >/dev/null 2>&1 && command -v taskset >/dev/null 2>&1 && rm -f "$J" "$L" &&
        "${STRACE[@]}" -o "$WORK/trace" -P "$J" -P "$L" "$RINGFENCE" batch -j1 --json "$J" \
                --joblog "$L" --resume echo ::: a b </dev/null >/dev/null 2>&1; then
        points=$(awk '/^[0-9]+ +[a-z0-9_]+\(/ { name = substr($2, 1, index($2, "(") - 1)
                                              p = name ":" ++c[$1, name]
                                              if (!(p in seen)) { seen[p] = 1; printf "%s ", p } }' "$WORK/trace")
        # With --results too: a job recorded in --json has its record.json and stdout already.
        R=$WORK/kill-results
        results_whole() { # DIR N: "ok" when jobs 1..N each have a record.json naming them, and stdout
                local j
                for j in $(seq "$2"); do
                        grep -q "^{\"job\":$j," "$1/$j/record.json" 2>/dev/null && [ -s "$1/$j/stdout" ] ||
                                { echo "job $j: record.json or stdout missing"; return; }
                done
                echo ok
        }
        bad= n=0 t0=$(date +%s)
        for p in $points; do
                rm -rf "$J" "$L" "$R"
                for run in 1 2; do
                        { "${STRACE[@]}" -o /dev/null -P "$J" -P "$L" -e inject="${p%:*}":signal=SIGKILL:when="${p#*:}" \
                                "$RINGFENCE" batch -j1 --json "$J" --joblog "$L" --results "$R" --resume \
                                echo ::: a b </dev/null >/dev/null 2>&1; } 2>/dev/null
                done
                ran_before=$(cat "$J" 2>/dev/null | wc -l)
                rfb -j1 --json "$J" --joblog "$L" --results "$R" --resume echo ::: a b
                # jobs run now (the summary's count; their output went to --results)
                ran_now=$(sed -n 's/^ringfence batch: \([0-9]*\) jobs:.*/\1/p' "$ERR")
                o="$RC $(records_once "$J" 2) $(joblog_once "$L" 2) $((${ran_now:-9} + ran_before)) $(results_whole "$R" 2)"
                [ "$o" = "0 ok ok 2 ok" ] || bad="$bad $p: $o ($(lines "$ERR"));"
                n=$((n + 1))
        done
        # strace traced: a trace with no call on the record files is a failure, not 0 points passed.
        [ -n "$points" ] || bad="no system call on the record files in the trace: $(head -c 300 "$WORK/trace")"
        diag "kill points: $points($(($(date +%s) - t0)) s)"
        expect_eq "SIGKILL at each of the $n system calls on the record files, twice, then resumed: every job once in each file, none run twice, each with its --results files" \
                "${bad:-ok}" ok
else
        skip_test "SIGKILL at each system call on the record files, then resumed" "strace cannot trace here"
fi

# A joblog that lost lines (the last, or all of it) gets them back on --resume, byte for byte.
rm -f "$J" "$L"
RF_STDIN=/dev/null
rfb -j1 --json "$J" --joblog "$L" sh -c 'echo {}; exit {}' ::: 0 3 0
cp "$L" "$L.whole"
rfb -j1 --json "$J" --joblog "$L" --resume-failed sh -c 'echo {}; exit {}' ::: 0 3 0
cp "$L" "$L.whole2"
head -n -1 "$L" >"$L.cut" && mv "$L.cut" "$L"
rfb -j1 --json "$J" --joblog "$L" --resume sh -c 'echo {}; exit {}' ::: 0 3 0
expect_eq "--resume: the lost joblog line of a job's second attempt is rebuilt as it was; nothing runs" \
        "$RC:$(cat "$OUT"):$(cmp -s "$L" "$L.whole2" && echo same)" "0::same"
rm -f "$L"
head -n 3 "$J" >"$J.cut" && mv "$J.cut" "$J"
rfb -j1 --json "$J" --joblog "$L" --resume sh -c 'echo {}; exit {}' ::: 0 3 0
expect_eq "--resume with a new joblog: it gets the header and a line for each --json record, as written before" \
        "$RC:$(cat "$OUT"):$(cmp -s "$L" "$L.whole" && echo same)" "0::same"
printf 'Seq\tHost\tStart' >"$L"
rfb -j1 --json "$J" --joblog "$L" --resume sh -c 'echo {}; exit {}' ::: 0 3 0
expect_eq "--resume with a joblog torn inside its header (killed while writing it): the header and every line again" \
        "$RC:$(cmp -s "$L" "$L.whole" && echo same)" "0:same"

# --- big inputs ----------------------------------------------------------------------------------------------
seq 100000 >"$WORK/100k"
rfb --dry-run -a "$WORK/100k" echo {}
expect_eq "--dry-run of a 100,000-line input prints 100,000 commands in order" \
        "$RC $(wc -l <"$OUT") $(sed 's/^echo //' "$OUT" | cmp -s - "$WORK/100k" && echo same)" "0 100000 same"
seq 1000 >"$WORK/1k"
rss() {
        "$PY" - "$@" <<'PYEOF'
import resource, subprocess, sys
subprocess.run(sys.argv[2:], stdin=open(sys.argv[1]), stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PYEOF
}
small=$(rss "$WORK/1k" "$RINGFENCE" batch --dry-run echo {})
big=$(rss "$WORK/100k" "$RINGFENCE" batch --dry-run echo {})
if grep -q __asan_init "$RINGFENCE" 2>/dev/null; then
        # AddressSanitizer keeps freed memory in quarantine, so peak RSS grows with work done.
        skip_test "100 times more input lines take no more memory" \
                "an AddressSanitizer build cannot show flat memory (its quarantine holds freed blocks)"
else
        check "100 times more input lines take no more memory (peak RSS $small KiB, then $big KiB)" \
                eval '[ "$big" -le $((small + 2048)) ]'
fi
# -a FILE is read ahead (checked line by line) and then run: still constant memory.
small=$(rss /dev/null "$RINGFENCE" batch --dry-run -a "$WORK/1k" echo {})
big=$(rss /dev/null "$RINGFENCE" batch --dry-run -a "$WORK/100k" echo {})
if grep -q __asan_init "$RINGFENCE" 2>/dev/null; then
        skip_test "-a FILE: 100 times more lines, read ahead and run, take no more memory" \
                "an AddressSanitizer build cannot show flat memory (its quarantine holds freed blocks)"
else
        check "-a FILE: 100 times more lines, read ahead and run, take no more memory (peak RSS $small KiB, then $big KiB)" \
                eval '[ "$big" -le $((small + 2048)) ]'
fi

seq 2000 >"$WORK/2k"
rfb_net_for 300 -j4 -a "$WORK/2k" --json "$J" --joblog "$L" /bin/true
expect_eq "2000 /bin/true jobs at -j4: exit 0, nothing printed" "$RC:$(cat "$OUT")" "0:"
diag "2000 jobs at -j4: $WALL_MS ms"
expect_eq "2000 jobs: every job exactly once in --json" "$(records_once "$J" 2000)" ok
expect_eq "2000 jobs: every job exactly once in --joblog" "$(joblog_once "$L" 2000)" ok
expect_eq "2000 jobs: every record ok" "$(jsonl_eval "$J" 'sorted(set(r["status"] for r in rs))')" "['ok']"
check "2000 jobs: the summary counts 2000 ok" has_line "$ERR" "^ringfence batch: 2000 jobs: 2000 ok, 0 failed"
