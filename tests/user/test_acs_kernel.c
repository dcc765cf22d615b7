// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_acs_kernel.c - the ACS control word the kernel leaves on a device
 * and the kernel's reading of pci=disable_acs_redir= / pci=config_acs=.
 * Each expectation is worked out by hand from drivers/pci/pci.c:
 * pci_dev_str_match() and pci_dev_str_match_path() (6.1, 6.12, 7.2 alike),
 * pci_enable_acs() / pci_std_enable_acs() / pci_disable_acs_redir() of 6.1,
 * __pci_config_acs() of 6.11 (before "PCI/ACS: Fix 'pci=config_acs='
 * parameter") and of 6.12.118 / 7.2 (after it), and
 * pci_disable_broken_acs_cap() of 7.2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acs_kernel.h"
#include "analysis.h"
#include "check.h"
#include "fake_machine.h"
#include "kernel_release.h"

#define RP AX_EXP_ROOT_PORT
#define DSP AX_EXP_DOWNSTREAM
#define USP AX_EXP_UPSTREAM
#define EP AX_EXP_ENDPOINT

/* PCIe functions, single-function, in this test */
static struct ax_dev *dev(const char *addr, uint16_t v, uint16_t d, int type)
{
	return fm_dev(addr, v, d, type, false);
}

static struct ax_dev *bridge(const char *addr, uint16_t v, uint16_t d,
			     int type, int sec, int sub)
{
	return fm_bridge(addr, v, d, type, sec, sub, false);
}

static uint16_t ctrl(const char *addr)
{
	return ax_kernel_acs_ctrl(&M, fm_idx(addr), &P, NULL, 0);
}

static bool sel(const char *addr, const char *list)
{
	return ax_kparam_list_match(&M, fm_idx(addr), list, false);
}

static void derive(void)
{
	ax_result_free(&R);
	ax_acs_policy_describe(&M, &P);
	if (ax_derive(&M, &P, &R))
		abort();
}

/*
 * A machine for the selectors: 0000:00:1c.0 (root port) -> 01:00.0
 * (switch upstream port) -> 02:01.0 (downstream port) -> 03:00.0 and
 * 03:00.1 (a Intel 82576 endpoint, subsystem 1028:1f9a); 00:01.0 a second
 * root port with a Red Hat endpoint at 04:00.0; domain 0001 has 00:1c.0.
 */
static void selector_machine(void)
{
	struct ax_dev *e;

	fm_reset(AX_IOMMU_ON);
	bridge("0000:00:1c.0", 0x8086, 0xa110, RP, 1, 3);
	bridge("0000:01:00.0", 0x10b5, 0x8747, USP, 2, 3);
	bridge("0000:02:01.0", 0x10b5, 0x8747, DSP, 3, 3);
	e = dev("0000:03:00.0", 0x8086, 0x10c9, EP);
	e->subvendor = 0x1028;
	e->subdevice = 0x1f9a;
	e->multifunction = true;
	e = dev("0000:03:00.1", 0x8086, 0x10c9, EP);
	e->subvendor = 0x1028;
	e->subdevice = 0x1f9b;
	e->multifunction = true;
	bridge("0000:00:01.0", 0x1b36, 0x000c, RP, 4, 4);
	dev("0000:04:00.0", 0x1b36, 0x0010, EP);
	bridge("0001:00:1c.0", 0x8086, 0xa110, RP, 1, 1);
	fm_link();
}

static void test_str_match_ids(void)
{
	selector_machine();
	/* "A value of 0 for any field will match all devices." */
	CHECK(sel("03:00.0", "pci:0:0"), "pci:0:0 matches anything");
	CHECK(sel("0001:00:1c.0", "pci:0:0"), "pci:0:0 in any domain");
	CHECK(sel("03:00.1", "pci:8086:0"), "vendor only");
	CHECK(!sel("04:00.0", "pci:8086:0"), "other vendor");
	CHECK(sel("03:00.0", "pci:0:10c9"), "device only");
	CHECK(sel("03:00.0", "pci:8086:10c9:1028:1f9a"), "subsystem IDs");
	CHECK(!sel("03:00.1", "pci:8086:10c9:1028:1f9a"),
	      "another subsystem device");
	CHECK(sel("03:00.1", "pci:8086:10c9:1028:0"), "subvendor only");
	/* "%hx:%hx%n": the ID entry ends where the numbers end, so ','
	 * separates entries after it
	 */
	CHECK(sel("04:00.0", "pci:8086:10c9,pci:1b36:0010"),
	      "second ID entry after ','");
	CHECK(!sel("04:00.0", "pci:8086"), "one number: cannot parse");
}

static void test_str_match_paths(void)
{
	selector_machine();
	CHECK(sel("0000:00:01.0", "0000:00:01.0"), "full address");
	CHECK(sel("0000:00:01.0", "00:01.0"), "no domain: domain 0");
	CHECK(!sel("0001:00:1c.0", "00:1c.0"), "no domain is not domain 1");
	CHECK(sel("0001:00:1c.0", "0001:00:1c.0"), "domain 1");
	CHECK(!sel("0000:00:1c.0", "0001:00:1c.0"), "domain 1 is not 0");
	/* a path of dev.fn below a bridge, as lspci -t shows it */
	CHECK(sel("03:00.0", "0000:00:1c.0/00.0/01.0/00.0"),
	      "the whole bridge path");
	CHECK(!sel("03:00.1", "0000:00:1c.0/00.0/01.0/00.0"),
	      "the path names function 0");
	CHECK(sel("03:00.1", "0000:00:1c.0/00.0/01.0/00.1"), "function 1");
	CHECK(!sel("03:00.0", "0000:00:01.0/00.0/01.0/00.0"),
	      "the path's root element must be the top bridge");
	/* the root element need not be on a root bus */
	CHECK(sel("03:00.0", "0000:02:01.0/00.0"), "path from a switch port");
	CHECK(!sel("03:00.0", "0000:00:1c.0/00.0"), "too short a path");
	CHECK(!sel("01:00.0", "0000:00:1c.0/00.0/01.0/00.0"),
	      "path longer than the device's chain");
	/* pci_dev_str_match_path() ends an address entry at ';' only */
	CHECK(sel("04:00.0", "0000:00:01.0;0000:04:00.0"), "';' separates");
	CHECK(!sel("04:00.0", "0000:00:1c.0,0000:04:00.0"),
	      "',' after an address: the kernel cannot parse the entry");
	CHECK(!sel("00:1c.0", "0000:00:1c.0,0000:04:00.0"),
	      "... not even the first address");
	/* an entry that cannot be parsed ends the list */
	CHECK(!sel("04:00.0", "zz:00.0;0000:04:00.0"),
	      "an unparsable entry ends the list");
	CHECK(sel("04:00.0", "0000:04:00.0;zz:00.0"),
	      "entries before it still count");
	CHECK(!sel("04:00.0", "0000:04:00.0x"), "trailing garbage");
	CHECK(!sel("04:00.0", ""), "empty list");
}

static void test_enable_by_iommu_state(void)
{
	fm_reset(AX_IOMMU_OFF);
	fm_acs(bridge("00:01.0", 0x1b36, 0x000c, RP, 1, 1), 0x5f, 0x0000);
	fm_link();
	/* pci_std_enable_acs(): SV|RR|CR|UF the device implements */
	CHECK(ctrl("00:01.0") == 0x001d, "IOMMU off: enabled at boot (%04x)",
	      ctrl("00:01.0"));
	M.iommu = AX_IOMMU_UNKNOWN;
	CHECK(ctrl("00:01.0") == 0x001d, "unknown: assumed on (%04x)",
	      ctrl("00:01.0"));
	/* TB for pci=noats, external-facing or untrusted ports */
	P.noats = true;
	CHECK(ctrl("00:01.0") == 0x001f, "noats: TB too (%04x)",
	      ctrl("00:01.0"));
	P.noats = false;
	M.devs[0].external_facing = true;
	CHECK(ctrl("00:01.0") == 0x001f, "external-facing: TB too");
	M.devs[0].external_facing = false;
	M.iommu = AX_IOMMU_ON;
	CHECK(ctrl("00:01.0") == 0x0000, "IOMMU on: as read");
	M.iommu = AX_IOMMU_OFF;
	P.acs_request = AX_ACSREQ_OFF;
	CHECK(ctrl("00:01.0") == 0x0000, "what-if iommu=off: as read");
	/* only the implemented bits */
	P.acs_request = AX_ACSREQ_AUTO;
	M.devs[0].acs_cap = 0x0005;
	CHECK(ctrl("00:01.0") == 0x0005, "only SV|RR implemented (%04x)",
	      ctrl("00:01.0"));
	/* Intel PCH root ports: the enable quirk handles them (returns 0) */
	fm_reset(AX_IOMMU_OFF);
	fm_acs(bridge("00:1c.0", 0x8086, 0x8c10, RP, 1, 1), 0x001f, 0x0000);
	fm_link();
	CHECK(ctrl("00:1c.0") == 0x0000,
	      "Lynxpoint PCH port: no pci_std_enable_acs (%04x)",
	      ctrl("00:1c.0"));
}

static void test_disable_acs_redir_by_release(void)
{
	fm_reset(AX_IOMMU_OFF);
	fm_acs(bridge("00:01.0", 0x1b36, 0x000c, RP, 1, 1), 0x007f, 0x0000);
	fm_acs(bridge("00:02.0", 0x1b36, 0x000c, RP, 2, 2), 0x007f, 0x000c);
	fm_link();
	snprintf(P.disable_acs_redir, sizeof(P.disable_acs_redir),
		 "0000:00:01.0;0000:00:02.0");
	P.kver = AX_KVER(4, 18);
	CHECK(ctrl("00:01.0") == 0x001d, "4.18: no such parameter");
	/* 6.1: enable, then ctrl &= ~(RR | CR | EC) */
	P.kver = AX_KVER(6, 1);
	CHECK(ctrl("00:01.0") == 0x0011, "6.1 (%04x)", ctrl("00:01.0"));
	CHECK(ctrl("00:02.0") == 0x0011, "6.1 fw RR|CR (%04x)",
	      ctrl("00:02.0"));
	/* 6.11-6.14: ctrl = (ctrl & ~mask) | (fw_ctrl & mask);
	 * ctrl |= ~(RR | CR | EC)
	 */
	P.kver = AX_KVER(6, 12);
	CHECK(ctrl("00:01.0") == 0xffd3, "6.12.0 (%04x)", ctrl("00:01.0"));
	CHECK(ctrl("00:02.0") == 0xffdf,
	      "6.12.0 keeps the firmware's RR|CR on (%04x)", ctrl("00:02.0"));
	/* 6.15 / 6.12.23+: ctrl = (fw_ctrl & ~mask) | (flags & mask) */
	P.sublevel_known = true;
	P.sublevel = 23;
	CHECK(ctrl("00:02.0") == 0x0000, "6.12.23 (%04x)", ctrl("00:02.0"));
	P.sublevel = 22;
	CHECK(ctrl("00:02.0") == 0xffdf, "6.12.22 (%04x)", ctrl("00:02.0"));
	P.sublevel_known = false;
	P.kver = AX_KVER(7, 0);
	CHECK(ctrl("00:01.0") == 0x0000,
	      "7.0: from the firmware's word, SV/UF lost too (%04x)",
	      ctrl("00:01.0"));
	/* groups: 6.12.0 leaves 00:02.0 isolating, 7.0 does not */
	dev("01:00.0", 0x8086, 0x10d3, EP);
	dev("02:00.0", 0x8086, 0x10d3, EP);
	fm_link();
	P.kver = AX_KVER(6, 12);
	derive();
	CHECK(fm_grp("00:02.0") != fm_grp("02:00.0"), "6.12.0: 00:02.0 isolates");
	CHECK(fm_grp("00:01.0") == fm_grp("01:00.0"), "6.12.0: 00:01.0 does not");
	P.kver = AX_KVER(7, 0);
	derive();
	CHECK(fm_grp("00:02.0") == fm_grp("02:00.0"), "7.0: 00:02.0 does not");
}

static void test_config_acs_by_release(void)
{
	fm_reset(AX_IOMMU_OFF);
	fm_acs(bridge("00:01.0", 0x1b36, 0x000c, RP, 1, 1), 0x007f, 0x0000);
	fm_acs(bridge("00:02.0", 0x1b36, 0x000c, RP, 2, 2), 0x007f, 0x0000);
	fm_link();
	/* right-most character is bit 0 (SV); '0' RR of 00:01.0 */
	snprintf(P.config_acs, sizeof(P.config_acs),
		 "0xx@0000:00:01.0;1x0x1@0000:00:02.0");
	P.kver = AX_KVER(6, 10);
	CHECK(ctrl("00:01.0") == 0x001d, "6.10: no config_acs");
	P.kver = AX_KVER(7, 2);
	CHECK(ctrl("00:01.0") == 0x0000,
	      "7.2: the firmware's word with RR 0 (%04x)", ctrl("00:01.0"));
	CHECK(ctrl("00:02.0") == 0x0011, "7.2: second entry (%04x)",
	      ctrl("00:02.0"));
	/* 6.11-6.14 parse the flags of the first entry only: the second
	 * entry reaches pci_dev_str_match() as "1x0x1@0000:..." and ends
	 * the list
	 */
	P.kver = AX_KVER(6, 11);
	CHECK(ctrl("00:01.0") == 0x0019, "6.11: RR from firmware (%04x)",
	      ctrl("00:01.0"));
	CHECK(ctrl("00:02.0") == 0x001d, "6.11: second entry lost (%04x)",
	      ctrl("00:02.0"));
	/* the first matching entry only */
	snprintf(P.config_acs, sizeof(P.config_acs),
		 "1111111@pci:0:0;0000000@0000:00:01.0");
	P.kver = AX_KVER(7, 2);
	CHECK(ctrl("00:01.0") == 0x007f, "first match wins (%04x)",
	      ctrl("00:01.0"));
	/* bad flags: the kernel ignores the parameter for the device */
	snprintf(P.config_acs, sizeof(P.config_acs), "10y@0000:00:01.0");
	CHECK(ctrl("00:01.0") == 0x001d, "invalid flags ignored (%04x)",
	      ctrl("00:01.0"));
	snprintf(P.config_acs, sizeof(P.config_acs), "11111111@0000:00:01.0");
	CHECK(ctrl("00:01.0") == 0x001d, "a bit above DT ignored (%04x)",
	      ctrl("00:01.0"));
	/* more than 16 characters: the kernel's u16 mask keeps the low 16
	 * ('x' never sets a bit; '0'/'1' above bit 15 are shifted out)
	 */
	snprintf(P.config_acs, sizeof(P.config_acs),
		 "xxxxxxxxxxxxxxxxxxx0xx@0000:00:01.0");
	CHECK(ctrl("00:01.0") == 0x0000, "22 characters, RR 0 (%04x)",
	      ctrl("00:01.0"));
	snprintf(P.config_acs, sizeof(P.config_acs),
		 "1xxxxxxxxxxxxxxxxxxxx@0000:00:01.0");
	CHECK(ctrl("00:01.0") == 0x0000,
	      "a '1' at bit 20 is lost: the firmware's word (%04x)",
	      ctrl("00:01.0"));
	/* both parameters: config_acs starts from the firmware's word too */
	snprintf(P.disable_acs_redir, sizeof(P.disable_acs_redir),
		 "0000:00:01.0");
	snprintf(P.config_acs, sizeof(P.config_acs), "1@0000:00:01.0");
	CHECK(ctrl("00:01.0") == 0x0001, "config_acs after redir (%04x)",
	      ctrl("00:01.0"));
}

static void test_idt_sv(void)
{
	fm_reset(AX_IOMMU_OFF);
	fm_acs(bridge("00:01.0", 0x111d, 0x80b5, DSP, 1, 1), 0x001f, 0x0000);
	fm_link();
	P.kver = AX_KVER(6, 12);
	CHECK(ctrl("00:01.0") == 0x001d, "6.12: SV enabled");
	P.kver = AX_KVER(7, 0);
	CHECK(ctrl("00:01.0") == 0x001c, "7.0: SV hidden (%04x)",
	      ctrl("00:01.0"));
	CHECK(ax_kernel_acs_cap(&M.devs[0], &P) == 0x001e, "7.0 cap");
}

/* The case of the issue: a dump taken with the IOMMU off. */
static void test_groups_from_iommu_off_facts(void)
{
	fm_reset(AX_IOMMU_UNKNOWN);
	fm_acs(bridge("00:01.0", 0x8086, 0x3420, RP, 1, 1), 0x001f, 0x0000);
	fm_acs(bridge("00:02.0", 0x8086, 0x3420, RP, 2, 2), 0x001f, 0x0000);
	dev("01:00.0", 0x1b36, 0x0010, EP);
	dev("02:00.0", 0x1b36, 0x0010, EP);
	fm_link();
	derive();
	CHECK(fm_grp("00:01.0") != fm_grp("01:00.0"),
	      "unknown IOMMU: the kernel enables ACS, port isolates");
	CHECK(strstr(R.acs_policy, "assumed on") != NULL, "says so: %s",
	      R.acs_policy);
	CHECK(ax_what_if_iommu(&M, &P, "off") == 0, "iommu=off");
	derive();
	CHECK(fm_grp("00:01.0") == fm_grp("01:00.0"), "as read: port merges");
	CHECK(strstr(R.acs_policy, "firmware left") != NULL, "says so: %s",
	      R.acs_policy);
	CHECK(ax_what_if_iommu(&M, &P, "maybe") == -1, "bad value");
	/* facts with the IOMMU on: as read, and iommu=off cannot undo it */
	fm_reset(AX_IOMMU_ON);
	fm_acs(bridge("00:01.0", 0x8086, 0x3420, RP, 1, 1), 0x001f, 0x001d);
	dev("01:00.0", 0x1b36, 0x0010, EP);
	fm_link();
	derive();
	CHECK(strstr(R.acs_policy, "as read") != NULL, "%s", R.acs_policy);
	CHECK(ax_what_if_iommu(&M, &P, "off") == 0, "iommu=off");
	derive();
	CHECK(strstr(R.acs_policy, "not known") != NULL, "%s", R.acs_policy);
}

/*
 * When the IOMMU driver requests ACS, from the kernel sources:
 * drivers/iommu/of_iommu.c of_iommu_configure() calls pci_request_acs()
 * at driver bind (dma_configure), after the PCI scan whose pci_acs_init()
 * ran pci_enable_acs() with pci_acs_enable still 0 (6.1, 6.12.118); 7.2's
 * pci_dma_configure() calls pci_enable_acs() right after
 * of_dma_configure(), before the device's group (7a126c1b6cfa, 7.0).
 * Stable took 7a126c1b6cfa without 6.15's probe path in 6.12.75 and
 * 6.1.165 and reverted it in 6.12.83 and 6.1.169 (Debian's changelogs
 * list both in 6.12.85-1 and 6.1.170-1): in between, x86 made its groups
 * before pcieport's bind switched ACS on.
 */
static void platform_machine(enum ax_firmware fw, const char *release)
{
	fm_reset(AX_IOMMU_OFF);
	M.firmware = fw;
	snprintf(M.firmware_basis, sizeof(M.firmware_basis), "test");
	fm_acs(bridge("00:01.0", 0x1b36, 0x000c, RP, 1, 1), 0x005f, 0x0000);
	dev("01:00.0", 0x1b36, 0x0010, EP);
	fm_acs(bridge("00:02.0", 0x1b36, 0x000c, RP, 2, 2), 0x005f, 0x0000);
	dev("02:00.0", 0x1b36, 0x0010, EP);
	fm_link();
	ax_release_map(release, &P);
	derive();
}

static void test_acs_request_timing(void)
{
	platform_machine(AX_FW_DT, "6.12.118");
	CHECK(ctrl("00:01.0") == 0x0000, "DT 6.12: as read (%04x)",
	      ctrl("00:01.0"));
	CHECK(fm_grp("00:01.0") == fm_grp("01:00.0"), "DT 6.12: port merges");
	CHECK(strstr(R.acs_policy, "device-tree") &&
	      strstr(R.acs_policy, "as read"), "says so: %s", R.acs_policy);
	/* asking for the IOMMU on changes nothing on such a platform */
	CHECK(ax_what_if_iommu(&M, &P, "on") == 0, "iommu=on");
	derive();
	CHECK(fm_grp("00:01.0") == fm_grp("01:00.0"), "DT 6.12, iommu=on: as read");
	platform_machine(AX_FW_DT, "6.1.0-57-arm64");
	CHECK(fm_grp("00:01.0") == fm_grp("01:00.0"), "DT Debian 6.1: as read");
	platform_machine(AX_FW_DT, "7.2.13");
	CHECK(ctrl("00:01.0") == 0x001d, "DT 7.2: enabled (%04x)",
	      ctrl("00:01.0"));
	CHECK(fm_grp("00:01.0") != fm_grp("01:00.0"), "DT 7.2: port isolates");
	CHECK(strstr(R.acs_policy, "device-tree"), "%s", R.acs_policy);
	platform_machine(AX_FW_ACPI, "6.12.118");
	CHECK(fm_grp("00:01.0") != fm_grp("01:00.0"), "ACPI 6.12: isolates");
	CHECK(strstr(R.acs_policy, "ACPI platform"), "%s", R.acs_policy);
	platform_machine(AX_FW_UNKNOWN, "6.12.118");
	CHECK(fm_grp("00:01.0") != fm_grp("01:00.0"), "unknown: ACPI assumed");
	CHECK(strstr(R.acs_policy, "assumed an ACPI platform"), "%s",
	      R.acs_policy);
	/* the stable window */
	platform_machine(AX_FW_ACPI, "6.12.80");
	CHECK(fm_grp("00:01.0") == fm_grp("01:00.0"), "6.12.80: as read");
	CHECK(strstr(R.acs_policy, "6.12.83"), "%s", R.acs_policy);
	platform_machine(AX_FW_UNKNOWN, "6.12.75");
	CHECK(fm_grp("00:01.0") == fm_grp("01:00.0"), "6.12.75: as read");
	platform_machine(AX_FW_ACPI, "6.12.74");
	CHECK(fm_grp("00:01.0") != fm_grp("01:00.0"), "6.12.74: enabled");
	platform_machine(AX_FW_ACPI, "6.12.83");
	CHECK(fm_grp("00:01.0") != fm_grp("01:00.0"), "6.12.83: reverted");
	platform_machine(AX_FW_ACPI, "6.1.168");
	CHECK(fm_grp("00:01.0") == fm_grp("01:00.0"), "6.1.168: as read");
	platform_machine(AX_FW_ACPI, "6.1.169");
	CHECK(fm_grp("00:01.0") != fm_grp("01:00.0"), "6.1.169: reverted");
	/* Debian never shipped the window: 6.12.85-1 is 6.12.85 */
	platform_machine(AX_FW_ACPI, "6.12.85+deb13-amd64");
	CHECK(fm_grp("00:01.0") != fm_grp("01:00.0"), "Debian 6.12.85: enabled");
	/* on DT the backport did its job */
	platform_machine(AX_FW_DT, "6.12.80");
	CHECK(fm_grp("00:01.0") != fm_grp("01:00.0"), "DT 6.12.80: enabled");
	/* live facts with the IOMMU on in the window: say the controls lie */
	platform_machine(AX_FW_ACPI, "6.12.80");
	M.iommu = AX_IOMMU_ON;
	derive();
	CHECK(strstr(R.acs_policy, "after the groups were made"), "%s",
	      R.acs_policy);
}

int main(void)
{
	ax_machine_init(&M);
	test_str_match_ids();
	test_str_match_paths();
	test_enable_by_iommu_state();
	test_disable_acs_redir_by_release();
	test_config_acs_by_release();
	test_idt_sv();
	test_groups_from_iommu_off_facts();
	test_acs_request_timing();
	ax_result_free(&R);
	ax_machine_free(&M);
	return check_report("acs_kernel");
}
