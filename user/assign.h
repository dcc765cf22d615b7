/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * assign.h - what a VFIO user can do with a device, as an expert would
 * answer: the verdict first (can it be passed through, with what), the
 * device's functions elsewhere, who is at fault when the group is shared,
 * and the remedies that can actually be done on this machine.  Pure: it
 * reads the facts, the derivation and the groups, and prints nothing.
 */
#ifndef ACSEXPLAIN_ASSIGN_H
#define ACSEXPLAIN_ASSIGN_H

#include "derive.h"
#include "model.h"

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
struct ax_grouping {
	int *of;		/* per device: group key, or AX_GROUP_NONE */
	bool kernel;		/* keys are the kernel's group numbers */
	/* the facts list no groups and the derivation rests on them alone */
	bool derived;
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
	char why[400];		/* the verdict in one sentence */
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
 * Can a what-if comparison be trusted?  Returns how many devices' ACS
 * verdicts (before or after) rest on registers that could not be read,
 * with the reason in why; 0 when the comparison is on facts.
 */
int ax_what_if_unknowns(const struct ax_machine *m,
			const struct ax_result *before,
			const struct ax_result *after, char *why, size_t len);

#endif
