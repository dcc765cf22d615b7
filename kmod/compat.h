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
 * GENL_MCAST_CAP_NET_ADMIN/_SYS_ADMIN (6.7, and stable backports: Debian's
 * 6.1 has it): a multicast group that only privileged sockets may join.
 * Older kernels let any socket join every group.  Probed by compat.mk.
 */
#ifndef ACSI_HAVE_GENL_MCAST_CAP
#define ACSI_HAVE_GENL_MCAST_CAP 0
#endif

#endif /* ACS_INSPECT_COMPAT_H */
