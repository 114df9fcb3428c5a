/* SPDX-License-Identifier: MIT */
/* Thin wrappers for system calls glibc 2.36 lacks; each returns >= 0 or a negative errno. */
#pragma once

#include <linux/sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

int sys_pidfd_open(pid_t pid, unsigned flags);
int sys_pidfd_send_signal(int pidfd, int sig);
/* waitid(P_PIDFD, pidfd) with rusage; returns 0 or -errno. */
int sys_pidfd_wait(int pidfd, siginfo_t *info, int options, struct rusage *ru);
