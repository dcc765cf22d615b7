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

/* Another function of d's slot in d's kernel group? */
static bool slot_mate_in_kernel_group(const struct ax_machine *m, int i)
{
	const struct ax_dev *d = &m->devs[i];
	size_t t;

	for (t = 0; t < m->n; t++)
		if ((int)t != i && !m->devs[t].is_virtfn &&
		    ax_same_bus(&m->devs[t], d) &&
		    AX_SLOT(m->devs[t].addr.devfn) == AX_SLOT(d->addr.devfn) &&
		    m->devs[t].kernel_group == d->kernel_group)
			return true;
	return false;
}

/*
 * pci_scan_slot() (drivers/pci/probe.c, the same in 6.1, 6.12 and 7.2)
 * sets dev->multifunction for a function above 0 only after
 * pci_scan_single_device() returned it, and pci_device_add() has already
 * run device_add(), whose BUS_NOTIFY_ADD_DEVICE makes the IOMMU core
 * group the function (iommu_bus_notifier() -> iommu_probe_device()).
 * Until then dev->multifunction is bit 7 of the function's own header
 * type.  At boot the IOMMU driver probes every device after the scan, so
 * this does not show; a function added later (hot-plug, or a remove and
 * rescan through sysfs) without that bit is grouped as a single-function
 * device: pci_acs_enabled() answers isolated by definition, and
 * get_pci_function_alias_group() does not look at its slot mates.
 */
int ax_late_single_functions(const struct ax_machine *m,
			     const struct ax_profile *p,
			     const struct ax_result *res, int *out, int max)
{
	struct ax_machine m2;
	struct ax_result r2;
	int i, n = 0;
	bool hit;

	if (!res->compared || res->matches_kernel)
		return 0;
	for (i = 0; i < (int)m->n && i < res->n_devs && n < max; i++) {
		const struct ax_dev *d = &m->devs[i];

		if (d->is_virtfn || !AX_FUNC(d->addr.devfn) ||
		    !d->multifunction || (d->hdr_mf_known && d->hdr_mf) ||
		    !res->dev[i].mismatch || res->dev[i].acs.isolated ||
		    d->kernel_group < 0 || slot_mate_in_kernel_group(m, i))
			continue;
		out[n++] = i;
	}
	if (!n)
		return 0;
	if (ax_machine_copy(&m2, m))
		return -1;
	for (i = 0; i < n; i++)
		m2.devs[out[i]].multifunction = false;
	if (ax_derive(&m2, p, &r2)) {
		ax_machine_free(&m2);
		return -1;
	}
	hit = r2.matches_kernel;
	ax_result_free(&r2);
	ax_machine_free(&m2);
	return hit ? n : 0;
}

/* "0000:01:00.1 and 0000:01:00.2" */
static void addr_list(const struct ax_machine *m, const int *l, int n,
		      char *out, size_t len)
{
	char a[AX_ADDR_STRLEN];
	size_t off = 0;
	int j;

	out[0] = '\0';
	for (j = 0; j < n && off < len; j++)
		off += (size_t)snprintf(out + off, len - off, "%s%s",
					!j ? "" : j == n - 1 ? " and " : ", ",
					ax_addr_str(m->devs[l[j]].addr, a));
}

static bool late_single_cause(const struct ax_machine *m,
			      const struct ax_profile *p, struct ax_result *res)
{
	int late[16], n, k, t;
	char l[200], text[256], a1[AX_ADDR_STRLEN], a2[AX_ADDR_STRLEN];

	n = ax_late_single_functions(m, p, res, late, 16);
	if (n <= 0)
		return false;
	addr_list(m, late, n, l, sizeof(l));
	res->mismatch_kind = AX_CAUSE_LATE_SINGLE;
	snprintf(res->mismatch_cause, sizeof(res->mismatch_cause),
		 "%s %s added after boot (hot-plug, or remove and rescan) and %s no multifunction bit in %s own header type: the IOMMU core grouped %s before pci_scan_slot() marked %s multifunction, as %s, which is not real isolation. A kernel quirk the facts cannot show gives the same groups: a rescan seen with acs_inspect kprobes=1 tells them apart",
		 l, n > 1 ? "were" : "was", n > 1 ? "have" : "has",
		 n > 1 ? "their" : "its", n > 1 ? "them" : "it",
		 n > 1 ? "them" : "it",
		 n > 1 ? "single-function devices" : "a single-function device");
	/* the audit: each such function and the slot mates it can reach */
	for (k = 0; k < n; k++) {
		const struct ax_dev *d = &m->devs[late[k]];

		for (t = 0; t < (int)m->n; t++) {
			const struct ax_dev *o = &m->devs[t];

			if (t == late[k] || o->is_virtfn ||
			    !ax_same_bus(o, d) ||
			    AX_SLOT(o->addr.devfn) != AX_SLOT(d->addr.devfn))
				continue;
			snprintf(text, sizeof(text),
				 "%s has no isolating ACS and may reach %s of the same device internally; the kernel keeps them apart as it does for a function added after boot without the multifunction header bit",
				 ax_addr_str(d->addr, a1),
				 ax_addr_str(o->addr, a2));
			ax_audit_add(res, late[k], t, late[k], false, text);
		}
	}
	return true;
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

	res->mismatch_kind = AX_CAUSE_NONE;
	if (!res->compared || res->matches_kernel)
		return;
	/* the most specific cause first: it needs the facts to show it */
	if (late_single_cause(m, p, res))
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
		res->mismatch_kind = k < n_ovr ? AX_CAUSE_OVERRIDE :
				     AX_CAUSE_BACKPORT;
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
