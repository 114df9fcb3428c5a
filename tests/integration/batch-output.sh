#!/bin/bash
# SPDX-License-Identifier: MIT
# `ringfence batch` output: grouped per job (never interleaved, also past the in-memory buffer),
# --keep-order, --line-buffer with --tag, --results DIR, and the --output cap per job.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 31

lines() { tr '\n' '|' <"$1" | sed 's/|$//'; }

# grouped FILE N TAGS...: "ok" when FILE holds, for each TAG, the lines TAG-1 .. TAG-N, each
# tag's lines contiguous and in order (tags in any order), and nothing else.
grouped() {
        "$PY" - "$@" <<'PYEOF'
import sys
path, n, tags = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
lines = open(path, "rb").read().decode("utf-8", "replace").split("\n")
if lines and lines[-1] == "":
    lines.pop()
blocks, cur = [], None
for l in lines:
    tag = l.split("-", 1)[0]
    if tag != cur:
        blocks.append((tag, []))
        cur = tag
    blocks[-1][1].append(l)
got_tags = [t for t, _ in blocks]
if sorted(got_tags) != sorted(tags):
    print("blocks by tag: %s (expected one block per tag %s; %d lines)"
          % (got_tags[:30], tags, len(lines))); sys.exit(1)
for t, ls in blocks:
    if ls != ["%s-%d" % (t, i) for i in range(1, n + 1)]:
        print("job %s: %d lines, first %r, last %r" % (t, len(ls), ls[:2], ls[-2:])); sys.exit(1)
print("ok")
PYEOF
}

# --- grouping --------------------------------------------------------------------------------------
# Both jobs write a line at a time, pausing every 20 lines, so their writes interleave in time.
loop='for i in $(seq 300); do echo {}-$i; [ $((i % 20)) = 0 ] && sleep 0.02; done; true'
rfb -j2 sh -c "$loop" ::: A B
expect_eq "grouped: two jobs writing 300 lines each at the same time never interleave" \
        "$(grouped "$OUT" 300 A B)" ok
rfb -j2 sh -c "{ $loop; } >&2" ::: A B
sed '$d' "$ERR" >"$WORK/err-jobs"
expect_eq "grouped: the same on stderr (then the summary line)" "$(grouped "$WORK/err-jobs" 300 A B)" ok
rfb -j8 sh -c "$loop" ::: A B C D E F G H
expect_eq "grouped under load: 8 jobs at once, each one's 300 lines in one block" \
        "$(grouped "$OUT" 300 A B C D E F G H)" ok
rfb -j2 --json "$WORK/big.json" sh -c 'seq 200000 | sed s/^/{}-/' ::: A B
expect_eq "grouped: 1.7 MB a job (past the in-memory buffer) stays whole and in one block" \
        "$(grouped "$OUT" 200000 A B)" ok
want=$(seq 200000 | sed s/^/A-/ | wc -c)
expect_eq "... and each record counts the job's stdout bytes ($want)" \
        "$(jsonl_eval "$WORK/big.json" '" ".join(str(r["stdout_bytes"]) for r in rs)')" "$want $want"
# Finished jobs' output is written on a worker (src/batch/lane.c) while the engine keeps reaping: a
# stdout nobody reads for 2 s blocks those writes, and everything still arrives whole and once.
timeout -k 5 60 "$RINGFENCE" batch -j4 --json "$WORK/late.json" sh -c 'seq 20000 | sed s/^/{}-/' \
        ::: A B C D E F G H I J K L 2>"$WORK/late.err" | { sleep 2; cat; } >"$WORK/late.out"
expect_eq "a reader that starts 2 s late: 12 jobs of 150 KB arrive whole, a block a job, a record a job" \
        "$(grouped "$WORK/late.out" 20000 A B C D E F G H I J K L) $(wc -l <"$WORK/late.json")" "ok 12"
rfb -j2 sh -c 'echo {}-out; echo {}-err >&2; echo {}-out2' ::: A
expect_eq "grouped: a job's stdout and stderr go to ours, apart" \
        "$(lines "$OUT") / $(sed '$d' "$ERR")" "A-out|A-out2 / A-err"

# --- --keep-order --------------------------------------------------------------------------------------
rfb -j3 sh -c 'sleep {}; echo {}' ::: 1.2 0.6 0
expect_eq "without -k, output comes as jobs finish" "$(lines "$OUT")" "0|0.6|1.2"
rfb -j3 -k sh -c 'sleep {}; echo {}' ::: 1.2 0.6 0
expect_eq "--keep-order: jobs with decreasing sleeps print in input order" "$(lines "$OUT")" "1.2|0.6|0"
rfb -j5 --keep-order sh -c 'sleep 0.$(( ({#} * 7) % 5 )); echo {}' ::: $(seq 20)
expect_eq "--keep-order: 20 jobs of mixed lengths at -j5, in input order" "$(lines "$OUT")" \
        "$(seq 20 | tr '\n' '|' | sed 's/|$//')"
rfb -j2 -k sh -c 'sleep {}; echo {}-out; echo {}-err >&2' ::: 0.5 0
expect_eq "--keep-order: stderr in input order too" "$(sed '$d' "$ERR" | tr '\n' '|')" "0.5-err|0-err|"

# --- --line-buffer and --tag ------------------------------------------------------------------------------
rfb -j2 --line-buffer --tag sh -c 'sleep $1; echo $1a; sleep 2; echo $1b' sh ::: 0 1
expect_eq "--line-buffer --tag: lines pass as they come, each prefixed with the input and a tab" \
        "$(lines "$OUT")" "$(printf '0\t0a|1\t1a|0\t0b|1\t1b')"
rfb -j2 sh -c 'sleep $1; echo $1a; sleep 2; echo $1b' sh ::: 0 1
expect_eq "(grouped, the same jobs print job by job)" "$(lines "$OUT")" "0a|0b|1a|1b"
rfb -j2 --line-buffer --tag sh -c \
        'if [ $1 = A ]; then printf aaa; sleep 1.5; echo aaa; else sleep 0.5; echo bbbbbb; fi' sh ::: A B
expect_eq "--line-buffer: a line written in two pieces is never split by another job's line" \
        "$(sort "$OUT" | tr '\n' '|')" "$(printf 'A\taaaaaa|B\tbbbbbb|')"
rfb -j1 --line-buffer --tag sh -c 'echo o; echo e >&2' sh ::: "x y"
expect_eq "--line-buffer --tag: stderr lines are tagged too" "$(lines "$OUT") / $(sed '$d' "$ERR")" \
        "$(printf 'x y\to / x y\te')"
rfb -k --tag echo hi ::: a b
expect_eq "--tag with grouped output (no --line-buffer) prefixes lines too" "$(lines "$OUT")" \
        "$(printf 'a\thi a|b\thi b')"

# --- --bar ------------------------------------------------------------------------------------------------
# prog FILE: the progress lines of FILE (each redraw starts with "\r\033[K"), one a line.
prog() { tr '\r' '\n' <"$1" | sed -n 's/^\x1b\[Kringfence batch: //p'; }
rfb -j2 --bar sleep {} ::: 0.3 0.3 0.3 0.3
check "--bar with ::: (4 jobs known): progress on stderr even when it is not a terminal: bar, share, done of total, rate, ETA" \
        eval 'prog "$ERR" | tail -n1 | grep -q "^\[#\{20\}\] 100% 4/4 done (0 failed), 0 running, [0-9.]* jobs/s, ETA 0s$"'
check "--bar: while jobs run, an ETA in seconds once one has ended" \
        eval 'prog "$ERR" | grep -q "^\[#*\.*\] [0-9]*% [1-3]/4 done .*, ETA [0-9]*s$"'
seq 6 >"$WORK/six"
rfb -j2 --bar -a "$WORK/six" sh -c 'sleep 0.2; exit $(({} % 3 == 0))'
check "--bar with -a FILE (read ahead: 6 jobs): done of total, failed, ETA" \
        eval 'prog "$ERR" | tail -n1 | grep -q "^\[#\{20\}\] 100% 6/6 done (2 failed), 0 running, [0-9.]* jobs/s, ETA 0s$"'
RF_STDIN=$WORK/six
rfb -j2 --bar sh -c 'sleep 0.2; exit $(({} % 3 == 0))'
RF_STDIN=/dev/null
check "--bar with stdin (a stream: the number of jobs is unknown): done count and rate, no bar, no ETA" \
        eval 'prog "$ERR" | tail -n1 | grep -q "^6 done (2 failed), 0 running, [0-9.]* jobs/s$" && ! grep -a -q "ETA" "$ERR"'
rfb -j2 sleep {} ::: 0.3 0.3
check "without --bar, stderr not a terminal: no progress line" eval '! grep -a -q "running," "$ERR"'
# On a terminal (a pty): progress by default, erased and redrawn in place, ended with a newline.
"$PY" - "$RINGFENCE" >"$WORK/pty.out" 2>&1 <<'PYEOF'
import os, pty, sys, select
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "batch", "-j2", "sleep", "{}", ":::", "0.3", "0.3", "0.3"])
out = b""
while True:
    r, _, _ = select.select([fd], [], [], 30)
    if not r:
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
PYEOF
check "on a terminal (pty) without --bar: the progress line with bar and ETA, then the summary" \
        eval 'tr "\r" "\n" <"$WORK/pty.out" | grep -q "^.\[Kringfence batch: \[#\{20\}\] 100% 3/3 done (0 failed), 0 running, [0-9.]* jobs/s, ETA 0s$" &&
              grep -a -q "^ringfence batch: 3 jobs: 3 ok" "$WORK/pty.out"'

# --- --results DIR ------------------------------------------------------------------------------------------
rfb -j2 --results "$WORK/res" sh -c 'echo out{}; echo err{} >&2; exit {}' ::: 0 3
expect_eq "--results: DIR/<seq>/ holds stdout, stderr and record.json" \
        "$(cd "$WORK/res" && find . -type f | sort | tr '\n' ' ')" \
        "./1/record.json ./1/stderr ./1/stdout ./2/record.json ./2/stderr ./2/stdout "
expect_eq "--results: each job's own stdout and stderr" \
        "$(cat "$WORK/res/1/stdout") $(cat "$WORK/res/1/stderr") $(cat "$WORK/res/2/stdout") $(cat "$WORK/res/2/stderr")" \
        "out0 err0 out3 err3"
expect_eq "--results: record.json is the job's record (job, status, exit_code)" \
        "$(jsonl_eval "$WORK/res/1/record.json" '"%d %s %d" % (rs[0]["job"], rs[0]["status"], rs[0]["exit_code"])') $(jsonl_eval "$WORK/res/2/record.json" '"%d %s %d" % (rs[0]["job"], rs[0]["status"], rs[0]["exit_code"])')" \
        "1 ok 0 2 failed 3"
expect_rc "--results: one failed job, exit 1" 1
rfb -j2 --results "$WORK/res-big" sh -c 'seq 200000 | sed s/^/{}-/' ::: A
expect_eq "--results: 1.7 MB of stdout (past the in-memory buffer) lands whole in the job's file" \
        "$(seq 200000 | sed s/^/A-/ | cmp -s - "$WORK/res-big/1/stdout" && echo same)" same

# --- --output: a cap per job ----------------------------------------------------------------------------------
printf 'yes capped\necho small\n' >"$WORK/cmds"
rfb -j2 -k --output 700 --json "$WORK/cap.json" -a "$WORK/cmds"
n=$(grep -c '^capped$' "$OUT")
check "--output 700: a job running 'yes' is stopped, at most 700 bytes of it printed" \
        eval '[ "$WALL_MS" -lt 10000 ] && [ "$n" -le 100 ] && [ "$n" -ge 50 ]'
expect_eq "--output: its record says limit output, output_truncated true, status failed" \
        "$(jsonl_eval "$WORK/cap.json" '[(r["limit"], r["output_truncated"], r["status"], r["stdout_bytes"] <= 700) for r in rs if r["job"] == 1]')" \
        "[('output', True, 'failed', True)]"
expect_eq "--output: the cap is per job (the other job prints all and is ok)" \
        "$(grep -c '^small$' "$OUT") $(jsonl_eval "$WORK/cap.json" '[(r["status"], r["output_truncated"]) for r in rs if r["job"] == 2]')" \
        "1 [('ok', False)]"
rfb -j1 --output 500 --json "$WORK/cap.json" sh -c 'yes {} >&2' ::: e
expect_eq "--output counts stderr too: stopped at 500 bytes" \
        "$(jsonl_eval "$WORK/cap.json" '[(r["limit"], r["output_truncated"], r["stderr_bytes"] <= 500) for r in rs]') $(grep -c '^e$' "$ERR")" \
        "[('output', True, True)] 250"
