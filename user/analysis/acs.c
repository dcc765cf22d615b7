// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * analysis/acs.c - pci_acs_enabled(dev, REQ_ACS_FLAGS) re-done from facts: vendor
 * quirks first (in table order, for the kernel release asked for), then the
 * rules per device type, then the ACS registers.  Every answer says what it
 * rests on, because that is what the explanation prints.
 */
#include <stdio.h>
#include <string.h>

#include "acs_kernel.h"
#include "analysis.h"
#include "iommu_scope.h"
#include "quirks.h"
#include "uapi/linux/acs_inspect.h"

/* pci_acs_ctrl_enabled(): all requested flags are in the enabled set. */
static int ctrl_enabled(uint16_t req, uint16_t ena)
{
	return (req & ena) == req;
}

static bool id_in_ranges(enum axq_acs_kind kind, uint16_t vendor,
			 uint16_t device, const struct ax_profile *p)
{
	size_t i;

	for (i = 0; i < axq_id_ranges_len; i++) {
		const struct axq_id_range *r = &axq_id_ranges[i];

		if (r->kind == kind && r->vendor == vendor &&
		    device >= r->lo && device <= r->hi &&
		    axq_in_stable(r->first, r->last, r->bp, r->n_bp, p->kver,
				  ax_sublevel(p)))
			return true;
	}
	return false;
}

static bool is_type(const struct ax_dev *d, enum ax_pcie_type t)
{
	return d->is_pcie && d->pcie_type == t;
}

/*
 * The control word the kernel would see: the registers as read, plus
 * what the kernel itself switches on at boot when an IOMMU requests ACS,
 * then the kernel parameters (acs_kernel.c).
 */
uint16_t ax_effective_acs_ctrl(const struct ax_machine *m,
			       const struct ax_dev *d,
			       const struct ax_profile *p)
{
	return ax_kernel_acs_ctrl(m, (int)(d - m->devs), p, NULL, 0);
}

/* pci_acs_flags_enabled(): flags missing from the capability are taken
 * as hard-wired on, except egress control.
 */
static int flags_enabled(const struct ax_machine *m, const struct ax_dev *d,
			 const struct ax_profile *p, uint16_t flags,
			 uint16_t *missing)
{
	uint16_t ctrl;

	*missing = 0;
	if (!d->acs_pos)
		return 0;
	flags &= ax_kernel_acs_cap(d, p) | AX_ACS_EC;
	ctrl = ax_effective_acs_ctrl(m, d, p);
	*missing = flags & (uint16_t)~ctrl;
	return (ctrl & flags) == flags;
}

/*
 * One quirk callback.  Returns -1 for "not mine" (-ENOTTY), else 0/1.
 * Mirrors drivers/pci/quirks.c; see quirks-db/callbacks.tsv.
 */
static int eval_quirk(const struct ax_machine *m, const struct ax_dev *d,
		      const struct ax_profile *p, enum axq_acs_kind kind,
		      uint16_t flags, char *why, size_t whylen)
{
	int kver = p->kver;

	switch (kind) {
	case AXQ_AMD_SB:
		/* only multifunction devices on the root bus, and only with
		 * an AMD IOMMU (IVRS table)
		 */
		if (!d->multifunction || !d->on_root_bus)
			return -1;
		{
			char ev[96];

			if (!ax_ivrs_evidence(m, ev, sizeof(ev))) {
				snprintf(why, whylen,
					 "AMD southbridge quirk needs an AMD IOMMU (IVRS table): %s",
					 ev);
				return -1;
			}
			snprintf(why, whylen,
				 "AMD southbridge quirk: no peer-to-peer with an AMD IOMMU (IVRS: %s)",
				 ev);
		}
		flags &= AX_ACS_RR | AX_ACS_CR | AX_ACS_EC | AX_ACS_DT;
		return ctrl_enabled(flags, AX_ACS_RR | AX_ACS_CR);
	case AXQ_MF_ENDPOINT:
		snprintf(why, whylen,
			 "vendor quirk: functions do not do peer-to-peer");
		return ctrl_enabled(flags, AX_ACS_SV | AX_ACS_TB | AX_ACS_RR |
				    AX_ACS_CR | AX_ACS_UF | AX_ACS_DT);
	case AXQ_RCIEP:
		if (!is_type(d, AX_EXP_RC_END))
			return -1;
		snprintf(why, whylen,
			 "Intel RCiEP quirk: peer-to-peer only on translated addresses");
		return ctrl_enabled(flags, AX_REQ_ACS_FLAGS);
	case AXQ_QCOM_RP:
	case AXQ_NXP_RP:
	case AXQ_BRCM:
	case AXQ_LOONGSON:
	case AXQ_XGENE:
		snprintf(why, whylen,
			 "vendor quirk: root port blocks peer-to-peer without advertising ACS");
		return ctrl_enabled(flags, AX_REQ_ACS_FLAGS);
	case AXQ_INTEL_PCH:
		if (!is_type(d, AX_EXP_ROOT_PORT) ||
		    !id_in_ranges(kind, d->vendor, d->device, p))
			return -1;
		/*
		 * Isolated only if the kernel's enable quirk ran at boot and
		 * set PCI_DEV_FLAGS_ACS_ENABLED_QUIRK.  It runs only when an
		 * IOMMU requested ACS; 5.9 skipped it for ports without an
		 * ACS capability (52fbf5bdeeef), fixed in 5.10.
		 */
		if (d->kernel_facts) {
			bool on = d->dev_flags & AX_DEVFL_ACS_ENABLED_QUIRK;

			snprintf(why, whylen,
				 "Intel PCH root-port quirk: the kernel %s its ACS workaround on this port",
				 on ? "enabled" : "did not enable");
			return ctrl_enabled(flags, on ? AX_REQ_ACS_FLAGS : 0);
		}
		if (kver == AX_KVER(5, 9) && !d->acs_pos) {
			snprintf(why, whylen,
				 "Intel PCH root-port quirk: kernel 5.9 does not run its enable step for ports without an ACS capability (52fbf5bdeeef); 5.8 and 5.10 and later isolate this port");
			return ctrl_enabled(flags, 0);
		}
		if (m->iommu != AX_IOMMU_ON && !ax_acs_kernel_enables(m, p)) {
			snprintf(why, whylen,
				 "Intel PCH root-port quirk: enabled only when an IOMMU requests ACS at boot");
		} else {
			snprintf(why, whylen,
				 "Intel PCH root-port quirk (ACS workaround assumed enabled at boot)%s",
				 d->acs_pos ? "" :
				 "; kernel 5.9 does not enable it and groups these ports together");
		}
		return ctrl_enabled(flags, AX_REQ_ACS_FLAGS);
	case AXQ_INTEL_SPT_PCH:
		if (!is_type(d, AX_EXP_ROOT_PORT) || !d->acs_pos ||
		    !id_in_ranges(kind, d->vendor, d->device, p))
			return -1;
		if (!d->acs_known)
			return -1;
		{
			uint16_t miss;
			int r = flags_enabled(m, d, p, flags, &miss);

			snprintf(why, whylen,
				 "Intel Sunrise Point quirk reads the dword-wide ACS control at +8: %s",
				 r ? "controls on" : m->iommu == AX_IOMMU_ON ||
				 ax_acs_kernel_enables(m, p) ? "controls off" :
				 "controls off; a kernel with an IOMMU switches them on at boot");
			return r;
		}
	case AXQ_CAVIUM:
		if (!is_type(d, AX_EXP_ROOT_PORT) ||
		    !id_in_ranges(kind, d->vendor, d->device, p))
			return -1;
		snprintf(why, whylen, "Cavium root-port quirk");
		return ctrl_enabled(flags, AX_REQ_ACS_FLAGS);
	case AXQ_ZHAOXIN:
		if (!is_type(d, AX_EXP_ROOT_PORT) &&
		    !is_type(d, AX_EXP_DOWNSTREAM))
			return -1;
		if (id_in_ranges(kind, d->vendor, d->device, p)) {
			snprintf(why, whylen, "Zhaoxin port quirk: isolated");
			return ctrl_enabled(flags, AX_REQ_ACS_FLAGS);
		}
		snprintf(why, whylen,
			 "Zhaoxin port quirk: ports not in its list are treated as not isolating");
		return 0;
	case AXQ_AL:
		if (!is_type(d, AX_EXP_ROOT_PORT))
			return -1;
		flags &= (uint16_t)~AX_REQ_ACS_FLAGS;
		snprintf(why, whylen,
			 "Annapurna Labs quirk: each root port is its own segment");
		return !flags;
	case AXQ_WANGXUN:
		if (id_in_ranges(kind, d->vendor, d->device, p)) {
			snprintf(why, whylen,
				 "Wangxun NIC quirk: functions do not do peer-to-peer");
			return ctrl_enabled(flags, AX_REQ_ACS_FLAGS);
		}
		snprintf(why, whylen,
			 "Wangxun NIC quirk: devices not in its list are treated as not isolating");
		return 0;
	case AXQ_ACS_UNKNOWN:
		break;
	}
	return -1;
}

/* The out-of-tree ACS override patch: last entry of the quirk table. */
static int eval_override(const struct ax_dev *d, const struct ax_profile *p)
{
	int i;

	if (!d->is_pcie || d->acs_pos)
		return -1;
	for (i = 0; i < p->n_ovr_ids; i++)
		if (p->ovr_ids[i] == ((uint32_t)d->vendor << 16 | d->device))
			return 1;
	switch (d->pcie_type) {
	case AX_EXP_DOWNSTREAM:
	case AX_EXP_ROOT_PORT:
		if (p->ovr_downstream)
			return 1;
		break;
	case AX_EXP_ENDPOINT:
	case AX_EXP_UPSTREAM:
	case AX_EXP_LEG_END:
	case AX_EXP_RC_END:
		if (p->ovr_multifunction && d->multifunction)
			return 1;
		break;
	default:
		break;
	}
	return -1;
}

/*
 * Capabilities not readable (a report taken without root, a short dump),
 * but the kernel's groups are known: they show what the kernel decided.
 * A port that does not isolate has the devices below it in its group; a
 * function that does not isolate shares its group with another function
 * of its slot.  Labelled as an inference, never as a register fact.
 */
static void infer_from_groups(const struct ax_machine *m, int idx,
			      struct ax_acs_verdict *v)
{
	const struct ax_dev *d = &m->devs[idx];
	size_t t;

	v->isolated = true;
	v->basis = AX_ACS_BY_INFERRED;
	for (t = 0; t < m->n && v->isolated; t++) {
		const struct ax_dev *o = &m->devs[t];
		int h;

		if ((int)t == idx || o->kernel_group != d->kernel_group)
			continue;
		if (o->addr.domain == d->addr.domain &&
		    o->addr.bus == d->addr.bus &&
		    AX_SLOT(o->addr.devfn) == AX_SLOT(d->addr.devfn) &&
		    d->multifunction)
			v->isolated = false;
		for (h = o->parent; h >= 0 && v->isolated;
		     h = m->devs[h].parent)
			if (h == idx)
				v->isolated = false;
	}
	snprintf(v->why, sizeof(v->why),
		 "ACS registers not readable; the kernel's groups show it %s",
		 v->isolated ? "isolates" : "does not isolate");
}

static void verdict(struct ax_acs_verdict *v, bool iso, enum ax_acs_basis b,
		    const char *fmt, const char *arg)
{
	v->isolated = iso;
	v->basis = b;
	snprintf(v->why, sizeof(v->why), fmt, arg);
}

void ax_acs_enabled(const struct ax_machine *m, int idx,
		    const struct ax_profile *p, struct ax_acs_verdict *v)
{
	const struct ax_dev *d = &m->devs[idx];
	const uint16_t flags = AX_REQ_ACS_FLAGS;
	char why[200];
	size_t i;
	int i2;
	uint16_t miss;

	memset(v, 0, sizeof(*v));
	v->quirk = -1;

	/*
	 * acs_inspect saw the kernel's own pci_acs_enabled() answer for this
	 * device (a kretprobe while it was added): nothing is more exact,
	 * unless we are asked about another release or a what-if.
	 */
	if (d->kernel_verdict_known &&
	    d->kernel_verdict_origin == ACSI_ORIGIN_KPROBE &&
	    !p->hypothetical) {
		/* "isolated" without a quirk for a function above 0 whose
		 * header lacks the multifunction bit: the kprobe saw it added
		 * after boot, before pci_scan_slot() marked it multifunction
		 * (compare.c); the same call now answers from its registers
		 */
		if (d->kernel_isolated && d->quirk_result_known &&
		    d->quirk_result < 0 && AX_FUNC(d->addr.devfn) &&
		    !d->is_virtfn && d->multifunction &&
		    !(d->hdr_mf_known && d->hdr_mf)) {
			struct ax_profile now = *p;

			now.hypothetical = true;
			ax_acs_enabled(m, idx, &now, v);
			if (!v->isolated) {
				v->isolated = true;
				v->basis = AX_ACS_BY_KERNEL;
				v->late_single = true;
				snprintf(v->why, sizeof(v->why), "%s",
					 "the kernel answered isolated (seen by acs_inspect) only because the function was added after boot without the multifunction header bit: its registers do not isolate it");
				return;
			}
			memset(v, 0, sizeof(*v));
			v->quirk = -1;
		}
		v->isolated = d->kernel_isolated;
		v->basis = AX_ACS_BY_KERNEL;
		snprintf(v->why, sizeof(v->why),
			 "the kernel's pci_acs_enabled() answered %s (seen by acs_inspect)%s",
			 d->kernel_isolated ? "isolated" : "not isolated",
			 !d->quirk_result_known ? "" :
			 d->quirk_result < 0 ? "; no vendor quirk matched" :
			 "; its vendor quirk table decided");
		return;
	}

	/* --what-if quirk=: a vendor's proposed isolation quirk */
	for (i2 = 0; i2 < p->n_extra_quirks; i2++) {
		if (p->extra_quirk_ids[i2] ==
		    ((uint32_t)d->vendor << 16 | d->device)) {
			verdict(v, true, AX_ACS_BY_OVERRIDE,
				"%s", "simulated vendor quirk (what-if): treated as isolated");
			return;
		}
	}

	/* pci_dev_specific_acs_enabled(): first entry returning >= 0 */
	for (i = 0; i < axq_acs_table_len; i++) {
		const struct axq_acs_entry *q = &axq_acs_table[i];
		int r;

		if (!axq_in_stable(q->first, q->last, q->bp, q->n_bp, p->kver,
				   ax_sublevel(p)))
			continue;
		if (q->vendor != 0xffff && q->vendor != d->vendor)
			continue;
		if (q->device != AXQ_ANY && q->device != d->device)
			continue;
		why[0] = 0;
		r = eval_quirk(m, d, p, q->kind, flags, why, sizeof(why));
		if (r < 0)
			continue;
		v->quirk = (int)i;
		verdict(v, r > 0, AX_ACS_BY_QUIRK, "%s", why);
		return;
	}
	if (!d->acs_known && m->kernel_groups_known &&
	    m->iommu == AX_IOMMU_ON && d->kernel_group >= 0) {
		infer_from_groups(m, idx, v);
		return;
	}
	if (eval_override(d, p) > 0) {
		verdict(v, true, AX_ACS_BY_OVERRIDE, "%s",
			"pcie_acs_override pretends this device has ACS (no hardware isolation)");
		return;
	}

	if (!d->is_pcie) {
		verdict(v, false, AX_ACS_BY_TYPE, "%s",
			"conventional PCI: no ACS, never isolated");
		return;
	}
	switch (d->pcie_type) {
	case AX_EXP_PCIE_BRIDGE:
	case AX_EXP_PCI_BRIDGE:
	case AX_EXP_RC_EC:
		verdict(v, false, AX_ACS_BY_TYPE, "%s (never isolated)",
			ax_pcie_type_name(d));
		return;
	case AX_EXP_DOWNSTREAM:
	case AX_EXP_ROOT_PORT:
		break;
	case AX_EXP_ENDPOINT:
	case AX_EXP_UPSTREAM:
	case AX_EXP_LEG_END:
	case AX_EXP_RC_END:
		if (!d->multifunction) {
			verdict(v, true, AX_ACS_BY_TYPE,
				"single-function %s: isolated by definition",
				ax_pcie_type_name(d));
			return;
		}
		break;
	default:
		verdict(v, true, AX_ACS_BY_TYPE, "%s",
			"PCIe type without ACS rules: isolated");
		return;
	}
	if (!d->acs_known) {
		/* Without extended config space we cannot see ACS.  Say so,
		 * and assume the common case: a port or function without it.
		 */
		verdict(v, false, AX_ACS_BY_UNKNOWN, "%s",
			"ACS registers not readable (needs root / extended config space); assumed absent");
		return;
	}
	if (!d->acs_pos) {
		verdict(v, false, AX_ACS_BY_REGISTERS, "%s",
			"no ACS capability");
		return;
	}
	if (d->acs_dword_layout) {
		/* Only the SPT quirk reads these right; a kernel without it
		 * reads the high half of the capability dword at +6: zero.
		 */
		v->missing = flags & d->acs_cap;
		verdict(v, false, AX_ACS_BY_REGISTERS, "%s",
			"dword-layout ACS and this kernel has no quirk to read it: control reads as off");
		return;
	}
	v->isolated = flags_enabled(m, d, p, flags, &miss);
	v->missing = miss;
	v->basis = AX_ACS_BY_REGISTERS;
	if (v->isolated && !(d->acs_cap & AX_REQ_ACS_FLAGS)) {
		snprintf(v->why, sizeof(v->why),
			 "ACS capability implements none of SV/RR/CR/UF (cap %04x): the kernel takes them as hard-wired on",
			 d->acs_cap);
	} else if (v->isolated) {
		uint16_t eff = ax_effective_acs_ctrl(m, d, p);
		char read[64] = "";

		if (eff != d->acs_ctrl)
			snprintf(read, sizeof(read),
				 " as the kernel sets it at boot; read %04x",
				 d->acs_ctrl);
		snprintf(v->why, sizeof(v->why),
			 "ACS capability with SV/RR/CR/UF enabled or hard-wired (cap %04x ctrl %04x%s)",
			 d->acs_cap, eff, read);
	} else {
		char names[64] = "";
		static const char *const bit[] = { "SV", "TB", "RR", "CR",
						   "UF", "EC", "DT" };
		int b;

		for (b = 0; b < 7; b++)
			if (miss & (1u << b)) {
				strcat(names, names[0] ? "," : "");
				strcat(names, bit[b]);
			}
		snprintf(v->why, sizeof(v->why),
			 "ACS capability present but %s off (cap %04x ctrl %04x)%s",
			 names, d->acs_cap, ax_effective_acs_ctrl(m, d, p),
			 m->iommu == AX_IOMMU_ON || ax_acs_kernel_enables(m, p) ||
			 ax_acs_requested_late(m, p) != AX_ACS_LATE_NO ? "" :
			 "; a kernel with an IOMMU switches them on at boot");
	}
}
