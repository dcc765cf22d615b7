/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the one place where acs_inspect looks at the kernel version.
 *
 * Each difference between the kernels the module supports (6.1 and 6.12,
 * and what is known of later ones) is turned into a named capability here;
 * the rest of the module tests only these names.
 */
#ifndef ACS_INSPECT_COMPAT_H
#define ACS_INSPECT_COMPAT_H

#include <linux/version.h>

/*
 * The only use of LINUX_VERSION_CODE in the module (checkpatch flags it;
 * an out-of-tree module cannot be "for the version to which it is merged").
 */
#define ACSI_KERNEL_AT_LEAST(major, minor) \
	(KERNEL_VERSION(major, minor, 0) <= LINUX_VERSION_CODE)

/*
 * Since 6.2 a family may describe do and dump of a command separately
 * (struct genl_split_ops), each with its own policy.  Before that only
 * struct genl_ops exists and a command has one policy.
 */
#if ACSI_KERNEL_AT_LEAST(6, 2)
#define ACSI_HAVE_GENL_SPLIT_OPS 1
#else
#define ACSI_HAVE_GENL_SPLIT_OPS 0
#endif

/*
 * PCI_DEV_FLAGS_PCI_BRIDGE_NO_ALIAS (bit 14: a PCIe-to-PCI bridge that
 * forwards requester IDs unchanged) exists from 7.0; on older kernels bit
 * 14 is unused and pci_for_each_dma_alias() does not test it.
 */
#if ACSI_KERNEL_AT_LEAST(7, 0)
#define ACSI_HAVE_PCI_BRIDGE_NO_ALIAS 1
#else
#define ACSI_HAVE_PCI_BRIDGE_NO_ALIAS 0
#endif

/*
 * From 7.0 the ACS capability word is cached in pdev->acs_capabilities
 * (and may be masked there by pci_disable_broken_acs_cap()); earlier
 * kernels read it from config space on every check.
 */
#if ACSI_KERNEL_AT_LEAST(7, 0)
#define ACSI_HAVE_CACHED_ACS_CAPS 1
#else
#define ACSI_HAVE_CACHED_ACS_CAPS 0
#endif

/*
 * IOMMU domain types added after 6.1: SVA (6.2), NESTED (6.7), PLATFORM
 * (6.8).  Only named when the kernel has them.
 */
#if ACSI_KERNEL_AT_LEAST(6, 8)
#define ACSI_HAVE_IOMMU_DOMAIN_PLATFORM 1
#else
#define ACSI_HAVE_IOMMU_DOMAIN_PLATFORM 0
#endif
#if ACSI_KERNEL_AT_LEAST(6, 2)
#define ACSI_HAVE_IOMMU_DOMAIN_SVA 1
#else
#define ACSI_HAVE_IOMMU_DOMAIN_SVA 0
#endif

#endif /* ACS_INSPECT_COMPAT_H */
