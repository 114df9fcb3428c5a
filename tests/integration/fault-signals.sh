#!/bin/bash
# SPDX-License-Identifier: MIT
# SIGINT and SIGTERM sent to `ringfence batch` (and `ringfence run`) while jobs run: the tool
# ends, and no process is left in any pid namespace its jobs had (checked by namespace: the
# jobs' /proc/PID/ns/pid recorded while they ran, then every process on the machine looked at).
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

plan 6
export RINGFENCE PY

# signaller.sh SIG WANT TOOL ARGS...: start `ringfence TOOL ARGS...`, wait until it has WANT or
# more jobs running (at most about 20 s), note their pid namespaces, send SIG once, and wait for it (at most
# 30 s, then SIGKILL). Prints "rc=N jobs-seen=M left=K" (K: processes still in those namespaces).
cat >"$WORK/signaller.sh" <<KEOF
#!/bin/bash
. "$TOP_SRCDIR/tests/integration/fault-lib.sh"
sig=\$1 want=\$2
shift 2
# (a background command of a shell without job control starts with INT and QUIT ignored, which
# ringfence keeps ignored, as make does: give them back, as a terminal's foreground job has them)
env --default-signal=INT,QUIT "\$RINGFENCE" "\$@" </dev/null >/dev/null 2>"$WORK/tool.err" &
pid=\$!
for i in \$(seq 100); do
        job_namespaces "\$pid" >"$WORK/ns.txt"
        [ "\$(wc -l <"$WORK/ns.txt")" -ge "\$want" ] && break
        sleep 0.2
done
kill -"\$sig" "\$pid"
for i in \$(seq 300); do kill -0 "\$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "\$pid" 2>/dev/null && { echo "still running 30 s after SIG\$sig"; kill -KILL "\$pid"; }
wait "\$pid"
echo "rc=\$? jobs-seen=\$(wc -l <"$WORK/ns.txt") left=\$(in_namespaces "$WORK/ns.txt" 5)"
KEOF
chmod 755 "$WORK/signaller.sh"

# Jobs that would outlive a careless host: each starts a background sleeper in a new session.
JOB='setsid sh -c "sleep 300 & sleep 300" </dev/null >/dev/null 2>&1 & sleep 300'
for sig in INT TERM; do
        n=$(case $sig in INT) echo 2 ;; TERM) echo 15 ;; esac)
        LAST="signaller.sh $sig batch -j4 sh -c '$JOB' ::: 1 2 3 4 5 6 7 8"
        outer_net_for 120 "$WORK/signaller.sh" "$sig" 2 batch -j4 sh -c "$JOB" ::: 1 2 3 4 5 6 7 8 >"$WORK/sig.out"
        r=$(cat "$WORK/sig.out")
        diag "SIG$sig to ringfence batch: $r; stderr: $(head -c 300 "$WORK/tool.err" | tr '\n' '|')"
        check "SIG$sig to ringfence batch with 4 jobs running: it ends (status 128+$n or a failed-jobs count)" \
                eval "case '$r' in rc=*' jobs-seen='[2-9]*) ! grep -q 'still running' '$WORK/sig.out' ;; *) false ;; esac"
        expect_eq "... and no process is left in its jobs' pid namespaces, nor in the outer net" \
                "$(echo "$r" | sed 's/.*left=//') $NET_LEFT" "0 0"
done
for sig in INT TERM; do
        LAST="signaller.sh $sig run -- sh -c '$JOB'"
        outer_net_for 120 "$WORK/signaller.sh" "$sig" 1 run -- sh -c "$JOB" >"$WORK/sig.out"
        r=$(cat "$WORK/sig.out")
        # `run` forwards the signal to the command's process group, as a terminal's Ctrl-C: sh
        # waits for its foreground sleep, which gets the signal too, and then ends itself.
        expect_eq "SIG$sig to ringfence run: no process left in the job's pid namespace, nor in the outer net" \
                "$(echo "$r" | sed 's/.*jobs-seen=//') $NET_LEFT" "1 left=0 0"
done
