/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/acs_inspect.yaml */
/* YNL-GEN uapi header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _UAPI_LINUX_ACS_INSPECT_H
#define _UAPI_LINUX_ACS_INSPECT_H

#define ACSI_GENL_NAME		"acs_inspect"
#define ACSI_GENL_VERSION	2

#define ACSI_ALIAS_MASK_LEN	32

/**
 * enum acsi_origin - What an isolation verdict rests on.
 * @ACSI_ORIGIN_NONE: unused
 * @ACSI_ORIGIN_REGISTERS: the ACS capability and control registers
 * @ACSI_ORIGIN_KERNEL_FLAG: PCI_DEV_FLAGS_ACS_ENABLED_QUIRK, set by the Intel
 *   PCH quirk
 * @ACSI_ORIGIN_TYPE_RULE: the device type alone, as in pci_acs_enabled()
 * @ACSI_ORIGIN_GROUPS: inferred from the IOMMU groups the kernel made
 * @ACSI_ORIGIN_KPROBE: pci_acs_enabled() result observed by a kretprobe
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
 * enum acsi_kprobe_status - State of the module's kretprobes.
 * @ACSI_KPROBE_OFF: not registered (the default; the module parameter
 *   kprobes=1 asks)
 * @ACSI_KPROBE_ACTIVE: registered; devices added from now on get kprobe
 *   verdicts
 * @ACSI_KPROBE_UNAVAILABLE: registration failed; the kprobe origin is
 *   unavailable
 * @ACSI_KPROBE_PARTIAL: pci_acs_enabled() is observed but the probe on
 *   pci_dev_specific_acs_enabled() failed: no quirk-result
 */
enum acsi_kprobe_status {
	ACSI_KPROBE_OFF,
	ACSI_KPROBE_ACTIVE,
	ACSI_KPROBE_UNAVAILABLE,
	ACSI_KPROBE_PARTIAL,
};

/**
 * enum acsi_kprobe_path - Whether the pci_acs_enabled() answers for a path's
 *   bridges are seen.
 * @ACSI_KPROBE_PATH_UNKNOWN: kretprobes off, or the module cannot tell
 * @ACSI_KPROBE_PATH_CALLED: pci_acs_path_enabled() calls pci_acs_enabled();
 *   bridges observed
 * @ACSI_KPROBE_PATH_INLINED: pci_acs_enabled() is inlined into
 *   pci_acs_path_enabled(): bridges' answers are never observed
 */
enum acsi_kprobe_path {
	ACSI_KPROBE_PATH_UNKNOWN,
	ACSI_KPROBE_PATH_CALLED,
	ACSI_KPROBE_PATH_INLINED,
};

/**
 * enum acsi_acs_unreadable - Why a device's ACS registers are not reported.
 * @ACSI_ACS_UNREAD_NONE: unused
 * @ACSI_ACS_UNREAD_D3COLD: the device is in D3cold
 * @ACSI_ACS_UNREAD_DISCONNECTED: the PCI core marked the device offline or
 *   disconnected
 * @ACSI_ACS_UNREAD_ALL_ONES: a read returned all ones (PCI_POSSIBLE_ERROR)
 * @ACSI_ACS_UNREAD_READ_ERROR: the config accessor returned an error
 */
enum acsi_acs_unreadable {
	ACSI_ACS_UNREAD_NONE,
	ACSI_ACS_UNREAD_D3COLD,
	ACSI_ACS_UNREAD_DISCONNECTED,
	ACSI_ACS_UNREAD_ALL_ONES,
	ACSI_ACS_UNREAD_READ_ERROR,
};

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
	ACSI_A_MAX = (__ACSI_A_MAX - 1)
};

enum acsi_cmd {
	ACSI_CMD_GET_INFO = 1,
	ACSI_CMD_GET_DEVICE,
	ACSI_CMD_GET_PATH,
	ACSI_CMD_DEVICE_ADDED,
	ACSI_CMD_DEVICE_REMOVED,
	ACSI_CMD_DEVICE_BOUND,

	__ACSI_CMD_MAX,
	ACSI_CMD_MAX = (__ACSI_CMD_MAX - 1)
};

#define ACSI_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_ACS_INSPECT_H */
