// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommu_scope.c - what the IOMMU driver itself decides about a device,
 * for predictions (facts without the kernel's own groups):
 *
 * - The AMD southbridge ACS quirk (pci_quirk_amd_sb_acs) applies only
 *   when an ACPI IVRS table exists.  Dumps do not carry ACPI tables, but
 *   an AMD IOMMU function (vendor 1022, class 0806) is there exactly when
 *   the firmware describes an AMD IOMMU, and AMD-Vi as the IOMMU driver is
 *   the same evidence.
 * - Devices no IOMMU translates get no group: the AMD IOMMU's own PCI
 *   function, and with intel_iommu=igfx_off (dmar_map_gfx = 0) the
 *   integrated graphics, whose DRHD unit init_no_remapping_devices()
 *   marks ignored.
 */
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "iommu_scope.h"

static bool amd_iommu_function(const struct ax_dev *d)
{
	return d->vendor == 0x1022 && (d->class >> 8) == 0x0806;
}

bool ax_ivrs_evidence(const struct ax_machine *m, char *why, size_t len)
{
	size_t i;
	char a[16];

	if (!strcmp(m->iommu_driver, "amd")) {
		snprintf(why, len, "AMD-Vi is the IOMMU driver");
		return true;
	}
	for (i = 0; i < m->n; i++)
		if (amd_iommu_function(&m->devs[i])) {
			snprintf(why, len, "AMD IOMMU function %s in the facts",
				 ax_addr_str(m->devs[i].addr, a));
			return true;
		}
	snprintf(why, len, "%s",
		 m->iommu_driver[0] ? "the IOMMU driver is not AMD-Vi" :
		 "no AMD IOMMU function (class 0806) in the facts");
	return false;
}

/* intel_iommu=...,igfx_off,... on the command line */
static bool igfx_off(const char *cmdline)
{
	const char *s = cmdline;

	while ((s = strstr(s, "intel_iommu="))) {
		const char *e = s + strcspn(s, " \t\n");
		const char *g = strstr(s, "igfx_off");

		if (g && g < e && (s == cmdline || isspace_c(s[-1])))
			return true;
		s = e;
	}
	return false;
}

bool ax_iommu_skips(const struct ax_machine *m, int i, char *why, size_t len)
{
	const struct ax_dev *d = &m->devs[i];

	if (amd_iommu_function(d) && strcmp(m->iommu_driver, "intel")) {
		snprintf(why, len,
			 "the AMD IOMMU's own function: the IOMMU does not translate for itself");
		return true;
	}
	if ((d->class >> 16) == 0x03 && d->vendor == 0x8086 &&
	    d->on_root_bus && strcmp(m->iommu_driver, "amd") &&
	    igfx_off(m->cmdline)) {
		snprintf(why, len,
			 "intel_iommu=igfx_off: the graphics DRHD unit is ignored, so the integrated GPU gets no group");
		return true;
	}
	return false;
}
