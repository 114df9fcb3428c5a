#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Throughput of `ringfence batch` against xargs -P, GNU parallel and bwrap-via-xargs: the same N
# /bin/true jobs at J=2 and J=8, as ratios to a bare vfork+execve loop run in the same round, plus
# the CPU time of each driver process itself (not its jobs). See tools/bench/README.md.
#
# Usage: tools/bench/batch-throughput.sh [N] [ROUNDS]     (defaults: N=2000 jobs, ROUNDS=3)
# Environment:
#   RINGFENCE   the ringfence binary (default: ./build/ringfence, then <repo>/build/ringfence);
#               it is copied before the first round, so a rebuild during the run does not matter
#   JS          the jobs-in-flight values, space-separated (default: "2 8")
#   RINGFENCE_ALT  a second ringfence binary (say, a build with a change to judge), measured in
#               the same rounds as rf-alt and rf-none-alt; copied too
#   VARIANTS    which variants to run, space-separated (default: all that are available):
#               ref xargs parallel bwrap rf-none rf rf-freshnet rf-alt rf-none-alt
#   CC          compiler for vfork-ref.c and the CPU-time helper (default: cc)
set -euo pipefail

N=${1:-2000}
ROUNDS=${2:-3}
JS=${JS:-2 8}
usage() { echo "usage: $0 [N] [ROUNDS] (positive integers; JS=\"2 8\" for the J values)" >&2; exit 2; }
case $N$ROUNDS${JS// /} in *[!0-9]*) usage ;; esac
if [ "$N" -lt 1 ] || [ "$ROUNDS" -lt 1 ] || [ -z "${JS// /}" ]; then usage; fi
for j in $JS; do [ "$j" -ge 1 ] || usage; done

# shellcheck source=tools/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init batch-throughput

# cpu-of OUT CMD [ARGS...]: run CMD as a child, and when it has exited (still a zombie, before it is
# reaped), read its own user+system time from /proc/PID/stat: every thread of the process (io_uring
# workers included), none of the processes it started and reaped (those are cutime/cstime, reported
# apart). Writes "self_seconds children_seconds maxrss_kib" to OUT; exits with CMD's status.
cat >"$tmp/cpu-of.c" <<'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        char path[64], buf[4096], *p;
        unsigned long ut = 0, st = 0;
        long cut = 0, cst = 0, tck = sysconf(_SC_CLK_TCK);
        struct rusage ru;
        siginfo_t si;
        int status, ok = 0;
        size_t len;
        FILE *f;
        pid_t pid;

        if (argc < 3) {
                fprintf(stderr, "usage: cpu-of OUT CMD [ARGS...]\n");
                return 2;
        }
        if ((pid = fork()) < 0) {
                perror("cpu-of: fork");
                return 125;
        }
        if (pid == 0) {
                execvp(argv[2], argv + 2);
                perror("cpu-of: exec");
                _exit(127);
        }
        while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0)
                if (errno != EINTR) {
                        perror("cpu-of: waitid");
                        return 125;
                }
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        if ((f = fopen(path, "r"))) {
                len = fread(buf, 1, sizeof(buf) - 1, f);
                buf[len] = '\0';
                fclose(f);
                /* after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt
                 * cmajflt utime stime cutime cstime */
                if ((p = strrchr(buf, ')')) &&
                    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld",
                           &ut, &st, &cut, &cst) == 4)
                        ok = 1;
        }
        while (wait4(pid, &status, 0, &ru) < 0)
                if (errno != EINTR) {
                        perror("cpu-of: wait4");
                        return 125;
                }
        if ((f = fopen(argv[1], "w"))) {
                if (ok)
                        fprintf(f, "%.3f %.3f %ld\n", (double)(ut + st) / (double)tck,
                                (double)(cut + cst) / (double)tck, ru.ru_maxrss);
                else
                        fprintf(f, "- - %ld\n", ru.ru_maxrss);
                fclose(f);
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
EOF
"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -o "$tmp/cpu-of" "$tmp/cpu-of.c"

# --- the variants: name, what it is, the command (with @J@ for jobs in flight) -----------------
BW="bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev /bin/true"

# The reference: one process doing vfork+execve, J in flight. Every ratio divides by it.
add ref "bare vfork+execve (reference)" "$tmp/vfork-ref -n @N@ @J@ /bin/true"
wanted xargs && add xargs "xargs -P J -n1 /bin/true" "xargs -P @J@ -n1 /bin/true"
if wanted parallel; then
        if command -v parallel >/dev/null && parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
                add parallel "GNU parallel -j J /bin/true" "parallel -j @J@ /bin/true"
        else
                notes+=("parallel: skipped, GNU parallel is not installed (apt-get install -y parallel)")
        fi
fi
if wanted bwrap; then
        if command -v bwrap >/dev/null; then
                add bwrap "xargs -P J -n1 $BW" "xargs -P @J@ -n1 $BW"
        else
                notes+=("bwrap: skipped, not installed (Debian package bubblewrap)")
        fi
fi
if wanted rf-none || wanted rf; then
        if [ -x "$RINGFENCE" ]; then
                rf_built=$(date -u -r "$RINGFENCE" +%Y-%m-%dT%H:%M:%SZ)
                cp "$RINGFENCE" "$tmp/ringfence"
                RF=$tmp/ringfence
                if wanted rf-none; then
                        # Is -p accepted yet? A teammate is adding it; probe, do not assume.
                        if out=$(echo 1 | "$RF" batch -j 1 -p none -- /bin/true 2>&1 >/dev/null); then
                                add rf-none "ringfence batch -j J -p none (no sandbox)" \
                                        "$RF batch -j @J@ -p none -- /bin/true"
                        else
                                notes+=("rf-none: not available yet, \`ringfence batch -p none\` fails: $(echo "$out" | head -n1)")
                        fi
                fi
                wanted rf && add rf "ringfence batch -j J (default sandbox; pooled netns as root)" \
                        "$RF batch -j @J@ -- /bin/true"
                # The pool turned off: a new network namespace per job, what a rootless run gets.
                wanted rf-freshnet && add rf-freshnet "the same with RINGFENCE_NETNS_POOL=0 (a new netns per job)" \
                        "env RINGFENCE_NETNS_POOL=0 $RF batch -j @J@ -- /bin/true"
        else
                notes+=("rf-none, rf: skipped, no ringfence at $RINGFENCE (run make, or set RINGFENCE)")
        fi
fi
if [ -n "${RINGFENCE_ALT:-}" ] && { wanted rf-alt || wanted rf-none-alt; }; then
        if [ -x "$RINGFENCE_ALT" ]; then
                alt_built=$(date -u -r "$RINGFENCE_ALT" +%Y-%m-%dT%H:%M:%SZ)
                cp "$RINGFENCE_ALT" "$tmp/ringfence-alt"
                ALT=$tmp/ringfence-alt
                wanted rf-none-alt && add rf-none-alt "RINGFENCE_ALT batch -j J -p none" \
                        "$ALT batch -j @J@ -p none -- /bin/true"
                wanted rf-alt && add rf-alt "RINGFENCE_ALT batch -j J (default sandbox)" \
                        "$ALT batch -j @J@ -- /bin/true"
        else
                notes+=("rf-alt: skipped, RINGFENCE_ALT=$RINGFENCE_ALT is not an executable")
        fi
fi

# One timed run of variant $1 with $2 jobs, $3 in flight; prints elapsed seconds, returns non-zero
# on failure. Every driver runs under cpu-of, which leaves its own CPU time in $tmp/cpu.
run_variant() {
        local i=$1 n=$2 j=$3 t0 t1 rc=0 cmd
        cmd=${cmds[$i]//@J@/$j}
        cmd=${cmd//@N@/$n}
        rm -f "$tmp/cpu"
        t0=$(now)
        if [ "${names[$i]}" = ref ]; then
                # shellcheck disable=SC2086 # the command is split into words on purpose
                "$tmp/cpu-of" "$tmp/cpu" $cmd >/dev/null 2>>"$tmp/err.$i" || rc=$?
        else
                # shellcheck disable=SC2086
                seq "$n" | "$tmp/cpu-of" "$tmp/cpu" $cmd >/dev/null 2>>"$tmp/err.$i" || rc=$?
        fi
        t1=$(now)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
        return $rc
}

# One job of variant $1, which must exit 0; prints why it failed when it does not.
check_variant() {
        local rc=0
        run_variant "$1" 1 1 >/dev/null || rc=$?
        [ $rc = 0 ] || tail -n1 "$tmp/err.$1" 2>/dev/null
        rm -f "$tmp/err.$1"
        return $rc
}

# The driver's own CPU seconds and those of its children in the run just done, from cpu-of.
round_extra() {
        local self kids
        read -r self kids _ <"$tmp/cpu" 2>/dev/null || self=- kids=-
        echo "$self $kids"
}

bench_keep
bench_header "ringfence batch throughput: $N jobs of /bin/true per variant, J in {$JS}, $ROUNDS rounds"
[[ " ${names[*]} " != *" parallel "* ]] || echo "# parallel: $(parallel --version | head -n1)"
[[ " ${names[*]} " != *" bwrap "* ]] || echo "# bwrap:   $(bwrap --version)"
[ -z "${RF:-}" ] || echo "# ringfence: $RINGFENCE (built $rf_built)"
[ -z "${ALT:-}" ] || echo "# ringfence-alt: $RINGFENCE_ALT (built $alt_built)"
for note in "${notes[@]}"; do echo "# note:    $note"; done

bench_rounds "$JS"

# Is the engine idle while its jobs are? 2J jobs of `sleep 2`, J at a time: about 4 s of wall time
# in which ringfence has nothing to do but wait. Its own CPU time over that wall time is the
# answer (a polling loop shows up as tens of per cent; spawning 2J sandboxes costs a few ms).
if [[ " ${names[*]} " == *" rf "* ]]; then
        jmax=0; for j in $JS; do [ "$j" -le "$jmax" ] || jmax=$j; done
        rm -f "$tmp/cpu"
        t0=$(now)
        # the input (0) is appended to the template: sleep 2 0
        for ((k = 0; k < 2 * jmax; k++)); do echo 0; done | "$tmp/cpu-of" "$tmp/cpu" "$RF" batch -j "$jmax" -- /bin/sleep 2 \
                >/dev/null 2>"$tmp/err.idle" || echo "# warning: the idle check failed: $(tail -n1 "$tmp/err.idle")" >&2
        t1=$(now)
        read -r self kids _ <"$tmp/cpu" 2>/dev/null || self=- kids=-
        idle=$(awk -v a="$t0" -v b="$t1" -v s="$self" 'BEGIN {
                printf "%.2f s wall, ringfence'"'"'s own CPU %s s (%.2f%% of the wall time)", b - a, s,
                       (s == "-" ? 0 : 100 * s / (b - a)) }')
fi

echo "# load:    $(bench_load) at end"
bench_loadwarn
[ -z "${idle:-}" ] || echo "# idle check: $((2 * jmax)) jobs of sleep 2, -j $jmax: $idle"
echo
# Per round and J: jobs/s = N / secs and ratio = jobs/s / jobs/s of ref at that J in that round.
# Per variant and J: medians over the rounds, the range of the ratio, the driver's own CPU.
awk -v n="$N" -v order="${names[*]}" -v js="$JS" -v descs="$(printf '%s\n' "${descs[@]}")" "$bench_awk"'
{
        r = $1; j = $2; v = $3
        rate[r, j, v] = n / $4; bad[j, v] += !$5; rounds[r] = 1; if (r > nr) nr = r
        if ($6 != "-") { self[j, v] = self[j, v] " " $6; pct[j, v] = pct[j, v] " " 100 * $6 / $4
                         all[j, v] = all[j, v] " " ($6 + $7) }
}
END {
        nv = split(order, names, " ")
        nj = split(js, J, " ")
        split(descs, desc, "\n")
        # targets of issue 4, as ratios to ref
        target["rf-none"] = ">= 0.80"; goal["rf-none"] = 0.8
        target["rf"] = ">= 0.40"; goal["rf"] = 0.4
        target["rf-alt"] = ">= 0.40"; target["rf-none-alt"] = ">= 0.80"; target["rf-freshnet"] = "(0.27)"
        target["bwrap"] = "~ 0.08"
        for (r in rounds)
                for (jj = 1; jj <= nj; jj++)
                        for (i = 1; i <= nv; i++) {
                                v = names[i]; j = J[jj]
                                rates[j, v] = rates[j, v] " " rate[r, j, v]
                                ratios[j, v] = ratios[j, v] " " rate[r, j, v] / rate[r, j, "ref"]
                        }
        printf "| %-8s | %2s | %7s | %7s | %12s | %13s | %7s | %13s | %13s | %s | %s | %s |\n", "variant", "J",
               "jobs/s", "us/job", "ratio to ref", "ratio min-max", "target", "driver CPU us/job",
               "driver CPU %", "all CPU us/job", "CPU ratio", "what"
        printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "----------", "---:", "--------:", "--------:",
               "-------------:", "--------------:", "--------", "------------------:",
               "--------------:", "--------------:", "----------:", "---"
        for (jj = 1; jj <= nj; jj++)
                for (i = 1; i <= nv; i++) {
                        v = names[i]; j = J[jj]
                        mr = median(rates[j, v]); mq = median(ratios[j, v])
                        res[j, v] = mq
                        if (self[j, v] != "")
                        {
                                cr = 0
                                if (all[j, "ref"] != "" && median(all[j, v]) > 0)
                                        cr = median(all[j, "ref"]) / median(all[j, v])
                                cpu = sprintf("%17.0f | %13.1f | %14.0f | %9.3f", 1e6 * median(self[j, v]) / n,
                                              median(pct[j, v]), 1e6 * median(all[j, v]) / n, cr)
                        }
                        else
                                cpu = sprintf("%17s | %13s | %14s | %9s", "-", "-", "-", "-")
                        printf "| %-8s | %2d | %7.0f | %7.0f | %12.3f | %6.3f-%-6.3f | %7s | %s | %s%s |\n",
                               v, j, mr, 1e6 / mr, mq, minmax(ratios[j, v], 0), minmax(ratios[j, v], 1),
                               (v == "ref" ? "1" : (v in target ? target[v] : "")), cpu,
                               desc[i], bad[j, v] ? " (FAILED JOBS in " bad[j, v] " rounds)" : ""
                }
        printf "\ntargets (issue 4), median ratio to ref against the goal:\n"
        for (i = 1; i <= nv; i++) {
                v = names[i]
                if (!(v in goal)) continue
                for (jj = 1; jj <= nj; jj++) {
                        j = J[jj]
                        if (res[j, v] >= goal[v])
                                verdict = "met"
                        else
                                verdict = sprintf("short by %.3f (%.0f%% of the goal)",
                                                  goal[v] - res[j, v], 100 * res[j, v] / goal[v])
                        printf "  %-8s J=%-2d %.3f vs %s: %s\n", v, j, res[j, v], target[v], verdict
                }
        }
        # The same targets as multiples of the peers (issue 4: -p none 1.5 times xargs and 10 times
        # GNU parallel, the default sandbox 5 times bwrap-via-xargs): the median over the rounds
        # of jobs/s over the peer'"'"'s jobs/s in the same round, which does not depend on ref.
        npair = split("rf-none xargs 1.5 rf-none parallel 10 rf bwrap 5", pair, " ")
        hdr = 0
        for (p = 1; p + 2 <= npair; p += 3) {
                v = pair[p]; q = pair[p + 1]
                if (!((1, J[1], v) in rate) || !((1, J[1], q) in rate)) continue
                if (!hdr++) printf "\nthe same against the peers, median of the per-round jobs/s over the peer'"'"'s:\n"
                for (jj = 1; jj <= nj; jj++) {
                        j = J[jj]; s = ""
                        for (r in rounds) s = s " " rate[r, j, v] / rate[r, j, q]
                        m = median(s)
                        printf "  %-8s J=%-2d %5.2fx %-8s (goal %sx): %s\n", v, j, m, q, pair[p + 2],
                               (m >= pair[p + 2] ? "met" : sprintf("%.0f%% of the goal", 100 * m / pair[p + 2]))
                }
        }
        per_round(nr, nj, J, nv, names, 1)
}' "$tmp/times"
