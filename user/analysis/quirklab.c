// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quirklab.c - the analysis behind --validate-quirk (see quirklab.h).
 * Pure: reads the facts and the quirk database, derives the groups with
 * and without the proposed table entry, and fills struct ax_ql.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/quirklab.h"
#include "quirks.h"
#include "uapi/linux/acs_inspect.h"

#define T(t) (1u << (t))
#define ENDPOINTS (T(AX_EXP_ENDPOINT) | T(AX_EXP_LEG_END) | T(AX_EXP_RC_END))
#define RP_FLAGS (AX_ACS_SV | AX_ACS_RR | AX_ACS_CR | AX_ACS_UF)

#define RP_GUARANTEE \
	"the root port never sends a request or completion from a device below it to a device below another root port or back down its own link without the IOMMU seeing it (Request and Completion Redirect), it checks the requester ID of everything it forwards upstream (Source Validation), and it forwards nothing upstream that is addressed to another port (Upstream Forwarding)"
#define RP_REQUIRES "a PCIe root port without a usable ACS capability"
#define IDLIST_REQUIRES \
	"a device on the ID list or platform check inside the callback: a table line alone changes nothing; the callback itself would have to change"

/*
 * The callbacks of pci_dev_acs_enabled[] (drivers/pci/quirks.c, 7.2) and
 * what each reports for REQ_ACS_FLAGS.  The first in each device-type
 * group is the one proposed when the vendor has none of its own.
 */
const struct ax_ql_callback ax_ql_callbacks[] = {
	{ "pci_quirk_mf_endpoint_acs", ENDPOINTS, true, 0,
	  AX_ACS_SV | AX_ACS_TB | AX_ACS_RR | AX_ACS_CR | AX_ACS_UF | AX_ACS_DT,
	  "the functions of this device never exchange peer-to-peer traffic: a request or completion one function addresses to another function goes upstream to the IOMMU instead (Request and Completion Redirect), no function can issue a transaction with another function's requester ID (Source Validation), none forwards traffic for another (Upstream Forwarding), and the same holds for translated addresses (Translation Blocking, Direct Translated P2P)",
	  "a multifunction endpoint without an ACS capability" },
	{ "pci_quirk_rciep_acs", T(AX_EXP_RC_END), false, 0x8086, RP_FLAGS,
	  "the Root Complex Integrated Endpoint performs peer-to-peer only on translated addresses, as the Intel VT-d specification (r3.1, 3.16) requires of Intel RCiEPs",
	  "an Intel Root Complex Integrated Endpoint (Intel's PCI_ANY_ID entry already covers every one)" },
	{ "pci_quirk_qcom_rp_acs", T(AX_EXP_ROOT_PORT), false, 0, RP_FLAGS,
	  RP_GUARANTEE, RP_REQUIRES },
	{ "pci_quirk_nxp_rp_acs", T(AX_EXP_ROOT_PORT), false, 0, RP_FLAGS,
	  RP_GUARANTEE, RP_REQUIRES },
	{ "pci_quirk_xgene_acs", T(AX_EXP_ROOT_PORT), false, 0, RP_FLAGS,
	  RP_GUARANTEE, RP_REQUIRES },
	{ "pci_quirk_brcm_acs", T(AX_EXP_ROOT_PORT), false, 0, RP_FLAGS,
	  RP_GUARANTEE, RP_REQUIRES },
	{ "pci_quirk_loongson_acs", T(AX_EXP_ROOT_PORT), false, 0, RP_FLAGS,
	  RP_GUARANTEE, RP_REQUIRES },
	{ "pci_quirk_al_acs", T(AX_EXP_ROOT_PORT), false, 0, RP_FLAGS,
	  RP_GUARANTEE, RP_REQUIRES " (the callback itself checks the type)" },
	{ "pci_quirk_amd_sb_acs", 0, false, 0, AX_ACS_RR | AX_ACS_CR,
	  "the AMD southbridge function forwards peer-to-peer upstream when an AMD IOMMU exists",
	  IDLIST_REQUIRES },
	{ "pci_quirk_intel_pch_acs", 0, false, 0, RP_FLAGS,
	  "the Intel PCH root port was switched into its ACS-equivalent mode by the kernel's enable quirk",
	  IDLIST_REQUIRES },
	{ "pci_quirk_intel_spt_pch_acs", 0, false, 0, RP_FLAGS,
	  "the Intel SPT-layout root port's dword ACS registers are read at the right place",
	  IDLIST_REQUIRES },
	{ "pci_quirk_cavium_acs", 0, false, 0, RP_FLAGS,
	  RP_GUARANTEE, IDLIST_REQUIRES },
	{ "pci_quirk_zhaoxin_pcie_ports_acs", 0, false, 0, RP_FLAGS,
	  RP_GUARANTEE, IDLIST_REQUIRES },
	{ "pci_quirk_wangxun_nic_acs", 0, false, 0, RP_FLAGS,
	  "the Wangxun NIC's functions do not peer-to-peer",
	  IDLIST_REQUIRES },
};

const int ax_ql_n_callbacks =
	(int)(AX_ARRAY_SIZE(ax_ql_callbacks));

const struct ax_ql_callback *ax_ql_callback_find(const char *name)
{
	int i;

	for (i = 0; i < ax_ql_n_callbacks; i++)
		if (!strcmp(ax_ql_callbacks[i].name, name))
			return &ax_ql_callbacks[i];
	return NULL;
}

const char *ax_ql_status_name(enum ax_ql_status s)
{
	switch (s) {
	case AX_QL_FITS: return "fits";
	case AX_QL_REFUSED: return "refused";
	case AX_QL_NOT_NEEDED: return "not_needed";
	case AX_QL_IN_TABLE: return "in_table";
	case AX_QL_NO_DEVICE: return "no_device";
	}
	return "unknown";
}

const char *ax_ql_carried_name(enum ax_ql_carried c)
{
	switch (c) {
	case AX_QL_CARRIED_UNKNOWN: return "unknown";
	case AX_QL_CARRIED_NO: return "no";
	case AX_QL_CARRIED_YES: return "yes";
	case AX_QL_CARRIED_DIFFERS: return "differs";
	}
	return "unknown";
}

const char *ax_ql_flags_str(uint16_t flags, char *buf, size_t len)
{
	static const char *const bit[] = { "SV", "TB", "RR", "CR", "UF",
					   "EC", "DT" };
	size_t off = 0;
	int b;

	buf[0] = '\0';
	for (b = 0; b < 7; b++)
		if (flags & (1u << b) && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
						off ? " " : "", bit[b]);
	return buf;
}

static bool same_slot(const struct ax_dev *a, const struct ax_dev *b)
{
	return a->addr.domain == b->addr.domain && a->addr.bus == b->addr.bus &&
	       AX_SLOT(a->addr.devfn) == AX_SLOT(b->addr.devfn);
}

/* The kernel's dev->multifunction: the header bit, which the sources
 * record; several functions in one slot mean the same.
 */
static bool is_multifunction(const struct ax_machine *m, int idx)
{
	const struct ax_dev *d = &m->devs[idx];
	size_t i;

	if (d->multifunction)
		return true;
	for (i = 0; i < m->n; i++)
		if ((int)i != idx && !m->devs[i].is_virtfn &&
		    same_slot(&m->devs[i], d))
			return true;
	return false;
}

/* The vendor's own callback of this kind, if the table has one. */
static const struct ax_ql_callback *vendor_callback(uint16_t vendor,
						    unsigned int types)
{
	size_t i;

	for (i = 0; i < axq_acs_table_len; i++) {
		const struct ax_ql_callback *c;

		if (axq_acs_table[i].vendor != vendor ||
		    axq_acs_table[i].device == AXQ_ANY)
			continue;
		c = ax_ql_callback_find(axq_acs_table[i].callback);
		if (c && (c->types & types))
			return c;
	}
	return NULL;
}

static void part1(const struct ax_machine *m, const struct ax_profile *p,
		  struct ax_ql *q)
{
	struct ax_profile rp = *p;
	size_t i;

	for (i = 0; i < axq_acs_table_len && q->n_entries < AX_QL_MAX_ENTRIES;
	     i++) {
		const struct axq_acs_entry *e = &axq_acs_table[i];

		if (e->vendor != q->vendor || e->device != q->device)
			continue;
		q->entry_in_release[q->n_entries] =
			axq_in_release(e->first, e->last, p->kver);
		q->entries[q->n_entries++] = (int)i;
	}
	/* the db's replay, so that it can be held against the kernel's */
	rp.hypothetical = true;
	for (i = 0; i < m->n && q->n_funcs < AX_QL_MAX_FUNCS; i++) {
		const struct ax_dev *d = &m->devs[i];
		struct ax_ql_func *f;

		if (d->vendor != q->vendor || d->device != q->device)
			continue;
		f = &q->funcs[q->n_funcs++];
		f->dev = (int)i;
		ax_acs_enabled(m, (int)i, &rp, &f->replay);
		f->kernel_seen = d->kernel_verdict_known &&
				 d->kernel_verdict_origin == ACSI_ORIGIN_KPROBE;
		f->kernel_isolated = d->kernel_isolated;
		f->kernel_quirk_known = d->quirk_result_known;
		f->kernel_quirk = d->quirk_result;
		f->agree = -1;
		f->still_shared_by = -1;
		if (f->kernel_seen)
			f->agree = f->kernel_isolated == f->replay.isolated &&
				   (!f->kernel_quirk_known ||
				    (f->kernel_quirk >= 0) ==
				    (f->replay.quirk >= 0));
	}
}

static const char *art(const char *noun)
{
	return strchr("aeiou", noun[0]) ? "an" : "a";
}

static void part2(const struct ax_machine *m, struct ax_ql *q)
{
	const struct ax_dev *d;
	const struct ax_ql_callback *c = q->cb;
	unsigned int type;
	bool mf, any_not_isolated = false;
	int k, decided = -1;
	char a[AX_ADDR_STRLEN];

	if (!q->n_funcs) {
		q->status = AX_QL_NO_DEVICE;
		snprintf(q->reason, sizeof(q->reason),
			 "no %04x:%04x function in these facts: the quirk cannot be checked against the device",
			 q->vendor, q->device);
		return;
	}
	d = &m->devs[q->funcs[0].dev];
	type = d->is_pcie ? T(d->pcie_type) : 0;
	mf = is_multifunction(m, q->funcs[0].dev);
	for (k = 0; k < q->n_funcs; k++) {
		if (!q->funcs[k].replay.isolated)
			any_not_isolated = true;
		if (q->funcs[k].replay.quirk >= 0 && decided < 0)
			decided = q->funcs[k].replay.quirk;
	}

	if (!c) {
		/* propose: the vendor's own callback of the kind, else the
		 * first of the catalogue that fits the type
		 */
		if (d->is_pcie && (type & ENDPOINTS))
			c = ax_ql_callback_find("pci_quirk_mf_endpoint_acs");
		else if (type & T(AX_EXP_ROOT_PORT))
			c = vendor_callback(q->vendor, type);
		if (!c && (type & T(AX_EXP_ROOT_PORT)))
			c = ax_ql_callback_find("pci_quirk_qcom_rp_acs");
		q->cb = c;
	}

	if (decided >= 0) {
		const struct axq_acs_entry *e = &axq_acs_table[decided];

		q->status = AX_QL_IN_TABLE;
		snprintf(q->reason, sizeof(q->reason),
			 "the kernel's table already decides for it: { %04x, %s, %s } (since %d.%d), which answers %s; a second entry after it would never be reached",
			 e->vendor, e->device == AXQ_ANY ? "PCI_ANY_ID" : "id",
			 e->callback, e->first / 1000, e->first % 1000,
			 q->funcs[0].replay.isolated ? "isolated" :
			 "not isolated");
		return;
	}
	if (!d->is_pcie) {
		q->status = AX_QL_REFUSED;
		snprintf(q->reason, sizeof(q->reason),
			 "%s is conventional PCI: it has no requester-ID isolation to assert, and its requests may be aliased by the bridge above; no ACS quirk applies",
			 ax_addr_str(d->addr, a));
		return;
	}
	if (!c) {
		q->status = AX_QL_REFUSED;
		if (type & T(AX_EXP_DOWNSTREAM))
			snprintf(q->reason, sizeof(q->reason),
				 "%s is a switch downstream port: no callback of pci_dev_acs_enabled[] is meant for switch ports (the root-port callbacks assert root-port behaviour); a switch that isolates its ports should expose the standard ACS capability (firmware or hardware fix)",
				 ax_addr_str(d->addr, a));
		else
			snprintf(q->reason, sizeof(q->reason),
				 "%s is %s %s: pci_acs_enabled() does not look at an ACS quirk to decide for it in a way that changes its group (bridges alias their requesters; upstream ports are isolated unless multifunction)",
				 ax_addr_str(d->addr, a), art(ax_pcie_type_name(d)),
				 ax_pcie_type_name(d));
		return;
	}
	if (!c->types) {
		q->status = AX_QL_REFUSED;
		snprintf(q->reason, sizeof(q->reason),
			 "%s requires %s",
			 c->name, c->requires);
		return;
	}
	if (!(c->types & type)) {
		q->status = AX_QL_REFUSED;
		snprintf(q->reason, sizeof(q->reason),
			 "%s is %s %s, but %s requires %s",
			 ax_addr_str(d->addr, a), art(ax_pcie_type_name(d)),
			 ax_pcie_type_name(d),
			 c->name, c->requires);
		return;
	}
	if (c->vendor && c->vendor != q->vendor) {
		q->status = AX_QL_REFUSED;
		snprintf(q->reason, sizeof(q->reason),
			 "%s asserts a property of vendor %04x's hardware and specification; it does not fit vendor %04x",
			 c->name, c->vendor, q->vendor);
		return;
	}
	if (c->multifunction_only && !mf) {
		q->status = AX_QL_NOT_NEEDED;
		snprintf(q->reason, sizeof(q->reason),
			 "%s is a single-function %s: the kernel already treats it as isolated by definition; if it shares a group, the cause is above it",
			 ax_addr_str(d->addr, a), ax_pcie_type_name(d));
		return;
	}
	if (!any_not_isolated) {
		q->status = AX_QL_NOT_NEEDED;
		snprintf(q->reason, sizeof(q->reason),
			 "every %04x:%04x function is already isolated (%s)",
			 q->vendor, q->device, q->funcs[0].replay.why);
		return;
	}
	q->status = AX_QL_FITS;
	snprintf(q->reason, sizeof(q->reason), "%s is %s%s, which %s requires",
		 ax_addr_str(d->addr, a),
		 mf && (type & ENDPOINTS) ? "a multifunction " : "a ",
		 ax_pcie_type_name(d), c->name);
	for (k = 0; k < q->n_funcs; k++) {
		const struct ax_dev *f = &m->devs[q->funcs[k].dev];

		if (f->acs_known && f->acs_pos) {
			snprintf(q->warning, sizeof(q->warning),
				 "%s has an ACS capability (cap %04x ctrl %04x): the quirk would override what it says; reviewers will ask why the capability is wrong",
				 ax_addr_str(f->addr, a), f->acs_cap,
				 f->acs_ctrl);
			break;
		}
		if (!f->is_pcie || (T(f->pcie_type) & c->types) == 0) {
			snprintf(q->warning, sizeof(q->warning),
				 "%s has the same ID but is %s %s: the entry applies to it too",
				 ax_addr_str(f->addr, a), art(ax_pcie_type_name(f)),
				 ax_pcie_type_name(f));
			break;
		}
	}
}

/* Group index per device, from a result. */
static int *group_of(const struct ax_machine *m, const struct ax_result *r)
{
	int *g = malloc((m->n ? m->n : 1) * sizeof(int));
	int k;

	if (!g)
		return NULL;
	for (k = 0; k < (int)m->n; k++)
		g[k] = k < r->n_devs ? r->dev[k].group : -1;
	return g;
}

static int *members_copy(const struct ax_group *g)
{
	int *l = malloc(((size_t)g->n + 1) * sizeof(int));

	if (!l)
		return NULL;
	memcpy(l, g->members, (size_t)g->n * sizeof(int));
	l[g->n] = -1;
	return l;
}

/* Groups whose member set changed, joined into connected changes: one
 * before group into several after groups is a split, the reverse a merge.
 */
static int part3_changes(const struct ax_machine *m, struct ax_ql *q)
{
	int *gb = group_of(m, &q->before), *ga = group_of(m, &q->after);
	char *bseen = calloc((size_t)q->before.n_groups + 1, 1);
	char *aseen = calloc((size_t)q->after.n_groups + 1, 1);
	int k, ret = -1;

	if (!gb || !ga || !bseen || !aseen)
		goto out;
	for (k = 0; k < q->before.n_groups; k++) {
		const struct ax_group *b = &q->before.groups[k];
		struct ax_ql_change *c;
		int j, t;
		bool same;

		if (bseen[k] || !b->n)
			continue;
		same = q->after.groups[ga[b->members[0]]].n == b->n;
		for (j = 1; j < b->n && same; j++)
			same = ga[b->members[j]] == ga[b->members[0]];
		if (same)
			continue;
		if (q->n_changes >= AX_QL_MAX_CHANGES)
			break;
		c = &q->changes[q->n_changes++];
		/* grow the component: before groups <-> after groups */
		bseen[k] = 1;
		c->before[c->n_before++] = members_copy(b);
		for (t = 0; t < c->n_before; t++) {
			for (j = 0; c->before[t] && c->before[t][j] >= 0; j++) {
				int ag = ga[c->before[t][j]], x;

				if (ag < 0 || aseen[ag] ||
				    c->n_after >= AX_QL_MAX_FUNCS)
					continue;
				aseen[ag] = 1;
				c->after[c->n_after++] =
					members_copy(&q->after.groups[ag]);
				for (x = 0; x < q->after.groups[ag].n; x++) {
					int bg = gb[q->after.groups[ag].members[x]];

					if (bg < 0 || bseen[bg] ||
					    c->n_before >= AX_QL_MAX_FUNCS)
						continue;
					bseen[bg] = 1;
					c->before[c->n_before++] =
						members_copy(&q->before.groups[bg]);
				}
			}
		}
		for (t = 0; t < c->n_before; t++)
			if (!c->before[t])
				goto out;
		for (t = 0; t < c->n_after; t++)
			if (!c->after[t])
				goto out;
	}
	ret = 0;
out:
	free(gb);
	free(ga);
	free(bseen);
	free(aseen);
	return ret;
}

/* The only endpoint of its group (bridges and ports may stay with
 * pcieport, so they do not count).
 */
static bool alone(const struct ax_machine *m, const struct ax_result *r,
		  int dev, const int *g)
{
	const struct ax_group *grp;
	int j;

	if (g[dev] < 0)
		return false;
	grp = &r->groups[g[dev]];
	for (j = 0; j < grp->n; j++)
		if (grp->members[j] != dev && !m->devs[grp->members[j]].is_bridge)
			return false;
	return true;
}

static int part3_assignable(const struct ax_machine *m, struct ax_ql *q)
{
	int *gb = group_of(m, &q->before), *ga = group_of(m, &q->after);
	int i, k;

	if (!gb || !ga) {
		free(gb);
		free(ga);
		return -1;
	}
	for (k = 0; k < q->n_funcs; k++) {
		struct ax_ql_func *f = &q->funcs[k];
		const struct ax_dev *d = &m->devs[f->dev];

		f->still_shared_by = -1;
		if (!alone(m, &q->after, f->dev, ga)) {
			f->still_shared_by = q->after.dev[f->dev].culprit;
			f->still_why = q->after.dev[f->dev].n_reasons ?
				       q->after.dev[f->dev].reasons[0].text : NULL;
		}
		for (i = 0; i < (int)m->n && q->n_others < AX_QL_MAX_FUNCS;
		     i++) {
			const struct ax_dev *s = &m->devs[i];
			int j;
			bool dup = false;

			if (!same_slot(s, d) || (s->vendor == q->vendor &&
						 s->device == q->device) ||
			    q->after.dev[i].acs.isolated)
				continue;
			for (j = 0; j < q->n_others; j++)
				dup |= q->others[j] == i;
			if (!dup)
				q->others[q->n_others++] = i;
		}
	}
	for (i = 0; i < (int)m->n && q->n_assignable < AX_QL_MAX_FUNCS; i++)
		if (!m->devs[i].is_bridge && alone(m, &q->after, i, ga) &&
		    !alone(m, &q->before, i, gb))
			q->assignable[q->n_assignable++] = i;
	free(gb);
	free(ga);
	return 0;
}

/* Do the kernel's groups partition the devices as g does?  Devices
 * without a kernel group are left out; mismatches go to out (if given).
 */
static int partition_differs(const struct ax_machine *m, const int *g,
			     int *out, int max, int *n_out)
{
	int i, j, n = 0;

	for (i = 0; i < (int)m->n; i++) {
		bool bad = false;

		if (m->devs[i].kernel_group < 0)
			continue;
		for (j = 0; j < (int)m->n && !bad; j++)
			if (j != i && m->devs[j].kernel_group >= 0 &&
			    (m->devs[i].kernel_group ==
			     m->devs[j].kernel_group) != (g[i] == g[j]))
				bad = true;
		if (bad) {
			if (out && n < max)
				out[n] = i;
			n++;
		}
	}
	if (n_out)
		*n_out = n < max ? n : max;
	return n;
}

static int part5(const struct ax_machine *m, const struct ax_profile *pb,
		 struct ax_ql *q)
{
	int *gb = group_of(m, &q->before), *ga = group_of(m, &q->after);
	int k, seen = 0, quirk_yes = 0, iso = 0, nb, na, late[16], n_late;
	char l[120], a[AX_ADDR_STRLEN];

	if (!gb || !ga) {
		free(gb);
		free(ga);
		return -1;
	}
	for (k = 0; k < q->n_funcs; k++) {
		const struct ax_ql_func *f = &q->funcs[k];

		if (!f->kernel_seen)
			continue;
		seen++;
		iso += f->kernel_isolated;
		quirk_yes += f->kernel_quirk_known && f->kernel_quirk > 0;
	}
	if (q->status != AX_QL_FITS) {
		q->carried = AX_QL_CARRIED_UNKNOWN;
		snprintf(q->carried_why, sizeof(q->carried_why),
			 "nothing to check: the quirk is %s",
			 ax_ql_status_name(q->status));
		goto out;
	}
	if (!m->kernel_groups_known || m->iommu != AX_IOMMU_ON) {
		q->carried = AX_QL_CARRIED_UNKNOWN;
		snprintf(q->carried_why, sizeof(q->carried_why),
			 "%s", seen ? "the kernel's verdicts are known but not its groups" :
			 "these facts hold neither the kernel's groups nor its verdicts");
		if (seen && quirk_yes == seen)
			q->carried = AX_QL_CARRIED_YES;
		goto out;
	}
	nb = partition_differs(m, gb, NULL, 0, NULL);
	na = partition_differs(m, ga, q->differs, AX_QL_MAX_FUNCS,
			       &q->n_differs);
	/* functions added after boot without the multifunction header bit
	 * split the same way without any quirk (compare.c)
	 */
	n_late = ax_late_single_functions(m, pb, &q->before, late, 16);
	l[0] = '\0';
	for (k = 0; k < n_late; k++)
		snprintf(l + strlen(l), sizeof(l) - strlen(l), "%s%s",
			 k ? ", " : "", ax_addr_str(m->devs[late[k]].addr, a));
	if (!na && nb && (!seen || (quirk_yes == seen && iso == seen))) {
		q->carried = AX_QL_CARRIED_YES;
		if (!seen && n_late > 0)
			snprintf(q->carried_why, sizeof(q->carried_why),
				 "the kernel's groups are the predicted groups with the quirk (its verdicts were not seen); unless %s was added after boot: without the multifunction bit in its header it would be grouped apart without any quirk. To tell, remove and rescan it with acs_inspect loaded with kprobes=1: the quirk answers \"isolated\" for it",
				 l);
		else
			snprintf(q->carried_why, sizeof(q->carried_why),
				 "the kernel's groups are the predicted groups with the quirk%s",
				 seen ? ", and its quirk table answered \"isolated\" for every function it was seen deciding" :
				 " (its verdicts were not seen: reload the functions to see them)");
	} else if (!nb && !quirk_yes) {
		q->carried = AX_QL_CARRIED_NO;
		q->n_differs = 0;
		snprintf(q->carried_why, sizeof(q->carried_why),
			 "%s", "the running kernel groups the devices as without the quirk: it does not carry it");
	} else if (!na && n_late > 0) {
		q->carried = AX_QL_CARRIED_NO;
		snprintf(q->carried_why, sizeof(q->carried_why),
			 "the kernel's groups are those predicted with the quirk, but its quirk table isolated only %d of the %d function(s) seen deciding: %s came back after boot without the multifunction bit in its header, and the IOMMU core grouped it as a single function before pci_scan_slot() marked it multifunction; the kernel does not carry the quirk",
			 quirk_yes, seen, l);
	} else if (!na) {
		q->carried = AX_QL_CARRIED_DIFFERS;
		snprintf(q->carried_why, sizeof(q->carried_why),
			 "the kernel's groups are those predicted with the quirk, but its quirk table isolated only %d of the %d function(s) seen deciding: the split has another cause (an override, or functions re-added in another order)",
			 quirk_yes, seen);
	} else {
		q->carried = AX_QL_CARRIED_DIFFERS;
		snprintf(q->carried_why, sizeof(q->carried_why),
			 "%d device(s) grouped unlike the prediction with the quirk; kernel quirk verdicts: %d of %d seen functions isolated by a quirk",
			 na, quirk_yes, seen);
	}
out:
	free(gb);
	free(ga);
	return 0;
}

int ax_ql_run(const struct ax_machine *m, const struct ax_profile *p,
	      uint16_t vendor, uint16_t device,
	      const struct ax_ql_callback *callback, struct ax_ql *q)
{
	struct ax_profile pb = *p, pa;
	struct ax_dev probe;

	memset(q, 0, sizeof(*q));
	q->vendor = vendor;
	q->device = device;
	q->kver = p->kver;
	q->cb = callback;
	q->requested = callback != NULL;
	part1(m, p, q);
	/* a newer release's quirk for the ID (ID ranges included): for the
	 * device as it is, else as for a root port, as the ranges are
	 */
	memset(&probe, 0, sizeof(probe));
	if (q->n_funcs)
		probe = m->devs[q->funcs[0].dev];
	probe.vendor = vendor;
	probe.device = device;
	if (!q->n_funcs) {
		probe.is_pcie = true;
		probe.pcie_type = AX_EXP_ROOT_PORT;
	}
	q->newer_release = ax_quirk_release_for(&probe, p->kver,
						&q->newer_callback);
	if (!q->newer_release)
		q->newer_callback = NULL;
	part2(m, q);

	/* both with the db's rules, so that only the entry differs */
	pb.hypothetical = true;
	pa = pb;
	if (q->status == AX_QL_FITS && pa.n_extra_quirks < 16)
		pa.extra_quirk_ids[pa.n_extra_quirks++] =
			(uint32_t)vendor << 16 | device;
	if (ax_derive(m, &pb, &q->before))
		return -1;
	if (ax_derive(m, &pa, &q->after)) {
		ax_result_free(&q->before);
		return -1;
	}
	q->have_after = true;
	if (q->status == AX_QL_FITS &&
	    (part3_changes(m, q) || part3_assignable(m, q)))
		return -1;
	return part5(m, &pb, q);
}

void ax_ql_free(struct ax_ql *q)
{
	int k, t;

	for (k = 0; k < q->n_changes; k++) {
		for (t = 0; t < q->changes[k].n_before; t++)
			free(q->changes[k].before[t]);
		for (t = 0; t < q->changes[k].n_after; t++)
			free(q->changes[k].after[t]);
	}
	if (q->have_after) {
		ax_result_free(&q->before);
		ax_result_free(&q->after);
	}
	q->have_after = false;
	q->n_changes = 0;
}
