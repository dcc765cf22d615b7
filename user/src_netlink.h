/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src_netlink.h - facts from the running kernel through the acs_inspect
 * module's generic netlink family (include/uapi/linux/acs_inspect.h).
 */
#ifndef ACSEXPLAIN_SRC_NETLINK_H
#define ACSEXPLAIN_SRC_NETLINK_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* Return codes of the functions below (0 is success). */
#define AX_NL_ENOMODULE	1	/* family "acs_inspect" not registered */
#define AX_NL_EPROTO	2	/* module speaks another protocol version */
#define AX_NL_EPERM	3	/* caller lacks CAP_SYS_ADMIN or is in a netns */
#define AX_NL_EIO	4	/* anything else: socket, kernel error, parse */

/*
 * Dump every PCI device the kernel knows into m (which should be empty)
 * and link the topology.  Sets source, kernel release, IOMMU state,
 * module_facts and, per device, the kernel's facts (dev_flags, DMA alias
 * mask, IOMMU group, driver, domain type) and the ACS registers with origin
 * AX_ORIG_KERNEL.  A dump torn by hot-plug is retried a few times.
 * Returns 0 or an AX_NL_E* code with one line in err.
 */
int ax_source_netlink(struct ax_machine *m, char *err, size_t errlen);

/* The kernel's isolation verdicts for one device (REQ_ACS_FLAGS). */
struct ax_nl_verdict {
	bool regs_isolated;	/* registers and type rules */
	int regs_origin;	/* enum acsi_origin */
	bool eff_known;		/* the module established the kernel's view */
	bool eff_isolated;
	int eff_origin;		/* enum acsi_origin */
	bool quirk_known;	/* a kprobe saw the quirk table's answer */
	int quirk_result;	/* -ENOTTY: no quirk; 0/1 a quirk decided */
};

/* One hop of a device's upstream path (GET_PATH). */
struct ax_nl_hop {
	struct ax_addr addr;
	uint16_t vendor, device;
	bool is_pcie;
	enum ax_pcie_type pcie_type;
	int kernel_group;	/* AX_GROUP_NONE or the group id */
	struct ax_nl_verdict verdict;
};

/*
 * The ordered hops from the device at a up to the device on the root bus.
 * Stores at most max hops; *n gets the number the kernel reported.
 * Returns 0 or an AX_NL_E* code (AX_NL_EIO with "no PCI device ..." when
 * the address is unknown) with one line in err.
 */
int ax_netlink_path(struct ax_addr a, struct ax_nl_hop *hops, int max,
		    int *n, char *err, size_t errlen);

/* Name of an enum acsi_origin value ("registers", "kernel-flag", ...). */
const char *ax_nl_origin_name(int origin);

#endif
