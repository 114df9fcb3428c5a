#!/bin/bash
# SPDX-License-Identifier: MIT
# What a hostile command cannot do under the default policy of `ringfence run`: reach the
# host's network, write outside the writable paths, read secrets (files, environment, fds),
# gain privilege through setuid binaries, make refused system calls (each one named in the
# record), or touch host processes.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
setup_hostile

REFUSED="ptrace process_vm_readv io_uring_setup mount umount2 pivot_root bpf perf_event_open
userfaultfd keyctl add_key request_key kexec_load init_module finit_module delete_module
unshare:unshare unshare-ns:unshare setns clone-newuser:clone clone-newnet:clone
personality tiocsti:ioctl tiocsti-high:ioctl tioclinux:ioctl"
n_refused=$(echo $REFUSED | wc -w)
plan $((36 + n_refused))

# A working directory of our own, readable by everybody, as a user's project folder would be.
CWD=$WORK/project
mkdir -p "$CWD" && chmod 755 "$CWD" && cd "$CWD" || bail "cannot make $CWD"
tag=rf-it-$$-$RANDOM

# --- network ---------------------------------------------------------------------------------
server_start "$WORK/conns" || bail "could not start a TCP server on 127.0.0.1 with $PY"
connect_py="import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=3); print('connected')"
rf -- "$PY" -c "$connect_py" "$SRV_PORT"
check "no network: connecting to the host's 127.0.0.1:$SRV_PORT fails" \
        eval '[ "$RC" != 0 ] && ! has_line "$OUT" connected'
rf -- bash -c "echo hi >/dev/tcp/127.0.0.1/$SRV_PORT && echo connected"
check "no network: bash /dev/tcp to the host's port fails" eval '[ "$RC" != 0 ] && ! has_line "$OUT" connected'
rf --net loopback -- "$PY" -c "$connect_py" "$SRV_PORT"
check "--net loopback: the host's 127.0.0.1 is still out of reach" eval '[ "$RC" != 0 ] && ! has_line "$OUT" connected'
sleep 0.5
expect_eq "the host's server saw no connection from the sandbox" "$(cat "$WORK/conns")" 0
rf -- "$PY" -c 'import socket; print(" ".join(n for _, n in socket.if_nameindex()))'
expect_eq "no network: the only interface inside is lo" "$(cat "$OUT")" lo
rf --net host -- "$PY" -c "$connect_py" "$SRV_PORT"
sleep 0.5
check "--net host: the host's 127.0.0.1:$SRV_PORT is reachable and the server saw it" \
        eval '[ "$RC" = 0 ] && has_line "$OUT" connected && [ "$(cat "$WORK/conns")" = 1 ]'
server_stop

# --- the file system -----------------------------------------------------------------------------
for dir in /usr /etc "$CWD" /; do
        f=${dir%/}/$tag
        rf -- sh -c "echo pwned >'$f'"
        check "writing into $dir fails (Read-only file system) and leaves nothing on the host" \
                eval '[ "$RC" != 0 ] && has_line "$ERR" "Read-only file system" && [ ! -e "$f" ]'
        rm -f "$f"
done
echo keep >"$CWD/victim"
rf -- sh -c "mkdir ./$tag-d; rm -f ./victim; ls ./victim"
check "making a folder or removing a file in the working directory fails" \
        eval '[ ! -e "$CWD/$tag-d" ] && [ -f "$CWD/victim" ] && has_line "$OUT" "^./victim$"'
mkdir -p "$WORK/rw" && chmod 777 "$WORK/rw"
rf --rw "$WORK/rw" -- sh -c "echo from-inside >'$WORK/rw/out.txt'"
check "--rw DIR: a file written there inside is on the host afterwards" \
        eval '[ "$RC" = 0 ] && [ "$(cat "$WORK/rw/out.txt" 2>/dev/null)" = from-inside ]'
mkdir -p "$WORK/ro/secret" && echo visible >"$WORK/ro/file" && echo hidden >"$WORK/ro/secret/key"
rf --ro "$WORK/ro" -- sh -c "cat '$WORK/ro/file'; echo x >'$WORK/ro/new'"
check "--ro DIR: readable, not writable" \
        eval '[ "$(cat "$OUT")" = visible ] && [ "$RC" != 0 ] && [ ! -e "$WORK/ro/new" ]'
rf --ro "$WORK/ro" --hide "$WORK/ro/secret" -- sh -c "cat '$WORK/ro/file'; ls -A '$WORK/ro/secret'; cat '$WORK/ro/secret/key'"
check "--hide PATH: PATH shows up empty" \
        eval '[ "$(cat "$OUT")" = visible ] && [ "$RC" != 0 ] && ! has_line "$OUT" hidden'
rf --tmpfs /usr/local -- sh -c "ls -A /usr/local; echo x >/usr/local/$tag && cat /usr/local/$tag"
check "--tmpfs PATH: empty and writable inside, the host's PATH unchanged" \
        eval '[ "$RC" = 0 ] && [ "$(cat "$OUT")" = x ] && [ ! -e "/usr/local/$tag" ]'
rm -f "/usr/local/$tag"
echo host-tmp >"/tmp/$tag"
rf -- sh -c "cat /tmp/$tag; echo inner >/tmp/$tag-inner && echo wrote"
check "/tmp is private: the host's /tmp files are not seen, writes inside do not reach the host" \
        eval '[ "$(cat "$OUT")" = wrote ] && [ ! -e "/tmp/$tag-inner" ]'
rm -f "/tmp/$tag" "/tmp/$tag-inner"
rf -- sh -c "head -c 80M /dev/zero >/tmp/$tag-big"
check "the private /tmp is limited in size (80M into a 64M /tmp fails)" \
        eval '[ "$RC" != 0 ] && has_line "$ERR" "No space left on device"'
rm -f "/tmp/$tag-big"
rf -- cat /etc/shadow
check "/etc/shadow is unreadable" eval '[ "$RC" != 0 ] && [ ! -s "$OUT" ] && has_line "$ERR" "Permission denied"'
rf --as-root -- cat /etc/shadow
check "/etc/shadow is unreadable with --as-root too" eval '[ "$RC" != 0 ] && [ ! -s "$OUT" ]'
rf -- sh -c 'for d in /home /root /var /sys /run /boot /srv; do [ -e $d ] && echo "$d visible"; done; true'
expect_eq "/home /root /var /sys /run /boot /srv are not visible" "$(cat "$OUT")" ""
rf -- ls -A /dev
check "/dev holds only null zero full random urandom tty shm and the fd links" "$PY" -c '
import sys
got = set(open(sys.argv[1]).read().split())
allowed = {"null", "zero", "full", "random", "urandom", "tty", "shm", "fd", "stdin", "stdout", "stderr", "ptmx", "pts"}
assert {"null", "zero", "urandom", "shm"} <= got and got <= allowed, sorted(got)' "$OUT"
rf -- sh -c 'mknod /tmp/mem c 1 1 && echo made'
check "making a device node fails" eval '[ "$RC" != 0 ] && ! has_line "$OUT" made'

# --- setuid binaries give nothing -------------------------------------------------------------------
rf -- su -c 'id -u' root
check "su cannot become root inside" eval '[ "$RC" != 0 ] && ! has_line "$OUT" "^0$"'
if [ "$(id -u)" = 0 ]; then
        mkdir -p "$WORK/suid" && cp "$H/setuid-id" "$WORK/suid/" && chown root:root "$WORK/suid/setuid-id" &&
                chmod 4755 "$WORK/suid/setuid-id" && chmod 755 "$WORK/suid"
        host=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$WORK/suid/setuid-id" 2>&1)
        rf --ro "$WORK/suid" -- "$WORK/suid/setuid-id"
        check "a setuid-root binary gives no root inside (on the host it gives euid 0)" \
                eval '[[ $host == "uid 65534 euid 0"* ]] && has_line "$OUT" "^uid 65534 euid 65534$" && has_line "$OUT" "^setuid\(0\): E[A-Z]+$"' ||
                diag "on the host as 65534: $host"
else
        rf -- /usr/bin/passwd --status root
        check "passwd (setuid root) gains nothing: it cannot read the shadow file" eval '[ "$RC" != 0 ]'
fi

# --- nothing leaks in: environment and file descriptors ------------------------------------------------
export SECRET_TOKEN=hunter2-$tag SECRET_OTHER=second-$tag
rf -- env
check "a host secret (SECRET_TOKEN) is absent inside" eval '[ "$RC" = 0 ] && ! has_line "$OUT" "hunter2|^SECRET"'
check "only PATH LANG LANGUAGE LC_* TERM TZ and HOME=/tmp are set" "$PY" -c '
import sys
env = dict(l.split("=", 1) for l in open(sys.argv[1]).read().splitlines() if "=" in l)
extra = [k for k in env if k not in ("PATH", "LANG", "LANGUAGE", "TERM", "TZ", "HOME") and not k.startswith("LC_")]
assert not extra, extra
assert env.get("HOME") == "/tmp", env.get("HOME")' "$OUT"
rf --env SECRET_TOKEN -- env
check "--env SECRET_TOKEN passes it, and only it" \
        eval 'has_line "$OUT" "^SECRET_TOKEN=hunter2-$tag$" && ! has_line "$OUT" "^SECRET_OTHER="'
rf --env 'SECRET_*' -- env
check "--env 'SECRET_*' passes both" \
        eval 'has_line "$OUT" "^SECRET_TOKEN=hunter2-$tag$" && has_line "$OUT" "^SECRET_OTHER=second-$tag$"'
unset SECRET_TOKEN SECRET_OTHER

exec 7</etc/hostname 8</ 1500</etc/hostname
rf -- ls /proc/self/fd
check "open host fds 7, 8 (a directory), 9 and 1500 are absent inside: only 0-2 (and ls's own 3)" \
        eval '[ "$RC" = 0 ] && [ "$(tr "\n" " " <"$OUT")" = "0 1 2 3 " ]'
rf --fd 7 -- sh -c 'ls /proc/self/fd; cat <&7'
check "--fd 7 passes fd 7 in, readable" \
        eval '[ "$RC" = 0 ] && has_line "$OUT" "^7$" && has_line "$OUT" "^$(head -n1 /etc/hostname)$" && ! has_line "$OUT" "^8$"'
exec 7<&- 8<&- 1500<&-

# --- host processes are out of reach ---------------------------------------------------------------
marker=314.$$
if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups sleep "$marker" &
else
        sleep "$marker" &
fi
victim=$!
rf -- sh -c "kill -KILL $victim || echo refused"
sleep 0.3
check "a host process of the same uid cannot be signalled from inside (no such pid there)" \
        eval 'kill -0 "$victim" 2>/dev/null && has_line "$OUT" "^refused$"'
kill "$victim" 2>/dev/null; wait "$victim" 2>/dev/null

# --- refused system calls: EPERM, and named in the record --------------------------------------------
for c in $REFUSED; do
        name=${c%%:*} sys=${c#*:}
        rf --ro "$H" --json "$JSON" -- "$H/try-syscall" "$name"
        v=$(json_violation "$JSON" "$sys")
        if [ "$RC" = 0 ] && has_line "$OUT" "^$name: EPERM$" && [ "${v%% *}" = errno ]; then
                ok "$name is refused with EPERM and recorded as $sys"
        else
                not_ok "$name is refused with EPERM and recorded as $sys" "violation: $v" "$(last_run)"
        fi
done
rf --ro "$H" --json "$JSON" -- "$H/try-syscall" clone3
check "clone3 answers ENOSYS and is not recorded" \
        eval 'has_line "$OUT" "^clone3: ENOSYS$" && [ "$(json_field "$JSON" violations)" = "[]" ]'
rf --ro "$H" --json "$JSON" -- sh -c "'$H/try-syscall' clone-plain; '$H/try-syscall' personality-query; '$H/try-syscall' getpid"
check "a plain clone, a personality query and getpid are allowed and not recorded" \
        eval '[ "$(tr "\n" " " <"$OUT")" = "clone-plain: OK personality-query: OK getpid: OK " ] && [ "$(json_field "$JSON" violations)" = "[]" ]'
rf --verbose --ro "$H" -- "$H/try-syscall" ptrace
check "--verbose says which system call was refused" \
        eval 'has_line "$ERR" "^ringfence run: 1 refused system call\(s\), first ptrace$"'
rf --ro "$H" --json "$JSON" -- "$H/try-syscall" x32
check "an x32 system call kills the job with SIGSYS (159, signal 31), status violation" \
        eval '[ "$RC" = 159 ] && [ ! -s "$OUT" ] && [ "$(json_field "$JSON" signal)" = 31 ] && [ "$(json_field "$JSON" status)" = violation ]'
# int 0x80 reaches seccomp only where the kernel runs i386 code; probe the host first.
bash -c '"$0" int80; exit $?' "$H/try-syscall" >/dev/null 2>&1
host_rc=$?
rf --ro "$H" --json "$JSON" -- "$H/try-syscall" int80
if [ "$host_rc" = 0 ]; then
        check "an int 0x80 system call kills the job with SIGSYS (159, signal 31)" \
                eval '[ "$RC" = 159 ] && [ "$(json_field "$JSON" signal)" = 31 ]'
else
        diag "int 0x80 faults on this host itself (exit $host_rc: no ia32 emulation), so it cannot reach the filter"
        check "an int 0x80 system call does not run: the job dies as on the host (exit $host_rc)" \
                eval '[ "$RC" = "$host_rc" ] && [ ! -s "$OUT" ]'
fi
