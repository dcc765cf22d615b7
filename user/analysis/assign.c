// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * assign.c - the verdict, companions, culprits and remedies for passing
 * a device through with VFIO (see analysis.h).  Rules, from the kernel and
 * from what passthrough users are told (REFERENCE sections 1, 5, 9):
 * - VFIO needs every endpoint of a group with vfio-pci (or no driver);
 *   PCI bridges (0x0604) and host bridges (0x0600) may stay as they are;
 * - a physical device is domain:bus:device; its functions go to the guest
 *   together; an SR-IOV VF is a device of its own;
 * - the groups VFIO enforces are the kernel's: they decide when known;
 * - a move is only offered to a real slot (Slot+, SMBIOS type 9, sysfs
 *   slots) whose whole path to the root isolates, that is not on the
 *   device's own path, and does not belong to another card's switch.
 */
#include <ctype.h>
#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "quirks.h"

static const char *const verdict_names[] = {
	[AX_V_ALONE] = "alone",
	[AX_V_OWN_DEVICE] = "own-device",
	[AX_V_WITH_BRIDGES] = "with-bridges",
	[AX_V_SHARED] = "shared",
	[AX_V_NO_GROUPS] = "no-groups",
	[AX_V_UNKNOWN] = "unknown",
};

static const char *const remedy_names[] = {
	[AX_RM_MOVE] = "move",
	[AX_RM_BIOS] = "bios",
	[AX_RM_CONFIG_ACS] = "config-acs",
	[AX_RM_KERNEL] = "kernel",
	[AX_RM_OVERRIDE] = "override",
	[AX_RM_ASSIGN_GROUP] = "assign-group",
};

const char *ax_verdict_name(enum ax_verdict v)
{
	return (unsigned int)v < AX_ARRAY_SIZE(verdict_names) ?
	       verdict_names[v] : "unknown";
}

const char *ax_remedy_kind_name(enum ax_remedy_kind k)
{
	return (unsigned int)k < AX_ARRAY_SIZE(remedy_names) ?
	       remedy_names[k] : "unknown";
}

bool ax_is_bridge_class(const struct ax_dev *d)
{
	unsigned int cls = d->class >> 8;

	if (cls == 0x0604 || cls == 0x0600)
		return true;
	/* no class in the facts: the header says bridge */
	return !d->class && d->is_bridge;
}

bool ax_host_function(const struct ax_dev *d)
{
	unsigned int base = d->class >> 16, cls = d->class >> 8;

	if (cls == 0x0600)
		return true;
	if (base != 0x08 && cls != 0x1101 && base != 0x13)
		return false;
	return !d->driver[0] || strstr(d->driver, "uncore") ||
	       !strcmp(d->driver, "k10temp");
}

bool ax_same_device(const struct ax_dev *a, const struct ax_dev *b)
{
	if (a == b)
		return true;
	if (a->is_virtfn || b->is_virtfn)
		return false;
	if (a->addr.domain != b->addr.domain || a->addr.bus != b->addr.bus)
		return false;
	/* with ARI the device number bits are function bits */
	if (a->ari && b->ari)
		return true;
	return AX_SLOT(a->addr.devfn) == AX_SLOT(b->addr.devfn);
}

#define MAX_KV_CACHE 96

struct ax_advice_cache {
	/* devices ordered by group key, for the members of a group */
	int *by_key;
	int n_by_key;
	/* slot candidates: 1 a move target, -1 its path isolation is not
	 * known, 0 not a target; and what sits in it
	 */
	bool ports_done;
	signed char *port_ok;
	int *occupant;
	int *ports;		/* where port_ok is not 0, in index order */
	int n_ports;
	/* derived groups under what-if profiles */
	bool ovr_done;
	int *ovr_group, *ovr_by;
	int n_kv;
	int kv[MAX_KV_CACHE];
	int *kv_group[MAX_KV_CACHE];
	/* each of those groupings' devices in group order (by_group()) */
	int *kv_by[MAX_KV_CACHE];
	/* per device: FAULT_* of the reasons that name it as the place */
	uint8_t *fault_bits;
	bool oom;
};

static const int *key_of;	/* qsort context: single-threaded tool */

static int cmp_by_key(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	if (key_of[x] != key_of[y])
		return key_of[x] < key_of[y] ? -1 : 1;
	return x - y;
}

int ax_grouping_init(struct ax_grouping *g, const struct ax_machine *m,
		     const struct ax_result *r)
{
	size_t i;

	memset(g, 0, sizeof(*g));
	g->of = malloc((m->n + 1) * sizeof(int));
	g->cache = calloc(1, sizeof(*g->cache));
	if (g->cache)
		g->cache->by_key = malloc((m->n + 1) * sizeof(int));
	if (!g->of || !g->cache || !g->cache->by_key) {
		ax_grouping_free(g);
		return -1;
	}
	g->kernel = m->kernel_groups_known && m->iommu == AX_IOMMU_ON;
	g->derived = !m->kernel_groups_known;
	for (i = 0; i < m->n; i++) {
		const struct ax_dev *d = &m->devs[i];

		/* IOMMU off: the groups the kernel would make once on */
		if (g->kernel)
			g->of[i] = d->kernel_group;
		else
			g->of[i] = r->dev[i].group >= 0 ? r->dev[i].group :
							  AX_GROUP_NONE;
		g->cache->by_key[i] = (int)i;
	}
	g->cache->n_by_key = (int)m->n;
	key_of = g->of;
	qsort(g->cache->by_key, m->n, sizeof(int), cmp_by_key);
	key_of = NULL;
	return 0;
}

void ax_grouping_free(struct ax_grouping *g)
{
	struct ax_advice_cache *c = g->cache;
	int k;

	if (c) {
		free(c->by_key);
		free(c->port_ok);
		free(c->occupant);
		free(c->ports);
		free(c->ovr_group);
		free(c->ovr_by);
		free(c->fault_bits);
		for (k = 0; k < c->n_kv; k++)
		{
			free(c->kv_group[k]);
			free(c->kv_by[k]);
		}
		free(c);
	}
	free(g->of);
	g->of = NULL;
	g->cache = NULL;
}

/* The members of group key: *n devices from the returned position of
 * the key-ordered list.
 */
static const int *members_of(const struct ax_grouping *g, int key, int *n)
{
	const struct ax_advice_cache *c = g->cache;
	int lo = 0, hi = c->n_by_key, first;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (g->of[c->by_key[mid]] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < c->n_by_key && g->of[c->by_key[lo]] == key)
		lo++;
	*n = lo - first;
	return c->by_key + first;
}

/* The functions of idx's physical device lie around it in address
 * order, on the same bus: [*lo, *hi).
 */
static void device_range(const struct ax_machine *m, int idx, int *lo,
			 int *hi)
{
	const struct ax_dev *d = &m->devs[idx];
	int a = idx, b = idx + 1;

	while (a > 0 && m->devs[a - 1].addr.domain == d->addr.domain &&
	       m->devs[a - 1].addr.bus == d->addr.bus)
		a--;
	while (b < (int)m->n && m->devs[b].addr.domain == d->addr.domain &&
	       m->devs[b].addr.bus == d->addr.bus)
		b++;
	*lo = a;
	*hi = b;
}

void ax_assignment_free(struct ax_assignment *a)
{
	free(a->assign_with);	/* one block holds all four lists */
	a->assign_with = a->own = a->companions = a->at_fault = NULL;
	a->n_assign_with = a->n_own = a->n_companions = a->n_at_fault = 0;
	free(a->remedies);
	a->remedies = NULL;
	a->n_remedies = 0;
}

static bool is_port(const struct ax_dev *d)
{
	return d->is_bridge && d->is_pcie &&
	       (d->pcie_type == AX_EXP_ROOT_PORT ||
		d->pcie_type == AX_EXP_DOWNSTREAM);
}

static const char *A(const struct ax_machine *m, int i, char *buf)
{
	return ax_addr_str(m->devs[i].addr, buf);
}

static bool is_ancestor(const struct ax_machine *m, int anc, int dev)
{
	int h;

	for (h = m->devs[dev].parent; h >= 0; h = m->devs[h].parent)
		if (h == anc)
			return true;
	return false;
}

/* The reasons that name a port or function whose isolation is missing. */
static bool fault_code(enum ax_reason_code c)
{
	switch (c) {
	case AX_R_ROOT_PORT_NO_ACS:
	case AX_R_DOWNSTREAM_PORT_NO_ACS:
	case AX_R_ACS_CONTROLS_OFF:
	case AX_R_MULTIFUNCTION_NO_ACS:
	case AX_R_PCI_BRIDGE_ALIAS:
	case AX_R_CONVENTIONAL_BRIDGE:
	case AX_R_BRIDGE_NOT_ISOLATING:
	case AX_R_DMA_ALIAS_QUIRK:
	case AX_R_DMA_ALIAS_FIRMWARE:
	case AX_R_QUIRK_NOT_ISOLATED:
	case AX_R_ACS_REDIR_DISABLED:
	case AX_R_ACS_UNKNOWN:
		return true;
	default:
		return false;
	}
}

/* A reason that names a culprit to act on.  An endpoint function without
 * ACS only widens the group of its own device: the bridge function of the
 * same device that pulls in others is named instead (AMD chipset 02:00.2
 * rather than its USB and SATA functions).
 */
static bool culprit_reason(const struct ax_machine *m,
			   const struct ax_reason *rr)
{
	if (!fault_code(rr->code) || rr->at < 0 || rr->at >= (int)m->n)
		return false;
	return m->devs[rr->at].is_bridge ||
	       (rr->code != AX_R_MULTIFUNCTION_NO_ACS &&
		rr->code != AX_R_ACS_UNKNOWN &&
		rr->code != AX_R_ACS_CONTROLS_OFF);
}

/* The derivation for idx rests on ACS registers nobody could read. */
static int unknown_on_path(const struct ax_machine *m,
			   const struct ax_result *r, int idx)
{
	int h, k, n = 0;

	for (h = idx; h >= 0; h = m->devs[h].parent) {
		int lo, hi;

		device_range(m, h, &lo, &hi);
		for (k = lo; k < hi; k++) {
			if (k != h && !(m->devs[h].multifunction &&
					ax_same_device(&m->devs[k],
						       &m->devs[h])))
				continue;
			if (r->dev[k].acs.basis == AX_ACS_BY_UNKNOWN)
				n++;
		}
	}
	return n;
}

/* ACS verdicts in the group's paths that rest on no readable register:
 * what-ifs cannot be answered from them.
 */
static int unsure_in_group(const struct ax_machine *m,
			   const struct ax_result *r, const int *members,
			   int n_members)
{
	int k, h, n = 0;

	for (k = 0; k < n_members; k++)
		for (h = members[k]; h >= 0; h = m->devs[h].parent)
			if (r->dev[h].acs.basis == AX_ACS_BY_UNKNOWN ||
			    r->dev[h].acs.basis == AX_ACS_BY_INFERRED)
				n++;
	return n;
}

/* Nothing in the facts lets a group be derived (lspci -nn only). */
static bool no_capabilities_at_all(const struct ax_machine *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->devs[i].is_pcie || m->devs[i].acs_known)
			return false;
	return true;
}

static void list_addrs(const struct ax_machine *m, const int *l, int n,
		       char *buf, size_t len)
{
	size_t o = 0;
	char a[AX_ADDR_STRLEN];
	int k;

	buf[0] = '\0';
	for (k = 0; k < n && o + 20 < len; k++) {
		ax_addr_str(m->devs[l[k]].addr, a);
		/* the domain is noise on single-domain machines */
		o += (size_t)snprintf(buf + o, len - o, "%s%s", k ? ", " : "",
				      m->devs[l[k]].addr.domain ? a : a + 5);
	}
	if (k < n)
		snprintf(buf + o, len - o, ", ...");
}

static void group_label(const struct ax_grouping *g, int key, char *buf,
			size_t len)
{
	if (g->kernel)
		snprintf(buf, len, "IOMMU group %d", key);
	else
		snprintf(buf, len, "the group acsexplain derives");
}

/* --- where a port is, and which ports a card could move to --- */

static int root_of(const struct ax_machine *m, int i)
{
	while (m->devs[i].parent >= 0)
		i = m->devs[i].parent;
	return i;
}

/* An upstream port between port and the root, made by the vendor of the
 * root port above it: a chipset (AMD Promontory-style) switch.
 */
static bool under_chipset_switch(const struct ax_machine *m, int port)
{
	int root = root_of(m, port), h;

	for (h = port; h >= 0; h = m->devs[h].parent) {
		const struct ax_dev *d = &m->devs[h];

		if (d->is_pcie && d->pcie_type == AX_EXP_UPSTREAM &&
		    d->vendor == m->devs[root].vendor)
			return true;
	}
	return false;
}

const char *ax_port_location(const struct ax_machine *m, int port)
{
	const struct ax_dev *d = &m->devs[port];
	int root = root_of(m, port);
	const struct ax_dev *rp = &m->devs[root];
	bool rp_cpu;

	if (!rp->on_root_bus || !is_port(rp))
		return "";
	if (under_chipset_switch(m, port))
		return "chipset";
	if (rp->vendor == 0x8086)
		/* Intel PCH root ports are devices 0x1b-0x1d on bus 0 */
		rp_cpu = !(AX_SLOT(rp->addr.devfn) >= 0x1b &&
			   AX_SLOT(rp->addr.devfn) <= 0x1d);
	else if (rp->vendor == 0x1022)
		rp_cpu = true;	/* AMD: every root port is the SoC's */
	else
		return "";
	if (root == port)
		return rp_cpu ? "CPU root port" : "chipset root port";
	(void)d;
	return rp_cpu ? "switch behind a CPU root port" :
			"switch behind a chipset root port";
}

/* The nearest port above idx that has a slot; -1 none; -2 not known. */
static int slot_port_of(const struct ax_machine *m, int idx)
{
	bool unknown = false;
	int h;

	for (h = m->devs[idx].parent; h >= 0; h = m->devs[h].parent) {
		const struct ax_dev *d = &m->devs[h];

		if (!is_port(d))
			continue;
		if (!d->slot_known)
			unknown = true;
		else if (d->has_slot)
			return h;
	}
	return unknown ? -2 : -1;
}

/* A downstream port of a switch that is not the chipset's, sitting in a
 * slot: that switch is on another card (or on the device's own card).
 */
static bool on_card_switch(const struct ax_machine *m, int port)
{
	const struct ax_dev *d = &m->devs[port];
	int usp = d->parent, above;

	if (!d->is_pcie || d->pcie_type != AX_EXP_DOWNSTREAM || usp < 0)
		return false;
	if (under_chipset_switch(m, port))
		return false;
	above = m->devs[usp].parent;
	return above >= 0 && m->devs[above].slot_known &&
	       m->devs[above].has_slot;
}

/* 1 the path from port to the root isolates, 0 it does not, -1 unknown. */
static int path_isolates(const struct ax_machine *m,
			 const struct ax_result *r, int port)
{
	int h;

	for (h = port; h >= 0; h = m->devs[h].parent) {
		if (r->dev[h].acs.basis == AX_ACS_BY_UNKNOWN)
			return -1;
		if (!r->dev[h].acs.isolated)
			return 0;
	}
	return 1;
}

/* A remedy could not be allocated: ax_assign() fails (single-threaded
 * tool, as key_of).
 */
static bool remedy_oom;

/* The next remedy, cleared, not yet counted; NULL when there is no room
 * or no memory.
 */
static struct ax_remedy *remedy_slot(struct ax_assignment *a)
{
	struct ax_remedy *r;

	if (a->n_remedies >= AX_MAX_REMEDIES)
		return NULL;
	r = realloc(a->remedies, ((size_t)a->n_remedies + 1) * sizeof(*r));
	if (!r) {
		remedy_oom = true;
		return NULL;
	}
	a->remedies = r;
	r += a->n_remedies;
	memset(r, 0, sizeof(*r));
	return r;
}

static void add_remedy(struct ax_assignment *a, enum ax_remedy_kind k,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add_remedy(struct ax_assignment *a, enum ax_remedy_kind k,
		       const char *fmt, ...)
{
	struct ax_remedy *rm = remedy_slot(a);
	va_list ap;

	if (!rm)
		return;
	a->n_remedies++;
	rm->kind = k;
	va_start(ap, fmt);
	vsnprintf(rm->text, sizeof(rm->text), fmt, ap);
	va_end(ap);
}

/* Once per machine: which ports are move targets, and what they hold. */
static int port_candidates(const struct ax_machine *m,
			   const struct ax_result *r, struct ax_advice_cache *c)
{
	bool *has_switch;
	int i;

	if (c->ports_done)
		return c->oom ? -1 : 0;
	c->ports_done = true;
	c->port_ok = calloc(m->n + 1, 1);
	c->occupant = malloc((m->n + 1) * sizeof(int));
	c->ports = malloc((m->n + 1) * sizeof(int));
	has_switch = calloc(m->n + 1, sizeof(bool));
	if (!c->port_ok || !c->occupant || !c->ports || !has_switch) {
		free(has_switch);
		c->oom = true;
		return -1;
	}
	for (i = 0; i < (int)m->n; i++)
		c->occupant[i] = -1;
	for (i = 0; i < (int)m->n; i++) {
		int p = m->devs[i].parent;

		if (p < 0)
			continue;
		if (m->devs[i].is_bridge)
			has_switch[p] = true;
		if (c->occupant[p] < 0)
			c->occupant[p] = i;
	}
	for (i = 0; i < (int)m->n; i++) {
		const struct ax_dev *p = &m->devs[i];

		if (!is_port(p) || !p->slot_known || !p->has_slot ||
		    has_switch[i] || on_card_switch(m, i))
			continue;
		c->port_ok[i] = (signed char)(path_isolates(m, r, i) > 0 ? 1 :
				 path_isolates(m, r, i) < 0 ? -1 : 0);
		if (c->port_ok[i])
			c->ports[c->n_ports++] = i;
	}
	free(has_switch);
	return 0;
}

static int remedy_move(const struct ax_machine *m, const struct ax_result *r,
		       const struct ax_grouping *g, int idx,
		       struct ax_assignment *a)
{
	const struct ax_dev *d = &m->devs[idx];
	struct ax_advice_cache *c = g->cache;
	int sp = slot_port_of(m, idx), i, k, n = 0, n_unknown = 0;
	char buf[AX_ADDR_STRLEN], buf2[AX_ADDR_STRLEN], list[560];
	size_t o = 0;
	struct ax_remedy *rm;

	/* integrated devices cannot move */
	if (d->on_root_bus || (d->is_pcie && d->pcie_type == AX_EXP_RC_END) ||
	    sp == -1 || sp == -2)
		return 0;
	if (port_candidates(m, r, c))
		return -1;
	list[0] = '\0';
	rm = remedy_slot(a);
	if (!rm)
		return 0;
	rm->kind = AX_RM_MOVE;
	/* the candidate ports only: every device for every shared device
	 * was quadratic
	 */
	for (k = 0; k < c->n_ports; k++) {
		const struct ax_dev *p = &m->devs[i = c->ports[k]];
		const char *loc;
		int occupant = c->occupant[i];

		if (is_ancestor(m, i, idx) || is_ancestor(m, sp, i) ||
		    i == sp)
			continue;	/* own path, or the device's own card */
		if (c->port_ok[i] < 0) {
			n_unknown++;
			continue;
		}
		if (rm->n_slots < AX_MAX_MOVE_SLOTS)
			rm->slots[rm->n_slots++] = i;
		n++;
		loc = ax_port_location(m, i);
		if (o + 120 < sizeof(list))
			o += (size_t)snprintf(list + o, sizeof(list) - o,
					      "%s%s%sport %s (%s%s%s)",
					      n > 1 ? "; " : "",
					      p->board_slot[0] ? p->board_slot : "",
					      p->board_slot[0] ? " at " : "",
					      A(m, i, buf) + (p->addr.domain ? 0 : 5),
					      loc[0] ? loc : "port",
					      occupant >= 0 ? ", now holds " : ", free",
					      occupant >= 0 ? A(m, occupant, buf2) +
					      (m->devs[occupant].addr.domain ? 0 : 5) : "");
	}
	if (n) {
		snprintf(rm->text, sizeof(rm->text),
			 "Move the card to a slot whose path to the CPU isolates, where it would be alone: %s.",
			 list);
		a->n_remedies++;
	} else if (n_unknown) {
		snprintf(rm->text, sizeof(rm->text),
			 "Whether another slot would isolate the card is unknown: the ACS registers of %d slot port(s) could not be read (run as root: sudo lspci -vvnn).",
			 n_unknown);
		a->n_remedies++;
	}
	return 0;
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

/* --- the ACS override patch --- */

static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s; s++)
		if (!strncasecmp(s, w, n))
			return true;
	return false;
}

enum ax_override_support ax_override_support(const char *release,
					     const char **distro)
{
	static const struct {
		const char *pat;
		enum ax_override_support s;
		const char *who;
	} t[] = {
		{ "-pve", AX_OVR_YES, "a Proxmox VE kernel" },
		{ "unraid", AX_OVR_YES, "an Unraid kernel" },
		{ "-zen", AX_OVR_YES, "a linux-zen kernel" },
		{ "-lqx", AX_OVR_YES, "a Liquorix kernel" },
		{ "liquorix", AX_OVR_YES, "a Liquorix kernel" },
		{ "-generic", AX_OVR_NO, "a stock Ubuntu kernel" },
		{ "-lowlatency", AX_OVR_NO, "a stock Ubuntu kernel" },
		{ "+deb", AX_OVR_NO, "a stock Debian kernel" },
		{ "-amd64", AX_OVR_NO, "a stock Debian kernel" },
		{ "-arm64", AX_OVR_NO, "a stock Debian kernel" },
		{ ".fc", AX_OVR_NO, "a stock Fedora kernel" },
		{ ".el", AX_OVR_NO, "a stock RHEL-family kernel" },
		{ "-arch", AX_OVR_NO, "a stock Arch Linux kernel" },
	};
	size_t i;

	if (distro)
		*distro = "";
	if (!release || !release[0])
		return AX_OVR_UNKNOWN;
	for (i = 0; i < AX_ARRAY_SIZE(t); i++)
		if (has_word(release, t[i].pat)) {
			if (distro)
				*distro = t[i].who;
			return t[i].s;
		}
	return AX_OVR_UNKNOWN;
}

void ax_cmdline_howto(const struct ax_machine *m, const char *param,
		      char *buf, size_t len)
{
	bool pve = has_word(m->kernel_release, "-pve");

	if (!strcmp(m->boot_loader, "unraid") ||
	    has_word(m->kernel_release, "unraid"))
		snprintf(buf, len,
			 "on Unraid: Settings > VM Manager > PCIe ACS override (or add %s to the append line of Main > Flash > Syslinux Configuration), then reboot",
			 param);
	else if (!strcmp(m->boot_loader, "proxmox-boot-tool"))
		snprintf(buf, len,
			 "add %s to the single line of /etc/kernel/cmdline, run proxmox-boot-tool refresh, reboot",
			 param);
	else if (!strcmp(m->boot_loader, "grub"))
		snprintf(buf, len,
			 "add %s to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, run update-grub (Fedora: grub2-mkconfig -o /boot/grub2/grub.cfg), reboot",
			 param);
	else if (pve)
		snprintf(buf, len,
			 "GRUB installs: add %s to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub and run update-grub; systemd-boot installs (ZFS root, UEFI): add it to /etc/kernel/cmdline and run proxmox-boot-tool refresh; then reboot",
			 param);
	else
		snprintf(buf, len,
			 "add %s to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub and run update-grub (Fedora: grubby --update-kernel=ALL --args=\"%s\"), then reboot",
			 param, param);
}

/* What member j of idx's group makes of idx's verdict: bridges count for
 * nothing, the device's own functions for "own device", others for "shared".
 */
static void tally_member(const struct ax_machine *m, int idx, int j,
			 bool *own, bool *other)
{
	const struct ax_dev *t = &m->devs[j];

	if (j == idx || ax_is_bridge_class(t))
		return;
	if (ax_same_device(t, &m->devs[idx]))
		*own = true;
	else
		*other = true;
}

static enum ax_verdict verdict_of(bool own, bool other)
{
	return other ? AX_V_SHARED : own ? AX_V_OWN_DEVICE : AX_V_ALONE;
}

/* Verdict of idx in a grouping grp[] (a what-if derivation's). */
static enum ax_verdict verdict_in(const struct ax_machine *m, const int *grp,
				  int idx)
{
	bool other = false, own = false;
	size_t j;

	if (grp[idx] < 0)
		return AX_V_NO_GROUPS;
	for (j = 0; j < m->n; j++)
		if (grp[j] == grp[idx])
			tally_member(m, idx, (int)j, &own, &other);
	return verdict_of(own, other);
}

/* The devices in order of their group in grp (NULL: NULL), for
 * verdict_by(); NULL on no memory.
 */
static int *by_group(const struct ax_machine *m, const int *grp)
{
	int *by = grp ? malloc((m->n + 1) * sizeof(int)) : NULL;
	size_t i;

	if (!by)
		return NULL;
	for (i = 0; i < m->n; i++)
		by[i] = (int)i;
	key_of = grp;
	qsort(by, m->n, sizeof(int), cmp_by_key);
	key_of = NULL;
	return by;
}

/* verdict_in() through the group order of by_group(): the members of
 * idx's group only (the whole machine per device was quadratic).
 */
static enum ax_verdict verdict_by(const struct ax_machine *m, const int *grp,
				  const int *by, int idx)
{
	int lo = 0, hi = (int)m->n;
	bool other = false, own = false;

	if (grp[idx] < 0)
		return AX_V_NO_GROUPS;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (grp[by[mid]] < grp[idx])
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < (int)m->n && grp[by[lo]] == grp[idx]; lo++)
		tally_member(m, idx, by[lo], &own, &other);
	return verdict_of(own, other);
}

/* The groups under profile p2, as a new array.  The derivation writes
 * the groups into the machine: it works on a copy.
 */
static int *what_if_groups(const struct ax_machine *m,
			   const struct ax_profile *p2)
{
	struct ax_result r2;
	int *grp = malloc((m->n + 1) * sizeof(int));
	size_t i;

	if (!grp || ax_derive(m, p2, &r2)) {
		free(grp);
		return NULL;
	}
	for (i = 0; i < m->n; i++)
		grp[i] = r2.dev[i].group;
	ax_result_free(&r2);
	return grp;
}

static int override_what_if(const struct ax_machine *m,
			    const struct ax_profile *p,
			    const struct ax_grouping *g, int idx)
{
	struct ax_advice_cache *c = g->cache;

	if (!c->ovr_done) {
		struct ax_profile p2 = *p;

		p2.ovr_downstream = p2.ovr_multifunction = true;
		p2.hypothetical = true;
		c->ovr_done = true;
		c->ovr_group = what_if_groups(m, &p2);
		c->ovr_by = by_group(m, c->ovr_group);
	}
	if (!c->ovr_group || !c->ovr_by)
		return -1;
	return (int)verdict_by(m, c->ovr_group, c->ovr_by, idx);
}

/* The groups of kernel release kv, derived once. */
/* The groups under release kv's rules, and (*by) their devices in group
 * order; NULL on no memory.
 */
static const int *kv_groups(const struct ax_machine *m,
			    const struct ax_profile *p,
			    struct ax_advice_cache *c, int kv, const int **by)
{
	struct ax_profile p2 = *p;
	int k;

	for (k = 0; k < c->n_kv; k++)
		if (c->kv[k] == kv) {
			*by = c->kv_by[k];
			return *by ? c->kv_group[k] : NULL;
		}
	if (c->n_kv >= MAX_KV_CACHE)
		return NULL;
	p2.hypothetical = true;
	p2.kver = kv;
	c->kv[c->n_kv] = kv;
	c->kv_group[c->n_kv] = what_if_groups(m, &p2);
	c->kv_by[c->n_kv] = by_group(m, c->kv_group[c->n_kv]);
	*by = c->kv_by[c->n_kv++];
	return *by ? c->kv_group[c->n_kv - 1] : NULL;
}

/* The first kernel release after p's in which idx is no longer shared
 * (quirks added, regressions fixed); 0 none; -1 out of memory.
 */
static int kernel_what_if(const struct ax_machine *m,
			  const struct ax_profile *p,
			  const struct ax_grouping *g, int idx)
{
	const int *grp, *by;
	int kv;

	if (!p->kver || p->kver >= axq_db_newest)
		return 0;
	grp = kv_groups(m, p, g->cache, axq_db_newest, &by);
	if (!grp)
		return -1;
	if (verdict_by(m, grp, by, idx) == AX_V_SHARED)
		return 0;
	for (kv = p->kver + 1; kv <= axq_db_newest; kv++) {
		if (kv % 1000 > 20) {	/* 3.19 -> 4.0, 4.20 -> 5.0 ... */
			kv = (kv / 1000 + 1) * 1000 - 1;
			continue;
		}
		grp = kv_groups(m, p, g->cache, kv, &by);
		if (!grp)
			return -1;
		if (verdict_by(m, grp, by, idx) != AX_V_SHARED)
			return kv;
	}
	return axq_db_newest;
}

static int remedy_override(const struct ax_machine *m,
			   const struct ax_profile *p,
			   const struct ax_grouping *g, int idx,
			   struct ax_assignment *a, bool facts_unknown)
{
	const char *distro = "";
	enum ax_override_support s = ax_override_support(m->kernel_release,
							  &distro);
	const char *active = strstr(m->cmdline, "pcie_acs_override=");
	char can[320], act[240], wi[240], how[400];
	int v;

	if (s == AX_OVR_YES)
		snprintf(can, sizeof(can), "This kernel (%s) is %s, which carries the patch.",
			 m->kernel_release, distro);
	else if (s == AX_OVR_NO)
		snprintf(can, sizeof(can),
			 "This kernel (%s) is %s, which does not carry the patch: the option would be ignored; it needs a kernel that does (Proxmox VE, linux-zen, Unraid).",
			 m->kernel_release, distro);
	else
		snprintf(can, sizeof(can),
			 "Whether kernel %s carries the patch is not known (Proxmox VE, Unraid and linux-zen kernels do; stock Debian, Ubuntu and Fedora kernels do not).",
			 m->kernel_release[0] ? m->kernel_release : "(unknown)");
	if (active) {
		size_t n = strcspn(active, " \t\n");

		snprintf(act, sizeof(act), " It is already on the command line (%.*s)%s.",
			 (int)(n < 120 ? n : 120), active,
			 s == AX_OVR_NO ? ", without effect on this kernel" :
			 ", and the group is still shared");
	} else if (!m->cmdline[0]) {
		snprintf(act, sizeof(act),
			 " Whether it is active is not known: the facts hold no kernel command line (give it with --kernel-cmdline).");
	} else {
		snprintf(act, sizeof(act), " It is not active now.");
	}
	if (facts_unknown) {
		snprintf(wi, sizeof(wi),
			 " What it would split is unknown: the ACS registers could not be read.");
	} else {
		v = override_what_if(m, p, g, idx);
		if (v < 0)
			return -1;
		if (v == AX_V_SHARED)
			snprintf(wi, sizeof(wi),
				 " It would not split this group: ports and functions with an ACS capability, those a vendor quirk decides for, and DMA aliasing are beyond it.");
		else
			snprintf(wi, sizeof(wi),
				 " With pcie_acs_override=downstream,multifunction this device would be %s.",
				 v == AX_V_ALONE ? "alone" :
				 v == AX_V_OWN_DEVICE ? "with only its own functions" :
				 ax_verdict_name((enum ax_verdict)v));
	}
	ax_cmdline_howto(m, "pcie_acs_override=downstream,multifunction", how,
			 sizeof(how));
	add_remedy(a, AX_RM_OVERRIDE,
		   "Last resort, the out-of-tree ACS override patch: it splits groups without any isolation; the devices can still reach each other by peer-to-peer DMA, so a guest could read or corrupt what the others hold. %s%s%s To set it: %s.",
		   can, act, wi, how);
	return 0;
}

/* --- the verdict --- */

static void no_groups_why(const struct ax_machine *m, struct ax_assignment *a)
{
	if (strstr(m->cmdline, "intel_iommu=off") ||
	    strstr(m->cmdline, "amd_iommu=off") ||
	    strstr(m->cmdline, "iommu=off"))
		snprintf(a->why, sizeof(a->why),
			 "The kernel command line switches the IOMMU off: remove that; until then VFIO can assign nothing.");
	else
		snprintf(a->why, sizeof(a->why),
			 "The IOMMU is off, so VFIO can assign nothing. Enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup; on Intel kernels without CONFIG_INTEL_IOMMU_DEFAULT_ON also boot with intel_iommu=on.");
}

static int classify(const struct ax_machine *m, const struct ax_result *r,
		    const struct ax_grouping *g, int idx,
		    struct ax_assignment *a, int *members, int *n_members)
{
	const struct ax_dev *d = &m->devs[idx];
	int key = g->of[idx], k, n_bridges = 0, n = 0, nm;
	const int *mem = members_of(g, key, &nm);
	char lbl[40];

	(void)r;
	for (k = 0; k < nm; k++) {
		int j = mem[k];
		const struct ax_dev *t = &m->devs[j];

		members[n++] = j;
		if (j == idx)
			continue;
		if (ax_is_bridge_class(t))
			n_bridges++;
		else if (ax_same_device(t, d))
			a->own[a->n_own++] = j;
		else
			a->assign_with[a->n_assign_with++] = j;
	}
	*n_members = n;
	group_label(g, key, lbl, sizeof(lbl));
	if (a->n_assign_with) {
		char l[200];

		a->verdict = AX_V_SHARED;
		list_addrs(m, a->assign_with, a->n_assign_with, l, sizeof(l));
		/* "IOMMU group 14 also holds ..." */
		lbl[0] = (char)toupper((unsigned char)lbl[0]);
		snprintf(a->why, sizeof(a->why),
			 "%s also holds %s of other devices: they all go to the same VM, bound to vfio-pci, or this device cannot be assigned.",
			 lbl, l);
	} else if (a->n_own) {
		char l[200];

		a->verdict = AX_V_OWN_DEVICE;
		list_addrs(m, a->own, a->n_own, l, sizeof(l));
		snprintf(a->why, sizeof(a->why),
			 "Assignable with its own functions: %s holds besides it only %s of the same device%s; pass them all to the VM.",
			 lbl, l, n_bridges ? " and bridges, which stay with their driver" : "");
	} else if (n_bridges) {
		a->verdict = AX_V_WITH_BRIDGES;
		snprintf(a->why, sizeof(a->why),
			 "Assignable on its own: %s holds besides it only bridges, which stay with their driver (VFIO does not need them).",
			 lbl);
	} else {
		a->verdict = AX_V_ALONE;
		snprintf(a->why, sizeof(a->why),
			 "Assignable on its own: it is alone in %s.", lbl);
	}
	return 0;
}

static void find_at_fault(const struct ax_machine *m,
			  const struct ax_result *r, int idx,
			  const int *members, int n_members,
			  struct ax_assignment *a)
{
	int k, q;

	for (k = 0; k < n_members; k++) {
		int t = members[k];

		for (q = 0; q < r->dev[t].n_reasons; q++) {
			const struct ax_reason *rr = &r->dev[t].reasons[q];

			if (!culprit_reason(m, rr) ||
			    ax_same_device(&m->devs[rr->at], &m->devs[idx]))
				continue;
			if (!ax_in_list(a->at_fault, a->n_at_fault, rr->at))
				a->at_fault[a->n_at_fault++] = rr->at;
		}
	}
}

#define FAULT_CONTROLS_OFF 1
#define FAULT_REDIR_DISABLED 2

/* Once per machine: which devices some reason names as the place where
 * ACS is switched off, or its redirection disabled (looked up per shared
 * device: a loop over every reason there was quadratic).  NULL on no
 * memory.
 */
static const uint8_t *fault_bits(const struct ax_machine *m,
				 const struct ax_result *r,
				 struct ax_advice_cache *c)
{
	size_t k;
	int q;

	if (c->fault_bits)
		return c->fault_bits;
	c->fault_bits = calloc(m->n + 1, 1);
	if (!c->fault_bits)
		return NULL;
	for (k = 0; k < m->n; k++)
		for (q = 0; q < r->dev[k].n_reasons; q++) {
			const struct ax_reason *rr = &r->dev[k].reasons[q];

			if (rr->at < 0 || rr->at >= (int)m->n)
				continue;
			if (rr->code == AX_R_ACS_CONTROLS_OFF)
				c->fault_bits[rr->at] |= FAULT_CONTROLS_OFF;
			if (rr->code == AX_R_ACS_REDIR_DISABLED)
				c->fault_bits[rr->at] |= FAULT_REDIR_DISABLED;
		}
	return c->fault_bits;
}

static int remedies_shared(const struct ax_machine *m,
			   const struct ax_profile *p,
			   const struct ax_result *r,
			   const struct ax_grouping *g, int idx,
			   struct ax_assignment *a, bool facts_unknown)
{
	const uint8_t *bits;
	int k, rel;
	const char *cb = NULL;
	char buf[AX_ADDR_STRLEN], l[200], quirk[200] = "";
	bool controls_off = false, redir = false;

	rel = facts_unknown ? 0 : kernel_what_if(m, p, g, idx);
	if (rel < 0)
		return -1;
	for (k = 0; rel && k < a->n_at_fault; k++) {
		int f = a->at_fault[k];

		if (ax_quirk_release_for(&m->devs[f], p->kver, &cb))
			snprintf(quirk, sizeof(quirk),
				 " (the quirk %s for %s [%04x:%04x])", cb,
				 A(m, f, buf), m->devs[f].vendor,
				 m->devs[f].device);
	}
	if (rel)
		add_remedy(a, AX_RM_KERNEL,
			   "Kernel %d.%d and later split this group%s; the rules applied here are those of %d.%d (%s). Distribution kernels may carry the change earlier as a backport.",
			   rel / 1000, rel % 1000, quirk, p->kver / 1000,
			   p->kver % 1000,
			   m->kernel_release[0] ? m->kernel_release :
			   "release not in the facts");
	/* ACS present but switched off at a port at fault */
	bits = fault_bits(m, r, g->cache);
	if (!bits)
		return -1;
	for (k = 0; k < a->n_at_fault; k++) {
		controls_off |= bits[a->at_fault[k]] & FAULT_CONTROLS_OFF;
		redir |= bits[a->at_fault[k]] & FAULT_REDIR_DISABLED;
	}
	if (controls_off) {
		add_remedy(a, AX_RM_BIOS,
			   "A port at fault has ACS but it is switched off: enable ACS in the firmware setup (\"ACS\", \"PCIe ACS\", \"ACS Enable\"; on AMD boards under AMD CBS > NBIO), and do not disable it for peer-to-peer tuning.");
		list_addrs(m, a->at_fault, a->n_at_fault, l, sizeof(l));
		add_remedy(a, AX_RM_CONFIG_ACS,
			   "Or switch the controls on from the kernel command line: pci=config_acs=xx111x1@<port> for each port at fault (%s), kernel 6.11 and later%s.",
			   l, p->kver && p->kver < AX_KVER(6, 11) ?
			   "; this kernel is older" : "");
	}
	if (redir)
		add_remedy(a, AX_RM_CONFIG_ACS,
			   "The kernel command line switches ACS redirection off (pci=disable_acs_redir=): remove the ports at fault from it.");
	return 0;
}

static int assign_one(const struct ax_machine *m, const struct ax_profile *p,
		      const struct ax_result *r, const struct ax_grouping *g,
		      int idx, struct ax_assignment *a)
{
	const struct ax_dev *d = &m->devs[idx];
	int *blk, *members, n_members = 0, j, nu, lo, hi, nm = 0, k;
	const int *mem = g->of[idx] >= 0 ? members_of(g, g->of[idx], &nm) :
					   NULL;
	size_t n, n_faults = 1;

	memset(a, 0, sizeof(*a));
	a->dev = idx;
	a->group = g->of[idx];
	/* sized by what this device can name: its group, its bus, the
	 * reasons of its group (--all asks this for every device)
	 */
	device_range(m, idx, &lo, &hi);
	for (k = 0; k < nm; k++)
		n_faults += (size_t)r->dev[mem[k]].n_reasons;
	n = (size_t)nm + (size_t)(hi - lo) + 1;
	blk = calloc(4 * n + n_faults, sizeof(int));
	if (!blk)
		return -1;
	a->assign_with = blk;
	a->own = blk + n;
	a->companions = blk + 2 * n;
	members = blk + 3 * n;
	a->at_fault = blk + 4 * n;

	/* companions: its own functions elsewhere, whatever the verdict */
	for (j = lo; j < hi; j++)
		if (j != idx && ax_same_device(&m->devs[j], d) &&
		    !ax_is_bridge_class(&m->devs[j]) &&
		    (g->of[j] != g->of[idx] || g->of[idx] < 0))
			a->companions[a->n_companions++] = j;

	if (m->iommu == AX_IOMMU_OFF) {
		int *grp = malloc((m->n + 1) * sizeof(int));
		enum ax_verdict once;
		size_t l;

		if (!grp) {
			ax_assignment_free(a);
			return -1;
		}
		a->verdict = AX_V_NO_GROUPS;
		no_groups_why(m, a);
		for (j = 0; j < (int)m->n; j++)
			grp[j] = r->dev[j].group;
		once = verdict_in(m, grp, idx);
		free(grp);
		l = strlen(a->why);
		switch (once) {
		case AX_V_ALONE:
			snprintf(a->why + l, sizeof(a->why) - l,
				 " Once it is on, this kernel would put the device alone in its group.");
			break;
		case AX_V_OWN_DEVICE:
			snprintf(a->why + l, sizeof(a->why) - l,
				 " Once it is on, this kernel would group the device with its own functions only.");
			break;
		case AX_V_SHARED:
			snprintf(a->why + l, sizeof(a->why) - l,
				 " Once it is on, this kernel would group the device with other devices.");
			break;
		default:
			break;
		}
		add_remedy(a, AX_RM_BIOS,
			   "Enable the IOMMU: VT-d (Intel) or AMD-Vi / IOMMU (AMD) in the firmware setup; Intel kernels built without CONFIG_INTEL_IOMMU_DEFAULT_ON also need intel_iommu=on on the command line. acsexplain shows the groups the kernel would make then.");
		return 0;
	}
	if (g->kernel && a->group == AX_GROUP_UNKNOWN) {
		a->verdict = AX_V_UNKNOWN;
		snprintf(a->why, sizeof(a->why),
			 "The facts give other devices' IOMMU groups but not this one's; run sudo lspci -vvnn (pciutils 3.7 or later prints the group lines).");
		return 0;
	}
	if (a->group < 0) {
		a->verdict = AX_V_NO_GROUPS;
		snprintf(a->why, sizeof(a->why),
			 "The kernel gave this device no IOMMU group, so VFIO cannot assign it.");
		return 0;
	}
	if (g->derived && no_capabilities_at_all(m)) {
		a->verdict = AX_V_NO_GROUPS;
		snprintf(a->why, sizeof(a->why),
			 "The input lists no IOMMU groups and holds no capabilities to derive them from; run sudo lspci -vvnn (pciutils 3.7 or later prints IOMMU group lines).");
		return 0;
	}
	nu = g->derived ? unknown_on_path(m, r, idx) : 0;
	classify(m, r, g, idx, a, members, &n_members);
	if (nu && a->verdict == AX_V_SHARED) {
		/* unreadable ACS is taken as absent, which only widens a
		 * group: "shared" may be wrong, the other verdicts hold
		 */
		a->verdict = AX_V_UNKNOWN;
		a->n_own = a->n_assign_with = 0;
		snprintf(a->why, sizeof(a->why),
			 "The input lists no IOMMU groups and the ACS registers of %d device(s) on its path could not be read (report taken without root): if they have none it shares a group, else it may not; run sudo lspci -vvnn (pciutils 3.7 or later also prints the kernel's IOMMU group lines).",
			 nu);
		return 0;
	}
	if (g->kernel && (r->mismatch_kind == AX_CAUSE_OVERRIDE ||
			  r->mismatch_kind == AX_CAUSE_LATE_SINGLE ||
			  strstr(m->cmdline, "pcie_acs_override="))) {
		/* the kernel's groups are the override's: say what the
		 * hardware gives
		 */
		int *grp;
		enum ax_verdict hw;
		size_t l;

		grp = malloc((m->n + 1) * sizeof(int));
		if (!grp)
			return -1;
		for (j = 0; j < (int)m->n; j++)
			grp[j] = r->dev[j].group;
		hw = verdict_in(m, grp, idx);
		free(grp);
		l = strlen(a->why);
		if (hw != a->verdict)
			snprintf(a->why + l, sizeof(a->why) - l,
				 r->mismatch_kind == AX_CAUSE_LATE_SINGLE ?
				 " If the kernel grouped a function added after boot as a single-function device (see the comparison's cause), that isolation is not real; by the hardware it would be %s." :
				 " Only through the ACS override: that isolation is simulated; by the hardware it would be %s.",
				 ax_verdict_name(hw));
	}
	if (g->derived) {
		size_t l = strlen(a->why);

		snprintf(a->why + l, sizeof(a->why) - l,
			 " (Derived: the input lists no IOMMU groups%s%s.)",
			 m->iommu == AX_IOMMU_UNKNOWN ?
			 ", so whether the IOMMU is on is not known" : "",
			 nu ? "; ACS that could not be read is taken as absent, so the real group can only be smaller" : "");
	}
	if (ax_is_bridge_class(d)) {
		/* nothing to pass through: no culprit, no remedy */
		static const char pre[] =
			"A bridge: VFIO assigns the devices behind it; bridges stay with their driver. ";
		size_t l = strlen(a->why);

		if (l + sizeof(pre) > sizeof(a->why))
			l = sizeof(a->why) - sizeof(pre);
		memmove(a->why + sizeof(pre) - 1, a->why, l);
		a->why[l + sizeof(pre) - 1] = '\0';
		memcpy(a->why, pre, sizeof(pre) - 1);
		return 0;
	}
	if (a->verdict == AX_V_OWN_DEVICE) {
		char l[200];

		list_addrs(m, a->own, a->n_own, l, sizeof(l));
		add_remedy(a, AX_RM_ASSIGN_GROUP,
			   "Pass the whole device: bind %s with it to vfio-pci (see --plan).",
			   l);
	}
	if (a->verdict != AX_V_SHARED)
		return 0;

	find_at_fault(m, r, idx, members, n_members, a);
	{
		char l[200];
		int k;
		const char *host = NULL;

		for (k = 0; k < a->n_assign_with; k++)
			if (m->devs[a->assign_with[k]].host_use[0])
				host = m->devs[a->assign_with[k]].host_use;
		list_addrs(m, a->assign_with, a->n_assign_with, l, sizeof(l));
		add_remedy(a, AX_RM_ASSIGN_GROUP,
			   "Assign the whole group to one VM: bind %s to vfio-pci too (see --plan)%s%s%s.",
			   l, host ? "; but the host uses one of them (" : "",
			   host ? host : "", host ? "): it would lose it" : "");
	}
	nu = unsure_in_group(m, r, members, n_members);
	if (remedies_shared(m, p, r, g, idx, a, nu > 0) ||
	    remedy_move(m, r, g, idx, a) ||
	    remedy_override(m, p, g, idx, a, nu > 0))
		return -1;
	return 0;
}

int ax_assign(const struct ax_machine *m, const struct ax_profile *p,
	      const struct ax_result *r, const struct ax_grouping *g, int idx,
	      struct ax_assignment *a)
{
	int ret;

	remedy_oom = false;
	ret = assign_one(m, p, r, g, idx, a);
	if (!ret && remedy_oom) {
		ax_assignment_free(a);
		ret = -1;
	}
	return ret;
}

int ax_group_fault(const struct ax_machine *m, const struct ax_result *r,
		   const struct ax_grouping *g, int key, int *n_faults)
{
	int k, q, best = -1, best_depth = 0, n = 0, nm;
	const int *mem = members_of(g, key, &nm);
	bool *seen = calloc(m->n + 1, sizeof(bool));

	if (!seen)
		return -1;
	for (k = 0; k < nm; k++) {
		int j = mem[k];

		for (q = 0; q < r->dev[j].n_reasons; q++) {
			const struct ax_reason *rr = &r->dev[j].reasons[q];
			int depth = 0, h;

			if (!culprit_reason(m, rr) || seen[rr->at])
				continue;
			seen[rr->at] = true;
			n++;
			for (h = m->devs[rr->at].parent; h >= 0;
			     h = m->devs[h].parent)
				depth++;
			if (best < 0 || depth < best_depth) {
				best = rr->at;
				best_depth = depth;
			}
		}
	}
	free(seen);
	if (n_faults)
		*n_faults = n;
	return best;
}

int ax_what_if_unknowns(const struct ax_machine *m,
			const struct ax_result *before,
			const struct ax_result *after, char *why, size_t len)
{
	size_t i;
	int n = 0;

	for (i = 0; i < m->n; i++) {
		enum ax_acs_basis b = before ? before->dev[i].acs.basis :
					       AX_ACS_BY_REGISTERS;
		enum ax_acs_basis a = after ? after->dev[i].acs.basis :
					      AX_ACS_BY_REGISTERS;

		/* inferred from the kernel's groups: says nothing of a
		 * change
		 */
		if (b == AX_ACS_BY_UNKNOWN || b == AX_ACS_BY_INFERRED ||
		    a == AX_ACS_BY_UNKNOWN || a == AX_ACS_BY_INFERRED)
			n++;
	}
	if (n)
		snprintf(why, len,
			 "the ACS registers of %d device(s) could not be read (a report taken without root shows \"Capabilities: <access denied>\"): what changes cannot be told; run sudo lspci -vvnn",
			 n);
	else if (len)
		why[0] = '\0';
	return n;
}

int ax_advise(const struct ax_machine *m, const struct ax_profile *p,
	      const struct ax_result *r, const bool *listed,
	      const struct ax_result *before, struct ax_advice *adv)
{
	int i, k;

	memset(adv, 0, sizeof(*adv));
	if (ax_grouping_init(&adv->g, m, r))
		return -1;
	adv->assign = calloc(m->n + 1, sizeof(*adv->assign));
	adv->groups = calloc(m->n + 1, sizeof(*adv->groups));
	if (!adv->assign || !adv->groups)
		goto nomem;
	for (i = 0; i < (int)m->n; i++)
		if ((!listed || listed[i]) &&
		    ax_assign(m, p, r, &adv->g, i, &adv->assign[i]))
			goto nomem;
	/* the groups' lines, in key order (by_key is sorted) */
	for (k = 0; k < adv->g.cache->n_by_key; k++) {
		int j = adv->g.cache->by_key[k], key = adv->g.of[j], nm, q;
		const int *mem;
		struct ax_group_advice *ga;

		if (key < 0 || (listed && !listed[j]) ||
		    (adv->n_groups && adv->groups[adv->n_groups - 1].key == key))
			continue;
		ga = &adv->groups[adv->n_groups++];
		ga->key = key;
		ga->first = ga->fault = ga->ask = -1;
		mem = members_of(&adv->g, key, &nm);
		for (q = 0; q < nm; q++) {
			const struct ax_dev *d = &m->devs[mem[q]];
			int o;
			bool seen = false;

			if (ax_is_bridge_class(d) || ax_host_function(d))
				continue;
			if (ga->first < 0)
				ga->first = mem[q];
			for (o = 0; o < q && !seen; o++)
				seen = !ax_is_bridge_class(&m->devs[mem[o]]) &&
				       !ax_host_function(&m->devs[mem[o]]) &&
				       ax_same_device(&m->devs[mem[o]], d);
			ga->n_devices += !seen;
		}
		if (ga->first < 0)
			continue;
		ga->verdict = adv->assign[ga->first].verdict;
		if (ga->verdict != AX_V_SHARED)
			continue;
		ga->fault = ax_group_fault(m, r, &adv->g, key, &ga->n_faults);
		ga->ask = ga->first;
		for (q = 0; ga->fault >= 0 && q < nm; q++)
			if (!ax_is_bridge_class(&m->devs[mem[q]]) &&
			    !ax_same_device(&m->devs[mem[q]],
					    &m->devs[ga->fault])) {
				ga->ask = mem[q];
				break;
			}
	}
	if (before)
		ax_what_if_unknowns(m, before, r, adv->unknown,
				    sizeof(adv->unknown));
	return 0;
nomem:
	ax_advice_free(adv);
	return -1;
}

void ax_advice_free(struct ax_advice *adv)
{
	int i;

	for (i = 0; adv->assign && i < adv->g.cache->n_by_key; i++)
		ax_assignment_free(&adv->assign[i]);
	free(adv->assign);
	free(adv->groups);
	ax_grouping_free(&adv->g);
	memset(adv, 0, sizeof(*adv));
}
