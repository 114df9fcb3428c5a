#!/bin/bash
# SPDX-License-Identifier: MIT
# `ringfence batch` as a user meets it: inputs from ::: groups, stdin, -a FILE, -0 and JSON
# lines; every replacement string; input lines split as a shell would, without a shell; -j;
# every job in its own sandbox; --dry-run; the summary line and --no-summary; --version.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 64

# lines FILE: FILE's lines joined by "|" (to compare whole outputs in one line).
lines() { tr '\n' '|' <"$1" | sed 's/|$//'; }

# --- ::: groups and replacement strings ------------------------------------------------------
rfb -k echo {} ::: a b c
expect_eq "::: a b c with 'echo {}' prints a, b, c" "$(lines "$OUT")" "a|b|c"
expect_rc "a batch whose jobs all succeed exits 0" 0

rfb -k printf '%s|%s|%s|%s|%s|%s\n' {} {#} {.} {/} {//} {/.} ::: /a/b.c d.txt x.tar.gz dir.x/file
col() { cut -d'|' -f"$1" "$OUT" | tr '\n' ' ' | sed 's/ $//'; }
expect_eq "{} is the input" "$(col 1)" "/a/b.c d.txt x.tar.gz dir.x/file"
expect_eq "{#} is the job number" "$(col 2)" "1 2 3 4"
expect_eq "{.} drops the extension (not a dot in a directory)" "$(col 3)" "/a/b d x.tar dir.x/file"
expect_eq "{/} is the basename" "$(col 4)" "b.c d.txt x.tar.gz file"
expect_eq "{//} is the dirname (. without a slash)" "$(col 5)" "/a . . dir.x"
expect_eq "{/.} is the basename without extension" "$(col 6)" "b d x.tar file"

rfb -k printf '%s:%s:%s:[%s][%s]\n' {#} {1} {2} {} ::: a b ::: 1 2
expect_eq "two ::: groups: the cross product, the last group fastest; {1} {2} {#}; {} is one argument per group" \
        "$(lines "$OUT")" "1:a:1:[a][1]|2:a:2:[a][2]|3:b:1:[b][1]|4:b:2:[b][2]"
# GNU parallel 20221122 prints <xa><c dy> and <xb><c dy> for the same command.
rfb -k printf '<%s>' x{}y ::: a b ::: 'c d'
expect_eq "two ::: groups: x{}y is two arguments, as in GNU parallel (x and the first value, the second and y)" \
        "$(cat "$OUT")" "<xa><c dy><xb><c dy>"
rfb -k echo {1/.} {2//} {2.} ::: /x/y.c ::: /p/q.r
expect_eq "positional replacement strings take the operations too ({1/.} {2//} {2.})" \
        "$(cat "$OUT")" "y /p /p/q"
rfb -k echo pre ::: a b
expect_eq "a template without replacement strings gets the input appended" "$(lines "$OUT")" \
        "pre a|pre b"
rfb -k echo {3}x{0} ::: a
expect_eq "{3} past the last group is empty; {0} is no replacement string" "$(cat "$OUT")" "x{0}"

# --- inputs from stdin, -a FILE, -0 -------------------------------------------------------------
printf 'x y\nz\n' >"$WORK/in.txt"
RF_STDIN=$WORK/in.txt
rfb -k echo L:{}
expect_eq "stdin: one input a line (spaces stay inside the value)" "$(lines "$OUT")" "L:x y|L:z"
RF_STDIN=/dev/null
rfb -k -a "$WORK/in.txt" printf '[%s]\n'
expect_eq "-a FILE: one input a line, appended as one argument" "$(lines "$OUT")" "[x y]|[z]"
printf 'a b\0c\nd\0' >"$WORK/in0"
rfb -k -0 -a "$WORK/in0" printf '[%s]\n'
expect_eq "-0: NUL-separated inputs keep newlines and spaces" "$(lines "$OUT")" "[a b]|[c|d]"
printf 'last' >"$WORK/nonl"
rfb -a "$WORK/nonl" echo
expect_eq "a last line without a newline is an input too" "$(cat "$OUT")" "last"
: >"$WORK/empty"
rfb -a "$WORK/empty" echo never
expect_eq "empty input: no job, exit 0, nothing printed" "$RC:$(cat "$OUT")" "0:"

# --- without a template, each line is a command line, split as a shell would, and no shell runs --
cat >"$WORK/cmds" <<'EOF'
printf '[%s]\n' "a  b" 'c  d' e\ f "q\"q" ''
EOF
rfb -a "$WORK/cmds"
expect_eq "quotes and backslashes split as a shell would" "$(lines "$OUT")" \
        '[a  b]|[c  d]|[e f]|[q"q]|[]'
echo 'echo a; echo b' >"$WORK/cmds"
rfb -a "$WORK/cmds"
expect_eq "no shell runs: 'echo a; echo b' prints 'a; echo b'" "$(lines "$OUT")" "a; echo b"
echo 'echo $HOME * ~ $(id -u) `id` | tr a b > /tmp/x' >"$WORK/cmds"
rfb -a "$WORK/cmds"
expect_eq "no expansions, no pipes, no redirections" "$(cat "$OUT")" \
        '$HOME * ~ $(id -u) `id` | tr a b > /tmp/x'
expect_eq "... so the line above is one echo (exit 0)" "$RC" 0
echo "sh -c 'echo x; echo y'" >"$WORK/cmds"
rfb -a "$WORK/cmds"
expect_eq "a shell runs only when asked (sh -c '...')" "$(lines "$OUT")" "x|y"
printf 'cat\necho after\n' >"$WORK/cmds"
RF_STDIN=$WORK/cmds
rfb -j1
RF_STDIN=/dev/null
expect_eq "the jobs' stdin is not the input stream (cat reads nothing)" "$(lines "$OUT")" "after"

# --- JSON lines ------------------------------------------------------------------------------------
mkdir -p "$WORK/jl" && chmod 755 "$WORK/jl"
cat >"$WORK/jobs.jsonl" <<'EOF'
{"argv": ["printf", "[%s]\n", "two words", "$HOME"]}
{"cmd": "printf '[%s]\\n' \"x  y\" z"}
{"argv": ["sh", "-c", "echo \"$GREETING\""], "env": {"GREETING": "hej"}}
{"argv": ["pwd"], "cwd": "/usr/bin"}
{"argv": ["tr", "a-z", "A-Z"], "stdin": "from json\n"}
EOF
RF_STDIN=$WORK/jobs.jsonl
rfb -k --jsonl --json "$WORK/jl.json"
RF_STDIN=/dev/null
expect_eq "--jsonl argv: words as given, nothing expanded" "$(sed -n 1,2p "$OUT" | tr '\n' '|')" \
        '[two words]|[$HOME]|'
expect_eq "--jsonl cmd: split as a shell would" "$(sed -n 3,4p "$OUT" | tr '\n' '|')" '[x  y]|[z]|'
expect_eq "--jsonl env: the job sees the variable" "$(sed -n 5p "$OUT")" "hej"
expect_eq "--jsonl cwd: the job starts there" "$(sed -n 6p "$OUT")" "/usr/bin"
expect_eq "--jsonl stdin: the job reads it" "$(sed -n 7p "$OUT")" "FROM JSON"
expect_eq "--jsonl: all five ran, exit 0" \
        "$RC $(jsonl_eval "$WORK/jl.json" '" ".join(r["status"] for r in rs)')" "0 ok ok ok ok ok"

cat >"$WORK/jobs.jsonl" <<'EOF'
{"argv": ["echo", "one"]}
{"argv": ["echo", "two"
{"argv": ["echo", "three"]}
{"argv": ["echo"], "evn": {"A": "b"}}
{"argv": ["sleep", "30"], "set": {"limit.timeout": "500ms"}}
EOF
RF_STDIN=$WORK/jobs.jsonl
rfb -k -j1 --jsonl --json "$WORK/jl.json"
RF_STDIN=/dev/null
expect_eq "--jsonl: a malformed line does not stop the others" "$(lines "$OUT")" "one|three"
expect_eq "--jsonl: the malformed line is job 2, skipped, with a reason naming input line 2" \
        "$(jsonl_eval "$WORK/jl.json" '[(r["status"], r["error"].startswith("input line 2:")) for r in rs if r["job"] == 2]')" \
        "[('skipped', True)]"
expect_eq "--jsonl: an unknown key is skipped, naming the key" \
        "$(jsonl_eval "$WORK/jl.json" '[(r["status"], "evn" in r["error"]) for r in rs if r["job"] == 4]')" \
        "[('skipped', True)]"
expect_eq "--jsonl set: a per-job policy setting (limit.timeout) applies to that job" \
        "$(jsonl_eval "$WORK/jl.json" '[(r["status"], r["exit_status"]) for r in rs if r["job"] == 5]')" \
        "[('timeout', 124)]"
expect_eq "--jsonl: exit status counts the skipped and timed-out jobs (3)" "$RC" 3
check "--jsonl: stderr names the malformed line (input line 2)" has_line "$ERR" "input line 2"

# Issue 4: a malformed line in an input file that can be read ahead stops the batch before
# anything starts, with a clear error naming the line.
printf "echo ok\necho 'bad\necho fine\n" >"$WORK/badlines"
rfb -j1 --json "$WORK/bad.json" -a "$WORK/badlines"
check "-a FILE with a malformed line 2: nothing runs, exit 125, one line on stderr naming the file and input line 2" \
        eval '[ "$RC" = 125 ] && [ ! -s "$OUT" ] && [ "$(wc -l <"$ERR")" = 1 ] &&
              has_line "$ERR" "^ringfence batch: -a $WORK/badlines: input line 2: unterminated .* quote, expected"'
check "... and no record is written" eval '[ ! -s "$WORK/bad.json" ]'
rfb -j1 -k --bad-input skip --json "$WORK/bad.json" -a "$WORK/badlines"
expect_eq "--bad-input skip: the other lines run, line 2 is skipped with a record; exit 1" \
        "$(lines "$OUT") $RC $(jsonl_eval "$WORK/bad.json" '[(r["job"], r["status"]) for r in rs if r["status"] != "ok"]')" \
        "ok|fine 1 [(2, 'skipped')]"
RF_STDIN=$WORK/badlines
rfb -j1 -k --json "$WORK/bad.json"
RF_STDIN=/dev/null
expect_eq "the same lines on stdin (a stream, not read ahead): line 2 is skipped with a record, the others run" \
        "$(lines "$OUT") $RC $(jsonl_eval "$WORK/bad.json" '[(r["job"], r["status"]) for r in rs if r["status"] != "ok"]')" \
        "ok|fine 1 [(2, 'skipped')]"
printf '%s\n' '{"argv": ["echo", "a"]}' '' '{"argv": ["true"], "set": {"limit.nosuch": "1"}}' >"$WORK/bad.jsonl"
rfb --jsonl -a "$WORK/bad.jsonl"
check "--jsonl -a FILE with a bad setting on line 3: nothing runs, exit 125, naming input line 3" \
        eval '[ "$RC" = 125 ] && [ ! -s "$OUT" ] && has_line "$ERR" "^ringfence batch: -a $WORK/bad.jsonl: input line 3: .*limit.nosuch"'
printf '%s\n' '{"argv": ["echo", "a"]}' '{"argv": ["echo", "b"' >"$WORK/bad.jsonl"
rfb --jsonl -a "$WORK/bad.jsonl"
check "--jsonl -a FILE with invalid JSON on line 2: nothing runs, exit 125, naming input line 2" \
        eval '[ "$RC" = 125 ] && [ ! -s "$OUT" ] && has_line "$ERR" "^ringfence batch: -a $WORK/bad.jsonl: input line 2: invalid JSON"'

# --- -j ---------------------------------------------------------------------------------------------
mkdir -p "$WORK/serial" && chmod 777 "$WORK/serial"
: >"$WORK/serial/log" && chmod 666 "$WORK/serial/log"
rfb -j1 --rw "$WORK/serial" sh -c "echo s{} >>$WORK/serial/log; sleep 0.3; echo e{} >>$WORK/serial/log" ::: 1 2 3
expect_eq "-j1: one job at a time (each ends before the next starts)" "$(lines "$WORK/serial/log")" \
        "s1|e1|s2|e2|s3|e3"
: >"$WORK/serial/log"
rfb -j3 --rw "$WORK/serial" sh -c "echo s{} >>$WORK/serial/log; sleep 1; echo e{} >>$WORK/serial/log" ::: 1 2 3
expect_eq "-j3: the three jobs run at once (all start before any ends)" \
        "$(head -n3 "$WORK/serial/log" | cut -c1 | tr -d '\n')" "sss"
rfb -j4 sleep {} ::: 1 1 1 1
check "-j4: four sleeps of 1 s take well under 4 s (< 3.5 s)" eval '[ "$RC" = 0 ] && [ "$WALL_MS" -lt 3500 ]'
diag "-j4 four sleeps of 1 s: ${WALL_MS} ms"
rfb -j0 -k echo ::: a b c
expect_eq "-j0 (as many as the limits allow) runs the jobs" "$RC:$(lines "$OUT")" "0:a|b|c"

# --- every job in its own sandbox -------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then want_uid=65534; else want_uid=$(id -u); fi
rfb -k sh -c 'hostname; id -u' ::: 1 2
expect_eq "each job: hostname ringfence, uid $want_uid" "$(lines "$OUT")" \
        "ringfence|$want_uid|ringfence|$want_uid"
rfb -k sh -c 'touch /etc/rf-batch-{} 2>&1 || echo refused' ::: 1
check "each job: /etc is read-only" eval 'has_line "$OUT" "Read-only file system" && [ ! -e /etc/rf-batch-1 ]'
rfb -k bash -c 'echo > /dev/tcp/10.1.2.3/{}' ::: 80
check "each job: no network (connect: Network is unreachable)" \
        eval '[ "$RC" = 1 ] && has_line "$ERR" "Network is unreachable"'
if server_start "$WORK/conns"; then
        rfb -k bash -c "echo > /dev/tcp/127.0.0.1/{}" ::: "$SRV_PORT"
        sleep 0.3
        expect_eq "each job: the host's 127.0.0.1 server is not reached" "$RC:$(cat "$WORK/conns")" "1:0"
        server_stop
else
        not_ok "each job: the host's 127.0.0.1 server is not reached" "could not start the server"
fi
# Only the marker files count: /tmp may hold the mount points of the working directory (a build
# tree under /tmp, say), which the policy binds in.
mark=rf-batch-mark-$$
rm -f "/tmp/$mark"-[12]
rfb -j1 -k sh -c "ls -a /tmp | grep -x '$mark-.*'; echo mark > /tmp/$mark-{}" ::: 1 2
expect_eq "each job: a private /tmp (job 2 does not see job 1's file)" \
        "$RC:$(lines "$OUT"):$(ls -a /tmp | grep -c -x "$mark-.*")" "0::0"
rfb -k sh -c 'echo $$' ::: 1 2
check "each job: its own pid namespace (a small pid)" \
        eval '[ "$(sed -n 1p "$OUT")" -le 3 ] && [ "$(sed -n 2p "$OUT")" -le 3 ]'
rfb -k sh -c 'ls -d /proc/[0-9]* | wc -l' ::: 1
check "each job: /proc shows only the job's processes" eval '[ "$(cat "$OUT")" -le 4 ]'
rfb --setenv RFX=batch -k sh -c 'echo $RFX' ::: 1
expect_eq "the run flags (--setenv) apply to each job" "$(cat "$OUT")" "batch"

# --- --dry-run -----------------------------------------------------------------------------------------
mkdir -p "$WORK/dry" && chmod 777 "$WORK/dry"
rfb --dry-run --json "$WORK/dry.json" --rw "$WORK/dry" touch "$WORK/dry/{}" ::: a b
expect_eq "--dry-run prints the commands in input order" "$(lines "$OUT")" \
        "touch $WORK/dry/a|touch $WORK/dry/b"
expect_eq "--dry-run runs nothing (no file made), exits 0, says nothing on stderr" \
        "$(ls "$WORK/dry" | wc -l):$RC:$(cat "$ERR")" "0:0:"
check "--dry-run writes no records" eval '[ ! -s "$WORK/dry.json" ]'

# --- the summary line ------------------------------------------------------------------------------------
rfb -j2 sh -c 'exit {}' ::: 0 1 0
check "one summary line on stderr: jobs, ok, failed, ..., seconds, jobs/s" eval \
        '[ "$(wc -l <"$ERR")" = 1 ] && has_line "$ERR" "^ringfence batch: 3 jobs: 2 ok, 1 failed, 0 timed out, 0 violations, 0 skipped; [0-9]+\.[0-9]+ s, [0-9]+ jobs/s$"'
expect_rc "one failed job: exit 1" 1
rfb -j2 --no-summary --json "$JSON" sh -c 'echo {}; exit {}' ::: 0 1 0
expect_eq "--no-summary: nothing on stderr, the output and exit status as without it" \
        "$RC:$(sort "$OUT" | tr '\n' ' '):$(cat "$ERR")" "1:0 0 1 :"
expect_eq "--no-summary: every job still has its record" "$(wc -l <"$JSON")" 3
printf '1\n2\n3\n4\n' >"$WORK/four"
rfb --no-summary --shard 1/2 -a "$WORK/four" true
expect_eq "--no-summary with --shard: no shard line either" "$RC:$(cat "$ERR")" "0:"
for v in --version -V; do
        rfb "$v" echo ran ::: a
        expect_eq "$v prints the version as ringfence --version does, exit 0, runs nothing" \
                "$RC:$(cat "$OUT"):$(cat "$ERR")" "0:$("$RINGFENCE" --version):"
done
