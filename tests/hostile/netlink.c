/* SPDX-License-Identifier: MIT */
/* Attack: ask the kernel over netlink (NETLINK_ROUTE, RTM_GETLINK) for the network interfaces;
 * prints "links: NAME..." for what it saw. Anything but the sandbox's own lo is the host's. */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "attack.h"

int main(void)
{
        struct {
                struct nlmsghdr h;
                struct ifinfomsg i;
        } req;
        static char buf[1 << 16];
        char names[1024] = "";
        int fd, done = 0, host = 0;

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
                blocked("socket(AF_NETLINK): %s", attack_errname(errno));
                return 0;
        }
        memset(&req, 0, sizeof(req));
        req.h.nlmsg_len = sizeof(req);
        req.h.nlmsg_type = RTM_GETLINK;
        req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
        req.i.ifi_family = AF_UNSPEC;
        if (send(fd, &req, sizeof(req), 0) < 0) {
                blocked("send: %s", attack_errname(errno));
                return 0;
        }
        while (!done) {
                ssize_t n = recv(fd, buf, sizeof(buf), 0);
                if (n <= 0)
                        break;
                for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, (size_t)n);
                     h = NLMSG_NEXT(h, n)) {
                        if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
                                done = 1;
                                break;
                        }
                        struct ifinfomsg *ifi = NLMSG_DATA(h);
                        int l = (int)IFLA_PAYLOAD(h);
                        for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, l); a = RTA_NEXT(a, l))
                                if (a->rta_type == IFLA_IFNAME) {
                                        const char *nm = RTA_DATA(a);
                                        host |= strcmp(nm, "lo") != 0;
                                        if (strlen(names) + strlen(nm) + 2 < sizeof(names)) {
                                                strcat(names, " ");
                                                strcat(names, nm);
                                        }
                                }
                }
        }
        printf("links:%s\n", names);
        if (host)
                escaped("netlink shows host interfaces:%s", names);
        else
                blocked("netlink shows only the sandbox's own interfaces:%s", names);
        return 0;
}
