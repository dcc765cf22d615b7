/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iommu_scope.h - the IOMMU driver's own say: IVRS evidence for the AMD
 * southbridge quirk, devices that get no group (analysis/iommu_scope.c).
 */
#ifndef ACSEXPLAIN_IOMMU_SCOPE_H
#define ACSEXPLAIN_IOMMU_SCOPE_H

#include <ctype.h>

#include "model.h"

static inline bool isspace_c(char c)
{
	return isspace((unsigned char)c);
}

/* Is there an ACPI IVRS table (an AMD IOMMU)?  why says on what basis. */
bool ax_ivrs_evidence(const struct ax_machine *m, char *why, size_t len);
/* Would the IOMMU driver leave device i without a group? */
bool ax_iommu_skips(const struct ax_machine *m, int i, char *why, size_t len);

#endif
