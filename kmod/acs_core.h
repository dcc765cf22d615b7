/* SPDX-License-Identifier: GPL-2.0 */
/*
 * acs_core.h - pure logic of acs_inspect: ACS decoding, the isolation
 * decision per port type, the upstream path walk and netlink message
 * building.  Nothing here registers anything or keeps global state, so
 * the KUnit suites in tests/kunit/ can drive it with fake devices on a
 * fake bus.
 */
#ifndef ACS_INSPECT_CORE_H
#define ACS_INSPECT_CORE_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/pci_regs.h>
#include <uapi/linux/acs_inspect.h>
#include <uapi/linux/acs_inspect_addr.h>
#include "compat.h"

struct pci_dev;
struct pci_bus;
struct sk_buff;

/* Flags the IOMMU core requires of every hop (iommu.c REQ_ACS_FLAGS). */
#define ACSI_REQ_ACS_FLAGS (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

/*
 * enum pci_dev_flags bits that matter for grouping.  Bit 14
 * (PCI_BRIDGE_NO_ALIAS) only has that meaning where the kernel defines it.
 */
#define ACSI_DEVFL_ACS_ENABLED_QUIRK	BIT(3)
#define ACSI_DEVFL_PCIE_BRIDGE_ALIAS	BIT(5)
#define ACSI_DEVFL_BRIDGE_XLATE_ROOT	BIT(9)
#define ACSI_DEVFL_PCI_BRIDGE_NO_ALIAS	BIT(14)
#if ACSI_HAVE_PCI_BRIDGE_NO_ALIAS
#define ACSI_DEVFL_NO_ALIAS_BIT ACSI_DEVFL_PCI_BRIDGE_NO_ALIAS
#else
#define ACSI_DEVFL_NO_ALIAS_BIT 0U
#endif
#define ACSI_DEVFL_GROUPING_MASK (ACSI_DEVFL_ACS_ENABLED_QUIRK | \
				  ACSI_DEVFL_PCIE_BRIDGE_ALIAS | \
				  ACSI_DEVFL_BRIDGE_XLATE_ROOT | \
				  ACSI_DEVFL_NO_ALIAS_BIT)

/* Bits in pdev->dma_alias_mask (MAX_NR_DEVFNS of drivers/pci/pci.h). */
#define ACSI_NR_DEVFNS 256

/* Longest upstream path acsi_path_walk() returns (bus numbers bound it). */
#define ACSI_MAX_HOPS 256

/**
 * struct acsi_acs - ACS registers of one function, as the kernel reads them
 * @pos: offset of the ACS extended capability (pdev->acs_cap), 0 if none
 * @cap: ACS capability bits (PCI_ACS_SV ... PCI_ACS_DT)
 * @ctrl: ACS control bits, read at +6, or at +8 for dword-layout ports
 * @egress_bits: egress control vector size (capability bits 15:8)
 * @dword_layout: the Intel SPT-style layout applies (ctrl dword at +8)
 */
struct acsi_acs {
	u16 pos;
	u16 cap;
	u16 ctrl;
	u8 egress_bits;
	bool dword_layout;
};

/**
 * struct acsi_verdict - one isolation verdict and where it came from
 * @known: false when nothing establishes the answer (@isolated undefined)
 * @isolated: the device passes pci_acs_enabled() for the flags asked
 * @origin: enum acsi_origin saying what the verdict rests on
 */
struct acsi_verdict {
	bool known;
	bool isolated;
	u8 origin;
};

/**
 * struct acsi_observation - what kprobes saw the kernel decide for a device
 * @have_enabled: @enabled holds a pci_acs_enabled() result seen for
 *	ACSI_REQ_ACS_FLAGS
 * @enabled: that result
 * @have_quirk: @quirk holds a pci_dev_specific_acs_enabled() result seen
 *	for ACSI_REQ_ACS_FLAGS
 * @quirk: that result (-ENOTTY: no quirk matched, 0/1: a quirk decided)
 *
 * Filled by the module's kprobe code (acs_kprobe.c); the core only reads it.
 */
struct acsi_observation {
	bool have_enabled;
	bool enabled;
	bool have_quirk;
	int quirk;
};

/**
 * acsi_is_intel_spt_dword_acs() - does the device use dword-wide ACS registers
 * @pdev: the device
 *
 * Mirrors the kernel's pci_quirk_intel_spt_pch_acs_match(): Intel PCIe root
 * ports with device IDs 0xa110-0xa11f, 0xa167-0xa16a, 0xa290-0xa29f,
 * 0xa2e7-0xa2ee and 0x9d10-0x9d1b keep the ACS control register as a dword
 * at capability + 8.
 *
 * Return: true for such a port.
 */
bool acsi_is_intel_spt_dword_acs(const struct pci_dev *pdev);

/**
 * acsi_read_acs() - read a device's ACS registers from config space
 * @pdev: the device; its ACS offset is taken from pdev->acs_cap as the
 *	kernel's own pci_acs_enabled() does
 * @acs: filled in; all zero when the device has no ACS capability
 *
 * For dword-layout ports (acsi_is_intel_spt_dword_acs()) the capability is
 * the low word of the dword at +4 and the control is the low word of the
 * dword at +8, as in pci_quirk_intel_spt_pch_acs().
 *
 * Return: 0; -ENXIO when a register read all ones (PCI_POSSIBLE_ERROR: the
 * device did not answer); or the accessor's error as a negative errno.
 */
int acsi_read_acs(struct pci_dev *pdev, struct acsi_acs *acs);

/**
 * acsi_read_acs_checked() - read the ACS registers if they can be trusted
 * @pdev: the device
 * @acs: filled in; on failure only @acs->pos and @acs->dword_layout
 *
 * Does not touch config space of a device in D3cold or that the PCI core
 * marked offline, and refuses all-ones reads and accessor errors.
 *
 * Return: ACSI_ACS_UNREAD_NONE (0) when @acs holds the registers (or the
 * device has no ACS capability), else the enum acsi_acs_unreadable reason.
 */
u8 acsi_read_acs_checked(struct pci_dev *pdev, struct acsi_acs *acs);

/**
 * acsi_acs_flags_enabled() - pci_acs_flags_enabled() on decoded registers
 * @acs: the decoded registers
 * @flags: ACS flags asked for (PCI_ACS_*)
 *
 * Flags missing from the capability count as hard-wired on, except EC.
 *
 * Return: false when there is no capability or an asked flag is off.
 */
bool acsi_acs_flags_enabled(const struct acsi_acs *acs, u16 flags);

/**
 * acsi_registers_verdict() - pci_acs_enabled() without the quirk table
 * @pdev: the device
 * @acs: its decoded registers (acsi_read_acs())
 * @flags: ACS flags asked for
 *
 * Applies the per-type rules of pci_acs_enabled(): conventional PCI,
 * PCIe<->PCI bridges and RC event collectors never isolate; root and
 * downstream ports isolate by their registers; endpoints, legacy
 * endpoints, RCiEPs and upstream ports isolate when single-function and by
 * their registers when multifunction.  The dword-layout ports are decided
 * by their registers read at +8.  Origin is ACSI_ORIGIN_REGISTERS when the
 * registers decided, ACSI_ORIGIN_TYPE_RULE when the type alone did.
 *
 * Return: the verdict (always known).
 */
struct acsi_verdict acsi_registers_verdict(struct pci_dev *pdev,
					   const struct acsi_acs *acs,
					   u16 flags);

/**
 * acsi_child_group_proves_isolation() - infer isolation from IOMMU groups
 * @bridge: a root port or switch downstream port
 *
 * pci_device_group() puts a device below a bridge into the bridge's group
 * unless pci_acs_path_enabled(bridge) held (or a DMA alias moved it).  A
 * direct child with no DMA aliases, under a path of PCIe ports only, that
 * sits in a different group than @bridge therefore proves the kernel found
 * @bridge (and its path) isolating.
 *
 * Return: true if such a child exists; false proves nothing.
 */
bool acsi_child_group_proves_isolation(struct pci_dev *bridge);

/**
 * acsi_effective_verdict() - the kernel's own view, as far as established
 * @pdev: the device
 * @regs: its registers verdict (acsi_registers_verdict())
 * @obs: kprobe observations for the device, or NULL
 *
 * In order: a kprobe-observed pci_acs_enabled() result
 * (ACSI_ORIGIN_KPROBE); PCI_DEV_FLAGS_ACS_ENABLED_QUIRK set by the Intel
 * PCH quirk (ACSI_ORIGIN_KERNEL_FLAG, isolated); group evidence from
 * acsi_child_group_proves_isolation() (ACSI_ORIGIN_GROUPS, isolated); an
 * isolated registers verdict, unless a quirk can deny it (Zhaoxin root and
 * downstream ports).  A non-isolated registers verdict is not promoted to
 * a fact about the kernel, because an unexported quirk may override it:
 * the result is then unknown.
 *
 * Return: the verdict; .known is false when nothing establishes it.
 */
struct acsi_verdict acsi_effective_verdict(struct pci_dev *pdev,
					   const struct acsi_verdict *regs,
					   const struct acsi_observation *obs);

/**
 * acsi_bridge_alias() - the bridge alias a device's DMA is seen with
 * @pdev: the device
 * @alias: set to ACSI_ADDR_PACK() of the topmost alias a bridge creates,
 *	as pci_for_each_dma_alias() walks
 *
 * Return: true if some bridge above aliases the device.
 */
bool acsi_bridge_alias(struct pci_dev *pdev, u64 *alias);

/**
 * acsi_path_walk() - the upstream path pci_device_group() walks
 * @pdev: the starting device (hop 0)
 * @hops: array receiving @pdev and each bridge above it, without taking
 *	references (the caller holds one on @pdev, which pins its parents)
 * @max: size of @hops
 *
 * Buses without a bridge (SR-IOV virtual buses) are skipped, as in
 * pci_device_group().  The last hop is on a root bus.
 *
 * Return: number of hops stored, or -E2BIG if @max was too small.
 */
int acsi_path_walk(struct pci_dev *pdev, struct pci_dev **hops, int max);

/**
 * acsi_bus_is_root() - is the bus a root bus
 * @bus: the bus
 *
 * Return: true when @bus has no parent bus.
 */
bool acsi_bus_is_root(const struct pci_bus *bus);

/**
 * acsi_pack_addr() - pack a device address the way the UAPI does
 * @pdev: the device
 *
 * Return: (domain << 16) | (bus << 8) | devfn, with the 32-bit domain.
 */
u64 acsi_pack_addr(const struct pci_dev *pdev);

/**
 * acsi_device_size() - room acsi_fill_device() needs at most
 * @pdev: the device (the caller holds what acsi_fill_device() asks for)
 *
 * Counts every attribute acsi_fill_device() can put, whether the device
 * has it or not, and its driver's name as bound now.
 *
 * Return: bytes of attributes, for genlmsg_new() or a nest.
 */
size_t acsi_device_size(struct pci_dev *pdev);

/**
 * acsi_fill_device() - put every per-device fact into a message
 * @skb: message being built (after the genetlink header)
 * @pdev: the device (the caller holds a reference, and
 *	pci_lock_rescan_remove() so that its bridges, buses and PF stay)
 * @obs: kprobe observations for the device, or NULL
 *
 * Emits the ACSI_A_* device attributes documented in the UAPI header.  A
 * config read that fails leaves the ACS registers out with
 * ACSI_A_ACS_UNREADABLE; the device is still emitted.
 *
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
int acsi_fill_device(struct sk_buff *skb, struct pci_dev *pdev,
		     const struct acsi_observation *obs);

/**
 * acsi_path_size() - room acsi_fill_path() needs at most
 * @pdev: the device (the caller holds what acsi_fill_path() asks for)
 *
 * Return: bytes of attributes: the hop count and one nest of
 * acsi_device_size() per hop of acsi_path_walk().
 */
size_t acsi_path_size(struct pci_dev *pdev);

/**
 * acsi_fill_path() - put the upstream path of a device into a message
 * @skb: message being built (after the genetlink header)
 * @pdev: the device (the caller holds a reference and
 *	pci_lock_rescan_remove())
 * @observe: callback giving kprobe observations of a hop, or NULL
 *
 * Emits ACSI_A_HOP_COUNT and one ACSI_A_HOP nest per hop, in order from
 * @pdev up to the device on the root bus; each nest holds the device
 * attributes of acsi_fill_device().
 *
 * Return: 0, -EMSGSIZE when @skb is full, or -E2BIG for an absurd path.
 */
int acsi_fill_path(struct sk_buff *skb, struct pci_dev *pdev,
		   bool (*observe)(struct pci_dev *pdev,
				   struct acsi_observation *obs));

#endif /* ACS_INSPECT_CORE_H */
