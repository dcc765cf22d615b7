// SPDX-License-Identifier: GPL-2.0
/*
 * acs_netlink.c - the "acs_inspect" generic netlink family.
 *
 * Who may ask: every command needs CAP_NET_ADMIN in the initial user
 * namespace (GENL_ADMIN_PERM) and a socket in the initial network
 * namespace.  Replies carry extended config space (ACS registers), which
 * sysfs shows to root only, and facts about every device of the machine,
 * which a container has no business seeing.
 */
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "acs_module.h"

/* A path of ACSI_MAX_HOPS full hops fits in this. */
#define ACSI_PATH_MSG_MAX (1024 * 1024)

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

static bool acsi_net_ok(struct net *net, struct netlink_ext_ack *extack)
{
	if (net_eq(net, &init_net))
		return true;
	NL_SET_ERR_MSG(extack, "acs_inspect answers in the initial network namespace only");
	return false;
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

static int acsi_put_addr(struct sk_buff *skb, struct pci_dev *pdev)
{
	if (nla_put_u32(skb, ACSI_A_DOMAIN, pci_domain_nr(pdev->bus)) ||
	    nla_put_u8(skb, ACSI_A_BUS, pdev->bus->number) ||
	    nla_put_u8(skb, ACSI_A_DEVFN, pdev->devfn))
		return -EMSGSIZE;
	return 0;
}

static bool acsi_observe(struct pci_dev *pdev, struct acsi_observation *obs)
{
	return acsi_kprobe_observe(pdev, obs);
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

	if (!acsi_net_ok(genl_info_net(info), info->extack))
		return -EPERM;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &acsi_family, 0, ACSI_CMD_GET_INFO);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err;
	}
	ret = acsi_put_info(msg);
	if (ret)
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

/*
 * Build a reply for one device (@path false) or its path (@path true);
 * grows the buffer until the reply fits.
 */
static int acsi_reply_device(struct genl_info *info, struct pci_dev *pdev,
			     u8 cmd, bool path)
{
	size_t size = NLMSG_GOODSIZE;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	for (;;) {
		struct acsi_observation obs;
		bool have;

		msg = genlmsg_new(size, GFP_KERNEL);
		if (!msg)
			return -ENOMEM;
		hdr = genlmsg_put_reply(msg, info, &acsi_family, 0, cmd);
		if (!hdr) {
			ret = -EMSGSIZE;
		} else if (path) {
			ret = acsi_put_addr(msg, pdev);
			if (!ret)
				ret = acsi_fill_path(msg, pdev, acsi_observe);
		} else {
			have = acsi_kprobe_observe(pdev, &obs);
			ret = acsi_fill_device(msg, pdev, have ? &obs : NULL);
		}
		if (!ret) {
			genlmsg_end(msg, hdr);
			return genlmsg_reply(msg, info);
		}
		nlmsg_free(msg);
		if (ret != -EMSGSIZE || size >= ACSI_PATH_MSG_MAX)
			break;
		size *= 4;
	}
	NL_SET_ERR_MSG(info->extack, "reply could not be built");
	return ret;
}

/* GET_DEVICE and GET_PATH differ only in whether the reply has the hops. */
static int acsi_reply_one(struct genl_info *info, u8 cmd, bool path)
{
	struct pci_dev *pdev;
	int ret;

	if (!acsi_net_ok(genl_info_net(info), info->extack))
		return -EPERM;
	pdev = acsi_lookup(info);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	ret = acsi_reply_device(info, pdev, cmd, path);
	pci_dev_put(pdev);
	return ret;
}

static int acsi_get_device_doit(struct sk_buff *skb, struct genl_info *info)
{
	return acsi_reply_one(info, ACSI_CMD_GET_DEVICE, false);
}

static int acsi_get_path_doit(struct sk_buff *skb, struct genl_info *info)
{
	return acsi_reply_one(info, ACSI_CMD_GET_PATH, true);
}

/*
 * Dump state in cb->args: [0] the next device to send, holding a
 * reference (0 before the first call), [1] set once the walk has started,
 * [2] set once every device was sent.
 */
static int acsi_dump_start(struct netlink_callback *cb)
{
	if (!acsi_net_ok(sock_net(cb->skb->sk), cb->extack))
		return -EPERM;
	cb->args[0] = 0;
	cb->args[1] = 0;
	cb->args[2] = 0;
	return 0;
}

static int acsi_dump_done(struct netlink_callback *cb)
{
	struct pci_dev *pdev = (struct pci_dev *)cb->args[0];

	pci_dev_put(pdev);
	cb->args[0] = 0;
	return 0;
}

static int acsi_get_device_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct pci_dev *pdev = (struct pci_dev *)cb->args[0];
	int sent = 0;

	/* A generation change between calls marks the dump interrupted. */
	cb->seq = acsi_generation_seq();
	if (cb->args[2])
		return 0;	/* NLMSG_DONE is checked against cb->seq too */
	if (!cb->args[1]) {
#if !ACSI_HAVE_GENL_SPLIT_OPS
		/* Here, unlike in start, 6.1 gives the dump an extack. */
		const struct genl_dumpit_info *info = genl_dumpit_info(cb);
		int i;

		for (i = 0; info->attrs && i <= ACSI_A_MAX; i++) {
			if (info->attrs[i]) {
				NL_SET_ERR_MSG_ATTR(cb->extack, info->attrs[i],
						    "a GET_DEVICE dump takes no attributes");
				return -EINVAL;
			}
		}
#endif
		pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, NULL);
		cb->args[1] = 1;
	}

	while (pdev) {
		struct acsi_observation obs;
		bool have = acsi_kprobe_observe(pdev, &obs);
		void *hdr;
		int ret;

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &acsi_family, NLM_F_MULTI,
				  ACSI_CMD_GET_DEVICE);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		ret = acsi_fill_device(skb, pdev, have ? &obs : NULL);
		if (ret) {
			genlmsg_cancel(skb, hdr);
			if (ret != -EMSGSIZE) {
				cb->args[0] = (long)pdev;
				return ret;
			}
			break;
		}
		genlmsg_end(skb, hdr);
		sent++;
		/* Drops our reference to pdev, takes one on the next. */
		pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, pdev);
	}

	cb->args[0] = (long)pdev;
	if (!pdev) {
		cb->args[2] = 1;
		return skb->len;
	}
	/* One device that does not fit an empty buffer would loop forever. */
	if (!sent)
		return -EMSGSIZE;
	return skb->len;
}

#if ACSI_HAVE_GENL_SPLIT_OPS
/* Do and dump of GET_DEVICE get their own policies: a dump takes none. */
static const struct genl_split_ops acsi_ops[] = {
	{
		.cmd = ACSI_CMD_GET_INFO,
		.doit = acsi_get_info_doit,
		.policy = acsi_noattr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd = ACSI_CMD_GET_DEVICE,
		.doit = acsi_get_device_doit,
		.policy = acsi_addr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd = ACSI_CMD_GET_DEVICE,
		.start = acsi_dump_start,
		.dumpit = acsi_get_device_dumpit,
		.done = acsi_dump_done,
		.policy = acsi_noattr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd = ACSI_CMD_GET_PATH,
		.doit = acsi_get_path_doit,
		.policy = acsi_addr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};
#else
/* One policy per command: acsi_dump_start() refuses attributes in a dump. */
static const struct genl_ops acsi_ops[] = {
	{
		.cmd = ACSI_CMD_GET_INFO,
		.doit = acsi_get_info_doit,
		.policy = acsi_noattr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = ACSI_CMD_GET_DEVICE,
		.doit = acsi_get_device_doit,
		.start = acsi_dump_start,
		.dumpit = acsi_get_device_dumpit,
		.done = acsi_dump_done,
		.policy = acsi_addr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = ACSI_CMD_GET_PATH,
		.doit = acsi_get_path_doit,
		.policy = acsi_addr_policy,
		.maxattr = ACSI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
};
#endif

static const struct genl_multicast_group acsi_mcgrps[] = {
	/* Device events are facts about the machine too: CAP_NET_ADMIN. */
	{ .name = ACSI_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family acsi_family __ro_after_init = {
	.name = ACSI_GENL_NAME,
	.version = ACSI_GENL_VERSION,
	.maxattr = ACSI_A_MAX,
	.netnsok = false,
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
	struct iommu_group *group;
	struct device_driver *drv;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &acsi_family, 0, cmd);
	if (!hdr)
		goto err;
	if (acsi_put_addr(msg, pdev) ||
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
	drv = READ_ONCE(pdev->dev.driver);
	if (cmd == ACSI_CMD_DEVICE_BOUND && drv && drv->name &&
	    nla_put_string(msg, ACSI_A_DRIVER, drv->name))
		goto err;
	genlmsg_end(msg, hdr);
	/* -ESRCH only means nobody listens. */
	genlmsg_multicast(&acsi_family, msg, 0, 0, GFP_KERNEL);
	return;
err:
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
