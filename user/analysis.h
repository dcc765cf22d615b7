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
};

void ax_profile_init(struct ax_profile *p);
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
/* acs.c: is the device named in a pci=...=<dev>[;<dev>] list? */
bool ax_dev_str_match(const struct ax_dev *d, const char *list);
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
	struct ax_remedy remedies[AX_MAX_REMEDIES];
	int n_remedies;
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
int ax_grouping_init(struct ax_grouping *g, const struct ax_machine *m);
void ax_grouping_free(struct ax_grouping *g);

/* Same physical device (domain:bus:device; a VF is a device of its own). */
bool ax_same_device(const struct ax_dev *a, const struct ax_dev *b);
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


#endif
