// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/netlink.c - facts from the acs_inspect kernel module over generic
 * netlink, with libnl-genl-3.
 *
 * Every request first asks GET_INFO, so a missing module, a protocol
 * mismatch and a permission problem are told apart before any data is
 * trusted.  Errors carry the kernel's extended-ack message when it sent
 * one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <uapi/linux/acs_inspect.h>
#include <uapi/linux/acs_inspect_addr.h>

#include "source.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Dumps torn by hot-plug are retried this often before giving up. */
#define AX_NL_DUMP_TRIES 5

struct nl_ctx {
	struct nl_sock *sk;
	int family;
	int kerr;		/* errno the kernel answered with, negative */
	char kmsg[160];		/* its extended-ack message */
};

/* Types and minimum lengths of what the module sends. */
static struct nla_policy ax_nl_policy[ACSI_A_MAX + 1] = {
	[ACSI_A_MODULE_VERSION] = { .type = NLA_STRING },
	[ACSI_A_PROTO_VERSION] = { .type = NLA_U32 },
	[ACSI_A_KERNEL_RELEASE] = { .type = NLA_STRING },
	[ACSI_A_IOMMU_PRESENT] = { .type = NLA_U8 },
	[ACSI_A_ACS_REQUESTED] = { .type = NLA_U8 },
	[ACSI_A_GENERATION] = { .type = NLA_U32 },
	[ACSI_A_KPROBE_STATUS] = { .type = NLA_U8 },
	[ACSI_A_REQ_ACS_FLAGS] = { .type = NLA_U16 },
	[ACSI_A_DEVICE_COUNT] = { .type = NLA_U32 },
	[ACSI_A_DOMAIN] = { .type = NLA_U32 },
	[ACSI_A_BUS] = { .type = NLA_U8 },
	[ACSI_A_DEVFN] = { .type = NLA_U8 },
	[ACSI_A_VENDOR] = { .type = NLA_U16 },
	[ACSI_A_DEVICE] = { .type = NLA_U16 },
	[ACSI_A_SUBVENDOR] = { .type = NLA_U16 },
	[ACSI_A_SUBDEVICE] = { .type = NLA_U16 },
	[ACSI_A_CLASS] = { .type = NLA_U32 },
	[ACSI_A_REVISION] = { .type = NLA_U8 },
	[ACSI_A_HDR_TYPE] = { .type = NLA_U8 },
	[ACSI_A_MULTIFUNCTION] = { .type = NLA_U8 },
	[ACSI_A_IS_PCIE] = { .type = NLA_U8 },
	[ACSI_A_PCIE_TYPE] = { .type = NLA_U8 },
	[ACSI_A_IS_BRIDGE] = { .type = NLA_U8 },
	[ACSI_A_SECONDARY] = { .type = NLA_U8 },
	[ACSI_A_SUBORDINATE] = { .type = NLA_U8 },
	[ACSI_A_IS_VIRTFN] = { .type = NLA_U8 },
	[ACSI_A_PF_ADDR] = { .type = NLA_U64 },
	[ACSI_A_HAS_SRIOV] = { .type = NLA_U8 },
	[ACSI_A_ARI] = { .type = NLA_U8 },
	[ACSI_A_UPSTREAM_ADDR] = { .type = NLA_U64 },
	[ACSI_A_ACS_POS] = { .type = NLA_U16 },
	[ACSI_A_ACS_CAP] = { .type = NLA_U16 },
	[ACSI_A_ACS_CTRL] = { .type = NLA_U16 },
	[ACSI_A_ACS_EGRESS_BITS] = { .type = NLA_U8 },
	[ACSI_A_ACS_DWORD_LAYOUT] = { .type = NLA_U8 },
	[ACSI_A_ATS_ENABLED] = { .type = NLA_U8 },
	[ACSI_A_UNTRUSTED] = { .type = NLA_U8 },
	[ACSI_A_EXTERNAL_FACING] = { .type = NLA_U8 },
	[ACSI_A_DRIVER] = { .type = NLA_STRING },
	[ACSI_A_IOMMU_GROUP] = { .type = NLA_U32 },
	[ACSI_A_DOMAIN_TYPE] = { .type = NLA_U32 },
	[ACSI_A_DOMAIN_TYPE_NAME] = { .type = NLA_STRING },
	[ACSI_A_DEV_FLAGS] = { .type = NLA_U32 },
	[ACSI_A_DMA_ALIAS_MASK] = { .minlen = ACSI_ALIAS_MASK_LEN },
	[ACSI_A_BRIDGE_ALIAS] = { .type = NLA_U64 },
	[ACSI_A_REGS_ISOLATED] = { .type = NLA_U8 },
	[ACSI_A_REGS_ORIGIN] = { .type = NLA_U8 },
	[ACSI_A_EFF_ISOLATED] = { .type = NLA_U8 },
	[ACSI_A_EFF_ORIGIN] = { .type = NLA_U8 },
	[ACSI_A_QUIRK_RESULT] = { .type = NLA_U32 },
	[ACSI_A_ACS_UNREADABLE] = { .type = NLA_U8 },
	[ACSI_A_KPROBE_PATH] = { .type = NLA_U8 },
};

/* Keep the kernel's errno and extended-ack message of an error reply. */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nl_ctx *c = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	(void)who;
	c->kerr = e->error;
	c->kmsg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (NLMSG_HDRLEN + off >= nlh->nlmsg_len)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      (int)(nlh->nlmsg_len - NLMSG_HDRLEN - off), NULL) == 0 &&
	    tb[NLMSGERR_ATTR_MSG])
		snprintf(c->kmsg, sizeof(c->kmsg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

/* A libnl or kernel failure as one line in err; returns -1. */
static int fail(struct nl_ctx *c, int nlerr, const char *what, char *err,
		size_t errlen)
{
	int kerr = c->kerr ? -c->kerr : 0;

	if (kerr == EPERM || kerr == EACCES || nlerr == -NLE_PERM) {
		snprintf(err, errlen,
			 "acs_inspect: %s: permission denied (needs CAP_SYS_ADMIN in the initial user and network namespaces)",
			 what);
		return -1;
	}
	if (c->kmsg[0])
		snprintf(err, errlen, "acs_inspect: %s: %s (%s)", what, c->kmsg,
			 strerror(kerr ? kerr : EIO));
	else if (kerr)
		snprintf(err, errlen, "acs_inspect: %s: %s", what,
			 strerror(kerr));
	else
		snprintf(err, errlen, "acs_inspect: %s: %s", what,
			 nl_geterror(nlerr));
	return -1;
}

static void ctx_close(struct nl_ctx *c)
{
	if (c->sk)
		nl_socket_free(c->sk);
	c->sk = NULL;
}

static int ctx_open(struct nl_ctx *c, char *err, size_t errlen)
{
	int one = 1, ret;

	memset(c, 0, sizeof(*c));
	c->sk = nl_socket_alloc();
	if (!c->sk) {
		snprintf(err, errlen, "acs_inspect: out of memory");
		return -1;
	}
	ret = genl_connect(c->sk);
	if (ret < 0) {
		snprintf(err, errlen, "acs_inspect: generic netlink socket: %s",
			 nl_geterror(ret));
		ctx_close(c);
		return -1;
	}
	/* Best effort: older kernels just send no message text. */
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl_socket_set_buffer_size(c->sk, 1 << 20, 0);
	nl_socket_modify_err_cb(c->sk, NL_CB_CUSTOM, on_error, c);

	c->family = genl_ctrl_resolve(c->sk, ACSI_GENL_NAME);
	if (c->family == -NLE_OBJ_NOTFOUND &&
	    access("/sys/module/acs_inspect", F_OK) == 0) {
		/* The family is registered in the initial netns only. */
		snprintf(err, errlen,
			 "acs_inspect: module loaded but its family is not visible: not in the initial network namespace");
		ctx_close(c);
		return -1;
	}
	if (c->family < 0) {
		char hint[256];

		if (c->family == -NLE_OBJ_NOTFOUND) {
			ax_module_hint("/lib/modules", NULL, hint, sizeof(hint));
			snprintf(err, errlen,
				 "acs_inspect: generic netlink family not found: module not loaded (%s)",
				 hint);
		} else {
			snprintf(err, errlen,
				 "acs_inspect: resolving the family: %s",
				 nl_geterror(c->family));
		}
		ctx_close(c);
		return -1;
	}
	return 0;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	(void)msg;
	*(bool *)arg = true;
	return NL_STOP;
}

static int on_intr(struct nl_msg *msg, void *arg)
{
	(void)msg;
	*(bool *)arg = true;
	return NL_OK;	/* keep reading: the dump is redone as a whole */
}

/*
 * Send a request and feed every reply to fn until the ACK (do) or
 * NLMSG_DONE (dump).  *intr is set when the
 * kernel flagged the dump as torn (NLM_F_DUMP_INTR).
 */
static int request(struct nl_ctx *c, uint8_t cmd, int flags,
		   nl_recvmsg_msg_cb_t fn, void *arg, bool *intr)
{
	struct nl_msg *msg = nlmsg_alloc();
	bool done = false, torn = false;
	int ret;

	if (!msg)
		return -NLE_NOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, flags,
			 cmd, ACSI_GENL_VERSION)) {
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	nl_socket_modify_cb(c->sk, NL_CB_VALID, NL_CB_CUSTOM, fn, arg);
	nl_socket_modify_cb(c->sk, NL_CB_ACK, NL_CB_CUSTOM, on_done, &done);
	nl_socket_modify_cb(c->sk, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &done);
	nl_socket_modify_cb(c->sk, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_intr,
			    &torn);
	c->kerr = 0;
	c->kmsg[0] = '\0';
	ret = nl_send_auto(c->sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return ret;
	while (!done) {
		ret = nl_recvmsgs_default(c->sk);
		if (ret < 0)
			return ret;
	}
	if (intr)
		*intr = torn;
	return 0;
}

static int parse(struct nl_msg *msg, struct nlattr **tb)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, ACSI_A_MAX, ax_nl_policy);
}

struct info_arg {
	struct ax_machine *m;
	bool got;
	uint32_t proto;
};

static int on_info(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[ACSI_A_MAX + 1];
	struct info_arg *ia = arg;
	struct ax_machine *m = ia->m;

	if (parse(msg, tb) < 0 || !tb[ACSI_A_PROTO_VERSION])
		return NL_SKIP;
	ia->got = true;
	ia->proto = nla_get_u32(tb[ACSI_A_PROTO_VERSION]);
	if (tb[ACSI_A_KERNEL_RELEASE])
		snprintf(m->kernel_release, sizeof(m->kernel_release), "%s",
			 nla_get_string(tb[ACSI_A_KERNEL_RELEASE]));
	if (tb[ACSI_A_IOMMU_PRESENT])
		m->iommu = nla_get_u8(tb[ACSI_A_IOMMU_PRESENT]) ?
			   AX_IOMMU_ON : AX_IOMMU_OFF;
	if (tb[ACSI_A_ACS_REQUESTED]) {
		m->acs_requested = nla_get_u8(tb[ACSI_A_ACS_REQUESTED]) != 0;
		m->acs_requested_known = true;
	}
	return NL_OK;
}

/* GET_INFO: checks that the module answers and speaks our protocol. */
static int check_info(struct nl_ctx *c, struct ax_machine *m, char *err,
		      size_t errlen)
{
	struct info_arg ia = { .m = m };
	int ret;

	ret = request(c, ACSI_CMD_GET_INFO, 0, on_info, &ia, NULL);
	if (ret < 0)
		return fail(c, ret, "GET_INFO", err, errlen);
	if (!ia.got) {
		snprintf(err, errlen, "acs_inspect: GET_INFO: no reply");
		return -1;
	}
	if (ia.proto != ACSI_GENL_VERSION) {
		snprintf(err, errlen,
			 "acs_inspect: the loaded module speaks protocol %u, this acsexplain protocol %u: load the acs_inspect.ko built with it",
			 ia.proto, ACSI_GENL_VERSION);
		return -1;
	}
	return 0;
}

static struct ax_addr unpack_addr(uint64_t v)
{
	struct ax_addr a = {
		.domain = ACSI_ADDR_DOMAIN(v),
		.bus = (uint8_t)ACSI_ADDR_BUS(v),
		.devfn = (uint8_t)ACSI_ADDR_DEVFN(v),
	};

	return a;
}

static bool get_bool(struct nlattr **tb, int attr)
{
	return tb[attr] && nla_get_u8(tb[attr]);
}

/* Fill one device from its attributes; false if the address is missing. */
static bool fill_dev(struct nlattr **tb, struct ax_dev *d, bool *has_pf,
		     struct ax_addr *pf)
{
	if (!tb[ACSI_A_DOMAIN] || !tb[ACSI_A_BUS] || !tb[ACSI_A_DEVFN])
		return false;
	d->addr.domain = nla_get_u32(tb[ACSI_A_DOMAIN]);
	d->addr.bus = nla_get_u8(tb[ACSI_A_BUS]);
	d->addr.devfn = nla_get_u8(tb[ACSI_A_DEVFN]);
	if (tb[ACSI_A_VENDOR])
		d->vendor = nla_get_u16(tb[ACSI_A_VENDOR]);
	if (tb[ACSI_A_DEVICE])
		d->device = nla_get_u16(tb[ACSI_A_DEVICE]);
	if (tb[ACSI_A_SUBVENDOR])
		d->subvendor = nla_get_u16(tb[ACSI_A_SUBVENDOR]);
	if (tb[ACSI_A_SUBDEVICE])
		d->subdevice = nla_get_u16(tb[ACSI_A_SUBDEVICE]);
	if (tb[ACSI_A_CLASS])
		d->class = nla_get_u32(tb[ACSI_A_CLASS]) & 0xffffff;
	if (tb[ACSI_A_REVISION])
		d->revision = nla_get_u8(tb[ACSI_A_REVISION]);
	if (tb[ACSI_A_HDR_TYPE])
		d->hdr_type = nla_get_u8(tb[ACSI_A_HDR_TYPE]);
	d->multifunction = get_bool(tb, ACSI_A_MULTIFUNCTION);
	d->is_bridge = get_bool(tb, ACSI_A_IS_BRIDGE);
	if (tb[ACSI_A_SECONDARY])
		d->secondary = nla_get_u8(tb[ACSI_A_SECONDARY]);
	if (tb[ACSI_A_SUBORDINATE])
		d->subordinate = nla_get_u8(tb[ACSI_A_SUBORDINATE]);
	d->is_pcie = get_bool(tb, ACSI_A_IS_PCIE);
	if (d->is_pcie && tb[ACSI_A_PCIE_TYPE])
		d->pcie_type = (enum ax_pcie_type)nla_get_u8(tb[ACSI_A_PCIE_TYPE]);

	d->acs_known = tb[ACSI_A_ACS_POS] != NULL;
	if (d->acs_known)
		d->acs_pos = nla_get_u16(tb[ACSI_A_ACS_POS]);
	if (tb[ACSI_A_ACS_CAP])
		d->acs_cap = nla_get_u16(tb[ACSI_A_ACS_CAP]);
	if (tb[ACSI_A_ACS_CTRL])
		d->acs_ctrl = nla_get_u16(tb[ACSI_A_ACS_CTRL]);
	d->acs_dword_layout = get_bool(tb, ACSI_A_ACS_DWORD_LAYOUT);

	d->is_virtfn = get_bool(tb, ACSI_A_IS_VIRTFN);
	*has_pf = d->is_virtfn && tb[ACSI_A_PF_ADDR];
	if (*has_pf)
		*pf = unpack_addr(nla_get_u64(tb[ACSI_A_PF_ADDR]));
	d->has_sriov = get_bool(tb, ACSI_A_HAS_SRIOV);
	d->ari = get_bool(tb, ACSI_A_ARI);
	d->untrusted = get_bool(tb, ACSI_A_UNTRUSTED);
	d->external_facing = get_bool(tb, ACSI_A_EXTERNAL_FACING);

	d->kernel_facts = tb[ACSI_A_DEV_FLAGS] != NULL;
	if (d->kernel_facts)
		d->dev_flags = nla_get_u32(tb[ACSI_A_DEV_FLAGS]);
	d->has_alias_mask = tb[ACSI_A_DMA_ALIAS_MASK] != NULL;
	if (d->has_alias_mask)
		memcpy(d->alias_mask, nla_data(tb[ACSI_A_DMA_ALIAS_MASK]),
		       sizeof(d->alias_mask));
	d->kernel_verdict_known = tb[ACSI_A_EFF_ISOLATED] != NULL;
	if (d->kernel_verdict_known) {
		d->kernel_isolated = get_bool(tb, ACSI_A_EFF_ISOLATED);
		d->kernel_verdict_origin = tb[ACSI_A_EFF_ORIGIN] ?
			nla_get_u8(tb[ACSI_A_EFF_ORIGIN]) : 0;
	}
	d->quirk_result_known = tb[ACSI_A_QUIRK_RESULT] != NULL;
	if (d->quirk_result_known)
		d->quirk_result = (int)nla_get_u32(tb[ACSI_A_QUIRK_RESULT]);
	/* The module always knows: no attribute means no group. */
	d->kernel_group = tb[ACSI_A_IOMMU_GROUP] ?
			  (int)nla_get_u32(tb[ACSI_A_IOMMU_GROUP]) :
			  AX_GROUP_NONE;
	d->driver_known = true;
	if (tb[ACSI_A_DRIVER])
		snprintf(d->driver, sizeof(d->driver), "%s",
			 nla_get_string(tb[ACSI_A_DRIVER]));
	return true;
}

struct dump_arg {
	struct ax_machine *m;
	struct ax_addr *pfs;	/* PF address per device, by index */
	bool *has_pf;
	size_t cap;
	bool oom;
	bool bad;
	int unreadable;		/* devices whose ACS registers were unreadable */
};

static int on_device(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[ACSI_A_MAX + 1];
	struct dump_arg *da = arg;
	struct ax_dev *d;
	size_t idx;

	if (parse(msg, tb) < 0) {
		da->bad = true;
		return NL_SKIP;
	}
	if (tb[ACSI_A_ACS_UNREADABLE])
		da->unreadable++;
	idx = da->m->n;
	if (idx >= da->cap) {
		size_t ncap = da->cap ? da->cap * 2 : 64;
		struct ax_addr *p = realloc(da->pfs, ncap * sizeof(*p));
		bool *h;

		if (!p) {
			da->oom = true;
			return NL_STOP;
		}
		da->pfs = p;
		h = realloc(da->has_pf, ncap * sizeof(*h));
		if (!h) {
			da->oom = true;
			return NL_STOP;
		}
		da->has_pf = h;
		da->cap = ncap;
	}
	d = ax_machine_add(da->m);
	if (!d) {
		da->oom = true;
		return NL_STOP;
	}
	if (!fill_dev(tb, d, &da->has_pf[idx], &da->pfs[idx])) {
		da->m->n--;
		da->bad = true;
		return NL_OK;
	}
	return NL_OK;
}

static int dump_devices(struct nl_ctx *c, struct ax_machine *m, char *err,
			size_t errlen)
{
	size_t base = m->n;
	struct dump_arg da = { .m = m };
	int ret = 0, tries;
	bool torn = false;

	for (tries = 0; tries < AX_NL_DUMP_TRIES; tries++) {
		m->n = base;
		da.oom = false;
		da.bad = false;
		da.unreadable = 0;
		ret = request(c, ACSI_CMD_GET_DEVICE, NLM_F_DUMP,
			      on_device, &da, &torn);
		/* Hot-plug tore the dump: ask again for a consistent one. */
		if (ret < 0 || !torn)
			break;
	}
	if (!ret && torn) {
		snprintf(err, errlen,
			 "acs_inspect: devices kept changing during %d dumps",
			 AX_NL_DUMP_TRIES);
		ret = -1;
		goto out;
	}
	if (ret < 0) {
		ret = fail(c, ret, "GET_DEVICE dump", err, errlen);
		goto out;
	}
	if (da.oom) {
		snprintf(err, errlen, "acs_inspect: out of memory");
		ret = -1;
		goto out;
	}
	if (da.bad) {
		snprintf(err, errlen,
			 "acs_inspect: malformed device message from the module");
		ret = -1;
		goto out;
	}
	/* VFs name their PF by address: make that an index */
	if (ax_machine_physfn_by_addr(m, base, da.pfs + base,
				      da.has_pf + base)) {
		snprintf(err, errlen, "acs_inspect: out of memory");
		ret = -1;
		goto out;
	}
	if (da.unreadable)
		ax_machine_note(m,
				"netlink: %d device(s) did not answer ACS register reads (D3cold, removed or failing): their ACS is unknown",
				da.unreadable);
	ret = 0;
out:
	free(da.pfs);
	free(da.has_pf);
	return ret;
}

int ax_source_netlink(struct ax_machine *m, char *err, size_t errlen)
{
	struct nl_ctx c;
	FILE *f;
	int ret;

	ret = ctx_open(&c, err, errlen);
	if (ret)
		return ret;
	ret = check_info(&c, m, err, errlen);
	if (!ret)
		ret = dump_devices(&c, m, err, errlen);
	ctx_close(&c);
	if (ret)
		return ret;

	m->source = AX_SRC_NETLINK;
	snprintf(m->source_name, sizeof(m->source_name), "netlink");
	m->module_facts = true;
	m->kernel_groups_known = true;
	/* Same machine: the command line is not the module's to report. */
	f = fopen("/proc/cmdline", "r");
	if (f) {
		if (fgets(m->cmdline, sizeof(m->cmdline), f))
			m->cmdline[strcspn(m->cmdline, "\n")] = '\0';
		fclose(f);
	}
	if (!m->acs_requested_known)
		ax_machine_note(m,
				"acs_inspect cannot tell whether the IOMMU core requested ACS at boot");
	return 0;
}
