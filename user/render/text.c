// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render/text.c - turn a derivation into what an expert would answer on a
 * forum: who shares the group, which port or function is the reason, what
 * the kernel release changes, what the user can do, and what to bind.
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "quirks.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"

static const char *col(const struct ax_explain_opts *o, const char *c)
{
	return o->color ? c : "";
}

static const char *A(const struct ax_machine *m, int i, char *buf)
{
	if (i < 0)
		return "-";
	return ax_addr_str(m->devs[i].addr, buf);
}

static const char *dname(const struct ax_dev *d)
{
	return d->name[0] ? d->name : "(unnamed device)";
}

static const char *kver_str(int kver, char *buf, size_t len)
{
	if (!kver)
		snprintf(buf, len, "newest");
	else
		snprintf(buf, len, "%d.%d", kver / 1000, kver % 1000);
	return buf;
}

static bool is_port(const struct ax_dev *d)
{
	return d->is_pcie && (d->pcie_type == AX_EXP_ROOT_PORT ||
			      d->pcie_type == AX_EXP_DOWNSTREAM);
}

static bool is_endpoint(const struct ax_dev *d)
{
	return !d->is_bridge;
}

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

static void print_hop(FILE *out, const struct ax_machine *m,
		      const struct ax_result *r, int h, int depth,
		      const struct ax_explain_opts *o)
{
	const struct ax_dev *d = &m->devs[h];
	const struct ax_acs_verdict *v = &r->acs[h];
	char a[16];

	fprintf(out, "    %*s%s%s %s%s%s %s\n", depth * 2, "",
		depth ? "`- " : "", ax_addr_str(d->addr, a),
		col(o, C_CYAN), ax_pcie_type_name(d), col(o, C_RESET),
		dname(d));
	fprintf(out, "    %*s     %s%s%s: %s\n", depth * 2, "",
		col(o, v->isolated ? C_GREEN : C_RED),
		v->isolated ? "isolates" : "does not isolate",
		col(o, C_RESET), v->why);
}

/* The upstream path from the root to the device, as a short tree. */
static void print_path(FILE *out, const struct ax_machine *m,
		       const struct ax_result *r, int idx,
		       const struct ax_explain_opts *o)
{
	int chain[256], n = 0, h, k;

	for (h = idx; h >= 0 && n < 256; h = m->devs[h].parent)
		chain[n++] = h;
	fprintf(out, "  Upstream path (root first):\n");
	if (m->devs[chain[n - 1]].on_root_bus)
		fprintf(out, "    root bus %04x:%02x\n",
			m->devs[chain[n - 1]].addr.domain,
			m->devs[chain[n - 1]].addr.bus);
	for (k = n - 1; k >= 0; k--)
		print_hop(out, m, r, chain[k], n - 1 - k, o);
}

static void print_member(FILE *out, const struct ax_machine *m,
			 const struct ax_result *r, int t, int idx,
			 const struct ax_explain_opts *o)
{
	const struct ax_dev *d = &m->devs[t];
	char a[16], b[16];
	int k;

	fprintf(out, "    %s%s%s %s [%04x:%04x] %s%s%s\n",
		t == idx ? col(o, C_BOLD) : "", ax_addr_str(d->addr, a),
		t == idx ? col(o, C_RESET) : "", dname(d), d->vendor,
		d->device, ax_pcie_type_name(d),
		d->driver[0] ? ", driver " : "", d->driver);
	for (k = 0; k < r->n_reasons[t]; k++) {
		const struct ax_reason *rr = &r->reasons[t][k];

		fprintf(out, "        %s%-22s%s at %s: %s\n",
			col(o, C_YELLOW), ax_reason_code_name(rr->code),
			col(o, C_RESET), A(m, rr->at, b), rr->text);
	}
}

static void remedies(FILE *out, const struct ax_machine *m,
		     const struct ax_profile *p, const struct ax_result *r,
		     int idx, const struct ax_explain_opts *o)
{
	const struct ax_group *g = &r->groups[m->devs[idx].group];
	int culprit = r->culprit[idx], k, i, shown = 0;
	char a[16], b[16], kb[16];
	const char *cb = NULL;
	bool port_problem = false, controls_off = false;

	fprintf(out, "  %sWhat you can do:%s\n", col(o, C_BOLD), col(o, C_RESET));
	for (k = 0; k < g->n; k++) {
		int t = g->members[k], q;

		for (q = 0; q < r->n_reasons[t]; q++) {
			enum ax_reason_code c = r->reasons[t][q].code;

			if (c == AX_R_ROOT_PORT_NO_ACS ||
			    c == AX_R_DOWNSTREAM_PORT_NO_ACS ||
			    c == AX_R_PCI_BRIDGE_ALIAS ||
			    c == AX_R_CONVENTIONAL_BRIDGE)
				port_problem = true;
			if (c == AX_R_ACS_CONTROLS_OFF)
				controls_off = true;
		}
	}
	if (culprit >= 0) {
		int rel = ax_quirk_release_for(&m->devs[culprit], p->kver, &cb);

		if (rel) {
			fprintf(out,
				"    - Kernel %s and later (and stable kernels that backported it, as distributions do) have the quirk %s for %s [%04x:%04x]; this explanation assumes %s.\n",
				kver_str(rel, kb, sizeof(kb)), cb,
				A(m, culprit, a), m->devs[culprit].vendor,
				m->devs[culprit].device,
				p->kver ? "an older kernel" : "the newest");
			shown++;
		}
	}
	if (port_problem) {
		/* Ports whose whole path isolates: a card there is alone. */
		int nports = 0;

		for (i = 0; i < (int)m->n; i++) {
			int h;
			bool ok = true;

			if (!is_port(&m->devs[i]))
				continue;
			for (h = i; h >= 0; h = m->devs[h].parent)
				if (!r->acs[h].isolated)
					ok = false;
			if (!ok)
				continue;
			if (!nports++)
				fprintf(out,
					"    - Move the card to a slot behind a port that isolates:");
			{
				bool used = false;
				int t;

				for (t = 0; t < (int)m->n; t++)
					if (m->devs[t].parent == i)
						used = true;
				fprintf(out, " %s%s%s%s%s",
					ax_addr_str(m->devs[i].addr, b),
					m->devs[i].slot_name[0] ? " (slot " : "",
					m->devs[i].slot_name,
					m->devs[i].slot_name[0] ? ")" : "",
					used ? "" : " [free]");
			}
			if (nports >= 12) {
				fprintf(out, " ...");
				break;
			}
		}
		if (nports) {
			fprintf(out, ".\n");
			shown++;
		} else {
			fprintf(out,
				"    - No port on this machine isolates: another slot will not help.\n");
		}
	}
	if (controls_off) {
		fprintf(out,
			"    - A port implements ACS but it is switched off: enable ACS in the firmware setup (often \"ACS\", \"PCIe ACS\" or \"ACS Enable\"), remove pci=disable_acs_redir= for it, or set the bits with pci=config_acs= (kernel 6.11 and later).\n");
		shown++;
	}
	if (g->n > 1) {
		fprintf(out,
			"    - Assign the whole group: bind every endpoint in it to vfio-pci (see --plan).\n");
		fprintf(out,
			"    - Last resort: the out-of-tree ACS override patch (pcie_acs_override=downstream,multifunction) splits the group without any hardware isolation: the devices can still reach each other by peer-to-peer DMA, so a guest could read or corrupt the memory of the others. Use only if you accept that risk; acsexplain --what-if acs-override=downstream,multifunction shows what it would split.\n");
		shown++;
	}
	if (!shown)
		fprintf(out, "    - Nothing to do: the device is alone in its group.\n");
}

void ax_explain_header(FILE *out, const struct ax_machine *m,
		       const struct ax_profile *p, const struct ax_result *r,
		       const struct ax_explain_opts *o)
{
	char kb[16];
	int i;

	fprintf(out, "%sFacts:%s %s (%s)", col(o, C_BOLD), col(o, C_RESET),
		m->module_facts ? "acs_inspect module" :
		m->source == AX_SRC_SYSFS ? "sysfs and config space" :
		m->source == AX_SRC_DUMP ? "lspci -x dump" :
		m->source == AX_SRC_LSPCI_TEXT ? "lspci -vvv text" :
		"snapshot", m->source_name);
	fprintf(out, "; kernel %s", m->kernel_release[0] ?
		m->kernel_release : "unknown");
	fprintf(out, "; rules of kernel %s%s\n", kver_str(p->kver, kb,
							  sizeof(kb)),
		p->kver_from_data ? " (from the data)" : "");
	if (r->release_rules[0])
		fprintf(out, "  kernel release: %s\n", r->release_rules);
	if (r->acs_policy[0])
		fprintf(out, "  ACS: %s\n", r->acs_policy);
	for (i = 0; i < m->n_notes; i++)
		fprintf(out, "  note: %s\n", m->notes[i]);
	if (m->iommu == AX_IOMMU_OFF) {
		fprintf(out,
			"%sNo IOMMU groups:%s the kernel made none, so no device can be assigned with VFIO.\n",
			col(o, C_RED), col(o, C_RESET));
		if (strstr(m->cmdline, "intel_iommu=off") ||
		    strstr(m->cmdline, "amd_iommu=off") ||
		    strstr(m->cmdline, "iommu=off"))
			fprintf(out,
				"  The kernel command line switches the IOMMU off (%s): remove that.\n",
				m->cmdline);
		else if (!strstr(m->cmdline, "intel_iommu=on") &&
			 !m->iommu_driver[0])
			fprintf(out,
				"  No IOMMU driver is active: enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup; on Intel kernels built without CONFIG_INTEL_IOMMU_DEFAULT_ON also add intel_iommu=on. Without a DMAR (Intel) or IVRS (AMD) ACPI table the firmware offers no IOMMU at all.\n");
		fprintf(out,
			"  Below are the groups this kernel would make once the IOMMU is on.\n");
	}
	if (m->kernel_groups_known && m->iommu == AX_IOMMU_ON) {
		if (r->matches_kernel)
			fprintf(out,
				"  The derived groups match the kernel's own groups.\n");
		else
			fprintf(out,
				"%s  WARNING: %d device(s) are grouped differently by the kernel than the kernel's algorithm predicts.%s Likely causes: an ACS override patch (Proxmox, Zen, many gaming kernels: look for pcie_acs_override= on the command line), a quirk the facts could not show, or a kernel whose grouping code differs. Trust the kernel's groups for assignment.\n",
				col(o, C_RED), r->n_mismatch, col(o, C_RESET));
		if (!r->matches_kernel && r->mismatch_cause[0])
			fprintf(out, "  Found the cause: %s.\n",
				r->mismatch_cause);
	}
}

void ax_explain_device(FILE *out, const struct ax_machine *m,
		       const struct ax_profile *p, const struct ax_result *r,
		       int idx, const struct ax_explain_opts *o)
{
	const struct ax_dev *d = &m->devs[idx];
	char a[16];
	int k;

	fprintf(out, "\n%s%s %s%s [%04x:%04x] (%s)\n", col(o, C_BOLD),
		ax_addr_str(d->addr, a), dname(d), col(o, C_RESET),
		d->vendor, d->device, ax_pcie_type_name(d));
	if (d->group < 0) {
		fprintf(out, "  No IOMMU group: ");
		for (k = 0; k < r->n_reasons[idx]; k++)
			fprintf(out, "%s ", r->reasons[idx][k].text);
		fprintf(out, "\n");
		return;
	}
	{
		const struct ax_group *g = &r->groups[d->group];

		fprintf(out, "  Group: %s%d device(s)%s", col(o, C_BOLD), g->n,
			col(o, C_RESET));
		if (d->kernel_group >= 0)
			fprintf(out, " (kernel group %d)", d->kernel_group);
		fprintf(out, "%s\n", g->n == 1 ? ": alone, assignable on its own" : "");
		for (k = 0; k < g->n; k++)
			print_member(out, m, r, g->members[k], idx, o);
	}
	print_path(out, m, r, idx, o);
	if (r->culprit[idx] >= 0) {
		const struct ax_dev *c = &m->devs[r->culprit[idx]];
		char b[16];

		fprintf(out, "  %sAt fault:%s %s %s [%04x:%04x] %s\n",
			col(o, C_RED), col(o, C_RESET),
			ax_addr_str(c->addr, b), ax_pcie_type_name(c),
			c->vendor, c->device, dname(c));
	}
	remedies(out, m, p, r, idx, o);
	if (o->audit)
		ax_explain_audit(out, m, r, d->group, o);
	if (o->plan)
		ax_explain_plan(out, m, r, idx, o);
}

void ax_explain_all(FILE *out, const struct ax_machine *m,
		    const struct ax_profile *p, const struct ax_result *r,
		    const struct ax_explain_opts *o)
{
	char a[16], b[16];
	int g, k;

	(void)p;
	for (g = 0; g < r->n_groups; g++) {
		const struct ax_group *gr = &r->groups[g];
		int c = gr->n ? r->culprit[gr->members[0]] : -1;

		for (k = 0; k < gr->n && c < 0; k++)
			c = r->culprit[gr->members[k]];
		fprintf(out, "\n%sGroup %d%s", col(o, C_BOLD), g,
			col(o, C_RESET));
		if (gr->kernel_group >= 0)
			fprintf(out, " (kernel %d)", gr->kernel_group);
		if (gr->n == 1)
			fprintf(out, ": alone\n");
		else
			fprintf(out, ": %d devices, because of %s\n", gr->n,
				A(m, c, b));
		for (k = 0; k < gr->n; k++) {
			int t = gr->members[k];
			const struct ax_dev *d = &m->devs[t];

			fprintf(out, "  %s %-40.40s %s", ax_addr_str(d->addr, a),
				dname(d), ax_pcie_type_name(d));
			if (gr->n > 1) {
				/* the first reason that names a culprit */
				int q;

				for (q = 0; q < r->n_reasons[t]; q++)
					if (r->reasons[t][q].at >= 0)
						break;
				if (q < r->n_reasons[t])
					fprintf(out, "  [%s at %s]",
						ax_reason_code_name(r->reasons[t][q].code),
						A(m, r->reasons[t][q].at, b));
			}
			fprintf(out, "\n");
		}
	}
	for (k = 0; k < (int)m->n; k++)
		if (m->devs[k].group < 0)
			fprintf(out, "\nNo group: %s %s\n",
				ax_addr_str(m->devs[k].addr, a),
				dname(&m->devs[k]));
	if (o->audit)
		ax_explain_audit(out, m, r, -1, o);
}

void ax_explain_audit(FILE *out, const struct ax_machine *m,
		      const struct ax_result *r, int only_group,
		      const struct ax_explain_opts *o)
{
	int k, n = 0;

	for (k = 0; k < r->n_audit; k++) {
		const struct ax_audit *au = &r->audit[k];

		if (only_group >= 0 &&
		    m->devs[au->from].group != only_group &&
		    (au->to < 0 || m->devs[au->to].group != only_group))
			continue;
		if (!n++)
			fprintf(out,
				"  %sIsolation audit%s (where the groups promise more than the hardware gives):\n",
				col(o, C_YELLOW), col(o, C_RESET));
		fprintf(out, "    - %s\n", au->text);
	}
	if (!n && only_group < 0)
		fprintf(out,
			"\nIsolation audit: no group promises more isolation than the hardware gives.\n");
}

void ax_explain_plan(FILE *out, const struct ax_machine *m,
		     const struct ax_result *r, int idx,
		     const struct ax_explain_opts *o)
{
	const struct ax_dev *d = &m->devs[idx];
	const struct ax_group *g;
	char a[16];
	int k, n_ep = 0;
	bool viable = true;

	if (d->group < 0) {
		fprintf(out, "  No IOMMU group: VFIO cannot assign %s.\n",
			ax_addr_str(d->addr, a));
		return;
	}
	g = &r->groups[d->group];
	if (!is_endpoint(d))
		fprintf(out,
			"  %s is a bridge: VFIO assigns endpoints, bridges stay with their driver.\n",
			ax_addr_str(d->addr, a));
	fprintf(out, "  %sAssignment plan%s for group of %s:\n",
		col(o, C_BOLD), col(o, C_RESET), ax_addr_str(d->addr, a));
	for (k = 0; k < g->n; k++) {
		const struct ax_dev *t = &m->devs[g->members[k]];
		bool ok;

		ax_addr_str(t->addr, a);
		if (!is_endpoint(t)) {
			fprintf(out,
				"    %s %s: bridge, stays with %s (VFIO does not need it)\n",
				a, ax_pcie_type_name(t),
				t->driver[0] ? t->driver : "its driver");
			continue;
		}
		n_ep++;
		ok = !strcmp(t->driver, "vfio-pci") ||
		     !strcmp(t->driver, "pci-stub") ||
		     (t->driver_known && !t->driver[0]);
		if (!ok)
			viable = false;
		fprintf(out, "    %s endpoint, now %s%s\n", a,
			!t->driver_known ? "driver unknown" :
			t->driver[0] ? t->driver : "no driver",
			ok ? " (fine)" : ": must be bound to vfio-pci");
	}
	fprintf(out, "  Group is %s.\n", viable ?
		"viable now (every endpoint is with vfio-pci, pci-stub or no driver)" :
		"not viable until every endpoint is bound to vfio-pci");
	fprintf(out, "  Commands (as root):\n    modprobe vfio-pci\n");
	for (k = 0; k < g->n; k++) {
		const struct ax_dev *t = &m->devs[g->members[k]];

		if (!is_endpoint(t))
			continue;
		ax_addr_str(t->addr, a);
		fprintf(out,
			"    echo vfio-pci > /sys/bus/pci/devices/%s/driver_override\n",
			a);
		fprintf(out,
			"    [ -e /sys/bus/pci/devices/%s/driver ] && echo %s > /sys/bus/pci/devices/%s/driver/unbind\n",
			a, a, a);
		fprintf(out, "    echo %s > /sys/bus/pci/drivers_probe\n", a);
	}
	fprintf(out, "  libvirt (<devices> of the domain):\n");
	for (k = 0; k < g->n; k++) {
		const struct ax_dev *t = &m->devs[g->members[k]];

		if (!is_endpoint(t))
			continue;
		fprintf(out,
			"    <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/></source></hostdev>\n",
			t->addr.domain, t->addr.bus, AX_SLOT(t->addr.devfn),
			AX_FUNC(t->addr.devfn));
	}
	fprintf(out, "  QEMU:\n   ");
	for (k = 0; k < g->n; k++) {
		const struct ax_dev *t = &m->devs[g->members[k]];

		if (!is_endpoint(t))
			continue;
		fprintf(out, " -device vfio-pci,host=%s",
			ax_addr_str(t->addr, a));
	}
	fprintf(out, "\n");
	if (n_ep > 1)
		fprintf(out,
			"  All %d endpoints go to the same VM (a group cannot be split between VMs).\n",
			n_ep);
}

/* Device -> group index for a derivation (-1 when none). */
static int *group_of(const struct ax_result *r, int n)
{
	int *g = malloc(((size_t)n + 1) * sizeof(int));
	int j, q;

	if (!g)
		return NULL;
	for (j = 0; j < n; j++)
		g[j] = -1;
	for (j = 0; j < r->n_groups; j++)
		for (q = 0; q < r->groups[j].n; q++)
			g[r->groups[j].members[q]] = j;
	return g;
}

int ax_explain_diff(FILE *out, const struct ax_machine *m,
		    const struct ax_result *before,
		    const struct ax_result *after, const char *what,
		    const struct ax_explain_opts *o)
{
	int n = (int)m->n, *gb = group_of(before, n), j, q, changes = 0;
	char a[16];

	fprintf(out, "\n%sWhat if %s:%s\n", col(o, C_BOLD), what,
		col(o, C_RESET));
	if (!gb)
		return -1;
	for (j = 0; j < after->n_groups; j++) {
		const struct ax_group *ag = &after->groups[j];
		int b0 = ag->n ? gb[ag->members[0]] : -1, nb = 0;
		bool mixed = false;

		for (q = 0; q < ag->n; q++)
			if (gb[ag->members[q]] != b0)
				mixed = true;
		if (!mixed && b0 >= 0 && before->groups[b0].n == ag->n)
			continue;	/* unchanged */
		changes++;
		if (mixed) {
			/* count the distinct groups merged */
			for (q = 0; q < ag->n; q++) {
				int k, seen = 0;

				for (k = 0; k < q; k++)
					if (gb[ag->members[k]] ==
					    gb[ag->members[q]])
						seen = 1;
				nb += !seen;
			}
			fprintf(out, "  %smerged%s from %d groups:",
				col(o, C_RED), col(o, C_RESET), nb);
		} else {
			fprintf(out, "  %ssplit%s off a group of %d:",
				col(o, C_GREEN), col(o, C_RESET),
				b0 >= 0 ? before->groups[b0].n : 0);
		}
		for (q = 0; q < ag->n; q++)
			fprintf(out, " %s", ax_addr_str(m->devs[ag->members[q]].addr, a));
		fprintf(out, "\n");
	}
	free(gb);
	if (!changes)
		fprintf(out, "  no group changes.\n");
	for (j = 0; j < after->n_audit; j++)
		if (strstr(after->audit[j].text, "simulated"))
			fprintf(out, "  %sSIMULATED:%s %s\n", col(o, C_RED),
				col(o, C_RESET), after->audit[j].text);
	return changes;
}

int ax_validate_quirk(FILE *out, const struct ax_machine *m,
		      const struct ax_profile *p, const struct ax_result *r,
		      uint16_t vendor, uint16_t device,
		      const struct ax_explain_opts *o)
{
	int i, n = 0, nslot;
	char a[16], kb[16];
	const char *cb = NULL;
	size_t q;

	fprintf(out, "%sQuirk validation for %04x:%04x%s (kernel rules %s)\n",
		col(o, C_BOLD), vendor, device, col(o, C_RESET),
		kver_str(p->kver, kb, sizeof(kb)));
	for (q = 0; q < axq_acs_table_len; q++) {
		const struct axq_acs_entry *e = &axq_acs_table[q];

		if ((e->vendor == vendor || e->vendor == 0xffff) &&
		    e->device == device)
			fprintf(out,
				"  quirk table: %s for %04x:%04x, kernels %d.%d%s\n",
				e->callback, vendor, device, e->first / 1000,
				e->first % 1000, e->last ? " to an older release" :
				" and later");
	}
	for (i = 0; i < (int)m->n; i++) {
		const struct ax_dev *d = &m->devs[i];
		int t;

		if (d->vendor != vendor || d->device != device)
			continue;
		n++;
		fprintf(out, "  %s %s: the kernel treats it as %s (%s: %s)\n",
			ax_addr_str(d->addr, a), ax_pcie_type_name(d),
			r->acs[i].isolated ? "isolating" : "not isolating",
			ax_acs_basis_name(r->acs[i].basis), r->acs[i].why);
		if (r->acs[i].basis == AX_ACS_BY_QUIRK && d->acs_known &&
		    d->acs_pos)
			fprintf(out,
				"    inconsistent: it has a real ACS capability (cap %04x ctrl %04x); a quirk overrides it\n",
				d->acs_cap, d->acs_ctrl);
		if (d->acs_known && d->acs_pos &&
		    r->acs[i].basis != AX_ACS_BY_QUIRK)
			fprintf(out,
				"    it already has an ACS capability: a quirk is not needed if its controls are on (now %s)\n",
				r->acs[i].isolated ? "on" : "off");
		nslot = 0;
		for (t = 0; t < (int)m->n; t++)
			if (m->devs[t].addr.domain == d->addr.domain &&
			    m->devs[t].addr.bus == d->addr.bus &&
			    AX_SLOT(m->devs[t].addr.devfn) ==
			    AX_SLOT(d->addr.devfn))
				nslot++;
		if (!d->multifunction && !d->is_bridge)
			fprintf(out,
				"    single-function %s: a multifunction (no peer-to-peer) quirk would change nothing\n",
				ax_pcie_type_name(d));
		for (t = 0; t < (int)m->n && d->multifunction; t++) {
			const struct ax_dev *s = &m->devs[t];

			if (t == i || s->addr.bus != d->addr.bus ||
			    s->addr.domain != d->addr.domain ||
			    AX_SLOT(s->addr.devfn) != AX_SLOT(d->addr.devfn))
				continue;
			if (s->vendor == vendor && s->device == device)
				continue;
			if (!r->acs[t].isolated)
				fprintf(out,
					"    function %s [%04x:%04x] of the same device is not in a quirk and not isolated: the group will still hold it\n",
					ax_addr_str(s->addr, a), s->vendor,
					s->device);
		}
		(void)nslot;
		ax_addr_str(d->addr, a);
		if (d->quirk_result_known)
			fprintf(out,
				"    live: the running kernel's quirk table answered %s for it (seen by acs_inspect)\n",
				d->quirk_result < 0 ? "\"no quirk\"" :
				d->quirk_result ? "\"isolated\": the quirk is in effect" :
				"\"not isolated\": a quirk denies isolation");
		else if (m->module_facts)
			fprintf(out,
				"    live: acs_inspect did not see the kernel decide for %s (it only sees devices added after it loaded); to see it: echo 1 > /sys/bus/pci/devices/%s/remove; echo 1 > /sys/bus/pci/rescan\n",
				a, a);
		if (m->module_facts && d->kernel_group >= 0)
			fprintf(out,
				"    live: kernel group %d; the derived groups %s the kernel's\n",
				d->kernel_group,
				r->matches_kernel ? "match" : "do not all match");
	}
	if (!n)
		fprintf(out, "  no %04x:%04x device in these facts\n", vendor,
			device);
	{
		struct ax_dev probe;

		memset(&probe, 0, sizeof(probe));
		probe.vendor = vendor;
		probe.device = device;
		probe.is_pcie = true;
		probe.pcie_type = AX_EXP_ROOT_PORT;
		if (ax_quirk_release_for(&probe, p->kver, &cb))
			fprintf(out,
				"  a newer kernel has quirk %s covering this id\n",
				cb);
	}
	return n;
}
