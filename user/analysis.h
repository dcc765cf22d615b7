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
	AX_R_DMA_ALIAS_FIRMWARE,	/* kernel's DMA alias no quirk sets (IVRS) */
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
	/* the kernel's answer "isolated" was seen for a function added after
	 * boot without the multifunction header bit (compare.c): by its
	 * registers it does not isolate
	 */
	bool late_single;
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
	char acs_policy[400];	/* what is assumed about ACS enabling */
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
	char mismatch_cause[400];	/* what explains it, "" if unknown */
	/* which cause: the override and the late single functions make the
	 * kernel's groups promise isolation the hardware does not give
	 */
	enum {
		AX_CAUSE_NONE,
		AX_CAUSE_OVERRIDE,	/* pcie_acs_override= */
		AX_CAUSE_LATE_SINGLE,	/* ax_late_single_functions() */
		AX_CAUSE_BACKPORT,	/* newer quirks in a distribution kernel */
	} mismatch_kind;
	/* what the derivation could not model (machine notes aside) */
	char notes[AX_MAX_NOTES][160];
	int n_notes;
	/* the assumptions the answer rests on, copied from the profile */
	char acs_policy[400];	/* ACS enabling (acs_kernel.c) */
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
/* compare.c: functions above 0 that the kernel groups apart from every
 * other function of their slot while the prediction does not, and whose
 * own header type lacks the multifunction bit (or was not read): what a
 * function added after boot looks like, grouped by the IOMMU core before
 * pci_scan_slot() set its dev->multifunction.  Fills out (at most max)
 * and returns how many there are, when treating them as single-function
 * devices reproduces the kernel's groups exactly; else 0 (-1: no memory).
 */
int ax_late_single_functions(const struct ax_machine *m,
			     const struct ax_profile *p,
			     const struct ax_result *res, int *out, int max);
/* audit.c: one more entry of the isolation audit. */
void ax_audit_add(struct ax_result *r, int from, int to, int via,
		  bool simulated, const char *text);
/* pci_acs_enabled(dev, REQ_ACS_FLAGS) with its basis. */
void ax_acs_enabled(const struct ax_machine *m, int idx,
		    const struct ax_profile *p, struct ax_acs_verdict *v);
const char *ax_reason_code_name(enum ax_reason_code c);
const char *ax_acs_basis_name(enum ax_acs_basis b);
/* acs.c: the ACS control word the kernel would act on. */
uint16_t ax_effective_acs_ctrl(const struct ax_machine *m,
			       const struct ax_dev *d,
			       const struct ax_profile *p);

/*
 * The advice (analysis/assign.c): what a VFIO user can do with a device, as an expert would
 * answer: the verdict first (can it be passed through, with what), the
 * device's functions elsewhere, who is at fault when the group is shared,
 * and the remedies that can actually be done on this machine.  Pure: it
 * reads the facts, the derivation and the groups, and prints nothing.
 */

/* The verdict vocabulary, the same in text and JSON (ax_verdict_name). */
enum ax_verdict {
	AX_V_ALONE,		/* the group holds only this device */
	AX_V_OWN_DEVICE,	/* else only its own functions (and bridges) */
	AX_V_WITH_BRIDGES,	/* else only bridges */
	AX_V_SHARED,		/* another device's function is in it */
	AX_V_NO_GROUPS,		/* IOMMU off, or no groups listed or derivable */
	AX_V_UNKNOWN,		/* facts missing (e.g. report taken without root) */
};

enum ax_remedy_kind {
	AX_RM_MOVE,		/* another slot, behind ports that isolate */
	AX_RM_BIOS,		/* a firmware setup option */
	AX_RM_CONFIG_ACS,	/* pci=config_acs= (6.11+) / drop disable_acs_redir */
	AX_RM_KERNEL,		/* a kernel release with the quirk */
	AX_RM_OVERRIDE,		/* the out-of-tree ACS override patch */
	AX_RM_ASSIGN_GROUP,	/* pass every member of the group together */
};

/*
 * The groups advice rests on: the kernel's own where the facts hold them
 * (VFIO enforces those, override or not), else the derivation's.
 */
struct ax_advice_cache;

struct ax_grouping {
	int *of;		/* per device: group key, or AX_GROUP_NONE */
	bool kernel;		/* keys are the kernel's group numbers */
	/* the facts list no groups and the derivation rests on them alone */
	bool derived;
	/* what ax_assign() computes once per machine (members by group,
	 * slot candidates, what-if derivations): valid for the machine,
	 * profile and result of the first ax_assign() call
	 */
	struct ax_advice_cache *cache;
};

#define AX_MAX_REMEDIES 8
#define AX_MAX_MOVE_SLOTS 16

struct ax_remedy {
	enum ax_remedy_kind kind;
	int slots[AX_MAX_MOVE_SLOTS];	/* move: the ports, device indices */
	int n_slots;
	char text[1024];
};

struct ax_assignment {
	int dev;
	enum ax_verdict verdict;
	char why[512];		/* the verdict in one sentence */
	int group;		/* key in the grouping, AX_GROUP_NONE if none */
	/* non-bridge members of other physical devices in the group */
	int *assign_with;
	int n_assign_with;
	/* the device's own functions in the group */
	int *own;
	int n_own;
	/* the device's own functions in other groups: they go along */
	int *companions;
	int n_companions;
	/* ports or functions whose missing isolation widens a shared group:
	 * never the device itself or its own functions
	 */
	int *at_fault;
	int n_at_fault;
	/* what can be done, at most AX_MAX_REMEDIES (malloc'd: most
	 * devices of a large machine have none, and each is 1 KiB)
	 */
	struct ax_remedy *remedies;
	int n_remedies;
};

/* One group's line in --all: its verdict and its one reason. */
struct ax_group_advice {
	int key;		/* the group (kernel number or derived id) */
	int first;		/* its first member to assign, -1: only bridges
				 * and host functions
				 */
	enum ax_verdict verdict;	/* of that member */
	int n_devices;		/* physical devices to assign in it */
	int fault;		/* the culprit nearest the root, -1 none */
	int n_faults;
	int ask;		/* a member whose advice names every culprit */
};

/* The advice for every listed device of one derivation (ax_advise()). */
struct ax_advice {
	struct ax_grouping g;
	struct ax_assignment *assign;	/* [m->n]: filled where listed */
	struct ax_group_advice *groups;	/* the listed devices' groups, by key */
	int n_groups;
	/* a what-if on facts nobody could read: why it is no answer */
	char unknown[400];
};

/* Can the running kernel take pcie_acs_override=? */
enum ax_override_support {
	AX_OVR_UNKNOWN,
	AX_OVR_YES,		/* Proxmox -pve, Unraid, linux-zen, Liquorix */
	AX_OVR_NO,		/* stock Debian, Ubuntu, Fedora, RHEL, Arch */
};

const char *ax_verdict_name(enum ax_verdict v);
const char *ax_remedy_kind_name(enum ax_remedy_kind k);

/* 0, or -1 out of memory. */
int ax_grouping_init(struct ax_grouping *g, const struct ax_machine *m,
		     const struct ax_result *r);
void ax_grouping_free(struct ax_grouping *g);

/*
 * The advice for every device listed (listed NULL: all): grouping,
 * assignments, the groups' lines, and whether a what-if against
 * before (NULL: none) rests on facts.  0, or -1 out of memory.
 */
int ax_advise(const struct ax_machine *m, const struct ax_profile *p,
	      const struct ax_result *r, const bool *listed,
	      const struct ax_result *before, struct ax_advice *adv);
void ax_advice_free(struct ax_advice *adv);

/* Same physical device (domain:bus:device; a VF is a device of its own). */
bool ax_same_device(const struct ax_dev *a, const struct ax_dev *b);
/* Host bridges and chipset/uncore functions no driver wants (or only a
 * performance-counter or temperature driver holds): folded in --all.
 */
bool ax_host_function(const struct ax_dev *d);
/* PCI bridge (class 0x0604) or host bridge (0x0600): VFIO leaves them. */
bool ax_is_bridge_class(const struct ax_dev *d);

/*
 * The assignment of device idx.  p is the profile the result was derived
 * with (for what-ifs of the remedies).  0, or -1 out of memory.
 */
int ax_assign(const struct ax_machine *m, const struct ax_profile *p,
	      const struct ax_result *r, const struct ax_grouping *g, int idx,
	      struct ax_assignment *out);
void ax_assignment_free(struct ax_assignment *a);

/* The override patch for a kernel release; distro: who ships it. */
enum ax_override_support ax_override_support(const char *release,
					     const char **distro);
/* How to put param on the kernel command line of that machine. */
void ax_cmdline_howto(const struct ax_machine *m, const char *param,
		      char *buf, size_t len);

/*
 * Where the slot holding a port hangs off: "CPU root port", "chipset",
 * "switch behind a CPU root port", ... or "" when not known.
 */
const char *ax_port_location(const struct ax_machine *m, int port);

/*
 * The one reason for a group (--all): of the ports and functions whose
 * missing isolation widens group key, the one nearest the root; -1 none.
 * n_faults: how many there are.
 */
int ax_group_fault(const struct ax_machine *m, const struct ax_result *r,
		   const struct ax_grouping *g, int key, int *n_faults);

/*
 * Can a what-if comparison be trusted?  Returns how many devices' ACS
 * verdicts (before or after) rest on registers that could not be read,
 * with the reason in why; 0 when the comparison is on facts.
 */
int ax_what_if_unknowns(const struct ax_machine *m,
			const struct ax_result *before,
			const struct ax_result *after, char *why, size_t len);

/*
 * The vfio-pci plan (analysis/vfio_plan.c) for passing a device through: the whole set
 * VFIO needs (the device, its own functions, the devices sharing their
 * groups), what stays with the host, and the lines Proxmox, modprobe,
 * libvirt and QEMU take, with the warnings an expert would give.  Pure:
 * built from the facts and the groups, printed by the renderers.
 */

#define AX_PLAN_MAX_MSGS 16

struct ax_vfio_plan {
	int dev;
	/* VFIO can open the groups now: 1 yes, 0 no, -1 drivers not known */
	int viable;
	int *bind;		/* every function that goes to vfio-pci */
	int n_bind;
	int *keep;		/* bridges of those groups: stay as they are */
	int n_keep;
	char vfio_ids[512];	/* ids= of vfio-pci, "" when none to add */
	/* text blocks, "" when there is nothing to do (malloc'd) */
	char *modprobe_conf;	/* /etc/modprobe.d/vfio.conf */
	char *commands;		/* one-shot driver_override sequence */
	char *proxmox;		/* qm set <vmid> -hostpci0 ... */
	char *libvirt;		/* <hostdev> elements */
	char *qemu;		/* -device vfio-pci,host=... */
	char warnings[AX_PLAN_MAX_MSGS][400];
	int n_warnings;
	char notes[AX_PLAN_MAX_MSGS][400];
	int n_notes;
};

/* 0, or -1 out of memory. */
int ax_vfio_plan_build(const struct ax_machine *m, const struct ax_grouping *g,
		  int idx, struct ax_vfio_plan *pl);
void ax_vfio_plan_free(struct ax_vfio_plan *pl);

/* Module name for a driver name (xhci_hcd -> xhci_pci); "" if none. */
const char *ax_driver_module(const char *driver);

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
	const struct ax_ql_callback *quirk_callback;	/* @CALLBACK, or NULL */
	const char *what_if[AX_MAX_WHAT_IF];	/* --what-if SPECs */
	int n_what_if;
};

/* --validate-quirk VENDOR:DEVICE[@CALLBACK]: analysis/quirklab.h. */
struct ax_ql;
struct ax_ql_callback;


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
	struct ax_advice advice;	/* the changed machine's verdicts */
};

/* One device asked about, with everything said about it. */
struct ax_selected {
	int dev;
	struct ax_vfio_plan plan;	/* --plan (vfio_plan.c) */
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
	struct ax_advice advice;	/* the verdicts (assign.c) */
	struct ax_ql *quirk;	/* --validate-quirk, or NULL */
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

/* Is x one of the n ints at l? */
static inline bool ax_in_list(const int *l, int n, int x)
{
	int k;

	for (k = 0; k < n; k++)
		if (l[k] == x)
			return true;
	return false;
}

#endif
