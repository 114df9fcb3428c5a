/* SPDX-License-Identifier: MIT */
/* Host-side helper for the terminal attacks: `pty-run CMD...` runs CMD with a new pseudo-
 * terminal as its controlling terminal and stdin, stdout and stderr, copies what it prints to
 * our stdout, and when CMD has ended says how many bytes were left in the terminal's input
 * queue: "pty-run: pending input N". Anything there was pushed in by the command (TIOCSTI), to
 * be read by the shell that owns the terminal. Exits with CMD's status. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        int master, slave, status, pending = -1;
        char buf[4096];
        pid_t pid;

        if (argc < 2) {
                fprintf(stderr, "usage: pty-run CMD...\n");
                return 2;
        }
        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
                perror("pty-run: posix_openpt");
                return 125;
        }
        slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0) {
                perror("pty-run: open the terminal");
                return 125;
        }
        pid = fork();
        if (pid == 0) {
                setsid();
                ioctl(slave, TIOCSCTTY, 0);
                dup2(slave, 0);
                dup2(slave, 1);
                dup2(slave, 2);
                execvp(argv[1], argv + 1);
                _exit(127);
        }
        for (;;) {
                struct pollfd p = { .fd = master, .events = POLLIN };
                if (poll(&p, 1, 100) > 0) {
                        ssize_t n = read(master, buf, sizeof(buf));
                        if (n > 0) {
                                fwrite(buf, 1, (size_t)n, stdout);
                                continue;
                        }
                }
                if (waitpid(pid, &status, WNOHANG) == pid)
                        break;
        }
        /* Drain what is left of the output, then look at the input side. */
        fcntl(master, F_SETFL, O_NONBLOCK);
        for (ssize_t n; (n = read(master, buf, sizeof(buf))) > 0;)
                fwrite(buf, 1, (size_t)n, stdout);
        if (ioctl(slave, FIONREAD, &pending) < 0)
                pending = -1;
        printf("pty-run: pending input %d\n", pending);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
