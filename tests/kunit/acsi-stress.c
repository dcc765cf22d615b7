// SPDX-License-Identifier: GPL-2.0
/*
 * acsi-stress - bad input and teardown checks for the acs_inspect module,
 * run inside the KUnit kernel's VM (tests/kunit/run.sh), where kmemleak,
 * lockdep and KASAN watch the module while this hits it.
 *
 *   acsi-stress           run every check
 *
 * One line per check on stdout: "ACSX-CHECK <name> PASS|FAIL <detail>".
 * Exit codes: 0 all checks passed, 1 some check failed, 2 usage,
 * 3 the acs_inspect family is not registered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/pci_regs.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "acsi-nl.h"

#define MAX_DEVS 1024

/* Printed before each step: a hang in the module shows where it is. */
static void step(const char *what)
{
	printf("ACSX-STEP %s\n", what);
	fflush(stdout);
}

/* What the last request got back: errno of the ack and extack message. */
struct reply {
	int error;
	char extack[256];
	int msgs;		/* data messages received */
	int intr;		/* messages flagged NLM_F_DUMP_INTR */
	int done;		/* NLMSG_DONE seen */
	unsigned int device_count;
	unsigned int hop_count;
	int kprobe_status, kprobe_path;	/* GET_INFO */
	/* Per dumped device, in dump order. */
	uint64_t addr[MAX_DEVS];	/* packed addresses */
	int is_bridge[MAX_DEVS];
	int secondary[MAX_DEVS];	/* bridges: secondary bus, else -1 */
	int pcie_type[MAX_DEVS];	/* -1: not PCIe */
	int has_sriov[MAX_DEVS];
	int is_virtfn[MAX_DEVS];
	uint64_t pf[MAX_DEVS];
	int regs[MAX_DEVS];		/* registers verdict, -1 absent */
	int eff[MAX_DEVS];		/* effective verdict, -1 absent */
	int eff_origin[MAX_DEVS];
	int quirk[MAX_DEVS];		/* INT_MIN: absent */
};

/* 0/1 of a u8 attribute, @none when absent. */
static int get_u8_or(struct nlattr **tb, int a, int none)
{
	return tb[a] ? nla_get_u8(tb[a]) : none;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct reply *)arg)->error = 0;
	return NL_STOP;
}

/* Extended-ack TLVs at @off into an ack or NLMSG_DONE payload. */
static void read_extack(struct nlmsghdr *nlh, int off, struct reply *r)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - off;

	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len > 0 &&
	    nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + off), len,
		      NULL) == 0 && tb[NLMSGERR_ATTR_MSG])
		snprintf(r->extack, sizeof(r->extack), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct reply *r = arg;
	int off = sizeof(*err);

	(void)nla;
	r->error = -err->error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	read_extack(nlh, off, r);
	return NL_STOP;
}

/* A dump that fails after it started reports its errno in NLMSG_DONE. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct reply *r = arg;
	int err;

	r->done = 1;
	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0) {
			r->error = -err;
			read_extack(nlh, sizeof(int), r);
		}
	}
	return NL_STOP;
}

static int on_intr(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct reply *)arg)->intr++;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[ACSI_A_MAX + 1];
	struct reply *r = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ACSI_A_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[ACSI_A_DEVICE_COUNT])
		r->device_count = nla_get_u32(tb[ACSI_A_DEVICE_COUNT]);
	if (tb[ACSI_A_HOP_COUNT])
		r->hop_count = nla_get_u32(tb[ACSI_A_HOP_COUNT]);
	if (tb[ACSI_A_KPROBE_STATUS])
		r->kprobe_status = nla_get_u8(tb[ACSI_A_KPROBE_STATUS]);
	if (tb[ACSI_A_KPROBE_PATH])
		r->kprobe_path = nla_get_u8(tb[ACSI_A_KPROBE_PATH]);
	if (r->msgs < MAX_DEVS && tb[ACSI_A_DOMAIN] && tb[ACSI_A_BUS] &&
	    tb[ACSI_A_DEVFN]) {
		int i = r->msgs;

		r->addr[i] = ACSI_ADDR_PACK(nla_get_u32(tb[ACSI_A_DOMAIN]),
					    nla_get_u8(tb[ACSI_A_BUS]),
					    nla_get_u8(tb[ACSI_A_DEVFN]));
		r->is_bridge[i] = get_u8_or(tb, ACSI_A_IS_BRIDGE, 0);
		r->secondary[i] = get_u8_or(tb, ACSI_A_SECONDARY, -1);
		r->pcie_type[i] = get_u8_or(tb, ACSI_A_PCIE_TYPE, -1);
		r->has_sriov[i] = get_u8_or(tb, ACSI_A_HAS_SRIOV, 0);
		r->is_virtfn[i] = get_u8_or(tb, ACSI_A_IS_VIRTFN, 0);
		r->pf[i] = tb[ACSI_A_PF_ADDR] ?
			   nla_get_u64(tb[ACSI_A_PF_ADDR]) : 0;
		r->regs[i] = get_u8_or(tb, ACSI_A_REGS_ISOLATED, -1);
		r->eff[i] = get_u8_or(tb, ACSI_A_EFF_ISOLATED, -1);
		r->eff_origin[i] = get_u8_or(tb, ACSI_A_EFF_ORIGIN, -1);
		r->quirk[i] = tb[ACSI_A_QUIRK_RESULT] ?
			      (int)nla_get_u32(tb[ACSI_A_QUIRK_RESULT]) :
			      INT_MIN;
	}
	r->msgs++;
	return NL_OK;
}

/* Route the socket's callbacks to @r: each request collects its own. */
static void bind_reply(struct nl_sock *sk, struct reply *r)
{
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid, r);
	nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, on_ack, r);
	nl_socket_modify_cb(sk, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, r);
	nl_socket_modify_cb(sk, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_intr, r);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, on_error, r);
}

static struct nl_sock *open_sock(struct reply *r)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1;

	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "acsi-stress: cannot open a generic netlink socket\n");
		exit(4);
	}
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	bind_reply(sk, r);
	return sk;
}

static struct nl_msg *new_msg(int cmd, int flags, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 flags | NLM_F_ACK, cmd, ACSI_GENL_VERSION)) {
		fprintf(stderr, "acsi-stress: out of memory\n");
		exit(4);
	}
	return msg;
}

static void put_addr(struct nl_msg *msg, uint64_t a)
{
	nla_put_u32(msg, ACSI_A_DOMAIN, ACSI_ADDR_DOMAIN(a));
	nla_put_u8(msg, ACSI_A_BUS, ACSI_ADDR_BUS(a));
	nla_put_u8(msg, ACSI_A_DEVFN, ACSI_ADDR_DEVFN(a));
}

/* Send, read the whole answer; r->error is the ack's errno (0: success). */
static void transact(struct nl_sock *sk, struct nl_msg *msg, struct reply *r)
{
	int ret;

	memset(r, 0, sizeof(*r));
	r->error = -1;
	bind_reply(sk, r);
	ret = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		r->error = EIO;
		snprintf(r->extack, sizeof(r->extack), "send: %s",
			 nl_geterror(ret));
		return;
	}
	while (r->error == -1 && !r->done) {
		ret = nl_recvmsgs_default(sk);
		if (ret < 0 && r->error == -1) {
			r->error = EIO;
			snprintf(r->extack, sizeof(r->extack), "recv: %s",
				 nl_geterror(ret));
		}
	}
	if (r->done && r->error == -1)
		r->error = 0;
}

static int expect_error(const char *name, struct nl_sock *sk,
			struct nl_msg *msg, int want)
{
	struct reply *r = calloc(1, sizeof(*r));
	int ok;

	transact(sk, msg, r);
	ok = r->error == want && r->extack[0];
	check(name, ok, "errno %d (want %d), extack \"%s\"", r->error, want,
	      r->extack);
	free(r);
	return ok;
}

static void check_bad_requests(struct nl_sock *sk)
{
	struct nl_msg *msg;
	char *big;

	msg = new_msg(ACSI_CMD_GET_DEVICE, 0, 0);
	put_addr(msg, ACSI_ADDR_PACK(0xffff, 0xff, 0xff));
	expect_error("unknown-address", sk, msg, ENODEV);

	msg = new_msg(ACSI_CMD_GET_DEVICE, 0, 0);
	nla_put_u32(msg, ACSI_A_DOMAIN, 0);
	nla_put_u8(msg, ACSI_A_BUS, 0);
	expect_error("missing-attribute", sk, msg, EINVAL);

	msg = new_msg(ACSI_CMD_GET_DEVICE, 0, 0);
	nla_put_u32(msg, ACSI_A_DOMAIN, 0);
	nla_put_u32(msg, ACSI_A_BUS, 0);
	nla_put_u8(msg, ACSI_A_DEVFN, 0);
	expect_error("wrong-length", sk, msg, EINVAL);

	msg = new_msg(ACSI_CMD_GET_DEVICE, 0, 0);
	put_addr(msg, 0);
	nla_put_u32(msg, ACSI_A_MAX + 1, 0);
	expect_error("unknown-attribute", sk, msg, EINVAL);

	/* Domains are 32 bits (VMD): a free one is unknown, not invalid. */
	msg = new_msg(ACSI_CMD_GET_DEVICE, 0, 0);
	put_addr(msg, ACSI_ADDR_PACK(0x10000, 0, 0));
	expect_error("domain-above-ffff-unknown", sk, msg, ENODEV);

	msg = new_msg(ACSI_CMD_GET_DEVICE, NLM_F_DUMP, 0);
	put_addr(msg, 0);
	expect_error("dump-with-attributes", sk, msg, EINVAL);

	/* 60 KiB of an attribute no request takes. */
	big = calloc(1, 60 * 1024);
	msg = new_msg(ACSI_CMD_GET_DEVICE, 0, 64 * 1024);
	put_addr(msg, 0);
	nla_put(msg, ACSI_A_DMA_ALIAS_MASK, 60 * 1024, big);
	free(big);
	expect_error("huge-message", sk, msg, EINVAL);
}

/* Raw bytes: the message the library would never build. */
static void check_truncated(struct nl_sock *sk)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	struct nlattr *last;
	int ret;

	bind_reply(sk, r);
	/* The last attribute claims 8 bytes more than the message has. */
	msg = new_msg(ACSI_CMD_GET_DEVICE, 0, 0);
	put_addr(msg, 0);
	nl_complete_msg(sk, msg);
	nlh = nlmsg_hdr(msg);
	last = (struct nlattr *)((char *)nlh + nlh->nlmsg_len - NLA_ALIGN(NLA_HDRLEN + 1));
	last->nla_len += 8;
	ret = nl_sendto(sk, nlh, nlh->nlmsg_len);
	r->error = -1;
	while (ret >= 0 && r->error == -1)
		ret = nl_recvmsgs_default(sk);
	check("truncated-attribute", r->error == EINVAL || r->error == ERANGE,
	      "errno %d, extack \"%s\"", r->error, r->extack);
	nlmsg_free(msg);

	/* A header shorter than the generic netlink header. */
	memset(r, 0, sizeof(*r));
	msg = new_msg(ACSI_CMD_GET_INFO, 0, 0);
	nl_complete_msg(sk, msg);
	nlh = nlmsg_hdr(msg);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	ret = nl_sendto(sk, nlh, nlh->nlmsg_len);
	r->error = -1;
	while (ret >= 0 && r->error == -1)
		ret = nl_recvmsgs_default(sk);
	check("truncated-header", r->error == EINVAL, "errno %d", r->error);
	nlmsg_free(msg);
	free(r);
}

static unsigned int get_info(struct nl_sock *sk)
{
	struct reply *r = calloc(1, sizeof(*r));
	unsigned int n;

	transact(sk, new_msg(ACSI_CMD_GET_INFO, 0, 0), r);
	n = r->device_count;
	check("info", r->error == 0 && n > 0, "errno %d, %u devices",
	      r->error, n);
	free(r);
	return n;
}

static void dump(struct nl_sock *sk, struct reply *r)
{
	transact(sk, new_msg(ACSI_CMD_GET_DEVICE, NLM_F_DUMP, 0), r);
}

static void check_paths(struct nl_sock *sk, const struct reply *all)
{
	struct reply *r = calloc(1, sizeof(*r));
	int i, bad = 0;

	for (i = 0; i < all->msgs && i < MAX_DEVS; i++) {
		struct nl_msg *msg = new_msg(ACSI_CMD_GET_PATH, 0, 0);

		put_addr(msg, all->addr[i]);
		transact(sk, msg, r);
		if (r->error || r->hop_count < 1 || r->msgs != 1)
			bad++;
	}
	check("path-every-device", !bad, "%d of %d paths failed", bad,
	      all->msgs);
	free(r);
}

/*
 * Read one datagram of a dump without libnl's multipart loop (which would
 * read the dump to its end): the kernel has then sent one or two chunks
 * and holds the rest.  Counts its messages into @r.
 */
static void recv_one_chunk(struct nl_sock *sk, struct reply *r)
{
	struct sockaddr_nl peer;
	unsigned char *buf = NULL;
	struct nlmsghdr *nlh;
	int len;

	len = nl_recv(sk, &peer, &buf, NULL);
	for (nlh = (struct nlmsghdr *)buf; len > 0 && nlmsg_ok(nlh, len);
	     nlh = nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			r->intr++;
		if (nlh->nlmsg_type == NLMSG_DONE)
			r->done = 1;
		else if (nlh->nlmsg_type == family)
			r->msgs++;
	}
	free(buf);
}

/*
 * Read the first chunk of a dump, remove @victim, read the rest: the
 * module must flag the dump interrupted, finish it, and not touch the
 * removed device (KASAN watches).
 */
static void check_removed_mid_dump(uint64_t victim, int ndev)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct nl_sock *sk = open_sock(r);
	struct nl_msg *msg;
	char path[128];
	int ret, first;

	/* Small reads keep the dump in several chunks. */
	nl_socket_disable_msg_peek(sk);
	nl_socket_set_msg_buf_size(sk, 4096);
	msg = new_msg(ACSI_CMD_GET_DEVICE, NLM_F_DUMP, 0);
	ret = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	r->error = -1;
	if (ret >= 0)
		recv_one_chunk(sk, r);
	first = r->msgs;
	dev_path(path, sizeof(path), victim, "remove");
	if (sysfs_write(path, "1")) {
		check("removed-mid-dump", 0, "cannot write %s", path);
		goto out;
	}
	while (ret >= 0 && !r->done && r->error == -1)
		ret = nl_recvmsgs_default(sk);
	check("removed-mid-dump", r->done && r->intr > 0 && first < ndev,
	      "first chunk %d of %d devices, then %d more, %d flagged interrupted, done %d",
	      first, ndev, r->msgs - first, r->intr, r->done);
	sysfs_write("/sys/bus/pci/rescan", "1");
out:
	nl_socket_free(sk);
	free(r);
}

/* Four dumpers while a fifth process removes and rescans a device. */
static void check_concurrent(uint64_t victim, int ndev)
{
	pid_t pids[5];
	int i, j, status, bad = 0;

	for (i = 0; i < 5; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			bad++;
			continue;
		}
		if (pids[i])
			continue;
		if (i == 4) {
			char path[128];

			dev_path(path, sizeof(path), victim, "remove");
			for (j = 0; j < 5; j++) {
				sysfs_write(path, "1");
				sysfs_write("/sys/bus/pci/rescan", "1");
			}
			_exit(0);
		}
		for (j = 0; j < 10; j++) {
			struct reply *r = calloc(1, sizeof(*r));
			struct nl_sock *sk = open_sock(r);

			dump(sk, r);
			/* The victim may be gone in one dump, never more. */
			if (r->error || !r->done || r->msgs < ndev - 1)
				_exit(1);
			nl_socket_free(sk);
			free(r);
		}
		_exit(0);
	}
	for (i = 0; i < 5; i++)
		if (pids[i] > 0 &&
		    (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		     WEXITSTATUS(status)))
			bad++;
	check("concurrent-dumps-with-hotplug", !bad,
	      "%d of 5 processes failed", bad);
}

enum caller { NOBODY, NET_ADMIN_ONLY, OTHER_USERNS, SYS_ADMIN_ONLY };

static const char *const caller_name[] = {
	[NOBODY] = "unprivileged-refused",
	[NET_ADMIN_ONLY] = "net-admin-only-refused",
	[OTHER_USERNS] = "other-userns-refused",
	[SYS_ADMIN_ONLY] = "sys-admin-only-allowed",
};

/* Keep exactly one capability (uid stays 0): capset, no libcap. */
static int keep_only_cap(int cap)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = { { 0 } };

	d[cap / 32].effective = 1U << (cap % 32);
	d[cap / 32].permitted = 1U << (cap % 32);
	return (int)syscall(SYS_capset, &h, d);
}

/*
 * In a child that became @who: GET_INFO, GET_DEVICE of @addr, a dump and
 * joining the events group.  Exit status: bit n set when step n did not go
 * as it should (refused for all but SYS_ADMIN_ONLY, allowed for it).
 */
static int try_as(enum caller who, uint64_t addr, int grp)
{
	int allowed = who == SYS_ADMIN_ONLY, bad = 0, ret;
	struct reply *r = calloc(1, sizeof(*r));
	struct nl_sock *sk;
	struct nl_msg *msg;

	switch (who) {
	case NOBODY:
		if (setgid(65534) || setuid(65534))
			return 0x10;
		break;
	case NET_ADMIN_ONLY:
		if (keep_only_cap(CAP_NET_ADMIN))
			return 0x10;
		break;
	case SYS_ADMIN_ONLY:
		if (keep_only_cap(CAP_SYS_ADMIN))
			return 0x10;
		break;
	case OTHER_USERNS:
		/* Every capability, but in a user namespace of its own. */
		if (unshare(CLONE_NEWUSER))
			return 0x10;
		break;
	}
	sk = open_sock(r);
	transact(sk, new_msg(ACSI_CMD_GET_INFO, 0, 0), r);
	if (allowed ? r->error != 0 : r->error != EPERM)
		bad |= 1;
	msg = new_msg(ACSI_CMD_GET_DEVICE, 0, 0);
	put_addr(msg, addr);
	transact(sk, msg, r);
	if (allowed ? r->error != 0 : r->error != EPERM)
		bad |= 2;
	dump(sk, r);
	if (allowed ? r->error != 0 || !r->done : r->error != EPERM)
		bad |= 4;
	ret = nl_socket_add_membership(sk, grp);
	if (allowed ? ret != 0 : ret == 0)
		bad |= 8;
	return bad;
}

/*
 * CAP_SYS_ADMIN in the initial user namespace, nothing less: not an
 * unprivileged user, not CAP_NET_ADMIN alone (a --net=host container),
 * not every capability of another user namespace; the events group alike.
 */
static void check_permissions(struct nl_sock *sk, uint64_t addr)
{
	int grp = genl_ctrl_resolve_grp(sk, ACSI_GENL_NAME, ACSI_MCGRP_EVENTS);
	enum caller who;

	for (who = NOBODY; who <= SYS_ADMIN_ONLY; who++) {
		pid_t pid = fork();
		int status = -1;

		if (pid == 0)
			_exit(try_as(who, addr, grp));
		if (pid > 0 && waitpid(pid, &status, 0) != pid)
			status = -1;
		check(caller_name[who],
		      grp >= 0 && WIFEXITED(status) && !WEXITSTATUS(status),
		      "group %d; wrong answer to (1 info, 2 get, 4 dump, 8 join, 16 setup): %d",
		      grp, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
}

/* Bring a removed PF back with @nvfs VFs (pci-pf-stub rebinds it). */
static int restore_pf(uint64_t pf, int nvfs)
{
	char n[16];

	snprintf(n, sizeof(n), "%d", nvfs);
	sysfs_write("/sys/bus/pci/rescan", "1");
	pci_write(pf, "sriov_drivers_autoprobe", "0");
	pci_write(pf, "sriov_numvfs", "0");
	return pci_write(pf, "sriov_numvfs", n);
}

#define PAUSED_READERS 100

/*
 * A dump paused after exactly one chunk of @bufsize bytes: the socket's
 * largest read so far sets the size of the chunks the kernel builds
 * (max_recvmsg_len), so a GET_INFO reply is read first with that size;
 * then the receive buffer is made minimal, so that peeking at the first
 * chunk does not make the kernel build a second one.  Returns the socket,
 * and in *@cursor the number of devices the chunk holds: the next device
 * is where version 1 held a reference.
 */
static int start_paused_dump(int bufsize, int *cursor)
{
	static unsigned char buf[65536];
	struct raw_dump d = { 0 };
	struct nlmsghdr *nlh;
	int zero = 0, n;

	/* No extended acks here: the chunk arithmetic above is for plain replies. */
	d.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (d.fd < 0)
		return -1;
	if (acsi_send_cmd(d.fd, ACSI_CMD_GET_INFO, 0) ||
	    recv(d.fd, buf, bufsize, 0) <= 0 ||
	    setsockopt(d.fd, SOL_SOCKET, SO_RCVBUF, &zero, sizeof(zero)))
		goto err;
	if (acsi_send_cmd(d.fd, ACSI_CMD_GET_DEVICE, NLM_F_DUMP))
		goto err;
	n = recv(d.fd, buf, sizeof(buf), MSG_PEEK);
	if (n <= 0)
		goto err;
	*cursor = 0;
	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (unsigned int)n);
	     nlh = NLMSG_NEXT(nlh, n))
		if (nlh->nlmsg_type == family)
			(*cursor)++;
	return d.fd;
err:
	close(d.fd);
	return -1;
}

/*
 * Version 1 kept a counted pci_dev between dumpit calls.  Dumps are
 * paused with their next device on a VF (each after one chunk of another
 * size); then the VFs and their PF are removed and the readers resume.
 * The held VF's ->physfn then pointed to the freed PF (KASAN reports it).
 * Dumps paused on the PF itself are closed first: their reference would
 * keep the PF, and the bug, hidden.  Every dump must end without error,
 * flagged interrupted.
 */
static void check_paused_readers_pf_removed(struct nl_sock *sk, uint64_t pf,
					    int nvfs)
{
	static struct raw_dump d[PAUSED_READERS];
	struct reply *order = calloc(1, sizeof(*order));
	int i, n = 0, done = 0, intr = 0, errors = 0, ok;

	dump(sk, order);	/* the order of the walk right now */
	for (i = 0; i < PAUSED_READERS; i++) {
		int cursor = -1;
		int fd = start_paused_dump(4096 + 256 * i, &cursor);

		if (fd < 0)
			continue;
		if (cursor >= order->msgs || cursor >= MAX_DEVS ||
		    !order->is_virtfn[cursor] || order->pf[cursor] != pf) {
			close(fd);
			continue;
		}
		memset(&d[n], 0, sizeof(d[n]));
		d[n++].fd = fd;
	}
	free(order);
	if (!n) {
		check("paused-readers-pf-removed", 0,
		      "no dump could be paused on a VF");
		goto out;
	}
	/* The VFs go first (dropping their hold on the PF), then the PF. */
	if (pci_write(pf, "sriov_numvfs", "0") || pci_write(pf, "remove", "1")) {
		check("paused-readers-pf-removed", 0, "cannot remove the PF");
		goto out;
	}
	for (i = 0; i < n; i++) {
		while (!d[i].done && raw_read(&d[i], 65536) >= 0)
			;
		done += d[i].done;
		errors += d[i].error != 0;
		intr += d[i].intr > 0;
	}
	ok = done == n && !errors && intr == n;
	check("paused-readers-pf-removed", ok,
	      "%d dumps paused on a VF: %d ended, %d errors, %d flagged interrupted",
	      n, done, errors, intr);
out:
	for (i = 0; i < n; i++)
		close(d[i].fd);
	ok = !restore_pf(pf, nvfs);
	check("pf-restored", ok, "rescan and %d VFs again", nvfs);
}

/* One GET_DEVICE or GET_PATH; 0, or the errno the module answered. */
static int get_one(struct nl_sock *sk, struct reply *r, int cmd, uint64_t a)
{
	struct nl_msg *msg = new_msg(cmd, 0, 0);

	put_addr(msg, a);
	transact(sk, msg, r);
	return r->error;
}

/*
 * GET_DEVICE/GET_PATH in a loop on a bridge, a device below it and a VF,
 * while the bridge is removed and rescanned and the VFs and their PF come
 * and go: version 1 read ->subordinate and ->physfn with no lock against
 * removal.  Only ENODEV (device gone) may come back.
 */
static void check_get_vs_hotplug(uint64_t bridge, uint64_t child,
				 uint64_t pf, uint64_t vf, int nvfs)
{
	int stop[2], i, status, bad = 0;
	pid_t getter, remover;

	if (pipe(stop))
		return;
	getter = fork();
	if (getter == 0) {
		struct reply *r = calloc(1, sizeof(*r));
		struct nl_sock *sk = open_sock(r);
		const uint64_t addr[] = { bridge, child, vf, pf };
		char c;

		close(stop[1]);
		fcntl(stop[0], F_SETFL, O_NONBLOCK);
		for (i = 0; read(stop[0], &c, 1) < 0; i++) {
			int cmd = i & 1 ? ACSI_CMD_GET_PATH : ACSI_CMD_GET_DEVICE;
			int err = get_one(sk, r, cmd, addr[(i / 2) % 4]);

			if (err && err != ENODEV) {
				printf("ACSX-STEP get %d: errno %d %s\n", i,
				       err, r->extack);
				_exit(1);
			}
		}
		printf("ACSX-STEP %d GETs during hot-plug\n", i);
		_exit(0);
	}
	close(stop[0]);
	remover = fork();
	if (remover == 0) {
		for (i = 0; i < 10; i++) {
			pci_write(bridge, "remove", "1");
			sysfs_write("/sys/bus/pci/rescan", "1");
			if (pf) {
				pci_write(pf, "sriov_numvfs", "0");
				pci_write(pf, "remove", "1");
				restore_pf(pf, nvfs);
			}
		}
		_exit(0);
	}
	if (remover < 0 || waitpid(remover, &status, 0) != remover ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		bad++;
	close(stop[1]);		/* EOF: the getter stops */
	if (getter < 0 || waitpid(getter, &status, 0) != getter ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		bad++;
	check("get-vs-remove-rescan", !bad,
	      "bridge, child, VF and PF asked in a loop during 10 bridge and PF remove/rescan cycles; %d process(es) failed",
	      bad);
}

/*
 * With kprobes=1, every verdict a kretprobe saw must be what the kernel
 * decides: the quirk's answer if one decided, else the registers' (QEMU's
 * devices have no other quirk).  A bool read from all of %rax instead of
 * %al could turn "false" into "true".  And GET_INFO's kprobe-path must
 * match what was seen: bridges observed only if pci_acs_path_enabled()
 * calls the probed function.
 */
static void check_kprobe_verdicts(struct nl_sock *sk)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct reply *info = calloc(1, sizeof(*info));
	int i, seen = 0, wrong = 0, bridges = 0, falses = 0, ok;

	transact(sk, new_msg(ACSI_CMD_GET_INFO, 0, 0), info);
	dump(sk, r);
	for (i = 0; i < r->msgs && i < MAX_DEVS; i++) {
		int want;

		if (r->eff_origin[i] != ACSI_ORIGIN_KPROBE)
			continue;
		seen++;
		if (r->pcie_type[i] == PCI_EXP_TYPE_ROOT_PORT ||
		    r->pcie_type[i] == PCI_EXP_TYPE_DOWNSTREAM ||
		    r->pcie_type[i] == PCI_EXP_TYPE_UPSTREAM)
			bridges++;
		want = r->quirk[i] != INT_MIN && r->quirk[i] >= 0 ?
		       r->quirk[i] > 0 : r->regs[i];
		falses += !r->eff[i];
		if (want >= 0 && r->eff[i] != want) {
			wrong++;
			printf("ACSX-STEP kprobe verdict %d, registers %d, quirk %d: %04x:%02x:%02x.%x\n",
			       r->eff[i], r->regs[i], r->quirk[i],
			       ACSI_ADDR_DOMAIN(r->addr[i]),
			       ACSI_ADDR_BUS(r->addr[i]),
			       ACSI_ADDR_DEVFN(r->addr[i]) >> 3,
			       ACSI_ADDR_DEVFN(r->addr[i]) & 7);
		}
	}
	ok = info->kprobe_status == ACSI_KPROBE_ACTIVE && seen > 0 && !wrong;
	check("kprobe-verdicts", ok,
	      "status %d, %d devices observed (%d not isolated), %d disagree with registers/quirk",
	      info->kprobe_status, seen, falses, wrong);
	ok = (info->kprobe_path == ACSI_KPROBE_PATH_CALLED && bridges > 0) ||
	     (info->kprobe_path == ACSI_KPROBE_PATH_INLINED && bridges == 0);
	check("kprobe-path", ok, "kprobe-path %d (1 called, 2 inlined), %d bridges observed",
	      info->kprobe_path, bridges);
	free(r);
	free(info);
}

/*
 * rmmod while a dump is half read: genetlink holds the module for the
 * dump, so the unload is refused; once the socket is closed it succeeds.
 */
static void check_unload_mid_dump(void)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct nl_sock *sk = open_sock(r);
	struct nl_msg *msg;
	long busy, gone;
	int err;

	nl_socket_disable_msg_peek(sk);
	nl_socket_set_msg_buf_size(sk, 4096);
	msg = new_msg(ACSI_CMD_GET_DEVICE, NLM_F_DUMP, 0);
	nl_send_auto(sk, msg);
	nlmsg_free(msg);
	r->error = -1;
	recv_one_chunk(sk, r);
	busy = syscall(SYS_delete_module, "acs_inspect", O_NONBLOCK);
	err = errno;
	nl_socket_free(sk);
	gone = syscall(SYS_delete_module, "acs_inspect", O_NONBLOCK);
	check("unload-mid-dump", !r->done && busy < 0 && gone == 0,
	      "%d devices read, dump %s; unload during dump: %s; after close: %s",
	      r->msgs, r->done ? "done" : "open",
	      busy ? strerror(err) : "unloaded",
	      gone ? strerror(errno) : "unloaded");
	free(r);
}

int main(int argc, char **argv)
{
	struct reply *all = calloc(1, sizeof(*all));
	uint64_t victim = 0, bridge = 0, child = 0, pf = 0, vf = 0;
	struct nl_sock *sk;
	int i, ndev, nvfs = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: acsi-stress\n");
		return 2;
	}
	step("resolve family");
	sk = open_sock(all);
	family = genl_ctrl_resolve(sk, ACSI_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "acsi-stress: family %s not registered\n",
			ACSI_GENL_NAME);
		return 3;
	}

	step("info");
	ndev = get_info(sk);
	step("dump");
	dump(sk, all);
	check("dump", all->error == 0 && all->done && all->msgs == ndev &&
	      !all->intr, "%d messages for %d devices, %d interrupted",
	      all->msgs, ndev, all->intr);
	/*
	 * The last endpoint off bus 0 is the one removed and rescanned; not
	 * a VF, which has no sysfs "remove", nor the SR-IOV PF: pci-pf-stub
	 * leaves its VFs behind when the PF is removed with them enabled,
	 * and enabling them again then collides with those (6.1 crashes).
	 */
	for (i = 0; i < all->msgs && i < MAX_DEVS; i++)
		if (ACSI_ADDR_BUS(all->addr[i]) && !all->is_bridge[i] &&
		    !all->is_virtfn[i] && !all->has_sriov[i])
			victim = all->addr[i];
	step("paths");
	check_paths(sk, all);
	step("bad requests");
	check_bad_requests(sk);
	step("truncated");
	check_truncated(sk);
	step("permissions");
	check_permissions(sk, all->addr[0]);
	/* A downstream port with a device below it; an SR-IOV PF and a VF. */
	for (i = 0; i < all->msgs && i < MAX_DEVS; i++) {
		int j;

		if (all->has_sriov[i])
			pf = all->addr[i];
		if (all->pcie_type[i] != PCI_EXP_TYPE_DOWNSTREAM || child)
			continue;
		for (j = 0; j < all->msgs && j < MAX_DEVS; j++) {
			if (ACSI_ADDR_BUS(all->addr[j]) == all->secondary[i] &&
			    !all->is_bridge[j]) {
				bridge = all->addr[i];
				child = all->addr[j];
			}
		}
	}
	for (i = 0; i < all->msgs && i < MAX_DEVS; i++) {
		if (all->is_virtfn[i] && all->pf[i] == pf) {
			vf = all->addr[i];
			nvfs++;
		}
	}
	if (victim) {
		step("removed mid-dump");
		check_removed_mid_dump(victim, ndev);
		step("concurrent dumps");
		check_concurrent(victim, ndev);
	} else {
		check("hotplug-victim", 0, "no endpoint off bus 0 to remove");
	}
	if (pf && nvfs) {
		step("paused readers, PF removed");
		check_paused_readers_pf_removed(sk, pf, nvfs);
	} else {
		check("paused-readers-pf-removed", 0, "no SR-IOV PF with VFs");
	}
	if (bridge && child) {
		step("GET against remove/rescan");
		check_get_vs_hotplug(bridge, child, pf, vf, nvfs);
	} else {
		check("get-vs-remove-rescan", 0, "no downstream port with a device below");
	}
	step("kprobe verdicts");
	check_kprobe_verdicts(sk);
	nl_socket_free(sk);
	free(all);
	step("unload mid-dump");
	check_unload_mid_dump();
	return failures ? 1 : 0;
}
