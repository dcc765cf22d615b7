// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * analysis/validate.c - --validate-quirk VENDOR:DEVICE: would a vendor ACS
 * quirk for this id be right, and change anything, on these facts?
 */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "quirks.h"

static int check_dev(const struct ax_machine *m, const struct ax_result *r,
		     int i, struct ax_quirk_dev *qd)
{
	const struct ax_dev *d = &m->devs[i];
	const struct ax_acs_verdict *v = &r->dev[i].acs;
	int t;

	qd->dev = i;
	qd->overrides_cap = v->basis == AX_ACS_BY_QUIRK && d->acs_known &&
			    d->acs_pos;
	qd->has_cap = d->acs_known && d->acs_pos &&
		      v->basis != AX_ACS_BY_QUIRK;
	qd->single_function = !d->multifunction && !d->is_bridge;
	if (!d->multifunction)
		return 0;
	qd->peers = calloc(m->n + 1, sizeof(int));
	if (!qd->peers)
		return -1;
	for (t = 0; t < (int)m->n; t++) {
		const struct ax_dev *s = &m->devs[t];

		if (t == i || !ax_same_slot(s, d))
			continue;
		if (s->vendor == d->vendor && s->device == d->device)
			continue;
		if (!r->dev[t].acs.isolated)
			qd->peers[qd->n_peers++] = t;
	}
	return 0;
}

int ax_validate_quirk(const struct ax_machine *m, const struct ax_profile *p,
		      const struct ax_result *r, uint16_t vendor,
		      uint16_t device, struct ax_quirk_check *out)
{
	struct ax_dev probe;
	size_t q;
	int i;

	memset(out, 0, sizeof(*out));
	out->vendor = vendor;
	out->device = device;
	out->entries = calloc(axq_acs_table_len + 1, sizeof(int));
	out->devs = calloc(m->n + 1, sizeof(*out->devs));
	if (!out->entries || !out->devs)
		goto nomem;
	for (q = 0; q < axq_acs_table_len; q++) {
		const struct axq_acs_entry *e = &axq_acs_table[q];

		if ((e->vendor == vendor || e->vendor == 0xffff) &&
		    e->device == device)
			out->entries[out->n_entries++] = (int)q;
	}
	for (i = 0; i < (int)m->n; i++) {
		if (m->devs[i].vendor != vendor || m->devs[i].device != device)
			continue;
		if (check_dev(m, r, i, &out->devs[out->n_devs++]))
			goto nomem;
	}
	/* a newer kernel's quirk, as for a root port with this id */
	memset(&probe, 0, sizeof(probe));
	probe.vendor = vendor;
	probe.device = device;
	probe.is_pcie = true;
	probe.pcie_type = AX_EXP_ROOT_PORT;
	if (!ax_quirk_release_for(&probe, p->kver, &out->newer_callback))
		out->newer_callback = NULL;
	return 0;
nomem:
	ax_quirk_check_free(out);
	return -1;
}

void ax_quirk_check_free(struct ax_quirk_check *q)
{
	int i;

	for (i = 0; q->devs && i < q->n_devs; i++)
		free(q->devs[i].peers);
	free(q->devs);
	free(q->entries);
	memset(q, 0, sizeof(*q));
}
