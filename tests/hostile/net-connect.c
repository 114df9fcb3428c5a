/* SPDX-License-Identifier: MIT */
/* Attack: reach a service of the host. `net-connect tcp PORT`, `udp PORT` (127.0.0.1),
 * `unix PATH` or `abstract NAME` connects and sends "hostile\n". Prints "connected" and
 * "sent" when it got through (the driver's server counts what arrived), else the errno. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char **argv)
{
        struct sockaddr_storage ss;
        socklen_t len;
        int type = SOCK_STREAM, fd;

        if (argc != 3) {
                fprintf(stderr, "usage: net-connect tcp|udp PORT | unix PATH | abstract NAME\n");
                return 2;
        }
        memset(&ss, 0, sizeof(ss));
        if (!strcmp(argv[1], "tcp") || !strcmp(argv[1], "udp")) {
                struct sockaddr_in *in = (struct sockaddr_in *)&ss;
                in->sin_family = AF_INET;
                in->sin_port = htons((uint16_t)atoi(argv[2]));
                in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                len = sizeof(*in);
                type = argv[1][0] == 'u' ? SOCK_DGRAM : SOCK_STREAM;
        } else {
                struct sockaddr_un *un = (struct sockaddr_un *)&ss;
                size_t n = strlen(argv[2]);
                int abstract = !strcmp(argv[1], "abstract");
                if (n + 1 >= sizeof(un->sun_path))
                        return 2;
                un->sun_family = AF_UNIX;
                memcpy(un->sun_path + abstract, argv[2], n);
                len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + abstract + n);
        }
        fd = socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
        if (fd < 0) {
                blocked("socket: %s", attack_errname(errno));
                return 0;
        }
        if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
                blocked("connect %s %s: %s", argv[1], argv[2], attack_errname(errno));
                return 0;
        }
        printf("connected\n");
        for (int i = 0; i < 3; i++) /* UDP: a few, the host counts any that arrive */
                if (send(fd, "hostile\n", 8, MSG_NOSIGNAL) == 8)
                        printf("sent\n");
        fflush(stdout);
        usleep(100000);
        close(fd);
        return 0;
}
