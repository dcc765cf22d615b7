// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * analysis/reasons.c - why each device is where it is: the hop or function at
 * fault for its group (the vocabulary of Documentation/reasons.md), and the
 * main culprit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acs_kernel.h"
#include "derivation.h"
#include "vmd.h"

static void add_reason(struct ax_result *r, int i, enum ax_reason_code code,
		       int at, const char *text)
{
	struct ax_reason *nr;
	int k;

	for (k = 0; k < r->dev[i].n_reasons; k++)
		if (r->dev[i].reasons[k].code == code && r->dev[i].reasons[k].at == at)
			return;
	nr = realloc(r->dev[i].reasons, (r->dev[i].n_reasons + 1) * sizeof(*nr));
	if (!nr)
		return;
	r->dev[i].reasons = nr;
	nr = &nr[r->dev[i].n_reasons++];
	memset(nr, 0, sizeof(*nr));
	nr->code = code;
	nr->at = at;
	snprintf(nr->text, sizeof(nr->text), "%s", text);
}

/* Why does hop h (a bridge, or a function) not isolate? */
static enum ax_reason_code hop_code(struct ax_derivation *c, int h)
{
	const struct ax_dev *d = &c->m->devs[h];
	const struct ax_acs_verdict *v = &c->r->dev[h].acs;

	if (v->basis == AX_ACS_BY_QUIRK)
		return AX_R_QUIRK_NOT_ISOLATED;
	if (v->basis == AX_ACS_BY_UNKNOWN || v->basis == AX_ACS_BY_INFERRED)
		return AX_R_ACS_UNKNOWN;
	if (!d->is_pcie)
		return AX_R_CONVENTIONAL_BRIDGE;
	switch (d->pcie_type) {
	case AX_EXP_PCI_BRIDGE:
		return AX_R_PCI_BRIDGE_ALIAS;
	case AX_EXP_PCIE_BRIDGE:
	case AX_EXP_RC_EC:
		return AX_R_BRIDGE_NOT_ISOLATING;
	case AX_EXP_ROOT_PORT:
	case AX_EXP_DOWNSTREAM:
		if (d->acs_pos && d->acs_known) {
			if ((v->missing & (AX_ACS_RR | AX_ACS_CR)) &&
			    ax_kparam_list_match(c->m, h,
						 c->p->disable_acs_redir,
						 false))
				return AX_R_ACS_REDIR_DISABLED;
			/* pci=config_acs= exists from 6.11 */
			if (v->missing &&
			    (!c->p->kver || c->p->kver >= AX_KVER(6, 11)) &&
			    ax_kparam_list_match(c->m, h, c->p->config_acs,
						 true))
				return AX_R_ACS_REDIR_DISABLED;
			return AX_R_ACS_CONTROLS_OFF;
		}
		return d->pcie_type == AX_EXP_ROOT_PORT ?
			AX_R_ROOT_PORT_NO_ACS : AX_R_DOWNSTREAM_PORT_NO_ACS;
	default:
		if (d->multifunction)
			return d->acs_pos ? AX_R_ACS_CONTROLS_OFF :
					    AX_R_MULTIFUNCTION_NO_ACS;
		return AX_R_BRIDGE_NOT_ISOLATING;
	}
}

static void hop_text(struct ax_derivation *c, int h, enum ax_reason_code code,
		     char *out, size_t len)
{
	const struct ax_dev *d = &c->m->devs[h];
	char a[AX_ADDR_STRLEN];

	ax_dev_str(c->m, h, a);
	switch (code) {
	case AX_R_ROOT_PORT_NO_ACS:
		snprintf(out, len,
			 "root port %s has no ACS capability and no quirk: everything below it shares its group",
			 a);
		break;
	case AX_R_DOWNSTREAM_PORT_NO_ACS:
		snprintf(out, len,
			 "switch downstream port %s has no ACS capability: everything below it shares its group",
			 a);
		break;
	case AX_R_ACS_CONTROLS_OFF:
		snprintf(out, len, "%s %s: %s", ax_pcie_type_name(d), a,
			 c->r->dev[h].acs.why);
		break;
	case AX_R_ACS_REDIR_DISABLED:
		snprintf(out, len,
			 "%s %s: ACS redirect switched off by pci=disable_acs_redir= or config_acs=",
			 ax_pcie_type_name(d), a);
		break;
	case AX_R_PCI_BRIDGE_ALIAS:
		snprintf(out, len,
			 "PCIe-to-PCI bridge %s: conventional PCI devices behind it are seen by the IOMMU with the bridge's requester ID",
			 a);
		break;
	case AX_R_CONVENTIONAL_BRIDGE:
		snprintf(out, len,
			 "%s is conventional PCI: no ACS, its bus is shared and requests are aliased to it",
			 a);
		break;
	case AX_R_BRIDGE_NOT_ISOLATING:
		snprintf(out, len, "%s %s never isolates (%s)",
			 ax_pcie_type_name(d), a, c->r->dev[h].acs.why);
		break;
	case AX_R_QUIRK_NOT_ISOLATED:
		snprintf(out, len, "%s: %s", a, c->r->dev[h].acs.why);
		break;
	case AX_R_ACS_UNKNOWN:
		snprintf(out, len, "%s %s: %s", ax_pcie_type_name(d), a,
			 c->r->dev[h].acs.basis == AX_ACS_BY_INFERRED ?
			 "ACS registers not readable; the kernel's groups show it does not isolate" :
			 "ACS registers were not readable, assumed not isolating");
		break;
	case AX_R_MULTIFUNCTION_NO_ACS:
		snprintf(out, len,
			 "%s is a function of a multifunction device without ACS: its functions may talk to each other",
			 a);
		break;
	default:
		snprintf(out, len, "%s: %s", a, c->r->dev[h].acs.why);
		break;
	}
}

/* Every non-isolating hop above device i that is in i's group. */
static void upstream_reasons(struct ax_derivation *c, struct ax_result *r, int i)
{
	int chain[256], n = 0, h, k;
	char text[256];

	for (h = c->m->devs[i].parent; h >= 0 && n < 256;
	     h = c->m->devs[h].parent)
		chain[n++] = h;
	/* top-most first: that hop is why the group is as wide as it is */
	for (k = n - 1; k >= 0; k--) {
		h = chain[k];
		if (c->grp[h] != c->grp[i] || c->r->dev[h].acs.isolated)
			continue;
		{
			enum ax_reason_code code = hop_code(c, h);

			hop_text(c, h, code, text, sizeof(text));
			add_reason(r, i, code, h, text);
			/* a port that is one function of a slot without ACS
			 * also brings in its sibling ports' subtrees
			 */
			if (c->join[h].kind == J_MULTIFUNCTION) {
				hop_text(c, h, AX_R_MULTIFUNCTION_NO_ACS, text,
					 sizeof(text));
				add_reason(r, i, AX_R_MULTIFUNCTION_NO_ACS, h,
					   text);
			}
		}
	}
}

void ax_build_reasons(struct ax_derivation *c)
{
	struct ax_result *r = c->r;
	const struct ax_machine *m = c->m;
	int *size = calloc((size_t)c->ngroups + 1, sizeof(int));
	char text[256], a1[AX_ADDR_STRLEN], a2[AX_ADDR_STRLEN];
	int i;

	if (!size)
		return;
	for (i = 0; i < (int)m->n; i++)
		if (c->grp[i] >= 0)
			size[c->grp[i]]++;

	for (i = 0; i < (int)m->n; i++) {
		const struct ax_dev *d = &m->devs[i];
		struct join *j = &c->join[i];

		if (m->iommu == AX_IOMMU_OFF)
			add_reason(r, i, AX_R_NO_IOMMU, -1,
				   "no IOMMU is active: the kernel made no groups; this is the group it would make");
		if (!c->probed[i]) {
			add_reason(r, i, AX_R_NO_IOMMU, -1,
				   "the kernel gave this device no IOMMU group (not behind an IOMMU it manages)");
			continue;
		}
		upstream_reasons(c, r, i);
		switch (j->kind) {
		case J_ALIAS:
			if (j->via != i && d->addr.domain >= AX_VMD_FIRST_DOMAIN &&
			    ax_is_vmd_endpoint(&m->devs[j->via])) {
				snprintf(text, sizeof(text),
					 "%s sits in a VMD domain: the IOMMU sees its DMA as that of the VMD endpoint %s (pci_real_dma_dev()), so it shares the endpoint's group",
					 ax_dev_str(m, i, a1),
					 ax_dev_str(m, j->via, a2));
				add_reason(r, i, AX_R_VMD_DOMAIN, j->via, text);
			} else if (j->via != i) {
				enum ax_reason_code code = hop_code(c, j->via);

				if (code != AX_R_CONVENTIONAL_BRIDGE)
					code = AX_R_PCI_BRIDGE_ALIAS;
				hop_text(c, j->via, code, text, sizeof(text));
				add_reason(r, i, code, j->via, text);
			}
			break;
		case J_DMA_ALIAS: {
			/* the device whose mask names the other */
			int at = ax_has_alias(c->alias[j->via], d->addr.devfn) ?
				 j->via : i;
			int other = at == i ? j->via : i;

			if (m->devs[at].kernel_facts &&
			    !ax_has_alias(c->dbalias[at],
					  m->devs[other].addr.devfn)) {
				snprintf(text, sizeof(text),
					 "%s and %s are DMA aliases that the kernel recorded and no quirk sets: on AMD-Vi an alias entry of the firmware's IVRS table (amd_iommu setup_aliases()); only acs_inspect shows it",
					 ax_dev_str(m, i, a1),
					 ax_dev_str(m, j->via, a2));
				add_reason(r, i, AX_R_DMA_ALIAS_FIRMWARE, at,
					   text);
				break;
			}
			snprintf(text, sizeof(text),
				 "%s and %s are DMA aliases (a kernel quirk: the hardware issues requests with the other function's ID)",
				 ax_dev_str(m, i, a1), ax_dev_str(m, j->via, a2));
			add_reason(r, i, AX_R_DMA_ALIAS_QUIRK, at, text);
			break;
		}
		case J_MULTIFUNCTION:
			hop_text(c, i, AX_R_MULTIFUNCTION_NO_ACS, text,
				 sizeof(text));
			if (c->r->dev[i].acs.basis == AX_ACS_BY_QUIRK) {
				add_reason(r, i, AX_R_QUIRK_NOT_ISOLATED, i,
					   c->r->dev[i].acs.why);
			} else if (m->devs[i].acs_pos) {
				hop_text(c, i, AX_R_ACS_CONTROLS_OFF, text,
					 sizeof(text));
				add_reason(r, i, AX_R_ACS_CONTROLS_OFF, i, text);
			} else {
				add_reason(r, i, AX_R_MULTIFUNCTION_NO_ACS, i,
					   text);
			}
			break;
		default:
			break;
		}
		if (d->is_virtfn && d->physfn >= 0 &&
		    c->grp[d->physfn] == c->grp[i]) {
			snprintf(text, sizeof(text),
				 "SR-IOV VF of %s: shares its PF's upstream path and fate",
				 ax_dev_str(m, d->physfn, a1));
			add_reason(r, i, AX_R_SRIOV_VF, d->physfn, text);
		}
	}

	/* Founders and members that joined nothing get the reasons others
	 * joined them for: a root port without ACS is itself the culprit.
	 */
	for (i = 0; i < (int)m->n; i++) {
		int k, t;

		if (!c->probed[i] || size[c->grp[i]] < 2)
			continue;
		for (t = 0; t < (int)m->n; t++) {
			if (t == i || c->grp[t] != c->grp[i])
				continue;
			for (k = 0; k < r->dev[t].n_reasons; k++) {
				struct ax_reason rr = r->dev[t].reasons[k];

				if (rr.code == AX_R_SRIOV_VF ||
				    rr.code == AX_R_NO_IOMMU)
					continue;
				if (rr.at != i &&
				    rr.code == AX_R_MULTIFUNCTION_NO_ACS)
					continue;
				/* only hops that are i itself or above i */
				if (rr.at != i) {
					int h = m->devs[i].parent;

					while (h >= 0 && h != rr.at)
						h = m->devs[h].parent;
					if (h < 0)
						continue;
				}
				add_reason(r, i, rr.code, rr.at, rr.text);
			}
		}
		if (!r->dev[i].n_reasons && c->join[i].kind == J_NEW) {
			/* joined by functions of its own slot */
			for (t = 0; t < (int)m->n; t++)
				if (t != i && c->grp[t] == c->grp[i] &&
				    c->join[t].kind == J_MULTIFUNCTION &&
				    ax_same_bus(&m->devs[t], &m->devs[i]) &&
				    AX_SLOT(m->devs[t].addr.devfn) ==
				    AX_SLOT(m->devs[i].addr.devfn))
					break;
			if (t < (int)m->n) {
				enum ax_reason_code code =
					c->r->dev[i].acs.basis == AX_ACS_BY_QUIRK ?
					AX_R_QUIRK_NOT_ISOLATED :
					m->devs[i].acs_pos ?
					AX_R_ACS_CONTROLS_OFF :
					AX_R_MULTIFUNCTION_NO_ACS;

				hop_text(c, i, code, text, sizeof(text));
				add_reason(r, i, code, i, text);
			}
		}
		if (!r->dev[i].n_reasons) {
			/* e.g. a DSP whose own children joined it */
			int child = -1;

			for (t = 0; t < (int)m->n; t++)
				if (c->grp[t] == c->grp[i] &&
				    m->devs[t].parent == i) {
					child = t;
					break;
				}
			if (child >= 0 && !c->r->dev[i].acs.isolated) {
				enum ax_reason_code code = hop_code(c, i);

				hop_text(c, i, code, text, sizeof(text));
				add_reason(r, i, code, i, text);
			}
		}
	}

	/* Devices alone in their group: say what isolates them. */
	for (i = 0; i < (int)m->n; i++) {
		int h;

		if (!c->probed[i] || size[c->grp[i]] != 1)
			continue;
		for (h = i; h >= 0; h = m->devs[h].parent) {
			if (c->r->dev[h].acs.basis == AX_ACS_BY_QUIRK &&
			    c->r->dev[h].acs.isolated) {
				snprintf(text, sizeof(text), "%s: %s",
					 ax_dev_str(m, h, a1), c->r->dev[h].acs.why);
				add_reason(r, i, AX_R_QUIRK_ISOLATED, h, text);
			}
			if (c->r->dev[h].acs.basis == AX_ACS_BY_OVERRIDE &&
			    c->r->dev[h].acs.isolated) {
				snprintf(text, sizeof(text),
					 "%s: %s", ax_dev_str(m, h, a1),
					 c->r->dev[h].acs.why);
				add_reason(r, i, AX_R_ACS_OVERRIDE, h, text);
			}
		}
		snprintf(text, sizeof(text),
			 "every port and bridge from %s to the root isolates it (%s)",
			 ax_dev_str(m, i, a1), c->r->dev[i].acs.why);
		add_reason(r, i, AX_R_ISOLATED, -1, text);
	}
	/* Simulated isolation is labelled wherever it shaped a group. */
	for (i = 0; i < (int)m->n; i++) {
		int h;

		if (!c->probed[i])
			continue;
		for (h = m->devs[i].parent; h >= 0; h = m->devs[h].parent)
			if (c->r->dev[h].acs.basis == AX_ACS_BY_OVERRIDE) {
				snprintf(text, sizeof(text),
					 "%s isolates only because of a simulated override: the hardware does not",
					 ax_dev_str(m, h, a1));
				add_reason(r, i, AX_R_ACS_OVERRIDE, h, text);
			}
		if (c->r->dev[i].acs.basis == AX_ACS_BY_OVERRIDE &&
		    m->devs[i].multifunction) {
			snprintf(text, sizeof(text),
				 "%s: function split off by a simulated override: the hardware does not isolate it",
				 ax_dev_str(m, i, a1));
			add_reason(r, i, AX_R_ACS_OVERRIDE, i, text);
		}
	}
	free(size);
}

/* The main culprit of each device: the first reason that names a device
 * at fault (the hop nearest the root).
 */
void ax_build_culprits(struct ax_result *r)
{
	int i, k;

	for (i = 0; i < r->n_devs; i++) {
		r->dev[i].culprit = -1;
		for (k = 0; k < r->dev[i].n_reasons; k++)
			if (r->dev[i].reasons[k].at >= 0 &&
			    r->dev[i].reasons[k].code != AX_R_SRIOV_VF &&
			    r->dev[i].reasons[k].code != AX_R_ISOLATED) {
				r->dev[i].culprit = r->dev[i].reasons[k].at;
				break;
			}
	}
}
