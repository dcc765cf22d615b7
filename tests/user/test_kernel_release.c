// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_kernel_release.c - release strings of Debian, Ubuntu, Proxmox,
 * Fedora and upstream, and the quirks that stable updates brought to a
 * series before their mainline release.  The sublevels are those of
 * quirks-db/stable-backports.tsv, each found under its ChangeLog-X.Y.Z in
 * Debian's changelog.Debian.gz; the groups follow pci_device_group() with
 * the entry present or absent (drivers/pci/quirks.c of linux-source-6.1
 * 6.1.192 and linux-source-6.12 6.12.118 have each of them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "check.h"
#include "fake_machine.h"
#include "kernel_release.h"

static void map(const char *rel, int want_rc, int kver, int sublevel)
{
	int rc;

	ax_profile_init(&P);
	rc = ax_release_map(rel, &P);
	CHECK(rc == want_rc, "%s: rc %d, wanted %d (%s)", rel, rc, want_rc,
	      P.release_rules);
	CHECK(P.kver == kver, "%s: kver %d, wanted %d", rel, P.kver, kver);
	if (sublevel >= 0)
		CHECK(P.sublevel_known && P.sublevel == sublevel,
		      "%s: sublevel %d (known %d), wanted %d", rel, P.sublevel,
		      P.sublevel_known, sublevel);
	else
		CHECK(!P.sublevel_known, "%s: sublevel should be unknown", rel);
	CHECK(want_rc < 0 || strstr(P.release_rules, rel) == P.release_rules,
	      "%s: the rules name the string: %s", rel, P.release_rules);
}

static void test_release_strings(void)
{
	/* Debian 12: the ABI table from changelog.Debian.gz and the image
	 * package linux-image-6.1.0-57-amd64 6.1.192-3
	 */
	map("6.1.0-57-amd64", 0, 6001, 192);
	map("6.1.0-57-cloud-amd64", 0, 6001, 192);
	map("6.1.0-37-arm64", 0, 6001, 140);	/* "Bump ABI to 37" in 6.1.140-1 */
	map("6.1.0-10-amd64", 0, 6001, 37);	/* 6.1.37 and 6.1.38: lower end */
	CHECK(strstr(P.release_rules, "lower end") != NULL, "%s",
	      P.release_rules);
	map("6.1.0-45-amd64", 0, 6001, 147);	/* between ABI 38 and 57 */
	CHECK(strstr(P.release_rules, "not in Debian's changelog") != NULL,
	      "%s", P.release_rules);
	map("5.10.0-30-amd64", 1, 5010, -1);	/* no table for 5.10 */
	CHECK(strstr(P.release_rules, "no ABI table") != NULL, "%s",
	      P.release_rules);
	map("6.12.118+deb12-amd64", 0, 6012, 118);
	map("6.12.38+deb13-arm64", 0, 6012, 38);
	map("7.2.13+deb14-amd64", 0, 7002, 13);
	/* Ubuntu: the sublevel is not in the name */
	map("6.8.0-45-generic", 1, 6008, -1);
	CHECK(strstr(P.release_rules, "Ubuntu") != NULL, "%s",
	      P.release_rules);
	map("5.15.0-119-lowlatency", 1, 5015, -1);
	/* Proxmox and Fedora name the upstream stable release */
	map("6.8.12-4-pve", 0, 6008, 12);
	CHECK(strstr(P.release_rules, "Proxmox") != NULL, "%s",
	      P.release_rules);
	map("6.17.7-300.fc43.x86_64", 0, 6017, 7);
	CHECK(strstr(P.release_rules, "Fedora 43") != NULL, "%s",
	      P.release_rules);
	/* upstream */
	map("6.1.192", 0, 6001, 192);
	map("6.1", 1, 6001, -1);
	map("6.6.7-arch1-1", 0, 6006, 7);
	CHECK(strstr(P.release_rules, "no distribution rule") != NULL, "%s",
	      P.release_rules);
	/* cannot be mapped: said plainly */
	map("5.14.0-427.13.1.el9_4.x86_64", 1, 5014, -1);
	CHECK(strstr(P.release_rules, "cannot be mapped") != NULL, "%s",
	      P.release_rules);
	map("banana", -1, 0, -1);
	CHECK(strstr(P.release_rules, "not a kernel release") != NULL, "%s",
	      P.release_rules);
	map("", -1, 0, -1);
}

static void root_port(const char *addr, int bus, uint16_t v, uint16_t d,
		      bool with_acs)
{
	struct ax_dev *x = fm_bridge(addr, v, d, AX_EXP_ROOT_PORT, bus, bus,
				     false);

	if (with_acs)
		fm_acs(x, 0x1f, 0x1d);
}

static void derive(const char *rel)
{
	ax_profile_init(&P);
	ax_release_map(rel, &P);
	ax_result_free(&R);
	fm_link();
	if (ax_derive(&M, &P, &R))
		abort();
}

/* A two-function NIC without ACS below a root port with ACS: the
 * functions share a group unless a quirk isolates them.
 */
static void nic(uint16_t v, uint16_t d)
{
	fm_reset(AX_IOMMU_ON);
	root_port("00:01.0", 1, 0x8086, 0x3420, true);
	fm_dev("01:00.0", v, d, AX_EXP_ENDPOINT, true);
	fm_dev("01:00.1", v, d, AX_EXP_ENDPOINT, true);
}

#define SPLIT(rel) (derive(rel), fm_grp("01:00.0") != fm_grp("01:00.1"))

static void test_backported_acs_quirks(void)
{
	/* Broadcom BCM5760X: mainline 6.11, stable 6.1.122 */
	nic(0x14e4, 0x1760);
	CHECK(SPLIT("6.1.0-57-amd64"), "14e4:1760 on Debian 6.1.0-57");
	CHECK(SPLIT("6.1.192"), "14e4:1760 on 6.1.192");
	CHECK(SPLIT("6.1.122"), "14e4:1760 on 6.1.122");
	CHECK(!SPLIT("6.1.121"), "14e4:1760 not yet in 6.1.121");
	CHECK(!SPLIT("6.1"), "14e4:1760 not in mainline 6.1");
	CHECK(SPLIT("6.1.0-29-amd64"), "Debian ABI 29 is 6.1.123: has it");
	CHECK(!SPLIT("6.1.0-28-amd64"), "Debian ABI 28 is 6.1.119: not yet");
	CHECK(SPLIT("6.11"), "14e4:1760 in mainline 6.11");
	CHECK(!SPLIT("6.10.14"), "6.10.14: no such backport");
	CHECK(!SPLIT("6.8.0-45-generic"), "Ubuntu 6.8: not counted");
	/* Wangxun AML (range inside pci_quirk_wangxun_nic_acs): 6.13,
	 * stable 6.1.120, 6.12.5; other Wangxun IDs answer "not isolated"
	 */
	nic(0x8088, 0x5010);
	CHECK(SPLIT("6.1.0-57-amd64"), "8088:5010 on Debian 6.1.0-57");
	CHECK(!SPLIT("6.1.119"), "8088:5010 not in 6.1.119");
	CHECK(SPLIT("6.12.118+deb12-amd64"), "8088:5010 on Debian 6.12.118");
	CHECK(!SPLIT("6.12.4"), "8088:5010 not in 6.12.4");
	CHECK(!SPLIT("6.1.17"), "before 6.1.18 no Wangxun entry at all");
	nic(0x8088, 0x1001);
	CHECK(SPLIT("6.1.18"), "8088:1001 from 6.1.18");
	CHECK(!SPLIT("6.1.17"), "8088:1001 not in 6.1.17");
}

static void test_backported_root_port_quirks(void)
{
	/* Loongson root ports without ACS: 6.16, stable 6.1.142, 6.12.35 */
	fm_reset(AX_IOMMU_ON);
	root_port("00:09.0", 1, 0x0014, 0x7a09, false);
	root_port("00:0a.0", 2, 0x0014, 0x7a09, false);
	fm_dev("01:00.0", 0x1b36, 0x0010, AX_EXP_ENDPOINT, false);
	fm_dev("02:00.0", 0x1b36, 0x0010, AX_EXP_ENDPOINT, false);
	derive("6.12.118+deb12-amd64");
	CHECK(fm_grp("00:09.0") != fm_grp("01:00.0"), "Loongson on 6.12.118");
	derive("6.12.34");
	CHECK(fm_grp("00:09.0") == fm_grp("01:00.0"), "Loongson not in 6.12.34");
	derive("6.1.0-57-amd64");
	CHECK(fm_grp("00:09.0") != fm_grp("01:00.0"), "Loongson on 6.1.0-57");
	/* QCOM Hamoa: 7.0, stable 6.1.165, 6.12.75 */
	fm_reset(AX_IOMMU_ON);
	root_port("00:00.0", 1, 0x17cb, 0x0111, false);
	fm_dev("01:00.0", 0x1b36, 0x0010, AX_EXP_ENDPOINT, false);
	derive("6.12.75");
	CHECK(fm_grp("00:00.0") != fm_grp("01:00.0"), "Hamoa on 6.12.75");
	derive("6.12.74");
	CHECK(fm_grp("00:00.0") == fm_grp("01:00.0"), "Hamoa not in 6.12.74");
}

static void test_backported_alias_quirk(void)
{
	/* Glenfly Arise 6766:3d41: function 1 DMA as function 0 (6.12,
	 * stable 6.1.113): the two functions share a group
	 */
	fm_reset(AX_IOMMU_ON);
	root_port("00:01.0", 1, 0x8086, 0x3420, true);
	fm_dev("01:00.0", 0x6766, 0x3d40, AX_EXP_ENDPOINT, true);
	fm_dev("01:00.1", 0x6766, 0x3d41, AX_EXP_ENDPOINT, true);
	M.devs[1].acs_pos = M.devs[2].acs_pos = 0x100;
	M.devs[1].acs_cap = M.devs[2].acs_cap = 0x1f;
	M.devs[1].acs_ctrl = M.devs[2].acs_ctrl = 0x1d;
	derive("6.1.112");
	CHECK(fm_grp("01:00.0") != fm_grp("01:00.1"), "no alias in 6.1.112");
	derive("6.1.113");
	CHECK(fm_grp("01:00.0") == fm_grp("01:00.1"), "alias from 6.1.113");
	derive("6.1.0-57-amd64");
	CHECK(fm_grp("01:00.0") == fm_grp("01:00.1"), "alias on Debian 6.1.0-57");
}

int main(void)
{
	ax_machine_init(&M);
	test_release_strings();
	test_backported_acs_quirks();
	test_backported_root_port_quirks();
	test_backported_alias_quirk();
	ax_result_free(&R);
	ax_machine_free(&M);
	return check_report("kernel_release");
}
