// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * analysis/audit.c - the isolation audit: devices in different groups that
 * can still reach each other without the IOMMU translating (REFERENCE
 * section 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acs_kernel.h"
#include "derivation.h"

void ax_audit_add(struct ax_result *r, int from, int to, int via,
		  bool simulated, const char *text)
{
	struct ax_audit *na = realloc(r->audit, (r->n_audit + 1) * sizeof(*na));

	if (!na)
		return;
	r->audit = na;
	na[r->n_audit].from = from;
	na[r->n_audit].to = to;
	na[r->n_audit].via = via;
	na[r->n_audit].simulated = simulated;
	snprintf(na[r->n_audit].text, sizeof(na[0].text), "%s", text);
	r->n_audit++;
}

/* Function @i may reach the other functions of its device: one entry for
 * each that the derivation put in another group, @why saying why that is
 * wrong.
 */
static void audit_same_device(struct ax_derivation *c, int i, const char *why)
{
	const struct ax_machine *m = c->m;
	const struct ax_dev *d = &m->devs[i];
	char text[256], a1[AX_ADDR_STRLEN], a2[AX_ADDR_STRLEN];
	int t;

	for (t = 0; t < (int)m->n; t++) {
		const struct ax_dev *p = &m->devs[t];

		if (t == i || !c->probed[t] || !ax_same_bus(p, d) ||
		    AX_SLOT(p->addr.devfn) != AX_SLOT(d->addr.devfn) ||
		    c->grp[t] == c->grp[i])
			continue;
		snprintf(text, sizeof(text),
			 "%s has no isolating ACS and may reach %s of the same device internally%s",
			 ax_dev_str(m, i, a1), ax_dev_str(m, t, a2), why);
		ax_audit_add(c->r, i, t, i, false, text);
	}
}

void ax_build_audit(struct ax_derivation *c)
{
	struct ax_result *r = c->r;
	const struct ax_machine *m = c->m;
	char text[256], a1[AX_ADDR_STRLEN], a2[AX_ADDR_STRLEN], a3[AX_ADDR_STRLEN];
	int i, t;

	for (i = 0; i < (int)m->n; i++) {
		const struct ax_dev *d = &m->devs[i];

		if (!c->probed[i])
			continue;
		/* Peer downstream ports: a DSP without redirect forwards
		 * requests from below it straight to its peers.
		 */
		if (d->is_pcie && d->pcie_type == AX_EXP_DOWNSTREAM &&
		    !c->r->dev[i].acs.isolated) {
			for (t = 0; t < (int)m->n; t++) {
				const struct ax_dev *p = &m->devs[t];

				if (t == i || !c->probed[t] ||
				    p->parent != d->parent || !p->is_pcie ||
				    p->pcie_type != AX_EXP_DOWNSTREAM ||
				    c->grp[t] == c->grp[i])
					continue;
				snprintf(text, sizeof(text),
					 "devices below %s can reach devices below its peer %s without the IOMMU (%s lacks ACS redirect), yet the kernel put them in different groups",
					 ax_dev_str(m, i, a1), ax_dev_str(m, t, a2),
					 ax_dev_str(m, i, a3));
				ax_audit_add(r, i, t, i, false, text);
			}
		}
		/* Asymmetric ACS inside a multifunction device. */
		if (d->multifunction && !c->r->dev[i].acs.isolated)
			audit_same_device(c, i, ", yet they are in different groups");
		/* A function grouped as a single one when it was added after
		 * boot (acs.c): the kernel's "isolated" is not the hardware's.
		 */
		if (c->r->dev[i].acs.late_single)
			audit_same_device(c, i,
					  "; the kernel grouped it apart only because it was added after boot without the multifunction header bit");
		/* ACS that the kernel enabled and someone switched off. */
		if (m->iommu == AX_IOMMU_ON && d->acs_known && d->acs_pos &&
		    d->is_pcie && (d->pcie_type == AX_EXP_ROOT_PORT ||
				   d->pcie_type == AX_EXP_DOWNSTREAM) &&
		    (d->acs_cap & AX_REQ_ACS_FLAGS & ~d->acs_ctrl) &&
		    !d->acs_dword_layout &&
		    !ax_kparam_list_match(m, i, c->p->disable_acs_redir,
					  false)) {
			snprintf(text, sizeof(text),
				 "%s implements ACS but controls are off (cap %04x ctrl %04x): switched off by firmware or after boot; devices below it are not isolated from their peers",
				 ax_dev_str(m, i, a1), d->acs_cap, d->acs_ctrl);
			ax_audit_add(r, i, -1, i, false, text);
		}
		if (c->r->dev[i].acs.basis == AX_ACS_BY_OVERRIDE) {
			snprintf(text, sizeof(text),
				 "%s is treated as isolating only by a simulated override: no hardware isolation",
				 ax_dev_str(m, i, a1));
			ax_audit_add(r, i, -1, i, true, text);
		}
	}
}
