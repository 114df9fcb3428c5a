#!/bin/bash
# SPDX-License-Identifier: MIT
# The built-in policy `none` is no sandbox: the job is spawned as xargs would spawn it (the whole
# environment, the inherited fds, the caller's namespaces, credentials and capabilities, no
# seccomp), yet still tracked: exit statuses, exec errors, time limit, output cap, the record.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

plan 18

# --- what passes in, as xargs would pass it -------------------------------------------------
RF_NONE_VAR='a b=c' HOME=/rf-none-home rf -p none -- sh -c 'printf "%s|%s\n" "$RF_NONE_VAR" "$HOME"'
expect_eq "the whole environment passes, HOME included" "$(cat "$OUT")" "a b=c|/rf-none-home"
rf -p none -- sh -c 'echo to-fd-5 >&5' 5>"$WORK/fd5"
expect_eq "an inherited fd (5) passes without --fd" "$RC:$(cat "$WORK/fd5")" "0:to-fd-5"
(cd "$WORK" && rf -p none -- pwd)
expect_eq "the working directory is the caller's" "$(cat "$OUT")" "$WORK"
rf -p none --cwd /usr -- pwd
expect_eq "--cwd still applies" "$(cat "$OUT")" "/usr"
rf -p none -- readlink /proc/self/ns/pid /proc/self/ns/mnt /proc/self/ns/net
expect_eq "no namespace of its own (pid, mount, net are the caller's)" "$(tr '\n' ' ' <"$OUT")" \
        "$(readlink /proc/self/ns/pid /proc/self/ns/mnt /proc/self/ns/net | tr '\n' ' ')"
rf -p none -- grep -E '^(NoNewPrivs|Seccomp|CapEff):' /proc/self/status
expect_eq "no seccomp, no no_new_privs, the caller's capabilities" "$(tr '\n\t' ' ' <"$OUT")" \
        "$(grep -E '^(NoNewPrivs|Seccomp|CapEff):' /proc/self/status | tr '\n\t' ' ')"
rf -p none -- id -u
expect_eq "the caller's uid" "$(cat "$OUT")" "$(id -u)"

# --- still tracked: statuses, errors, limits, the record ---------------------------------------
rf -p none --json "$JSON" -- sh -c 'echo out; echo err >&2; exit 42'
expect_rc "the command's exit status passes through (42)" 42
expect_eq "the record: failed, exit code 42, the bytes of stdout and stderr" \
        "$(json_field "$JSON" status) $(json_field "$JSON" exit_code) $(json_field "$JSON" stdout_bytes) $(json_field "$JSON" stderr_bytes)" \
        "failed 42 4 4"
check "the record has the job's peak memory (from its rusage)" \
        eval '[ "$(json_field "$JSON" peak_memory)" -gt 0 ]'
rf -p none --json "$JSON" -- sh -c 'kill -TERM $$'
expect_eq "a signal ends it: 143, status signaled, signal 15" \
        "$RC $(json_field "$JSON" status) $(json_field "$JSON" signal)" "143 signaled 15"
rf -p none -- rf-none-no-such-command
check "not found: 127 and the sentence" \
        eval '[ "$RC" = 127 ] && [ "$(cat "$ERR")" = "ringfence run: exec \"rf-none-no-such-command\": No such file or directory" ]'
printf 'not a program\n' >"$WORK/noexec" && chmod 644 "$WORK/noexec"
rf -p none -- "$WORK/noexec"
check "not executable: 126 and the sentence" \
        eval '[ "$RC" = 126 ] && has_line "$ERR" "^ringfence run: exec \".*noexec\": Permission denied$"'
rf -p none --json "$JSON" -- rf-none-no-such-command
expect_eq "an exec error is the job's record (spawn-error, 127)" \
        "$(json_field "$JSON" status) $(json_field "$JSON" exit_status)" "spawn-error 127"
rf_net -p none --timeout 1s -- sleep 30
check "--timeout 1s kills it: 124, well before 30 s" eval '[ "$RC" = 124 ] && [ "$WALL_MS" -lt 20000 ]'
rf_net -p none --output 1K -- yes
expect_eq "--output 1K caps it at 1024 bytes" "$(wc -c <"$OUT" | tr -d ' ')" 1024
RF_STDIN=$WORK/fd5
rf -p none -- cat
RF_STDIN=/dev/null
expect_eq "stdin passes" "$(cat "$OUT")" "to-fd-5"

# --- a batch ----------------------------------------------------------------------------------
RF_NONE_VAR=v rfb -p none -k -j 2 -- sh -c 'echo {}:$RF_NONE_VAR' ::: 1 2 3
expect_eq "batch -p none: outputs in order, the environment passed" "$(tr '\n' ' ' <"$OUT")" "1:v 2:v 3:v "

