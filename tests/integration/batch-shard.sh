#!/bin/bash
# SPDX-License-Identifier: MIT
# `ringfence batch --shard I/N|auto` and `ringfence results merge`: N shards of one input run
# every job exactly once whatever the order of the input (duplicate lines included), --shard auto
# reads Slurm and Kubernetes indices, and the merge joins the shards and names what is missing
# or repeated.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 24

N=4
IN=$WORK/input.txt
# 200 jobs: 197 distinct lines and one line three times (its copies are three jobs).
{ seq 1 197 | sed 's/^/item-/'; printf 'same\nsame\nsame\n'; } >"$IN"
# The same lines in another order (a fixed shuffle), as another machine might list them.
"$PY" -c 'import random,sys; l=open(sys.argv[1]).read().splitlines(); random.Random(7).shuffle(l); print("\n".join(l))' "$IN" >"$WORK/shuffled.txt"

merge() { # merge OUT FILES...: ringfence results merge into OUT; RC, stderr in $ERR
        local o=$1
        shift
        "$RINGFENCE" results merge -o "$o" "$@" 2>"$ERR"
        RC=$?
        LAST="ringfence results merge -o $o $*"
}

# --- N shards of one input, then merged --------------------------------------------------------
for i in 0 1 2 3; do
        src=$IN
        [ $i = 2 ] && src=$WORK/shuffled.txt # one machine reads the lines in another order
        rfb_net -j4 --shard $i/$N --json "$WORK/s$i.jsonl" -a "$src" -- echo {}
        cp "$OUT" "$WORK/out$i"
        [ "$RC" = 0 ] || break
done
expect_eq "4 shards of a 200-job input all succeed" "$RC" 0
expect_eq "every input line ran in exactly one shard (the outputs together are the input)" \
        "$(cat "$WORK"/out[0-3] | sort | md5sum)" "$(sort "$IN" | md5sum)"
expect_eq "the three copies of a duplicate line ran three times in all" \
        "$(cat "$WORK"/out[0-3] | grep -c '^same$')" 3
expect_eq "each shard ran part of the input, none all of it" \
        "$(for i in 0 1 2 3; do n=$(wc -l <"$WORK/out$i"); [ "$n" -gt 0 ] && [ "$n" -lt 200 ] && echo y; done | wc -l)" 4
expect_eq "each record carries its key (16 hex digits) and its shard" \
        "$(jsonl_eval "$WORK/s1.jsonl" 'all(len(r["key"]) == 16 and int(r["key"], 16) >= 0 and r["shard"] == "1/4" for r in rs if "job" in r)')" True
expect_eq "a shard that read its whole input ends its file with its shard_end line" \
        "$(tail -n 1 "$WORK/s3.jsonl" | "$PY" -c 'import json,sys; e=json.load(sys.stdin)["shard_end"]; print(e["shard"], e["input_jobs"])')" "3/4 200"

merge "$WORK/all.jsonl" "$WORK"/s[0-3].jsonl
expect_eq "results merge of the 4 shards: exit 0, nothing said missing or repeated" \
        "$RC $(grep -c -e missing: -e 'two records' "$ERR")" "0 0"
expect_eq "the merged file has every job once (keys), 200 records" \
        "$(jsonl_eval "$WORK/all.jsonl" '(len(rs), len({r["key"] for r in rs}))')" "(200, 200)"
expect_eq "the merged file's outputs cover the input" \
        "$(jsonl_eval "$WORK/all.jsonl" 'sorted(r["argv"][1] for r in rs) == sorted(open("'"$IN"'").read().split())')" True

# A shard run again with --resume (a requeued array task): nothing runs twice.
cp "$WORK/s1.jsonl" "$WORK/s1again.jsonl"
rfb_net -j4 --shard 1/$N --resume --json "$WORK/s1again.jsonl" -a "$IN" -- echo {}
expect_eq "a finished shard run again with --resume runs nothing, exit 0" "$RC $(wc -c <"$OUT")" "0 0"
merge "$WORK/all2.jsonl" "$WORK/s0.jsonl" "$WORK/s1again.jsonl" "$WORK/s2.jsonl" "$WORK/s3.jsonl"
expect_eq "... and its file still merges to every job once" "$RC $(wc -l <"$WORK/all2.jsonl")" "0 200"

# --resume with the file of another shard (a retried task whose shard changed): refused before
# anything runs, naming the file's first line, and the file left as it was.
cp "$WORK/s1.jsonl" "$WORK/s1other.jsonl"
rfb_net -j4 --shard 2/$N --resume --json "$WORK/s1other.jsonl" -a "$IN" -- echo {}
expect_eq "--shard 2/$N --resume on shard 1/$N's file: 125, nothing run" "$RC $(wc -c <"$OUT")" "125 0"
check "... one line naming the file's line and both shards; the file unchanged" \
        eval '[ "$(wc -l <"$ERR")" = 1 ] && has_line "$ERR" "s1other.jsonl:1: a record of shard 1/$N, but this batch is shard 2/$N" && cmp -s "$WORK/s1.jsonl" "$WORK/s1other.jsonl"'

# --- what merge says when something is missing or repeated -------------------------------------
merge "$WORK/part.jsonl" "$WORK/s0.jsonl" "$WORK/s1.jsonl" "$WORK/s3.jsonl"
missing=$(wc -l <"$WORK/out2")
expect_eq "a shard's file left out: exit 1" "$RC" 1
check "... merge says which shard did not finish" has_line "$ERR" "shard 2/4 did not finish"
check "... and how many jobs have no record" has_line "$ERR" "$missing of 200 jobs have no record"

# One shard stopped before its end: its last five records and its end line are not there.
rfb_net -j2 --shard 2/$N --json "$WORK/s2same.jsonl" -a "$IN" -- echo {}
head -n -6 "$WORK/s2same.jsonl" >"$WORK/s2half.jsonl"
merge "$WORK/half.jsonl" "$WORK/s0.jsonl" "$WORK/s1.jsonl" "$WORK/s2half.jsonl" "$WORK/s3.jsonl"
want=$(jsonl_eval "$WORK/s2same.jsonl" '" ".join(str(j) for j in sorted(r["job"] for r in rs[-6:-1]))')
got=$(sed -n 's/.*missing jobs (their position in the input)://p' "$ERR" | tr ' ' '\n' |
        "$PY" -c 'import sys
out = []
for w in sys.stdin.read().split():
    a, _, b = w.partition("-")
    out += range(int(a), int(b or a) + 1)
print(" ".join(map(str, out)))')
expect_eq "a shard stopped before its end: merge names the 5 missing jobs by input position" \
        "$RC $got" "1 $want"

merge "$WORK/dup.jsonl" "$WORK"/s[0-3].jsonl "$WORK/s1.jsonl"
expect_eq "a file given twice: exit 1, its jobs said repeated, each kept once" \
        "$RC $(grep -c 'has two records' "$ERR") $(wc -l <"$WORK/dup.jsonl")" "1 20 200"

printf '{"job":1,"attempt":1}\nnot json\n' >"$WORK/bad.jsonl"
merge "$WORK/x.jsonl" "$WORK/bad.jsonl"
expect_eq "a line that is not JSON: exit 125, one line naming file and line" \
        "$RC $(wc -l <"$ERR") $(grep -c "bad.jsonl:2: not a JSON object" "$ERR")" "125 1 1"

# --- --shard auto ---------------------------------------------------------------------------------
keys() { jsonl_eval "$1" '" ".join(sorted(r["key"] for r in rs if "key" in r))'; }
SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 SLURM_ARRAY_TASK_MAX=7 \
        rfb_net --shard auto --json "$WORK/slurm.jsonl" -a "$IN" -- echo {}
expect_eq "--shard auto under a Slurm array 4-7, task 5: shard 1/4, the same jobs as --shard 1/4" \
        "$RC $(keys "$WORK/slurm.jsonl")" "0 $(keys "$WORK/s1.jsonl")"
SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_COUNT=4 \
        rfb_net --shard auto --json "$WORK/slurm3.jsonl" -a "$IN" -- echo {}
expect_eq "--shard auto with SLURM_ARRAY_TASK_COUNT=4, task 3: shard 3/4" \
        "$RC $(keys "$WORK/slurm3.jsonl")" "0 $(keys "$WORK/s3.jsonl")"
JOB_COMPLETION_INDEX=2 rfb_net --shard auto --shards 4 --json "$WORK/k8s.jsonl" -a "$IN" -- echo {}
expect_eq "--shard auto in a Kubernetes Indexed Job (index 2, --shards 4): shard 2/4" \
        "$RC $(keys "$WORK/k8s.jsonl")" "0 $(keys "$WORK/s2.jsonl")"
JOB_COMPLETION_INDEX=2 rfb_net --shard auto -a "$IN" -- echo {}
expect_eq "--shard auto with JOB_COMPLETION_INDEX but no count: 125, one line asking for --shards" \
        "$RC $(wc -l <"$ERR") $(grep -c -- '--shards N' "$ERR")" "125 1 1"
rfb_net --shard 4/4 -a "$IN" -- echo {}
expect_eq "--shard 4/4: 125, one line saying what was expected" \
        "$RC $(wc -l <"$ERR") $(grep -c 'expected I/N with 0 <= I < N' "$ERR")" "125 1 1"

exit 0
