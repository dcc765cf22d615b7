// SPDX-License-Identifier: GPL-2.0
/*
 * acsi-client - a minimal client of the acs_inspect module for the VM test
 * bed, independent of acsexplain, so the module's netlink interface is
 * checked even before (or without) the tool:
 *
 *   acsi-client listen [SECONDS]   print multicast events, one line each:
 *     ACSI-EVENT added|removed|bound DDDD:BB:DD.F VVVV:DDDD group=N|none gen=N
 *     after "ACSI-LISTENING" once subscribed (events can no longer be missed)
 *   acsi-client info               ACSI-INFO devices=N gen=N iommu=0|1 ...
 *   acsi-client get DDDD:BB:DD.F   ACSI-DEVICE DDDD:BB:DD.F VVVV:DDDD group=N|none ...
 *
 * Exit codes: 0 ok, 1 the module refused the request (the error is
 * printed), 2 usage, 3 family or group not found, 4 netlink error.
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
#include <linux/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

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

static int on_info(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[ACSI_A_MAX + 1];

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ACSI_A_MAX, NULL) < 0)
		return NL_SKIP;
	printf("ACSI-INFO devices=%d gen=%d iommu=%d kprobes=%d release=%s version=%s\n",
	       tb[ACSI_A_DEVICE_COUNT] ? (int)nla_get_u32(tb[ACSI_A_DEVICE_COUNT]) : -1,
	       tb[ACSI_A_GENERATION] ? (int)nla_get_u32(tb[ACSI_A_GENERATION]) : -1,
	       tb[ACSI_A_IOMMU_PRESENT] ? nla_get_u8(tb[ACSI_A_IOMMU_PRESENT]) : -1,
	       tb[ACSI_A_KPROBE_STATUS] ? nla_get_u8(tb[ACSI_A_KPROBE_STATUS]) : -1,
	       tb[ACSI_A_KERNEL_RELEASE] ? nla_get_string(tb[ACSI_A_KERNEL_RELEASE]) : "?",
	       tb[ACSI_A_MODULE_VERSION] ? nla_get_string(tb[ACSI_A_MODULE_VERSION]) : "?");
	return NL_OK;
}

static int on_device(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[ACSI_A_MAX + 1];
	unsigned int devfn;
	char group[16] = "none";

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ACSI_A_MAX, NULL) < 0 ||
	    !tb[ACSI_A_DOMAIN] || !tb[ACSI_A_BUS] || !tb[ACSI_A_DEVFN])
		return NL_SKIP;
	if (tb[ACSI_A_IOMMU_GROUP])
		snprintf(group, sizeof(group), "%u",
			 nla_get_u32(tb[ACSI_A_IOMMU_GROUP]));
	devfn = nla_get_u8(tb[ACSI_A_DEVFN]);
	printf("ACSI-DEVICE %04x:%02x:%02x.%u %04x:%04x group=%s acs_pos=0x%x eff_isolated=%d\n",
	       nla_get_u32(tb[ACSI_A_DOMAIN]), nla_get_u8(tb[ACSI_A_BUS]),
	       devfn >> 3, devfn & 7,
	       tb[ACSI_A_VENDOR] ? nla_get_u16(tb[ACSI_A_VENDOR]) : 0xffff,
	       tb[ACSI_A_DEVICE] ? nla_get_u16(tb[ACSI_A_DEVICE]) : 0xffff,
	       group,
	       tb[ACSI_A_ACS_POS] ? nla_get_u16(tb[ACSI_A_ACS_POS]) : 0,
	       tb[ACSI_A_EFF_ISOLATED] ? nla_get_u8(tb[ACSI_A_EFF_ISOLATED]) : -1);
	return NL_OK;
}

/* The module's error, with its extended-ack message when there is one. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	int *result = arg;

	(void)nla;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		size_t off = sizeof(*e);

		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		nla_parse(tb, NLMSGERR_ATTR_MAX,
			  (struct nlattr *)((char *)e + off),
			  nlh->nlmsg_len - NLMSG_HDRLEN - off, NULL);
	}
	fprintf(stderr, "acsi-client: %s%s%s\n", strerror(-e->error),
		tb[NLMSGERR_ATTR_MSG] ? ": " : "",
		tb[NLMSGERR_ATTR_MSG] ? nla_get_string(tb[NLMSGERR_ATTR_MSG]) : "");
	*result = e->error;
	return NL_STOP;
}

/* One request; the reply goes to CB.  0, or 1 if the module refused. */
static int request(struct nl_sock *sk, int family, int cmd, const char *addr,
		   nl_recvmsg_msg_cb_t cb)
{
	unsigned int dom, bus, dev, fn;
	struct nl_msg *msg = nlmsg_alloc();
	int result = 0, err;
	char c;

	if (!msg)
		return 4;
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, cmd,
		    ACSI_GENL_VERSION);
	if (addr) {
		if (sscanf(addr, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &c) != 4 ||
		    bus > 0xff || dev > 0x1f || fn > 7) {
			fprintf(stderr, "acsi-client: bad address '%s' (DDDD:BB:DD.F)\n",
				addr);
			nlmsg_free(msg);
			return 2;
		}
		nla_put_u32(msg, ACSI_A_DOMAIN, dom);
		nla_put_u8(msg, ACSI_A_BUS, bus);
		nla_put_u8(msg, ACSI_A_DEVFN, dev << 3 | fn);
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, cb, NULL);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, on_error, &result);
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		fprintf(stderr, "acsi-client: send: %s\n", nl_geterror(err));
		return 4;
	}
	err = nl_recvmsgs_default(sk);
	if (result)
		return 1;
	if (err < 0) {
		fprintf(stderr, "acsi-client: %s\n", nl_geterror(err));
		return 4;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: acsi-client listen [SECONDS] | info | get DDDD:BB:DD.F\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct nl_sock *sk;
	long seconds = -1;
	time_t end = 0;
	int family, grp, err, one = 1;
	char *endp;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "listen")) {
		if (argc > 3 || (argc == 3 && (seconds = strtol(argv[2], &endp, 10),
					       *endp || seconds <= 0)))
			return usage();
	} else if (!strcmp(argv[1], "info")) {
		if (argc != 2)
			return usage();
	} else if (!strcmp(argv[1], "get")) {
		if (argc != 3)
			return usage();
	} else {
		return usage();
	}
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "acsi-client: cannot open a generic netlink socket\n");
		return 4;
	}
	family = genl_ctrl_resolve(sk, ACSI_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "acsi-client: %s: %s\n", ACSI_GENL_NAME,
			nl_geterror(family));
		return 3;
	}
	if (strcmp(argv[1], "listen")) {
		/* Ask for extended acks so refusals come with their reason. */
		setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
			   &one, sizeof(one));
		err = !strcmp(argv[1], "info") ?
			request(sk, family, ACSI_CMD_GET_INFO, NULL, on_info) :
			request(sk, family, ACSI_CMD_GET_DEVICE, argv[2], on_device);
		nl_socket_free(sk);
		return err;
	}
	grp = genl_ctrl_resolve_grp(sk, ACSI_GENL_NAME, ACSI_MCGRP_EVENTS);
	if (grp < 0) {
		fprintf(stderr, "acsi-client: %s/%s: %s\n", ACSI_GENL_NAME,
			ACSI_MCGRP_EVENTS, nl_geterror(grp));
		return 3;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, NULL);
	err = nl_socket_add_membership(sk, grp);
	if (err) {
		fprintf(stderr, "acsi-client: join group: %s\n", nl_geterror(err));
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
			perror("acsi-client: poll");
			return 4;
		}
		if (r > 0) {
			err = nl_recvmsgs_default(sk);
			if (err < 0 && err != -NLE_AGAIN) {
				fprintf(stderr, "acsi-client: %s\n", nl_geterror(err));
				return 4;
			}
		}
		if (end && time(NULL) >= end)
			break;
	}
	nl_socket_free(sk);
	return 0;
}
