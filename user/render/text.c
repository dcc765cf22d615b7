// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render/text.c - the analysis as an expert would answer on a forum: who
 * shares the group, which port or function is the reason, what the kernel
 * release changes, what the user can do, and what to bind.  Everything
 * said here is a field of struct ax_analysis; render/json.c prints the
 * same fields.
 */
#include <stdlib.h>
#include <string.h>

#include "quirks.h"
#include "render.h"
#include "render/quirklab_out.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"

struct tctx {
	FILE *out;
	const struct ax_render_opts *o;
};

static const char *col(const struct tctx *t, const char *c)
{
	return t->o->color ? c : "";
}

static void print_hop(const struct tctx *t, const struct ax_machine *m,
		      const struct ax_result *r, int h, int depth)
{
	const struct ax_dev *d = &m->devs[h];
	const struct ax_acs_verdict *v = &r->dev[h].acs;
	char a[AX_ADDR_STRLEN], nm[AX_NAME_STRLEN];

	fprintf(t->out, "    %*s%s%s %s%s%s %s\n", depth * 2, "",
		depth ? "`- " : "", ax_addr_str(d->addr, a),
		col(t, C_CYAN), ax_pcie_type_name(d), col(t, C_RESET),
		ax_dev_name(d, nm));
	fprintf(t->out, "    %*s     %s%s%s: %s\n", depth * 2, "",
		col(t, v->isolated ? C_GREEN : C_RED),
		v->isolated ? "isolates" : "does not isolate",
		col(t, C_RESET), v->why);
}

/* The upstream path from the root to the device, as a short tree. */
static void print_path(const struct tctx *t, const struct ax_machine *m,
		       const struct ax_result *r, int idx)
{
	int chain[256], n = 0, h, k;

	for (h = idx; h >= 0 && n < 256; h = m->devs[h].parent)
		chain[n++] = h;
	fprintf(t->out, "  Upstream path (root first):\n");
	if (m->devs[chain[n - 1]].on_root_bus)
		fprintf(t->out, "    root bus %04x:%02x\n",
			m->devs[chain[n - 1]].addr.domain,
			m->devs[chain[n - 1]].addr.bus);
	for (k = n - 1; k >= 0; k--)
		print_hop(t, m, r, chain[k], n - 1 - k);
}

static void print_member(const struct tctx *t, const struct ax_machine *m,
			 const struct ax_result *r, int i, int idx)
{
	const struct ax_dev *d = &m->devs[i];
	char a[AX_ADDR_STRLEN], b[AX_ADDR_STRLEN], nm[AX_NAME_STRLEN];
	int k;

	fprintf(t->out, "    %s%s%s %s [%04x:%04x] %s%s%s\n",
		i == idx ? col(t, C_BOLD) : "", ax_addr_str(d->addr, a),
		i == idx ? col(t, C_RESET) : "", ax_dev_name(d, nm), d->vendor,
		d->device, ax_pcie_type_name(d),
		d->driver[0] ? ", driver " : "", d->driver);
	/* the reasons of the device asked about; the others' repeat them */
	for (k = 0; i == idx && k < r->dev[i].n_reasons; k++) {
		const struct ax_reason *rr = &r->dev[i].reasons[k];

		fprintf(t->out, "        %s%-22s%s at %s: %s\n",
			col(t, C_YELLOW), ax_reason_code_name(rr->code),
			col(t, C_RESET), ax_dev_str(m, rr->at, b), rr->text);
	}
}

static void print_header(const struct tctx *t, const struct ax_analysis *a)
{
	const struct ax_machine *m = a->m;
	const struct ax_result *r = &a->res;
	char kb[16];
	int i;

	fprintf(t->out, "%sFacts:%s %s (%s)", col(t, C_BOLD), col(t, C_RESET),
		ax_source_title(m), m->source_name);
	fprintf(t->out, "; kernel %s", m->kernel_release[0] ?
		m->kernel_release : "unknown");
	fprintf(t->out, "; rules of kernel %s%s\n",
		ax_kver_str(a->profile.kver, kb),
		a->profile.kver_from_data ? " (from the data)" : "");
	if (r->release_rules[0])
		fprintf(t->out, "  kernel release: %s\n", r->release_rules);
	if (r->acs_policy[0])
		fprintf(t->out, "  ACS: %s\n", r->acs_policy);
	for (i = 0; i < m->n_notes; i++)
		fprintf(t->out, "  note: %s\n", m->notes[i]);
	for (i = 0; i < r->n_notes; i++)
		fprintf(t->out, "  note: %s\n", r->notes[i]);
	if (m->iommu == AX_IOMMU_OFF) {
		fprintf(t->out,
			"%sNo IOMMU groups:%s the kernel made none, so no device can be assigned with VFIO.\n",
			col(t, C_RED), col(t, C_RESET));
		if (strstr(m->cmdline, "intel_iommu=off") ||
		    strstr(m->cmdline, "amd_iommu=off") ||
		    strstr(m->cmdline, "iommu=off"))
			fprintf(t->out,
				"  The kernel command line switches the IOMMU off (%s): remove that.\n",
				m->cmdline);
		else if (!strstr(m->cmdline, "intel_iommu=on") &&
			 !m->iommu_driver[0])
			fprintf(t->out,
				"  No IOMMU driver is active: enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup; on Intel kernels built without CONFIG_INTEL_IOMMU_DEFAULT_ON also add intel_iommu=on. Without a DMAR (Intel) or IVRS (AMD) ACPI table the firmware offers no IOMMU at all.\n");
		fprintf(t->out,
			"  Below are the groups this kernel would make once the IOMMU is on.\n");
	}
	if (r->compared) {
		if (r->matches_kernel)
			fprintf(t->out,
				"  The derived groups match the kernel's own groups.\n");
		else
			fprintf(t->out,
				"%s  WARNING: %d device(s) are grouped differently by the kernel than the kernel's algorithm predicts.%s Likely causes: an ACS override patch (Proxmox, Zen, many gaming kernels: look for pcie_acs_override= on the command line), a quirk the facts could not show, or a kernel whose grouping code differs. Trust the kernel's groups for assignment.\n",
				col(t, C_RED), r->n_mismatch, col(t, C_RESET));
		if (!r->matches_kernel && r->mismatch_cause[0])
			fprintf(t->out, "  Found the cause: %s.\n",
				r->mismatch_cause);
	}
}

static void print_audit(const struct tctx *t, const struct ax_result *r,
			const int *which, int n, bool whole_machine)
{
	int k;

	for (k = 0; k < n; k++) {
		if (!k)
			fprintf(t->out,
				"  %sIsolation audit%s (where the groups promise more than the hardware gives):\n",
				col(t, C_YELLOW), col(t, C_RESET));
		fprintf(t->out, "    - %s\n",
			r->audit[which ? which[k] : k].text);
	}
	if (!n && whole_machine)
		fprintf(t->out,
			"\nIsolation audit: no group promises more isolation than the hardware gives.\n");
}

static void print_device(const struct tctx *t, const struct ax_analysis *a,
			 const struct ax_selected *s)
{
	const struct ax_machine *m = a->m;
	const struct ax_result *r = &a->res;
	const struct ax_dev *d = &m->devs[s->dev];
	const struct ax_dev_result *dr = &r->dev[s->dev];
	char b[AX_ADDR_STRLEN], nm[AX_NAME_STRLEN];
	int k;

	fprintf(t->out, "\n%s%s %s%s [%04x:%04x] (%s)%s%s\n", col(t, C_BOLD),
		ax_addr_str(d->addr, b), ax_dev_name(d, nm), col(t, C_RESET),
		d->vendor, d->device, ax_pcie_type_name(d),
		d->driver[0] ? ", driver " : "", d->driver);
	/* the verdict first: can it be passed through, with what */
	ax_text_assignment(t->out, m, r, &a->advice.g,
			   &a->advice.assign[s->dev], t->o->color);
	if (a->plan)
		ax_text_vfio_plan(t->out, m, &s->plan, t->o->color);
	if (dr->group < 0) {
		fprintf(t->out, "  No IOMMU group: ");
		for (k = 0; k < dr->n_reasons; k++)
			fprintf(t->out, "%s ", dr->reasons[k].text);
		fprintf(t->out, "\n");
		return;
	}
	{
		const struct ax_group *g = &r->groups[dr->group];

		fprintf(t->out, "  Derived group: %s%d device(s)%s",
			col(t, C_BOLD), g->n, col(t, C_RESET));
		if (d->kernel_group >= 0)
			fprintf(t->out, " (kernel group %d%s)", d->kernel_group,
				g->kernel_group == d->kernel_group ?
				", the same devices" : ", other devices");
		fprintf(t->out, "\n");
		for (k = 0; k < g->n; k++)
			print_member(t, m, r, g->members[k], s->dev);
	}
	print_path(t, m, r, s->dev);
	if (a->audit)
		print_audit(t, r, s->audit, s->n_audit, false);
}

/* Every group of the listed devices: verdict, one reason, members. */
static void print_groups(const struct tctx *t, const struct ax_machine *m,
			 const struct ax_result *r, const bool *listed,
			 const struct ax_advice *adv)
{
	ax_text_all_groups(t->out, m, r, listed, adv, t->o->color);
}

static void print_what_if(const struct tctx *t, const struct ax_analysis *a)
{
	const struct ax_whatif *w = a->what_if;
	char b[AX_ADDR_STRLEN];
	int j, q;

	fprintf(t->out, "\n%sWhat if %s%s:%s\n", col(t, C_BOLD), w->what,
		w->moved ? " (addresses changed)" : "", col(t, C_RESET));
	if (w->moved) {
		/* addresses changed: show the new picture */
		print_groups(t, &w->machine, &w->res, w->listed, &w->advice);
		return;
	}
	for (j = 0; j < w->n_changes; j++) {
		const struct ax_group_change *c = &w->changes[j];
		const struct ax_group *ag = &w->res.groups[c->group];

		if (c->merged)
			fprintf(t->out, "  %smerged%s from %d groups:",
				col(t, C_RED), col(t, C_RESET), c->n_from);
		else
			fprintf(t->out, "  %ssplit%s off a group of %d:",
				col(t, C_GREEN), col(t, C_RESET), c->n_from);
		for (q = 0; q < ag->n; q++)
			fprintf(t->out, " %s",
				ax_dev_str(&w->machine, ag->members[q], b));
		fprintf(t->out, "\n");
	}
	/* honest: "no change" only when the facts could tell */
	if (w->advice.unknown[0])
		fprintf(t->out, "  %s%s:%s %s.\n", col(t, C_YELLOW),
			w->n_changes ? "uncertain" : "unknown",
			col(t, C_RESET), w->advice.unknown);
	else if (!w->n_changes)
		fprintf(t->out, "  no group changes.\n");
	for (j = 0; j < w->res.n_audit; j++)
		if (w->res.audit[j].simulated)
			fprintf(t->out, "  %sSIMULATED:%s %s\n", col(t, C_RED),
				col(t, C_RESET), w->res.audit[j].text);
}

static void print_quirk_check(const struct tctx *t,
			      const struct ax_analysis *a)
{
	ax_ql_print_text(t->out, a->m, a->quirk, t->o);
}

int ax_render_text(FILE *out, const struct ax_analysis *a,
		   const struct ax_render_opts *o)
{
	struct tctx t = { .out = out, .o = o };
	int i;

	print_header(&t, a);
	if (a->quirk)
		print_quirk_check(&t, a);
	for (i = 0; i < a->n_sel; i++)
		print_device(&t, a, &a->sel[i]);
	if (a->all) {
		print_groups(&t, a->m, &a->res, a->listed, &a->advice);
		if (a->audit)
			print_audit(&t, &a->res, NULL, a->res.n_audit, true);
	}
	if (a->what_if)
		print_what_if(&t, a);
	return ferror(out) ? -1 : 0;
}
