// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/libpci.c - facts from an `lspci -x/-xxx/-xxxx` dump through libpci's
 * dump access method.  A dump holds 64, 256 or 4096 bytes per function;
 * whatever lies beyond what it holds is unknown, not absent.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "source.h"

/* libpci's default error handler exits the process; ours returns to
 * ax_source_dump() with the message instead.
 */
static jmp_buf dump_jmp;
static char dump_errmsg[256];

static void PCI_NONRET dump_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(dump_errmsg, sizeof(dump_errmsg), msg, ap);
	va_end(ap);
	longjmp(dump_jmp, 1);
}

static void dump_quiet(char *msg, ...)
{
	(void)msg;
}


bool ax_intel_spt_acs_dword_layout(uint16_t vendor, uint16_t device,
				   bool is_root_port)
{
	if (vendor != 0x8086 || !is_root_port)
		return false;
	return (device >= 0xa110 && device <= 0xa11f) ||
	       (device >= 0xa167 && device <= 0xa16a) ||
	       (device >= 0xa290 && device <= 0xa29f) ||
	       (device >= 0xa2e7 && device <= 0xa2ee) ||
	       (device >= 0x9d10 && device <= 0x9d1b);
}

/* How many bytes of config space the dump holds for d: 64, 256, 4096, or
 * something in between when the dump was cut inside extended space.
 */
static int dump_cfg_len(struct pci_dev *d)
{
	u8 buf[4096];
	int len;

	if (pci_read_block(d, 0, buf, 4096))
		return 4096;
	if (!pci_read_block(d, 0, buf, 64))
		return 0;
	if (!pci_read_block(d, 0, buf, 256))
		return 64;
	for (len = 256; len < 4096; len += 16)
		if (!pci_read_block(d, len, buf, 16))
			break;
	return len;
}

static uint32_t rd32(struct pci_dev *d, int pos)
{
	return pci_read_long(d, pos);
}

static uint16_t rd16(struct pci_dev *d, int pos)
{
	return pci_read_word(d, pos);
}

/* Counts of what the dump could not show, for one note each. */
struct dump_gaps {
	int hdr_only;		/* 64-byte dump: no capabilities */
	int no_ext;		/* PCIe function without extended space */
	int cut_ext;		/* extended space cut short */
	int orphan_ffff;	/* vendor ffff not placed by any PF */
	char first_no_ext[AX_ADDR_STRLEN];
};

static void fill_acs(struct ax_dev *dev, struct pci_dev *d, int len,
		     struct dump_gaps *gaps)
{
	struct pci_cap *cap;
	char buf[AX_ADDR_STRLEN];

	dev->acs_origin = AX_ORIG_CONFIG;
	if (len >= 256 && !dev->is_pcie) {
		/* ACS is an extended capability: conventional PCI has none. */
		dev->acs_known = true;
		return;
	}
	cap = pci_find_cap(d, PCI_EXT_CAP_ID_ACS, PCI_CAP_EXTENDED);
	if (len < 4096 && (!cap || (int)cap->addr + 12 > len)) {
		if (len == 256) {
			if (!gaps->no_ext++)
				snprintf(gaps->first_no_ext,
					 sizeof(gaps->first_no_ext), "%s",
					 ax_addr_str(dev->addr, buf));
		} else {
			gaps->cut_ext++;
		}
		return;
	}
	dev->acs_known = true;
	if (!cap)
		return;
	dev->acs_pos = cap->addr;
	dev->acs_dword_layout =
		ax_intel_spt_acs_dword_layout(dev->vendor, dev->device,
					      dev->is_pcie &&
					      dev->pcie_type ==
					      AX_EXP_ROOT_PORT);
	if (dev->acs_dword_layout) {
		/* Capability and control are 32-bit registers at +4 and +8
		 * (kernel: INTEL_SPT_ACS_CTRL); only the low bits matter.
		 */
		dev->acs_cap = (uint16_t)rd32(d, cap->addr + PCI_ACS_CAP);
		dev->acs_ctrl = (uint16_t)rd32(d, cap->addr + 8);
	} else {
		dev->acs_cap = rd16(d, cap->addr + PCI_ACS_CAP);
		dev->acs_ctrl = rd16(d, cap->addr + PCI_ACS_CTRL);
	}
	dev->acs_egress_bits = PCI_ACS_CAP_VECTOR(dev->acs_cap);
}

static void fill_dev(struct ax_dev *dev,
		     struct pci_dev *d, int len, struct dump_gaps *gaps)
{
	struct pci_cap *cap;
	uint8_t ht;

	dev->addr.domain = (uint32_t)d->domain;
	dev->addr.bus = d->bus;
	dev->addr.devfn = AX_DEVFN(d->dev, d->func);
	dev->vendor = rd16(d, PCI_VENDOR_ID);
	dev->device = rd16(d, PCI_DEVICE_ID);
	dev->class = rd32(d, PCI_CLASS_REVISION) >> 8;
	dev->revision = pci_read_byte(d, PCI_REVISION_ID);
	ht = pci_read_byte(d, PCI_HEADER_TYPE);
	dev->hdr_type = ht & 0x7f;
	/* the kernel's flag: bit 7 of the function's own header, and always
	 * set for functions 1-7 (pci_scan_slot())
	 */
	dev->multifunction = (ht & 0x80) || d->func;
	dev->hdr_mf_known = true;
	dev->hdr_mf = (ht & 0x80) != 0;
	dev->is_bridge = dev->hdr_type == PCI_HEADER_TYPE_BRIDGE ||
			 dev->hdr_type == PCI_HEADER_TYPE_CARDBUS;
	if (dev->is_bridge) {
		dev->secondary = pci_read_byte(d, PCI_SECONDARY_BUS);
		dev->subordinate = pci_read_byte(d, PCI_SUBORDINATE_BUS);
	}
	if (dev->hdr_type == PCI_HEADER_TYPE_NORMAL) {
		dev->subvendor = rd16(d, PCI_SUBSYSTEM_VENDOR_ID);
		dev->subdevice = rd16(d, PCI_SUBSYSTEM_ID);
	} else if (dev->hdr_type == PCI_HEADER_TYPE_CARDBUS) {
		dev->subvendor = rd16(d, PCI_CB_SUBSYSTEM_VENDOR_ID);
		dev->subdevice = rd16(d, PCI_CB_SUBSYSTEM_ID);
	}
	/* the kernel side is unknown: no group, no driver, no flags */
	dev->kernel_group = AX_GROUP_UNKNOWN;
	/* names: ax_fill_names(), for every source alike */

	if (len < 256) {
		/* The capability list starts at 0x40 at the earliest. */
		gaps->hdr_only++;
		return;
	}
	pci_fill_info(d, PCI_FILL_CAPS | PCI_FILL_EXT_CAPS);
	cap = pci_find_cap(d, PCI_CAP_ID_EXP, PCI_CAP_NORMAL);
	if (cap) {
		dev->is_pcie = true;
		uint16_t fl = rd16(d, cap->addr + PCI_EXP_FLAGS);

		dev->pcie_type = (enum ax_pcie_type)
			((fl & PCI_EXP_FLAGS_TYPE) >> 4);
		/* only ports have a slot; lspci prints Slot+ for them */
		if (dev->pcie_type == AX_EXP_ROOT_PORT ||
		    dev->pcie_type == AX_EXP_DOWNSTREAM) {
			dev->slot_known = true;
			dev->has_slot = (fl & PCI_EXP_FLAGS_SLOT) != 0;
		}
	}
	fill_acs(dev, d, len, gaps);
	if (pci_find_cap(d, PCI_EXT_CAP_ID_SRIOV, PCI_CAP_EXTENDED))
		dev->has_sriov = true;
	if (pci_find_cap(d, PCI_EXT_CAP_ID_ARI, PCI_CAP_EXTENDED))
		dev->ari = true;
	cap = pci_find_cap(d, PCI_EXT_CAP_ID_ATS, PCI_CAP_EXTENDED);
	if (cap && (rd16(d, cap->addr + PCI_ATS_CTRL) & PCI_ATS_CTRL_ENABLE))
		dev->ats_enabled = true;
}

int ax_find_from(const struct ax_machine *m, size_t first, struct ax_addr a)
{
	size_t i;

	for (i = first; i < m->n; i++)
		if (!ax_addr_cmp(m->devs[i].addr, a))
			return (int)i;
	return -1;
}

void ax_place_vfs(struct ax_machine *m, size_t first, size_t pf,
		  unsigned int numvf, unsigned int offset, unsigned int stride,
		  uint16_t vf_device)
{
	const struct ax_dev *p = &m->devs[pf];
	uint64_t base;
	size_t j;

	/* Walk the functions, not the VF numbers: NumVFs, offset and stride
	 * come from the input (up to 2^32 in text), and a stride of 0 puts
	 * every VF at one routing ID.
	 */
	base = (((unsigned int)p->addr.bus << 8) | p->addr.devfn) +
	       (uint64_t)offset;
	for (j = first; j < m->n; j++) {
		struct ax_dev *v = &m->devs[j];
		uint64_t vrid = ((unsigned int)v->addr.bus << 8) | v->addr.devfn;
		uint64_t k;

		if (j == pf || v->addr.domain != p->addr.domain || vrid < base)
			continue;
		if (stride) {
			if ((vrid - base) % stride)
				continue;
			k = (vrid - base) / stride;
		} else {
			if (vrid != base)
				continue;
			k = 0;
		}
		if (k >= numvf)
			continue;
		v->is_virtfn = true;
		v->physfn = (int)pf;	/* ax_machine_link() remaps */
		if (v->vendor == 0xffff) {
			/* a VF's own ID registers read ffff */
			v->vendor = p->vendor;
			v->device = vf_device;
		}
	}
}

/* Config space does not mark a VF (its vendor ID even reads ffff); its
 * PF's SR-IOV capability places it while VF Enable is set.
 */
static void mark_vfs(struct ax_machine *m, size_t first,
		     struct pci_dev **pd)
{
	size_t i;

	for (i = first; i < m->n; i++) {
		struct pci_dev *d = pd[i - first];
		struct pci_cap *cap;

		if (!m->devs[i].has_sriov)
			continue;
		cap = pci_find_cap(d, PCI_EXT_CAP_ID_SRIOV, PCI_CAP_EXTENDED);
		if (!cap || !(rd16(d, cap->addr + PCI_IOV_CTRL) & PCI_IOV_CTRL_VFE))
			continue;
		ax_place_vfs(m, first, i, rd16(d, cap->addr + PCI_IOV_NUMVF),
			     rd16(d, cap->addr + PCI_IOV_OFFSET),
			     rd16(d, cap->addr + PCI_IOV_STRIDE),
			     rd16(d, cap->addr + PCI_IOV_DID));
	}
}

/* live: read from this machine's sysfs, not from a dump file. */
static void note_gaps(struct ax_machine *m, const struct dump_gaps *g,
		      bool live)
{
	const char *src = live ? "config space" : "dump";

	if (g->hdr_only)
		ax_machine_note(m, "%s: %d function(s) have only the 64-byte header (%s): PCIe type, ACS, SR-IOV unknown",
				src, g->hdr_only,
				live ? "not root" : "lspci -x, or not run as root");
	if (g->no_ext)
		ax_machine_note(m, "%s: no extended config space for %d PCIe function(s) (first %s): ACS unknown, not absent%s",
				src, g->no_ext, g->first_no_ext,
				live ? "" : "; use lspci -xxxx as root");
	if (g->cut_ext)
		ax_machine_note(m, "%s: extended config space cut short for %d function(s): their ACS is unknown",
				src, g->cut_ext);
	if (g->orphan_ffff)
		ax_machine_note(m, "%s: %d function(s) read vendor ffff and no PF's SR-IOV capability places them: VF status unknown",
				src, g->orphan_ffff);
}

/* Every function libpci scanned (dump, or live sysfs) into m; -1 with err. */
static int dump_fill(struct ax_machine *m, struct pci_access *a,
		     const char *path, bool live, char *err, size_t errlen)
{
	struct dump_gaps gaps;
	struct pci_dev **pd, *d;
	size_t first = m->n, nd = 0, i;
	int ret = -1;

	memset(&gaps, 0, sizeof(gaps));
	for (d = a->devices; d; d = d->next)
		nd++;
	if (!nd) {
		snprintf(err, errlen,
			 "%s: no PCI function in it (not an lspci -x/-xxx/-xxxx dump)",
			 path);
		return -1;
	}
	pd = calloc(nd, sizeof(*pd));
	if (!pd) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* libpci lists the dump's functions last first: keep file order */
	i = nd;
	for (d = a->devices; d; d = d->next)
		pd[--i] = d;
	for (i = 0; i < nd; i++) {
		int len = dump_cfg_len(pd[i]);
		struct ax_dev *dev;

		if (len < 64) {
			snprintf(err, errlen,
				 "%s: truncated dump: %04x:%02x:%02x.%d has less than the 64-byte config header",
				 path, pd[i]->domain, pd[i]->bus, pd[i]->dev,
				 pd[i]->func);
			goto out;
		}
		dev = ax_machine_add(m);
		if (!dev) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		fill_dev(dev, pd[i], len, &gaps);
	}
	mark_vfs(m, first, pd);
	for (i = first; i < m->n; i++)
		if (m->devs[i].vendor == 0xffff && !m->devs[i].is_virtfn)
			gaps.orphan_ffff++;
	note_gaps(m, &gaps, live);
	ret = 0;
out:
	free(pd);
	return ret;
}

/* setjmp() lives here, with no local that changes after it. */
static int dump_load(struct ax_machine *m, struct pci_access *a,
		     const char *path, char *err, size_t errlen)
{
	if (setjmp(dump_jmp)) {
		snprintf(err, errlen,
			 "%s: unreadable dump (truncated, or not lspci -x output): %s",
			 path, dump_errmsg);
		return -1;
	}
	pci_set_param(a, "dump.name", (char *)path);
	pci_init(a);
	pci_scan_bus(a);
	return dump_fill(m, a, path, false, err, errlen);
}

int ax_source_dump(struct ax_machine *m, const char *path,
		   char *err, size_t errlen)
{
	struct pci_access *a;
	size_t first = m->n;
	FILE *f;
	int ret;

	/* libpci reports a missing file through a->error; say it plainly. */
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	fclose(f);
	a = pci_alloc();
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->error = dump_error;
	a->warning = dump_quiet;
	a->debug = dump_quiet;
	a->method = PCI_ACCESS_DUMP;
	ret = dump_load(m, a, path, err, errlen);
	if (ret) {
		m->n = first;	/* no half-read machine */
	} else {
		m->source = AX_SRC_DUMP;
		snprintf(m->source_name, sizeof(m->source_name), "%s", path);
	}
	pci_cleanup(a);
	return ret;
}

/* setjmp() lives here, with no local that changes after it. */
static int sysfs_load(struct ax_machine *m, struct pci_access *a,
		      char *err, size_t errlen)
{
	if (setjmp(dump_jmp)) {
		snprintf(err, errlen, "cannot read PCI config space: %s",
			 dump_errmsg);
		return -1;
	}
	pci_init(a);
	pci_scan_bus(a);
	return dump_fill(m, a, "sysfs", true, err, errlen);
}

/*
 * The live machine through libpci's sysfs method: the same config-space
 * decoding as for a dump.  Without root, sysfs gives 64 bytes per
 * function and ACS is unknown, which the gap notes say.
 */
int ax_source_libpci_sysfs(struct ax_machine *m, char *err, size_t errlen)
{
	struct pci_access *a = pci_alloc();
	size_t first = m->n;
	int ret;

	if (!a) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->error = dump_error;
	a->warning = dump_quiet;
	a->debug = dump_quiet;
	a->method = PCI_ACCESS_SYS_BUS_PCI;
	ret = sysfs_load(m, a, err, errlen);
	if (ret)
		m->n = first;
	pci_cleanup(a);
	return ret;
}

static void names_loop(struct ax_machine *m, struct pci_access *a)
{
	char vendor[128];
	size_t i;

	for (i = 0; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];

		if (d->name[0] || d->vendor == 0xffff)
			continue;
		if (pci_lookup_name(a, d->name, sizeof(d->name),
				    PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE |
				    PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB,
				    d->vendor, d->device))
			continue;
		/* a device newer than pci.ids: "Intel Corporation Device",
		 * the ids follow it as in lspci -nn
		 */
		d->name[0] = '\0';
		if (pci_lookup_name(a, vendor, sizeof(vendor),
				    PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS |
				    PCI_LOOKUP_NO_HWDB, d->vendor))
			snprintf(d->name, sizeof(d->name), "%.100s Device",
				 vendor);
	}
}

/*
 * Names from pci.ids for devices a source gave only numbers for (the
 * module sends ids, not names).  libpci's name list needs no access
 * method; an unreadable list only costs the names.
 */
void ax_fill_names(struct ax_machine *m)
{
	struct pci_access *a = pci_alloc();

	if (!a)
		return;
	a->error = dump_error;
	a->warning = dump_quiet;
	a->debug = dump_quiet;
	/* setjmp() here, with no local that changes after it */
	if (!setjmp(dump_jmp))
		names_loop(m, a);
	pci_cleanup(a);
}

/*
 * A device selector as lspci takes it: libpci parses -s ([[domain:]bus:]
 * [slot][.[func]]) and -d ([vendor]:[device]); an exact vendor:device is
 * an id, anything else is tried as a slot first.
 */
int ax_selector_parse(const char *s, struct ax_selector *sel)
{
	struct pci_filter f;
	char buf[64];
	uint16_t v, d;
	bool ok;

	/* libpci takes "" as "any device", and -d's vendor:device:class
	 * would read 0000:01:20 as class 20: one selector is one device
	 * form, and an ID has exactly one colon
	 */
	if (!s[0] || strlen(s) >= sizeof(buf))
		return -1;
	pci_filter_init(NULL, &f);
	snprintf(buf, sizeof(buf), "%s", s);
	if (!ax_id_parse(s, &v, &d)) {
		ok = !pci_filter_parse_id(&f, buf);
	} else {
		ok = !pci_filter_parse_slot(&f, buf);
		if (!ok && strchr(s, ':') && strchr(s, ':') == strrchr(s, ':')) {
			pci_filter_init(NULL, &f);
			snprintf(buf, sizeof(buf), "%s", s);
			ok = !pci_filter_parse_id(&f, buf);
		}
	}
	if (!ok)
		return -1;
	sel->domain = f.domain;
	sel->bus = f.bus;
	sel->slot = f.slot;
	sel->func = f.func;
	sel->vendor = f.vendor;
	sel->device = f.device;
	return 0;
}
