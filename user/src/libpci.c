// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/libpci.c - what libpci is for here: live config space (its sysfs
 * method), names from pci.ids, and lspci's -s/-d device selectors.  Dumps
 * are read by src/hexdump.c; both decode through src/cfgspace.c.
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
 * the caller with the message instead.
 */
static jmp_buf lib_jmp;
static char lib_errmsg[256];

static void PCI_NONRET lib_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(lib_errmsg, sizeof(lib_errmsg), msg, ap);
	va_end(ap);
	longjmp(lib_jmp, 1);
}

static void lib_quiet(char *msg, ...)
{
	(void)msg;
}

/* How many bytes of config space libpci can read for d: 64, 256, 4096,
 * or something in between when extended space is cut short.
 */
static int cfg_len(struct pci_dev *d)
{
	u8 buf[AX_CFG_SIZE];
	int len;

	if (pci_read_block(d, 0, buf, AX_CFG_SIZE))
		return AX_CFG_SIZE;
	if (!pci_read_block(d, 0, buf, 64))
		return 0;
	if (!pci_read_block(d, 0, buf, 256))
		return 64;
	for (len = 256; len < AX_CFG_SIZE; len += 16)
		if (!pci_read_block(d, len, buf, 16))
			break;
	return len;
}

int ax_find_from(const struct ax_machine *m, size_t first, struct ax_addr a)
{
	size_t i;

	for (i = first; i < m->n; i++)
		if (!ax_addr_cmp(m->devs[i].addr, a))
			return (int)i;
	return -1;
}

/* Every function libpci scanned on the live machine into m; -1 with err. */
static int live_fill(struct ax_machine *m, struct pci_access *a, char *err,
		     size_t errlen)
{
	struct ax_cfg_gaps gaps;
	struct ax_cfg_pf *pfs = NULL;
	struct pci_dev **pd, *d;
	size_t first = m->n, nd = 0, n_pfs = 0, i;
	uint8_t cfg[AX_CFG_SIZE];
	int ret = -1;

	memset(&gaps, 0, sizeof(gaps));
	for (d = a->devices; d; d = d->next)
		nd++;
	if (!nd) {
		snprintf(err, errlen, "sysfs: no PCI function");
		return -1;
	}
	pd = calloc(nd, sizeof(*pd));
	pfs = calloc(nd, sizeof(*pfs));
	if (!pd || !pfs) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/* libpci lists the functions last first: keep its scan order */
	i = nd;
	for (d = a->devices; d; d = d->next)
		pd[--i] = d;
	for (i = 0; i < nd; i++) {
		int len = cfg_len(pd[i]);
		struct ax_cfg_sriov sr;
		struct ax_dev *dev;

		if (len < 64) {
			snprintf(err, errlen,
				 "sysfs: %04x:%02x:%02x.%d has less than the 64-byte config header",
				 pd[i]->domain, pd[i]->bus, pd[i]->dev,
				 pd[i]->func);
			goto out;
		}
		dev = ax_machine_add(m);
		if (!dev) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		memset(cfg, 0xff, sizeof(cfg));
		pci_read_block(pd[i], 0, cfg, len);
		dev->addr.domain = (uint32_t)pd[i]->domain;
		dev->addr.bus = pd[i]->bus;
		dev->addr.devfn = AX_DEVFN(pd[i]->dev, pd[i]->func);
		ax_cfg_decode(dev, cfg, len, &gaps, &sr);
		if (dev->has_sriov && sr.vf_enable) {
			pfs[n_pfs].idx = m->n - 1;
			pfs[n_pfs++].sr = sr;
		}
	}
	ax_cfg_finish(m, first, pfs, n_pfs, &gaps, true);
	ret = 0;
out:
	free(pfs);
	free(pd);
	return ret;
}

/* setjmp() lives here, with no local that changes after it. */
static int sysfs_load(struct ax_machine *m, struct pci_access *a,
		      char *err, size_t errlen)
{
	if (setjmp(lib_jmp)) {
		snprintf(err, errlen, "cannot read PCI config space: %s",
			 lib_errmsg);
		return -1;
	}
	pci_init(a);
	pci_scan_bus(a);
	return live_fill(m, a, err, errlen);
}

/*
 * The live machine through libpci's sysfs method, decoded as a dump is
 * (src/cfgspace.c).  Without root, sysfs gives 64 bytes per function and
 * ACS is unknown, which the gap notes say.
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
	a->error = lib_error;
	a->warning = lib_quiet;
	a->debug = lib_quiet;
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
	a->error = lib_error;
	a->warning = lib_quiet;
	a->debug = lib_quiet;
	/* setjmp() here, with no local that changes after it */
	if (!setjmp(lib_jmp))
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
