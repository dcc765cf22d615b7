// SPDX-License-Identifier: GPL-2.0
/*
 * acs_core.c - ACS decoding, the isolation decision per port type, the
 * upstream path walk and netlink message building for acs_inspect.
 *
 * This re-implements what drivers/pci/pci.c pci_acs_enabled() and
 * drivers/pci/search.c pci_for_each_dma_alias() decide, because neither is
 * exported; the quirk table is not visible at all, so every verdict says
 * what it rests on (enum acsi_origin).
 */
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/device.h>
#include <linux/string.h>
#include <net/genetlink.h>

#include "acs_core.h"

bool acsi_is_intel_spt_dword_acs(const struct pci_dev *pdev)
{
	/* Same test as pci_quirk_intel_spt_pch_acs_match(). */
	if (pdev->vendor != PCI_VENDOR_ID_INTEL)
		return false;
	if (!pci_is_pcie((struct pci_dev *)pdev) ||
	    pci_pcie_type(pdev) != PCI_EXP_TYPE_ROOT_PORT)
		return false;

	switch (pdev->device) {
	case 0xa110 ... 0xa11f: case 0xa167 ... 0xa16a:	/* Sunrise Point */
	case 0xa290 ... 0xa29f: case 0xa2e7 ... 0xa2ee:	/* Union Point */
	case 0x9d10 ... 0x9d1b:		/* 7th & 8th Gen Mobile */
		return true;
	}
	return false;
}

int acsi_read_acs(struct pci_dev *pdev, struct acsi_acs *acs)
{
	u32 cap, ctrl;
	u16 w;
	int ret;

	memset(acs, 0, sizeof(*acs));
	acs->pos = pdev->acs_cap;
	if (!acs->pos)
		return 0;

	acs->dword_layout = acsi_is_intel_spt_dword_acs(pdev);
	if (acs->dword_layout) {
		/* Capability and control are dwords at +4 and +8. */
		ret = pci_read_config_dword(pdev, acs->pos + PCI_ACS_CAP, &cap);
		if (ret)
			return pcibios_err_to_errno(ret);
		ret = pci_read_config_dword(pdev, acs->pos + PCI_ACS_CAP + 4,
					    &ctrl);
		if (ret)
			return pcibios_err_to_errno(ret);
		/* A device that does not answer reads all ones. */
		if (PCI_POSSIBLE_ERROR(cap) || PCI_POSSIBLE_ERROR(ctrl))
			return -ENXIO;
		acs->cap = cap & 0xffff;
		acs->egress_bits = (cap >> 8) & 0xff;
		acs->ctrl = ctrl & 0xffff;
		return 0;
	}

	ret = pci_read_config_word(pdev, acs->pos + PCI_ACS_CAP, &w);
	if (ret)
		return pcibios_err_to_errno(ret);
	/* Reserved bit 7 is never set in a real capability word. */
	if (PCI_POSSIBLE_ERROR(w))
		return -ENXIO;
	acs->cap = w;
	acs->egress_bits = (w >> 8) & 0xff;
	ret = pci_read_config_word(pdev, acs->pos + PCI_ACS_CTRL, &w);
	if (ret)
		return pcibios_err_to_errno(ret);
	if (PCI_POSSIBLE_ERROR(w))
		return -ENXIO;
	acs->ctrl = w;
	return 0;
}

u8 acsi_read_acs_checked(struct pci_dev *pdev, struct acsi_acs *acs)
{
	int ret;

	memset(acs, 0, sizeof(*acs));
	acs->pos = pdev->acs_cap;
	if (!acs->pos)
		return ACSI_ACS_UNREAD_NONE;	/* nothing to read */
	acs->dword_layout = acsi_is_intel_spt_dword_acs(pdev);
	/* Config space of a device in D3cold is off: reads give all ones. */
	if (READ_ONCE(pdev->current_state) == PCI_D3cold)
		return ACSI_ACS_UNREAD_D3COLD;
	if (pci_channel_offline(pdev))
		return ACSI_ACS_UNREAD_DISCONNECTED;
	ret = acsi_read_acs(pdev, acs);
	if (ret == -ENXIO)
		ret = ACSI_ACS_UNREAD_ALL_ONES;
	else if (ret)
		ret = ACSI_ACS_UNREAD_READ_ERROR;
	if (ret) {
		/* Keep what is known without config space. */
		memset(acs, 0, sizeof(*acs));
		acs->pos = pdev->acs_cap;
		acs->dword_layout = acsi_is_intel_spt_dword_acs(pdev);
	}
	return ret;
}

bool acsi_acs_flags_enabled(const struct acsi_acs *acs, u16 flags)
{
	if (!acs->pos)
		return false;
	/* Flags the capability lacks are hard-wired on, except EC. */
	flags &= acs->cap | PCI_ACS_EC;
	return (acs->ctrl & flags) == flags;
}

static struct acsi_verdict acsi_verdict_make(bool isolated, u8 origin)
{
	struct acsi_verdict v = {
		.known = true,
		.isolated = isolated,
		.origin = origin,
	};

	return v;
}

struct acsi_verdict acsi_registers_verdict(struct pci_dev *pdev,
					   const struct acsi_acs *acs,
					   u16 flags)
{
	bool regs = acsi_acs_flags_enabled(acs, flags);

	/* The SPT quirk decides by the registers at +8, whatever the type. */
	if (acs->dword_layout)
		return acsi_verdict_make(regs, ACSI_ORIGIN_REGISTERS);

	if (!pci_is_pcie(pdev))
		return acsi_verdict_make(false, ACSI_ORIGIN_TYPE_RULE);

	switch (pci_pcie_type(pdev)) {
	case PCI_EXP_TYPE_PCIE_BRIDGE:
	case PCI_EXP_TYPE_PCI_BRIDGE:
	case PCI_EXP_TYPE_RC_EC:
		return acsi_verdict_make(false, ACSI_ORIGIN_TYPE_RULE);
	case PCI_EXP_TYPE_DOWNSTREAM:
	case PCI_EXP_TYPE_ROOT_PORT:
		return acsi_verdict_make(regs, ACSI_ORIGIN_REGISTERS);
	case PCI_EXP_TYPE_ENDPOINT:
	case PCI_EXP_TYPE_UPSTREAM:
	case PCI_EXP_TYPE_LEG_END:
	case PCI_EXP_TYPE_RC_END:
		if (!pdev->multifunction)
			break;
		return acsi_verdict_make(regs, ACSI_ORIGIN_REGISTERS);
	}
	/* PCIe r3.0 6.12.1.3: single functions need no ACS (pci.c). */
	return acsi_verdict_make(true, ACSI_ORIGIN_TYPE_RULE);
}

bool acsi_bus_is_root(const struct pci_bus *bus)
{
	return !bus->parent;
}

u64 acsi_pack_addr(const struct pci_dev *pdev)
{
	return ACSI_ADDR_PACK((u32)pci_domain_nr(pdev->bus), pdev->bus->number,
			      pdev->devfn);
}

static bool acsi_is_pcie_port(struct pci_dev *pdev)
{
	if (!pci_is_pcie(pdev))
		return false;
	switch (pci_pcie_type(pdev)) {
	case PCI_EXP_TYPE_ROOT_PORT:
	case PCI_EXP_TYPE_UPSTREAM:
	case PCI_EXP_TYPE_DOWNSTREAM:
		return true;
	}
	return false;
}

bool acsi_bridge_alias(struct pci_dev *pdev, u64 *alias)
{
	u32 domain = pci_domain_nr(pdev->bus);
	struct pci_bus *bus;
	bool found = false;

	/* The bridge part of pci_for_each_dma_alias(); the topmost wins. */
	for (bus = pdev->bus; !acsi_bus_is_root(bus); bus = bus->parent) {
		struct pci_dev *tmp = bus->self;
		struct pci_bus *sub;
		u32 flags;

		if (!tmp)
			continue;
		/* Read once: removal clears it after freeing the bus. */
		sub = READ_ONCE(tmp->subordinate);
		flags = (__force u32)tmp->dev_flags;
		if (flags & ACSI_DEVFL_BRIDGE_XLATE_ROOT)
			break;
		if (pci_is_pcie(tmp)) {
			switch (pci_pcie_type(tmp)) {
			case PCI_EXP_TYPE_PCI_BRIDGE:
				if (flags & ACSI_DEVFL_NO_ALIAS_BIT)
					continue;
				if (!sub)
					continue;
				*alias = ACSI_ADDR_PACK(domain, sub->number,
							PCI_DEVFN(0, 0));
				found = true;
				break;
			case PCI_EXP_TYPE_PCIE_BRIDGE:
				*alias = acsi_pack_addr(tmp);
				found = true;
				break;
			}
			continue;
		}
		if ((flags & ACSI_DEVFL_PCIE_BRIDGE_ALIAS) && sub)
			*alias = ACSI_ADDR_PACK(domain, sub->number,
						PCI_DEVFN(0, 0));
		else
			*alias = acsi_pack_addr(tmp);
		found = true;
	}
	return found;
}

static bool acsi_has_dma_alias_mask(struct pci_dev *pdev)
{
	return pdev->dma_alias_mask &&
	       !bitmap_empty(pdev->dma_alias_mask, ACSI_NR_DEVFNS);
}

struct acsi_group_probe {
	struct pci_bus *sub;
	struct iommu_group *bridge_group;
	bool proven;
};

static int acsi_group_probe_one(struct pci_dev *dev, void *data)
{
	struct acsi_group_probe *p = data;
	struct iommu_group *group;
	u64 alias;

	/* Only direct children: deeper ones stop at their own bridge. */
	if (dev->bus != p->sub)
		return 0;
	/* A DMA alias may have moved the child into another group. */
	if (acsi_has_dma_alias_mask(dev) || acsi_bridge_alias(dev, &alias))
		return 0;
	group = iommu_group_get(&dev->dev);
	if (!group)
		return 0;
	if (group != p->bridge_group)
		p->proven = true;
	iommu_group_put(group);
	return p->proven;
}

bool acsi_child_group_proves_isolation(struct pci_dev *bridge)
{
	struct acsi_group_probe p = {
		.sub = READ_ONCE(bridge->subordinate),
	};
	struct pci_bus *bus;

	if (!acsi_is_pcie_port(bridge) || !p.sub)
		return false;
	if (pci_pcie_type(bridge) == PCI_EXP_TYPE_UPSTREAM)
		return false;
	/* VMD domains alias every device to the VMD endpoint. */
	if (pci_domain_nr(bridge->bus) > 0xffff)
		return false;
	/* Every bridge above must forward requester IDs unchanged. */
	for (bus = bridge->bus; !acsi_bus_is_root(bus); bus = bus->parent)
		if (bus->self && !acsi_is_pcie_port(bus->self))
			return false;

	p.bridge_group = iommu_group_get(&bridge->dev);
	if (!p.bridge_group)
		return false;
	pci_walk_bus(p.sub, acsi_group_probe_one, &p);
	iommu_group_put(p.bridge_group);
	return p.proven;
}

/*
 * Quirks that can deny isolation the standard registers give: in 6.1 and
 * 6.12 only pci_quirk_zhaoxin_pcie_ports_acs(), which answers "no" for
 * Zhaoxin root and downstream ports outside its ID list.  (The Intel PCH
 * quirk only matches ports without a standard ACS capability.)
 */
static bool acsi_quirk_may_deny(struct pci_dev *pdev)
{
	if (pdev->vendor != PCI_VENDOR_ID_ZHAOXIN || !pci_is_pcie(pdev))
		return false;
	return pci_pcie_type(pdev) == PCI_EXP_TYPE_ROOT_PORT ||
	       pci_pcie_type(pdev) == PCI_EXP_TYPE_DOWNSTREAM;
}

struct acsi_verdict acsi_effective_verdict(struct pci_dev *pdev,
					   const struct acsi_verdict *regs,
					   const struct acsi_observation *obs)
{
	struct acsi_verdict none = { .known = false };

	if (obs && obs->have_enabled)
		return acsi_verdict_make(obs->enabled, ACSI_ORIGIN_KPROBE);
	/* Only the Intel PCH enable quirk sets it, and its check reads it. */
	if ((__force u32)pdev->dev_flags & ACSI_DEVFL_ACS_ENABLED_QUIRK)
		return acsi_verdict_make(true, ACSI_ORIGIN_KERNEL_FLAG);
	if (!regs->isolated && acsi_child_group_proves_isolation(pdev))
		return acsi_verdict_make(true, ACSI_ORIGIN_GROUPS);
	/*
	 * An isolating register verdict stands where no quirk can deny it:
	 * the others only add isolation, and the SPT layout is already read
	 * the quirk's way by acsi_read_acs().
	 */
	if (regs->known && regs->isolated && !acsi_quirk_may_deny(pdev))
		return *regs;
	return none;
}

int acsi_path_walk(struct pci_dev *pdev, struct pci_dev **hops, int max)
{
	struct pci_bus *bus;
	int n = 0;

	if (max < 1)
		return -E2BIG;
	hops[n++] = pdev;
	for (bus = pdev->bus; !acsi_bus_is_root(bus); bus = bus->parent) {
		if (!bus->self)
			continue;	/* SR-IOV virtual bus */
		if (n >= max)
			return -E2BIG;
		hops[n++] = bus->self;
	}
	return n;
}

/*
 * Each acsi_fill_*() below has an acsi_*_size() beside it that counts
 * every attribute the fill can put, present or not: replies are allocated
 * at that size once, and running out of room is a bug.  An attribute added
 * to a fill goes into its size too (tests/kunit acs_msg_*_size check it).
 */
static int acsi_put_bool(struct sk_buff *skb, int attr, bool val)
{
	return nla_put_u8(skb, attr, val ? 1 : 0);
}

static size_t acsi_ids_size(void)
{
	return nla_total_size(sizeof(u32)) +	/* DOMAIN */
	       2 * nla_total_size(sizeof(u8)) +	/* BUS, DEVFN */
	       4 * nla_total_size(sizeof(u16)) + /* VENDOR ... SUBDEVICE */
	       nla_total_size(sizeof(u32)) +	/* CLASS */
	       3 * nla_total_size(sizeof(u8));	/* REVISION ... MULTIFUNCTION */
}

static int acsi_fill_ids(struct sk_buff *skb, struct pci_dev *pdev)
{
	if (nla_put_u32(skb, ACSI_A_DOMAIN, pci_domain_nr(pdev->bus)) ||
	    nla_put_u8(skb, ACSI_A_BUS, pdev->bus->number) ||
	    nla_put_u8(skb, ACSI_A_DEVFN, pdev->devfn) ||
	    nla_put_u16(skb, ACSI_A_VENDOR, pdev->vendor) ||
	    nla_put_u16(skb, ACSI_A_DEVICE, pdev->device) ||
	    nla_put_u16(skb, ACSI_A_SUBVENDOR, pdev->subsystem_vendor) ||
	    nla_put_u16(skb, ACSI_A_SUBDEVICE, pdev->subsystem_device) ||
	    nla_put_u32(skb, ACSI_A_CLASS, pdev->class) ||
	    nla_put_u8(skb, ACSI_A_REVISION, pdev->revision) ||
	    nla_put_u8(skb, ACSI_A_HDR_TYPE, pdev->hdr_type & 0x7f) ||
	    acsi_put_bool(skb, ACSI_A_MULTIFUNCTION, pdev->multifunction))
		return -EMSGSIZE;
	return 0;
}

static size_t acsi_topology_size(void)
{
	return 3 * nla_total_size(sizeof(u8)) +	/* IS_PCIE, PCIE_TYPE, IS_BRIDGE */
	       2 * nla_total_size(sizeof(u8)) +	/* SECONDARY, SUBORDINATE */
	       3 * nla_total_size(sizeof(u8)) +	/* IS_VIRTFN, HAS_SRIOV, ARI */
	       2 * nla_total_size_64bit(sizeof(u64)) + /* PF_, UPSTREAM_ADDR */
	       3 * nla_total_size(sizeof(u8));	/* ATS_ENABLED ... EXTERNAL_FACING */
}

static int acsi_fill_topology(struct sk_buff *skb, struct pci_dev *pdev)
{
	struct pci_dev *up = pci_upstream_bridge(pdev);
	/* Once: pci_remove_bus_device() frees the bus before clearing it. */
	struct pci_bus *sub = READ_ONCE(pdev->subordinate);

	if (acsi_put_bool(skb, ACSI_A_IS_PCIE, pci_is_pcie(pdev)))
		return -EMSGSIZE;
	if (pci_is_pcie(pdev) &&
	    nla_put_u8(skb, ACSI_A_PCIE_TYPE, pci_pcie_type(pdev)))
		return -EMSGSIZE;
	if (acsi_put_bool(skb, ACSI_A_IS_BRIDGE, !!sub))
		return -EMSGSIZE;
	if (sub &&
	    (nla_put_u8(skb, ACSI_A_SECONDARY, sub->number) ||
	     nla_put_u8(skb, ACSI_A_SUBORDINATE, sub->busn_res.end)))
		return -EMSGSIZE;
	if (acsi_put_bool(skb, ACSI_A_IS_VIRTFN, pdev->is_virtfn) ||
	    acsi_put_bool(skb, ACSI_A_HAS_SRIOV, pdev->is_physfn) ||
	    acsi_put_bool(skb, ACSI_A_ARI, pci_ari_enabled(pdev->bus)))
		return -EMSGSIZE;
#ifdef CONFIG_PCI_IOV
	if (pdev->is_virtfn && pdev->physfn &&
	    nla_put_u64_64bit(skb, ACSI_A_PF_ADDR, acsi_pack_addr(pdev->physfn),
			      ACSI_A_PAD))
		return -EMSGSIZE;
#endif
	if (up && nla_put_u64_64bit(skb, ACSI_A_UPSTREAM_ADDR,
				    acsi_pack_addr(up), ACSI_A_PAD))
		return -EMSGSIZE;
#ifdef CONFIG_PCI_ATS
	if (acsi_put_bool(skb, ACSI_A_ATS_ENABLED, pdev->ats_enabled))
		return -EMSGSIZE;
#endif
	if (acsi_put_bool(skb, ACSI_A_UNTRUSTED, pdev->untrusted) ||
	    acsi_put_bool(skb, ACSI_A_EXTERNAL_FACING, pdev->external_facing))
		return -EMSGSIZE;
	return 0;
}

/*
 * The driver name is counted as it is now.  Binding is not under
 * pci_lock_rescan_remove(): a driver with a longer name bound between
 * sizing and filling would not fit: acsi_build_device() then answers
 * -EAGAIN (no warning, a caller can race a bind on purpose); nothing
 * shorter than the name bounds it.
 */
static size_t acsi_kernel_size(struct pci_dev *pdev)
{
	struct device_driver *drv = READ_ONCE(pdev->dev.driver);
	size_t size;

	size = 2 * nla_total_size(sizeof(u32)) +	/* IOMMU_GROUP, DEV_FLAGS */
	       nla_total_size(ACSI_ALIAS_MASK_LEN) +	/* DMA_ALIAS_MASK */
	       nla_total_size_64bit(sizeof(u64));	/* BRIDGE_ALIAS */
	if (drv && drv->name)
		size += nla_total_size(strlen(drv->name) + 1);	/* DRIVER */
	return size;
}

static int acsi_fill_kernel(struct sk_buff *skb, struct pci_dev *pdev)
{
	struct iommu_group *group;
	struct device_driver *drv;
	u64 alias;

	/* Unlocked read, the way dev_driver_string() reads it. */
	drv = READ_ONCE(pdev->dev.driver);
	if (drv && drv->name && nla_put_string(skb, ACSI_A_DRIVER, drv->name))
		return -EMSGSIZE;

	/*
	 * No domain type: iommu_get_domain_for_dev() is for the driver bound
	 * to the device, and a group reference does not pin the domain
	 * (changing the group's type or a VFIO detach frees it under the
	 * group's mutex, which no exported function takes for a reader).
	 * /sys/kernel/iommu_groups/N/type reads it under that mutex.
	 */
	group = iommu_group_get(&pdev->dev);
	if (group) {
		int ret = nla_put_u32(skb, ACSI_A_IOMMU_GROUP,
				      iommu_group_id(group));

		iommu_group_put(group);
		if (ret)
			return -EMSGSIZE;
	}

	if (nla_put_u32(skb, ACSI_A_DEV_FLAGS,
			(__force u32)pdev->dev_flags & ACSI_DEVFL_GROUPING_MASK))
		return -EMSGSIZE;
	if (pdev->dma_alias_mask) {
		u32 words[ACSI_NR_DEVFNS / 32];
		__le32 mask[ACSI_NR_DEVFNS / 32];
		int i;

		BUILD_BUG_ON(sizeof(mask) != ACSI_ALIAS_MASK_LEN);

		/* Little-endian words: bit n of byte b is devfn 8 * b + n. */
		bitmap_to_arr32(words, pdev->dma_alias_mask, ACSI_NR_DEVFNS);
		for (i = 0; i < ARRAY_SIZE(mask); i++)
			mask[i] = cpu_to_le32(words[i]);
		if (nla_put(skb, ACSI_A_DMA_ALIAS_MASK, sizeof(mask), mask))
			return -EMSGSIZE;
	}
	if (acsi_bridge_alias(pdev, &alias) &&
	    nla_put_u64_64bit(skb, ACSI_A_BRIDGE_ALIAS, alias, ACSI_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static size_t acsi_acs_size(void)
{
	/* Either the reason the registers are missing, or the registers. */
	size_t regs = 3 * nla_total_size(sizeof(u16)) +	/* POS, CAP, CTRL */
		      2 * nla_total_size(sizeof(u8));	/* EGRESS_BITS, DWORD_LAYOUT */

	return max_t(size_t, nla_total_size(sizeof(u8)), regs) + /* UNREADABLE */
	       4 * nla_total_size(sizeof(u8)) +	/* REGS_, EFF_ISOLATED/ORIGIN */
	       nla_total_size(sizeof(s32));		/* QUIRK_RESULT */
}

static int acsi_fill_acs(struct sk_buff *skb, struct pci_dev *pdev,
			 const struct acsi_observation *obs)
{
	struct acsi_verdict regs, eff;
	struct acsi_acs acs;
	u8 unread;

	/*
	 * Registers that could not be read are left out with the reason,
	 * never decoded: all ones would read as every ACS bit set.
	 */
	unread = acsi_read_acs_checked(pdev, &acs);
	if (unread) {
		if (nla_put_u8(skb, ACSI_A_ACS_UNREADABLE, unread))
			return -EMSGSIZE;
	} else {
		if (nla_put_u16(skb, ACSI_A_ACS_POS, acs.pos))
			return -EMSGSIZE;
		if (acs.pos &&
		    (nla_put_u16(skb, ACSI_A_ACS_CAP, acs.cap) ||
		     nla_put_u16(skb, ACSI_A_ACS_CTRL, acs.ctrl) ||
		     nla_put_u8(skb, ACSI_A_ACS_EGRESS_BITS, acs.egress_bits) ||
		     acsi_put_bool(skb, ACSI_A_ACS_DWORD_LAYOUT,
				   acs.dword_layout)))
			return -EMSGSIZE;
	}

	regs = acsi_registers_verdict(pdev, &acs, ACSI_REQ_ACS_FLAGS);
	/* A verdict the missing registers would decide is not known. */
	if (unread && regs.origin == ACSI_ORIGIN_REGISTERS)
		regs = (struct acsi_verdict){ .known = false };
	eff = acsi_effective_verdict(pdev, &regs, obs);
	if (regs.known &&
	    (acsi_put_bool(skb, ACSI_A_REGS_ISOLATED, regs.isolated) ||
	     nla_put_u8(skb, ACSI_A_REGS_ORIGIN, regs.origin)))
		return -EMSGSIZE;
	if (eff.known &&
	    (acsi_put_bool(skb, ACSI_A_EFF_ISOLATED, eff.isolated) ||
	     nla_put_u8(skb, ACSI_A_EFF_ORIGIN, eff.origin)))
		return -EMSGSIZE;
	if (obs && obs->have_quirk &&
	    nla_put_s32(skb, ACSI_A_QUIRK_RESULT, obs->quirk))
		return -EMSGSIZE;
	return 0;
}

size_t acsi_device_size(struct pci_dev *pdev)
{
	return acsi_ids_size() + acsi_topology_size() +
	       acsi_kernel_size(pdev) + acsi_acs_size();
}

int acsi_fill_device(struct sk_buff *skb, struct pci_dev *pdev,
		     const struct acsi_observation *obs)
{
	int ret;

	ret = acsi_fill_ids(skb, pdev);
	if (!ret)
		ret = acsi_fill_topology(skb, pdev);
	if (!ret)
		ret = acsi_fill_kernel(skb, pdev);
	if (!ret)
		ret = acsi_fill_acs(skb, pdev, obs);
	return ret;
}

size_t acsi_path_size(struct pci_dev *pdev)
{
	size_t size = nla_total_size(sizeof(u32));	/* HOP_COUNT */
	struct pci_bus *bus;

	/* The hops of acsi_path_walk(), each a nest of device attributes. */
	size += nla_total_size(acsi_device_size(pdev));
	for (bus = pdev->bus; !acsi_bus_is_root(bus); bus = bus->parent)
		if (bus->self)
			size += nla_total_size(acsi_device_size(bus->self));
	return size;
}

int acsi_fill_path(struct sk_buff *skb, struct pci_dev *pdev,
		   bool (*observe)(struct pci_dev *pdev,
				   struct acsi_observation *obs))
{
	struct pci_dev **hops;
	int n, i, ret = 0;

	hops = kcalloc(ACSI_MAX_HOPS, sizeof(*hops), GFP_KERNEL);
	if (!hops)
		return -ENOMEM;
	n = acsi_path_walk(pdev, hops, ACSI_MAX_HOPS);
	if (n < 0) {
		ret = n;
		goto out;
	}
	if (nla_put_u32(skb, ACSI_A_HOP_COUNT, n)) {
		ret = -EMSGSIZE;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct acsi_observation obs;
		struct nlattr *nest;
		bool have = observe && observe(hops[i], &obs);

		nest = nla_nest_start(skb, ACSI_A_HOP);
		if (!nest) {
			ret = -EMSGSIZE;
			goto out;
		}
		ret = acsi_fill_device(skb, hops[i], have ? &obs : NULL);
		if (ret) {
			nla_nest_cancel(skb, nest);
			goto out;
		}
		nla_nest_end(skb, nest);
	}
out:
	kfree(hops);
	return ret;
}
