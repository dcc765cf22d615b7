// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * model.c - the device table every source fills, and its topology.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "probe_fixups.h"

void ax_machine_init(struct ax_machine *m)
{
	memset(m, 0, sizeof(*m));
}

void ax_machine_free(struct ax_machine *m)
{
	free(m->devs);
	memset(m, 0, sizeof(*m));
}

int ax_machine_copy(struct ax_machine *dst, const struct ax_machine *src)
{
	*dst = *src;
	dst->devs = malloc((src->n + 1) * sizeof(*dst->devs));
	if (!dst->devs) {
		ax_machine_init(dst);
		return -1;
	}
	if (src->n)
		memcpy(dst->devs, src->devs, src->n * sizeof(*dst->devs));
	dst->cap = src->n + 1;
	return 0;
}

struct ax_dev *ax_machine_add(struct ax_machine *m)
{
	struct ax_dev *d;

	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		struct ax_dev *nd = realloc(m->devs, ncap * sizeof(*nd));

		if (!nd)
			return NULL;
		m->devs = nd;
		m->cap = ncap;
	}
	d = &m->devs[m->n++];
	memset(d, 0, sizeof(*d));
	d->parent = -1;
	d->physfn = -1;
	d->kernel_group = AX_GROUP_UNKNOWN;
	return d;
}

static void vnote(char (*notes)[160], int *n, int max, const char *fmt,
		  va_list ap)
{
	char buf[160];
	int i;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	for (i = 0; i < *n; i++)
		if (!strcmp(notes[i], buf))
			return;
	if (*n >= max)
		return;
	memcpy(notes[(*n)++], buf, sizeof(buf));
}

void ax_note(char (*notes)[160], int *n, int max, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(notes, n, max, fmt, ap);
	va_end(ap);
}

void ax_machine_note(struct ax_machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(m->notes, &m->n_notes,
	      (int)(sizeof(m->notes) / sizeof(m->notes[0])), fmt, ap);
	va_end(ap);
}

int ax_addr_cmp(struct ax_addr a, struct ax_addr b)
{
	if (a.domain != b.domain)
		return a.domain < b.domain ? -1 : 1;
	if (a.bus != b.bus)
		return a.bus < b.bus ? -1 : 1;
	if (a.devfn != b.devfn)
		return a.devfn < b.devfn ? -1 : 1;
	return 0;
}

int ax_machine_find(const struct ax_machine *m, struct ax_addr a)
{
	size_t lo = 0, hi = m->n;

	/* devs are sorted once ax_machine_link() ran */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = ax_addr_cmp(m->devs[mid].addr, a);

		if (!c)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * Find the bridge whose secondary bus is @bus in @domain.  A bus that no
 * bridge leads to directly but that lies inside a bridge's range is a
 * virtual bus (SR-IOV VFs past the PF's bus): the kernel gives it no
 * bus->self and walks on to the parent bus, so we link it to the deepest
 * bridge whose range holds it.  Anything else is a root bus.
 */
static int find_bus_parent(const struct ax_machine *m, const int *bridges,
			   int nbridges, uint32_t domain, uint8_t bus,
			   bool *virtual_bus)
{
	int best = -1, i;

	*virtual_bus = false;
	for (i = 0; i < nbridges; i++) {
		const struct ax_dev *b = &m->devs[bridges[i]];

		if (b->addr.domain != domain || !b->secondary)
			continue;
		if (b->secondary == bus)
			return bridges[i];
	}
	for (i = 0; i < nbridges; i++) {
		const struct ax_dev *b = &m->devs[bridges[i]];

		if (b->addr.domain != domain || !b->secondary)
			continue;
		if (bus > b->secondary && bus <= b->subordinate &&
		    (best < 0 || b->secondary > m->devs[best].secondary))
			best = bridges[i];
	}
	if (best >= 0)
		*virtual_bus = true;
	return best;
}

/*
 * Probe order as the kernel adds devices: every device of a bus in devfn
 * order, then each child bus in turn (pci_bus_add_devices()).  VFs are
 * created later by the PF driver, so they come after all of that.
 */
static void assign_order(struct ax_machine *m, int *next, int busdev,
			 uint32_t domain, uint8_t bus, int depth)
{
	size_t i;

	if (depth > 64)
		return;
	for (i = 0; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];

		if (d->order >= 0 || d->is_virtfn || d->addr.domain != domain ||
		    d->addr.bus != bus || d->parent != busdev)
			continue;
		d->order = (*next)++;
	}
	for (i = 0; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];

		if (d->addr.domain != domain || d->addr.bus != bus ||
		    d->parent != busdev || !d->is_bridge || !d->secondary ||
		    d->is_virtfn)
			continue;
		if (d->secondary <= bus)
			continue;	/* broken bus numbers: no loops */
		assign_order(m, next, (int)i, domain, d->secondary, depth + 1);
	}
}

/* A device that is its own ancestor (bridge A's secondary bus holds
 * bridge B whose secondary bus holds A), or -1.  Only bus numbers from
 * the input make that: every walk up the tree relies on there being none.
 */
static int parent_cycle(const struct ax_machine *m, int *seen)
{
	int i, h;

	for (i = 0; i < (int)m->n; i++) {
		for (h = i; h >= 0 && !seen[h]; h = m->devs[h].parent)
			seen[h] = i + 1;
		if (h >= 0 && seen[h] == i + 1)
			return h;
	}
	return -1;
}

static int cmp_idx_addr(const void *a, const void *b, void *arg)
{
	const struct ax_machine *m = arg;

	return ax_addr_cmp(m->devs[*(const int *)a].addr,
			   m->devs[*(const int *)b].addr);
}

int ax_machine_physfn_by_addr(struct ax_machine *m, size_t first,
			       const struct ax_addr *pf, const bool *has_pf)
{
	int *perm = calloc(m->n + 1, sizeof(*perm));
	size_t i;

	if (!perm)
		return -1;
	for (i = 0; i < m->n; i++)
		perm[i] = (int)i;
	qsort_r(perm, m->n, sizeof(*perm), cmp_idx_addr, m);
	for (i = first; i < m->n; i++) {
		size_t lo = 0, hi = m->n;

		if (!has_pf[i - first])
			continue;
		m->devs[i].physfn = -1;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = ax_addr_cmp(m->devs[perm[mid]].addr,
					    pf[i - first]);

			if (!c) {
				m->devs[i].physfn = perm[mid];
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	free(perm);
	return 0;
}

int ax_machine_sort(struct ax_machine *m, char *err, size_t errlen)
{
	int *perm, *inv;
	struct ax_dev *nd;
	size_t i;

	perm = calloc(m->n + 1, sizeof(*perm));
	inv = calloc(m->n + 1, sizeof(*inv));
	nd = malloc((m->n + 1) * sizeof(*nd));
	if (!perm || !inv || !nd) {
		free(perm);
		free(inv);
		free(nd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < m->n; i++)
		perm[i] = (int)i;
	qsort_r(perm, m->n, sizeof(*perm), cmp_idx_addr, m);
	for (i = 0; i < m->n; i++) {
		nd[i] = m->devs[perm[i]];
		inv[perm[i]] = (int)i;
	}
	/* physfn is an index: it follows its PF */
	for (i = 0; i < m->n; i++)
		nd[i].physfn = nd[i].physfn >= 0 && nd[i].physfn < (int)m->n ?
			       inv[nd[i].physfn] : -1;
	free(m->devs);
	m->devs = nd;
	m->cap = m->n + 1;
	free(perm);
	free(inv);
	for (i = 1; i < m->n; i++) {
		if (!ax_addr_cmp(m->devs[i - 1].addr, m->devs[i].addr)) {
			char b[AX_ADDR_STRLEN];

			snprintf(err, errlen, "device %s is listed twice",
				 ax_addr_str(m->devs[i].addr, b));
			return -1;
		}
	}
	return 0;
}

int ax_machine_link(struct ax_machine *m, char *err, size_t errlen)
{
	int *bridges, nb = 0, next = 0, cyc;
	size_t i;

	if (ax_machine_sort(m, err, errlen))
		return -1;
	/* pci_iov_add_virtfn(): "virtfn->multifunction = 0", whatever the
	 * VF's header type byte says.
	 */
	for (i = 0; i < m->n; i++)
		if (m->devs[i].is_virtfn)
			m->devs[i].multifunction = false;
	bridges = calloc(m->n + 1, sizeof(*bridges));
	if (!bridges) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < m->n; i++)
		if (m->devs[i].is_bridge)
			bridges[nb++] = (int)i;
	for (i = 0; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];
		bool virt;
		int p = find_bus_parent(m, bridges, nb, d->addr.domain,
					d->addr.bus, &virt);

		if (p == (int)i)
			p = -1;
		d->parent = p;
		d->on_root_bus = p < 0;
	}
	memset(bridges, 0, (m->n + 1) * sizeof(*bridges));
	cyc = parent_cycle(m, bridges);
	free(bridges);
	if (cyc >= 0) {
		char b[AX_ADDR_STRLEN];

		snprintf(err, errlen,
			 "inconsistent bus numbers: bridge %s (secondary bus %02x) lies below itself",
			 ax_addr_str(m->devs[cyc].addr, b),
			 m->devs[cyc].secondary);
		return -1;
	}

	/* a snapshot knows the order the kernel probed in */
	if (m->order_known)
		return 0;
	for (i = 0; i < m->n; i++)
		m->devs[i].order = -1;
	/* Root buses in (domain, bus) order, like host bridges are added. */
	for (i = 0; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];

		if (d->on_root_bus && d->order < 0 && !d->is_virtfn)
			assign_order(m, &next, -1, d->addr.domain,
				     d->addr.bus, 0);
	}
	for (i = 0; i < m->n; i++)
		if (m->devs[i].order < 0 && !m->devs[i].is_virtfn)
			m->devs[i].order = next++;
	for (i = 0; i < m->n; i++)
		if (m->devs[i].order < 0)
			m->devs[i].order = next++;
	ax_probe_fixups(m);
	return 0;
}

int ax_addr_parse(const char *s, struct ax_addr *a)
{
	unsigned int dom = 0, bus, dev, fn;
	char tail;

	if (!s || strlen(s) > 17)
		return -1;
	for (const char *p = s; *p; p++)
		if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
			return -1;
	if (sscanf(s, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) == 4) {
		/* at most 32 bits of domain */
		if (strchr(s, ':') == strrchr(s, ':') || strchr(s, ':') - s > 8)
			return -1;
	} else if (sscanf(s, "%x:%x.%x%c", &bus, &dev, &fn, &tail) == 3) {
		dom = 0;
	} else {
		return -1;
	}
	if (bus > 0xff || dev > 0x1f || fn > 7)
		return -1;
	a->domain = dom;
	a->bus = (uint8_t)bus;
	a->devfn = AX_DEVFN(dev, fn);
	return 0;
}

int ax_id_parse(const char *s, uint16_t *vendor, uint16_t *device)
{
	unsigned int a, b;
	char tail;

	if (strlen(s) != 9 || s[4] != ':' ||
	    sscanf(s, "%4x:%4x%c", &a, &b, &tail) != 2)
		return -1;
	*vendor = (uint16_t)a;
	*device = (uint16_t)b;
	return 0;
}

bool ax_selector_match(const struct ax_selector *sel, const struct ax_dev *d)
{
	return (sel->domain < 0 || (uint32_t)sel->domain == d->addr.domain) &&
	       (sel->bus < 0 || sel->bus == d->addr.bus) &&
	       (sel->slot < 0 || sel->slot == AX_SLOT(d->addr.devfn)) &&
	       (sel->func < 0 || sel->func == AX_FUNC(d->addr.devfn)) &&
	       (sel->vendor < 0 || sel->vendor == d->vendor) &&
	       (sel->device < 0 || sel->device == d->device);
}

const char *ax_addr_str(struct ax_addr a, char *buf)
{
	snprintf(buf, AX_ADDR_STRLEN, "%04x:%02x:%02x.%x", a.domain, a.bus,
		 AX_SLOT(a.devfn), AX_FUNC(a.devfn));
	return buf;
}

const char *ax_dev_str(const struct ax_machine *m, int i, char *buf)
{
	if (i < 0 || (size_t)i >= m->n)
		return "-";
	return ax_addr_str(m->devs[i].addr, buf);
}

const char *ax_dev_name(const struct ax_dev *d, char *buf)
{
	(void)buf;
	return d->name[0] ? d->name : "Device";
}

const char *ax_kver_str(int kver, char *buf)
{
	if (!kver)
		snprintf(buf, 16, "newest");
	else
		snprintf(buf, 16, "%d.%d", kver / 1000, kver % 1000);
	return buf;
}

const char *ax_source_title(const struct ax_machine *m)
{
	if (m->module_facts)
		return "acs_inspect module";
	switch (m->source) {
	case AX_SRC_SYSFS:
		return "sysfs and config space";
	case AX_SRC_DUMP:
		return "lspci -x dump";
	case AX_SRC_LSPCI_TEXT:
		return "lspci -vvv text";
	default:
		return "snapshot";
	}
}

const char *const ax_source_names[AX_N_SOURCE_NAMES] = {
	[0] = "unknown",
	[AX_SRC_NETLINK] = "netlink",
	[AX_SRC_SYSFS] = "sysfs",
	[AX_SRC_DUMP] = "dump",
	[AX_SRC_LSPCI_TEXT] = "lspci-text",
	[AX_SRC_SNAPSHOT] = "snapshot",
};

const char *const ax_iommu_names[AX_N_IOMMU_NAMES] = {
	[AX_IOMMU_UNKNOWN] = "unknown",
	[AX_IOMMU_ON] = "on",
	[AX_IOMMU_OFF] = "off",
};

const char *ax_source_kind_name(enum ax_source_kind k)
{
	return (unsigned int)k < AX_N_SOURCE_NAMES ? ax_source_names[k] :
						     "unknown";
}

const char *ax_iommu_name(enum ax_iommu_state s)
{
	return (unsigned int)s < AX_N_IOMMU_NAMES ? ax_iommu_names[s] :
						    "unknown";
}

const char *ax_pcie_type_name(const struct ax_dev *d)
{
	if (!d->is_pcie)
		return d->is_bridge ? "pci-bridge" : "pci";
	switch (d->pcie_type) {
	case AX_EXP_ENDPOINT:
		return "endpoint";
	case AX_EXP_LEG_END:
		return "legacy-endpoint";
	case AX_EXP_ROOT_PORT:
		return "root-port";
	case AX_EXP_UPSTREAM:
		return "upstream-port";
	case AX_EXP_DOWNSTREAM:
		return "downstream-port";
	case AX_EXP_PCI_BRIDGE:
		return "pcie-to-pci-bridge";
	case AX_EXP_PCIE_BRIDGE:
		return "pci-to-pcie-bridge";
	case AX_EXP_RC_END:
		return "rc-integrated-endpoint";
	case AX_EXP_RC_EC:
		return "rc-event-collector";
	}
	return "pcie-unknown";
}

int ax_kver_parse(const char *release)
{
	unsigned int maj, min;

	if (!release || sscanf(release, "%u.%u", &maj, &min) != 2)
		return 0;
	if (maj < 2 || maj > 99 || min > 999)
		return 0;
	return AX_KVER((int)maj, (int)min);
}

int ax_machine_infer_ports(struct ax_machine *m)
{
	size_t i, t;
	int n = 0;

	for (i = 0; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];
		int kids = 0, peers = 0;

		if (d->is_pcie || !d->is_bridge || strcmp(d->driver, "pcieport"))
			continue;
		for (t = 0; t < m->n; t++) {
			if (m->devs[t].parent == (int)i && m->devs[t].is_bridge)
				kids++;
			if (t != i && m->devs[t].parent == d->parent &&
			    m->devs[t].addr.domain == d->addr.domain)
				peers++;
		}
		d->is_pcie = true;
		if (d->on_root_bus)
			d->pcie_type = AX_EXP_ROOT_PORT;
		else if (kids && !peers)
			d->pcie_type = AX_EXP_UPSTREAM;
		else
			d->pcie_type = AX_EXP_DOWNSTREAM;
		n++;
	}
	if (n)
		ax_machine_note(m,
				"capabilities not readable: %d bridge(s) bound to pcieport taken as PCIe ports, their kind guessed from the topology",
				n);
	return n;
}
