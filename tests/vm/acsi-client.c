// SPDX-License-Identifier: GPL-2.0
/*
 * acsi-events - print the acs_inspect module's multicast events, one line
 * each, for the VM test bed (the guest checks that hot-plugged devices and
 * new SR-IOV VFs are announced):
 *
 *   ACSI-EVENT added|removed|bound DDDD:BB:DD.F VVVV:DDDD group=N|none gen=N
 *
 * usage: acsi-events [SECONDS]   (exit after SECONDS, default: run forever)
 * Prints "ACSI-LISTENING" once subscribed, so the caller knows when events
 * can no longer be missed.
 * Exit codes: 0 ok, 2 usage, 3 family or group not found, 4 netlink error.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/acs_inspect.h>

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[ACSI_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	const char *what;
	unsigned int devfn;
	char group[16] = "none";

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ACSI_A_MAX, NULL) < 0)
		return NL_SKIP;
	switch (gh->cmd) {
	case ACSI_CMD_DEVICE_ADDED:
		what = "added";
		break;
	case ACSI_CMD_DEVICE_REMOVED:
		what = "removed";
		break;
	case ACSI_CMD_DEVICE_BOUND:
		what = "bound";
		break;
	default:
		return NL_SKIP;
	}
	if (!tb[ACSI_A_DOMAIN] || !tb[ACSI_A_BUS] || !tb[ACSI_A_DEVFN]) {
		printf("ACSI-EVENT %s without address\n", what);
		fflush(stdout);
		return NL_OK;
	}
	if (tb[ACSI_A_IOMMU_GROUP])
		snprintf(group, sizeof(group), "%u",
			 nla_get_u32(tb[ACSI_A_IOMMU_GROUP]));
	devfn = nla_get_u8(tb[ACSI_A_DEVFN]);
	printf("ACSI-EVENT %s %04x:%02x:%02x.%u %04x:%04x group=%s gen=%u\n",
	       what, nla_get_u32(tb[ACSI_A_DOMAIN]), nla_get_u8(tb[ACSI_A_BUS]),
	       devfn >> 3, devfn & 7,
	       tb[ACSI_A_VENDOR] ? nla_get_u16(tb[ACSI_A_VENDOR]) : 0xffff,
	       tb[ACSI_A_DEVICE] ? nla_get_u16(tb[ACSI_A_DEVICE]) : 0xffff,
	       group,
	       tb[ACSI_A_GENERATION] ? nla_get_u32(tb[ACSI_A_GENERATION]) : 0);
	fflush(stdout);
	return NL_OK;
}

int main(int argc, char **argv)
{
	struct nl_sock *sk;
	long seconds = -1;
	time_t end = 0;
	int grp, err;
	char *endp;

	if (argc > 2 || (argc == 2 && (seconds = strtol(argv[1], &endp, 10),
				       *endp || seconds <= 0))) {
		fprintf(stderr, "usage: acsi-events [SECONDS]\n");
		return 2;
	}
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "acsi-events: cannot open a generic netlink socket\n");
		return 4;
	}
	grp = genl_ctrl_resolve_grp(sk, ACSI_GENL_NAME, ACSI_MCGRP_EVENTS);
	if (grp < 0) {
		fprintf(stderr, "acsi-events: %s/%s: %s\n", ACSI_GENL_NAME,
			ACSI_MCGRP_EVENTS, nl_geterror(grp));
		return 3;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, NULL);
	err = nl_socket_add_membership(sk, grp);
	if (err) {
		fprintf(stderr, "acsi-events: join group: %s\n", nl_geterror(err));
		return 4;
	}
	printf("ACSI-LISTENING\n");
	fflush(stdout);
	if (seconds > 0)
		end = time(NULL) + seconds;
	for (;;) {
		struct pollfd p = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
		int r = poll(&p, 1, 500);

		if (r < 0 && errno != EINTR) {
			perror("acsi-events: poll");
			return 4;
		}
		if (r > 0) {
			err = nl_recvmsgs_default(sk);
			if (err < 0 && err != -NLE_AGAIN) {
				fprintf(stderr, "acsi-events: %s\n", nl_geterror(err));
				return 4;
			}
		}
		if (end && time(NULL) >= end)
			break;
	}
	nl_socket_free(sk);
	return 0;
}
