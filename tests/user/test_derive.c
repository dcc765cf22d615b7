// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_derive.c - the group derivation and its reasons on machines built
 * device by device, for the topologies and user cases of REFERENCE.md.
 * The expected groups follow the kernel's pci_device_group() by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "check.h"
#include "fake_machine.h"
#include "render.h"
#include "uapi/linux/acs_inspect.h"

/* The machines of REFERENCE.md: the IOMMU on, ACS requested. */
static void reset(void)
{
	fm_reset(AX_IOMMU_ON);
	M.acs_requested = true;
}

/* Named "dev ADDR", for the reasons that print names. */
static struct ax_dev *dev(const char *addr, uint16_t v, uint16_t d, int type,
			  bool mf)
{
	struct ax_dev *x = fm_dev(addr, v, d, type, mf);

	snprintf(x->name, sizeof(x->name), "dev %s", addr);
	return x;
}

static struct ax_dev *bridge(const char *addr, uint16_t v, uint16_t d,
			     int type, int sec, int sub, bool mf)
{
	struct ax_dev *x = fm_bridge(addr, v, d, type, sec, sub, mf);

	snprintf(x->name, sizeof(x->name), "dev %s", addr);
	return x;
}

static void run(void)
{
	ax_result_free(&R);
	fm_link();
	if (ax_derive(&M, &P, &R))
		abort();
}

static bool has_reason(const char *addr, enum ax_reason_code code,
		       const char *at)
{
	int i = fm_idx(addr), k, ai = at ? fm_idx(at) : -1;

	if (i < 0)
		return false;
	for (k = 0; k < R.dev[i].n_reasons; k++)
		if (R.dev[i].reasons[k].code == code &&
		    (!at || R.dev[i].reasons[k].at == ai))
			return true;
	return false;
}

#define SAME(a, b) CHECK(fm_grp(a) == fm_grp(b), "%s and %s should share a group (%d vs %d)", a, b, fm_grp(a), fm_grp(b))
#define DIFF(a, b) CHECK(fm_grp(a) != fm_grp(b), "%s and %s should be apart (both %d)", a, b, fm_grp(a))
#define REASON(a, code, at) CHECK(has_reason(a, code, at), "%s should have reason %s at %s", a, ax_reason_code_name(code), at ? at : "-")

#define RP AX_EXP_ROOT_PORT
#define EP AX_EXP_ENDPOINT
#define USP AX_EXP_UPSTREAM
#define DSP AX_EXP_DOWNSTREAM
#define ACS_ALL (AX_ACS_SV | AX_ACS_RR | AX_ACS_CR | AX_ACS_UF)

static void test_root_port_acs(void)
{
	reset();
	dev("00:00.0", 0x8086, 0x29c0, -1, false);
	fm_acs(bridge("00:01.0", 0x1b36, 0x000c, RP, 1, 1, false), 0x1f, 0x1d);
	dev("01:00.0", 0x8086, 0x10d3, EP, false);
	fm_acs(bridge("00:02.0", 0x1b36, 0x000c, RP, 2, 2, false), 0x1f, 0x1d);
	dev("02:00.0", 0x8086, 0x10d3, EP, true);
	dev("02:00.1", 0x8086, 0x10d3, EP, true);
	run();
	DIFF("00:01.0", "01:00.0");
	DIFF("01:00.0", "02:00.0");
	SAME("02:00.0", "02:00.1");	/* multifunction without ACS */
	DIFF("00:02.0", "02:00.0");
	REASON("02:00.1", AX_R_MULTIFUNCTION_NO_ACS, "02:00.1");
	REASON("02:00.0", AX_R_MULTIFUNCTION_NO_ACS, "02:00.0");
	REASON("01:00.0", AX_R_ISOLATED, NULL);
}

/* C1: I/O hub root port without ACS above a PF and its VFs */
static void test_c1_ioh_no_acs(void)
{
	struct ax_dev *x;
	int f;
	char a[32];

	reset();
	bridge("00:07.0", 0x8086, 0x3a40, RP, 7, 7, false);
	x = dev("07:00.0", 0x15b3, 0x1003, EP, true);
	x->has_sriov = true;
	for (f = 1; f < 8; f++) {
		snprintf(a, sizeof(a), "07:00.%d", f);
		x = dev(a, 0x15b3, 0x1004, EP, false);
		x->is_virtfn = true;
		x->physfn = 0;	/* fixed below */
	}
	for (f = 0; f < (int)M.n; f++)
		if (M.devs[f].is_virtfn)
			M.devs[f].physfn = 1;
	run();
	SAME("00:07.0", "07:00.0");
	SAME("07:00.0", "07:00.5");
	REASON("07:00.3", AX_R_ROOT_PORT_NO_ACS, "00:07.0");
	REASON("07:00.3", AX_R_SRIOV_VF, "07:00.0");
	REASON("07:00.0", AX_R_ROOT_PORT_NO_ACS, "00:07.0");
	REASON("00:07.0", AX_R_ROOT_PORT_NO_ACS, "00:07.0");
	CHECK(R.dev[fm_idx("07:00.1")].culprit == fm_idx("00:07.0"),
	      "culprit of the VF is the root port");
}

/* Switch without ACS under a root port with ACS: per-DSP groups (the
 * kernel's answer), plus the audit saying the peers can still talk.
 */
static void test_switch_no_acs(void)
{
	int k, n = 0;

	reset();
	fm_acs(bridge("00:01.0", 0x1b36, 0x000c, RP, 1, 4, false), 0x1f, 0x1d);
	bridge("01:00.0", 0x104c, 0x8232, USP, 2, 4, false);
	bridge("02:00.0", 0x104c, 0x8233, DSP, 3, 3, false);
	bridge("02:01.0", 0x104c, 0x8233, DSP, 4, 4, false);
	dev("03:00.0", 0x8086, 0x10d3, EP, false);
	dev("04:00.0", 0x8086, 0x10d3, EP, false);
	run();
	DIFF("00:01.0", "01:00.0");
	DIFF("01:00.0", "02:00.0");
	SAME("02:00.0", "03:00.0");
	SAME("02:01.0", "04:00.0");
	DIFF("03:00.0", "04:00.0");
	REASON("03:00.0", AX_R_DOWNSTREAM_PORT_NO_ACS, "02:00.0");
	REASON("02:00.0", AX_R_DOWNSTREAM_PORT_NO_ACS, "02:00.0");
	for (k = 0; k < R.n_audit; k++)
		if (R.audit[k].via == fm_idx("02:00.0"))
			n++;
	CHECK(n >= 1, "audit names the DSP that lets peers talk");

	/* C9: the same switch with ACS but only SrcValid on */
	reset();
	fm_acs(bridge("00:01.0", 0x1b36, 0x000c, RP, 1, 4, false), 0x1f, 0x1d);
	bridge("01:00.0", 0x10b5, 0x8747, USP, 2, 4, false);
	fm_acs(bridge("02:08.0", 0x10b5, 0x8747, DSP, 3, 3, false), 0x5f, 0x01);
	fm_acs(bridge("02:10.0", 0x10b5, 0x8747, DSP, 4, 4, false), 0x5f, 0x5d);
	dev("03:00.0", 0x10de, 0x1db6, EP, false);
	dev("04:00.0", 0x10de, 0x1db6, EP, false);
	run();
	SAME("02:08.0", "03:00.0");
	DIFF("02:10.0", "04:00.0");
	REASON("03:00.0", AX_R_ACS_CONTROLS_OFF, "02:08.0");
}

static void test_pcie_to_pci_bridge(void)
{
	struct ax_dev *x;

	reset();
	fm_acs(bridge("00:01.0", 0x1b36, 0x000c, RP, 1, 2, false), 0x1f, 0x1d);
	bridge("01:00.0", 0x1b36, 0x000e, AX_EXP_PCI_BRIDGE, 2, 2, false);
	x = dev("02:01.0", 0x8086, 0x100e, -1, false);
	x = dev("02:02.0", 0x8086, 0x100e, -1, false);
	(void)x;
	run();
	SAME("01:00.0", "02:01.0");
	SAME("02:01.0", "02:02.0");
	DIFF("00:01.0", "01:00.0");
	REASON("02:02.0", AX_R_PCI_BRIDGE_ALIAS, "01:00.0");
}

/* DMI-to-PCI bridge i82801b11 (8086:244e): conventional bridge on the
 * root bus; everything behind it aliases to it.
 */
static void test_dmi_bridge(void)
{
	reset();
	bridge("00:1e.0", 0x8086, 0x244e, -1, 1, 1, false);
	dev("01:01.0", 0x8086, 0x100e, -1, false);
	dev("01:02.0", 0x8086, 0x100e, -1, false);
	dev("00:1f.0", 0x8086, 0x2918, -1, true);
	dev("00:1f.2", 0x8086, 0x2922, -1, true);
	dev("00:1f.3", 0x8086, 0x2930, -1, true);
	run();
	SAME("00:1e.0", "01:01.0");
	SAME("01:01.0", "01:02.0");
	SAME("00:1f.0", "00:1f.3");
	DIFF("00:1e.0", "00:1f.0");
	REASON("01:02.0", AX_R_CONVENTIONAL_BRIDGE, "00:1e.0");
}

/* Intel RCiEPs are isolated by quirk (q35's e1000e on pcie.0) */
static void test_rciep_quirk(void)
{
	reset();
	dev("00:02.0", 0x8086, 0x10d3, AX_EXP_RC_END, true);
	dev("00:02.1", 0x8086, 0x10d3, AX_EXP_RC_END, true);
	dev("00:03.0", 0x1af4, 0x1041, AX_EXP_RC_END, true);
	dev("00:03.1", 0x1af4, 0x1041, AX_EXP_RC_END, true);
	run();
	DIFF("00:02.0", "00:02.1");
	SAME("00:03.0", "00:03.1");
	REASON("00:02.0", AX_R_QUIRK_ISOLATED, "00:02.0");
}

/* C3: X99 PCH root ports across the 5.9 regression */
static void c3_machine(void)
{
	reset();
	bridge("00:1c.0", 0x8086, 0x8d10, RP, 2, 2, true);
	bridge("00:1c.3", 0x8086, 0x8d16, RP, 3, 3, true);
	bridge("00:1c.4", 0x8086, 0x8d18, RP, 4, 4, true);
	dev("02:00.0", 0x1b21, 0x1242, EP, false);
	dev("03:00.0", 0x8086, 0x1539, EP, false);
	dev("04:00.0", 0x1b21, 0x0612, EP, false);
}

static void test_c3_kernel_59(void)
{
	c3_machine();
	P.kver = AX_KVER(5, 8);
	run();
	DIFF("02:00.0", "03:00.0");
	REASON("02:00.0", AX_R_QUIRK_ISOLATED, "00:1c.0");
	c3_machine();
	P.kver = AX_KVER(5, 9);
	run();
	SAME("02:00.0", "03:00.0");
	SAME("00:1c.0", "04:00.0");
	REASON("03:00.0", AX_R_QUIRK_NOT_ISOLATED, "00:1c.3");
	c3_machine();
	P.kver = AX_KVER(5, 10);
	run();
	DIFF("02:00.0", "04:00.0");
	/* 3.14 has no Wellsburg IDs yet */
	c3_machine();
	P.kver = AX_KVER(3, 19);
	run();
	SAME("02:00.0", "04:00.0");
	REASON("02:00.0", AX_R_ROOT_PORT_NO_ACS, "00:1c.0");
	/* with module facts, the kernel's own flag decides */
	c3_machine();
	M.devs[0].kernel_facts = true;
	M.devs[0].dev_flags = AX_DEVFL_ACS_ENABLED_QUIRK;
	M.devs[1].kernel_facts = true;
	M.devs[1].dev_flags = 0;
	run();
	DIFF("02:00.0", "03:00.0");
	SAME("00:1c.3", "03:00.0");
}

/* C6: I219 quirked at 00:1f.6, the rest of slot 1f together; X710 */
static void test_c6_multifunction(void)
{
	reset();
	dev("00:1f.0", 0x8086, 0xa2c5, -1, true);
	dev("00:1f.2", 0x8086, 0xa2a1, -1, true);
	dev("00:1f.3", 0x8086, 0xa2f0, -1, true);
	dev("00:1f.4", 0x8086, 0xa2a3, -1, true);
	dev("00:1f.6", 0x8086, 0x15b8, -1, true);
	fm_acs(bridge("00:01.0", 0x8086, 0x1901, RP, 1, 1, false), 0x1f, 0x1d);
	dev("01:00.0", 0x8086, 0x15ff, EP, true);
	dev("01:00.1", 0x8086, 0x15ff, EP, true);
	dev("01:00.2", 0x8086, 0x15ff, EP, true);
	dev("01:00.3", 0x8086, 0x15ff, EP, true);
	run();
	SAME("00:1f.0", "00:1f.4");
	DIFF("00:1f.0", "00:1f.6");
	REASON("00:1f.6", AX_R_QUIRK_ISOLATED, "00:1f.6");
	SAME("01:00.0", "01:00.3");
	DIFF("00:01.0", "01:00.0");
	REASON("01:00.2", AX_R_MULTIFUNCTION_NO_ACS, "01:00.2");
	/* with the quirk the vendor asks for */
	P.n_extra_quirks = 1;
	P.extra_quirk_ids[0] = 0x8086u << 16 | 0x15ff;
	run();
	DIFF("01:00.0", "01:00.3");
}

/* C10: Sunrise Point-LP: dword-layout ACS */
static void test_c10_spt(void)
{
	struct ax_dev *x;

	reset();
	x = bridge("00:1c.0", 0x8086, 0x9d10, RP, 1, 1, true);
	fm_acs(x, 0x0f, 0x0f);
	x->acs_dword_layout = true;
	x = bridge("00:1c.4", 0x8086, 0x9d14, RP, 2, 2, true);
	fm_acs(x, 0x0f, 0x0f);
	x->acs_dword_layout = true;
	dev("01:00.0", 0x8086, 0x24fd, EP, false);
	dev("02:00.0", 0x10ec, 0x525a, EP, false);
	run();
	DIFF("01:00.0", "02:00.0");
	REASON("01:00.0", AX_R_QUIRK_ISOLATED, "00:1c.0");
	P.kver = AX_KVER(4, 6);	/* before the SPT quirk */
	run();
	SAME("01:00.0", "02:00.0");
}

/* C7: APU2 root ports as functions of one multifunction slot */
static void test_c7_mf_root_ports(void)
{
	reset();
	bridge("00:02.1", 0x1022, 0x1439, RP, 1, 1, true);
	bridge("00:02.2", 0x1022, 0x1439, RP, 2, 2, true);
	bridge("00:02.3", 0x1022, 0x1439, RP, 3, 3, true);
	dev("00:02.0", 0x1022, 0x1580, -1, true);
	dev("01:00.0", 0x8086, 0x157b, EP, false);
	dev("02:00.0", 0x8086, 0x157b, EP, false);
	dev("03:00.0", 0x168c, 0x003c, EP, false);
	run();
	SAME("01:00.0", "03:00.0");
	SAME("00:02.0", "00:02.2");
	REASON("02:00.0", AX_R_ROOT_PORT_NO_ACS, "00:02.2");
	REASON("00:02.3", AX_R_MULTIFUNCTION_NO_ACS, "00:02.3");
}

static void test_dma_alias_func1(void)
{
	reset();
	fm_acs(bridge("00:01.0", 0x1b36, 0x000c, RP, 1, 1, false), 0x1f, 0x1d);
	/* Marvell 88SE9230: function 0 DMA as function 1 */
	dev("01:00.0", 0x1b4b, 0x9230, EP, true);
	dev("01:00.1", 0x1b4b, 0x9230, EP, true)->acs_pos = 0;
	fm_acs(&M.devs[1], 0x1f, 0x1f);
	fm_acs(&M.devs[2], 0x1f, 0x1f);
	run();
	SAME("01:00.0", "01:00.1");
	REASON("01:00.1", AX_R_DMA_ALIAS_QUIRK, "01:00.0");
}

static void test_no_iommu_and_override(void)
{
	reset();
	M.iommu = AX_IOMMU_OFF;
	M.kernel_groups_known = true;
	bridge("00:1c.0", 0x8086, 0x1234, RP, 1, 1, true);
	bridge("00:1c.1", 0x8086, 0x1234, RP, 2, 2, true);
	dev("01:00.0", 0x10de, 0x1c82, EP, true);
	dev("01:00.1", 0x10de, 0x0fb9, EP, true);
	dev("02:00.0", 0x8086, 0x24fb, EP, false);
	M.devs[0].kernel_group = AX_GROUP_NONE;
	run();
	SAME("01:00.0", "02:00.0");
	REASON("01:00.0", AX_R_NO_IOMMU, NULL);
	/* what-if: the ACS override patch splits all of it, labelled */
	ax_profile_from_cmdline(&P,
				"quiet pcie_acs_override=downstream,multifunction");
	CHECK(P.ovr_downstream && P.ovr_multifunction, "override parsed");
	run();
	DIFF("01:00.0", "02:00.0");
	DIFF("01:00.0", "01:00.1");
	REASON("01:00.0", AX_R_ACS_OVERRIDE, "00:1c.0");
}

static void test_disable_acs_redir_and_compare(void)
{
	reset();
	fm_acs(bridge("00:01.0", 0x1b36, 0x000c, RP, 1, 1, false), 0x1f, 0x1d);
	fm_acs(bridge("00:02.0", 0x1b36, 0x000c, RP, 2, 2, false), 0x1f, 0x1d);
	dev("01:00.0", 0x8086, 0x10d3, EP, false);
	dev("02:00.0", 0x8086, 0x10d3, EP, false);
	M.kernel_groups_known = true;
	M.devs[0].kernel_group = 1;
	M.devs[1].kernel_group = 2;
	M.devs[2].kernel_group = 1;	/* the kernel merged 01:00.0 */
	M.devs[3].kernel_group = 3;
	snprintf(P.disable_acs_redir, sizeof(P.disable_acs_redir),
		 "0000:00:01.0");
	run();
	SAME("00:01.0", "01:00.0");
	CHECK(R.matches_kernel, "prediction equals the kernel's groups");
	REASON("01:00.0", AX_R_ACS_REDIR_DISABLED, "00:01.0");
	P.disable_acs_redir[0] = 0;
	run();
	CHECK(!R.matches_kernel && R.n_mismatch > 0,
	      "a difference is reported (%d)", R.n_mismatch);
	/* config_acs: clear RR on 00:02.0 */
	snprintf(P.config_acs, sizeof(P.config_acs), "xxxx0xx@0000:00:02.0");
	run();
	SAME("00:02.0", "02:00.0");
}

/*
 * A function added after boot without the multifunction bit in its own
 * header type.  By hand from the kernel (probe.c, iommu.c; 6.1, 6.12 and
 * 7.2 alike): pci_scan_slot() -> pci_scan_single_device() ->
 * pci_device_add() -> device_add() -> iommu_probe_device() groups the
 * function while dev->multifunction is still its header bit; only then
 * does pci_scan_slot() set "if (fn > 0) dev->multifunction = 1".  At boot
 * the IOMMU probes after the whole scan.  So: function 2 removed and
 * rescanned comes back in a group of its own (pci_acs_enabled(): single
 * function, isolated), while 0 and 1 keep the group of the boot.
 */
static void late_machine(int g0, int g1, int g2, bool bit12, bool bit_known)
{
	int i;

	reset();
	M.kernel_groups_known = true;
	fm_acs(bridge("00:02.0", 0x1b36, 0x000c, RP, 1, 1, false), 0x1f, 0x1d);
	dev("01:00.0", 0x8086, 0x10d3, EP, true);
	dev("01:00.1", 0x8086, 0x10d3, EP, true);
	dev("01:00.2", 0x8086, 0x10d3, EP, true);
	M.devs[0].kernel_group = 1;
	M.devs[1].kernel_group = g0;
	M.devs[2].kernel_group = g1;
	M.devs[3].kernel_group = g2;
	for (i = 1; i < 4; i++) {
		M.devs[i].hdr_mf_known = bit_known;
		M.devs[i].hdr_mf = i == 1 || bit12;
	}
}

static int audit_from(const char *addr)
{
	int i = fm_idx(addr), k, n = 0;

	for (k = 0; k < R.n_audit; k++)
		n += R.audit[k].from == i;
	return n;
}

static void test_late_single_function(void)
{
	int late[4];

	/* the boot: one group, as predicted */
	late_machine(2, 2, 2, false, true);
	run();
	ax_find_mismatch_cause(&M, &P, &R);
	CHECK(R.matches_kernel && R.mismatch_kind == AX_CAUSE_NONE,
	      "boot groups match");
	/* function 2 rescanned */
	late_machine(2, 2, 3, false, true);
	run();
	ax_find_mismatch_cause(&M, &P, &R);
	CHECK(R.mismatch_kind == AX_CAUSE_LATE_SINGLE,
	      "01:00.2 rescanned: late single function, not '%s'",
	      R.mismatch_cause);
	CHECK(ax_late_single_functions(&M, &P, &R, late, 4) == 1 &&
	      late[0] == fm_idx("01:00.2"), "only 01:00.2 is late");
	CHECK(strstr(R.mismatch_cause, "0000:01:00.2 was added after boot") != NULL,
	      "cause names 01:00.2: %s", R.mismatch_cause);
	CHECK(audit_from("01:00.2") == 2, "audit: 01:00.2 reaches its 2 slot mates (%d)",
	      audit_from("01:00.2"));
	/* functions 1 and 2 rescanned (or the whole slot: function 0 comes
	 * back first, with no mate to join)
	 */
	late_machine(2, 3, 4, false, true);
	run();
	ax_find_mismatch_cause(&M, &P, &R);
	CHECK(R.mismatch_kind == AX_CAUSE_LATE_SINGLE &&
	      strstr(R.mismatch_cause, "0000:01:00.1 and 0000:01:00.2 were added"),
	      "both late: %s", R.mismatch_cause);
	/* the header bit not read (an older snapshot): still the candidate */
	late_machine(2, 3, 4, false, false);
	run();
	ax_find_mismatch_cause(&M, &P, &R);
	CHECK(R.mismatch_kind == AX_CAUSE_LATE_SINGLE, "bit unknown: late");
	/* every function has the bit (Intel X53 style): a rescan keeps them
	 * together, so the split is not this; the override explains it
	 */
	late_machine(2, 3, 4, true, true);
	run();
	ax_find_mismatch_cause(&M, &P, &R);
	CHECK(R.mismatch_kind == AX_CAUSE_OVERRIDE &&
	      strstr(R.mismatch_cause, "pcie_acs_override=multifunction"),
	      "bit set: the override, not '%s'", R.mismatch_cause);
	/* acs_inspect's kprobe saw the kernel answer for the rescanned
	 * function 2: "isolated", no quirk (single function then); the
	 * groups follow it, and it is flagged as not the hardware's
	 */
	late_machine(2, 2, 3, false, true);
	M.devs[3].kernel_verdict_known = true;
	M.devs[3].kernel_verdict_origin = ACSI_ORIGIN_KPROBE;
	M.devs[3].kernel_isolated = true;
	M.devs[3].quirk_result_known = true;
	M.devs[3].quirk_result = -25;
	run();
	CHECK(R.matches_kernel && R.dev[3].acs.isolated &&
	      R.dev[3].acs.late_single, "kprobe-seen late function");
	CHECK(audit_from("01:00.2") == 2, "audit from the kprobe case (%d)",
	      audit_from("01:00.2"));
	/* the same answer for function 2 with the header bit set: the
	 * kernel's answer stands as it is
	 */
	M.devs[3].hdr_mf = true;
	run();
	CHECK(R.dev[3].acs.isolated && !R.dev[3].acs.late_single,
	      "bit set: the kernel's answer as it is");
	/* function 0 alone in its group while 1 and 2 share: no rescan
	 * explains it (function 0 would join them)
	 */
	late_machine(2, 3, 3, false, true);
	run();
	ax_find_mismatch_cause(&M, &P, &R);
	CHECK(R.mismatch_kind != AX_CAUSE_LATE_SINGLE, "0 apart: not late");
}

static void test_amd_sb(void)
{
	reset();
	dev("00:14.0", 0x1002, 0x4385, EP, true);
	dev("00:14.3", 0x1002, 0x439d, EP, true);
	run();
	SAME("00:14.0", "00:14.3");
	snprintf(M.iommu_driver, sizeof(M.iommu_driver), "amd");
	run();
	DIFF("00:14.0", "00:14.3");
}

/* acs_inspect saw the kernel's own pci_acs_enabled() answer: it wins over
 * the replay (a quirk the database lacks), but not for another kernel.
 */
static void test_kernel_verdict(void)
{
	struct ax_dev *x;

	reset();
	x = bridge("00:1c.0", 0x1234, 0x5678, RP, 1, 1, false);
	x->kernel_verdict_known = true;
	x->kernel_isolated = true;
	x->kernel_verdict_origin = 5;	/* ACSI_ORIGIN_KPROBE */
	x->quirk_result_known = true;
	x->quirk_result = 1;
	dev("01:00.0", 0x8086, 0x10d3, EP, false);
	run();
	DIFF("00:1c.0", "01:00.0");
	CHECK(R.dev[fm_idx("00:1c.0")].acs.basis == AX_ACS_BY_KERNEL,
	      "basis is the kernel's call");
	P.hypothetical = true;
	run();
	SAME("00:1c.0", "01:00.0");
	/* origins other than the kprobe are the module's own reading */
	reset();
	x = bridge("00:1c.0", 0x1234, 0x5678, RP, 1, 1, false);
	x->kernel_verdict_known = true;
	x->kernel_isolated = true;
	x->kernel_verdict_origin = 3;	/* type rule */
	dev("01:00.0", 0x8086, 0x10d3, EP, false);
	run();
	SAME("00:1c.0", "01:00.0");
}

static void test_addr_parse(void)
{
	struct ax_addr a;
	char b[AX_ADDR_STRLEN];

	CHECK(!ax_addr_parse("0000:07:00.1", &a) && a.bus == 7 &&
	      a.devfn == 1, "full address");
	CHECK(!ax_addr_parse("07:00.1", &a) && a.domain == 0, "short");
	CHECK(ax_addr_parse("07:00", &a), "no function");
	CHECK(ax_addr_parse("07:20.1", &a), "slot > 31");
	CHECK(ax_addr_parse("0000:07:00.8", &a), "function > 7");
	CHECK(ax_addr_parse("zz:00.0", &a), "garbage");
	CHECK(ax_addr_parse("0000:07:00.1x", &a), "trailing");
	CHECK(ax_addr_parse("100000000:00:00.0", &a), "domain above 32 bits");
	CHECK(!ax_addr_parse("10000:e0:06.0", &a) && a.domain == 0x10000,
	      "VMD domain 10000");
	CHECK(!strcmp(ax_addr_str(a, b), "10000:e0:06.0"), "round trip %s", b);
	ax_addr_parse("0001:a0:1f.7", &a);
	CHECK(!strcmp(ax_addr_str(a, b), "0001:a0:1f.7"), "round trip %s", b);
	CHECK(ax_kver_parse("6.12.117+deb12-amd64") == 6012, "kver");
	CHECK(ax_kver_parse("5.9") == 5009, "kver short");
	CHECK(ax_kver_parse("garbage") == 0, "kver garbage");
}

int main(void)
{
	ax_machine_init(&M);
	test_addr_parse();
	test_root_port_acs();
	test_c1_ioh_no_acs();
	test_switch_no_acs();
	test_pcie_to_pci_bridge();
	test_dmi_bridge();
	test_rciep_quirk();
	test_c3_kernel_59();
	test_c6_multifunction();
	test_c10_spt();
	test_c7_mf_root_ports();
	test_dma_alias_func1();
	test_no_iommu_and_override();
	test_disable_acs_redir_and_compare();
	test_amd_sb();
	test_late_single_function();
	test_kernel_verdict();
	ax_result_free(&R);
	ax_machine_free(&M);
	return check_report("derive");
}
