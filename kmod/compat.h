/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the one place where acs_inspect adapts to the kernel it is
 * built for.
 *
 * Each difference between the kernels the module supports (Debian's 6.1
 * and 6.12, mainline 7.2 as scripts/build-mainline.sh builds it, and what
 * is known of others) is a named capability here; the rest of
 * the module tests only these names.  Capabilities that a header macro
 * shows are tested here; the others are probed in the kernel's headers by
 * kmod/compat.mk at build time (never by version number: distribution
 * kernels backport).  A capability not probed is taken as absent.
 */
#ifndef ACS_INSPECT_COMPAT_H
#define ACS_INSPECT_COMPAT_H

#include <linux/iommu.h>

/*
 * struct genl_split_ops (6.2): a family may describe do and dump of a
 * command separately, each with its own policy.  Before that only struct
 * genl_ops exists and a command has one policy.  Probed by compat.mk.
 */
#ifndef ACSI_HAVE_GENL_SPLIT_OPS
#define ACSI_HAVE_GENL_SPLIT_OPS 0
#endif

/*
 * PCI_DEV_FLAGS_PCI_BRIDGE_NO_ALIAS (7.0, bit 14: a PCIe-to-PCI bridge
 * that forwards requester IDs unchanged); on older kernels bit 14 is unused
 * and pci_for_each_dma_alias() does not test it.  Probed by compat.mk.
 */
#ifndef ACSI_HAVE_PCI_BRIDGE_NO_ALIAS
#define ACSI_HAVE_PCI_BRIDGE_NO_ALIAS 0
#endif

/*
 * pdev->acs_capabilities (7.0): the ACS capability word cached, and maybe
 * masked by pci_disable_broken_acs_cap(); earlier kernels read it from
 * config space on every check.  Probed by compat.mk.
 */
#ifndef ACSI_HAVE_CACHED_ACS_CAPS
#define ACSI_HAVE_CACHED_ACS_CAPS 0
#endif

/* IOMMU domain types added after 6.1: SVA (6.2), PLATFORM (6.8). */
#ifdef IOMMU_DOMAIN_SVA
#define ACSI_HAVE_IOMMU_DOMAIN_SVA 1
#else
#define ACSI_HAVE_IOMMU_DOMAIN_SVA 0
#endif
#ifdef IOMMU_DOMAIN_PLATFORM
#define ACSI_HAVE_IOMMU_DOMAIN_PLATFORM 1
#else
#define ACSI_HAVE_IOMMU_DOMAIN_PLATFORM 0
#endif

#endif /* ACS_INSPECT_COMPAT_H */
