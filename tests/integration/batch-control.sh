#!/bin/bash
# SPDX-License-Identifier: MIT
# `ringfence batch` control: --timeout, --retries, --halt, the exit status (the number of failed
# jobs, at most 100; 125 for its own errors, in one line), and SIGINT/SIGTERM with running jobs
# (records written, nothing survives).
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 52

lines() { tr '\n' '|' <"$1" | sed 's/|$//'; }
J=$WORK/records.json
# status_of: "job:status" for each record of $J, in job order.
status_of() { jsonl_eval "$J" '" ".join("%d:%s" % (r["job"], r["status"]) for r in sorted(rs, key=lambda r: r["job"]))'; }
# A tag unique to this script, in the jobs' sleep arguments, to find them with pgrep.
T=417.$$

# --- --timeout -----------------------------------------------------------------------------------
rfb -j2 --timeout 1s --json "$J" sleep {} ::: 30 0
check "--timeout 1s: a job sleeping 30 s is stopped (the batch ends within 10 s)" \
        eval '[ "$WALL_MS" -lt 10000 ]'
expect_eq "--timeout: its record says status timeout, exit_status 124, limit time" \
        "$(jsonl_eval "$J" '[(r["status"], r["exit_status"], r["limit"]) for r in rs if r["job"] == 1]')" \
        "[('timeout', 124, 'time')]"
expect_eq "--timeout: the other job is ok; exit status 1" "$(status_of) $RC" "1:timeout 2:ok 1"
check "--timeout: the summary counts 1 timed out" has_line "$ERR" ", 1 timed out,"

# --- --retries --------------------------------------------------------------------------------------
mkdir -p "$WORK/cnt" && chmod 777 "$WORK/cnt"
counter='n=$(cat '"$WORK"'/cnt/$1 2>/dev/null || echo 0); n=$((n + 1)); echo $n >'"$WORK"'/cnt/$1; echo attempt$n'
rfb --rw "$WORK/cnt" --retries 2 --json "$J" sh -c "$counter; [ \$n -ge 2 ]" sh ::: a
expect_eq "--retries 2: a job that fails once and then succeeds ran twice, exit 0" \
        "$(cat "$WORK/cnt/a") $RC" "2 0"
expect_eq "--retries: it has one record, attempt 2, status ok" \
        "$(jsonl_eval "$J" '[(r["job"], r["attempt"], r["status"]) for r in rs]')" "[(1, 2, 'ok')]"
expect_eq "--retries: only the last attempt's output is printed" "$(lines "$OUT")" "attempt2"
rfb --rw "$WORK/cnt" --retries 2 --json "$J" sh -c "$counter; exit 7" sh ::: b
expect_eq "--retries 2: a job that always fails runs 3 times, one record (attempt 3, failed)" \
        "$(cat "$WORK/cnt/b") $(jsonl_eval "$J" '[(r["attempt"], r["status"], r["exit_code"]) for r in rs]') $RC" \
        "3 [(3, 'failed', 7)] 1"
rfb --rw "$WORK/cnt" --json "$J" sh -c "$counter; exit 7" sh ::: c
expect_eq "without --retries a failed job runs once" "$(cat "$WORK/cnt/c")" 1

# --- --halt ----------------------------------------------------------------------------------------------
rfb -j2 --halt now,fail=1 --json "$J" sh -c "if [ \$1 = 1 ]; then sleep 0.5; exit 1; fi; sleep $T\$1" sh ::: 1 2 3 4
check "--halt now,fail=1: the batch ends soon after the first failure (< 10 s)" eval '[ "$WALL_MS" -lt 10000 ]'
expect_eq "--halt now,fail=1: the running job is killed, no more are started" \
        "$(jsonl_eval "$J" '" ".join("%d:%s:%s" % (r["job"], r["status"], r["signal"]) for r in sorted(rs, key=lambda r: r["job"]))')" \
        "1:failed:None 2:signaled:9"
expect_eq "--halt now: nothing of the killed job is left" "$(survivors "^sleep $T" 2)" 0
check "--halt: the summary says halted" has_line "$ERR" ", halted;"

rfb -j2 --halt soon,fail=1 --json "$J" sh -c 'if [ $1 = 1 ]; then sleep 0.3; exit 1; fi; sleep 1; echo done$1' sh ::: 1 2 3 4
expect_eq "--halt soon,fail=1: the running job finishes, no more are started" \
        "$(lines "$OUT") $(status_of)" "done2 1:failed 2:ok"

rfb -j1 --halt now,success=1 --json "$J" sh -c 'exit $1' sh ::: 1 0 1 1
expect_eq "--halt now,success=1: stops after the first success" "$(status_of)" "1:failed 2:ok"

rfb -j1 --halt soon,fail=50% --json "$J" sh -c 'exit $1' sh ::: 1 1 0 0 0 0 0 0
check "--halt soon,fail=50%: stops once half have failed (fewer than 8 records)" \
        eval '[ "$(jsonl_eval "$J" "len(rs)")" -lt 8 ] && has_line "$ERR" ", halted;"'

rfb -j2 --halt never -k echo ::: a b
expect_eq "--halt never: runs everything" "$(lines "$OUT") $RC" "a|b 0"

# --- exit status --------------------------------------------------------------------------------------
rfb -j4 sh -c 'exit $1' sh ::: 0 3 0 1 0 2
expect_eq "exit status: the number of failed jobs (3)" "$RC" 3
rfb -j4 --json "$J" nosuch-command-rf ::: a
expect_eq "a job that cannot start counts as failed: record spawn-error, exit_status 127; exit 1" \
        "$(jsonl_eval "$J" '[(r["status"], r["exit_status"]) for r in rs]') $RC" "[('spawn-error', 127)] 1"
rfb -j4 --json "$J" /usr ::: a
expect_eq "a job that cannot be executed: record spawn-error, exit_status 126" \
        "$(jsonl_eval "$J" '[(r["status"], r["exit_status"]) for r in rs]')" "[('spawn-error', 126)]"
seq 150 >"$WORK/150"
rfb_net -j8 -a "$WORK/150" --json "$J" false
expect_eq "150 failing jobs: exit status 100 (capped), 150 records" \
        "$RC $(jsonl_eval "$J" 'len(rs)')" "100 150"
check "150 failing jobs: the summary says 150 failed" has_line "$ERR" "^ringfence batch: 150 jobs: 0 ok, 150 failed,"

# --- ringfence's own errors: 125 and one line naming the flag -----------------------------------------
bad_flag() {
        local desc=$1 pat=$2
        shift 2
        rfb "$@"
        if [ "$RC" = 125 ] && [ "$(wc -l <"$ERR")" = 1 ] && [ ! -s "$OUT" ] &&
                has_line "$ERR" "^ringfence batch: .*$pat"; then
                ok "$desc"
        else
                not_ok "$desc" "expected exit 125, nothing on stdout and one line 'ringfence batch: ...$pat...'" "$(last_run)"
        fi
}
bad_flag "an unknown flag: 125, one line naming it" "--bogus" --bogus echo ::: a
bad_flag "-j x: 125, one line naming --jobs" "--jobs.*expected" -j x echo ::: a
bad_flag "--jobs -1: 125" "--jobs" --jobs -1 echo ::: a
bad_flag "--halt sometimes: 125, naming --halt" "--halt.*expected" --halt sometimes echo ::: a
bad_flag "--halt now,fail=0: 125" "--halt" --halt now,fail=0 echo ::: a
bad_flag "--retries many: 125, naming --retries" "--retries.*expected" --retries many echo ::: a
bad_flag "a sandbox flag's bad value (--memory lots): 125" "--memory" --memory lots echo ::: a
bad_flag "--timeout 5x: 125" "--timeout" --timeout 5x echo ::: a
bad_flag "--joblog without its value: 125" "--joblog" --joblog
bad_flag "-a FILE and ::: together: 125" "--arg-file and :::" -a /dev/null echo ::: a
bad_flag "a missing -a file: 125, one line naming the file" "/nonexistent/rf-input" -a /nonexistent/rf-input echo
bad_flag "an unwritable --json file: 125, one line naming it" "--json /nonexistent/rf.json" --json /nonexistent/rf.json echo ::: a
bad_flag "--jsonl with -0: 125" "NUL" --jsonl -0 -a /dev/null
rfb --help
check "--help exits 0 and shows the usage" eval '[ "$RC" = 0 ] && has_line "$OUT" "^Usage: ringfence batch"'

# --- signals ---------------------------------------------------------------------------------------------
# start_bg ARGS...: ringfence batch ARGS... in the background (pid in BG), output in OUT/ERR.
# A shell without job control starts background commands with SIGINT and SIGQUIT ignored, and
# ringfence keeps ignored signals ignored (as make does): give it them back, as a terminal's
# foreground job has them.
start_bg() {
        LAST="ringfence batch $* (in the background)"
        env --default-signal=INT,QUIT "$RINGFENCE" batch "$@" </dev/null >"$OUT" 2>"$ERR" &
        BG=$!
}
# wait_count N PATTERN: wait up to 10 s until N processes match PATTERN.
wait_count() {
        local i
        for ((i = 0; i < 100; i++)); do
                [ "$(pgrep -c -f -- "$2")" -ge "$1" ] && return 0
                sleep 0.1
        done
        return 1
}
# wait_bg SECS: wait for BG to exit within SECS; RC is its status (or 999 when it did not).
wait_bg() {
        local i
        for ((i = 0; i < $1 * 10; i++)); do
                kill -0 "$BG" 2>/dev/null || break
                sleep 0.1
        done
        if kill -0 "$BG" 2>/dev/null; then
                kill -KILL "$BG"; wait "$BG" 2>/dev/null; RC=999
        else
                wait "$BG"; RC=$?
        fi
}

start_bg -j3 --json "$J" sleep "${T}1{}" ::: 1 2 3 4 5
wait_count 3 "^sleep ${T}1" || diag "the three jobs did not all start"
kill -INT "$BG"
wait_bg 10
check "SIGINT with 3 running jobs: ringfence exits promptly, with a failure status" \
        eval '[ "$RC" != 999 ] && [ "$RC" != 0 ]'
expect_eq "SIGINT: the running jobs got SIGTERM and have their records; jobs not started have none" \
        "$(jsonl_eval "$J" '" ".join("%d:%s:%s" % (r["job"], r["status"], r["signal"]) for r in sorted(rs, key=lambda r: r["job"]))')" \
        "1:signaled:15 2:signaled:15 3:signaled:15"
expect_eq "SIGINT: no job process survives (pgrep for the jobs' unique argument)" \
        "$(survivors "${T}1" 2)" 0
check "SIGINT: the summary says interrupted" has_line "$ERR" ", interrupted;"

start_bg -j1 --json "$J" sh -c 'trap "" TERM INT; sleep $1' sh ::: "${T}2"
wait_count 1 "^sleep ${T}2" || diag "the job did not start"
kill -INT "$BG"
sleep 1
check "a job that ignores SIGTERM outlives the first SIGINT" eval 'kill -0 "$BG" 2>/dev/null && [ "$(pgrep -c -f "^sleep ${T}2")" = 1 ]'
kill -INT "$BG"
wait_bg 5
expect_eq "the second SIGINT kills it at once: record signaled 9, ringfence exits" \
        "$(jsonl_eval "$J" '[(r["status"], r["signal"]) for r in rs]') $([ "$RC" != 999 ] && echo exited)" \
        "[('signaled', 9)] exited"
expect_eq "... and nothing of it survives" "$(survivors "${T}2" 2)" 0

start_bg -j2 --json "$J" sleep "${T}3{}" ::: 1 2
wait_count 2 "^sleep ${T}3" || diag "the jobs did not start"
kill -TERM "$BG"
wait_bg 10
expect_eq "SIGTERM as SIGINT: records for both running jobs (signaled 15), nothing survives" \
        "$(jsonl_eval "$J" 'sorted((r["job"], r["status"], r["signal"]) for r in rs)') $(survivors "${T}3" 2)" \
        "[(1, 'signaled', 15), (2, 'signaled', 15)] 0"

start_bg -j2 --json "$J" sleep "${T}6{}" ::: 1 2
wait_count 2 "^sleep ${T}6" || diag "the jobs did not start"
kill -HUP "$BG"
wait_bg 10
expect_eq "SIGHUP as SIGTERM: records for both running jobs (signaled 15), nothing survives, interrupted" \
        "$(jsonl_eval "$J" 'sorted((r["job"], r["status"], r["signal"]) for r in rs)') $(survivors "${T}6" 2) $(grep -c ', interrupted;' "$ERR")" \
        "[(1, 'signaled', 15), (2, 'signaled', 15)] 0 1"

# Started with SIGHUP ignored (nohup): a SIGHUP neither stops the batch nor reaches its jobs.
LAST="ringfence batch (SIGHUP ignored, in the background)"
( trap '' HUP; exec "$RINGFENCE" batch -j2 --json "$J" sleep "2.$$8{}" ::: 1 2 </dev/null >"$OUT" 2>"$ERR" ) &
BG=$!
wait_count 2 "^sleep 2\.$$8" || diag "the jobs did not start"
kill -HUP "$BG"
wait_bg 30
expect_eq "started with SIGHUP ignored (nohup): SIGHUP ignored, both jobs ok, exit 0" \
        "$RC $(status_of) $(grep -c interrupted "$ERR")" "0 1:ok 2:ok 0"

start_bg -j1 --json "$J" sh -c 'trap "" TERM INT; sleep $1' sh ::: "${T}7"
wait_count 1 "^sleep ${T}7" || diag "the job did not start"
kill -QUIT "$BG"
wait_bg 5
expect_eq "SIGQUIT kills the running jobs at once (one that ignores SIGTERM too): record signaled 9, ringfence exits" \
        "$(jsonl_eval "$J" '[(r["status"], r["signal"]) for r in rs]') $([ "$RC" != 999 ] && echo exited) $(survivors "${T}7" 2)" \
        "[('signaled', 9)] exited 0"

# SIGUSR1 and SIGUSR2 do not stop the batch: USR1 lists the running jobs on stderr (as GNU parallel
# does), USR2 turns the progress line on (or off). The jobs sleep 2.<this script's pid> s.
S=2.$$
start_bg -j2 --json "$J" sleep "${S}1{}" ::: 1 2 3
wait_count 2 "^sleep ${S}1" || diag "the jobs did not start"
kill -USR1 "$BG"
wait_bg 30
expect_eq "SIGUSR1 does not stop the batch: all 3 jobs run and are ok, exit 0" \
        "$RC $(status_of)" "0 1:ok 2:ok 3:ok"
check "SIGUSR1 lists the running jobs on stderr: their number, job, attempt, time, command" \
        eval 'has_line "$ERR" "^ringfence batch: 2 jobs running$" &&
              has_line "$ERR" "^ringfence batch: job 1, attempt 1, for [0-9.]+ s: sleep ${S}11$" &&
              has_line "$ERR" "^ringfence batch: job 2, attempt 1, for [0-9.]+ s: sleep ${S}12$"'
start_bg -j1 --json "$J" sleep "${S}2{}" ::: 1 2
wait_count 1 "^sleep ${S}2" || diag "the job did not start"
kill -USR2 "$BG"
wait_bg 30
expect_eq "SIGUSR2 does not stop the batch: both jobs ok, exit 0, not interrupted" \
        "$RC $(status_of) $(grep -c interrupted "$ERR")" "0 1:ok 2:ok 0"
check "SIGUSR2 turns the progress line on (stderr is not a terminal, no --bar)" \
        eval 'grep -a -q "\[K.*done (0 failed), [0-9] running, .*ETA" "$ERR"'

start_bg -j2 --json "$J" sleep "${T}4{}" ::: 1 2
wait_count 2 "^sleep ${T}4" || diag "the jobs did not start"
disown "$BG"
kill -KILL "$BG"
expect_eq "SIGKILL of ringfence: its jobs die with it (nothing left after 5 s)" "$(survivors "${T}4" 5)" 0
