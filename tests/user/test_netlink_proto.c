// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_netlink_proto.c - the tool refuses a module that speaks another
 * protocol version: GET_INFO's proto-version must equal ACSI_GENL_VERSION,
 * or ax_source_netlink() fails (-1, the versions in its one line) before
 * it asks for any device.
 *
 * No module is needed: this file defines genl_ctrl_resolve(), so the
 * linker binds the tool's call to it instead of libnl's; it returns a
 * made-up family and puts libnl's own send/receive overrides
 * (nl_cb_overwrite_send/recv) on the tool's socket.  Everything else -
 * libnl's parsing, sequence checks and callbacks, and the tool's code -
 * runs as it does against the kernel.  The fake module answers GET_INFO
 * with the version the test chooses and a GET_DEVICE dump with no device.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <uapi/linux/acs_inspect.h>

#include "check.h"
#include "model.h"
#include "source.h"

#define FAKE_FAMILY 0x7a

static uint32_t fake_proto;	/* what the fake module's GET_INFO says */
static int sent_info, sent_dump, sent_other;
static struct nlmsghdr last_req;	/* header of the request to answer */
static uint8_t last_cmd;

static int fake_send(struct nl_sock *sk, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);

	(void)sk;
	last_req = *nlh;
	last_cmd = gh->cmd;
	if (nlh->nlmsg_type != FAKE_FAMILY)
		sent_other++;
	else if (gh->cmd == ACSI_CMD_GET_INFO)
		sent_info++;
	else if (gh->cmd == ACSI_CMD_GET_DEVICE &&
		 (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
		sent_dump++;
	else
		sent_other++;
	return (int)nlh->nlmsg_len;
}

/* Append a copy of @nlh to the reply buffer. */
static size_t append(unsigned char *buf, size_t len, const struct nlmsghdr *nlh)
{
	memcpy(buf + len, nlh, nlh->nlmsg_len);
	return len + NLMSG_ALIGN(nlh->nlmsg_len);
}

/*
 * The kernel's answer to the last request: GET_INFO's message and the
 * ACK, or a dump's NLMSG_DONE; an error for anything else.
 */
static int fake_recv(struct nl_sock *sk, struct sockaddr_nl *peer,
		     unsigned char **bufp, struct ucred **creds)
{
	unsigned char *buf = calloc(1, 4096);
	struct {
		struct nlmsghdr nlh;
		struct nlmsgerr err;
	} ack = {
		.nlh = {
			.nlmsg_len = sizeof(ack),
			.nlmsg_type = NLMSG_ERROR,
			.nlmsg_seq = last_req.nlmsg_seq,
			.nlmsg_flags = NLM_F_CAPPED,
		},
		.err = { .error = 0, .msg = last_req },
	};
	struct {
		struct nlmsghdr nlh;
		int error;
	} done = {
		.nlh = {
			.nlmsg_len = sizeof(done),
			.nlmsg_type = NLMSG_DONE,
			.nlmsg_seq = last_req.nlmsg_seq,
			.nlmsg_flags = NLM_F_MULTI,
		},
	};
	size_t len = 0;

	(void)sk;
	(void)creds;
	if (!buf)
		return -NLE_NOMEM;
	memset(peer, 0, sizeof(*peer));
	peer->nl_family = AF_NETLINK;
	if (last_cmd == ACSI_CMD_GET_INFO && !(last_req.nlmsg_flags & NLM_F_DUMP)) {
		struct nl_msg *m = nlmsg_alloc();

		if (!m || !genlmsg_put(m, 0, last_req.nlmsg_seq, FAKE_FAMILY, 0,
				       0, ACSI_CMD_GET_INFO, ACSI_GENL_VERSION) ||
		    nla_put_u32(m, ACSI_A_PROTO_VERSION, fake_proto) ||
		    nla_put_string(m, ACSI_A_KERNEL_RELEASE, "6.1.0-fake") ||
		    nla_put_u32(m, ACSI_A_DEVICE_COUNT, 0)) {
			free(buf);
			nlmsg_free(m);
			return -NLE_NOMEM;
		}
		len = append(buf, len, nlmsg_hdr(m));
		nlmsg_free(m);
		len = append(buf, len, &ack.nlh);
	} else if (last_cmd == ACSI_CMD_GET_DEVICE &&
		   (last_req.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		len = append(buf, len, &done.nlh);
	} else {
		ack.err.error = -EOPNOTSUPP;
		len = append(buf, len, &ack.nlh);
	}
	*bufp = buf;
	return (int)len;
}

/* The tool's family lookup: the fake module, on the tool's own socket. */
int genl_ctrl_resolve(struct nl_sock *sk, const char *name)
{
	struct nl_cb *cb = nl_socket_get_cb(sk);

	if (!cb || strcmp(name, ACSI_GENL_NAME))
		return -NLE_OBJ_NOTFOUND;
	nl_cb_overwrite_send(cb, fake_send);
	nl_cb_overwrite_recv(cb, fake_recv);
	nl_cb_put(cb);
	return FAKE_FAMILY;
}

static int run(uint32_t proto, char *err, size_t errlen)
{
	struct ax_machine m;
	int ret;

	fake_proto = proto;
	sent_info = sent_dump = sent_other = 0;
	err[0] = '\0';
	ax_machine_init(&m);
	ret = ax_source_netlink(&m, err, errlen);
	ax_machine_free(&m);
	return ret;
}

int main(void)
{
	static const uint32_t others[] = { 0, ACSI_GENL_VERSION - 1,
					   ACSI_GENL_VERSION + 1, 0xffffffff };
	char err[512], want[64];
	size_t i;
	int ret;

	/* The same version: the fake is good enough to get through. */
	ret = run(ACSI_GENL_VERSION, err, sizeof(err));
	CHECK(ret == 0, "protocol %u: ret %d (%s)", ACSI_GENL_VERSION, ret, err);
	CHECK(sent_info == 1 && sent_dump == 1 && !sent_other,
	      "protocol %u: %d GET_INFO, %d dumps, %d other requests",
	      ACSI_GENL_VERSION, sent_info, sent_dump, sent_other);

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		uint32_t v = others[i];

		if (v == ACSI_GENL_VERSION)
			continue;
		ret = run(v, err, sizeof(err));
		CHECK(ret == -1, "protocol %u: ret %d, want -1 (%s)", v, ret,
		      err);
		/* Refused before any device data was asked for. */
		CHECK(sent_info == 1 && !sent_dump && !sent_other,
		      "protocol %u: %d GET_INFO, %d dumps, %d other requests",
		      v, sent_info, sent_dump, sent_other);
		snprintf(want, sizeof(want), "speaks protocol %u,", v);
		CHECK(strstr(err, want) && !strchr(err, '\n'),
		      "protocol %u: message \"%s\" does not say \"%s\" on one line",
		      v, err, want);
	}
	return check_report("test_netlink_proto");
}
