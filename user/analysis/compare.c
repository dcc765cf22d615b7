// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * analysis/compare.c - the predicted groups against the kernel's own, in
 * one place: which devices differ (each counted once, the same list the
 * text counts and the JSON prints), and what change to the assumptions
 * reproduces the kernel's groups when they differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "quirks.h"

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Number of devices the kernel put in group g (sorted ids in kg[0..n)). */
static int kernel_group_size(const int *kg, int n, int g)
{
	const int *lo = bsearch(&g, kg, (size_t)n, sizeof(int), cmp_int);
	const int *hi;

	if (!lo)
		return 0;
	for (hi = lo; hi < kg + n && *hi == g; hi++)
		;
	while (lo > kg && lo[-1] == g)
		lo--;
	return (int)(hi - lo);
}

/*
 * A device matches when the devices predicted with it are exactly the
 * devices the kernel groups it with (group numbers differ by design).
 * Devices whose kernel group is unknown are not compared, and "no group"
 * matches "no group".  Nothing is compared when the kernel's groups are
 * unknown or the IOMMU is off.
 */
static bool device_mismatch(const struct ax_machine *m,
			    const struct ax_result *res, const int *kg,
			    int nkg, int i)
{
	const struct ax_dev *d = &m->devs[i];
	int pg = res->dev[i].group, k, n_known = 0;
	const struct ax_group *g;

	if (d->kernel_group == AX_GROUP_UNKNOWN)
		return false;
	if (d->kernel_group < 0 || pg < 0)
		return (d->kernel_group < 0) != (pg < 0);
	g = &res->groups[pg];
	for (k = 0; k < g->n; k++) {
		int mk = m->devs[g->members[k]].kernel_group;

		if (mk == AX_GROUP_UNKNOWN)
			continue;
		if (mk != d->kernel_group)
			return true;
		n_known++;
	}
	return n_known != kernel_group_size(kg, nkg, d->kernel_group);
}

void ax_compare_kernel(const struct ax_machine *m, struct ax_result *res)
{
	int *kg, nkg = 0, i, k;

	res->compared = m->kernel_groups_known && m->iommu != AX_IOMMU_OFF;
	res->matches_kernel = false;
	res->n_mismatch = 0;
	for (i = 0; i < res->n_devs; i++)
		res->dev[i].mismatch = false;
	for (i = 0; i < res->n_groups; i++) {
		struct ax_group *g = &res->groups[i];

		g->kernel_group = g->n ? m->devs[g->members[0]].kernel_group :
					 AX_GROUP_UNKNOWN;
	}
	if (!res->compared)
		return;
	/* Kernel group ids come from the input and may be anything up to
	 * INT_MAX: count them from a sorted list, not an index.
	 */
	kg = malloc((m->n + 1) * sizeof(*kg));
	if (!kg) {
		res->compared = false;
		return;
	}
	for (i = 0; i < (int)m->n; i++)
		if (m->devs[i].kernel_group >= 0)
			kg[nkg++] = m->devs[i].kernel_group;
	qsort(kg, (size_t)nkg, sizeof(*kg), cmp_int);
	for (i = 0; i < (int)m->n; i++) {
		res->dev[i].mismatch = device_mismatch(m, res, kg, nkg, i);
		res->n_mismatch += res->dev[i].mismatch;
	}
	free(kg);
	res->matches_kernel = res->n_mismatch == 0;
	/* a group's kernel group is the one that holds exactly its devices */
	for (i = 0; i < res->n_groups; i++) {
		struct ax_group *g = &res->groups[i];

		for (k = 0; k < g->n; k++)
			if (res->dev[g->members[k]].mismatch)
				g->kernel_group = AX_GROUP_UNKNOWN;
	}
}

/*
 * The kernel grouped differently than its algorithm predicts: find the
 * change that reproduces the kernel's groups.  The ACS override patch
 * (Proxmox, Zen) is the usual one; a quirk backported to a distribution
 * kernel is the other.
 */
void ax_find_mismatch_cause(const struct ax_machine *m,
			    const struct ax_profile *p, struct ax_result *res)
{
	static const char *const ovr[] = {
		"downstream", "multifunction", "downstream,multifunction",
	};
	size_t k, n_ovr = AX_ARRAY_SIZE(ovr);

	if (!res->compared || res->matches_kernel)
		return;
	for (k = 0; k <= n_ovr; k++) {
		struct ax_profile p2 = *p;
		struct ax_result r2;
		char cl[128];
		bool hit;

		if (k < n_ovr) {
			snprintf(cl, sizeof(cl), "pcie_acs_override=%s", ovr[k]);
			ax_profile_from_cmdline(&p2, cl);
		} else if (p->kver && p->kver < axq_db_newest) {
			p2.kver = 0;
		} else {
			break;
		}
		if (ax_derive(m, &p2, &r2))
			break;
		hit = r2.matches_kernel;
		ax_result_free(&r2);
		if (!hit)
			continue;
		if (k < n_ovr)
			snprintf(res->mismatch_cause, sizeof(res->mismatch_cause),
				 "the kernel's groups are exactly what the out-of-tree ACS override patch makes with pcie_acs_override=%s: that isolation is simulated, not real",
				 ovr[k]);
		else
			snprintf(res->mismatch_cause, sizeof(res->mismatch_cause),
				 "the kernel's groups match the quirks of the newest kernel: this distribution kernel carries quirks backported from later releases");
		break;
	}
}
