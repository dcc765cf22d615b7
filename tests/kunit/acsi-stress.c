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
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/acs_inspect.h>
#include <linux/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define MAX_DEVS 1024

static int family;
static int failures;

/* Printed before each step: a hang in the module shows where it is. */
static void step(const char *what)
{
	printf("ACSX-STEP %s\n", what);
	fflush(stdout);
}

static void check(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	printf("ACSX-CHECK %s %s ", name, ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failures++;
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
	uint64_t addr[MAX_DEVS];	/* packed addresses of dumped devices */
	int is_bridge[MAX_DEVS];
};

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
	if (r->msgs < MAX_DEVS && tb[ACSI_A_DOMAIN] && tb[ACSI_A_BUS] &&
	    tb[ACSI_A_DEVFN]) {
		r->addr[r->msgs] = ACSI_ADDR_PACK(nla_get_u32(tb[ACSI_A_DOMAIN]),
						  nla_get_u8(tb[ACSI_A_BUS]),
						  nla_get_u8(tb[ACSI_A_DEVFN]));
		r->is_bridge[r->msgs] = tb[ACSI_A_IS_BRIDGE] &&
					nla_get_u8(tb[ACSI_A_IS_BRIDGE]);
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

static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

static void dev_path(char *buf, size_t len, uint64_t a, const char *file)
{
	snprintf(buf, len, "/sys/bus/pci/devices/%04x:%02x:%02x.%x/%s",
		 ACSI_ADDR_DOMAIN(a), ACSI_ADDR_BUS(a),
		 ACSI_ADDR_DEVFN(a) >> 3, ACSI_ADDR_DEVFN(a) & 7, file);
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

/* Unprivileged callers get EPERM (GENL_ADMIN_PERM). */
static void check_unprivileged(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct reply *r = calloc(1, sizeof(*r));
		struct nl_sock *sk;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		sk = open_sock(r);
		transact(sk, new_msg(ACSI_CMD_GET_INFO, 0, 0), r);
		_exit(r->error == EPERM ? 0 : 1);
	}
	check("unprivileged-refused",
	      pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "GET_INFO as uid 65534");
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
	struct nl_sock *sk;
	uint64_t victim = 0;
	int i, ndev;

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
	/* The last endpoint off bus 0 is the one removed and rescanned. */
	for (i = 0; i < all->msgs && i < MAX_DEVS; i++)
		if (ACSI_ADDR_BUS(all->addr[i]) && !all->is_bridge[i])
			victim = all->addr[i];
	step("paths");
	check_paths(sk, all);
	step("bad requests");
	check_bad_requests(sk);
	step("truncated");
	check_truncated(sk);
	step("unprivileged");
	check_unprivileged();
	if (victim) {
		step("removed mid-dump");
		check_removed_mid_dump(victim, ndev);
		step("concurrent dumps");
		check_concurrent(victim, ndev);
	} else {
		check("hotplug-victim", 0, "no endpoint off bus 0 to remove");
	}
	nl_socket_free(sk);
	free(all);
	step("unload mid-dump");
	check_unload_mid_dump();
	return failures ? 1 : 0;
}
