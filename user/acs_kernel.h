/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acs_kernel.h - what the kernel writes into a port's ACS control register
 * while it scans the bus (drivers/pci/pci.c pci_enable_acs(),
 * pci_std_enable_acs(), pci_disable_acs_redir() / __pci_config_acs(), per
 * release), and how it matches the devices named in pci=disable_acs_redir=
 * and pci=config_acs= (pci_dev_str_match()).
 */
#ifndef ACSEXPLAIN_ACS_KERNEL_H
#define ACSEXPLAIN_ACS_KERNEL_H

#include "analysis.h"

/*
 * pci_dev_str_match() on the entry at p: "[dom:]bus:dev.fn[/dev.fn]*"
 * (ends at ';') or "pci:vvvv:dddd[:svvv:sddd]" (0 matches anything).
 * Returns 1 match, 0 no match, -1 the entry cannot be parsed; *end is
 * left where the kernel leaves it (at the separator).
 */
int ax_kparam_match(const struct ax_machine *m, int idx, const char *p,
		    const char **end);

/* Does the kernel select the device from this list (the first entry
 * that matches; an entry it cannot parse ends the list)?  with_flags:
 * config_acs entries, "flags@device".
 */
bool ax_kparam_list_match(const struct ax_machine *m, int idx,
			  const char *list, bool with_flags);

/* Why the groups may be made before the kernel switches ACS on. */
enum ax_acs_late {
	AX_ACS_LATE_NO,		/* requested before the scan (ACPI x86/arm64) */
	AX_ACS_LATE_DT,		/* device tree, before 7.0: at driver bind */
	AX_ACS_LATE_STABLE,	/* stable backport window of 7a126c1b6cfa */
};

/* For the machine's firmware (m->firmware) and the profile's release. */
enum ax_acs_late ax_acs_requested_late(const struct ax_machine *m,
				       const struct ax_profile *p);

/* Will the kernel switch ACS on (pci_std_enable_acs()) for the machine
 * and kernel of the profile: the IOMMU driver requested ACS before the
 * scan and the facts show the firmware's controls.
 */
bool ax_acs_kernel_enables(const struct ax_machine *m,
			   const struct ax_profile *p);

/*
 * The ACS control word of device idx after the kernel's boot-time
 * configuration for the profile's release and parameters, starting from
 * the control word in the facts.  When why is not NULL it gets a short
 * account of what changed it ("" when nothing did).
 */
uint16_t ax_kernel_acs_ctrl(const struct ax_machine *m, int idx,
			    const struct ax_profile *p, char *why,
			    size_t whylen);

/* The ACS capability word the kernel acts on: 7.0 hides SV on IDT
 * switches with erratum #36 (pci_disable_broken_acs_cap()).
 */
uint16_t ax_kernel_acs_cap(const struct ax_dev *d, const struct ax_profile *p);

/* Set p->acs_policy_text: which assumption about ACS enabling the
 * derivation makes for this machine (printed in the header, in JSON).
 */
void ax_acs_policy_describe(const struct ax_machine *m, struct ax_profile *p);

/* --what-if iommu=on|off on a copy of the facts: 0, or -1 bad value. */
int ax_what_if_iommu(struct ax_machine *m, struct ax_profile *p,
		     const char *val);

#endif
