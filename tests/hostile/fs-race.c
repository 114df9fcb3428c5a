/* SPDX-License-Identifier: MIT */
/* Attack: a symlink swapped in between check and use. `fs-race HOSTFILE RWDIR` swaps
 * RWDIR/x between a plain file and a symlink to HOSTFILE from a second thread, while the main
 * thread checks that RWDIR/x is no symlink (lstat) and then opens it for writing and appends,
 * 20000 times. Whatever wins the race, the write must never reach HOSTFILE. */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attack.h"

static char path[PATH_MAX], tmp_link[PATH_MAX], tmp_file[PATH_MAX];
static const char *target;
static atomic_int stop;

static void *swapper(void *arg)
{
        (void)arg;
        while (!atomic_load(&stop)) {
                (void)unlink(tmp_link);
                if (symlink(target, tmp_link) == 0)
                        (void)rename(tmp_link, path);
                int fd = open(tmp_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                if (fd >= 0)
                        close(fd);
                (void)rename(tmp_file, path);
        }
        return NULL;
}

int main(int argc, char **argv)
{
        int through_link = 0, refused = 0, plain = 0, first_err = 0;
        pthread_t t;

        if (argc != 3) {
                fprintf(stderr, "usage: fs-race HOSTFILE RWDIR\n");
                return 2;
        }
        target = argv[1];
        snprintf(path, sizeof(path), "%s/x", argv[2]);
        snprintf(tmp_link, sizeof(tmp_link), "%s/x.link", argv[2]);
        snprintf(tmp_file, sizeof(tmp_file), "%s/x.file", argv[2]);
        if (pthread_create(&t, NULL, swapper, NULL) != 0) {
                blocked("no second thread: the race cannot run");
                return 0;
        }
        for (int i = 0; i < 20000; i++) {
                struct stat st;
                if (lstat(path, &st) < 0 || S_ISLNK(st.st_mode))
                        continue; /* the check: only plain files */
                int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
                if (fd < 0) {
                        refused++;
                        first_err = first_err ? first_err : errno;
                        continue;
                }
                char proc[64], real[PATH_MAX];
                snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
                ssize_t n = readlink(proc, real, sizeof(real) - 1);
                real[n > 0 ? n : 0] = 0;
                if (write(fd, "pwned\n", 6) == 6) {
                        if (!strcmp(real, target))
                                through_link++;
                        else
                                plain++;
                }
                close(fd);
        }
        atomic_store(&stop, 1);
        pthread_join(t, NULL);
        if (through_link)
                escaped("%d writes reached %s through the swapped link", through_link, target);
        else
                blocked("no write reached %s (%d to the plain file, %d refused, first %s)", target,
                        plain, refused, first_err ? attack_errname(first_err) : "none");
        return 0;
}
