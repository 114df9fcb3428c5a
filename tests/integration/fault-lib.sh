# SPDX-License-Identifier: MIT
# Helpers for the fault tests: the pid namespaces of a host's jobs, and the processes left in
# them (survivors are found by namespace, never by name). Sourced after lib.sh.

# job_namespaces PID: the pid-namespace inodes (one a line) of every descendant of PID that is in
# another pid namespace than PID itself: the namespaces of its running jobs.
job_namespaces() {
        "$PY" - "$1" <<'PYEOF'
import os, sys
host = int(sys.argv[1])
def ns(p):
    try:
        return os.readlink("/proc/%d/ns/pid" % p)
    except OSError:
        return None
kids = {}
for d in os.listdir("/proc"):
    if not d.isdigit():
        continue
    try:
        st = open("/proc/%s/stat" % d).read()
        ppid = int(st[st.rindex(")") + 2:].split()[1])
    except (OSError, ValueError):
        continue
    kids.setdefault(ppid, []).append(int(d))
mine, seen, todo = ns(host), set(), list(kids.get(host, []))
while todo:
    p = todo.pop()
    n = ns(p)
    if n and n != mine:
        seen.add(n)
    todo.extend(kids.get(p, []))
for n in sorted(seen):
    print(n)
PYEOF
}

# in_namespaces FILE [SECS]: wait up to SECS (default 5) until no process on the machine is in any
# of the pid namespaces listed in FILE (as job_namespaces prints them); print how many are left.
in_namespaces() {
        "$PY" - "$1" "${2:-5}" <<'PYEOF'
import os, sys, time
want = set(l.strip() for l in open(sys.argv[1]) if l.strip())
end = time.monotonic() + float(sys.argv[2])
while True:
    left = 0
    if want:
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    if os.readlink("/proc/%s/ns/pid" % d) in want:
                        left += 1
                except OSError:
                    pass
    if left == 0 or time.monotonic() > end:
        print(left); break
    time.sleep(0.1)
PYEOF
}
