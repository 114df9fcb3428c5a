#!/bin/bash
# SPDX-License-Identifier: MIT
# `ringfence run` as a user meets it: exit statuses, stdio, error sentences for bad flags and
# missing commands, the result record, the default identity and the few per-run settings.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 58

# --- exit statuses pass through -------------------------------------------------------------
rf --json "$JSON" -- sh -c 'exit 42'
expect_rc "sh -c 'exit 42' exits 42" 42
expect_eq "record of exit 42: status failed" "$(json_field "$JSON" status)" failed
expect_eq "record of exit 42: exit_code 42" "$(json_field "$JSON" exit_code)" 42
expect_eq "record of exit 42: argv is the command" "$(json_field "$JSON" argv)" '["sh", "-c", "exit 42"]'

rf --json "$JSON" -- sh -c 'echo hello; echo oops >&2'
expect_rc "a command that succeeds exits 0" 0
expect_eq "its stdout is passed through" "$(cat "$OUT")" hello
expect_eq "its stderr is passed through, apart" "$(cat "$ERR")" oops
expect_eq "record: status ok, exit_status 0" \
        "$(json_field "$JSON" status) $(json_field "$JSON" exit_status)" "ok 0"
expect_eq "record: job 1, attempt 1, no signal, no limit, no error" \
        "$(json_field "$JSON" job) $(json_field "$JSON" attempt) $(json_field "$JSON" signal) $(json_field "$JSON" limit) $(json_field "$JSON" error)" \
        "1 1 null null null"
expect_eq "record counts 6 stdout and 5 stderr bytes, not truncated" \
        "$(json_field "$JSON" stdout_bytes) $(json_field "$JSON" stderr_bytes) $(json_field "$JSON" output_truncated)" \
        "6 5 false"
check "record has a start time in UTC and wall_us > 0" "$PY" -c '
import json, re, sys
r = json.loads(open(sys.argv[1]).readline())
assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", r["start"]), r["start"]
assert isinstance(r["wall_us"], int) and r["wall_us"] > 0
assert all(isinstance(r[k], int) and r[k] >= 0 for k in ("user_us", "sys_us", "peak_memory"))
assert r["violations"] == [] and r["enforced_by"] == {}' "$JSON"

rf --json "$JSON" -- sh -c 'kill -TERM $$'
expect_rc "a command killed by SIGTERM exits 143" 143
expect_eq "record: signaled, signal 15 TERM, exit_code null" \
        "$(json_field "$JSON" status) $(json_field "$JSON" signal) $(json_field "$JSON" signal_name) $(json_field "$JSON" exit_code)" \
        "signaled 15 TERM null"

RF_STDIN=$WORK/in
echo hi >"$RF_STDIN"
rf -- cat
RF_STDIN=/dev/null
expect_eq "stdin is passed through (echo hi | ringfence run -- cat)" "$(cat "$OUT") $RC" "hi 0"
LAST="echo piped | ringfence run -- tr a-z A-Z"
got=$(echo piped | "$RINGFENCE" run -- tr a-z A-Z 2>"$ERR")
expect_eq "stdin from a pipe reaches the command" "$got" PIPED

rf echo no-dashes
expect_eq "the command may follow the options without --" "$(cat "$OUT") $RC" "no-dashes 0"

# --- the command cannot run ---------------------------------------------------------------
rf --json "$JSON" -- nosuch
expect_rc "a missing command exits 127" 127
expect_eq "a missing command says so in one line" "$(cat "$ERR")" \
        'ringfence run: exec "nosuch": No such file or directory'
expect_eq "record of a missing command: spawn-error, exit_status 127, the error sentence" \
        "$(json_field "$JSON" status) $(json_field "$JSON" exit_status) $(json_field "$JSON" error)" \
        'spawn-error 127 exec "nosuch": No such file or directory'
rf -- /usr
expect_rc "a directory as the command exits 126" 126
check "a directory as the command: one line naming it" \
        eval '[ "$(wc -l <"$ERR")" = 1 ] && has_line "$ERR" "^ringfence run: exec \"/usr\": "'
echo 'echo ran' >"$WORK/noexec"
chmod 644 "$WORK/noexec"
rf --ro "$WORK/noexec" -- "$WORK/noexec"
check "a file without execute permission exits 126, saying Permission denied" \
        eval '[ "$RC" = 126 ] && [ ! -s "$OUT" ] && has_line "$ERR" "^ringfence run: exec \".*/noexec\": Permission denied$"'

# --- bad flags and values: 125 and one line naming the flag and what was expected --------------
bad_flag() {
        local desc=$1 flag=$2
        shift 2
        rf "$@"
        if [ "$RC" = 125 ] && [ "$(wc -l <"$ERR")" = 1 ] && [ ! -s "$OUT" ] &&
                has_line "$ERR" "^ringfence run: .*$flag" && has_line "$ERR" "expected"; then
                ok "$desc"
        else
                not_ok "$desc" "expected exit 125 and one line 'ringfence run: ...$flag...expected...'" "$(last_run)"
        fi
}
bad_flag "an unknown flag gives 125 and one line" "--bogus" --bogus -- true
bad_flag "a flag without its value gives 125" "--timeout" --timeout
bad_flag "a bad size (--memory lots) gives 125" "--memory" --memory lots -- true
bad_flag "a bad size unit (--output 5X) gives 125" "--output" --output 5X -- true
bad_flag "a bad duration (--timeout 5x) gives 125" "--timeout" --timeout 5x -- true
bad_flag "a negative duration (--cpu-time -1s) gives 125" "--cpu-time" --cpu-time -1s -- true
bad_flag "a bad count (--pids many) gives 125" "--pids" --pids many -- true
bad_flag "a bad network mode (--net wifi) gives 125" "--net" --net wifi -- true
bad_flag "an unknown --set key gives 125" "nosuch" --set nosuch.key=1 -- true
# issue 14's rough edges: values that meant something else than they say
bad_flag "a timeout below 1ms (--timeout 0.0001) gives 125, not no limit" "--timeout" \
        --timeout 0.0001 -- true
check "  ... saying the smallest accepted" has_line "$ERR" "below the resolution of 1ms, expected at least 1ms$"
bad_flag "a timeout below 1ms (--timeout 0.4ms) gives 125" "--timeout" --timeout 0.4ms -- true
bad_flag "a cpu time below 1ms (--cpu-time 0.4ms) gives 125" "--cpu-time" --cpu-time 0.4ms -- true
bad_flag "a memory limit too small to start a process (--memory 1) gives 125" "--memory" \
        --memory 1 -- true
check "  ... saying so and the minimum" has_line "$ERR" "too small to start a process, expected at least 4M"
rf --memory 4M -- true
expect_rc "the smallest memory limit (--memory 4M) runs true" 0
bad_flag "--pids 0 gives 125 (1 to 4194304)" "--pids" --pids 0 -- true
bad_flag "an empty variable name (--env '') gives 125" "--env" --env '' -- true
rf --memory 1g --output 64m --file-size 4k --tmp-size 8m -- true
expect_rc "lowercase size units (1g, 64m, 4k, 8m) are accepted" 0
mkdir -p "$WORK/reldir" && chmod 777 "$WORK/reldir" && cd "$WORK/reldir" || bail "no $WORK/reldir"
rf --rw . --ro .. -- sh -c "echo in >$WORK/reldir/f"
cd - >/dev/null || bail "cannot cd back"
check "--rw . makes the working directory writable" eval '[ "$RC" = 0 ] && [ "$(cat "$WORK/reldir/f")" = in ]'
rf --timeout 1s
check "no command at all gives 125 and one line" \
        eval '[ "$RC" = 125 ] && [ "$(wc -l <"$ERR")" = 1 ] && has_line "$ERR" "^ringfence run: "'
rf --json /nonexistent-dir/rec.json -- echo ran
check "an unwritable --json file: 125 and one line naming flag and path, before the command runs" \
        eval '[ "$RC" = 125 ] && [ ! -s "$OUT" ] && [ "$(cat "$ERR")" = "ringfence run: --json /nonexistent-dir/rec.json: No such file or directory" ]'
echo stale >"$WORK/old.json"
"$RINGFENCE" run --json "$WORK/old.json" --bogus -- true >/dev/null 2>&1
expect_eq "a bad flag leaves the --json file alone (nothing opened before the flags parse)" \
        "$(cat "$WORK/old.json")" stale
rf --json /dev/full -- sh -c 'exit 3'
check "a --json file that cannot take the record (/dev/full): 125, saying so" \
        eval '[ "$RC" = 125 ] && has_line "$ERR" "^ringfence run: --json /dev/full: No space left on device$"'
rf --help
check "--help exits 0 and shows the usage" eval '[ "$RC" = 0 ] && has_line "$OUT" "^Usage: ringfence run"'
for v in --version -V; do
        rf "$v" -- echo ran
        expect_eq "$v prints the version as ringfence --version does, exit 0, runs nothing" \
                "$RC:$(cat "$OUT"):$(cat "$ERR")" "0:$("$RINGFENCE" --version):"
done

# --- identity and per-run settings -------------------------------------------------------------
rf -- sh -c 'id -u; id -g'
if [ "$(id -u)" = 0 ]; then want="65534 65534"; else want="$(id -u) $(id -g)"; fi
expect_eq "the command runs as $want (uid gid) inside" "$(tr '\n' ' ' <"$OUT" | sed 's/ $//')" "$want"
rf --as-root -- id -u
expect_eq "--as-root: uid 0 inside" "$(cat "$OUT") $RC" "0 0"
rf -- sh -c 'grep -E "^(CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status | tr -s "\t " " "'
expect_eq "no capabilities, NoNewPrivs 1, Seccomp 2" "$(tr '\n' ',' <"$OUT")" \
        "CapPrm: 0000000000000000,CapEff: 0000000000000000,CapBnd: 0000000000000000,NoNewPrivs: 1,Seccomp: 2,"
rf --as-root -- sh -c 'grep -E "^(CapEff|CapBnd):" /proc/self/status | tr -s "\t " " "'
expect_eq "--as-root still has no capabilities" "$(tr '\n' ',' <"$OUT")" \
        "CapEff: 0000000000000000,CapBnd: 0000000000000000,"
rf --hostname rf-box -- hostname
expect_eq "--hostname sets the host name inside" "$(cat "$OUT")" rf-box
rf --cwd /usr/bin -- pwd
expect_eq "--cwd sets the working directory" "$(cat "$OUT")" /usr/bin
rf --setenv GREETING=hej -- sh -c 'echo "$GREETING"'
expect_eq "--setenv sets a variable inside" "$(cat "$OUT")" hej
rf -- sh -c 'echo $$; ls -d /proc/[0-9]* | wc -l'
check "the command sees its own pid namespace (small pid, few processes in /proc)" \
        eval '[ "$(sed -n 1p "$OUT")" -le 3 ] && [ "$(sed -n 2p "$OUT")" -le 5 ]'

# --- signals sent to ringfence reach the job ------------------------------------------------------
LAST="ringfence run -- sleep 30 (then SIGTERM to ringfence)"
t0=$(date +%s)
"$RINGFENCE" run -- sleep 30 </dev/null >"$OUT" 2>"$ERR" &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
RC=$?
t1=$(date +%s)
check "SIGTERM to ringfence ends the job: exit 143 within 10 s" eval '[ "$RC" = 143 ] && [ $((t1 - t0)) -lt 10 ]'
