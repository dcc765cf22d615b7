/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plan.h - the vfio-pci plan for passing a device through: the whole set
 * VFIO needs (the device, its own functions, the devices sharing their
 * groups), what stays with the host, and the lines Proxmox, modprobe,
 * libvirt and QEMU take, with the warnings an expert would give.  Pure:
 * built from the facts and the groups, printed by the renderers.
 */
#ifndef ACSEXPLAIN_PLAN_H
#define ACSEXPLAIN_PLAN_H

#include "assign.h"

#define AX_PLAN_MAX_MSGS 16

struct ax_plan {
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
int ax_plan_build(const struct ax_machine *m, const struct ax_grouping *g,
		  int idx, struct ax_plan *pl);
void ax_plan_free(struct ax_plan *pl);

/* Module name for a driver name (xhci_hcd -> xhci_pci); "" if none. */
const char *ax_driver_module(const char *driver);

#endif
