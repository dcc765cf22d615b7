/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * analysis/derivation.h - the state one derivation shares between its
 * passes: grouping (derive.c), reasons (reasons.c), audit (audit.c).
 * Private to analysis/; the result they fill is struct ax_result.
 */
#ifndef ACSEXPLAIN_DERIVATION_H
#define ACSEXPLAIN_DERIVATION_H

#include "analysis.h"

enum join_kind {
	J_NONE,		/* not probed: the kernel gave it no group */
	J_NEW,		/* iommu_group_alloc() */
	J_ALIAS,	/* step 1: an alias (bridge) already had a group */
	J_UPSTREAM,	/* step 2: a bridge above without isolation */
	J_DMA_ALIAS,	/* step 3: same-bus DMA alias */
	J_MULTIFUNCTION,	/* step 4: function of the same slot */
};

struct join {
	enum join_kind kind;
	int via;	/* device whose group was joined */
	int culprit;	/* first non-isolating hop (J_UPSTREAM) */
};

struct ax_derivation {
	const struct ax_machine *m;
	const struct ax_profile *p;
	struct ax_result *r;
	int *grp;		/* group so far, -1 = none yet; final ids */
	bool *probed;		/* device gets a group at all */
	uint8_t (*alias)[32];	/* effective DMA alias masks */
	uint32_t *flags;	/* effective dev_flags */
	int *byorder;		/* device indices in probe order */
	/* device indices by bus, in probe order on each bus: devices on
	 * i's bus are bybus[bus_lo[i] .. bus_hi[i])
	 */
	int *bybus, *bus_lo, *bus_hi;
	int *real;		/* pci_real_dma_dev(): VMD endpoint, or itself */
	struct join *join;
	int ngroups;
};

static inline void ax_set_alias(uint8_t *mask, int devfn)
{
	if (devfn >= 0 && devfn < 256)
		mask[devfn / 8] |= (uint8_t)(1u << (devfn % 8));
}

static inline bool ax_has_alias(const uint8_t *mask, int devfn)
{
	return mask[devfn / 8] & (1u << (devfn % 8));
}

/* reasons.c: every device's reasons, then its main culprit. */
void ax_build_reasons(struct ax_derivation *c);
void ax_build_culprits(struct ax_result *r);
/* audit.c: where the groups promise more isolation than the hardware. */
void ax_build_audit(struct ax_derivation *c);

#endif
