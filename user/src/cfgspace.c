// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/cfgspace.c - facts from the bytes of one function's config space,
 * whoever read them: an lspci -x hex dump (src/hexdump.c), the hex blocks
 * of an lspci text report (src/text.c), or live config space through
 * libpci (src/libpci.c).  One decoder, so every config source agrees.
 * A dump holds 64, 256 or 4096 bytes per function; whatever lies beyond
 * what it holds is unknown, not absent.
 */
#include <stdio.h>
#include <string.h>

#include <pci/pci.h>

#include "source.h"

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

/* Reads past config space give all ones, as libpci's do. */
static uint8_t rd8(const uint8_t *cfg, unsigned int pos)
{
	return pos < AX_CFG_SIZE ? cfg[pos] : 0xff;
}

static uint16_t rd16(const uint8_t *cfg, unsigned int pos)
{
	return (uint16_t)(rd8(cfg, pos) | rd8(cfg, pos + 1) << 8);
}

static uint32_t rd32(const uint8_t *cfg, unsigned int pos)
{
	return (uint32_t)rd16(cfg, pos) | (uint32_t)rd16(cfg, pos + 2) << 16;
}

/* Capability positions, 0 when absent: libpci's pci_find_cap() answer
 * (its list is built by prepending, so of two with one id the last in
 * chain order wins).
 */
struct caps {
	unsigned int exp, acs, sriov, ari;
	unsigned int ssvid;	/* the first, as pci_find_capability() */
};

/* pci_scan_trad_caps() and pci_scan_ext_caps() over the bytes. */
static void scan_caps(const uint8_t *cfg, struct caps *c)
{
	uint8_t been[256], been_ext[AX_CFG_SIZE];
	unsigned int where;

	memset(c, 0, sizeof(*c));
	if (!(rd16(cfg, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return;
	memset(been, 0, sizeof(been));
	where = rd8(cfg, PCI_CAPABILITY_LIST) & ~3u;
	while (where) {
		uint8_t id = rd8(cfg, where + PCI_CAP_LIST_ID);
		unsigned int next = rd8(cfg, where + PCI_CAP_LIST_NEXT) & ~3u;

		if (been[where]++ || id == 0xff)
			break;
		if (id == PCI_CAP_ID_EXP)
			c->exp = where;
		if (id == PCI_CAP_ID_SSVID && !c->ssvid)
			c->ssvid = where;
		where = next;
	}
	/* extended capabilities only behind a PCIe capability */
	if (!c->exp)
		return;
	memset(been_ext, 0, sizeof(been_ext));
	where = 0x100;
	do {
		uint32_t header = rd32(cfg, where);

		if (!header || header == 0xffffffff || been_ext[where]++)
			break;
		switch (header & 0xffff) {
		case PCI_EXT_CAP_ID_ACS:
			c->acs = where;
			break;
		case PCI_EXT_CAP_ID_SRIOV:
			c->sriov = where;
			break;
		case PCI_EXT_CAP_ID_ARI:
			c->ari = where;
			break;
		}
		where = (header >> 20) & ~3u;
	} while (where);
}

static void decode_acs(struct ax_dev *dev, const uint8_t *cfg, int len,
		       unsigned int pos, struct ax_cfg_gaps *gaps)
{
	char buf[AX_ADDR_STRLEN];

	if (len >= 256 && !dev->is_pcie) {
		/* ACS is an extended capability: conventional PCI has none. */
		dev->acs_known = true;
		return;
	}
	if (len < AX_CFG_SIZE && (!pos || (int)pos + 12 > len)) {
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
	if (!pos)
		return;
	dev->acs_pos = (uint16_t)pos;
	dev->acs_dword_layout =
		ax_intel_spt_acs_dword_layout(dev->vendor, dev->device,
					      dev->is_pcie &&
					      dev->pcie_type ==
					      AX_EXP_ROOT_PORT);
	if (dev->acs_dword_layout) {
		/* Capability and control are 32-bit registers at +4 and +8
		 * (kernel: INTEL_SPT_ACS_CTRL); only the low bits matter.
		 */
		dev->acs_cap = (uint16_t)rd32(cfg, pos + PCI_ACS_CAP);
		dev->acs_ctrl = (uint16_t)rd32(cfg, pos + 8);
	} else {
		dev->acs_cap = rd16(cfg, pos + PCI_ACS_CAP);
		dev->acs_ctrl = rd16(cfg, pos + PCI_ACS_CTRL);
	}
}

void ax_cfg_decode(struct ax_dev *dev, const uint8_t *cfg, int len,
		   struct ax_cfg_gaps *gaps, struct ax_cfg_sriov *sr)
{
	struct caps c;
	uint8_t ht;

	memset(sr, 0, sizeof(*sr));
	dev->vendor = rd16(cfg, PCI_VENDOR_ID);
	dev->device = rd16(cfg, PCI_DEVICE_ID);
	dev->class = rd32(cfg, PCI_CLASS_REVISION) >> 8;
	dev->revision = rd8(cfg, PCI_REVISION_ID);
	ht = rd8(cfg, PCI_HEADER_TYPE);
	dev->hdr_type = ht & 0x7f;
	/* the kernel's flag: bit 7 of the function's own header, and always
	 * set for functions 1-7 (pci_scan_slot())
	 */
	dev->multifunction = (ht & 0x80) || AX_FUNC(dev->addr.devfn);
	dev->hdr_mf_known = true;
	dev->hdr_mf = (ht & 0x80) != 0;
	dev->is_bridge = dev->hdr_type == PCI_HEADER_TYPE_BRIDGE ||
			 dev->hdr_type == PCI_HEADER_TYPE_CARDBUS;
	if (dev->is_bridge) {
		dev->secondary = rd8(cfg, PCI_SECONDARY_BUS);
		dev->subordinate = rd8(cfg, PCI_SUBORDINATE_BUS);
	}
	if (dev->hdr_type == PCI_HEADER_TYPE_NORMAL) {
		dev->subvendor = rd16(cfg, PCI_SUBSYSTEM_VENDOR_ID);
		dev->subdevice = rd16(cfg, PCI_SUBSYSTEM_ID);
	} else if (dev->hdr_type == PCI_HEADER_TYPE_CARDBUS) {
		dev->subvendor = rd16(cfg, PCI_CB_SUBSYSTEM_VENDOR_ID);
		dev->subdevice = rd16(cfg, PCI_CB_SUBSYSTEM_ID);
	}
	/* the kernel side is unknown: no group, no driver, no flags */
	dev->kernel_group = AX_GROUP_UNKNOWN;
	/* names: ax_fill_names(), for every source alike */

	if (len < 256) {
		/* The capability list starts at 0x40 at the earliest. */
		gaps->hdr_only++;
		return;
	}
	scan_caps(cfg, &c);
	/* pci_setup_device(): a bridge's subsystem IDs are those of its
	 * SSVID capability (pci=disable_acs_redir=pci:v:d:sv:sd matches them)
	 */
	if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE && c.ssvid) {
		dev->subvendor = rd16(cfg, c.ssvid + PCI_SSVID_VENDOR);
		dev->subdevice = rd16(cfg, c.ssvid + PCI_SSVID_DEVICE);
	}
	if (c.exp) {
		uint16_t fl = rd16(cfg, c.exp + PCI_EXP_FLAGS);

		dev->is_pcie = true;
		dev->pcie_type = (enum ax_pcie_type)
			((fl & PCI_EXP_FLAGS_TYPE) >> 4);
		/* only ports have a slot; lspci prints Slot+ for them */
		if (dev->pcie_type == AX_EXP_ROOT_PORT ||
		    dev->pcie_type == AX_EXP_DOWNSTREAM) {
			dev->slot_known = true;
			dev->has_slot = (fl & PCI_EXP_FLAGS_SLOT) != 0;
		}
	}
	decode_acs(dev, cfg, len, c.acs, gaps);
	if (c.sriov) {
		dev->has_sriov = true;
		sr->vf_enable = rd16(cfg, c.sriov + PCI_IOV_CTRL) &
				PCI_IOV_CTRL_VFE;
		sr->numvf = rd16(cfg, c.sriov + PCI_IOV_NUMVF);
		sr->offset = rd16(cfg, c.sriov + PCI_IOV_OFFSET);
		sr->stride = rd16(cfg, c.sriov + PCI_IOV_STRIDE);
		sr->vf_device = rd16(cfg, c.sriov + PCI_IOV_DID);
	}
	if (c.ari)
		dev->ari = true;
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

void ax_cfg_finish(struct ax_machine *m, size_t first,
		   const struct ax_cfg_pf *pfs, size_t n_pfs,
		   struct ax_cfg_gaps *g, bool live)
{
	const char *src = live ? "config space" : "dump";
	size_t i;

	/* Config space does not mark a VF (its vendor ID even reads ffff);
	 * its PF's SR-IOV capability places it while VF Enable is set.
	 */
	for (i = 0; i < n_pfs; i++)
		ax_place_vfs(m, first, pfs[i].idx, pfs[i].sr.numvf,
			     pfs[i].sr.offset, pfs[i].sr.stride,
			     pfs[i].sr.vf_device);
	for (i = first; i < m->n; i++)
		if (m->devs[i].vendor == 0xffff && !m->devs[i].is_virtfn)
			g->orphan_ffff++;
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
