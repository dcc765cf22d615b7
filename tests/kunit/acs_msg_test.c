// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: netlink message building of acs_inspect
 * (acsi_fill_device(), acsi_fill_path()).  Messages are built into an skb
 * and parsed back with nla_parse() in strict mode.
 *
 * The module's own policies cover requests only, so replies are checked
 * against acsx_reply_policy below, which states the type and range of every
 * attribute as include/uapi/linux/acs_inspect.h documents it: a reply that
 * drifts from the UAPI header fails here.
 */
#include <kunit/test.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <net/netlink.h>

#include "acs_core.h"
#include "acs_fake_pci.h"

#define BOOL_U8	NLA_POLICY_MAX(NLA_U8, 1)

/* Ranges beyond NLA_POLICY_MAX's s16. */
static struct netlink_range_validation acsx_class_range = { .max = 0xffffff };

static const struct nla_policy acsx_reply_policy[ACSI_A_MAX + 1];
static const struct nla_policy acsx_reply_policy[ACSI_A_MAX + 1] = {
	[ACSI_A_PAD]			= { .type = NLA_BINARY },
	[ACSI_A_MODULE_VERSION]		= { .type = NLA_NUL_STRING },
	[ACSI_A_PROTO_VERSION]		= { .type = NLA_U32 },
	[ACSI_A_KERNEL_RELEASE]		= { .type = NLA_NUL_STRING },
	[ACSI_A_IOMMU_PRESENT]		= BOOL_U8,
	[ACSI_A_ACS_REQUESTED]		= BOOL_U8,
	[ACSI_A_GENERATION]		= { .type = NLA_U32 },
	[ACSI_A_KPROBE_STATUS]		= NLA_POLICY_MAX(NLA_U8,
							 ACSI_KPROBE_PARTIAL),
	[ACSI_A_REQ_ACS_FLAGS]		= { .type = NLA_U16 },
	[ACSI_A_DEVICE_COUNT]		= { .type = NLA_U32 },
	[ACSI_A_DOMAIN]			= { .type = NLA_U32 },
	[ACSI_A_BUS]			= { .type = NLA_U8 },
	[ACSI_A_DEVFN]			= { .type = NLA_U8 },
	[ACSI_A_VENDOR]			= { .type = NLA_U16 },
	[ACSI_A_DEVICE]			= { .type = NLA_U16 },
	[ACSI_A_SUBVENDOR]		= { .type = NLA_U16 },
	[ACSI_A_SUBDEVICE]		= { .type = NLA_U16 },
	[ACSI_A_CLASS]			= NLA_POLICY_FULL_RANGE(NLA_U32,
							       &acsx_class_range),
	[ACSI_A_REVISION]		= { .type = NLA_U8 },
	[ACSI_A_HDR_TYPE]		= NLA_POLICY_MAX(NLA_U8, 0x7f),
	[ACSI_A_MULTIFUNCTION]		= BOOL_U8,
	[ACSI_A_IS_PCIE]		= BOOL_U8,
	[ACSI_A_PCIE_TYPE]		= NLA_POLICY_MAX(NLA_U8, PCI_EXP_TYPE_RC_EC),
	[ACSI_A_IS_BRIDGE]		= BOOL_U8,
	[ACSI_A_SECONDARY]		= { .type = NLA_U8 },
	[ACSI_A_SUBORDINATE]		= { .type = NLA_U8 },
	[ACSI_A_IS_VIRTFN]		= BOOL_U8,
	[ACSI_A_PF_ADDR]		= { .type = NLA_U64 },
	[ACSI_A_HAS_SRIOV]		= BOOL_U8,
	[ACSI_A_ARI]			= BOOL_U8,
	[ACSI_A_UPSTREAM_ADDR]		= { .type = NLA_U64 },
	[ACSI_A_ACS_POS]		= NLA_POLICY_MAX(NLA_U16, 0xffc),
	[ACSI_A_ACS_CAP]		= { .type = NLA_U16 },
	[ACSI_A_ACS_CTRL]		= { .type = NLA_U16 },
	[ACSI_A_ACS_EGRESS_BITS]	= { .type = NLA_U8 },
	[ACSI_A_ACS_DWORD_LAYOUT]	= BOOL_U8,
	[ACSI_A_ATS_ENABLED]		= BOOL_U8,
	[ACSI_A_UNTRUSTED]		= BOOL_U8,
	[ACSI_A_EXTERNAL_FACING]	= BOOL_U8,
	[ACSI_A_DRIVER]			= { .type = NLA_NUL_STRING },
	[ACSI_A_IOMMU_GROUP]		= { .type = NLA_U32 },
	[ACSI_A_DOMAIN_TYPE]		= { .type = NLA_U32 },
	[ACSI_A_DOMAIN_TYPE_NAME]	= { .type = NLA_NUL_STRING },
	[ACSI_A_DEV_FLAGS]		= NLA_POLICY_MASK(NLA_U32,
							  ACSI_DEVFL_GROUPING_MASK),
	[ACSI_A_DMA_ALIAS_MASK]		= NLA_POLICY_EXACT_LEN(ACSI_ALIAS_MASK_LEN),
	[ACSI_A_BRIDGE_ALIAS]		= { .type = NLA_U64 },
	[ACSI_A_REGS_ISOLATED]		= BOOL_U8,
	[ACSI_A_REGS_ORIGIN]		= NLA_POLICY_RANGE(NLA_U8,
							   ACSI_ORIGIN_REGISTERS,
							   ACSI_ORIGIN_KPROBE),
	[ACSI_A_EFF_ISOLATED]		= BOOL_U8,
	[ACSI_A_EFF_ORIGIN]		= NLA_POLICY_RANGE(NLA_U8,
							   ACSI_ORIGIN_REGISTERS,
							   ACSI_ORIGIN_KPROBE),
	[ACSI_A_QUIRK_RESULT]		= { .type = NLA_S32 },
	[ACSI_A_HOP_COUNT]		= NLA_POLICY_MAX(NLA_U32, ACSI_MAX_HOPS),
	[ACSI_A_HOP]			= NLA_POLICY_NESTED(acsx_reply_policy),
	[ACSI_A_ACS_UNREADABLE]		= NLA_POLICY_RANGE(NLA_U8,
							   ACSI_ACS_UNREAD_D3COLD,
							   ACSI_ACS_UNREAD_READ_ERROR),
	[ACSI_A_KPROBE_PATH]		= NLA_POLICY_MAX(NLA_U8,
							 ACSI_KPROBE_PATH_INLINED),
};

static int skb_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static void skb_res_free(struct kunit_resource *res)
{
	kfree_skb(res->data);
}

/* An skb with exactly @room bytes of tailroom, freed when the test ends. */
static struct sk_buff *test_skb(struct kunit *test, unsigned int room)
{
	struct sk_buff *skb = alloc_skb(room, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test,
				     kunit_alloc_resource(test, skb_res_init,
							  skb_res_free,
							  GFP_KERNEL, skb));
	skb_reserve(skb, skb_tailroom(skb) - room);
	return skb;
}

/* Strict parse of a run of attributes; fails the test with the extack. */
static struct nlattr **parse(struct kunit *test, const struct nlattr *head,
			     int len)
{
	struct netlink_ext_ack extack = {};
	struct nlattr **tb;
	int ret;

	tb = kunit_kcalloc(test, ACSI_A_MAX + 1, sizeof(*tb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tb);
	ret = nla_parse(tb, ACSI_A_MAX, head, len, acsx_reply_policy, &extack);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "nla_parse: %s (attr %d)",
			    extack._msg ?: "-",
			    extack.bad_attr ? nla_type(extack.bad_attr) : -1);
	return tb;
}

static struct nlattr **build_device(struct kunit *test, struct pci_dev *pdev,
				    const struct acsi_observation *obs)
{
	struct sk_buff *skb = test_skb(test, NLMSG_GOODSIZE);

	KUNIT_ASSERT_EQ(test, acsi_fill_device(skb, pdev, obs), 0);
	return parse(test, (struct nlattr *)skb->data, skb->len);
}

static const struct nlattr *expect_attr(struct kunit *test, struct nlattr **tb,
					int a)
{
	KUNIT_ASSERT_NOT_NULL_MSG(test, tb[a], "attribute %d missing", a);
	return tb[a];
}

static void expect_u8(struct kunit *test, struct nlattr **tb, int a, u8 val)
{
	KUNIT_EXPECT_EQ_MSG(test, nla_get_u8(expect_attr(test, tb, a)), val,
			    "attribute %d", a);
}

static void expect_u16(struct kunit *test, struct nlattr **tb, int a, u16 val)
{
	KUNIT_EXPECT_EQ_MSG(test, nla_get_u16(expect_attr(test, tb, a)), val,
			    "attribute %d", a);
}

static void expect_u32(struct kunit *test, struct nlattr **tb, int a, u32 val)
{
	KUNIT_EXPECT_EQ_MSG(test, nla_get_u32(expect_attr(test, tb, a)), val,
			    "attribute %d", a);
}

static void expect_u64(struct kunit *test, struct nlattr **tb, int a, u64 val)
{
	KUNIT_EXPECT_EQ_MSG(test, nla_get_u64(expect_attr(test, tb, a)), val,
			    "attribute %d", a);
}

static void expect_s32(struct kunit *test, struct nlattr **tb, int a, s32 val)
{
	KUNIT_EXPECT_EQ_MSG(test, nla_get_s32(expect_attr(test, tb, a)), val,
			    "attribute %d", a);
}

static void expect_none(struct kunit *test, struct nlattr **tb, int a)
{
	KUNIT_EXPECT_NULL_MSG(test, tb[a], "attribute %d unexpected", a);
}

/* Haswell-E root port 00:02.0 from cap-aer-root, alone on bus 00. */
static void acs_msg_root_port(struct kunit *test)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 0);
	struct pci_dev *rp = acsx_fake_add(test, root, PCI_DEVFN(2, 0),
					   &fx_hsw_rp);
	struct nlattr **tb;

	acsx_fake_child_bus(test, rp);
	tb = build_device(test, rp, NULL);
	expect_u32(test, tb, ACSI_A_DOMAIN, 0);
	expect_u8(test, tb, ACSI_A_BUS, 0);
	expect_u8(test, tb, ACSI_A_DEVFN, PCI_DEVFN(2, 0));
	expect_u16(test, tb, ACSI_A_VENDOR, 0x8086);
	expect_u16(test, tb, ACSI_A_DEVICE, 0x2f04);
	expect_u32(test, tb, ACSI_A_CLASS, 0x060400);
	expect_u8(test, tb, ACSI_A_REVISION, 0x02);
	expect_u8(test, tb, ACSI_A_HDR_TYPE, 1);
	expect_u8(test, tb, ACSI_A_MULTIFUNCTION, 1);
	expect_u8(test, tb, ACSI_A_IS_PCIE, 1);
	expect_u8(test, tb, ACSI_A_PCIE_TYPE, PCI_EXP_TYPE_ROOT_PORT);
	expect_u8(test, tb, ACSI_A_IS_BRIDGE, 1);
	expect_u8(test, tb, ACSI_A_SECONDARY, 3);
	expect_u8(test, tb, ACSI_A_SUBORDINATE, 3);
	expect_u8(test, tb, ACSI_A_IS_VIRTFN, 0);
	expect_u16(test, tb, ACSI_A_ACS_POS, 0x110);
	expect_u16(test, tb, ACSI_A_ACS_CAP, 0x1f);
	expect_u16(test, tb, ACSI_A_ACS_CTRL, 0x1f);
	expect_u8(test, tb, ACSI_A_ACS_EGRESS_BITS, 0);
	expect_u8(test, tb, ACSI_A_ACS_DWORD_LAYOUT, 0);
	expect_u32(test, tb, ACSI_A_DEV_FLAGS, 0);
	expect_u8(test, tb, ACSI_A_REGS_ISOLATED, 1);
	expect_u8(test, tb, ACSI_A_REGS_ORIGIN, ACSI_ORIGIN_REGISTERS);
	expect_u8(test, tb, ACSI_A_EFF_ISOLATED, 1);
	expect_u8(test, tb, ACSI_A_EFF_ORIGIN, ACSI_ORIGIN_REGISTERS);
	/* On a root bus, unbound, ungrouped, unaliased. */
	expect_none(test, tb, ACSI_A_UPSTREAM_ADDR);
	expect_none(test, tb, ACSI_A_DRIVER);
	expect_none(test, tb, ACSI_A_IOMMU_GROUP);
	expect_none(test, tb, ACSI_A_DOMAIN_TYPE);
	expect_none(test, tb, ACSI_A_DMA_ALIAS_MASK);
	expect_none(test, tb, ACSI_A_BRIDGE_ALIAS);
	expect_none(test, tb, ACSI_A_QUIRK_RESULT);
	expect_none(test, tb, ACSI_A_HOP_COUNT);
}

/* Sunrise Point-LP: control read at +8, and no verdict claimed when off. */
static void acs_msg_spt_dword_layout(struct kunit *test)
{
	struct pci_dev *rp = acsx_fake_alone(test, &fx_spt_rp);
	struct nlattr **tb = build_device(test, rp, NULL);

	expect_u16(test, tb, ACSI_A_DEVICE, 0x9d10);
	expect_u16(test, tb, ACSI_A_ACS_POS, 0x140);
	expect_u16(test, tb, ACSI_A_ACS_CAP, 0x0f);
	expect_u16(test, tb, ACSI_A_ACS_CTRL, 0);
	expect_u8(test, tb, ACSI_A_ACS_DWORD_LAYOUT, 1);
	expect_u8(test, tb, ACSI_A_REGS_ISOLATED, 0);
	expect_none(test, tb, ACSI_A_EFF_ISOLATED);
	expect_none(test, tb, ACSI_A_EFF_ORIGIN);
}

/* A kprobe observation shows up as the effective verdict and quirk result. */
static void acs_msg_observation(struct kunit *test)
{
	struct acsi_observation obs = {
		.have_enabled = true, .enabled = true,
		.have_quirk = true, .quirk = -ENOTTY,
	};
	struct pci_dev *rp = acsx_fake_alone(test, &fx_ioh_rp);
	struct nlattr **tb = build_device(test, rp, &obs);

	expect_u8(test, tb, ACSI_A_REGS_ISOLATED, 0);
	expect_u8(test, tb, ACSI_A_EFF_ISOLATED, 1);
	expect_u8(test, tb, ACSI_A_EFF_ORIGIN, ACSI_ORIGIN_KPROBE);
	expect_s32(test, tb, ACSI_A_QUIRK_RESULT, -ENOTTY);
}

/* Endpoint behind the DMI-to-PCI bridge: upstream, alias, flags, mask. */
static void acs_msg_conventional_behind_bridge(struct kunit *test)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 0);
	struct pci_dev *br = acsx_fake_add(test, root, PCI_DEVFN(0x1e, 0),
					   &fx_ich10_pcibr);
	struct pci_dev *dev = acsx_fake_add(test, acsx_fake_child_bus(test, br),
					    PCI_DEVFN(2, 0), &fx_ich10_uhci);
	unsigned long *mask;
	struct nlattr **tb;
	const u8 *m;

	mask = kunit_kzalloc(test, BITS_TO_LONGS(ACSI_NR_DEVFNS) *
			     sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mask);
	set_bit(PCI_DEVFN(2, 1), mask);
	dev->dma_alias_mask = mask;
	br->dev_flags |= PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS;

	tb = build_device(test, dev, NULL);
	expect_u8(test, tb, ACSI_A_BUS, 0x0a);
	expect_u8(test, tb, ACSI_A_IS_PCIE, 0);
	expect_none(test, tb, ACSI_A_PCIE_TYPE);
	expect_u64(test, tb, ACSI_A_UPSTREAM_ADDR, ACSI_ADDR_PACK(0, 0, PCI_DEVFN(0x1e, 0)));
	expect_u64(test, tb, ACSI_A_BRIDGE_ALIAS, ACSI_ADDR_PACK(0, 0x0a, 0));
	expect_u16(test, tb, ACSI_A_ACS_POS, 0);
	expect_none(test, tb, ACSI_A_ACS_CAP);
	expect_u8(test, tb, ACSI_A_REGS_ISOLATED, 0);
	expect_u8(test, tb, ACSI_A_REGS_ORIGIN, ACSI_ORIGIN_TYPE_RULE);
	KUNIT_ASSERT_NOT_NULL(test, tb[ACSI_A_DMA_ALIAS_MASK]);
	m = nla_data(tb[ACSI_A_DMA_ALIAS_MASK]);
	/* Bit n is devfn n, bytes in little-endian u32 order. */
	KUNIT_EXPECT_EQ(test, m[PCI_DEVFN(2, 1) / 8],
			1 << (PCI_DEVFN(2, 1) % 8));

	tb = build_device(test, br, NULL);
	expect_u32(test, tb, ACSI_A_DEV_FLAGS, PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS);
}

/* A VF names its PF; the PF says it has SR-IOV. */
static void acs_msg_virtfn(struct kunit *test)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 4);
	struct pci_dev *pf = acsx_fake_add(test, root, 0, &fx_cx3_ep);
	struct pci_dev *vf = acsx_fake_add(test, root, PCI_DEVFN(0, 1),
					   &fx_cx3_ep);
	struct nlattr **tb;

	pf->is_physfn = 1;
	vf->is_virtfn = 1;
	vf->physfn = pf;
	tb = build_device(test, vf, NULL);
	expect_u8(test, tb, ACSI_A_IS_VIRTFN, 1);
	expect_u64(test, tb, ACSI_A_PF_ADDR, ACSI_ADDR_PACK(0, 4, 0));
	tb = build_device(test, pf, NULL);
	expect_u8(test, tb, ACSI_A_HAS_SRIOV, 1);
	expect_none(test, tb, ACSI_A_PF_ADDR);
}

/*
 * VMD numbers its domains from 0x10000: the device, its upstream bridge,
 * its PF and its bridge alias all keep the full domain (version 1 cut it
 * to 16 bits, naming devices of domain 0).
 */
static void acs_msg_domain_above_ffff(struct kunit *test)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0x10000, 0);
	struct pci_dev *br = acsx_fake_add(test, root, PCI_DEVFN(0x1e, 0),
					   &fx_ich10_pcibr);
	struct pci_bus *bus = acsx_fake_child_bus(test, br);
	struct pci_dev *pf = acsx_fake_add(test, bus, PCI_DEVFN(2, 0),
					   &fx_cx3_ep);
	struct pci_dev *vf = acsx_fake_add(test, bus, PCI_DEVFN(2, 1),
					   &fx_cx3_ep);
	struct nlattr **tb;

	pf->is_physfn = 1;
	vf->is_virtfn = 1;
	vf->physfn = pf;
	tb = build_device(test, vf, NULL);
	expect_u32(test, tb, ACSI_A_DOMAIN, 0x10000);
	expect_u64(test, tb, ACSI_A_PF_ADDR,
		   ACSI_ADDR_PACK(0x10000, 0x0a, PCI_DEVFN(2, 0)));
	expect_u64(test, tb, ACSI_A_UPSTREAM_ADDR,
		   ACSI_ADDR_PACK(0x10000, 0, PCI_DEVFN(0x1e, 0)));
	expect_u64(test, tb, ACSI_A_BRIDGE_ALIAS,
		   ACSI_ADDR_PACK(0x10000, 0, PCI_DEVFN(0x1e, 0)));
	KUNIT_EXPECT_EQ(test, ACSI_ADDR_DOMAIN(nla_get_u64(tb[ACSI_A_PF_ADDR])),
			0x10000U);
}

/*
 * A root port that stopped answering (surprise removal, link down): its
 * ACS reads all ones, which version 1 decoded as "isolated".  The device
 * is still reported, without registers and without a registers verdict,
 * saying why.
 */
static void acs_msg_all_ones_not_isolated(struct kunit *test)
{
	struct pci_dev *rp = acsx_fake_alone(test, &fx_hsw_rp);
	struct nlattr **tb;

	acsx_fake_set_gone(rp);
	tb = build_device(test, rp, NULL);
	expect_u16(test, tb, ACSI_A_DEVICE, 0x2f04);
	expect_u8(test, tb, ACSI_A_ACS_UNREADABLE, ACSI_ACS_UNREAD_ALL_ONES);
	expect_none(test, tb, ACSI_A_ACS_POS);
	expect_none(test, tb, ACSI_A_ACS_CAP);
	expect_none(test, tb, ACSI_A_ACS_CTRL);
	expect_none(test, tb, ACSI_A_REGS_ISOLATED);
	expect_none(test, tb, ACSI_A_REGS_ORIGIN);
	expect_none(test, tb, ACSI_A_EFF_ISOLATED);
}

/* A failing config read no longer fails the message (nor the dump). */
static void acs_msg_read_error_still_emitted(struct kunit *test)
{
	struct pci_dev *rp = acsx_fake_alone(test, &fx_hsw_rp);
	struct nlattr **tb;

	rp->devfn = PCI_DEVFN(31, 7);	/* the fake bus has nothing there */
	tb = build_device(test, rp, NULL);
	expect_u8(test, tb, ACSI_A_DEVFN, PCI_DEVFN(31, 7));
	expect_u8(test, tb, ACSI_A_ACS_UNREADABLE, ACSI_ACS_UNREAD_READ_ERROR);
	expect_none(test, tb, ACSI_A_REGS_ISOLATED);
}

/* D3cold: config space is not touched; a kprobe verdict still stands. */
static void acs_msg_d3cold(struct kunit *test)
{
	struct acsi_observation obs = { .have_enabled = true, .enabled = true };
	struct pci_dev *rp = acsx_fake_alone(test, &fx_hsw_rp);
	struct nlattr **tb;

	rp->current_state = PCI_D3cold;
	tb = build_device(test, rp, &obs);
	expect_u8(test, tb, ACSI_A_ACS_UNREADABLE, ACSI_ACS_UNREAD_D3COLD);
	expect_none(test, tb, ACSI_A_ACS_POS);
	expect_none(test, tb, ACSI_A_REGS_ISOLATED);
	expect_u8(test, tb, ACSI_A_EFF_ISOLATED, 1);
	expect_u8(test, tb, ACSI_A_EFF_ORIGIN, ACSI_ORIGIN_KPROBE);
}

/* A device that answers has no ACSI_A_ACS_UNREADABLE. */
static void acs_msg_readable_has_no_reason(struct kunit *test)
{
	struct nlattr **tb = build_device(test, acsx_fake_alone(test, &fx_hsw_rp),
					  NULL);

	expect_none(test, tb, ACSI_A_ACS_UNREADABLE);
	expect_u16(test, tb, ACSI_A_ACS_POS, 0x110);
}

/* The X58 chain 04:00.0 -> 03:00.0 -> 02:00.0 -> 00:03.0. */
static struct pci_dev *x58_chain(struct kunit *test, struct pci_dev **dsp)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 0);
	struct pci_dev *rp, *usp;

	rp = acsx_fake_add(test, root, PCI_DEVFN(3, 0), &fx_x58_rp3);
	usp = acsx_fake_add(test, acsx_fake_child_bus(test, rp), 0,
			    &fx_nf200_usp);
	*dsp = acsx_fake_add(test, acsx_fake_child_bus(test, usp), 0,
			     &fx_nf200_dsp0);
	return acsx_fake_add(test, acsx_fake_child_bus(test, *dsp), 0,
			     &fx_sas2008_ep);
}

struct observe_ctx {
	struct pci_dev *target;
	int calls;
};

/* Observation for one hop only; the context hangs off the running test. */
static bool observe_one(struct pci_dev *pdev, struct acsi_observation *obs)
{
	struct observe_ctx *ctx = current->kunit_test->priv;

	ctx->calls++;
	if (pdev != ctx->target)
		return false;
	memset(obs, 0, sizeof(*obs));
	obs->have_enabled = true;
	obs->enabled = false;
	obs->have_quirk = true;
	obs->quirk = 0;
	return true;
}

static void acs_msg_path(struct kunit *test)
{
	static const u8 bus[] = { 0x04, 0x03, 0x02, 0x00 };
	static const u8 devfn[] = { 0, 0, 0, PCI_DEVFN(3, 0) };
	static const u8 type[] = { PCI_EXP_TYPE_ENDPOINT,
				   PCI_EXP_TYPE_DOWNSTREAM,
				   PCI_EXP_TYPE_UPSTREAM,
				   PCI_EXP_TYPE_ROOT_PORT };
	struct sk_buff *skb = test_skb(test, NLMSG_GOODSIZE);
	struct observe_ctx ctx = {};
	struct pci_dev *ep = x58_chain(test, &ctx.target);
	const struct nlattr *a;
	struct nlattr **tb;
	int rem, hop = 0;

	test->priv = &ctx;
	KUNIT_ASSERT_EQ(test, acsi_fill_path(skb, ep, observe_one), 0);
	KUNIT_EXPECT_EQ(test, ctx.calls, 4);
	tb = parse(test, (struct nlattr *)skb->data, skb->len);
	expect_u32(test, tb, ACSI_A_HOP_COUNT, 4);

	nla_for_each_attr(a, (struct nlattr *)skb->data, skb->len, rem) {
		if (nla_type(a) != ACSI_A_HOP)
			continue;
		KUNIT_ASSERT_LT(test, hop, 4);
		tb = parse(test, nla_data(a), nla_len(a));
		expect_u8(test, tb, ACSI_A_BUS, bus[hop]);
		expect_u8(test, tb, ACSI_A_DEVFN, devfn[hop]);
		expect_u8(test, tb, ACSI_A_PCIE_TYPE, type[hop]);
		if (hop == 1) {
			expect_u8(test, tb, ACSI_A_EFF_ORIGIN, ACSI_ORIGIN_KPROBE);
			expect_u8(test, tb, ACSI_A_EFF_ISOLATED, 0);
			expect_s32(test, tb, ACSI_A_QUIRK_RESULT, 0);
		} else {
			expect_none(test, tb, ACSI_A_QUIRK_RESULT);
		}
		if (hop == 3)
			expect_none(test, tb, ACSI_A_UPSTREAM_ADDR);
		else
			KUNIT_EXPECT_NOT_NULL(test, tb[ACSI_A_UPSTREAM_ADDR]);
		hop++;
	}
	KUNIT_EXPECT_EQ(test, hop, 4);
	test->priv = NULL;
}

/* Every size short of the full message fails cleanly with -EMSGSIZE. */
static void acs_msg_device_emsgsize(struct kunit *test)
{
	struct sk_buff *skb = test_skb(test, NLMSG_GOODSIZE);
	unsigned int need, room;
	struct pci_dev *dsp;

	x58_chain(test, &dsp);
	KUNIT_ASSERT_EQ(test, acsi_fill_device(skb, dsp, NULL), 0);
	need = skb->len;
	for (room = 0; room < need; room++) {
		skb = alloc_skb(need, GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
		skb_reserve(skb, skb_tailroom(skb) - room);
		KUNIT_EXPECT_EQ_MSG(test, acsi_fill_device(skb, dsp, NULL),
				    -EMSGSIZE, "room %u of %u", room, need);
		kfree_skb(skb);
	}
	skb = test_skb(test, need);
	KUNIT_EXPECT_EQ(test, acsi_fill_device(skb, dsp, NULL), 0);
	KUNIT_EXPECT_EQ(test, skb->len, need);
}

/* A path that does not fit fails with -EMSGSIZE and frees its hop array. */
static void acs_msg_path_emsgsize(struct kunit *test)
{
	struct pci_dev *dsp, *ep = x58_chain(test, &dsp);
	struct sk_buff *skb = test_skb(test, NLMSG_GOODSIZE);
	unsigned int need, room;

	KUNIT_ASSERT_EQ(test, acsi_fill_path(skb, ep, NULL), 0);
	need = skb->len;
	for (room = 0; room < need; room += 7) {
		skb = alloc_skb(need, GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
		skb_reserve(skb, skb_tailroom(skb) - room);
		KUNIT_EXPECT_EQ_MSG(test, acsi_fill_path(skb, ep, NULL),
				    -EMSGSIZE, "room %u of %u", room, need);
		kfree_skb(skb);
	}
}

/*
 * Sizes: acsi_device_size() and acsi_path_size() bound what the fills
 * put; replies are allocated at that size once.  Each message is built in
 * exactly the room its size function gives, so a size that forgets an
 * attribute fails the fill with -EMSGSIZE.
 */
static struct device_driver long_name_drv = {
	.name = "a_driver_with_a_rather_long_name_for_sizing",
};

static unsigned int fill_in_its_size(struct kunit *test, struct pci_dev *pdev,
				     const struct acsi_observation *obs)
{
	size_t size = acsi_device_size(pdev);
	struct sk_buff *skb = test_skb(test, size);

	KUNIT_ASSERT_EQ_MSG(test, acsi_fill_device(skb, pdev, obs), 0,
			    "%s: fill does not fit in its size %zu",
			    pci_name(pdev), size);
	KUNIT_EXPECT_LE(test, skb->len, size);
	parse(test, (struct nlattr *)skb->data, skb->len);
	return skb->len;
}

static void acs_msg_device_size(struct kunit *test)
{
	struct acsi_observation obs = {
		.have_enabled = true, .enabled = true,
		.have_quirk = true, .quirk = 1,
	};
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 0);
	struct pci_dev *br = acsx_fake_add(test, root, PCI_DEVFN(0x1e, 0),
					   &fx_ich10_pcibr);
	struct pci_dev *uhci = acsx_fake_add(test, acsx_fake_child_bus(test, br),
					     PCI_DEVFN(2, 0), &fx_ich10_uhci);
	struct pci_dev *rp, *pf, *vf, *gone, *dsp;
	unsigned long *mask;

	/* Alone, with and without a driver and an observation. */
	rp = acsx_fake_alone(test, &fx_hsw_rp);
	fill_in_its_size(test, rp, NULL);
	fill_in_its_size(test, rp, &obs);
	rp->dev.driver = &long_name_drv;
	fill_in_its_size(test, rp, &obs);

	/* Conventional, behind a bridge that aliases it, with a DMA alias. */
	mask = kunit_kzalloc(test, BITS_TO_LONGS(ACSI_NR_DEVFNS) *
			     sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mask);
	set_bit(PCI_DEVFN(2, 1), mask);
	uhci->dma_alias_mask = mask;
	fill_in_its_size(test, uhci, NULL);
	fill_in_its_size(test, br, NULL);

	/* A VF and its PF. */
	pf = acsx_fake_add(test, acsx_fake_root_bus(test, 0, 4), 0, &fx_cx3_ep);
	vf = acsx_fake_add(test, pf->bus, PCI_DEVFN(0, 1), &fx_cx3_ep);
	pf->is_physfn = 1;
	vf->is_virtfn = 1;
	vf->physfn = pf;
	fill_in_its_size(test, pf, NULL);
	fill_in_its_size(test, vf, NULL);

	/* Registers that cannot be read; dword layout; a switch port. */
	gone = acsx_fake_alone(test, &fx_hsw_rp);
	acsx_fake_set_gone(gone);
	fill_in_its_size(test, gone, &obs);
	fill_in_its_size(test, acsx_fake_alone(test, &fx_spt_rp), NULL);
	x58_chain(test, &dsp);
	fill_in_its_size(test, dsp, NULL);
}

/*
 * A device with every attribute a fill can put (ACSI_A_ACS_UNREADABLE
 * aside: it replaces the larger registers) needs all of its size: a size
 * function that forgets an attribute comes out short here even if
 * rounding hides it elsewhere.
 */
static void acs_msg_device_size_exact(struct kunit *test)
{
	struct acsi_observation obs = {
		.have_enabled = true, .enabled = true,
		.have_quirk = true, .quirk = 1,
	};
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 0);
	struct pci_dev *br = acsx_fake_add(test, root, PCI_DEVFN(0x1e, 0),
					   &fx_ich10_pcibr);
	struct pci_bus *bus = acsx_fake_child_bus(test, br);
	struct pci_dev *rp = acsx_fake_add(test, bus, 0, &fx_hsw_rp);
	struct pci_dev *pf = acsx_fake_add(test, bus, PCI_DEVFN(1, 0),
					   &fx_cx3_ep);
	struct nlattr **tb;
	unsigned long *mask;
	struct sk_buff *skb;
	size_t size;

	/* A bridge with a bus below: SECONDARY, SUBORDINATE. */
	rp->subordinate = acsx_fake_virtual_bus(test, bus, 0x0b);
	rp->subordinate->busn_res.end = 0x0b;
	/* PF_ADDR; the PF sits beside it, so UPSTREAM_ADDR is the bridge. */
	pf->is_physfn = 1;
	rp->is_virtfn = 1;
	rp->physfn = pf;
	rp->dev.driver = &long_name_drv;
	acsx_fake_join_group(test, rp, NULL);
	mask = kunit_kzalloc(test, BITS_TO_LONGS(ACSI_NR_DEVFNS) *
			     sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mask);
	set_bit(PCI_DEVFN(0, 1), mask);
	rp->dma_alias_mask = mask;

	size = acsi_device_size(rp);
	skb = test_skb(test, size);
	KUNIT_ASSERT_EQ(test, acsi_fill_device(skb, rp, &obs), 0);
	tb = parse(test, (struct nlattr *)skb->data, skb->len);
	expect_u8(test, tb, ACSI_A_SECONDARY, 0x0b);
	expect_u64(test, tb, ACSI_A_PF_ADDR, ACSI_ADDR_PACK(0, 0x0a, PCI_DEVFN(1, 0)));
	expect_u64(test, tb, ACSI_A_UPSTREAM_ADDR, ACSI_ADDR_PACK(0, 0, PCI_DEVFN(0x1e, 0)));
	expect_attr(test, tb, ACSI_A_DRIVER);
	expect_attr(test, tb, ACSI_A_IOMMU_GROUP);
	expect_attr(test, tb, ACSI_A_DMA_ALIAS_MASK);
	expect_attr(test, tb, ACSI_A_BRIDGE_ALIAS);
	expect_attr(test, tb, ACSI_A_ACS_CAP);
	expect_attr(test, tb, ACSI_A_REGS_ORIGIN);
	expect_attr(test, tb, ACSI_A_EFF_ORIGIN);
	expect_attr(test, tb, ACSI_A_QUIRK_RESULT);
	/* Without CONFIG_PCI_ATS the fill leaves ATS_ENABLED out. */
	if (IS_ENABLED(CONFIG_PCI_ATS)) {
		expect_attr(test, tb, ACSI_A_ATS_ENABLED);
		KUNIT_EXPECT_EQ(test, skb->len, size);
	} else {
		KUNIT_EXPECT_EQ(test, skb->len + nla_total_size(sizeof(u8)),
				size);
	}
}

/* Every hop observed: the largest hops the fill can put. */
static bool observe_all(struct pci_dev *pdev, struct acsi_observation *obs)
{
	memset(obs, 0, sizeof(*obs));
	obs->have_enabled = true;
	obs->have_quirk = true;
	obs->quirk = -ENOTTY;
	return true;
}

static void path_in_its_size(struct kunit *test, struct pci_dev *pdev,
			     int hops)
{
	size_t size = acsi_path_size(pdev);
	struct sk_buff *skb = test_skb(test, size);
	struct nlattr **tb;

	KUNIT_ASSERT_EQ_MSG(test, acsi_fill_path(skb, pdev, observe_all), 0,
			    "%s: path does not fit in its size %zu",
			    pci_name(pdev), size);
	KUNIT_EXPECT_LE(test, skb->len, size);
	tb = parse(test, (struct nlattr *)skb->data, skb->len);
	expect_u32(test, tb, ACSI_A_HOP_COUNT, hops);
}

/* The X58 chain with drivers bound, and a path of 64 root ports. */
static void acs_msg_path_size(struct kunit *test)
{
	struct pci_dev *dsp, *ep = x58_chain(test, &dsp);
	struct pci_bus *bus = acsx_fake_root_bus(test, 0, 0);
	struct pci_dev *hop = acsx_fake_add(test, bus, 0, &fx_hsw_rp);
	int i;

	path_in_its_size(test, ep, 4);
	ep->dev.driver = &long_name_drv;
	dsp->dev.driver = &long_name_drv;
	path_in_its_size(test, ep, 4);

	for (i = 1; i < 64; i++) {
		bus = acsx_fake_virtual_bus(test, bus, i);
		bus->self = hop;
		bus->busn_res.end = i;
		hop->subordinate = bus;
		hop = acsx_fake_add(test, bus, 0, &fx_hsw_rp);
		if (i % 2)
			hop->dev.driver = &long_name_drv;
	}
	path_in_its_size(test, hop, 64);
}

static struct kunit_case acs_msg_cases[] = {
	KUNIT_CASE(acs_msg_root_port),
	KUNIT_CASE(acs_msg_spt_dword_layout),
	KUNIT_CASE(acs_msg_observation),
	KUNIT_CASE(acs_msg_conventional_behind_bridge),
	KUNIT_CASE(acs_msg_virtfn),
	KUNIT_CASE(acs_msg_domain_above_ffff),
	KUNIT_CASE(acs_msg_all_ones_not_isolated),
	KUNIT_CASE(acs_msg_read_error_still_emitted),
	KUNIT_CASE(acs_msg_d3cold),
	KUNIT_CASE(acs_msg_readable_has_no_reason),
	KUNIT_CASE(acs_msg_path),
	KUNIT_CASE(acs_msg_device_emsgsize),
	KUNIT_CASE(acs_msg_path_emsgsize),
	KUNIT_CASE(acs_msg_device_size),
	KUNIT_CASE(acs_msg_device_size_exact),
	KUNIT_CASE(acs_msg_path_size),
	{}
};

static struct kunit_suite acs_msg_suite = {
	.name = "acs_inspect_msg",
	.test_cases = acs_msg_cases,
};

kunit_test_suite(acs_msg_suite);
