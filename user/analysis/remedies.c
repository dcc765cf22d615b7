// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * analysis/remedies.c - what the user can do about a device's group: a
 * newer kernel's quirk for the device at fault, a slot behind a port that
 * isolates, ACS switched back on, or assigning the whole group.
 */
#include <string.h>

#include "analysis.h"
#include "quirks.h"

/* First release after kver (or any, kver 0) in which an ACS quirk entry
 * and its ID lists cover this device.
 */
int ax_quirk_release_for(const struct ax_dev *d, int kver,
			 const char **callback)
{
	size_t i, k;
	int best = 0;

	for (i = 0; i < axq_acs_table_len; i++) {
		const struct axq_acs_entry *q = &axq_acs_table[i];
		int first = q->first;

		if (q->vendor != 0xffff && q->vendor != d->vendor)
			continue;
		if (q->device != AXQ_ANY && q->device != d->device)
			continue;
		if (q->device == AXQ_ANY) {
			/* any-device entries decide only through ID lists */
			bool listed = false;

			for (k = 0; k < axq_id_ranges_len; k++) {
				const struct axq_id_range *r =
					&axq_id_ranges[k];

				if (r->kind == q->kind &&
				    r->vendor == d->vendor &&
				    d->device >= r->lo && d->device <= r->hi) {
					listed = true;
					if (r->first > first)
						first = r->first;
				}
			}
			if (!listed)
				continue;
		}
		if (kver && first <= kver)
			continue;
		if (!best || first < best) {
			best = first;
			if (callback)
				*callback = q->callback;
		}
	}
	return best;
}

static bool is_port(const struct ax_dev *d)
{
	return d->is_pcie && (d->pcie_type == AX_EXP_ROOT_PORT ||
			      d->pcie_type == AX_EXP_DOWNSTREAM);
}

/* Ports whose whole path to the root isolates: a card there is alone. */
static void isolating_ports(const struct ax_machine *m,
			    const struct ax_result *r, struct ax_remedies *out)
{
	int i, h, t;

	for (i = 0; i < (int)m->n; i++) {
		bool ok = true, used = false;

		if (!is_port(&m->devs[i]))
			continue;
		for (h = i; h >= 0; h = m->devs[h].parent)
			if (!r->dev[h].acs.isolated)
				ok = false;
		if (!ok)
			continue;
		for (t = 0; t < (int)m->n; t++)
			if (m->devs[t].parent == i)
				used = true;
		out->ports[out->n_ports] = i;
		out->port_free[out->n_ports] = !used;
		if (++out->n_ports >= AX_MAX_PORTS_SHOWN) {
			out->ports_more = true;
			break;
		}
	}
}

void ax_remedies(const struct ax_machine *m, const struct ax_profile *p,
		 const struct ax_result *r, int idx, struct ax_remedies *out)
{
	const struct ax_group *g;
	int culprit = r->dev[idx].culprit, k, q;

	memset(out, 0, sizeof(*out));
	out->quirk_dev = -1;
	if (r->dev[idx].group < 0)
		return;
	g = &r->groups[r->dev[idx].group];
	for (k = 0; k < g->n; k++) {
		const struct ax_dev_result *dr = &r->dev[g->members[k]];

		for (q = 0; q < dr->n_reasons; q++) {
			enum ax_reason_code c = dr->reasons[q].code;

			if (c == AX_R_ROOT_PORT_NO_ACS ||
			    c == AX_R_DOWNSTREAM_PORT_NO_ACS ||
			    c == AX_R_PCI_BRIDGE_ALIAS ||
			    c == AX_R_CONVENTIONAL_BRIDGE)
				out->port_problem = true;
			if (c == AX_R_ACS_CONTROLS_OFF)
				out->controls_off = true;
		}
	}
	if (culprit >= 0) {
		out->quirk_release = ax_quirk_release_for(&m->devs[culprit],
							  p->kver,
							  &out->quirk_callback);
		if (out->quirk_release)
			out->quirk_dev = culprit;
	}
	if (out->port_problem)
		isolating_ports(m, r, out);
	out->whole_group = g->n > 1;
}
