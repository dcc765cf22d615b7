// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel_release.c - from a `uname -r` string to the upstream release and
 * stable sublevel whose quirks apply.  Distribution kernels carry stable
 * backports (Debian 12's 6.1.192 has ACS quirks mainline added in 6.11 to
 * 7.0), so the sublevel matters as much as the release.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "kernel_release.h"
#include "quirks.h"

/* Debian architecture flavours (the part after the ABI number). */
static const char *const debian_flavours[] = {
	"amd64", "arm64", "686", "686-pae", "armmp", "armmp-lpae", "marvell",
	"rpi", "ppc64el", "powerpc64le", "s390x", "mips64r2el", "mips32r2el",
	"octeon", "loongson-3", "loong64", "riscv64", "4kc-malta", "5kc-malta",
	"m68k", "sparc64", "alpha-generic", "parisc64", "itanium",
};

/* Ubuntu flavours; "generic" alone is Ubuntu's. */
static const char *const ubuntu_flavours[] = {
	"generic", "generic-64k", "generic-lpae", "lowlatency",
	"lowlatency-64k", "aws", "azure", "gcp", "gke", "gkeop", "oracle",
	"kvm", "raspi", "ibm", "nvidia", "nvidia-64k", "intel-iotg", "oem",
	"realtime", "fips", "xilinx-zynqmp",
};

static bool ends_with_word(const char *s, const char *w)
{
	size_t ls = strlen(s), lw = strlen(w);

	return ls >= lw && !strcmp(s + ls - lw, w) &&
	       (ls == lw || s[ls - lw - 1] == '-');
}

static bool in_list(const char *s, const char *const *list, size_t n,
		    bool suffix)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (suffix ? ends_with_word(s, list[i]) : !strcmp(s, list[i]))
			return true;
	return false;
}

static void set(struct ax_profile *p, int maj, int min, int sub,
		bool sub_known)
{
	p->kver = AX_KVER(maj, min);
	p->sublevel_known = sub_known;
	p->sublevel = sub_known ? sub : 0;
}

/* Debian "X.Y.0-N-flavour": the ABI table from Debian's changelog. */
static int debian_abi(struct ax_profile *p, const char *rel, int maj,
		      int min, int abi)
{
	const struct axq_debian_abi *lo = NULL, *hi = NULL;
	int series = AX_KVER(maj, min);
	size_t i;

	for (i = 0; i < axq_debian_abis_len; i++) {
		const struct axq_debian_abi *a = &axq_debian_abis[i];

		if (a->series != series)
			continue;
		if (a->abi == abi) {
			set(p, maj, min, a->first, true);
			if (a->first == a->last)
				snprintf(p->release_rules, sizeof(p->release_rules),
					 "%s: Debian ABI %d of %d.%d is upstream %d.%d.%d (Debian's changelog): its stable backports count",
					 rel, abi, maj, min, maj, min, a->first);
			else if (a->last < 0)
				snprintf(p->release_rules, sizeof(p->release_rules),
					 "%s: Debian ABI %d of %d.%d is upstream %d.%d.%d or a later %d.%d.y (Debian's changelog records no next ABI): rules of %d.%d.%d, the lower end",
					 rel, abi, maj, min, maj, min, a->first, maj,
					 min, maj, min, a->first);
			else
				snprintf(p->release_rules, sizeof(p->release_rules),
					 "%s: Debian ABI %d of %d.%d is upstream %d.%d.%d to %d.%d.%d (Debian's changelog): rules of %d.%d.%d, the lower end",
					 rel, abi, maj, min, maj, min, a->first, maj,
					 min, a->last, maj, min, a->first);
			return 0;
		}
		if (a->abi < abi && (!lo || a->abi > lo->abi))
			lo = a;
		if (a->abi > abi && (!hi || a->abi < hi->abi))
			hi = a;
	}
	if (!lo && !hi) {
		set(p, maj, min, 0, false);
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: Debian ABI %d of %d.%d, but this acsexplain has no ABI table for Debian %d.%d: rules of mainline %d.%d; quirks its stable updates brought are not counted",
			 rel, abi, maj, min, maj, min, maj, min);
		return 1;
	}
	if (!lo) {
		set(p, maj, min, 0, false);
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: Debian ABI %d of %d.%d is older than every ABI in Debian's changelog here (first: %d, upstream %d.%d.%d): rules of mainline %d.%d",
			 rel, abi, maj, min, hi->abi, maj, min, hi->first,
			 maj, min);
		return 1;
	}
	/* uploads with a later ABI come after lo's last known upload */
	set(p, maj, min, lo->last >= 0 ? lo->last : lo->first, true);
	if (hi)
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: Debian ABI %d of %d.%d is not in Debian's changelog; it lies between ABI %d (upstream %d.%d.%d) and ABI %d (%d.%d.%d): rules of %d.%d.%d, the lower end; a quirk a later stable update brought may be missed",
			 rel, abi, maj, min, lo->abi, maj, min, lo->first,
			 hi->abi, maj, min, hi->first, maj, min, p->sublevel);
	else
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: Debian ABI %d of %d.%d is newer than every ABI known here (ABI %d: upstream %d.%d.%d): rules of %d.%d.%d at least; a quirk a later stable update brought may be missed",
			 rel, abi, maj, min, lo->abi, maj, min, lo->first,
			 maj, min, p->sublevel);
	return 0;
}

int ax_release_map(const char *rel, struct ax_profile *p)
{
	unsigned int maj, min, sub, n1, n2;
	char tail[96] = "", c;
	int len = 0;

	p->kver = 0;
	p->sublevel_known = false;
	p->sublevel = 0;
	p->release_rules[0] = '\0';
	if (!rel || !*rel)
		return -1;
	if (strlen(rel) >= 64 ||
	    sscanf(rel, "%u.%u%n", &maj, &min, &len) != 2 || maj < 2 ||
	    maj > 99 || min > 999 || !isdigit((unsigned char)rel[0])) {
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "'%.64s' is not a kernel release", rel);
		return -1;
	}
	/* X.Y only */
	if (!rel[len]) {
		set(p, (int)maj, (int)min, 0, false);
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: mainline %u.%u (no stable sublevel given)", rel,
			 maj, min);
		return 1;
	}
	if (sscanf(rel, "%u.%u.%u%n", &maj, &min, &sub, &len) != 3) {
		set(p, (int)maj, (int)min, 0, false);
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: read as mainline %u.%u; the rest of the string follows no rule known here",
			 rel, maj, min);
		return 1;
	}
	snprintf(tail, sizeof(tail), "%s", rel + len);

	/* Debian 12.x bpo / 13+: "6.12.118+deb12-amd64", "+bpo-amd64" */
	if (!strncmp(tail, "+deb", 4) || !strncmp(tail, "+bpo", 4)) {
		set(p, (int)maj, (int)min, (int)sub, true);
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: Debian's name for upstream %u.%u.%u: its stable backports count",
			 rel, maj, min, sub);
		return 0;
	}
	/* Debian and Ubuntu ABI names "X.Y.0-N-flavour" */
	if (sub == 0 && sscanf(tail, "-%u-%c", &n1, &c) == 2) {
		const char *fl = strchr(tail + 1, '-') + 1;

		if (in_list(fl, debian_flavours,
			    AX_ARRAY_SIZE(debian_flavours),
			    true))
			return debian_abi(p, rel, (int)maj, (int)min, (int)n1);
		set(p, (int)maj, (int)min, 0, false);
		if (in_list(fl, ubuntu_flavours,
			    AX_ARRAY_SIZE(ubuntu_flavours),
			    false))
			snprintf(p->release_rules, sizeof(p->release_rules),
				 "%s: Ubuntu ABI %u of %u.%u; Ubuntu's name does not say which upstream stable update it carries: rules of mainline %u.%u, so quirks Ubuntu took from stable updates are not counted",
				 rel, n1, maj, min, maj, min);
		else
			snprintf(p->release_rules, sizeof(p->release_rules),
				 "%s: an ABI name of %u.%u from a distribution not known here (flavour '%s'): rules of mainline %u.%u; stable backports are not counted",
				 rel, maj, min, fl, maj, min);
		return 1;
	}
	/* Proxmox "6.8.12-4-pve": the upstream stable release first */
	if (sscanf(tail, "-%u-pv%c", &n1, &c) == 2 && c == 'e') {
		set(p, (int)maj, (int)min, (int)sub, true);
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: Proxmox kernel on upstream %u.%u.%u (Proxmox also carries Ubuntu's backports and the out-of-tree pcie_acs_override patch)",
			 rel, maj, min, sub);
		return 0;
	}
	/* Fedora "6.17.7-300.fc43.x86_64" */
	if (sscanf(tail, "-%u.fc%u", &n1, &n2) == 2) {
		set(p, (int)maj, (int)min, (int)sub, true);
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: Fedora %u kernel on upstream %u.%u.%u: its stable backports count",
			 rel, n2, maj, min, sub);
		return 0;
	}
	/* RHEL and SUSE rebase nothing: their backports cannot be told */
	if (strstr(tail, ".el") || strstr(tail, "-default") ||
	    strstr(tail, ".amzn")) {
		set(p, (int)maj, (int)min, 0, false);
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: an enterprise kernel (RHEL/SUSE/Amazon style) that carries backports from many later releases; it cannot be mapped to an upstream release: rules of mainline %u.%u",
			 rel, maj, min);
		return 1;
	}
	set(p, (int)maj, (int)min, (int)sub, true);
	if (tail[0])
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: taken as upstream %u.%u.%u ('%s' follows no distribution rule known here)",
			 rel, maj, min, sub, tail);
	else
		snprintf(p->release_rules, sizeof(p->release_rules),
			 "%s: upstream %u.%u.%u", rel, maj, min, sub);
	return 0;
}
