// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * analysis/derive.c - pci_device_group() (drivers/iommu/iommu.c, unchanged from 6.1
 * to 7.0) replayed over the facts, device by device in the order the
 * kernel probes them, so that the groups come out as the kernel makes
 * them, including where its answer depends on that order.  Each join is
 * recorded so that the explanation can name the device at fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acs_kernel.h"
#include "analysis.h"
#include "iommu_scope.h"
#include "derivation.h"
#include "quirks.h"
#include "vmd.h"

static const char *const reason_names[AX_R__COUNT] = {
	[AX_R_ISOLATED] = "isolated",
	[AX_R_ROOT_PORT_NO_ACS] = "root_port_no_acs",
	[AX_R_DOWNSTREAM_PORT_NO_ACS] = "downstream_port_no_acs",
	[AX_R_ACS_CONTROLS_OFF] = "acs_controls_off",
	[AX_R_MULTIFUNCTION_NO_ACS] = "multifunction_no_acs",
	[AX_R_PCI_BRIDGE_ALIAS] = "pci_bridge_alias",
	[AX_R_CONVENTIONAL_BRIDGE] = "conventional_bridge",
	[AX_R_BRIDGE_NOT_ISOLATING] = "bridge_not_isolating",
	[AX_R_DMA_ALIAS_QUIRK] = "dma_alias_quirk",
	[AX_R_SRIOV_VF] = "sriov_vf",
	[AX_R_QUIRK_ISOLATED] = "quirk_isolated",
	[AX_R_QUIRK_NOT_ISOLATED] = "quirk_not_isolated",
	[AX_R_ACS_REDIR_DISABLED] = "acs_redir_disabled",
	[AX_R_ACS_OVERRIDE] = "acs_override",
	[AX_R_NO_IOMMU] = "no_iommu",
	[AX_R_ACS_UNKNOWN] = "acs_unknown",
	[AX_R_UPSTREAM_PATH] = "upstream_path",
	[AX_R_PEER_REACHABLE] = "peer_reachable",
	[AX_R_VMD_DOMAIN] = "vmd_domain",
};

const char *ax_reason_code_name(enum ax_reason_code c)
{
	if ((unsigned int)c >= AX_R__COUNT)
		return "unknown";
	return reason_names[c];
}

const char *ax_acs_basis_name(enum ax_acs_basis b)
{
	switch (b) {
	case AX_ACS_BY_REGISTERS:
		return "registers";
	case AX_ACS_BY_QUIRK:
		return "quirk";
	case AX_ACS_BY_TYPE:
		return "device-type";
	case AX_ACS_BY_OVERRIDE:
		return "simulated";
	case AX_ACS_BY_UNKNOWN:
		return "unknown";
	case AX_ACS_BY_INFERRED:
		return "inferred";
	case AX_ACS_BY_KERNEL:
		return "kernel";
	}
	return "unknown";
}

void ax_profile_init(struct ax_profile *p)
{
	memset(p, 0, sizeof(*p));
}

static void parse_override(struct ax_profile *p, const char *v)
{
	char buf[512], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned int ven, dev;

		if (!strncmp(tok, "downstream", 10))
			p->ovr_downstream = true;
		else if (!strncmp(tok, "multifunction", 13))
			p->ovr_multifunction = true;
		else if (sscanf(tok, "id:%4x:%4x", &ven, &dev) == 2 &&
			 p->n_ovr_ids < 15)
			p->ovr_ids[p->n_ovr_ids++] = ven << 16 | dev;
	}
}

/* Kernel parameters that change grouping. */
void ax_profile_from_cmdline(struct ax_profile *p, const char *cmdline)
{
	char buf[2048], *tok, *save = NULL;

	if (!cmdline)
		return;
	snprintf(buf, sizeof(buf), "%s", cmdline);
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strncmp(tok, "pcie_acs_override=", 18)) {
			parse_override(p, tok + 18);
		} else if (!strncmp(tok, "pci=", 4)) {
			char *opt, *s2 = NULL;

			for (opt = strtok_r(tok + 4, ",", &s2); opt;
			     opt = strtok_r(NULL, ",", &s2)) {
				if (!strncmp(opt, "disable_acs_redir=", 18))
					snprintf(p->disable_acs_redir,
						 sizeof(p->disable_acs_redir),
						 "%s", opt + 18);
				else if (!strncmp(opt, "config_acs=", 11))
					snprintf(p->config_acs,
						 sizeof(p->config_acs), "%s",
						 opt + 11);
			}
		}
	}
}

/*
 * DMA aliases and alias-related flags: what the kernel holds when the
 * module told us, else what the kernel's fixups would set (quirk db).
 */
static void kernel_alias_facts(struct ax_derivation *c, int i)
{
	const struct ax_dev *d = &c->m->devs[i];
	size_t q;
	int s, f;

	if (d->kernel_facts) {
		if (d->has_alias_mask)
			memcpy(c->alias[i], d->alias_mask, 32);
		c->flags[i] = d->dev_flags;
		return;
	}
	for (q = 0; q < axq_alias_table_len; q++) {
		const struct axq_alias_entry *e = &axq_alias_table[q];

		if (!axq_in_stable(e->first, e->last, e->bp, e->n_bp,
				   c->p->kver, ax_sublevel(c->p)))
			continue;
		if (e->vendor != 0xffff && e->vendor != d->vendor)
			continue;
		if (e->device != AXQ_ANY && e->device != d->device)
			continue;
		if (e->subvendor != AXQ_ANY && e->subvendor != d->subvendor)
			continue;
		if (e->subdevice != AXQ_ANY && e->subdevice != d->subdevice)
			continue;
		if (e->class_ != AXQ_ANY && e->class_ != d->class >> 8)
			continue;
		switch (e->kind) {
		case AXQ_ALIAS_FUNC0:
			if (AX_FUNC(d->addr.devfn))
				ax_set_alias(c->alias[i],
					  AX_DEVFN(AX_SLOT(d->addr.devfn), 0));
			break;
		case AXQ_ALIAS_FUNC1:
			if (AX_FUNC(d->addr.devfn) != 1)
				ax_set_alias(c->alias[i],
					  AX_DEVFN(AX_SLOT(d->addr.devfn), 1));
			break;
		case AXQ_ALIAS_FIXED:
			ax_set_alias(c->alias[i], AX_DEVFN(1, 0));
			break;
		case AXQ_ALIAS_MIC_X200:
			ax_set_alias(c->alias[i], AX_DEVFN(0x10, 0));
			ax_set_alias(c->alias[i], AX_DEVFN(0x11, 0));
			ax_set_alias(c->alias[i], AX_DEVFN(0x12, 3));
			break;
		case AXQ_ALIAS_PEX_VCA:
			for (s = 0; s < 32; s++)
				for (f = 0; f < 5; f++)
					ax_set_alias(c->alias[i], AX_DEVFN(s, f));
			break;
		case AXQ_ALIAS_PLX_NTB:
			memset(c->alias[i], 0xff, 32);
			break;
		case AXQ_ALIAS_SWITCHTEC:
			ax_note(c->r->notes, &c->r->n_notes, AX_MAX_NOTES,
				"Switchtec NTB aliases are read from the device at boot; offline facts cannot show them");
			break;
		case AXQ_ALIAS_PCIE_BRIDGE:
			if (!d->is_pcie && d->is_bridge && !d->on_root_bus)
				c->flags[i] |= AX_DEVFL_PCIE_BRIDGE_ALIAS;
			break;
		case AXQ_ALIAS_XLATE_ROOT:
			c->flags[i] |= AX_DEVFL_BRIDGE_XLATE_ROOT;
			break;
		case AXQ_ALIAS_BRIDGE_NO_ALIAS:
			c->flags[i] |= AX_DEVFL_PCI_BRIDGE_NO_ALIAS;
			break;
		case AXQ_ALIAS_UNKNOWN:
			break;
		}
	}
}

static bool dma_aliases(struct ax_derivation *c, int a, int b)
{
	return ax_has_alias(c->alias[a], c->m->devs[b].addr.devfn) ||
	       ax_has_alias(c->alias[b], c->m->devs[a].addr.devfn);
}

/* pci_acs_path_enabled(start, NULL, REQ_ACS_FLAGS); *fail gets the first
 * device on the path that does not isolate.
 */
static bool path_enabled(struct ax_derivation *c, int start, int *fail)
{
	int cur = start, hops = 0;

	while (cur >= 0 && hops++ < 256) {
		if (!c->r->dev[cur].acs.isolated) {
			*fail = cur;
			return false;
		}
		cur = c->m->devs[cur].parent;
	}
	*fail = -1;
	return true;
}

/* Step 1: pci_for_each_dma_alias() with get_pci_alias_or_group(). */
static int alias_walk(struct ax_derivation *c, int i, int *last)
{
	int b, hops = 0;

	i = c->real[i];		/* pci_real_dma_dev(): VMD */
	*last = i;
	if (c->grp[i] >= 0)
		return c->grp[i];
	for (b = c->m->devs[i].parent; b >= 0 && hops++ < 256;
	     b = c->m->devs[b].parent) {
		const struct ax_dev *t = &c->m->devs[b];

		if (c->flags[b] & AX_DEVFL_BRIDGE_XLATE_ROOT)
			return -1;
		if (t->is_pcie) {
			if (t->pcie_type == AX_EXP_PCI_BRIDGE) {
				if (c->flags[b] & AX_DEVFL_PCI_BRIDGE_NO_ALIAS)
					continue;
			} else if (t->pcie_type != AX_EXP_PCIE_BRIDGE) {
				continue;
			}
		}
		*last = b;
		if (c->grp[b] >= 0)
			return c->grp[b];
	}
	return -1;
}

static int function_alias_group(struct ax_derivation *c, int pdev, uint8_t *devfns,
				int *via);

/* Step 3: get_pci_alias_group() */
static int alias_group(struct ax_derivation *c, int pdev, uint8_t *devfns, int *via)
{
	const struct ax_dev *d = &c->m->devs[pdev];
	int k, g;

	if (ax_has_alias(devfns, d->addr.devfn))
		return -1;
	ax_set_alias(devfns, d->addr.devfn);
	if (c->grp[pdev] >= 0) {
		*via = pdev;
		return c->grp[pdev];
	}
	/* for_each_pci_dev() in probe order, of which only d's bus can
	 * alias d
	 */
	for (k = c->bus_lo[pdev]; k < c->bus_hi[pdev]; k++) {
		int t = c->bybus[k];

		/* for_each_pci_dev(): devices without a group too */
		if (t == pdev || !ax_same_bus(&c->m->devs[t], d))
			continue;
		if (!dma_aliases(c, pdev, t))
			continue;
		g = alias_group(c, t, devfns, via);
		if (g >= 0)
			return g;
		g = function_alias_group(c, t, devfns, via);
		if (g >= 0)
			return g;
	}
	return -1;
}

/* Step 4: get_pci_function_alias_group() */
static int function_alias_group(struct ax_derivation *c, int pdev, uint8_t *devfns,
				int *via)
{
	const struct ax_dev *d = &c->m->devs[pdev];
	int k, g;

	if (!d->multifunction || c->r->dev[pdev].acs.isolated)
		return -1;
	for (k = c->bus_lo[pdev]; k < c->bus_hi[pdev]; k++) {
		int t = c->bybus[k];
		const struct ax_dev *td = &c->m->devs[t];

		if (t == pdev || !ax_same_bus(td, d) ||
		    AX_SLOT(td->addr.devfn) != AX_SLOT(d->addr.devfn) ||
		    c->r->dev[t].acs.isolated)
			continue;
		g = alias_group(c, t, devfns, via);
		if (g >= 0)
			return g;
	}
	return -1;
}

/* pci_device_group() for one device. */
static void device_group(struct ax_derivation *c, int i)
{
	struct join *j = &c->join[i];
	uint8_t devfns[32];
	int last, g, b, fail, via = -1, hops = 0;

	g = alias_walk(c, i, &last);
	if (g >= 0) {
		j->kind = J_ALIAS;
		j->via = last;
		c->grp[i] = g;
		return;
	}
	for (b = c->m->devs[last].parent; b >= 0 && hops++ < 256;
	     b = c->m->devs[b].parent) {
		if (path_enabled(c, b, &fail))
			break;
		last = b;
		if (c->grp[b] >= 0) {
			j->kind = J_UPSTREAM;
			j->via = b;
			j->culprit = fail;
			c->grp[i] = c->grp[b];
			return;
		}
	}
	memset(devfns, 0, sizeof(devfns));
	g = alias_group(c, last, devfns, &via);
	if (g >= 0) {
		j->kind = J_DMA_ALIAS;
		j->via = via;
		c->grp[i] = g;
		return;
	}
	g = function_alias_group(c, last, devfns, &via);
	if (g >= 0) {
		j->kind = J_MULTIFUNCTION;
		j->via = via;
		c->grp[i] = g;
		return;
	}
	j->kind = J_NEW;
	j->via = last;
	c->grp[i] = c->ngroups++;
}

static int cmp_order(const void *a, const void *b, void *arg)
{
	const struct ax_machine *m = arg;
	int x = *(const int *)a, y = *(const int *)b;

	return m->devs[x].order - m->devs[y].order;
}

/* Buses, and probe order (rank) on each: for index_buses(). */
struct bus_key {
	const struct ax_machine *m;
	const int *rank;
};

static int cmp_bus_order(const void *a, const void *b, void *arg)
{
	const struct bus_key *k = arg;
	int x = *(const int *)a, y = *(const int *)b;
	const struct ax_addr *ax = &k->m->devs[x].addr, *ay = &k->m->devs[y].addr;

	if (ax->domain != ay->domain)
		return ax->domain < ay->domain ? -1 : 1;
	if (ax->bus != ay->bus)
		return ax->bus < ay->bus ? -1 : 1;
	return k->rank[x] - k->rank[y];
}

/* bybus, bus_lo, bus_hi from byorder; 0, or -1 out of memory. */
static int index_buses(struct ax_derivation *c)
{
	size_t n = c->m->n, k, s;
	int *rank = malloc((n + 1) * sizeof(int));
	struct bus_key key = { c->m, rank };

	c->bybus = malloc((n + 1) * sizeof(int));
	c->bus_lo = malloc((n + 1) * sizeof(int));
	c->bus_hi = malloc((n + 1) * sizeof(int));
	if (!rank || !c->bybus || !c->bus_lo || !c->bus_hi) {
		free(rank);
		return -1;
	}
	for (k = 0; k < n; k++) {
		rank[c->byorder[k]] = (int)k;
		c->bybus[k] = c->byorder[k];
	}
	qsort_r(c->bybus, n, sizeof(int), cmp_bus_order, &key);
	for (s = 0; s < n; s = k) {
		const struct ax_dev *d = &c->m->devs[c->bybus[s]];

		for (k = s; k < n && ax_same_bus(&c->m->devs[c->bybus[k]], d);
		     k++)
			c->bus_lo[c->bybus[k]] = (int)s;
		while (s < k)
			c->bus_hi[c->bybus[s++]] = (int)k;
	}
	free(rank);
	return 0;
}

static void free_ctx(struct ax_derivation *c)
{
	free(c->grp);
	free(c->probed);
	free(c->alias);
	free(c->flags);
	free(c->byorder);
	free(c->bybus);
	free(c->bus_lo);
	free(c->bus_hi);
	free(c->join);
	free(c->real);
}

/* Number groups in address order of their first member and list them. */
static int make_groups(struct ax_derivation *c)
{
	struct ax_result *res = c->r;
	int *ren = malloc(((size_t)c->ngroups + 1) * sizeof(int));
	int i, next = 0, n = (int)c->m->n;

	if (!ren)
		return -1;
	for (i = 0; i < c->ngroups; i++)
		ren[i] = -1;
	for (i = 0; i < n; i++)
		if (c->grp[i] >= 0 && ren[c->grp[i]] < 0)
			ren[c->grp[i]] = next++;
	for (i = 0; i < n; i++)
		if (c->grp[i] >= 0)
			c->grp[i] = ren[c->grp[i]];
	free(ren);

	res->n_groups = c->ngroups;
	res->groups = calloc((size_t)c->ngroups + 1, sizeof(*res->groups));
	if (!res->groups)
		return -1;
	/* count, then fill: one allocation per group, not per member */
	for (i = 0; i < n; i++)
		if (c->grp[i] >= 0)
			res->groups[c->grp[i]].n++;
	for (i = 0; i < c->ngroups; i++) {
		res->groups[i].members =
			malloc(((size_t)res->groups[i].n + 1) * sizeof(int));
		if (!res->groups[i].members)
			return -1;
		res->groups[i].n = 0;
	}
	for (i = 0; i < n; i++) {
		struct ax_group *g;

		res->dev[i].group = c->grp[i] >= 0 ? c->grp[i] : AX_GROUP_NONE;
		if (c->grp[i] < 0)
			continue;
		g = &res->groups[c->grp[i]];
		g->members[g->n++] = i;
	}
	for (i = 0; i < c->ngroups; i++)
		res->groups[i].id = i;
	return 0;
}

int ax_derive(const struct ax_machine *m, const struct ax_profile *p,
	      struct ax_result *res)
{
	struct ax_derivation c = { .m = m, .p = p, .r = res };
	size_t n = m->n;
	int i, k;

	memset(res, 0, sizeof(*res));
	snprintf(res->acs_policy, sizeof(res->acs_policy), "%s", p->acs_policy);
	snprintf(res->release_rules, sizeof(res->release_rules), "%s",
		 p->release_rules);
	res->n_devs = (int)n;
	res->dev = calloc(n + 1, sizeof(*res->dev));
	c.grp = calloc(n + 1, sizeof(int));
	c.probed = calloc(n + 1, sizeof(bool));
	c.alias = calloc(n + 1, sizeof(*c.alias));
	c.flags = calloc(n + 1, sizeof(uint32_t));
	c.byorder = calloc(n + 1, sizeof(int));
	c.join = calloc(n + 1, sizeof(struct join));
	c.real = calloc(n + 1, sizeof(int));
	if (!res->dev || !c.grp || !c.probed || !c.alias || !c.flags ||
	    !c.byorder || !c.join || !c.real)
		goto nomem;
	if (ax_real_dma_devs(m, c.real))
		ax_note(res->notes, &res->n_notes, AX_MAX_NOTES,
			"devices in a VMD domain (10000 and up) whose VMD endpoint is not in the facts: each taken as its own requester");

	for (i = 0; i < (int)n; i++) {
		const struct ax_dev *d = &m->devs[i];

		c.grp[i] = -1;
		c.byorder[i] = i;
		/* A device the kernel left without a group was never probed
		 * by an IOMMU driver; it cannot anchor anyone's group.
		 */
		c.probed[i] = !(m->kernel_groups_known &&
				m->iommu == AX_IOMMU_ON &&
				d->kernel_group == AX_GROUP_NONE);
		/* predicting: what the IOMMU driver itself leaves out */
		if (!(m->kernel_groups_known && m->iommu == AX_IOMMU_ON)) {
			char why[128];

			if (ax_iommu_skips(m, i, why, sizeof(why)))
				c.probed[i] = false;
		}
		kernel_alias_facts(&c, i);
	}
	for (i = 0; i < (int)n; i++)
		ax_acs_enabled(m, i, p, &res->dev[i].acs);
	qsort_r(c.byorder, n, sizeof(int), cmp_order, (void *)m);
	if (index_buses(&c))
		goto nomem;

	for (k = 0; k < (int)n; k++) {
		i = c.byorder[k];
		if (c.probed[i])
			device_group(&c, i);
		else
			c.join[i].kind = J_NONE;
	}
	if (make_groups(&c))
		goto nomem;
	ax_build_reasons(&c);
	ax_build_culprits(res);
	ax_build_audit(&c);
	ax_compare_kernel(m, res);
	free_ctx(&c);
	return 0;
nomem:
	free_ctx(&c);
	ax_result_free(res);
	return -1;
}

void ax_result_free(struct ax_result *res)
{
	int i;

	if (res->groups)
		for (i = 0; i < res->n_groups; i++)
			free(res->groups[i].members);
	free(res->groups);
	if (res->dev)
		for (i = 0; i < res->n_devs; i++)
			free(res->dev[i].reasons);
	free(res->dev);
	free(res->audit);
	memset(res, 0, sizeof(*res));
}
