// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe_fixups.c - two corrections drivers/pci/probe.c makes during the
 * scan (same in 6.1, 6.12 and 7.2), which matter to pci_acs_enabled():
 *
 * - pci_scan_slot(): "if (fn > 0) dev->multifunction = 1;" for every
 *   function after the first that the scan finds, whatever its header
 *   type byte says; on an ARI bus the scan walks function numbers 0..255
 *   (next_ari_fn()), so every function above 0 is multifunction.  SR-IOV
 *   VFs are not found by the scan (ax_machine_link() clears theirs).
 * - set_pcie_port_type(): a port that claims to be a downstream port but
 *   sits below a root or downstream port (or a PCI-to-PCIe bridge) is
 *   "acting as upstream port, correcting type", and one that claims to be
 *   an upstream port below an upstream port becomes a downstream port.
 */
#include <stdio.h>
#include <stdlib.h>

#include "probe_fixups.h"

static int cmp_order(const void *a, const void *b, void *arg)
{
	const struct ax_machine *m = arg;

	return m->devs[*(const int *)a].order - m->devs[*(const int *)b].order;
}

/* pci_upstream_bridge(): a VF's bridge is its PF's */
static int upstream(const struct ax_machine *m, int i)
{
	const struct ax_dev *d = &m->devs[i];

	if (d->is_virtfn && d->physfn >= 0)
		d = &m->devs[d->physfn];
	return d->parent;
}

/* pci_ari_enabled(bus): function 0 of the bus has ARI below a PCIe port */
static bool ari_bus(const struct ax_machine *m, const struct ax_dev *d)
{
	size_t t;

	if (d->parent < 0 || !m->devs[d->parent].is_pcie)
		return false;
	for (t = 0; t < m->n; t++) {
		const struct ax_dev *o = &m->devs[t];

		if (o->addr.domain == d->addr.domain &&
		    o->addr.bus == d->addr.bus && o->addr.devfn == 0)
			return o->ari && !o->is_virtfn;
	}
	return false;
}

void ax_probe_fixups(struct ax_machine *m)
{
	int *idx = calloc(m->n + 1, sizeof(int));
	int nmf = 0, nport = 0;
	size_t k;
	char a[16];

	if (!idx)
		return;
	for (k = 0; k < m->n; k++)
		idx[k] = (int)k;
	qsort_r(idx, m->n, sizeof(int), cmp_order, m);
	for (k = 0; k < m->n; k++) {
		struct ax_dev *d = &m->devs[idx[k]];
		const struct ax_dev *p;
		int up;

		if (!d->is_virtfn && !d->multifunction &&
		    (AX_FUNC(d->addr.devfn) > 0 ||
		     (d->addr.devfn > 0 && ari_bus(m, d)))) {
			d->multifunction = true;
			nmf++;
		}
		up = upstream(m, idx[k]);
		if (!d->is_pcie || up < 0 || !m->devs[up].is_pcie)
			continue;
		p = &m->devs[up];
		if (d->pcie_type == AX_EXP_DOWNSTREAM &&
		    (p->pcie_type == AX_EXP_ROOT_PORT ||
		     p->pcie_type == AX_EXP_DOWNSTREAM ||
		     p->pcie_type == AX_EXP_PCIE_BRIDGE)) {
			d->pcie_type = AX_EXP_UPSTREAM;
			if (!nport++)
				ax_machine_note(m,
						"%s claims to be a downstream port but sits below one: the kernel corrects it to an upstream port (probe.c)",
						ax_addr_str(d->addr, a));
		} else if (d->pcie_type == AX_EXP_UPSTREAM &&
			   p->pcie_type == AX_EXP_UPSTREAM) {
			d->pcie_type = AX_EXP_DOWNSTREAM;
			if (!nport++)
				ax_machine_note(m,
						"%s claims to be an upstream port but sits below one: the kernel corrects it to a downstream port (probe.c)",
						ax_addr_str(d->addr, a));
		}
	}
	(void)nmf;
	free(idx);
}
