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
	for (k = 0; k < r->dev[i].n_reasons; k++) {
		const struct ax_reason *rr = &r->dev[i].reasons[k];

		fprintf(t->out, "        %s%-22s%s at %s: %s\n",
			col(t, C_YELLOW), ax_reason_code_name(rr->code),
			col(t, C_RESET), ax_dev_str(m, rr->at, b), rr->text);
	}
}

static void print_remedies(const struct tctx *t, const struct ax_analysis *a,
			   const struct ax_remedies *rm)
{
	const struct ax_machine *m = a->m;
	char b[AX_ADDR_STRLEN], kb[16];
	int k, shown = 0;

	fprintf(t->out, "  %sWhat you can do:%s\n", col(t, C_BOLD),
		col(t, C_RESET));
	if (rm->quirk_dev >= 0) {
		const struct ax_dev *c = &m->devs[rm->quirk_dev];

		fprintf(t->out,
			"    - Kernel %s and later (and stable kernels that backported it, as distributions do) have the quirk %s for %s [%04x:%04x]; this explanation assumes %s.\n",
			ax_kver_str(rm->quirk_release, kb), rm->quirk_callback,
			ax_addr_str(c->addr, b), c->vendor, c->device,
			a->profile.kver ? "an older kernel" : "the newest");
		shown++;
	}
	if (rm->port_problem && rm->n_ports) {
		fprintf(t->out,
			"    - Move the card to a slot behind a port that isolates:");
		for (k = 0; k < rm->n_ports; k++) {
			const struct ax_dev *p = &m->devs[rm->ports[k]];

			fprintf(t->out, " %s%s%s%s%s", ax_addr_str(p->addr, b),
				p->slot_name[0] ? " (slot " : "", p->slot_name,
				p->slot_name[0] ? ")" : "",
				rm->port_free[k] ? " [free]" : "");
		}
		fprintf(t->out, "%s.\n", rm->ports_more ? " ..." : "");
		shown++;
	} else if (rm->port_problem) {
		fprintf(t->out,
			"    - No port on this machine isolates: another slot will not help.\n");
	}
	if (rm->controls_off) {
		fprintf(t->out,
			"    - A port implements ACS but it is switched off: enable ACS in the firmware setup (often \"ACS\", \"PCIe ACS\" or \"ACS Enable\"), remove pci=disable_acs_redir= for it, or set the bits with pci=config_acs= (kernel 6.11 and later).\n");
		shown++;
	}
	if (rm->whole_group) {
		fprintf(t->out,
			"    - Assign the whole group: bind every endpoint in it to vfio-pci (see --plan).\n");
		fprintf(t->out,
			"    - Last resort: the out-of-tree ACS override patch (pcie_acs_override=downstream,multifunction) splits the group without any hardware isolation: the devices can still reach each other by peer-to-peer DMA, so a guest could read or corrupt the memory of the others. Use only if you accept that risk; acsexplain --what-if acs-override=downstream,multifunction shows what it would split.\n");
		shown++;
	}
	if (!shown)
		fprintf(t->out,
			"    - Nothing to do: the device is alone in its group.\n");
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

static void print_plan(const struct tctx *t, const struct ax_machine *m,
		       const struct ax_plan *p)
{
	const struct ax_dev *d = &m->devs[p->dev];
	char a[AX_ADDR_STRLEN];
	int k;

	if (p->group < 0) {
		fprintf(t->out, "  No IOMMU group: VFIO cannot assign %s.\n",
			ax_addr_str(d->addr, a));
		return;
	}
	if (d->is_bridge)
		fprintf(t->out,
			"  %s is a bridge: VFIO assigns endpoints, bridges stay with their driver.\n",
			ax_addr_str(d->addr, a));
	fprintf(t->out, "  %sAssignment plan%s for group of %s:\n",
		col(t, C_BOLD), col(t, C_RESET), ax_addr_str(d->addr, a));
	for (k = 0; k < p->n_members; k++) {
		const struct ax_plan_member *pm = &p->members[k];
		const struct ax_dev *x = &m->devs[pm->dev];

		ax_addr_str(x->addr, a);
		if (!pm->endpoint) {
			fprintf(t->out,
				"    %s %s: bridge, stays with %s (VFIO does not need it)\n",
				a, ax_pcie_type_name(x),
				x->driver[0] ? x->driver : "its driver");
			continue;
		}
		fprintf(t->out, "    %s endpoint, now %s%s\n", a,
			!x->driver_known ? "driver unknown" :
			x->driver[0] ? x->driver : "no driver",
			pm->ok ? " (fine)" : ": must be bound to vfio-pci");
	}
	fprintf(t->out, "  Group is %s.\n", p->viable ?
		"viable now (every endpoint is with vfio-pci, pci-stub or no driver)" :
		"not viable until every endpoint is bound to vfio-pci");
	fprintf(t->out, "  Commands (as root):\n    modprobe vfio-pci\n");
	for (k = 0; k < p->n_members; k++) {
		if (!p->members[k].endpoint)
			continue;
		ax_addr_str(m->devs[p->members[k].dev].addr, a);
		fprintf(t->out,
			"    echo vfio-pci > /sys/bus/pci/devices/%s/driver_override\n",
			a);
		fprintf(t->out,
			"    [ -e /sys/bus/pci/devices/%s/driver ] && echo %s > /sys/bus/pci/devices/%s/driver/unbind\n",
			a, a, a);
		fprintf(t->out, "    echo %s > /sys/bus/pci/drivers_probe\n", a);
	}
	fprintf(t->out, "  libvirt (<devices> of the domain):\n");
	for (k = 0; k < p->n_members; k++) {
		const struct ax_dev *x = &m->devs[p->members[k].dev];

		if (!p->members[k].endpoint)
			continue;
		fprintf(t->out,
			"    <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/></source></hostdev>\n",
			x->addr.domain, x->addr.bus, AX_SLOT(x->addr.devfn),
			AX_FUNC(x->addr.devfn));
	}
	fprintf(t->out, "  QEMU:\n   ");
	for (k = 0; k < p->n_members; k++) {
		if (!p->members[k].endpoint)
			continue;
		fprintf(t->out, " -device vfio-pci,host=%s",
			ax_addr_str(m->devs[p->members[k].dev].addr, a));
	}
	fprintf(t->out, "\n");
	if (p->n_endpoints > 1)
		fprintf(t->out,
			"  All %d endpoints go to the same VM (a group cannot be split between VMs).\n",
			p->n_endpoints);
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

	fprintf(t->out, "\n%s%s %s%s [%04x:%04x] (%s)\n", col(t, C_BOLD),
		ax_addr_str(d->addr, b), ax_dev_name(d, nm), col(t, C_RESET),
		d->vendor, d->device, ax_pcie_type_name(d));
	if (dr->group < 0) {
		fprintf(t->out, "  No IOMMU group: ");
		for (k = 0; k < dr->n_reasons; k++)
			fprintf(t->out, "%s ", dr->reasons[k].text);
		fprintf(t->out, "\n");
		return;
	}
	{
		const struct ax_group *g = &r->groups[dr->group];

		fprintf(t->out, "  Group: %s%d device(s)%s", col(t, C_BOLD),
			g->n, col(t, C_RESET));
		if (d->kernel_group >= 0)
			fprintf(t->out, " (kernel group %d)", d->kernel_group);
		fprintf(t->out, "%s\n",
			g->n == 1 ? ": alone, assignable on its own" : "");
		for (k = 0; k < g->n; k++)
			print_member(t, m, r, g->members[k], s->dev);
	}
	print_path(t, m, r, s->dev);
	if (dr->culprit >= 0) {
		const struct ax_dev *c = &m->devs[dr->culprit];

		fprintf(t->out, "  %sAt fault:%s %s %s [%04x:%04x] %s\n",
			col(t, C_RED), col(t, C_RESET),
			ax_addr_str(c->addr, b), ax_pcie_type_name(c),
			c->vendor, c->device, ax_dev_name(c, nm));
	}
	print_remedies(t, a, &s->remedies);
	if (a->audit)
		print_audit(t, r, s->audit, s->n_audit, false);
	if (a->plan)
		print_plan(t, m, &s->plan);
}

/* Every group of the listed devices, one line per member. */
static void print_groups(const struct tctx *t, const struct ax_machine *m,
			 const struct ax_result *r)
{
	char a[AX_ADDR_STRLEN], b[AX_ADDR_STRLEN], nm[AX_NAME_STRLEN];
	int g, k;

	for (g = 0; g < r->n_groups; g++) {
		const struct ax_group *gr = &r->groups[g];
		int c = -1;

		for (k = 0; k < gr->n && c < 0; k++)
			c = r->dev[gr->members[k]].culprit;
		fprintf(t->out, "\n%sGroup %d%s", col(t, C_BOLD), g,
			col(t, C_RESET));
		if (gr->kernel_group >= 0)
			fprintf(t->out, " (kernel %d)", gr->kernel_group);
		if (gr->n == 1)
			fprintf(t->out, ": alone\n");
		else
			fprintf(t->out, ": %d devices, because of %s\n", gr->n,
				ax_dev_str(m, c, b));
		for (k = 0; k < gr->n; k++) {
			int i = gr->members[k];
			const struct ax_dev *d = &m->devs[i];
			const struct ax_reason *rr = NULL;
			int q;

			/* the first reason that names a device at fault */
			for (q = 0; q < r->dev[i].n_reasons && !rr; q++)
				if (r->dev[i].reasons[q].at >= 0)
					rr = &r->dev[i].reasons[q];

			fprintf(t->out, "  %s %-40.40s %s",
				ax_addr_str(d->addr, a), ax_dev_name(d, nm),
				ax_pcie_type_name(d));
			if (gr->n > 1 && rr)
				fprintf(t->out, "  [%s at %s]",
					ax_reason_code_name(rr->code),
					ax_dev_str(m, rr->at, b));
			fprintf(t->out, "\n");
		}
	}
	for (k = 0; k < (int)m->n; k++)
		if (r->dev[k].group < 0)
			fprintf(t->out, "\nNo group: %s %s\n",
				ax_addr_str(m->devs[k].addr, a),
				ax_dev_name(&m->devs[k], nm));
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
		print_groups(t, &w->machine, &w->res);
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
	if (!w->n_changes)
		fprintf(t->out, "  no group changes.\n");
	for (j = 0; j < w->res.n_audit; j++)
		if (w->res.audit[j].simulated)
			fprintf(t->out, "  %sSIMULATED:%s %s\n", col(t, C_RED),
				col(t, C_RESET), w->res.audit[j].text);
}

static void print_quirk_check(const struct tctx *t,
			      const struct ax_analysis *a)
{
	const struct ax_quirk_check *q = a->quirk;
	const struct ax_machine *m = a->m;
	char b[AX_ADDR_STRLEN], kb[16];
	int i, k;

	fprintf(t->out, "%sQuirk validation for %04x:%04x%s (kernel rules %s)\n",
		col(t, C_BOLD), q->vendor, q->device, col(t, C_RESET),
		ax_kver_str(a->profile.kver, kb));
	for (k = 0; k < q->n_entries; k++) {
		const struct axq_acs_entry *e = &axq_acs_table[q->entries[k]];

		fprintf(t->out,
			"  quirk table: %s for %04x:%04x, kernels %d.%d%s\n",
			e->callback, q->vendor, q->device, e->first / 1000,
			e->first % 1000, e->last ? " to an older release" :
			" and later");
	}
	for (i = 0; i < q->n_devs; i++) {
		const struct ax_quirk_dev *qd = &q->devs[i];
		const struct ax_dev *d = &m->devs[qd->dev];
		const struct ax_acs_verdict *v = &a->res.dev[qd->dev].acs;

		fprintf(t->out, "  %s %s: the kernel treats it as %s (%s: %s)\n",
			ax_addr_str(d->addr, b), ax_pcie_type_name(d),
			v->isolated ? "isolating" : "not isolating",
			ax_acs_basis_name(v->basis), v->why);
		if (qd->overrides_cap)
			fprintf(t->out,
				"    inconsistent: it has a real ACS capability (cap %04x ctrl %04x); a quirk overrides it\n",
				d->acs_cap, d->acs_ctrl);
		if (qd->has_cap)
			fprintf(t->out,
				"    it already has an ACS capability: a quirk is not needed if its controls are on (now %s)\n",
				v->isolated ? "on" : "off");
		if (qd->single_function)
			fprintf(t->out,
				"    single-function %s: a multifunction (no peer-to-peer) quirk would change nothing\n",
				ax_pcie_type_name(d));
		for (k = 0; k < qd->n_peers; k++) {
			const struct ax_dev *s = &m->devs[qd->peers[k]];

			fprintf(t->out,
				"    function %s [%04x:%04x] of the same device is not in a quirk and not isolated: the group will still hold it\n",
				ax_addr_str(s->addr, b), s->vendor, s->device);
		}
		ax_addr_str(d->addr, b);
		if (d->quirk_result_known)
			fprintf(t->out,
				"    live: the running kernel's quirk table answered %s for it (seen by acs_inspect)\n",
				d->quirk_result < 0 ? "\"no quirk\"" :
				d->quirk_result ? "\"isolated\": the quirk is in effect" :
				"\"not isolated\": a quirk denies isolation");
		else if (m->module_facts)
			fprintf(t->out,
				"    live: acs_inspect did not see the kernel decide for %s (it only sees devices added after it loaded); to see it: echo 1 > /sys/bus/pci/devices/%s/remove; echo 1 > /sys/bus/pci/rescan\n",
				b, b);
		if (m->module_facts && d->kernel_group >= 0)
			fprintf(t->out,
				"    live: kernel group %d; the derived groups %s the kernel's\n",
				d->kernel_group, a->res.matches_kernel ?
				"match" : "do not all match");
	}
	if (!q->n_devs)
		fprintf(t->out, "  no %04x:%04x device in these facts\n",
			q->vendor, q->device);
	if (q->newer_callback)
		fprintf(t->out,
			"  a newer kernel has quirk %s covering this id\n",
			q->newer_callback);
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
		print_groups(&t, a->m, &a->res);
		if (a->audit)
			print_audit(&t, &a->res, NULL, a->res.n_audit, true);
	}
	if (a->what_if)
		print_what_if(&t, a);
	return ferror(out) ? -1 : 0;
}
