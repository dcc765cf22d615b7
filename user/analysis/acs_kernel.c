// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * acs_kernel.c - the ACS control word the kernel leaves on each device.
 *
 * On x86 the IOMMU drivers call pci_request_acs() before the PCI scan
 * (intel/dmar.c, amd/init.c), so pci_enable_acs() switches SV/RR/CR/UF on
 * for every device that implements them while the bus is enumerated, and
 * the groups are formed from those controls.  Facts taken with the IOMMU
 * off show the firmware's controls instead.  The kernel parameters
 * pci=disable_acs_redir= (4.19) and pci=config_acs= (6.11) are applied in
 * either case, with pci_dev_str_match() semantics, and their arithmetic
 * changed twice (drivers/pci/pci.c of 6.1, 6.11 and 6.15; Debian's 6.12.y
 * has the 6.15 form since 6.12.23).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acs_kernel.h"
#include "quirks.h"

#define REDIR (AX_ACS_RR | AX_ACS_CR | AX_ACS_EC)
#define ALL_ACS (AX_ACS_SV | AX_ACS_TB | AX_ACS_RR | AX_ACS_CR | AX_ACS_UF | \
		 AX_ACS_EC | AX_ACS_DT)

/* pci_upstream_bridge(): a VF's bridge is its PF's. */
static int upstream_bridge(const struct ax_machine *m, int idx)
{
	const struct ax_dev *d = &m->devs[idx];

	if (d->is_virtfn && d->physfn >= 0)
		d = &m->devs[d->physfn];
	return d->parent;
}

/*
 * The kernel's vsscanf() for formats made of %x conversions and literal
 * characters ('x' in fmt stands for %x): a number may follow spaces and
 * take a "0x" prefix only when a hex digit follows (glibc's sscanf would
 * also eat a bare "0x").  Returns the conversions done; *end is where
 * scanning stopped.
 */
static int kscan(const char *s, const char *fmt, unsigned long long *v,
		 const char **end)
{
	int n = 0;

	for (; *fmt; fmt++) {
		if (*fmt != 'x') {
			if (*s != *fmt)
				break;
			s++;
			continue;
		}
		while (isspace((unsigned char)*s))
			s++;
		if (s[0] == '0' && tolower((unsigned char)s[1]) == 'x' &&
		    isxdigit((unsigned char)s[2]))
			s += 2;
		if (!isxdigit((unsigned char)*s))
			break;
		v[n] = 0;
		while (isxdigit((unsigned char)*s)) {
			int c = tolower((unsigned char)*s++);

			v[n] = v[n] * 16 + (unsigned long long)
			       (c <= '9' ? c - '0' : c - 'a' + 10);
		}
		n++;
	}
	*end = s;
	return n;
}

/* sscanf(s, fmt "%c") == conversions: all of s used, nothing after */
static bool kscan_all(const char *s, const char *fmt, unsigned long long *v)
{
	const char *e;
	int want = 0;
	const char *f;

	for (f = fmt; *f; f++)
		want += *f == 'x';
	return kscan(s, fmt, v, &e) == want && !*e;
}

/* pci_dev_str_match_path(): the path ends at ';' only. */
static int match_path(const struct ax_machine *m, int idx, const char *path,
		      const char **end)
{
	unsigned long long v[4];
	unsigned long long seg, bus;
	char *wpath, *p;
	size_t n = strcspn(path, ";");
	int ret;

	*end = path + n;
	wpath = strndup(path, n);
	if (!wpath)
		return -1;
	while ((p = strrchr(wpath, '/'))) {
		if (!kscan_all(p, "/x.x", v)) {
			ret = -1;
			goto out;
		}
		if (m->devs[idx].addr.devfn !=
		    AX_DEVFN((unsigned int)v[0], (unsigned int)v[1])) {
			ret = 0;
			goto out;
		}
		idx = upstream_bridge(m, idx);
		if (idx < 0) {
			ret = 0;
			goto out;
		}
		*p = '\0';
	}
	if (kscan_all(wpath, "x:x:x.x", v)) {
		seg = v[0];
		bus = v[1];
		v[0] = v[2];
		v[1] = v[3];
	} else if (kscan_all(wpath, "x:x.x", v)) {
		seg = 0;
		bus = v[0];
		v[0] = v[1];
		v[1] = v[2];
	} else {
		ret = -1;
		goto out;
	}
	/* sscanf's %x stores an unsigned int */
	ret = (uint32_t)seg == (uint32_t)m->devs[idx].addr.domain &&
	      (uint32_t)bus == m->devs[idx].addr.bus &&
	      m->devs[idx].addr.devfn ==
	      AX_DEVFN((unsigned int)v[0], (unsigned int)v[1]);
out:
	free(wpath);
	return ret;
}

int ax_kparam_match(const struct ax_machine *m, int idx, const char *p,
		    const char **end)
{
	const struct ax_dev *d = &m->devs[idx];
	unsigned long long v[4];
	unsigned short ven, dv, sv = 0, sd = 0;
	const char *e;

	if (strncmp(p, "pci:", 4))
		return match_path(m, idx, p, end);
	/* "A value of 0 for any field will match all devices." (%hx) */
	p += 4;
	if (kscan(p, "x:x:x:x", v, &e) == 4) {
		sv = (unsigned short)v[2];
		sd = (unsigned short)v[3];
	} else if (kscan(p, "x:x", v, &e) != 2) {
		return -1;
	}
	ven = (unsigned short)v[0];
	dv = (unsigned short)v[1];
	*end = e;
	return (!ven || ven == d->vendor) && (!dv || dv == d->device) &&
	       (!sv || sv == d->subvendor) && (!sd || sd == d->subdevice);
}

enum list_mode {
	LIST_PLAIN,		/* disable_acs_redir: device list only */
	LIST_FLAGS,		/* config_acs 6.15+: flags@dev per entry */
	LIST_FLAGS_ONCE,	/* config_acs 6.11-6.14: flags parsed once */
};

/*
 * The loop of pci_disable_acs_redir() / __pci_config_acs(): the first
 * entry that matches wins; an entry the kernel cannot parse ends the
 * list.  Returns 1 with the mask and flags of the matching entry, else 0.
 */
static int scan_list(const struct ax_machine *m, int idx, const char *p,
		     enum list_mode mode, uint16_t *mask, uint16_t *flags)
{
	int ret = 0;

	*mask = 0;
	*flags = 0;
	if (!p || !*p)
		return 0;
	while (*p) {
		if (mode != LIST_PLAIN && (mode == LIST_FLAGS || !*mask)) {
			const char *at = strchr(p, '@');
			int e, shift = 0;

			if (!at)
				return 0;	/* "ACS Flags missing" */
			if (mode == LIST_FLAGS) {
				*mask = 0;
				*flags = 0;
			}
			for (e = (int)(at - p) - 1; e >= 0; e--, shift++) {
				/* u16 mask/flags: "1 << shift" above bit 15
				 * is lost; from bit 32 on it is undefined
				 */
				uint16_t bit = shift < 16 ?
					       (uint16_t)(1u << shift) : 0;

				if ((p[e] == '0' || p[e] == '1') && shift > 31)
					return 0;
				if (p[e] == '0') {
					*mask |= bit;
				} else if (p[e] == '1') {
					*mask |= bit;
					*flags |= bit;
				} else if (p[e] != 'x' && p[e] != 'X') {
					return 0;	/* "Invalid ACS flags" */
				}
			}
			p = at + 1;
		}
		if (*mask & (uint16_t)~ALL_ACS)
			return 0;	/* "Invalid ACS flags specified" */
		ret = ax_kparam_match(m, idx, p, &p);
		if (ret != 0)
			break;
		if (*p != ';' && *p != ',')
			break;
		p++;
	}
	return ret == 1;
}

/* Intel PCH root ports whose ACS the enable quirk handles (returns 0,
 * so pci_std_enable_acs() is skipped); SPT ports keep their dword
 * layout, which the facts already read at the right place.
 */
static bool intel_pch_listed(const struct ax_dev *d,
			     const struct ax_profile *p)
{
	size_t i;

	if (d->vendor != 0x8086 || !d->is_pcie ||
	    d->pcie_type != AX_EXP_ROOT_PORT)
		return false;
	for (i = 0; i < axq_id_ranges_len; i++) {
		const struct axq_id_range *r = &axq_id_ranges[i];

		if (r->kind == AXQ_INTEL_PCH && r->vendor == d->vendor &&
		    d->device >= r->lo && d->device <= r->hi &&
		    axq_in_stable(r->first, r->last, r->bp, r->n_bp, p->kver,
				  ax_sublevel(p)))
			return true;
	}
	return false;
}

static bool intel_spt(const struct ax_dev *d)
{
	return d->acs_dword_layout && d->vendor == 0x8086;
}

/*
 * Stable kernels with "PCI: Enable ACS after configuring IOMMU for OF
 * platforms" (7a126c1b6cfa of 7.0) and not yet its revert: pci_enable_acs()
 * runs from pci_dma_configure() only, which before 6.15 comes after the
 * IOMMU has put the device in a group (upstream stable: 6.12.75-6.12.82,
 * 6.1.165-6.1.168; Debian's 6.12.85-1 and 6.1.170-1 took both at once).
 */
static bool enable_at_bind_window(const struct ax_profile *p)
{
	if (!p->sublevel_known)
		return false;
	return (p->kver == AX_KVER(6, 12) && p->sublevel >= 75 &&
		p->sublevel <= 82) ||
	       (p->kver == AX_KVER(6, 1) && p->sublevel >= 165 &&
		p->sublevel <= 168);
}

enum ax_acs_late ax_acs_requested_late(const struct ax_machine *m,
				       const struct ax_profile *p)
{
	if (enable_at_bind_window(p))
		return m->firmware == AX_FW_DT ? AX_ACS_LATE_NO :
						 AX_ACS_LATE_STABLE;
	/* of_iommu_configure() requests ACS when a driver binds, after the
	 * scan; 7.0 enables it in pci_dma_configure() before the group
	 */
	if (m->firmware == AX_FW_DT && p->kver && p->kver < AX_KVER(7, 0))
		return AX_ACS_LATE_DT;
	return AX_ACS_LATE_NO;
}

bool ax_acs_kernel_enables(const struct ax_machine *m,
			   const struct ax_profile *p)
{
	/* with the IOMMU on, the facts already hold the kernel's controls */
	if (p->acs_request == AX_ACSREQ_OFF || m->iommu == AX_IOMMU_ON)
		return false;
	/* the groups are made before the kernel switches ACS on */
	return ax_acs_requested_late(m, p) == AX_ACS_LATE_NO;
}

uint16_t ax_kernel_acs_cap(const struct ax_dev *d, const struct ax_profile *p)
{
	uint16_t cap = d->acs_cap;

	/* 7.0: IDT 89H32H8G3 erratum #36, SV applied to completions */
	if ((!p->kver || p->kver >= AX_KVER(7, 0)) && d->vendor == 0x111d &&
	    (d->device == 0x80b5 || d->device == 0x8090))
		cap &= (uint16_t)~AX_ACS_SV;
	return cap;
}

/* pci=config_acs= semantics of the 6.15 fix ("PCI/ACS: Fix
 * 'pci=config_acs=' parameter"), which Debian's 6.12 got in 6.12.23.
 */
static bool config_acs_fixed(const struct ax_profile *p)
{
	if (!p->kver || p->kver >= AX_KVER(6, 15))
		return true;
	return p->kver == AX_KVER(6, 12) && p->sublevel_known &&
	       p->sublevel >= 23;
}

static void say(char *why, size_t len, const char *s)
{
	size_t n;

	if (!why || !len)
		return;
	n = strlen(why);
	snprintf(why + n, len - n, "%s%s", n ? "; " : "", s);
}

uint16_t ax_kernel_acs_ctrl(const struct ax_machine *m, int idx,
			    const struct ax_profile *p, char *why,
			    size_t whylen)
{
	const struct ax_dev *d = &m->devs[idx];
	uint16_t cap = ax_kernel_acs_cap(d, p);
	uint16_t fw = d->acs_ctrl, ctrl = d->acs_ctrl, mask, flags;
	int kver = p->kver;
	char buf[96];

	if (why && whylen)
		why[0] = '\0';
	if (!d->acs_pos)
		return ctrl;
	if (ax_acs_kernel_enables(m, p) && !intel_pch_listed(d, p)) {
		uint16_t on = cap & AX_REQ_ACS_FLAGS;

		if (p->noats || d->external_facing || d->untrusted)
			on |= cap & AX_ACS_TB;
		if (on & ~ctrl) {
			snprintf(buf, sizeof(buf),
				 "the kernel switches on %04x at boot (pci_std_enable_acs)",
				 on & ~ctrl);
			say(why, whylen, buf);
		}
		ctrl |= on;
	}
	if (kver && kver < AX_KVER(4, 19))
		return ctrl;
	if (kver && kver < AX_KVER(6, 11)) {
		/* pci_disable_acs_redir() of 4.19 ... 6.10 */
		if (scan_list(m, idx, p->disable_acs_redir, LIST_PLAIN, &mask,
			      &flags)) {
			ctrl &= (uint16_t)~REDIR;
			say(why, whylen,
			    "pci=disable_acs_redir= clears RR/CR/EC");
		}
		return ctrl;
	}
	/* 6.11+: __pci_config_acs(), once per parameter, both from fw */
	if (scan_list(m, idx, p->disable_acs_redir, LIST_PLAIN, &mask,
		      &flags)) {
		if (intel_spt(d) || config_acs_fixed(p)) {
			/* SPT: the quirk clears RR/CR/EC in the dword */
			ctrl = intel_spt(d) ? ctrl & (uint16_t)~REDIR :
					      fw & (uint16_t)~REDIR;
			say(why, whylen,
			    intel_spt(d) ? "pci=disable_acs_redir= clears RR/CR/EC" :
			    "pci=disable_acs_redir= sets the firmware's controls without RR/CR/EC");
		} else {
			ctrl = (uint16_t)((ctrl & ~REDIR) | (fw & REDIR));
			ctrl |= (uint16_t)~REDIR;
			say(why, whylen,
			    "pci=disable_acs_redir= of 6.11-6.14 restores the firmware's RR/CR/EC and sets every other bit");
		}
	}
	if (scan_list(m, idx, p->config_acs,
		      config_acs_fixed(p) ? LIST_FLAGS : LIST_FLAGS_ONCE,
		      &mask, &flags)) {
		if (intel_spt(d)) {
			/* pci_dev_specific_disable_acs_redir() "handles" it */
			ctrl &= (uint16_t)~REDIR;
			say(why, whylen,
			    "pci=config_acs= on an Intel SPT port only clears RR/CR/EC (the quirk handles it)");
		} else if (config_acs_fixed(p)) {
			ctrl = (uint16_t)((fw & ~mask) | (flags & mask));
			say(why, whylen,
			    "pci=config_acs= sets its bits over the firmware's controls");
		} else {
			ctrl = (uint16_t)((ctrl & ~mask) | (fw & mask));
			ctrl |= flags;
			say(why, whylen,
			    "pci=config_acs= of 6.11-6.14: '0' bits take the firmware's value, '1' bits are set");
		}
	}
	return ctrl;
}

bool ax_kparam_list_match(const struct ax_machine *m, int idx,
			  const char *list, bool with_flags)
{
	uint16_t mask, flags;

	return scan_list(m, idx, list, with_flags ? LIST_FLAGS : LIST_PLAIN,
			 &mask, &flags);
}

void ax_acs_policy_describe(const struct ax_machine *m, struct ax_profile *p)
{
	enum ax_acs_late late = ax_acs_requested_late(m, p);
	const char *s;

	if (p->acs_request != AX_ACSREQ_OFF && late == AX_ACS_LATE_DT) {
		snprintf(p->acs_policy, sizeof(p->acs_policy),
			 "device-tree platform (%s): before 7.0 of_iommu requests ACS only when a driver binds, after the PCI scan, so the groups are made from the controls as %s",
			 m->firmware_basis[0] ? m->firmware_basis : "facts",
			 m->iommu == AX_IOMMU_ON ? "read" :
			 "the firmware left them (as read)");
		return;
	}
	if (p->acs_request != AX_ACSREQ_OFF && late == AX_ACS_LATE_STABLE) {
		snprintf(p->acs_policy, sizeof(p->acs_policy),
			 "kernel %d.%d.%d enables ACS only when a driver binds (stable backport of \"PCI: Enable ACS after configuring IOMMU for OF platforms\", reverted in %s), after the IOMMU made the groups: %s",
			 p->kver / 1000, p->kver % 1000, p->sublevel,
			 p->kver == AX_KVER(6, 12) ? "6.12.83" : "6.1.169",
			 m->iommu == AX_IOMMU_ON ?
			 "the controls read now were switched on after the groups were made, so they may show more isolation than the groups have" :
			 "controls as the firmware left them (as read)");
		return;
	}
	if (p->acs_request == AX_ACSREQ_OFF && m->acs_requested_known &&
	    m->acs_requested)
		s = "no IOMMU requests ACS; but these facts were taken after the kernel had switched ACS on, so the firmware's controls are not known: shown as read";
	else if (p->acs_request == AX_ACSREQ_OFF)
		s = "no IOMMU requests ACS: controls as the firmware left them (as a DT/of_iommu platform before 7.0 groups); with no IOMMU at all the kernel makes no groups";
	else if (m->iommu == AX_IOMMU_ON)
		s = "ACS controls as read: the kernel had already configured them (IOMMU on)";
	else if (p->acs_request == AX_ACSREQ_ON || m->iommu == AX_IOMMU_OFF)
		s = "IOMMU assumed on: Intel VT-d and AMD-Vi request ACS before the PCI scan, so the kernel switches SV/RR/CR/UF on for every device that has them; the controls read are the firmware's (--what-if iommu=off: as read)";
	else
		s = "IOMMU state not in the facts: assumed on; Intel VT-d and AMD-Vi request ACS before the PCI scan, so the kernel switches SV/RR/CR/UF on for every device that has them (--what-if iommu=off: as read)";
	snprintf(p->acs_policy, sizeof(p->acs_policy), "%s%s", s,
		 !ax_acs_kernel_enables(m, p) ? "" :
		 m->firmware == AX_FW_ACPI ? "; ACPI platform" :
		 m->firmware == AX_FW_DT ? "; device-tree platform, kernel 7.0 or later: of_iommu's ACS is on before the group" :
		 "; assumed an ACPI platform (x86, arm64 servers): on a device-tree board before 7.0 the controls as read are the answer");
}

int ax_what_if_iommu(struct ax_machine *m, struct ax_profile *p,
		     const char *val)
{
	if (!strcmp(val, "on")) {
		p->acs_request = AX_ACSREQ_ON;
		/* groups are what is asked for: no longer "no IOMMU" */
		if (m->iommu == AX_IOMMU_OFF)
			m->iommu = AX_IOMMU_UNKNOWN;
		return 0;
	}
	if (!strcmp(val, "off")) {
		p->acs_request = AX_ACSREQ_OFF;
		p->assume_acs_requested = false;
		if (m->iommu == AX_IOMMU_ON) {
			/* the controls read are the kernel's own */
			m->acs_requested_known = true;
			m->acs_requested = true;
		}
		m->iommu = AX_IOMMU_OFF;
		return 0;
	}
	return -1;
}
