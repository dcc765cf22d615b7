/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * analysis.h - re-derive IOMMU groups with the kernel's algorithm
 * (drivers/iommu/iommu.c pci_device_group(), drivers/pci/pci.c
 * pci_acs_enabled()) from the facts in a struct ax_machine, for a given
 * kernel release and set of kernel parameters, and record why each device
 * ended up where it is.
 */
#ifndef ACSEXPLAIN_ANALYSIS_H
#define ACSEXPLAIN_ANALYSIS_H

#include "model.h"

/* The fixed, documented vocabulary of reasons (Documentation/reasons.md).
 * The string form (ax_reason_code_name) is what --json prints.
 */
enum ax_reason_code {
	AX_R_ISOLATED,		/* own group: path to the root isolates */
	AX_R_ROOT_PORT_NO_ACS,	/* root port without ACS capability */
	AX_R_DOWNSTREAM_PORT_NO_ACS,	/* switch downstream port without ACS */
	AX_R_ACS_CONTROLS_OFF,	/* ACS capability present, controls off */
	AX_R_MULTIFUNCTION_NO_ACS,	/* same slot, functions without ACS */
	AX_R_PCI_BRIDGE_ALIAS,	/* conventional PCI behind PCIe-to-PCI bridge */
	AX_R_CONVENTIONAL_BRIDGE,	/* behind a conventional PCI bridge */
	AX_R_BRIDGE_NOT_ISOLATING,	/* other bridge type never isolates */
	AX_R_DMA_ALIAS_QUIRK,	/* DMA alias set by a kernel quirk */
	AX_R_SRIOV_VF,		/* VF shares its PF's fate */
	AX_R_QUIRK_ISOLATED,	/* isolation granted by a vendor quirk */
	AX_R_QUIRK_NOT_ISOLATED,	/* a vendor quirk denies isolation */
	AX_R_ACS_REDIR_DISABLED,	/* pci=disable_acs_redir= / config_acs */
	AX_R_ACS_OVERRIDE,	/* simulated: pcie_acs_override (no hardware) */
	AX_R_NO_IOMMU,		/* no IOMMU: no groups at all */
	AX_R_ACS_UNKNOWN,	/* ACS registers not readable: assumed */
	AX_R_UPSTREAM_PATH,	/* joined a bridge's group higher up */
	AX_R_PEER_REACHABLE,	/* audit: can reach peers without translation */
	AX_R__COUNT
};

struct ax_reason {
	enum ax_reason_code code;
	int at;			/* index of the device at fault, -1 none */
	int release_dep;	/* 0, or kver where the answer changes */
	char text[256];
};

/* Why pci_acs_enabled() answers what it does for one device. */
enum ax_acs_basis {
	AX_ACS_BY_REGISTERS,	/* ACS capability and control */
	AX_ACS_BY_QUIRK,	/* a pci_dev_acs_enabled[] entry decided */
	AX_ACS_BY_TYPE,		/* type rules: single-function EP etc. */
	AX_ACS_BY_OVERRIDE,	/* simulated ACS override patch */
	AX_ACS_BY_UNKNOWN,	/* registers not readable */
	AX_ACS_BY_INFERRED,	/* not readable; inferred from kernel groups */
	AX_ACS_BY_KERNEL,	/* the kernel's own call, seen by acs_inspect */
};

struct ax_acs_verdict {
	bool isolated;		/* pci_acs_enabled(dev, REQ_ACS_FLAGS) */
	enum ax_acs_basis basis;
	int quirk;		/* index in axq_acs_table, or -1 */
	uint16_t missing;	/* required flags implemented but off */
	char why[200];
};

/* What the derivation should assume about the kernel. */
struct ax_profile {
	int kver;		/* AX_KVER(); 0 = newest known */
	bool kver_from_data;	/* taken from the facts, not --kernel */
	/* --kernel or --what-if: the running kernel's own answers (module
	 * kprobes) do not apply to the machine being asked about
	 */
	bool hypothetical;
	/* pci=disable_acs_redir= and pci=config_acs= device selectors,
	 * parsed from the command line or --what-if.
	 */
	char disable_acs_redir[512];
	char config_acs[512];
	/* pcie_acs_override=downstream,multifunction,id:vvvv:dddd */
	bool ovr_downstream, ovr_multifunction;
	uint32_t ovr_ids[16];	/* vendor << 16 | device */
	int n_ovr_ids;
	/* --what-if quirk=vvvv:dddd: a mf_endpoint-style isolation quirk */
	uint32_t extra_quirk_ids[16];
	int n_extra_quirks;
	bool assume_acs_requested;	/* IOMMU on (offline data) */
	/* --what-if iommu=on|off: whether an IOMMU driver requests ACS at
	 * boot; AUTO decides from the facts (acs_kernel.c)
	 */
	enum { AX_ACSREQ_AUTO, AX_ACSREQ_ON, AX_ACSREQ_OFF } acs_request;
	bool noats;		/* pci=noats: TB is enabled too */
	/* Stable sublevel of the kernel asked about (6.1.192: 192), for
	 * quirks that stable series got before their mainline release;
	 * a lower bound when the release string only brackets it.
	 */
	bool sublevel_known;
	int sublevel;
	char release_rules[240];	/* how the release string was read */
	char acs_policy[240];	/* what is assumed about ACS enabling */
};

struct ax_group {
	int id;			/* == index */
	int *members;		/* device indices, in address order */
	int n;
	int kernel_group;	/* matching kernel group or AX_GROUP_* */
};

/* Isolation audit: where the kernel's groups promise more than the
 * hardware gives (REFERENCE section 3): devices in different groups that
 * can reach each other without the IOMMU translating.
 */
struct ax_audit {
	int from, to;		/* devices (any member of each side) */
	int via;		/* the port or function that lets it through */
	char text[256];
};

struct ax_result {
	struct ax_group *groups;
	int n_groups;
	int n_devs;		/* size of the per-device arrays */
	/* per device (index = device index) */
	struct ax_reason **reasons;
	int *n_reasons;
	struct ax_acs_verdict *acs;	/* pci_acs_enabled() per device */
	int *culprit;		/* main device at fault for the group, -1 */
	bool matches_kernel;	/* predicted partition == kernel's */
	int n_mismatch;		/* devices whose group differs */
	char mismatch_cause[240];	/* what explains it, "" if unknown */
	struct ax_audit *audit;
	int n_audit;
	/* the assumptions the answer rests on, copied from the profile */
	char acs_policy[240];	/* ACS enabling (acs_kernel.c) */
	char release_rules[240];	/* how the release string was read */
};

void ax_profile_init(struct ax_profile *p);
/* The profile's stable sublevel, -1 when not known. */
static inline int ax_sublevel(const struct ax_profile *p)
{
	return p->sublevel_known ? p->sublevel : -1;
}
/* Parse "pcie_acs_override=..." etc. from a kernel command line. */
void ax_profile_from_cmdline(struct ax_profile *p, const char *cmdline);
/* Run the derivation.  Fills dev->group and res. 0 or -1 (ENOMEM). */
int ax_derive(struct ax_machine *m, const struct ax_profile *p,
	      struct ax_result *res);
void ax_result_free(struct ax_result *res);
/* pci_acs_enabled(dev, REQ_ACS_FLAGS) with its basis. */
void ax_acs_enabled(const struct ax_machine *m, int idx,
		    const struct ax_profile *p, struct ax_acs_verdict *v);
const char *ax_reason_code_name(enum ax_reason_code c);
const char *ax_acs_basis_name(enum ax_acs_basis b);
/* acs.c: the ACS control word the kernel would act on. */
uint16_t ax_effective_acs_ctrl(const struct ax_machine *m,
			       const struct ax_dev *d,
			       const struct ax_profile *p);

#endif
