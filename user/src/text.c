// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/text.c - facts from `lspci -v/-vv/-vvv[nn]` text as people paste it
 * (forums, bug reports, linuxhw), IOMMU group listings, and input format
 * detection.  Text is lossy: lspci does not print the header type, prints
 * ACS only as root, and decodes the dword-layout Intel PCH ACS control
 * wrongly.  Whatever the text cannot show stays unknown and is noted.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "source.h"

/* Capability whose detail lines follow. */
enum tcap { TC_NONE, TC_ACS, TC_SRIOV };

/* What the text said about one device beyond struct ax_dev. */
struct tdev {
	bool ids_known;		/* [vvvv:dddd] on the header line */
	bool class_known;	/* [cccc] on the header line */
	bool status_seen;	/* a Status: line (lspci -vv) */
	bool caps_listed;	/* at least one "Capabilities: [" line */
	bool cap_minus;		/* Status: Cap-: no capability list */
	bool flags_seen;	/* lspci -v "Flags:" line */
	bool denied;		/* Capabilities: <access denied> */
	bool ext_seen;		/* an extended capability [1xx+] listed */
	bool acs_cap_seen, acs_ctl_seen;
	bool group_line;	/* IOMMU group: N under the header */
	bool sriov_enabled, sriov_params;
	unsigned int numvf, vf_off, vf_stride;
	uint16_t vf_device;
	enum tcap in_cap;
	char classname[64];	/* for reverse lookup without -nn */
	char rawname[160];	/* vendor + device name as printed */
};

struct tparse {
	struct ax_machine *m;
	size_t first;		/* first device index this parse added */
	struct tdev *td;	/* parallel to m->devs[first..] */
	size_t td_cap;
	int cur;		/* current device index in m->devs, or -1 */
	int loop_group;		/* shell loop "IOMMU Group N:" block, or -1 */
	int n_junk;		/* library messages removed */
	int n_group_lines;	/* group lines applied */
	int n_group_only;	/* devices known only from a group listing */
	bool any_driver_line;	/* Kernel driver in use / Kernel modules */
	bool any_ext;		/* some device shows extended capabilities */
	bool has_hex;		/* hex dump lines present */
	bool unterminated;	/* input ends without a newline */
	bool after_uname;	/* previous line was a `uname -r` prompt */
	bool no_add;		/* m is linked: never add devices */
	int n_absent;		/* listed devices not in m (no_add) */
};

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static bool is_hex_line(const char *s)
{
	int n = 0;

	/* "00: 86 80 10 9d ..." or "100: ..." */
	while (isxdigit((unsigned char)s[n]))
		n++;
	if (n < 2 || n > 3 || s[n] != ':' || s[n + 1] != ' ')
		return false;
	s += n + 1;
	n = 0;
	while (s[0] == ' ' && isxdigit((unsigned char)s[1]) &&
	       isxdigit((unsigned char)s[2])) {
		s += 3;
		n++;
	}
	return n >= 1 && !*trim((char *)s);
}

/* Parse "[dddd:]bb:dd.f" at s; returns characters used, 0 if none. */
static int parse_addr(const char *s, struct ax_addr *a)
{
	unsigned int dom = 0, bus, slot, fn;
	int n = 0, k;

	if (sscanf(s, "%x:%x:%x.%u%n", &dom, &bus, &slot, &fn, &n) == 4 &&
	    n > 0) {
		/* the domain part must be hex digits only */
		for (k = 0; s[k] != ':'; k++)
			if (!isxdigit((unsigned char)s[k]))
				return 0;
		if (k < 4 || k > 8)
			return 0;
	} else {
		dom = 0;
		n = 0;
		if (sscanf(s, "%2x:%2x.%1u%n", &bus, &slot, &fn, &n) != 3 ||
		    n != 7 || !isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]) || s[2] != ':')
			return 0;
	}
	if (bus > 0xff || slot > 0x1f || fn > 7)
		return 0;
	if (s[n] && s[n] != ' ' && s[n] != '\t')
		return 0;
	a->domain = dom;
	a->bus = (uint8_t)bus;
	a->devfn = AX_DEVFN(slot, fn);
	return n;
}

static struct tdev *td_of(struct tparse *p, int i)
{
	return &p->td[i - (int)p->first];
}

/* Find the device at a, or add it; -1 when out of memory. */
static int get_dev(struct tparse *p, struct ax_addr a)
{
	int i = ax_find_from(p->m, p->first, a);
	struct ax_dev *d;

	if (i >= (int)p->first)
		return i;
	if (p->m->n - p->first >= p->td_cap) {
		size_t nc = p->td_cap ? p->td_cap * 2 : 64;
		struct tdev *t = realloc(p->td, nc * sizeof(*t));

		if (!t)
			return -1;
		memset(t + p->td_cap, 0, (nc - p->td_cap) * sizeof(*t));
		p->td = t;
		p->td_cap = nc;
	}
	d = ax_machine_add(p->m);
	if (!d)
		return -1;
	d->addr = a;
	return (int)(p->m->n - 1);
}

/* Last "[xxxx:xxxx]" in s: vendor/device ids printed by -nn. */
static char *find_ids(char *s, unsigned int *v, unsigned int *d)
{
	char *q, *last = NULL;

	for (q = strchr(s, '['); q; q = strchr(q + 1, '['))
		/* strnlen: a line of '[' is not quadratic */
		if (strnlen(q, 11) == 11 && q[5] == ':' && q[10] == ']' &&
		    sscanf(q, "[%4x:%4x]", v, d) == 2)
			last = q;
	if (last)
		sscanf(last, "[%4x:%4x]", v, d);
	return last;
}

/* "PCI bridge [0604]: Intel Corporation ... [8086:a110] (rev f1)
 *  (prog-if 00 [Normal decode])", with or without the -nn ids.
 */
static void parse_header_rest(struct ax_dev *d, struct tdev *t, char *rest)
{
	unsigned int v, dv, cls, x;
	char *colon, *q, *ids, *cls_s;

	cls_s = rest;
	colon = strstr(rest, ": ");
	if (colon) {
		*colon = '\0';
		rest = colon + 2;
	} else {
		rest += strlen(rest);	/* cut short: class text only */
	}
	q = strrchr(cls_s, '[');
	if (q && strlen(q) == 6 && sscanf(q, "[%4x]", &cls) == 1) {
		d->class = cls << 8;
		t->class_known = true;
		*q = '\0';
	}
	snprintf(t->classname, sizeof(t->classname), "%s", trim(cls_s));
	q = strstr(rest, "(prog-if ");
	if (q && sscanf(q, "(prog-if %2x", &x) == 1) {
		d->class |= x;
		*q = '\0';
	}
	q = strstr(rest, "(rev ");
	if (q && sscanf(q, "(rev %2x)", &x) == 1) {
		d->revision = (uint8_t)x;
		*q = '\0';
	}
	ids = find_ids(rest, &v, &dv);
	if (ids) {
		d->vendor = (uint16_t)v;
		d->device = (uint16_t)dv;
		t->ids_known = true;
		*ids = '\0';
	}
	snprintf(d->name, sizeof(d->name), "%s", trim(rest));
	snprintf(t->rawname, sizeof(t->rawname), "%s", d->name);
}

static uint16_t parse_acs_bits(const char *s)
{
	static const struct {
		const char *name;
		uint16_t bit;
	} bits[] = {
		{ "SrcValid", AX_ACS_SV }, { "TransBlk", AX_ACS_TB },
		{ "ReqRedir", AX_ACS_RR }, { "CmpltRedir", AX_ACS_CR },
		{ "UpstreamFwd", AX_ACS_UF }, { "EgressCtrl", AX_ACS_EC },
		{ "DirectTrans", AX_ACS_DT },
	};
	uint16_t v = 0;
	size_t i, n;
	const char *q;

	for (i = 0; i < AX_ARRAY_SIZE(bits); i++) {
		n = strlen(bits[i].name);
		for (q = strstr(s, bits[i].name); q; q = strstr(q + 1,
								 bits[i].name))
			if (q[n] == '+') {
				v |= bits[i].bit;
				break;
			}
	}
	return v;
}

static void parse_express(struct ax_dev *d, const char *s)
{
	static const struct {
		const char *text;
		enum ax_pcie_type type;
	} types[] = {
		/* longest first: "Endpoint" is in several */
		{ "Root Complex Integrated Endpoint", AX_EXP_RC_END },
		{ "Root Complex Event Collector", AX_EXP_RC_EC },
		{ "Legacy Endpoint", AX_EXP_LEG_END },
		{ "Endpoint", AX_EXP_ENDPOINT },
		{ "Root Port", AX_EXP_ROOT_PORT },
		{ "Upstream Port", AX_EXP_UPSTREAM },
		{ "Downstream Port", AX_EXP_DOWNSTREAM },
		{ "PCI/PCI-X to PCI-Express Bridge", AX_EXP_PCIE_BRIDGE },
		{ "to PCI/PCI-X Bridge", AX_EXP_PCI_BRIDGE },
	};
	size_t i;

	d->is_pcie = true;
	for (i = 0; i < AX_ARRAY_SIZE(types); i++)
		if (strstr(s, types[i].text)) {
			d->pcie_type = types[i].type;
			break;
		}
	/* "Root Port (Slot+)": the port has a slot; "(Slot-)" an internal
	 * or soldered-down link
	 */
	if (strstr(s, "(Slot+)") || strstr(s, "(Slot-)")) {
		d->slot_known = true;
		d->has_slot = strstr(s, "(Slot+)") != NULL;
	}
}

/* "Capabilities: [220 v1] Access Control Services" and friends. */
static void parse_cap(struct tparse *p, struct ax_dev *d, struct tdev *t,
		      const char *s)
{
	unsigned int pos;
	const char *name = strchr(s, ']');

	t->in_cap = TC_NONE;
	if (sscanf(s, "Capabilities: [%x", &pos) != 1 || !name)
		return;
	name++;
	while (*name == ' ')
		name++;
	t->caps_listed = true;
	if (pos >= 0x100) {
		t->ext_seen = true;
		p->any_ext = true;
	}
	if (!strncmp(name, "Express", 7)) {
		parse_express(d, name);
	} else if (!strncmp(name, "Access Control Services", 23)) {
		d->acs_pos = (uint16_t)pos;
		t->in_cap = TC_ACS;
	} else if (!strncmp(name, "Single Root I/O Virtualization", 30)) {
		d->has_sriov = true;
		t->in_cap = TC_SRIOV;
	} else if (!strncmp(name, "Alternative Routing-ID", 22)) {
		d->ari = true;
	} else if (!strncmp(name, "Subsystem:", 10)) {
		unsigned int v, dv;

		/* bridges print their subsystem ids as a capability */
		if (find_ids((char *)name, &v, &dv)) {
			d->subvendor = (uint16_t)v;
			d->subdevice = (uint16_t)dv;
		}
	}
}

static void apply_group(struct tparse *p, int i, int group)
{
	p->m->devs[i].kernel_group = group;
	p->m->kernel_groups_known = true;
	p->n_group_lines++;
}

/* A device named only by a group listing line ("IOMMU Group 3 03:00.0
 * Ethernet controller [0200]: ..." or a sysfs path).
 */
static void listed_member(struct tparse *p, const char *s, int group)
{
	struct ax_addr a;
	int n = parse_addr(s, &a), i;
	char rest[512];

	if (!n)
		return;
	i = ax_find_from(p->m, p->first, a);
	if (i < (int)p->first && p->no_add) {
		p->n_absent++;
		return;
	}
	if (i < (int)p->first) {
		i = get_dev(p, a);
		if (i < 0)
			return;
		p->n_group_only++;
		snprintf(rest, sizeof(rest), "%s", s + n);
		parse_header_rest(&p->m->devs[i], td_of(p, i), trim(rest));
	}
	apply_group(p, i, group);
}

/* Group listing lines, wherever they are; true when s was one. */
static bool parse_group_line(struct tparse *p, char *s, bool indented)
{
	const char *q;
	int g, n = 0;

	q = strstr(s, "/sys/kernel/iommu_groups/");
	/* group ids are never negative: -1/-2 would pose as "none" */
	if (q && sscanf(q, "/sys/kernel/iommu_groups/%d/devices/%n", &g,
			&n) == 1 && n > 0 && g >= 0) {
		const char *addr = q + n;

		listed_member(p, addr, g);
		return true;
	}
	if (!strncasecmp(s, "IOMMU Group ", 12) &&
	    sscanf(s + 12, "%d%n", &g, &n) == 1 && g >= 0) {
		q = s + 12 + n;
		if (*q == ':' && !*trim((char *)q + 1)) {
			p->loop_group = g;	/* members follow, indented */
			return true;
		}
		while (*q == ':' || *q == ' ' || *q == '\t')
			q++;
		listed_member(p, q, g);
		return true;
	}
	if (indented && p->loop_group >= 0) {
		struct ax_addr a;

		if (parse_addr(s, &a)) {
			listed_member(p, s, p->loop_group);
			return true;
		}
	}
	return false;
}

static void parse_release(struct tparse *p, char *s)
{
	struct ax_machine *m = p->m;
	char a[65], b[65], c[65];

	if (p->after_uname) {
		p->after_uname = false;
		if (isdigit((unsigned char)s[0]) && strchr(s, '.') &&
		    !strchr(s, ' ') && strlen(s) < sizeof(m->kernel_release)) {
			snprintf(m->kernel_release, sizeof(m->kernel_release),
				 "%s", s);
			return;
		}
	}
	if (strstr(s, "uname -r") || strstr(s, "uname -a")) {
		p->after_uname = true;
		return;
	}
	/* uname -a: "Linux host 6.8.0-51-generic #52-Ubuntu SMP ..." */
	if (!strncmp(s, "Linux ", 6) && strstr(s, " #") &&
	    sscanf(s, "%64s %64s %64s", a, b, c) == 3 &&
	    isdigit((unsigned char)c[0]) && strchr(c, '.'))
		snprintf(m->kernel_release, sizeof(m->kernel_release), "%s", c);
}

static void parse_dev_line(struct tparse *p, char *s)
{
	struct ax_dev *d = &p->m->devs[p->cur];
	struct tdev *t = td_of(p, p->cur);
	unsigned int a, b, c;
	int g;

	if (!strncmp(s, "Capabilities:", 13)) {
		if (strstr(s, "<access denied>")) {
			t->denied = true;
			t->in_cap = TC_NONE;
		} else {
			parse_cap(p, d, t, s);
		}
		return;
	}
	if (!strncmp(s, "Subsystem:", 10)) {
		if (find_ids(s, &a, &b)) {
			d->subvendor = (uint16_t)a;
			d->subdevice = (uint16_t)b;
		}
	} else if (!strncmp(s, "Flags:", 6) && !t->caps_listed) {
		t->flags_seen = true;	/* lspci -v: capabilities follow */
	} else if (!strncmp(s, "Status:", 7) && !t->caps_listed) {
		t->status_seen = true;
		if (strstr(s, "Cap-"))
			t->cap_minus = true;
	} else if (!strncmp(s, "Physical Slot:", 14)) {
		snprintf(d->slot_name, sizeof(d->slot_name), "%s",
			 trim(s + 14));
	} else if (sscanf(s, "Bus: primary=%x, secondary=%x, subordinate=%x",
			  &a, &b, &c) == 3) {
		d->is_bridge = true;
		d->secondary = (uint8_t)b;
		d->subordinate = (uint8_t)c;
	} else if (sscanf(s, "IOMMU group: %d", &g) == 1 && g >= 0) {
		t->group_line = true;
		apply_group(p, p->cur, g);
	} else if (!strncmp(s, "Kernel driver in use:", 21)) {
		p->any_driver_line = true;
		snprintf(d->driver, sizeof(d->driver), "%s", trim(s + 21));
	} else if (!strncmp(s, "Kernel modules:", 15)) {
		p->any_driver_line = true;
		snprintf(d->modules, sizeof(d->modules), "%s", trim(s + 15));
	} else if (t->in_cap == TC_ACS && !strncmp(s, "ACSCap:", 7)) {
		d->acs_cap = parse_acs_bits(s + 7);
		t->acs_cap_seen = true;
	} else if (t->in_cap == TC_ACS && !strncmp(s, "ACSCtl:", 7)) {
		d->acs_ctrl = parse_acs_bits(s + 7);
		t->acs_ctl_seen = true;
	} else if (t->in_cap == TC_SRIOV && !strncmp(s, "IOVCtl:", 7)) {
		t->sriov_enabled = strstr(s, "Enable+") != NULL;
	} else if (t->in_cap == TC_SRIOV && strstr(s, "Number of VFs:")) {
		if (sscanf(strstr(s, "Number of VFs:"), "Number of VFs: %u",
			   &a) == 1)
			t->numvf = a;
	} else if (t->in_cap == TC_SRIOV &&
		   sscanf(s, "VF offset: %u, stride: %u, Device ID: %x",
			  &a, &b, &c) == 3) {
		t->vf_off = a;
		t->vf_stride = b;
		t->vf_device = (uint16_t)c;
		t->sriov_params = true;
	}
}

/* e-mail / forum quoting: "> 00:1c.0 ...", "> \tStatus: ..." */
static char *unquote(char *raw)
{
	while (raw[0] == '>' && (raw[1] == ' ' || raw[1] == '\t' ||
				 raw[1] == '>' || !raw[1]))
		raw += raw[1] == ' ' ? 2 : 1;
	return raw;
}

static void parse_line(struct tparse *p, char *raw)
{
	bool indented;
	char *s;

	raw = unquote(raw);
	indented = raw[0] == ' ' || raw[0] == '\t';
	s = trim(raw);
	struct ax_addr a;
	int n;

	if (!*s) {
		p->loop_group = -1;
		return;
	}
	parse_release(p, s);
	if (is_hex_line(s)) {
		p->has_hex = true;
		return;
	}
	if (parse_group_line(p, s, indented))
		return;
	if (!indented)
		p->loop_group = -1;
	n = parse_addr(s, &a);
	if (n && (s[n] == ' ' || s[n] == '\t')) {
		char rest[512];

		p->cur = get_dev(p, a);
		if (p->cur < 0)
			return;
		snprintf(rest, sizeof(rest), "%s", s + n);
		parse_header_rest(&p->m->devs[p->cur], td_of(p, p->cur),
				  trim(rest));
		return;
	}
	if (p->cur >= 0)
		parse_dev_line(p, s);
}

/*
 * Split buf into lines: CRLF, and library messages ("pcilib: ...",
 * "lspci: ...") that stderr interleaved into stdout.  Such a message cuts
 * the line it lands in; the rest of that line follows it on the next line.
 * Returns a NULL-terminated array of malloc'ed lines, NULL on no memory.
 */
static char **split_lines(const char *buf, size_t len, int *n_junk,
			  bool *unterminated)
{
	static const char *const junk[] = { "pcilib: ", "lspci: ", "setpci: " };
	char **v = NULL, *line;
	size_t nv = 0, cap = 0, i, k, s = 0;
	char *carry = NULL;

	*unterminated = len && buf[len - 1] != '\n';
	for (i = 0; i <= len; i++) {
		size_t e, cut = (size_t)-1;

		/* LF, CRLF, and old Mac CR-only line ends */
		if (i < len && buf[i] != '\n' && buf[i] != '\0' &&
		    !(buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n')))
			continue;
		if (i == len && s == len)
			break;
		e = i;
		while (e > s && buf[e - 1] == '\r')
			e--;
		line = malloc(e - s + 1 + (carry ? strlen(carry) : 0));
		if (!line)
			goto nomem;
		line[0] = '\0';
		if (carry)
			strcpy(line, carry);
		strncat(line, buf + s, e - s);
		free(carry);
		carry = NULL;
		s = i + 1;
		for (k = 0; k < AX_ARRAY_SIZE(junk); k++) {
			char *q = strstr(line, junk[k]);

			if (q && (size_t)(q - line) < cut)
				cut = (size_t)(q - line);
		}
		if (cut != (size_t)-1) {
			(*n_junk)++;
			if (cut > 0) {
				line[cut] = '\0';
				carry = line;	/* joins the next line */
			} else {
				free(line);
			}
			continue;
		}
		if (nv + 2 > cap) {
			char **nvv;

			cap = cap ? cap * 2 : 256;
			nvv = realloc(v, cap * sizeof(*v));
			if (!nvv) {
				free(line);
				goto nomem;
			}
			v = nvv;
		}
		v[nv++] = line;
		v[nv] = NULL;
	}
	if (carry) {
		if (nv + 2 > cap) {
			char **nvv = realloc(v, (nv + 2) * sizeof(*v));

			if (!nvv)
				goto nomem;
			v = nvv;
		}
		v[nv++] = carry;
		v[nv] = NULL;
		carry = NULL;
	}
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			goto nomem;
	}
	return v;
nomem:
	free(carry);
	for (i = 0; i < nv; i++)
		free(v[i]);
	free(v);
	return NULL;
}

static void free_lines(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* libpci reports a failed name lookup through a->error (fatal by
 * default); names are a nicety here, so only warn-level handlers.
 */
static void text_quiet(char *msg, ...)
{
	(void)msg;
}

/* Base classes pci.ids names (00-13, 40 coprocessor, ff unassigned). */
static bool class_base_named(unsigned int base)
{
	return base <= 0x13 || base == 0x40 || base == 0xff;
}

/* Vendors whose device names are looked up backwards, per report. */
#define REV_VENDORS 32

/* Per device: what the backwards name lookup found. */
struct rev_match {
	int vendor;		/* -1: none */
	int device;		/* -1: none */
	int hits;		/* device ids with this very name */
};

static bool name_lookup(struct pci_access *a, char *buf, size_t len,
			int flags, unsigned int v, unsigned int d)
{
	return pci_lookup_name(a, buf, (int)len,
			       flags | PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB,
			       v, d) != NULL;
}

/* Every class pci.ids names, in id order; one pass over the class ids
 * for the whole report instead of one per device.  NULL on no memory.
 */
struct class_name {
	unsigned int id;
	char *name;
};

static struct class_name *class_names(struct pci_access *a, size_t *np)
{
	struct class_name *c = NULL, *nc;
	size_t n = 0, cap = 0;
	unsigned int v;
	char buf[256];

	for (v = 0; v < 0x10000; v++) {
		if (!class_base_named(v >> 8) ||
		    !name_lookup(a, buf, sizeof(buf), PCI_LOOKUP_CLASS, v, 0))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			nc = realloc(c, cap * sizeof(*c));
			if (!nc)
				goto nomem;
			c = nc;
		}
		c[n].id = v;
		c[n].name = strdup(buf);
		if (!c[n].name)
			goto nomem;
		n++;
	}
	*np = n;
	return c ? c : calloc(1, sizeof(*c));
nomem:
	while (n--)
		free(c[n].name);
	free(c);
	return NULL;
}

static void free_class_names(struct class_name *c, size_t n)
{
	while (n--)
		free(c[n].name);
	free(c);
}

/*
 * Without -nn lspci prints only names; look the names up backwards in the
 * local pci.ids through libpci.  A name that matches no id or several
 * stays unknown (the reporter's pci.ids may differ from ours).  Returns
 * how many devices got their ids; *n_need is how many lacked them.
 */
static int reverse_ids(struct tparse *p, int *n_need)
{
	struct ax_machine *m = p->m;
	size_t n = m->n - p->first, i;
	struct rev_match *r = NULL;
	struct class_name *cn = NULL;
	size_t *same = NULL;
	int n_vendors = 0;
	struct pci_access *a;
	unsigned int v, dv;
	char buf[256];
	size_t ncn = 0, k;
	int found = 0;

	*n_need = 0;
	a = pci_alloc();
	if (!a)
		return 0;
	a->warning = text_quiet;
	a->debug = text_quiet;
	pci_init(a);
	/* classes: "PCI bridge" -> 0x0604 */
	for (i = p->first; i < m->n; i++) {
		struct tdev *t = td_of(p, (int)i);

		if (!t->class_known && t->classname[0] && !cn) {
			cn = class_names(a, &ncn);
			if (!cn)
				goto out;
		}
		for (k = 0; k < ncn && !t->class_known && t->classname[0]; k++)
			if (!strcmp(cn[k].name, t->classname)) {
				m->devs[i].class |= cn[k].id << 8;
				t->class_known = true;
			}
		if (!t->ids_known && t->rawname[0])
			(*n_need)++;
	}
	if (!*n_need)
		goto out;
	r = calloc(n, sizeof(*r));
	if (!r)
		goto out;
	for (i = 0; i < n; i++) {
		r[i].vendor = -1;
		r[i].device = -1;
	}
	/* vendor: the longest vendor name that prefixes the printed name */
	for (v = 0; v < 0xffff; v++) {
		size_t l;

		if (!name_lookup(a, buf, sizeof(buf), PCI_LOOKUP_VENDOR, v, 0))
			continue;
		l = strlen(buf);
		for (i = 0; i < n; i++) {
			struct tdev *t = &p->td[i];
			char cur[256];

			if (t->ids_known || strncmp(t->rawname, buf, l) ||
			    t->rawname[l] != ' ')
				continue;
			if (r[i].vendor >= 0 &&
			    name_lookup(a, cur, sizeof(cur), PCI_LOOKUP_VENDOR,
					(unsigned int)r[i].vendor, 0) &&
			    strlen(cur) >= l)
				continue;
			r[i].vendor = (int)v;
		}
	}
	/* device: one pass over the id space per vendor still open, for at
	 * most REV_VENDORS vendors (each pass is 64k lookups: a report made
	 * of every vendor in pci.ids would take minutes)
	 */
	same = calloc(n, sizeof(*same));
	if (!same)
		goto out;
	for (i = 0; i < n; i++) {
		size_t j, ns = 0, vl;
		int vv = r[i].vendor;
		char vn[256];

		if (vv < 0 || r[i].hits || p->td[i].ids_known)
			continue;
		for (j = i; j < n; j++)
			if (r[j].vendor == vv && !p->td[j].ids_known)
				same[ns++] = j;
		/* the vendor pass matched "vn " as a prefix of each rawname */
		if (n_vendors++ < REV_VENDORS &&
		    name_lookup(a, vn, sizeof(vn), PCI_LOOKUP_VENDOR,
				(unsigned int)vv, 0)) {
			vl = strlen(vn);
			for (dv = 0; dv < 0x10000; dv++) {
				if (!name_lookup(a, buf, sizeof(buf),
						 PCI_LOOKUP_DEVICE,
						 (unsigned int)vv, dv))
					continue;
				for (j = 0; j < ns; j++)
					if (!strcmp(p->td[same[j]].rawname + vl + 1,
						    buf)) {
						r[same[j]].device = (int)dv;
						r[same[j]].hits++;
					}
			}
		}
		/* mark every device of this vendor as searched */
		for (j = 0; j < ns; j++)
			if (!r[same[j]].hits)
				r[same[j]].hits = -1;
	}
	if (n_vendors > REV_VENDORS)
		ax_machine_note(m, "text: devices of %d vendors without ids: names looked up for the first %d vendors only",
				n_vendors, REV_VENDORS);
	for (i = 0; i < n; i++) {
		struct ax_dev *d = &m->devs[p->first + i];
		struct tdev *t = &p->td[i];
		const char *dn;
		char vn[256];

		if (t->ids_known || r[i].vendor < 0)
			continue;
		/* "Device 1453": a device pci.ids did not know */
		if (r[i].hits <= 0 &&
		    name_lookup(a, vn, sizeof(vn), PCI_LOOKUP_VENDOR,
				(unsigned int)r[i].vendor, 0)) {
			dn = t->rawname + strlen(vn) + 1;
			if (strlen(dn) == 11 &&
			    sscanf(dn, "Device %4x", &dv) == 1) {
				r[i].device = (int)dv;
				r[i].hits = 1;
			}
		}
		if (r[i].hits != 1)
			continue;	/* none, or ambiguous */
		d->vendor = (uint16_t)r[i].vendor;
		d->device = (uint16_t)r[i].device;
		t->ids_known = true;
		found++;
	}
out:
	free(same);
	free(r);
	if (cn)
		free_class_names(cn, ncn);
	pci_cleanup(a);
	return found;
}

static bool intel_spt(const struct ax_dev *d)
{
	return ax_intel_spt_acs_dword_layout(d->vendor, d->device,
					     d->is_pcie &&
					     d->pcie_type == AX_EXP_ROOT_PORT);
}

/* Conclusions over the whole text once every line is read. */
static void finish_text(struct tparse *p, bool config_from_dump)
{
	struct ax_machine *m = p->m;
	int n_denied = 0, n_no_ext = 0, n_acs_bits = 0, n_spt = 0;
	int n_need = 0, n_rev = 0, n_mf = 0, n_hdrless = 0;
	char spt_first[AX_ADDR_STRLEN] = "", buf[AX_ADDR_STRLEN];
	size_t i, j;

	if (!config_from_dump)
		n_rev = reverse_ids(p, &n_need);
	for (i = p->first; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];
		struct tdev *t = td_of(p, (int)i);

		if (m->kernel_groups_known && !t->group_line &&
		    d->kernel_group == AX_GROUP_UNKNOWN)
			d->kernel_group = AX_GROUP_NONE; /* lspci prints one */
		d->driver_known = p->any_driver_line;
		if (config_from_dump)
			continue;
		if (d->is_bridge)
			d->hdr_type = 1;
		if ((d->class >> 8) == 0x0607) {
			d->hdr_type = 2;
			d->is_bridge = true;
		}
		if (!t->status_seen && !t->flags_seen && !t->caps_listed &&
		    !t->denied)
			n_hdrless++;
		if (t->denied) {
			n_denied++;
		} else if (d->acs_pos) {
			if (!t->acs_cap_seen || !t->acs_ctl_seen) {
				n_acs_bits++;
			} else if (intel_spt(d)) {
				/* ACSCap is right (low word of the cap
				 * dword); ACSCtl is the cap's high word.
				 */
				d->acs_dword_layout = true;
				d->acs_ctrl = 0;
				if (!n_spt++)
					snprintf(spt_first, sizeof(spt_first),
						 "%s", ax_addr_str(d->addr, buf));
			} else {
				d->acs_known = true;
			}
		} else if (!d->is_pcie && (t->cap_minus || t->caps_listed ||
					   t->flags_seen)) {
			d->acs_known = true;	/* conventional: no ACS */
		} else if (d->is_pcie && (t->ext_seen || p->any_ext)) {
			d->acs_known = true;	/* ext space read, no ACS */
		} else if (d->is_pcie) {
			n_no_ext++;
		}
		if (t->sriov_enabled && t->sriov_params)
			ax_place_vfs(m, p->first, i, t->numvf, t->vf_off,
				     t->vf_stride, t->vf_device);
	}
	if (config_from_dump)
		goto notes;
	/* multifunction: several functions listed in one slot */
	for (i = p->first; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];

		if (d->is_virtfn)
			continue;
		if (AX_FUNC(d->addr.devfn)) {
			d->multifunction = true;
			continue;
		}
		for (j = p->first; j < m->n; j++)
			if (j != i && !m->devs[j].is_virtfn &&
			    m->devs[j].addr.domain == d->addr.domain &&
			    m->devs[j].addr.bus == d->addr.bus &&
			    AX_SLOT(m->devs[j].addr.devfn) ==
			    AX_SLOT(d->addr.devfn))
				d->multifunction = true;
		n_mf += d->multifunction;
	}
notes:
	if (n_denied)
		ax_machine_note(m, "text: %d device(s) show 'Capabilities: <access denied>' (lspci not run as root): PCIe type, ACS, SR-IOV unknown",
				n_denied);
	if (n_spt)
		ax_machine_note(m, "text: lspci misreads ACSCtl of Intel PCH root port(s) with dword ACS registers (first %s): their ACS control is unknown",
				spt_first);
	if (n_acs_bits)
		ax_machine_note(m, "text: ACS capability listed without ACSCap/ACSCtl lines on %d device(s) (lspci -v, or cut short): ACS unknown",
				n_acs_bits);
	if (n_no_ext)
		ax_machine_note(m, "text: no extended capabilities shown for %d PCIe device(s): ACS unknown, not absent",
				n_no_ext);
	if (n_need)
		ax_machine_note(m, "text: no [vendor:device] ids (lspci without -nn): %d of %d found by name in local pci.ids, the rest unknown (0000:0000)",
				n_rev, n_need);
	if (n_hdrless && !config_from_dump)
		ax_machine_note(m, "text: %d device(s) have no -v detail lines: bus ranges (topology), PCIe type, ACS unknown",
				n_hdrless);
	if (p->n_group_only)
		ax_machine_note(m, "groups: %d device(s) appear only in the group listing, not in the lspci report",
				p->n_group_only);
	if (p->n_junk)
		ax_machine_note(m, "text: %d interleaved library message(s) removed, cut lines rejoined",
				p->n_junk);
	if (p->unterminated)
		ax_machine_note(m, "text: input ends in the middle of a line: report may be truncated");
	/* least telling last: m->notes has room for eight */
	if (!config_from_dump)
		ax_machine_note(m, "text: header type not printed by lspci: multifunction inferred from functions listed per slot (%d slots), a lone function 0 taken as single",
				n_mf);
}

static void tparse_init(struct tparse *p, struct ax_machine *m)
{
	memset(p, 0, sizeof(*p));
	p->m = m;
	p->first = m->n;
	p->cur = -1;
	p->loop_group = -1;
}

static int parse_lines(struct tparse *p, const char *buf, size_t len,
		       char ***linesp, char *err, size_t errlen)
{
	char **lines;
	size_t i;

	lines = split_lines(buf, len, &p->n_junk, &p->unterminated);
	if (!lines) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; lines[i]; i++) {
		char *copy = strdup(lines[i]);

		if (!copy) {
			free_lines(lines);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		parse_line(p, copy);
		free(copy);
	}
	if (linesp)
		*linesp = lines;
	else
		free_lines(lines);
	return 0;
}

/*
 * The report carries hex dumps: config facts come from them (the hex
 * lines and device lines only: the text around them, and library
 * messages that cut a hex line, are not dump lines); the text adds
 * kernel-side facts.
 */
static int text_with_dump(struct ax_machine *m, struct tparse *tp,
			  char **lines, char *err, size_t errlen)
{
	struct ax_machine *t = tp->m;
	size_t first = m->n, i, n = 0;
	char **dump;
	int ret;

	for (i = 0; lines[i]; i++)
		;
	dump = malloc((i + 1) * sizeof(*dump));
	if (!dump) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; lines[i]; i++) {
		char *s = lines[i];
		struct ax_addr a;

		if (is_hex_line(trim(s)) ||
		    (s[0] != ' ' && s[0] != '\t' && parse_addr(s, &a)))
			dump[n++] = trim(s);
	}
	dump[n] = NULL;
	ret = ax_dump_lines(m, "hex lines", dump, err, errlen);
	free(dump);
	if (ret)
		return ret;
	for (i = first; i < m->n; i++) {
		int k = ax_find_from(t, 0, m->devs[i].addr);

		if (k < 0)
			continue;
		m->devs[i].kernel_group = t->devs[k].kernel_group;
		m->devs[i].driver_known = t->devs[k].driver_known;
		memcpy(m->devs[i].driver, t->devs[k].driver,
		       sizeof(m->devs[i].driver));
		memcpy(m->devs[i].slot_name, t->devs[k].slot_name,
		       sizeof(m->devs[i].slot_name));
		memcpy(m->devs[i].modules, t->devs[k].modules,
		       sizeof(m->devs[i].modules));
	}
	m->kernel_groups_known |= t->kernel_groups_known;
	if (!m->kernel_release[0])
		memcpy(m->kernel_release, t->kernel_release,
		       sizeof(m->kernel_release));
	for (i = 0; i < (size_t)t->n_notes; i++)
		ax_machine_note(m, "%s", t->notes[i]);
	return 0;
}

/* Move the scratch machine t (text facts) into m. */
static int adopt_text(struct ax_machine *m, struct ax_machine *t,
		      char *err, size_t errlen)
{
	size_t first = m->n, i;
	int k;

	for (i = 0; i < t->n; i++) {
		struct ax_dev *d = ax_machine_add(m);

		if (!d) {
			m->n = first;
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		*d = t->devs[i];
		if (d->physfn >= 0)
			d->physfn += (int)first;
	}
	m->kernel_groups_known |= t->kernel_groups_known;
	if (!m->kernel_release[0])
		memcpy(m->kernel_release, t->kernel_release,
		       sizeof(m->kernel_release));
	for (k = 0; k < t->n_notes; k++)
		ax_machine_note(m, "%s", t->notes[k]);
	m->source = AX_SRC_LSPCI_TEXT;
	return 0;
}

int ax_source_text(struct ax_machine *m, const char *buf, size_t len,
		   char *err, size_t errlen)
{
	struct ax_machine t;
	struct tparse p;
	char **lines = NULL;
	char why[160];
	int ret = -1;

	/* Parse into a scratch machine: the text may turn out to carry
	 * hex dumps, and then libpci reads the config facts.
	 */
	ax_machine_init(&t);
	tparse_init(&p, &t);
	if (parse_lines(&p, buf, len, &lines, err, errlen))
		goto out;
	if (t.n == 0) {
		snprintf(err, errlen,
			 "no PCI device line (bb:dd.f ...) in the report: not lspci output");
		goto out;
	}
	if (p.has_hex) {
		finish_text(&p, true);
		ret = text_with_dump(m, &p, lines, why, sizeof(why));
		if (!ret)
			goto out;
		/* hex blocks cut short or missing for some device: the text
		 * is all there is
		 */
		free_lines(lines);
		lines = NULL;
		free(p.td);
		ax_machine_free(&t);
		ax_machine_init(&t);
		tparse_init(&p, &t);
		if (parse_lines(&p, buf, len, NULL, err, errlen))
			goto out;
		ax_machine_note(&t, "text: hex dump blocks unusable (%.100s): facts from the text",
				why);
	}
	finish_text(&p, false);
	ret = adopt_text(m, &t, err, errlen);
out:
	free_lines(lines);
	free(p.td);
	ax_machine_free(&t);
	return ret;
}

int ax_parse_group_listing(struct ax_machine *m, const char *buf,
			   size_t len, char *err, size_t errlen)
{
	struct tparse p;
	char **lines;
	size_t i;

	tparse_init(&p, m);
	p.first = 0;		/* group lines apply to devices already read */
	p.no_add = true;	/* m may be sorted and linked already */
	lines = split_lines(buf, len, &p.n_junk, &p.unterminated);
	if (!lines) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; lines[i]; i++) {
		char *s = lines[i];
		bool indented = s[0] == ' ' || s[0] == '\t';

		s = trim(s);
		if (!*s)
			p.loop_group = -1;
		else if (!parse_group_line(&p, s, indented) && !indented)
			p.loop_group = -1;
	}
	free_lines(lines);
	if (!p.n_group_lines && !p.n_absent) {
		snprintf(err, errlen,
			 "no IOMMU group line (/sys/kernel/iommu_groups/N/devices/... or 'IOMMU Group N ...') in the group listing");
		return -1;
	}
	for (i = 0; i < m->n; i++)
		if (m->devs[i].kernel_group == AX_GROUP_UNKNOWN)
			m->devs[i].kernel_group = AX_GROUP_NONE;
	if (p.n_absent)
		ax_machine_note(m, "groups: %d device(s) in the group listing are not in the report: ignored",
				p.n_absent);
	return 0;
}

void ax_release_from_name(struct ax_machine *m, const char *path)
{
	const char *base = strrchr(path, '/'), *q;

	if (m->kernel_release[0])
		return;
	base = base ? base + 1 : path;
	/* {type}__{vendor}__...__{OS}__{kernel}__{arch}__{probe}: the first
	 * '_'-separated field shaped like a release ("6.8.0-51-GENERIC")
	 */
	for (q = base; *q; q += strcspn(q, "_")) {
		size_t n, k;

		q += strspn(q, "_");
		n = strcspn(q, "_");
		if (n < 3 || n >= sizeof(m->kernel_release) ||
		    !isdigit((unsigned char)q[0]))
			continue;
		for (k = 1; k < n && isdigit((unsigned char)q[k]); k++)
			;
		if (q[k] != '.' || !isdigit((unsigned char)q[k + 1]))
			continue;
		for (k = 0; k < n && (isalnum((unsigned char)q[k]) ||
				      strchr(".-+", q[k])); k++)
			;
		if (k != n)
			continue;
		for (k = 0; k < n; k++)
			m->kernel_release[k] = (char)tolower((unsigned char)q[k]);
		m->kernel_release[n] = '\0';
		return;
	}
}

int ax_detect_format(const char *buf, size_t len)
{
	size_t i = 0, s;
	int headers = 0, hex = 0, detail = 0, groups = 0, lines = 0;

	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	if (i < len && buf[i] == '{')
		return AX_FMT_SNAPSHOT;
	for (i = 0; i < len && lines < 200000; i = s + 1) {
		char line[256];
		size_t n;
		struct ax_addr a;
		bool ind;
		char *t;

		for (s = i; s < len && buf[s] != '\n' && buf[s] != '\r'; s++)
			;
		n = s - i < sizeof(line) - 1 ? s - i : sizeof(line) - 1;
		memcpy(line, buf + i, n);
		line[n] = '\0';
		lines++;
		t = unquote(line);
		ind = t[0] == ' ' || t[0] == '\t';
		t = trim(t);
		if (!*t)
			continue;
		if (is_hex_line(t))
			hex++;
		else if (strstr(t, "/sys/kernel/iommu_groups/") ||
			 !strncasecmp(t, "IOMMU Group ", 12))
			groups++;
		else if (!ind && parse_addr(t, &a))
			headers++;
		else if (ind)
			detail++;
	}
	if (headers && detail)
		return AX_FMT_LSPCI_TEXT;
	if (headers && hex)
		return AX_FMT_DUMP;
	if (groups)
		return AX_FMT_GROUPS;
	if (headers)
		return AX_FMT_LSPCI_TEXT;	/* plain lspci [-nn] */
	return AX_FMT_UNKNOWN;
}
