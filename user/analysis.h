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

#include "exitcodes.h"
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
	AX_R_VMD_DOMAIN,	/* behind Intel VMD: DMA as the VMD endpoint */
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
	bool simulated;		/* isolation that only an override simulates */
	char text[256];
};

/* One device's part of a derivation (index = device index). */
struct ax_dev_result {
	int group;		/* predicted group id, or AX_GROUP_NONE */
	struct ax_acs_verdict acs;	/* pci_acs_enabled() */
	struct ax_reason *reasons;
	int n_reasons;
	int culprit;		/* main device at fault for the group, -1 */
	/* compare.c: the devices the kernel groups it with differ from the
	 * devices predicted with it (false when not compared)
	 */
	bool mismatch;
};

#define AX_MAX_NOTES 8

/* One derivation of one machine under one profile. */
struct ax_result {
	int n_devs;
	struct ax_dev_result *dev;	/* [n_devs] */
	struct ax_group *groups;
	int n_groups;
	struct ax_audit *audit;
	int n_audit;
	/* Comparison with the kernel's groups (compare.c), counted once:
	 * n_mismatch is the number of devices with dev[].mismatch.
	 */
	bool compared;		/* kernel groups known and the IOMMU on */
	bool matches_kernel;	/* predicted partition == kernel's */
	int n_mismatch;
	char mismatch_cause[240];	/* what explains it, "" if unknown */
	/* what the derivation could not model (machine notes aside) */
	char notes[AX_MAX_NOTES][160];
	int n_notes;
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
/* Run the derivation: groups, verdicts, reasons, audit, comparison.
 * m is not changed.  0, or -1 on out of memory (res is then empty).
 */
int ax_derive(const struct ax_machine *m, const struct ax_profile *p,
	      struct ax_result *res);
void ax_result_free(struct ax_result *res);
/* compare.c: set res->compared, matches_kernel, n_mismatch, each
 * dev[].mismatch and each group's kernel_group from res's groups and the
 * kernel's (ax_derive() calls it).
 */
void ax_compare_kernel(const struct ax_machine *m, struct ax_result *res);
/* compare.c: when the groups differ, the assumption that reproduces the
 * kernel's groups (ACS override, newer quirks) into res->mismatch_cause.
 */
void ax_find_mismatch_cause(const struct ax_machine *m,
			    const struct ax_profile *p, struct ax_result *res);
/* pci_acs_enabled(dev, REQ_ACS_FLAGS) with its basis. */
void ax_acs_enabled(const struct ax_machine *m, int idx,
		    const struct ax_profile *p, struct ax_acs_verdict *v);
const char *ax_reason_code_name(enum ax_reason_code c);
const char *ax_acs_basis_name(enum ax_acs_basis b);
/* acs.c: the ACS control word the kernel would act on. */
uint16_t ax_effective_acs_ctrl(const struct ax_machine *m,
			       const struct ax_dev *d,
			       const struct ax_profile *p);

/* ---- the complete analysis: what was asked in, everything to print out ---- */

#define AX_MAX_WHAT_IF 8
#define AX_MAX_PORTS_SHOWN 12

/* What was asked: the command line, parsed (acsexplain.c). */
struct ax_request {
	bool all;		/* --all, or nothing else asked */
	bool has_target;	/* a device or vendor:device was named */
	struct ax_selector target;
	const char *target_text;	/* as typed, for messages */
	int kver;		/* --kernel as AX_KVER(), 0: the data's release */
	const char *kernel;	/* --kernel as typed (kernel_release.c) */
	bool plan;		/* --plan */
	bool audit;		/* --audit */
	bool validate;		/* --validate-quirk */
	uint16_t quirk_vendor, quirk_device;
	const char *what_if[AX_MAX_WHAT_IF];	/* --what-if SPECs */
	int n_what_if;
};

/* What the user can do about one device's group (remedies.c). */
struct ax_remedies {
	int quirk_dev;		/* culprit a newer kernel has a quirk for, -1 */
	int quirk_release;	/* that release (AX_KVER) */
	const char *quirk_callback;
	bool port_problem;	/* a port or bridge without ACS widens it */
	int ports[AX_MAX_PORTS_SHOWN];	/* ports whose whole path isolates */
	bool port_free[AX_MAX_PORTS_SHOWN];	/* nothing below it */
	int n_ports;
	bool ports_more;	/* the list stopped at AX_MAX_PORTS_SHOWN */
	bool controls_off;	/* a port has ACS switched off */
	bool whole_group;	/* others share the group: assign all of it */
};

/* The vfio-pci assignment plan for one device's group (plan.c). */
struct ax_plan_member {
	int dev;
	bool endpoint;		/* VFIO assigns it; bridges stay */
	bool ok;		/* endpoint already with vfio-pci, pci-stub,
				 * or no driver
				 */
};

struct ax_plan {
	int dev;		/* the device asked about */
	int group;		/* its group, AX_GROUP_NONE: cannot assign */
	bool viable;		/* every endpoint ok */
	int n_endpoints;
	struct ax_plan_member *members;
	int n_members;
};

/* --validate-quirk VENDOR:DEVICE (validate.c). */
struct ax_quirk_dev {
	int dev;
	bool overrides_cap;	/* a quirk decides although it has ACS */
	bool has_cap;		/* has ACS: no quirk needed if controls on */
	bool single_function;	/* a multifunction quirk changes nothing */
	int *peers;		/* other functions, not quirked, not isolated */
	int n_peers;
};

struct ax_quirk_check {
	uint16_t vendor, device;
	int *entries;		/* indices into axq_acs_table for this id */
	int n_entries;
	struct ax_quirk_dev *devs;	/* the devices with this id */
	int n_devs;
	const char *newer_callback;	/* a newer kernel's quirk, or NULL */
};

/* One group of the what-if result that is not a group of the real one
 * (whatif.c).
 */
struct ax_group_change {
	int group;		/* in the what-if result */
	bool merged;		/* from several groups; else split off one */
	int n_from;		/* merged: how many groups; split: the size of
				 * the group it was split from
				 */
};

struct ax_whatif {
	char what[512];		/* the SPECs, ", "-separated */
	bool moved;		/* move=: addresses changed, no diff */
	struct ax_machine machine;	/* the machine under the change */
	struct ax_profile profile;
	struct ax_result res;
	int *selected;		/* the selected devices in machine */
	int n_selected;
	bool *listed;		/* [machine.n]: printed in scope */
	struct ax_group_change *changes;	/* not when moved */
	int n_changes;
};

/* One device asked about, with everything said about it. */
struct ax_selected {
	int dev;
	struct ax_remedies remedies;
	struct ax_plan plan;	/* when the request asked for it */
	int *audit;		/* --audit: entries of res.audit that touch
				 * its group
				 */
	int n_audit;
};

struct ax_analysis {
	const struct ax_machine *m;
	struct ax_profile profile;
	struct ax_result res;
	bool all;		/* every group (no device named) */
	bool plan, audit;	/* asked for: the fields below are filled */
	struct ax_selected *sel;	/* the devices named, address order */
	int n_sel;
	bool *listed;		/* [m->n]: in scope (all, or the named
				 * devices' groups)
				 */
	struct ax_quirk_check *quirk;	/* --validate-quirk, or NULL */
	struct ax_whatif *what_if;	/* --what-if, or NULL */
};

/*
 * analyse.c: everything the request asks about the machine m, which is not
 * changed and must outlive a.  Returns AX_EXIT_OK, or an AX_EXIT_* code
 * (no such device, a bad --what-if, out of memory) with one line in err;
 * a is then empty.
 */
int ax_analyse(const struct ax_machine *m, const struct ax_request *rq,
	       struct ax_analysis *a, char *err, size_t errlen);
void ax_analysis_free(struct ax_analysis *a);

/* The parts, for ax_analyse() and the tests. */
void ax_remedies(const struct ax_machine *m, const struct ax_profile *p,
		 const struct ax_result *r, int idx, struct ax_remedies *out);
int ax_plan(const struct ax_machine *m, const struct ax_result *r, int idx,
	    struct ax_plan *out);
void ax_plan_free(struct ax_plan *p);
int ax_validate_quirk(const struct ax_machine *m, const struct ax_profile *p,
		      const struct ax_result *r, uint16_t vendor,
		      uint16_t device, struct ax_quirk_check *out);
void ax_quirk_check_free(struct ax_quirk_check *q);
/* whatif.c: apply the SPECs to a copy of m and derive again. */
int ax_what_if(const struct ax_machine *m, const struct ax_profile *p,
	       const struct ax_result *before, const char *const *specs,
	       int n_specs, const int *selected, int n_selected,
	       struct ax_whatif *out, char *err, size_t errlen);
void ax_whatif_free(struct ax_whatif *w);
/* analyse.c: set listed[i] for every device of the groups of
 * selected[0..n) (selected NULL: every device); others are left alone.
 */
void ax_mark_listed(const struct ax_result *r, const int *selected, int n,
		    bool *listed);
/* Release in which a quirk for this device first applies, > kver; 0. */
int ax_quirk_release_for(const struct ax_dev *d, int kver,
			 const char **callback);

#endif
