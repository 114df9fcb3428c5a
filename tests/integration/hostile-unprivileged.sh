#!/bin/bash
# SPDX-License-Identifier: MIT
# The attack suite (hostile.sh, hostile.table) again, with `ringfence run` started by an
# ordinary user: uid 65534 through setpriv when the test runs as root, else the caller. User
# namespaces only, limits by rlimit where no cgroup is delegated. Skipped, with the reason, when
# the host does not let that user make user namespaces.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
prefix=()
[ "$(id -u)" = 0 ] && prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if [ ${#prefix[@]} -gt 0 ] && ! command -v setpriv >/dev/null; then
        echo "1..0 # SKIP setpriv (util-linux) is needed to run as uid 65534"
        exit 0
fi
if ! "${prefix[@]}" unshare --user true 2>/dev/null; then
        why=$(cat /proc/sys/kernel/unprivileged_userns_clone /proc/sys/user/max_user_namespaces \
                /proc/sys/kernel/apparmor_restrict_unprivileged_userns 2>/dev/null | tr '\n' ' ')
        echo "1..0 # SKIP unprivileged user namespaces are disabled on this host (unshare --user fails as uid $("${prefix[@]}" id -u); sysctls: $why)"
        exit 0
fi
HOSTILE_UNPRIVILEGED=1 exec /bin/bash "$(dirname "$0")/hostile.sh" "$@"
