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
#include "quirks.h"

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

struct ctx {
	struct ax_machine *m;
	const struct ax_profile *p;
	struct ax_acs_verdict *acs;
	int *grp;		/* group so far, -1 = none yet */
	bool *probed;		/* device gets a group at all */
	uint8_t (*alias)[32];	/* effective DMA alias masks */
	uint32_t *flags;	/* effective dev_flags */
	int *byorder;		/* device indices in probe order */
	struct join *join;
	int ngroups;
};

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
				else if (!strcmp(opt, "noats"))
					p->noats = true;
			}
		}
	}
}

static void set_alias(uint8_t *mask, int devfn)
{
	if (devfn >= 0 && devfn < 256)
		mask[devfn / 8] |= (uint8_t)(1u << (devfn % 8));
}

static bool has_alias(const uint8_t *mask, int devfn)
{
	return mask[devfn / 8] & (1u << (devfn % 8));
}

/*
 * DMA aliases and alias-related flags: what the kernel holds when the
 * module told us, else what the kernel's fixups would set (quirk db).
 */
static void kernel_alias_facts(struct ctx *c, int i)
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
				set_alias(c->alias[i],
					  AX_DEVFN(AX_SLOT(d->addr.devfn), 0));
			break;
		case AXQ_ALIAS_FUNC1:
			if (AX_FUNC(d->addr.devfn) != 1)
				set_alias(c->alias[i],
					  AX_DEVFN(AX_SLOT(d->addr.devfn), 1));
			break;
		case AXQ_ALIAS_FIXED:
			set_alias(c->alias[i], AX_DEVFN(1, 0));
			break;
		case AXQ_ALIAS_MIC_X200:
			set_alias(c->alias[i], AX_DEVFN(0x10, 0));
			set_alias(c->alias[i], AX_DEVFN(0x11, 0));
			set_alias(c->alias[i], AX_DEVFN(0x12, 3));
			break;
		case AXQ_ALIAS_PEX_VCA:
			for (s = 0; s < 32; s++)
				for (f = 0; f < 5; f++)
					set_alias(c->alias[i], AX_DEVFN(s, f));
			break;
		case AXQ_ALIAS_PLX_NTB:
			memset(c->alias[i], 0xff, 32);
			break;
		case AXQ_ALIAS_SWITCHTEC:
			ax_machine_note(c->m,
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

static bool same_bus(const struct ax_dev *a, const struct ax_dev *b)
{
	return a->addr.domain == b->addr.domain && a->addr.bus == b->addr.bus;
}

static bool dma_aliases(struct ctx *c, int a, int b)
{
	return has_alias(c->alias[a], c->m->devs[b].addr.devfn) ||
	       has_alias(c->alias[b], c->m->devs[a].addr.devfn);
}

/* pci_acs_path_enabled(start, NULL, REQ_ACS_FLAGS); *fail gets the first
 * device on the path that does not isolate.
 */
static bool path_enabled(struct ctx *c, int start, int *fail)
{
	int cur = start, hops = 0;

	while (cur >= 0 && hops++ < 256) {
		if (!c->acs[cur].isolated) {
			*fail = cur;
			return false;
		}
		cur = c->m->devs[cur].parent;
	}
	*fail = -1;
	return true;
}

/* Step 1: pci_for_each_dma_alias() with get_pci_alias_or_group(). */
static int alias_walk(struct ctx *c, int i, int *last)
{
	int b, hops = 0;

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

static int function_alias_group(struct ctx *c, int pdev, uint8_t *devfns,
				int *via);

/* Step 3: get_pci_alias_group() */
static int alias_group(struct ctx *c, int pdev, uint8_t *devfns, int *via)
{
	const struct ax_dev *d = &c->m->devs[pdev];
	int k, g;

	if (has_alias(devfns, d->addr.devfn))
		return -1;
	set_alias(devfns, d->addr.devfn);
	if (c->grp[pdev] >= 0) {
		*via = pdev;
		return c->grp[pdev];
	}
	for (k = 0; k < (int)c->m->n; k++) {
		int t = c->byorder[k];

		/* for_each_pci_dev(): devices without a group too */
		if (t == pdev || !same_bus(&c->m->devs[t], d))
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
static int function_alias_group(struct ctx *c, int pdev, uint8_t *devfns,
				int *via)
{
	const struct ax_dev *d = &c->m->devs[pdev];
	int k, g;

	if (!d->multifunction || c->acs[pdev].isolated)
		return -1;
	for (k = 0; k < (int)c->m->n; k++) {
		int t = c->byorder[k];
		const struct ax_dev *td = &c->m->devs[t];

		if (t == pdev || !same_bus(td, d) ||
		    AX_SLOT(td->addr.devfn) != AX_SLOT(d->addr.devfn) ||
		    c->acs[t].isolated)
			continue;
		g = alias_group(c, t, devfns, via);
		if (g >= 0)
			return g;
	}
	return -1;
}

/* pci_device_group() for one device. */
static void device_group(struct ctx *c, int i)
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

/* ---- reasons ---------------------------------------------------------- */

static void add_reason(struct ax_result *r, int i, enum ax_reason_code code,
		       int at, const char *text)
{
	struct ax_reason *nr;
	int k;

	for (k = 0; k < r->n_reasons[i]; k++)
		if (r->reasons[i][k].code == code && r->reasons[i][k].at == at)
			return;
	nr = realloc(r->reasons[i], (r->n_reasons[i] + 1) * sizeof(*nr));
	if (!nr)
		return;
	r->reasons[i] = nr;
	nr = &nr[r->n_reasons[i]++];
	memset(nr, 0, sizeof(*nr));
	nr->code = code;
	nr->at = at;
	snprintf(nr->text, sizeof(nr->text), "%s", text);
}

static const char *addr(const struct ax_machine *m, int i, char *buf)
{
	return ax_addr_str(m->devs[i].addr, buf);
}

/* Why does hop h (a bridge, or a function) not isolate? */
static enum ax_reason_code hop_code(struct ctx *c, int h)
{
	const struct ax_dev *d = &c->m->devs[h];
	const struct ax_acs_verdict *v = &c->acs[h];

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

static void hop_text(struct ctx *c, int h, enum ax_reason_code code,
		     char *out, size_t len)
{
	const struct ax_dev *d = &c->m->devs[h];
	char a[16];

	addr(c->m, h, a);
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
			 c->acs[h].why);
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
			 ax_pcie_type_name(d), a, c->acs[h].why);
		break;
	case AX_R_QUIRK_NOT_ISOLATED:
		snprintf(out, len, "%s: %s", a, c->acs[h].why);
		break;
	case AX_R_ACS_UNKNOWN:
		snprintf(out, len, "%s %s: %s", ax_pcie_type_name(d), a,
			 c->acs[h].basis == AX_ACS_BY_INFERRED ?
			 "ACS registers not readable; the kernel's groups show it does not isolate" :
			 "ACS registers were not readable, assumed not isolating");
		break;
	case AX_R_MULTIFUNCTION_NO_ACS:
		snprintf(out, len,
			 "%s is a function of a multifunction device without ACS: its functions may talk to each other",
			 a);
		break;
	default:
		snprintf(out, len, "%s: %s", a, c->acs[h].why);
		break;
	}
}

/* Every non-isolating hop above device i that is in i's group. */
static void upstream_reasons(struct ctx *c, struct ax_result *r, int i)
{
	int chain[256], n = 0, h, k;
	char text[256];

	for (h = c->m->devs[i].parent; h >= 0 && n < 256;
	     h = c->m->devs[h].parent)
		chain[n++] = h;
	/* top-most first: that hop is why the group is as wide as it is */
	for (k = n - 1; k >= 0; k--) {
		h = chain[k];
		if (c->grp[h] != c->grp[i] || c->acs[h].isolated)
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

static void build_reasons(struct ctx *c, struct ax_result *r)
{
	struct ax_machine *m = c->m;
	int *size = calloc((size_t)c->ngroups + 1, sizeof(int));
	char text[256], a1[16], a2[16];
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
			if (j->via != i) {
				enum ax_reason_code code = hop_code(c, j->via);

				if (code != AX_R_CONVENTIONAL_BRIDGE)
					code = AX_R_PCI_BRIDGE_ALIAS;
				hop_text(c, j->via, code, text, sizeof(text));
				add_reason(r, i, code, j->via, text);
			}
			break;
		case J_DMA_ALIAS:
			snprintf(text, sizeof(text),
				 "%s and %s are DMA aliases (a kernel quirk: the hardware issues requests with the other function's ID)",
				 addr(m, i, a1), addr(m, j->via, a2));
			add_reason(r, i, AX_R_DMA_ALIAS_QUIRK,
				   has_alias(c->alias[j->via], d->addr.devfn) ?
				   j->via : i, text);
			break;
		case J_MULTIFUNCTION:
			hop_text(c, i, AX_R_MULTIFUNCTION_NO_ACS, text,
				 sizeof(text));
			if (c->acs[i].basis == AX_ACS_BY_QUIRK) {
				add_reason(r, i, AX_R_QUIRK_NOT_ISOLATED, i,
					   c->acs[i].why);
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
				 addr(m, d->physfn, a1));
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
			for (k = 0; k < r->n_reasons[t]; k++) {
				struct ax_reason rr = r->reasons[t][k];

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
		if (!r->n_reasons[i] && c->join[i].kind == J_NEW) {
			/* joined by functions of its own slot */
			for (t = 0; t < (int)m->n; t++)
				if (t != i && c->grp[t] == c->grp[i] &&
				    c->join[t].kind == J_MULTIFUNCTION &&
				    same_bus(&m->devs[t], &m->devs[i]) &&
				    AX_SLOT(m->devs[t].addr.devfn) ==
				    AX_SLOT(m->devs[i].addr.devfn))
					break;
			if (t < (int)m->n) {
				enum ax_reason_code code =
					c->acs[i].basis == AX_ACS_BY_QUIRK ?
					AX_R_QUIRK_NOT_ISOLATED :
					m->devs[i].acs_pos ?
					AX_R_ACS_CONTROLS_OFF :
					AX_R_MULTIFUNCTION_NO_ACS;

				hop_text(c, i, code, text, sizeof(text));
				add_reason(r, i, code, i, text);
			}
		}
		if (!r->n_reasons[i]) {
			/* e.g. a DSP whose own children joined it */
			int child = -1;

			for (t = 0; t < (int)m->n; t++)
				if (c->grp[t] == c->grp[i] &&
				    m->devs[t].parent == i) {
					child = t;
					break;
				}
			if (child >= 0 && !c->acs[i].isolated) {
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
			if (c->acs[h].basis == AX_ACS_BY_QUIRK &&
			    c->acs[h].isolated) {
				snprintf(text, sizeof(text), "%s: %s",
					 addr(m, h, a1), c->acs[h].why);
				add_reason(r, i, AX_R_QUIRK_ISOLATED, h, text);
			}
			if (c->acs[h].basis == AX_ACS_BY_OVERRIDE &&
			    c->acs[h].isolated) {
				snprintf(text, sizeof(text),
					 "%s: %s", addr(m, h, a1),
					 c->acs[h].why);
				add_reason(r, i, AX_R_ACS_OVERRIDE, h, text);
			}
		}
		snprintf(text, sizeof(text),
			 "every port and bridge from %s to the root isolates it (%s)",
			 addr(m, i, a1), c->acs[i].why);
		add_reason(r, i, AX_R_ISOLATED, -1, text);
	}
	/* Simulated isolation is labelled wherever it shaped a group. */
	for (i = 0; i < (int)m->n; i++) {
		int h;

		if (!c->probed[i])
			continue;
		for (h = m->devs[i].parent; h >= 0; h = m->devs[h].parent)
			if (c->acs[h].basis == AX_ACS_BY_OVERRIDE) {
				snprintf(text, sizeof(text),
					 "%s isolates only because of a simulated override: the hardware does not",
					 addr(m, h, a1));
				add_reason(r, i, AX_R_ACS_OVERRIDE, h, text);
			}
		if (c->acs[i].basis == AX_ACS_BY_OVERRIDE &&
		    m->devs[i].multifunction) {
			snprintf(text, sizeof(text),
				 "%s: function split off by a simulated override: the hardware does not isolate it",
				 addr(m, i, a1));
			add_reason(r, i, AX_R_ACS_OVERRIDE, i, text);
		}
	}
	free(size);
}

/* ---- audit -------------------------------------------------------------- */

static void add_audit(struct ax_result *r, int from, int to, int via,
		      const char *text)
{
	struct ax_audit *na = realloc(r->audit, (r->n_audit + 1) * sizeof(*na));

	if (!na)
		return;
	r->audit = na;
	na[r->n_audit].from = from;
	na[r->n_audit].to = to;
	na[r->n_audit].via = via;
	snprintf(na[r->n_audit].text, sizeof(na[0].text), "%s", text);
	r->n_audit++;
}

static void audit(struct ctx *c, struct ax_result *r)
{
	struct ax_machine *m = c->m;
	char text[256], a1[16], a2[16], a3[16];
	int i, t;

	for (i = 0; i < (int)m->n; i++) {
		const struct ax_dev *d = &m->devs[i];

		if (!c->probed[i])
			continue;
		/* Peer downstream ports: a DSP without redirect forwards
		 * requests from below it straight to its peers.
		 */
		if (d->is_pcie && d->pcie_type == AX_EXP_DOWNSTREAM &&
		    !c->acs[i].isolated) {
			for (t = 0; t < (int)m->n; t++) {
				const struct ax_dev *p = &m->devs[t];

				if (t == i || !c->probed[t] ||
				    p->parent != d->parent || !p->is_pcie ||
				    p->pcie_type != AX_EXP_DOWNSTREAM ||
				    c->grp[t] == c->grp[i])
					continue;
				snprintf(text, sizeof(text),
					 "devices below %s can reach devices below its peer %s without the IOMMU (%s lacks ACS redirect), yet the kernel put them in different groups",
					 addr(m, i, a1), addr(m, t, a2),
					 addr(m, i, a3));
				add_audit(r, i, t, i, text);
			}
		}
		/* Asymmetric ACS inside a multifunction device. */
		if (d->multifunction && !c->acs[i].isolated) {
			for (t = 0; t < (int)m->n; t++) {
				const struct ax_dev *p = &m->devs[t];

				if (t == i || !c->probed[t] ||
				    !same_bus(p, d) ||
				    AX_SLOT(p->addr.devfn) !=
				    AX_SLOT(d->addr.devfn) ||
				    c->grp[t] == c->grp[i])
					continue;
				snprintf(text, sizeof(text),
					 "%s has no isolating ACS and may reach %s of the same device internally, yet they are in different groups",
					 addr(m, i, a1), addr(m, t, a2));
				add_audit(r, i, t, i, text);
			}
		}
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
				 addr(m, i, a1), d->acs_cap, d->acs_ctrl);
			add_audit(r, i, -1, i, text);
		}
		if (c->acs[i].basis == AX_ACS_BY_OVERRIDE) {
			snprintf(text, sizeof(text),
				 "%s is treated as isolating only by a simulated override: no hardware isolation",
				 addr(m, i, a1));
			add_audit(r, i, -1, i, text);
		}
	}
}

/* ---- comparison with the kernel's groups -------------------------------- */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Index of kernel group kg among the sorted ids kid[0..nk). */
static int kid_index(const int *kid, int nk, int kg)
{
	const int *q = bsearch(&kg, kid, (size_t)nk, sizeof(int), cmp_int);

	return q ? (int)(q - kid) : -1;
}

static void compare(struct ctx *c, struct ax_result *r)
{
	struct ax_machine *m = c->m;
	int *p2k, *k2p, *kid, nk = 0, i;

	r->matches_kernel = false;
	r->n_mismatch = 0;
	if (!m->kernel_groups_known || m->iommu == AX_IOMMU_OFF)
		return;
	/* Kernel group ids come from the input and may be anything up to
	 * INT_MAX: map them onto 0..nk-1 rather than index by them.
	 */
	p2k = malloc(((size_t)c->ngroups + 1) * sizeof(int));
	k2p = malloc((m->n + 1) * sizeof(int));
	kid = malloc((m->n + 1) * sizeof(int));
	if (!p2k || !k2p || !kid)
		goto out;
	for (i = 0; i < (int)m->n; i++)
		if (m->devs[i].kernel_group >= 0)
			kid[nk++] = m->devs[i].kernel_group;
	qsort(kid, (size_t)nk, sizeof(int), cmp_int);
	for (i = 0; i <= c->ngroups; i++)
		p2k[i] = -3;
	for (i = 0; i < nk; i++)
		k2p[i] = -3;
	for (i = 0; i < (int)m->n; i++) {
		int kg = m->devs[i].kernel_group, pg = c->grp[i], ki;
		bool bad = false;

		if (kg == AX_GROUP_UNKNOWN)
			continue;
		if (kg < 0 || pg < 0) {
			bad = (kg < 0) != (pg < 0);
		} else {
			ki = kid_index(kid, nk, kg);
			if (p2k[pg] == -3)
				p2k[pg] = kg;
			if (k2p[ki] == -3)
				k2p[ki] = pg;
			bad = p2k[pg] != kg || k2p[ki] != pg;
		}
		if (bad)
			r->n_mismatch++;
	}
	r->matches_kernel = r->n_mismatch == 0;
out:
	free(p2k);
	free(k2p);
	free(kid);
}

int ax_derive(struct ax_machine *m, const struct ax_profile *p,
	      struct ax_result *res)
{
	struct ctx c = { .m = m, .p = p };
	size_t n = m->n;
	int i, k;

	memset(res, 0, sizeof(*res));
	snprintf(res->acs_policy, sizeof(res->acs_policy), "%s", p->acs_policy);
	snprintf(res->release_rules, sizeof(res->release_rules), "%s",
		 p->release_rules);
	res->n_devs = (int)n;
	res->acs = calloc(n + 1, sizeof(*res->acs));
	res->reasons = calloc(n + 1, sizeof(*res->reasons));
	res->n_reasons = calloc(n + 1, sizeof(int));
	res->culprit = calloc(n + 1, sizeof(int));
	c.grp = calloc(n + 1, sizeof(int));
	c.probed = calloc(n + 1, sizeof(bool));
	c.alias = calloc(n + 1, sizeof(*c.alias));
	c.flags = calloc(n + 1, sizeof(uint32_t));
	c.byorder = calloc(n + 1, sizeof(int));
	c.join = calloc(n + 1, sizeof(struct join));
	c.acs = res->acs;
	if (!res->acs || !res->reasons || !res->n_reasons || !res->culprit ||
	    !c.grp || !c.probed || !c.alias || !c.flags || !c.byorder ||
	    !c.join)
		goto nomem;

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
		ax_acs_enabled(m, i, p, &res->acs[i]);
	qsort_r(c.byorder, n, sizeof(int), cmp_order, m);

	for (k = 0; k < (int)n; k++) {
		i = c.byorder[k];
		if (c.probed[i])
			device_group(&c, i);
		else
			c.join[i].kind = J_NONE;
	}

	/* Number groups in address order of their first member. */
	{
		int *ren = malloc(((size_t)c.ngroups + 1) * sizeof(int));
		int next = 0;

		if (!ren)
			goto nomem;
		for (i = 0; i < c.ngroups; i++)
			ren[i] = -1;
		for (i = 0; i < (int)n; i++)
			if (c.grp[i] >= 0 && ren[c.grp[i]] < 0)
				ren[c.grp[i]] = next++;
		for (i = 0; i < (int)n; i++)
			if (c.grp[i] >= 0)
				c.grp[i] = ren[c.grp[i]];
		free(ren);
	}

	res->n_groups = c.ngroups;
	res->groups = calloc((size_t)c.ngroups + 1, sizeof(*res->groups));
	if (!res->groups)
		goto nomem;
	for (i = 0; i < (int)n; i++) {
		struct ax_group *g;
		int *nm;

		m->devs[i].group = c.grp[i];
		if (c.grp[i] < 0)
			continue;
		g = &res->groups[c.grp[i]];
		nm = realloc(g->members, (g->n + 1) * sizeof(int));
		if (!nm)
			goto nomem;
		g->members = nm;
		g->members[g->n++] = i;
	}
	for (i = 0; i < c.ngroups; i++) {
		struct ax_group *g = &res->groups[i];

		g->id = i;
		g->kernel_group = g->n ? m->devs[g->members[0]].kernel_group :
					 AX_GROUP_UNKNOWN;
	}

	build_reasons(&c, res);
	for (i = 0; i < (int)n; i++) {
		res->culprit[i] = -1;
		for (k = 0; k < res->n_reasons[i]; k++)
			if (res->reasons[i][k].at >= 0 &&
			    res->reasons[i][k].code != AX_R_SRIOV_VF &&
			    res->reasons[i][k].code != AX_R_ISOLATED) {
				res->culprit[i] = res->reasons[i][k].at;
				break;
			}
	}
	audit(&c, res);
	compare(&c, res);

	free(c.grp);
	free(c.probed);
	free(c.alias);
	free(c.flags);
	free(c.byorder);
	free(c.join);
	return 0;
nomem:
	free(c.grp);
	free(c.probed);
	free(c.alias);
	free(c.flags);
	free(c.byorder);
	free(c.join);
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
	if (res->reasons)
		for (i = 0; i < res->n_devs; i++)
			free(res->reasons[i]);
	free(res->reasons);
	free(res->n_reasons);
	free(res->acs);
	free(res->culprit);
	free(res->audit);
	memset(res, 0, sizeof(*res));
}
