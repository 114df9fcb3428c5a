#!/bin/bash
# SPDX-License-Identifier: MIT
# A full disk while writing results: --json, --joblog and --results DIR on a small tmpfs of the
# test's own. ringfence says so in one line, exits 125, and every record written before the disk
# filled is whole and valid. Needs root (mount); skipped with the reason otherwise.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 8
S=$WORK/small
mkdir -p "$S"
mounted=0
fs_cleanup() { [ $mounted = 1 ] && umount "$S" 2>/dev/null; lib_cleanup; }
trap fs_cleanup EXIT
# small_fs KIB: a fresh tmpfs of KIB KiB on $S.
small_fs() {
        [ $mounted = 1 ] && { umount "$S" || return 1; mounted=0; }
        mount -t tmpfs -o size="$1"k,mode=0777 rf-enospc "$S" && mounted=1
}
if [ "$(id -u)" != 0 ] || ! small_fs 64; then
        for i in 1 2 3 4 5 6 7 8; do skip_test "a full disk while writing results" "needs root to mount a small tmpfs"; done
        exit 0
fi

# FLAG: exit 125, and one error line on stderr (first, before the batch's summary line), naming
# FLAG and the full disk.
one_line_125() {
        [ "$RC" = 125 ] && [ "$(grep -vc '^ringfence batch: [0-9]* jobs: ' "$ERR")" = 1 ] &&
                head -n1 "$ERR" | grep -Eq "^ringfence batch: $1 .*: No space left on device$"
}
seq 3000 >"$WORK/input"

rfb_net_for 300 -j4 -a "$WORK/input" --json "$S/r.json" echo {}
check "--json on a full disk: exit 125, one error line on stderr naming --json and the full disk" one_line_125 --json
check "... every record written before is one whole, valid JSON line of a job that ran ok" "$PY" -c '
import json, sys
data = open(sys.argv[1]).read()
assert data and data.endswith("\n"), "empty, or ends mid-record"
rs = [json.loads(l) for l in data.splitlines()]
assert all(r["status"] == "ok" for r in rs) and len(set(r["job"] for r in rs)) == len(rs)' "$S/r.json"
diag "$(wc -l <"$S/r.json") records fit in 64 KiB"

small_fs 64
rfb_net_for 300 -j4 -a "$WORK/input" --joblog "$S/joblog" echo {}
check "--joblog on a full disk: exit 125, one error line on stderr naming --joblog and the full disk" one_line_125 --joblog
check "... every joblog line written before is whole (9 columns, a newline at the end)" "$PY" -c '
import sys
data = open(sys.argv[1]).read()
assert data.endswith("\n"), "ends mid-line"
lines = data.splitlines()
assert lines[0].startswith("Seq\t") and len(lines) > 1
assert all(len(l.split("\t")) == 9 for l in lines[1:]), "a line is not 9 columns"' "$S/joblog"

small_fs 64
rm -f "$WORK/r.json"
rfb_net_for 300 -j4 -a "$WORK/input" --results "$S/res" --json "$WORK/r.json" echo {}
check "--results DIR on a full disk: exit 125, one error line on stderr naming --results and the full disk" one_line_125 --results
check "... every record.json there is whole and valid, and each has its --json record" "$PY" -c '
import json, os, sys
d = sys.argv[1]
have = set(json.loads(l)["job"] for l in open(sys.argv[2]))
whole = 0
for j in os.listdir(d):
    p = os.path.join(d, j, "record.json")
    if os.path.exists(p) and os.path.getsize(p):
        r = json.load(open(p)); assert r["job"] == int(j); whole += 1
        assert int(j) in have, "job %s has a record.json but no --json record" % j
assert whole > 0' "$S/res" "$WORK/r.json"

small_fs 4
head -c 8192 /dev/zero >"$S/fill" 2>/dev/null
rf --json "$S/run.json" -- echo hi
expect_eq "ringfence run --json on a full disk: exit 125" "$RC" 125
check "... with one line on stderr naming --json, the file and the full disk" \
        eval '[ "$(wc -l <"$ERR")" = 1 ] && has_line "$ERR" "^ringfence run: --json $S/run.json: No space left on device$"'
