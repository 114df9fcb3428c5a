#!/bin/sh
# Installs what building and testing ringfence needs on Debian 12 (run as root).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
        build-essential autoconf automake libtool pkg-config \
        libseccomp-dev liburing-dev libjansson-dev libxxhash-dev check \
        python3 bubblewrap iproute2 util-linux procps groff-base ca-certificates \
        cmake ninja-build strace valgrind clang libclang-rt-dev clang-tidy cppcheck \
        clang-format >/dev/null
