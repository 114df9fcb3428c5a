#!/bin/bash
# SPDX-License-Identifier: MIT
# A policy may report or kill the very calls the sandbox makes between loading the filter and
# the command's execve (rt_sigprocmask, execve, exit, exit_group): the job must still start,
# end, and be recorded, never hang (it did: those calls waited for a listener the host did not
# hold yet). The command's own later calls of the same kind are refused or killed as the policy
# says. Each run is inside the outer net with a 20 s limit.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
cd "$WORK" || bail "cannot enter $WORK"

plan 12
pol=$WORK/setup.policy
# run_with RULE CMD...: the default policy plus RULE, CMD inside the outer net (20 s).
run_with() {
        printf 'include default\n%s\n' "$1" >"$pol"
        shift
        LAST="ringfence run -p [$(tail -n1 "$pol")] $*"
        rm -f "$JSON"
        outer_net_for 20 "$RINGFENCE" run -p "$pol" --json "$JSON" -- "$@" </dev/null >"$OUT" 2>"$ERR"
        RC=$?
}
status_is() { [ "$(json_field "$JSON" status)" = "$1" ]; }
viol_is() { [ "$(json_violation "$JSON" "$1")" = "$2" ]; }

run_with 'seccomp.report = rt_sigprocmask' bash -c 'echo started'
check "report rt_sigprocmask: the job starts and ends (exit 0), not hung" \
        eval '[ "$RC" = 0 ] && has_line "$OUT" "^started$" && status_is ok'
check "report rt_sigprocmask: the shell's own calls are refused and recorded" \
        eval '[ "$(json_violation "$JSON" rt_sigprocmask | cut -d" " -f1)" = errno ]'
run_with 'seccomp.kill = rt_sigprocmask' bash -c 'echo started'
check "kill rt_sigprocmask: the job starts, and its own first call kills it (violation, not hung)" \
        eval '[ "$RC" = 137 ] && ! has_line "$OUT" started && status_is violation && [ "$(json_violation "$JSON" rt_sigprocmask | cut -d" " -f1)" = kill ]'
run_with 'seccomp.report = execve' sh -c 'echo started; /bin/true; echo "exec: $?"'
check "report execve: the command itself starts (not hung)" eval 'has_line "$OUT" "^started$" && [ "$RC" = 0 ]'
check "report execve: the command's own execve fails (126) and is recorded once" \
        eval 'has_line "$OUT" "^exec: 126$" && viol_is execve "errno 1"'
run_with 'seccomp.kill = execve' sh -c 'echo started; /bin/true; echo "not reached"'
check "kill execve: the command starts, its own execve kills the job (violation)" \
        eval 'has_line "$OUT" "^started$" && ! has_line "$OUT" "not reached" && status_is violation && viol_is execve "kill 1"'
run_with 'seccomp.kill = execve' /nonexistent/cmd
check "kill execve, a command that does not exist: exit 127 with the exec error, not hung" \
        eval '[ "$RC" = 127 ] && has_line "$ERR" "^ringfence run: exec \"/nonexistent/cmd\": No such file or directory$"'
run_with 'seccomp.report = exit' /nonexistent/cmd
check "report exit, a command that does not exist: exit 127, not hung" eval '[ "$RC" = 127 ]'
run_with 'seccomp.report = exit_group' sh -c 'exit 3'
check "report exit_group: the job still ends (glibc falls back to exit), recorded" \
        eval '[ "$RC" = 3 ] && viol_is exit_group "errno 1"'
run_with 'seccomp.kill = exit_group' true
check "kill exit_group: the job ends as a violation, not hung" \
        eval '[ "$RC" = 137 ] && status_is violation && viol_is exit_group "kill 1"'
# The gate lets only the sandbox's own execve through: the same argv from inside is refused.
run_with 'seccomp.report = execve' /bin/sh -c 'exec /bin/sh -c "echo again"'
check "report execve: an exec of the same program from inside is refused too" \
        eval '! has_line "$OUT" "^again$" && viol_is execve "errno 1"'
run_with 'seccomp.default = kill
seccomp.allow = read write openat close mmap mprotect munmap brk arch_prctl set_tid_address set_robust_list rseq prlimit64 newfstatat fstat pread64 access getrandom futex exit_group' /bin/true
check "a kill-by-default policy without rt_sigprocmask and execve still starts /bin/true (exit 0)" \
        eval '[ "$RC" = 0 ] && status_is ok'
