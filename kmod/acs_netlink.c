// SPDX-License-Identifier: GPL-2.0
/*
 * acs_netlink.c - the "acs_inspect" generic netlink family.
 *
 * Who may ask: every command needs CAP_SYS_ADMIN in the initial user
 * namespace, of the socket's opener and of the sender (netlink_capable()),
 * and so does joining the events group.  Replies carry extended config
 * space (ACS registers), which sysfs reads only for CAP_SYS_ADMIN, and
 * facts about every device of the machine; GENL_ADMIN_PERM would give
 * them to any CAP_NET_ADMIN holder, such as a --net=host container.  The
 * family is not registered in other network namespaces (netnsok false).
 *
 * Locking: the family runs its handlers in parallel (no genl_mutex).  A
 * handler that looks at a device takes pci_lock_rescan_remove(), which
 * keeps sysfs remove/rescan and hot-plug from freeing buses, bridges' PFs
 * and a VF's PF under it; a dump takes it anew in each dumpit call and
 * keeps only a count between calls, never a device pointer.
 */
#include <linux/capability.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/utsname.h>
#include <net/genetlink.h>

#include "acs_module.h"

/* Commands that take no attributes: everything is rejected. */
static const struct nla_policy acsi_noattr_policy[ACSI_A_MAX + 1] = {
};

/* Commands that name one device; domains are 32 bits (VMD: 0x10000 up). */
static const struct nla_policy acsi_addr_policy[ACSI_A_MAX + 1] = {
	[ACSI_A_DOMAIN] = { .type = NLA_U32 },
	[ACSI_A_BUS] = { .type = NLA_U8 },
	[ACSI_A_DEVFN] = { .type = NLA_U8 },
};

static struct genl_family acsi_family;

/*
 * CAP_SYS_ADMIN in the initial user namespace, of the process that opened
 * the socket and of the one sending: sysfs's rule for config space.
 */
static int acsi_check_perm(const struct sk_buff *skb,
			   struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack, "acs_inspect needs CAP_SYS_ADMIN");
	return -EPERM;
}

static struct pci_dev *acsi_lookup(struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct pci_dev *pdev;

	/* Also reports the first missing attribute (NLMSGERR_ATTR_MISS_TYPE). */
	if (GENL_REQ_ATTR_CHECK(info, ACSI_A_DOMAIN) ||
	    GENL_REQ_ATTR_CHECK(info, ACSI_A_BUS) ||
	    GENL_REQ_ATTR_CHECK(info, ACSI_A_DEVFN)) {
		NL_SET_ERR_MSG(info->extack, "domain, bus and devfn are required");
		return ERR_PTR(-EINVAL);
	}

	pdev = pci_get_domain_bus_and_slot((int)nla_get_u32(attrs[ACSI_A_DOMAIN]),
					   nla_get_u8(attrs[ACSI_A_BUS]),
					   nla_get_u8(attrs[ACSI_A_DEVFN]));
	if (!pdev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[ACSI_A_DEVFN],
				    "no PCI device at that address");
		return ERR_PTR(-ENODEV);
	}
	return pdev;
}

/*
 * Each acsi_put_*() here has an acsi_*_size() beside it counting every
 * attribute it can put (as acs_core.c does for the device fills): messages
 * are allocated at that size once.  A new attribute goes into both.
 */
static size_t acsi_addr_size(void)
{
	return nla_total_size(sizeof(u32)) +	/* DOMAIN */
	       2 * nla_total_size(sizeof(u8));	/* BUS, DEVFN */
}

static int acsi_put_addr(struct sk_buff *skb, struct pci_dev *pdev)
{
	if (nla_put_u32(skb, ACSI_A_DOMAIN, pci_domain_nr(pdev->bus)) ||
	    nla_put_u8(skb, ACSI_A_BUS, pdev->bus->number) ||
	    nla_put_u8(skb, ACSI_A_DEVFN, pdev->devfn))
		return -EMSGSIZE;
	return 0;
}

static size_t acsi_info_size(void)
{
	return nla_total_size(sizeof(ACSI_MODULE_VERSION)) +
	       nla_total_size(sizeof(init_utsname()->release)) +
	       3 * nla_total_size(sizeof(u32)) + /* PROTO_VERSION, GENERATION, DEVICE_COUNT */
	       3 * nla_total_size(sizeof(u8)) +	/* IOMMU_PRESENT, KPROBE_STATUS, _PATH */
	       nla_total_size(sizeof(u16));	/* REQ_ACS_FLAGS */
}

static int acsi_put_info(struct sk_buff *skb)
{
	struct pci_dev *pdev = NULL;
	bool mapped = false;
	u32 count = 0;

	for_each_pci_dev(pdev) {
		count++;
		if (device_iommu_mapped(&pdev->dev))
			mapped = true;
	}

	/*
	 * ACS_REQUESTED is left out on purpose: pci_acs_enable is static
	 * and nothing the kernel records tells it apart from firmware
	 * having set the same control bits.
	 */
	if (nla_put_string(skb, ACSI_A_MODULE_VERSION, ACSI_MODULE_VERSION) ||
	    nla_put_u32(skb, ACSI_A_PROTO_VERSION, ACSI_GENL_VERSION) ||
	    nla_put_string(skb, ACSI_A_KERNEL_RELEASE, init_utsname()->release) ||
	    nla_put_u8(skb, ACSI_A_IOMMU_PRESENT, mapped ? 1 : 0) ||
	    nla_put_u32(skb, ACSI_A_GENERATION, atomic_read(&acsi_generation)) ||
	    nla_put_u8(skb, ACSI_A_KPROBE_STATUS, acsi_kprobe_status()) ||
	    nla_put_u8(skb, ACSI_A_KPROBE_PATH, acsi_kprobe_path()) ||
	    nla_put_u16(skb, ACSI_A_REQ_ACS_FLAGS, ACSI_REQ_ACS_FLAGS) ||
	    nla_put_u32(skb, ACSI_A_DEVICE_COUNT, count))
		return -EMSGSIZE;
	return 0;
}

static int acsi_get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = acsi_check_perm(skb, info->extack);
	if (ret)
		return ret;

	msg = genlmsg_new(acsi_info_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &acsi_family, 0, ACSI_CMD_GET_INFO);
	if (WARN_ON_ONCE(!hdr || acsi_put_info(msg))) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG(info->extack, "reply larger than its computed size");
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Build a reply for one device (@path false) or its path (@path true), in
 * a message sized for it.  Called under pci_lock_rescan_remove(); *@reply
 * is sent by the caller after unlocking.
 */
static int acsi_build_device(struct genl_info *info, struct pci_dev *pdev,
			     u8 cmd, bool path, struct sk_buff **reply)
{
	struct acsi_observation obs;
	struct sk_buff *msg;
	size_t size;
	void *hdr;
	int ret;

	size = path ? acsi_addr_size() + acsi_path_size(pdev) :
		      acsi_device_size(pdev);
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &acsi_family, 0, cmd);
	if (!hdr) {
		ret = -EMSGSIZE;
	} else if (path) {
		ret = acsi_put_addr(msg, pdev);
		if (!ret)
			ret = acsi_fill_path(msg, pdev, acsi_kprobe_observe);
	} else {
		ret = acsi_fill_device(msg, pdev,
				       acsi_kprobe_observe(pdev, &obs) ?
				       &obs : NULL);
	}
	if (ret == -EMSGSIZE) {
		/*
		 * No warning: a caller can reach this by racing a driver
		 * bind (see acsi_kernel_size()); the KUnit size cases catch
		 * a size function that forgets an attribute.
		 */
		nlmsg_free(msg);
		NL_SET_ERR_MSG(info->extack,
			       "device changed while its reply was built, ask again");
		return -EAGAIN;
	}
	if (ret) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG(info->extack, "reply could not be built");
		return ret;
	}
	genlmsg_end(msg, hdr);
	*reply = msg;
	return 0;
}

/* GET_DEVICE and GET_PATH differ only in whether the reply has the hops. */
static int acsi_reply_one(struct sk_buff *skb, struct genl_info *info, u8 cmd,
			  bool path)
{
	struct sk_buff *reply = NULL;
	struct pci_dev *pdev;
	int ret;

	ret = acsi_check_perm(skb, info->extack);
	if (ret)
		return ret;
	/*
	 * Held while the device's bridges, buses and PF are read: removal
	 * of a bridge or of a VF's PF waits for it.
	 */
	pci_lock_rescan_remove();
	pdev = acsi_lookup(info);
	if (IS_ERR(pdev)) {
		ret = PTR_ERR(pdev);
	} else {
		ret = acsi_build_device(info, pdev, cmd, path, &reply);
		pci_dev_put(pdev);
	}
	pci_unlock_rescan_remove();
	if (ret)
		return ret;
	return genlmsg_reply(reply, info);
}

static int acsi_get_device_doit(struct sk_buff *skb, struct genl_info *info)
{
	return acsi_reply_one(skb, info, ACSI_CMD_GET_DEVICE, false);
}

static int acsi_get_path_doit(struct sk_buff *skb, struct genl_info *info)
{
	return acsi_reply_one(skb, info, ACSI_CMD_GET_PATH, true);
}

/**
 * struct acsi_dump_ctx - GET_DEVICE dump state between dumpit calls
 * @next: devices of the pci_get_device() walk already sent (a count, not a
 *	pointer: nothing is held while userspace does not read)
 * @checked: the request's attributes were checked (6.1: first dumpit)
 * @done: every device was sent
 *
 * A device added or removed between calls shifts the walk; the generation
 * counter then differs and the dump carries NLM_F_DUMP_INTR, and the count
 * still ends the dump, however much churn there is.
 */
struct acsi_dump_ctx {
	unsigned long next;
	bool checked;
	bool done;
};

static struct acsi_dump_ctx *acsi_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct acsi_dump_ctx) > sizeof(cb->ctx));
	return (struct acsi_dump_ctx *)cb->ctx;
}

static int acsi_dump_start(struct netlink_callback *cb)
{
	memset(acsi_dump_ctx(cb), 0, sizeof(struct acsi_dump_ctx));
	return acsi_check_perm(cb->skb, cb->extack);
}

#if !ACSI_HAVE_GENL_SPLIT_OPS
/* 6.1 has one policy per command; here, unlike in start, it has an extack. */
static int acsi_dump_check_attrs(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	int i;

	for (i = 0; info->attrs && i <= ACSI_A_MAX; i++) {
		if (info->attrs[i]) {
			NL_SET_ERR_MSG_ATTR(cb->extack, info->attrs[i],
					    "a GET_DEVICE dump takes no attributes");
			return -EINVAL;
		}
	}
	return 0;
}
#else
static int acsi_dump_check_attrs(struct netlink_callback *cb)
{
	return 0;	/* the dump's own policy rejects every attribute */
}
#endif

/* Put one device into a dump; -EMSGSIZE when @skb is full. */
static int acsi_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			 struct pci_dev *pdev)
{
	struct acsi_observation obs;
	bool have = acsi_kprobe_observe(pdev, &obs);
	void *hdr;
	int ret;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &acsi_family, NLM_F_MULTI, ACSI_CMD_GET_DEVICE);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	ret = acsi_fill_device(skb, pdev, have ? &obs : NULL);
	if (ret) {
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int acsi_get_device_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct acsi_dump_ctx *ctx = acsi_dump_ctx(cb);
	struct pci_dev *pdev = NULL;
	unsigned long pos = 0;
	int sent = 0, ret = 0;

	/* A generation change between calls marks the dump interrupted. */
	cb->seq = acsi_generation_seq();
	if (ctx->done)
		return 0;	/* NLMSG_DONE is checked against cb->seq too */
	if (!ctx->checked) {
		ret = acsi_dump_check_attrs(cb);
		if (ret)
			return ret;
		ctx->checked = true;
	}

	pci_lock_rescan_remove();
	for_each_pci_dev(pdev) {
		if (pos++ < ctx->next)
			continue;
		ret = acsi_dump_one(skb, cb, pdev);
		if (ret)
			break;
		ctx->next++;
		sent++;
	}
	pci_dev_put(pdev);	/* NULL after a complete walk */
	pci_unlock_rescan_remove();

	if (!ret) {
		ctx->done = true;
		return skb->len;
	}
	/* One device that does not fit an empty buffer would loop forever. */
	if (ret != -EMSGSIZE || !sent)
		return ret;
	return skb->len;
}

#if ACSI_HAVE_GENL_SPLIT_OPS
/*
 * Do and dump of GET_DEVICE get their own policies: a dump takes none.
 * No GENL_ADMIN_PERM: that is CAP_NET_ADMIN; acsi_check_perm() asks for
 * CAP_SYS_ADMIN.
 */
static const struct genl_split_ops acsi_ops[] = {
	{
		.cmd = ACSI_CMD_GET_INFO,
		.doit = acsi_get_info_doit,
		.policy = acsi_noattr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_CMD_CAP_DO,
	},
	{
		.cmd = ACSI_CMD_GET_DEVICE,
		.doit = acsi_get_device_doit,
		.policy = acsi_addr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_CMD_CAP_DO,
	},
	{
		.cmd = ACSI_CMD_GET_DEVICE,
		.start = acsi_dump_start,
		.dumpit = acsi_get_device_dumpit,
		.policy = acsi_noattr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_CMD_CAP_DUMP,
	},
	{
		.cmd = ACSI_CMD_GET_PATH,
		.doit = acsi_get_path_doit,
		.policy = acsi_addr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_CMD_CAP_DO,
	},
};
#else
/*
 * One policy per command: the first dumpit refuses attributes in a dump.
 * Permissions: acsi_check_perm() in each handler and in start.
 */
static const struct genl_ops acsi_ops[] = {
	{
		.cmd = ACSI_CMD_GET_INFO,
		.doit = acsi_get_info_doit,
		.policy = acsi_noattr_policy,
		.maxattr = ACSI_A_MAX,
	},
	{
		.cmd = ACSI_CMD_GET_DEVICE,
		.doit = acsi_get_device_doit,
		.start = acsi_dump_start,
		.dumpit = acsi_get_device_dumpit,
		.policy = acsi_addr_policy,
		.maxattr = ACSI_A_MAX,
	},
	{
		.cmd = ACSI_CMD_GET_PATH,
		.doit = acsi_get_path_doit,
		.policy = acsi_addr_policy,
		.maxattr = ACSI_A_MAX,
	},
};
#endif

static const struct genl_multicast_group acsi_mcgrps[] = {
	/*
	 * Device events are facts about the machine: CAP_SYS_ADMIN.  Kernels
	 * without GENL_MCAST_CAP_* (before 6.7 and its stable backports) let
	 * any socket join; the events carry only what sysfs shows everyone.
	 */
#if ACSI_HAVE_GENL_MCAST_CAP
	{ .name = ACSI_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_SYS_ADMIN },
#else
	{ .name = ACSI_MCGRP_EVENTS },
#endif
};

static struct genl_family acsi_family __ro_after_init = {
	.name = ACSI_GENL_NAME,
	.version = ACSI_GENL_VERSION,
	.maxattr = ACSI_A_MAX,
	.netnsok = false,
	/* Handlers lock what they need (pci_lock_rescan_remove()). */
	.parallel_ops = true,
	.module = THIS_MODULE,
#if ACSI_HAVE_GENL_SPLIT_OPS
	.split_ops = acsi_ops,
	.n_split_ops = ARRAY_SIZE(acsi_ops),
#else
	.ops = acsi_ops,
	.n_ops = ARRAY_SIZE(acsi_ops),
#endif
	/* Strict header and attribute checks for every command. */
	.resv_start_op = 0,
	.mcgrps = acsi_mcgrps,
	.n_mcgrps = ARRAY_SIZE(acsi_mcgrps),
};

void acsi_nl_event(u8 cmd, struct pci_dev *pdev)
{
	/* Read once: the name sized is the name put. */
	struct device_driver *drv = READ_ONCE(pdev->dev.driver);
	const char *driver = cmd == ACSI_CMD_DEVICE_BOUND && drv ? drv->name :
								  NULL;
	struct iommu_group *group;
	struct sk_buff *msg;
	size_t size;
	void *hdr;

	size = acsi_addr_size() +
	       2 * nla_total_size(sizeof(u16)) +	/* VENDOR, DEVICE */
	       2 * nla_total_size(sizeof(u32));	/* GENERATION, IOMMU_GROUP */
	if (driver)
		size += nla_total_size(strlen(driver) + 1);	/* DRIVER */
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &acsi_family, 0, cmd);
	if (!hdr || acsi_put_addr(msg, pdev) ||
	    nla_put_u16(msg, ACSI_A_VENDOR, pdev->vendor) ||
	    nla_put_u16(msg, ACSI_A_DEVICE, pdev->device) ||
	    nla_put_u32(msg, ACSI_A_GENERATION, atomic_read(&acsi_generation)))
		goto err;
	group = iommu_group_get(&pdev->dev);
	if (group) {
		int ret = nla_put_u32(msg, ACSI_A_IOMMU_GROUP,
				      iommu_group_id(group));

		iommu_group_put(group);
		if (ret)
			goto err;
	}
	if (driver && nla_put_string(msg, ACSI_A_DRIVER, driver))
		goto err;
	genlmsg_end(msg, hdr);
	/* -ESRCH only means nobody listens. */
	genlmsg_multicast(&acsi_family, msg, 0, 0, GFP_KERNEL);
	return;
err:
	/* The size counts every attribute: running out of room is a bug. */
	WARN_ON_ONCE(1);
	nlmsg_free(msg);
}

int acsi_nl_init(void)
{
	return genl_register_family(&acsi_family);
}

void acsi_nl_exit(void)
{
	/* Waits for running doit handlers; dumps pin the module. */
	genl_unregister_family(&acsi_family);
}
