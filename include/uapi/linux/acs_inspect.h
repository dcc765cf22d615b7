/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * acs_inspect.h - generic netlink interface of the acs_inspect module.
 *
 * Family ACSI_GENL_NAME, protocol version ACSI_GENL_VERSION (also sent as
 * ACSI_A_PROTO_VERSION by GET_INFO; a client must refuse another).  Every
 * command and the events group need CAP_SYS_ADMIN in the initial user
 * namespace, as sysfs requires for config space beyond the first 64 bytes;
 * the family exists in the initial network namespace only.
 *
 * A device address travels as ACSI_A_DOMAIN (32 bits: VMD and other host
 * bridges number domains from 0x10000), ACSI_A_BUS and ACSI_A_DEVFN.
 * Addresses of other devices in the same domain (PF, upstream bridge,
 * bridge alias) are packed into one u64: (domain << 16) | (bus << 8) |
 * devfn.  A boolean fact is a u8 holding 0 or 1; an attribute that is
 * absent means the module could not establish that fact.
 *
 * Version 2 (from 1): 32-bit domains, u64 packed addresses,
 * ACSI_A_ACS_UNREADABLE, ACSI_A_KPROBE_PATH, ACSI_KPROBE_PARTIAL;
 * CAP_SYS_ADMIN instead of CAP_NET_ADMIN.
 */
#ifndef _UAPI_LINUX_ACS_INSPECT_H
#define _UAPI_LINUX_ACS_INSPECT_H

#include <linux/types.h>

#define ACSI_GENL_NAME		"acs_inspect"
#define ACSI_GENL_VERSION	2
#define ACSI_MCGRP_EVENTS	"events"

#define ACSI_ADDR_PACK(domain, bus, devfn) \
	((((__u64)(domain) & 0xffffffffULL) << 16) | \
	 (((__u64)(bus) & 0xffU) << 8) | ((__u64)(devfn) & 0xffU))
#define ACSI_ADDR_DOMAIN(a)	((__u32)(((a) >> 16) & 0xffffffffU))
#define ACSI_ADDR_BUS(a)	((__u8)(((a) >> 8) & 0xffU))
#define ACSI_ADDR_DEVFN(a)	((__u8)((a) & 0xffU))

/**
 * enum acsi_cmd - commands
 * @ACSI_CMD_UNSPEC: unused
 * @ACSI_CMD_GET_INFO: do; reply: ACSI_A_MODULE_VERSION, ACSI_A_PROTO_VERSION,
 *	ACSI_A_KERNEL_RELEASE, ACSI_A_IOMMU_PRESENT, ACSI_A_ACS_REQUESTED (only
 *	when determinable), ACSI_A_GENERATION, ACSI_A_KPROBE_STATUS,
 *	ACSI_A_KPROBE_PATH, ACSI_A_REQ_ACS_FLAGS, ACSI_A_DEVICE_COUNT
 * @ACSI_CMD_GET_DEVICE: do with ACSI_A_DOMAIN, ACSI_A_BUS, ACSI_A_DEVFN
 *	(all required): one device's attributes.  Dump (no attributes): one
 *	message per PCI device; a dump torn by hot-plug carries NLM_F_DUMP_INTR
 * @ACSI_CMD_GET_PATH: do with the same address: ACSI_A_DOMAIN, ACSI_A_BUS,
 *	ACSI_A_DEVFN of the device, ACSI_A_HOP_COUNT and one ACSI_A_HOP nest
 *	per hop from the device up to the device on the root bus
 * @ACSI_CMD_DEVICE_ADDED: multicast on "events": a device was added;
 *	ACSI_A_DOMAIN, ACSI_A_BUS, ACSI_A_DEVFN, ACSI_A_VENDOR, ACSI_A_DEVICE,
 *	ACSI_A_IOMMU_GROUP (if it has one yet), ACSI_A_GENERATION
 * @ACSI_CMD_DEVICE_REMOVED: multicast on "events": a device is being
 *	removed; same attributes as ACSI_CMD_DEVICE_ADDED
 * @ACSI_CMD_DEVICE_BOUND: multicast on "events": a driver was bound to a
 *	device (its IOMMU group, when probing set it late, is now visible);
 *	same attributes plus ACSI_A_DRIVER
 */
enum acsi_cmd {
	ACSI_CMD_UNSPEC,
	ACSI_CMD_GET_INFO,
	ACSI_CMD_GET_DEVICE,
	ACSI_CMD_GET_PATH,
	ACSI_CMD_DEVICE_ADDED,
	ACSI_CMD_DEVICE_REMOVED,
	ACSI_CMD_DEVICE_BOUND,

	__ACSI_CMD_MAX,
	ACSI_CMD_MAX = __ACSI_CMD_MAX - 1
};

/**
 * enum acsi_origin - what a verdict rests on
 * @ACSI_ORIGIN_NONE: unused
 * @ACSI_ORIGIN_REGISTERS: the ACS capability and control registers
 * @ACSI_ORIGIN_KERNEL_FLAG: a flag the kernel set on the device
 *	(PCI_DEV_FLAGS_ACS_ENABLED_QUIRK)
 * @ACSI_ORIGIN_TYPE_RULE: the device type alone (pci_acs_enabled() rules
 *	for single-function endpoints, bridges, conventional PCI)
 * @ACSI_ORIGIN_GROUPS: inferred from the IOMMU groups the kernel made
 * @ACSI_ORIGIN_KPROBE: the kernel's pci_acs_enabled() result, observed by a
 *	kretprobe when the device was added after the module loaded
 */
enum acsi_origin {
	ACSI_ORIGIN_NONE,
	ACSI_ORIGIN_REGISTERS,
	ACSI_ORIGIN_KERNEL_FLAG,
	ACSI_ORIGIN_TYPE_RULE,
	ACSI_ORIGIN_GROUPS,
	ACSI_ORIGIN_KPROBE,
};

/**
 * enum acsi_kprobe_status - state of the module's kretprobes
 * @ACSI_KPROBE_OFF: not registered (the default; module parameter
 *	kprobes=1 asks for them)
 * @ACSI_KPROBE_ACTIVE: both registered: devices added from now on get
 *	ACSI_ORIGIN_KPROBE verdicts and ACSI_A_QUIRK_RESULT
 * @ACSI_KPROBE_UNAVAILABLE: registration failed (no CONFIG_KPROBES,
 *	symbol inlined or blacklisted); that origin is unavailable
 * @ACSI_KPROBE_PARTIAL: pci_acs_enabled() is observed but the probe on
 *	pci_dev_specific_acs_enabled() failed: no ACSI_A_QUIRK_RESULT
 */
enum acsi_kprobe_status {
	ACSI_KPROBE_OFF,
	ACSI_KPROBE_ACTIVE,
	ACSI_KPROBE_UNAVAILABLE,
	ACSI_KPROBE_PARTIAL,
};

/**
 * enum acsi_kprobe_path - are bridges' pci_acs_enabled() answers seen
 * @ACSI_KPROBE_PATH_UNKNOWN: kretprobes off, or the module cannot tell
 * @ACSI_KPROBE_PATH_CALLED: pci_acs_path_enabled() calls pci_acs_enabled():
 *	the answers for the bridges of a path are observed too
 * @ACSI_KPROBE_PATH_INLINED: the compiler inlined pci_acs_enabled() into
 *	pci_acs_path_enabled(): only pci_device_group()'s direct calls (for
 *	the device and multifunction slots) are observed, never the bridges
 */
enum acsi_kprobe_path {
	ACSI_KPROBE_PATH_UNKNOWN,
	ACSI_KPROBE_PATH_CALLED,
	ACSI_KPROBE_PATH_INLINED,
};

/**
 * enum acsi_acs_unreadable - why a device's ACS registers are not reported
 * @ACSI_ACS_UNREAD_NONE: unused (the attribute is absent when readable)
 * @ACSI_ACS_UNREAD_D3COLD: the device is in D3cold: config space is off
 * @ACSI_ACS_UNREAD_DISCONNECTED: the PCI core marked the device offline
 *	or disconnected (surprise removal, error recovery)
 * @ACSI_ACS_UNREAD_ALL_ONES: a read returned all ones (PCI_POSSIBLE_ERROR:
 *	the device did not answer), which would decode as every bit set
 * @ACSI_ACS_UNREAD_READ_ERROR: the config accessor returned an error
 */
enum acsi_acs_unreadable {
	ACSI_ACS_UNREAD_NONE,
	ACSI_ACS_UNREAD_D3COLD,
	ACSI_ACS_UNREAD_DISCONNECTED,
	ACSI_ACS_UNREAD_ALL_ONES,
	ACSI_ACS_UNREAD_READ_ERROR,
};

/**
 * enum acsi_attr - attributes (one set for requests, replies and hops)
 * @ACSI_A_UNSPEC: unused
 * @ACSI_A_PAD: padding for 64-bit attributes
 * @ACSI_A_MODULE_VERSION: string, the module's version
 * @ACSI_A_PROTO_VERSION: u32, ACSI_GENL_VERSION
 * @ACSI_A_KERNEL_RELEASE: string, utsname release of the running kernel
 * @ACSI_A_IOMMU_PRESENT: u8, some PCI device has an IOMMU group
 * @ACSI_A_ACS_REQUESTED: u8, the IOMMU core asked for ACS at boot
 *	(pci_request_acs()); absent: not determinable from a module
 * @ACSI_A_GENERATION: u32, bumped on every PCI device add/remove
 * @ACSI_A_KPROBE_STATUS: u8, enum acsi_kprobe_status
 * @ACSI_A_REQ_ACS_FLAGS: u16, the flags verdicts are computed for
 *	(SV|RR|CR|UF)
 * @ACSI_A_DEVICE_COUNT: u32, PCI devices present now
 * @ACSI_A_DOMAIN: u32, PCI domain (segment; VMD domains are 0x10000 up)
 * @ACSI_A_BUS: u8, bus number
 * @ACSI_A_DEVFN: u8, device and function (slot << 3 | function)
 * @ACSI_A_VENDOR: u16, vendor ID
 * @ACSI_A_DEVICE: u16, device ID
 * @ACSI_A_SUBVENDOR: u16, subsystem vendor ID
 * @ACSI_A_SUBDEVICE: u16, subsystem device ID
 * @ACSI_A_CLASS: u32, class code (24 bits: base, sub, prog-if)
 * @ACSI_A_REVISION: u8, revision ID
 * @ACSI_A_HDR_TYPE: u8, header layout (low 7 bits)
 * @ACSI_A_MULTIFUNCTION: u8, the kernel's multifunction flag
 * @ACSI_A_IS_PCIE: u8, the kernel sees a PCI Express capability
 * @ACSI_A_PCIE_TYPE: u8, PCI_EXP_TYPE_* port type (only when ACSI_A_IS_PCIE)
 * @ACSI_A_IS_BRIDGE: u8, has a subordinate bus
 * @ACSI_A_SECONDARY: u8, secondary bus number (bridges)
 * @ACSI_A_SUBORDINATE: u8, subordinate bus number (bridges)
 * @ACSI_A_IS_VIRTFN: u8, an SR-IOV virtual function
 * @ACSI_A_PF_ADDR: u64 packed, the PF of a VF
 * @ACSI_A_HAS_SRIOV: u8, an SR-IOV physical function
 * @ACSI_A_ARI: u8, ARI forwarding is enabled on the device's bus
 * @ACSI_A_UPSTREAM_ADDR: u64 packed, pci_upstream_bridge(); absent on a
 *	root bus
 * @ACSI_A_ACS_POS: u16, ACS capability offset (pdev->acs_cap), 0 if none;
 *	ACSI_A_ACS_POS to ACSI_A_ACS_DWORD_LAYOUT are absent when
 *	ACSI_A_ACS_UNREADABLE is present
 * @ACSI_A_ACS_CAP: u16, ACS capability bits (only with an ACS capability)
 * @ACSI_A_ACS_CTRL: u16, ACS control bits, read at the right place
 * @ACSI_A_ACS_EGRESS_BITS: u8, egress control vector size
 * @ACSI_A_ACS_DWORD_LAYOUT: u8, Intel SPT-style port: control dword at +8
 * @ACSI_A_ATS_ENABLED: u8, ATS is enabled
 * @ACSI_A_UNTRUSTED: u8, pdev->untrusted
 * @ACSI_A_EXTERNAL_FACING: u8, pdev->external_facing
 * @ACSI_A_DRIVER: string, bound driver (absent if none)
 * @ACSI_A_IOMMU_GROUP: u32, IOMMU group id (absent: no group)
 * @ACSI_A_DOMAIN_TYPE: u32, IOMMU_DOMAIN_* of the attached domain
 * @ACSI_A_DOMAIN_TYPE_NAME: string, "DMA", "DMA-FQ", "identity",
 *	"blocked", "unmanaged" or "other"
 * @ACSI_A_DEV_FLAGS: u32, pdev->dev_flags masked to bits 3, 5, 9 (and 14 on kernels
 *	that define PCI_DEV_FLAGS_PCI_BRIDGE_NO_ALIAS)
 * @ACSI_A_DMA_ALIAS_MASK: binary, 32 bytes: bit n = devfn n on the same
 *	bus is a DMA alias (absent when the kernel holds no mask)
 * @ACSI_A_BRIDGE_ALIAS: u64 packed, topmost alias a bridge creates for the
 *	device's requests, as pci_for_each_dma_alias() walks (absent if none)
 * @ACSI_A_REGS_ISOLATED: u8, isolates for ACSI_A_REQ_ACS_FLAGS by its
 *	registers and type (pci_acs_enabled() without the quirk table);
 *	absent when it would rest on registers that could not be read
 * @ACSI_A_REGS_ORIGIN: u8, enum acsi_origin of ACSI_A_REGS_ISOLATED
 * @ACSI_A_EFF_ISOLATED: u8, the kernel's effective verdict; absent when
 *	nothing the module can see establishes it
 * @ACSI_A_EFF_ORIGIN: u8, enum acsi_origin of ACSI_A_EFF_ISOLATED
 * @ACSI_A_QUIRK_RESULT: s32, pci_dev_specific_acs_enabled() result seen by
 *	kprobe (-ENOTTY: no quirk; 0/1: a quirk decided); absent if not seen
 * @ACSI_A_HOP_COUNT: u32, number of ACSI_A_HOP nests that follow
 * @ACSI_A_HOP: nest (this attribute set), one hop of a path; repeated
 * @ACSI_A_ACS_UNREADABLE: u8, enum acsi_acs_unreadable: the device has an
 *	ACS capability whose registers could not be read (version 2)
 * @ACSI_A_KPROBE_PATH: u8, enum acsi_kprobe_path (version 2)
 */
enum acsi_attr {
	ACSI_A_UNSPEC,
	ACSI_A_PAD,
	ACSI_A_MODULE_VERSION,
	ACSI_A_PROTO_VERSION,
	ACSI_A_KERNEL_RELEASE,
	ACSI_A_IOMMU_PRESENT,
	ACSI_A_ACS_REQUESTED,
	ACSI_A_GENERATION,
	ACSI_A_KPROBE_STATUS,
	ACSI_A_REQ_ACS_FLAGS,
	ACSI_A_DEVICE_COUNT,
	ACSI_A_DOMAIN,
	ACSI_A_BUS,
	ACSI_A_DEVFN,
	ACSI_A_VENDOR,
	ACSI_A_DEVICE,
	ACSI_A_SUBVENDOR,
	ACSI_A_SUBDEVICE,
	ACSI_A_CLASS,
	ACSI_A_REVISION,
	ACSI_A_HDR_TYPE,
	ACSI_A_MULTIFUNCTION,
	ACSI_A_IS_PCIE,
	ACSI_A_PCIE_TYPE,
	ACSI_A_IS_BRIDGE,
	ACSI_A_SECONDARY,
	ACSI_A_SUBORDINATE,
	ACSI_A_IS_VIRTFN,
	ACSI_A_PF_ADDR,
	ACSI_A_HAS_SRIOV,
	ACSI_A_ARI,
	ACSI_A_UPSTREAM_ADDR,
	ACSI_A_ACS_POS,
	ACSI_A_ACS_CAP,
	ACSI_A_ACS_CTRL,
	ACSI_A_ACS_EGRESS_BITS,
	ACSI_A_ACS_DWORD_LAYOUT,
	ACSI_A_ATS_ENABLED,
	ACSI_A_UNTRUSTED,
	ACSI_A_EXTERNAL_FACING,
	ACSI_A_DRIVER,
	ACSI_A_IOMMU_GROUP,
	ACSI_A_DOMAIN_TYPE,
	ACSI_A_DOMAIN_TYPE_NAME,
	ACSI_A_DEV_FLAGS,
	ACSI_A_DMA_ALIAS_MASK,
	ACSI_A_BRIDGE_ALIAS,
	ACSI_A_REGS_ISOLATED,
	ACSI_A_REGS_ORIGIN,
	ACSI_A_EFF_ISOLATED,
	ACSI_A_EFF_ORIGIN,
	ACSI_A_QUIRK_RESULT,
	ACSI_A_HOP_COUNT,
	ACSI_A_HOP,
	ACSI_A_ACS_UNREADABLE,
	ACSI_A_KPROBE_PATH,

	__ACSI_A_MAX,
	ACSI_A_MAX = __ACSI_A_MAX - 1
};

/* Size of ACSI_A_DMA_ALIAS_MASK: one bit per devfn. */
#define ACSI_ALIAS_MASK_LEN 32

#endif /* _UAPI_LINUX_ACS_INSPECT_H */
