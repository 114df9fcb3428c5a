#!/bin/bash
# SPDX-License-Identifier: MIT
# The GNU make jobserver, both sides. Client: `ringfence batch` under a real `make -jN` (make
# 4.3's R,W pipe form) and under a fifo the test makes (the fifo:PATH form of make 4.4 and ninja
# 1.13): it never runs more than make allows, gives back the very bytes it read, also on SIGTERM,
# and warns when make did not pass its jobserver on. Server: `ringfence batch -j N --jobserver`
# shares N slots with make -j inside its sandboxed jobs, does not grow the pool by tokens a job
# forges, and puts back the tokens of a job that was killed holding them.
#
# Rendezvous jobs prove concurrency without timing: each of K jobs (or recipes) marks itself in
# a folder and waits until all K marks are there, so they succeed only if all K ran at once; the
# wait gives up after about 20 s, which only a failure reaches. Counting jobs record how many
# marks they saw at once, which must never exceed the slots.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 29

command -v make >/dev/null || bail "GNU make is needed for the jobserver tests"

# The jobs see the working directory (read-only): the scripts are there.
cd "$WORK" || bail "cannot cd to $WORK"
S=$WORK/s
mkdir -p "$S" && chmod 755 "$S"
# rv.sh DIR K NAME: mark NAME in DIR, wait until K marks are there (exit 3 after ~20 s).
cat >"$S/rv.sh" <<'EOF'
d=$1 k=$2 i=0
: >"$d/$3"
while [ "$(ls "$d" | wc -l)" -lt "$k" ]; do
        i=$((i + 1)); [ $i -gt 400 ] && exit 3; sleep 0.05
done
EOF
# count.sh DIR NAME: mark NAME as running in DIR, log how many run now, hold a while, unmark.
cat >"$S/count.sh" <<'EOF'
d=$1
: >"$d/run.$2"
ls "$d" | grep -c '^run\.' >>"$d/log.$2"
sleep 0.3
rm -f "$d/run.$2"
EOF
chmod 644 "$S"/*.sh
fresh() { rm -rf "$WORK/$1" && mkdir -p "$WORK/$1" && chmod 777 "$WORK/$1"; }
peak() { cat "$WORK/$1"/log.* 2>/dev/null | sort -n | tail -n 1; }
# fifo_bytes FIFO: the bytes waiting in FIFO, sorted (read without blocking).
fifo_bytes() {
        "$PY" -c 'import os,sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
b = b""
try:
    while True:
        c = os.read(fd, 64)
        if not c: break
        b += c
except BlockingIOError:
    pass
print("".join(sorted(b.decode())))' "$1"
}

# --- client: under make -j3 (make 4.3: the R,W pipe form) -------------------------------------
fresh c
cat >"$WORK/Makefile" <<EOF
.PHONY: all a b batch rv noplus
all: a b batch
a b:
	@sh $S/count.sh $WORK/c make-\$@
batch:
	+@$RINGFENCE batch -j8 --rw $WORK/c --json $WORK/mk.json -- sh $S/count.sh $WORK/c {} ::: 1 2 3 4 5 6 7 8
rv:
	+@$RINGFENCE batch -j8 --rw $WORK/c -- sh $S/rv.sh $WORK/c 3 {} ::: x y z
noplus:
	@$RINGFENCE batch -j2 -- true ::: 1 2
EOF
outer_net make -s -j3 -f "$WORK/Makefile" -C "$WORK" all >"$OUT" 2>"$ERR"
RC=$?
LAST="make -j3 all (two recipes and a batch of 8 counting jobs, -j8)"
expect_eq "make -j3 with a batch of 8 jobs (-j8) beside two recipes: all succeed" \
        "$RC $(jsonl_eval "$WORK/mk.json" 'sorted(r["status"] for r in rs)')" "0 ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']"
peak_all=$(peak c)
check "... never more than 3 at once in all, make's recipes and the batch's jobs (saw $peak_all)" \
        eval '[ -n "$peak_all" ] && [ "$peak_all" -le 3 ]'
check "... make reports no lost or extra jobserver tokens" eval '! grep -q "INTERNAL\|jobserver" "$ERR"'

fresh c
outer_net make -s -j3 -f "$WORK/Makefile" -C "$WORK" rv >"$OUT" 2>"$ERR"
RC=$?
LAST="make -j3 rv (a batch of 3 jobs that must all run at once)"
expect_eq "make -j3: the batch runs 3 jobs at once (its own slot and 2 of make's tokens)" "$RC" 0

outer_net make -s -j3 -f "$WORK/Makefile" -C "$WORK" noplus >"$OUT" 2>"$ERR"
RC=$?
LAST="make -j3 noplus (a rule without +)"
expect_eq "a rule without + (make closes its jobserver fds): the batch still runs" "$RC" 0
check "... and warns, in one line, to mark the rule with +" \
        eval '[ "$(grep -c "warning: .*not open here: mark the make rule .* with a leading +" "$ERR")" = 1 ]'

# --- client: the fifo form, with a fifo the test makes ----------------------------------------
FIFO=$WORK/jobserver.fifo
mkfifo "$FIFO"
exec 7<>"$FIFO"
printf 'ab' >&7 # two tokens: with the implicit slot, 3 jobs at once
fresh c
MAKEFLAGS=" -j3 --jobserver-auth=fifo:$FIFO" rfb_net -j8 --rw "$WORK/c" -- sh "$S/rv.sh" "$WORK/c" 3 {} ::: x y z
expect_eq "fifo:PATH with 2 tokens: 3 jobs run at once" "$RC" 0
expect_eq "... and the very bytes read (a, b) are back in the fifo" "$(fifo_bytes "$FIFO")" ab

printf 'q' >&7 # one token: never more than 2 at once
fresh c
MAKEFLAGS=" -j2 --jobserver-auth=fifo:$FIFO" rfb_net -j8 --rw "$WORK/c" -- sh "$S/count.sh" "$WORK/c" {} ::: 1 2 3 4 5 6
peak_all=$(peak c)
expect_eq "fifo:PATH with 1 token, -j8: all 6 jobs succeed" "$RC" 0
check "... never more than 2 at once (saw $peak_all)" eval '[ -n "$peak_all" ] && [ "$peak_all" -le 2 ]'
expect_eq "... and the token is back" "$(fifo_bytes "$FIFO")" q

# SIGTERM while jobs hold tokens: every token goes back.
printf 'xyz' >&7
fresh c
T=731.$$
outer_net bash -c '
        MAKEFLAGS=" -j4 --jobserver-auth=fifo:'"$FIFO"'" "$1" batch -j8 --rw "$2" -- sh -c ": >$2/\$1; exec sleep '"$T"'\$1" sh ::: 1 2 3 4 5 >/dev/null 2>&1 &
        p=$!
        for i in $(seq 300); do [ "$(ls "$2" | wc -l)" -ge 4 ] && break; sleep 0.05; done
        ls "$2" | wc -l >"$2.started"
        kill -TERM $p; wait $p' _ "$RINGFENCE" "$WORK/c"
expect_eq "SIGTERM with 4 jobs running on 3 tokens: the 3 tokens are back" \
        "$(cat "$WORK/c.started") $(fifo_bytes "$FIFO")" "4 xyz"
expect_eq "... and no job is left" "$(survivors "^sleep $T" 3)" 0
exec 7>&-

MAKEFLAGS=" -j2 --jobserver-auth=fifo:$WORK/nonexistent" rfb_net -- true ::: 1
expect_eq "a missing fifo: the batch runs without a jobserver, with a one-line warning" \
        "$RC $(grep -c "warning: MAKEFLAGS names the jobserver fifo .*nonexistent" "$ERR")" "0 1"

# --- server: make -j inside the jobs ------------------------------------------------------------
cat >"$S/Makefile.inner" <<EOF
.PHONY: all a b c
all: a b c
a b c:
	@sh $S/rv.sh \$(D) 3 \$(J)\$@
EOF
cat >"$S/Makefile.count" <<EOF
.PHONY: all a b c d
all: a b c d
a b c d:
	@sh $S/count.sh \$(D) \$(J)\$@
EOF
chmod 644 "$S"/Makefile.*
mkdir -p "$WORK/tmp" && chmod 755 "$WORK/tmp"
export TMPDIR=$WORK/tmp # where the server makes its fifos

fresh c
rfb_net -j3 --jobserver --rw "$WORK/c" -- make -s -f "$S/Makefile.inner" D="$WORK/c" J={} ::: j1
expect_eq "--jobserver -j3: make (4.3, the R,W form) inside a job runs 3 recipes at once" "$RC" 0

fresh c
rfb_net -j3 --jobserver --rw "$WORK/c" -- make -s -f "$S/Makefile.count" D="$WORK/c" J={} ::: j1 j2 j3
peak_all=$(peak c)
expect_eq "--jobserver -j3: 3 jobs each running make with 4 recipes succeed" "$RC" 0
check "... never more than 3 recipes at once in all (saw $peak_all)" \
        eval '[ -n "$peak_all" ] && [ "$peak_all" -le 3 ]'

# The fifo form, with a fake client: read two tokens from the fifo named in MAKEFLAGS, write
# them back.
client='f=${MAKEFLAGS##*fifo:}; exec 3<>"$f"; dd bs=1 count=2 status=none <&3 >'"$WORK"'/c/got.{}; cat '"$WORK"'/c/got.{} >&3; echo "$f"'
fresh c
rfb_net -j3 --jobserver-fifo --rw "$WORK/c" -- sh -c "$client" ::: 1
expect_eq "--jobserver-fifo -j3: a client in the job reads 2 tokens from the fifo in MAKEFLAGS" \
        "$RC $(wc -c <"$WORK/c/got.1")" "0 2"
fifo_dir=$(sed -n 's,/job-1\.[^/]*/fifo$,,p' "$OUT")
check "... the fifo is in a folder of its own under TMPDIR, removed afterwards" \
        eval '[ "${fifo_dir#$WORK/tmp/ringfence-js.}" != "$fifo_dir" ] && [ ! -e "$fifo_dir" ]'

# Forged tokens: a hostile job reads the token on offer in its jobserver, writes back 41 bytes
# and stays on its slot. The pool must not grow by the 40 it never held: the other job, a make
# of 4 recipes started once the forgery is in, runs them one at a time (the forger holds one of
# the 3 slots, and ringfence cuts it off and counts the token it read as its own until it ends).
# The spare token is on offer to the newest job, so the forger is the second.
fresh c
forge='a=${MAKEFLAGS##*--jobserver-auth=}; exec bash -c "dd bs=1 count=1 status=none <&${a%,*} >/dev/null; printf %041d 0 >&${a#*,}; : >'"$WORK"'/c/forged; i=0; while [ ! -e '"$WORK"'/c/done ]; do i=\$((i+1)); [ \$i -gt 400 ] && exit 4; sleep 0.05; done"'
work='i=0; while [ ! -e '"$WORK"'/c/forged ]; do i=$((i+1)); [ $i -gt 400 ] && exit 5; sleep 0.05; done; make -s -f '"$S"'/Makefile.count D='"$WORK"'/c J=m; r=$?; : >'"$WORK"'/c/done; exit $r'
rfb_net -j3 --jobserver --rw "$WORK/c" -- sh -c 'if [ $1 = forger ]; then eval "$2"; else eval "$3"; fi' sh {} "$forge" "$work" ::: make forger
peak_all=$(peak c)
expect_eq "--jobserver -j3: a job that forges 40 tokens beside a make of 4 recipes: both succeed" "$RC" 0
check "... the forged tokens add no slot, nor does the token the forger holds: 1 recipe at a time (saw $peak_all; 4 if they did)" \
        eval '[ "$peak_all" = 1 ]'

# Honest clients are not cut off: one that gives back its implicit slot while it waits (rustc's
# does: one byte it never read) reads it back; and a retry of a job that was cut off starts
# clean (attempt 1 forges and fails, attempt 2 reads the 2 spare tokens of -j3).
fresh c
release='a=${MAKEFLAGS##*--jobserver-auth=}; exec bash -c "printf + >&${a#*,}; sleep 0.3; timeout 5 dd bs=1 count=1 status=none <&${a%,*} >'"$WORK"'/c/back"'
rfb_net -j1 --jobserver --rw "$WORK/c" -- sh -c "$release" ::: 1
expect_eq "--jobserver -j1: a job that gives back its implicit slot and reads it again gets it" \
        "$RC $(cat "$WORK/c/back" 2>/dev/null)" "0 +"
fresh c
retry='a=${MAKEFLAGS##*--jobserver-auth=}; if [ -e '"$WORK"'/c/tried ]; then exec bash -c "timeout 5 dd bs=1 count=2 status=none <&${a%,*} >'"$WORK"'/c/got"; fi; : >'"$WORK"'/c/tried; exec bash -c "printf %041d 0 >&${a#*,}; exit 1"'
rfb_net -j3 --jobserver --retries 1 --rw "$WORK/c" -- sh -c "$retry" ::: 1
expect_eq "--jobserver --retries 1: the attempt after one that forged tokens gets its 2 tokens" \
        "$RC $(wc -c <"$WORK/c/got" 2>/dev/null)" "0 2"

# Other jobs' fifos are out of sight, also for an ordinary user, whose jobs have the uid that
# owns the fifos' folder (its mode does not stop them), and with that folder under the working
# directory, which every job sees. Job "spy" waits until job "other" runs, counts what the
# batch's folder holds, and tries to make a file beside its own fifo.
U=$WORK/u
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
        setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user true 2>/dev/null; then
        mkdir -p "$U/c" "$U/tmp" && chown -R 65534:65534 "$U" && chmod 755 "$U" || bail "cannot make $U"
        other=': >c/other; i=0; while [ ! -e c/spied ]; do i=$((i+1)); [ $i -gt 400 ] && exit 3; sleep 0.05; done'
        spy='i=0; while [ ! -e c/other ]; do i=$((i+1)); [ $i -gt 400 ] && exit 3; sleep 0.05; done
f=${MAKEFLAGS##*fifo:}; ls -A "${f%/*/fifo}" >c/seen; (: >"${f%/fifo}/made") 2>/dev/null && echo made >c/made; : >c/spied'
        ( cd "$U" && TMPDIR=$U/tmp RF_PREFIX=(setpriv --reuid=65534 --regid=65534 --clear-groups) &&
                rfb_net -j2 --jobserver-fifo --rw "$U/c" -- sh -c 'eval "$1"' sh {} ::: "$other" "$spy"
                echo "$RC" >"$WORK/spy.rc" )
        expect_eq "as uid 65534, fifos under the working directory: the spy sees only its own job's folder" \
                "$(cat "$WORK/spy.rc") $(wc -l <"$U/c/seen")" "0 1"
        check "... and cannot make a file beside its fifo (its folder is read-only)" \
                eval '[ -e "$U/c/spied" ] && [ ! -e "$U/c/made" ] && [ -z "$(ls "$U/tmp")" ]'
else
        skip_test "as uid 65534, fifos under the working directory: the spy sees only its own job's folder" \
                "not root, no setpriv, or no unprivileged user namespaces"
        skip_test "... and cannot make a file beside its fifo (its folder is read-only)" "as above"
fi

# --keep-order holds finished jobs behind a slow first one: their jobserver fifos and fds must
# go when they end, not when their records are out. 40 jobs under a limit of 64 open files.
( ulimit -n 64 && rfb_net -j2 --keep-order --jobserver -- sh -c '[ "$1" != 1 ] || sleep 2' sh {} ::: $(seq 40)
  echo "$RC" >"$WORK/ko.rc" )
expect_eq "--jobserver --keep-order, 40 jobs behind a slow first one, 64 open files at most: all run" \
        "$(cat "$WORK/ko.rc")" 0

# Token reclaim: job 1 takes two tokens and is killed holding them; job 2 then needs two.
fresh c
# (bash: dash takes only fds 0-9 in a redirection)
grab='r=${MAKEFLAGS##*--jobserver-auth=}; r=${r%,*}; exec bash -c "dd bs=1 count=1 status=none <&$r >/dev/null; dd bs=1 count=1 status=none <&$r >/dev/null; : >'"$WORK"'/c/grabbed; kill -KILL \$\$"'
second='i=0; while [ ! -e '"$WORK"'/c/grabbed ]; do i=$((i+1)); [ $i -gt 400 ] && exit 4; sleep 0.05; done; rm '"$WORK"'/c/grabbed; exec make -s -f '"$S"'/Makefile.inner D='"$WORK"'/c J=j2'
rfb_net -j4 --jobserver --rw "$WORK/c" --json "$WORK/rc.json" -- sh -c 'if [ $1 = 1 ]; then eval "$2"; else eval "$3"; fi' sh {} "$grab" "$second" ::: 1 2
expect_eq "--jobserver -j4: job 1 killed holding 2 tokens, then job 2 gets 2 tokens for 3 recipes" \
        "$(jsonl_eval "$WORK/rc.json" '" ".join("%d:%s" % (r["job"], r["status"]) for r in sorted(rs, key=lambda r: r["job"]))')" \
        "1:signaled 2:ok"
check "... and ringfence says it put job 1's 2 tokens back" \
        has_line "$ERR" "job 1 ended holding 2 jobserver tokens; they are back in the pool"
check "... the server's folder is removed (nothing is left under TMPDIR)" \
        eval '[ -z "$(ls "$WORK/tmp")" ]'

exit 0
