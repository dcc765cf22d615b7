// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_assign.c - the advice: verdicts, companions, who is at fault,
 * remedies that can be done, on the real linuxhw reports of
 * ../shared/data/linuxhw, the case fixtures of REFERENCE section 5, and
 * machines built device by device.  Also the SMBIOS slot parser on
 * crafted tables.  ACSX_DUMP=1 prints every assignment (for debugging).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "check.h"
#include "fake_machine.h"
#include "linuxhw.h"

#include "quirks.h"
#include "source.h"


static struct ax_grouping G;
static bool have_r, have_g;

static void clear(void)
{
	if (have_g)
		ax_grouping_free(&G);
	if (have_r)
		ax_result_free(&R);
	have_g = have_r = false;
	ax_machine_free(&M);
	ax_machine_init(&M);
	ax_profile_init(&P);
}

/* Derive and group as acsexplain does for a file. */
static void run(void)
{
	char err[256];

	if (M.kernel_groups_known && M.iommu == AX_IOMMU_UNKNOWN) {
		size_t i;

		M.iommu = AX_IOMMU_OFF;
		for (i = 0; i < M.n; i++)
			if (M.devs[i].kernel_group >= 0)
				M.iommu = AX_IOMMU_ON;
	}
	if (!P.kver)
		P.kver = ax_kver_parse(M.kernel_release);
	ax_profile_from_cmdline(&P, M.cmdline);
	if (M.iommu == AX_IOMMU_OFF)
		P.assume_acs_requested = true;
	if (ax_derive(&M, &P, &R))
		abort();
	ax_find_mismatch_cause(&M, &P, &R);
	have_r = true;
	if (ax_grouping_init(&G, &M, &R))
		abort();
	have_g = true;
	(void)err;
}

/* Load an lspci -vvnn report; edit (if given) rewrites the text first. */
static bool load(const char *path, int kver, void (*edit)(char *))
{
	char err[256];
	size_t len = 0;
	char *buf = ax_read_file(path, &len, NULL, 0);

	clear();
	if (!buf) {
		CHECK(0, "cannot read %s", path);
		return false;
	}
	if (edit) {
		edit(buf);
		len = strlen(buf);
	}
	if (ax_source_text(&M, buf, len, err, sizeof(err))) {
		CHECK(0, "%s: %s", path, err);
		free(buf);
		return false;
	}
	free(buf);
	snprintf(M.source_name, sizeof(M.source_name), "%s", path);
	if (!M.kernel_release[0])
		ax_release_from_name(&M, path);
	if (ax_machine_link(&M, err, sizeof(err))) {
		CHECK(0, "%s: %s", path, err);
		return false;
	}
	ax_fill_names(&M);
	ax_machine_infer_ports(&M);
	P.kver = kver;
	run();
	return true;
}

static void dump(const struct ax_assignment *a)
{
	char b[16];
	int k, j;

	if (!getenv("ACSX_DUMP"))
		return;
	printf("%s %s: %s\n", ax_addr_str(M.devs[a->dev].addr, b),
	       ax_verdict_name(a->verdict), a->why);
	printf("  with:");
	for (k = 0; k < a->n_assign_with; k++)
		printf(" %s", ax_addr_str(M.devs[a->assign_with[k]].addr, b));
	printf("\n  companions:");
	for (k = 0; k < a->n_companions; k++)
		printf(" %s", ax_addr_str(M.devs[a->companions[k]].addr, b));
	printf("\n  at fault:");
	for (k = 0; k < a->n_at_fault; k++)
		printf(" %s", ax_addr_str(M.devs[a->at_fault[k]].addr, b));
	printf("\n");
	for (k = 0; k < a->n_remedies; k++) {
		printf("  remedy %s:", ax_remedy_kind_name(a->remedies[k].kind));
		for (j = 0; j < a->remedies[k].n_slots; j++)
			printf(" [%s]", ax_addr_str(M.devs[a->remedies[k].slots[j]].addr, b));
		printf(" %s\n", a->remedies[k].text);
	}
}

static struct ax_assignment A;

/* The device of the current assignment, for messages. */
static const char *cur(void)
{
	static char b[16];

	return ax_addr_str(M.devs[A.dev].addr, b);
}

static bool assign(const char *addr)
{
	int i = fm_idx(addr);

	ax_assignment_free(&A);
	if (i < 0) {
		CHECK(0, "no device %s in %s", addr, M.source_name);
		memset(&A, 0, sizeof(A));
		A.verdict = AX_V_UNKNOWN;
		return false;
	}
	if (ax_assign(&M, &P, &R, &G, i, &A))
		abort();
	dump(&A);
	return true;
}

static bool lists(const int *l, int n, const char *addr)
{
	int i = fm_idx(addr), k;

	for (k = 0; k < n; k++)
		if (l[k] == i)
			return true;
	return false;
}

static const struct ax_remedy *remedy(enum ax_remedy_kind k)
{
	int q;

	for (q = 0; q < A.n_remedies; q++)
		if (A.remedies[q].kind == k)
			return &A.remedies[q];
	return NULL;
}

#define VERDICT(addr, v) do { assign(addr); CHECK(A.verdict == (v), "%s in %s: verdict %s, expected %s (%s)", addr, M.source_name, ax_verdict_name(A.verdict), ax_verdict_name(v), A.why); } while (0)
#define COMPANION(addr) CHECK(lists(A.companions, A.n_companions, addr), "%s should be a companion of %s", addr, cur())
#define WITH(addr) CHECK(lists(A.assign_with, A.n_assign_with, addr), "%s should be assigned with %s", addr, cur())
#define FAULT(addr) CHECK(lists(A.at_fault, A.n_at_fault, addr), "%s should be at fault for %s", addr, cur())
#define NO_FAULT_ON_ITSELF() do { int _k; for (_k = 0; _k < A.n_at_fault; _k++) CHECK(!ax_same_device(&M.devs[A.at_fault[_k]], &M.devs[A.dev]), "the device or its own function is blamed"); } while (0)
#define NO_REMEDY(k) CHECK(!remedy(k), "no %s remedy expected for %s: %s", ax_remedy_kind_name(k), cur(), remedy(k) ? remedy(k)->text : "")
#define HAS_REMEDY(k) CHECK(remedy(k) != NULL, "a %s remedy expected for %s", ax_remedy_kind_name(k), cur())

/* Every device of every report: the rules that hold everywhere. */
static void check_invariants(void)
{
	int i;

	for (i = 0; i < (int)M.n; i++) {
		int k;

		ax_assignment_free(&A);
		if (ax_assign(&M, &P, &R, &G, i, &A) == 0) {
			NO_FAULT_ON_ITSELF();
			if (A.verdict != AX_V_SHARED) {
				CHECK(!A.n_at_fault, "%s: at fault named for verdict %s", M.devs[i].name, ax_verdict_name(A.verdict));
				NO_REMEDY(AX_RM_OVERRIDE);
				NO_REMEDY(AX_RM_MOVE);
			}
			for (k = 0; k < A.n_companions; k++)
				CHECK(ax_same_device(&M.devs[A.companions[k]], &M.devs[i]) &&
				      (G.of[A.companions[k]] != G.of[i] || G.of[i] < 0),
				      "companion in the same group or another device");
			if (remedy(AX_RM_MOVE)) {
				const struct ax_remedy *rm = remedy(AX_RM_MOVE);

				CHECK(!M.devs[i].on_root_bus, "move offered to an integrated device");
				for (k = 0; k < rm->n_slots; k++) {
					int p = rm->slots[k], h;

					CHECK(M.devs[p].slot_known && M.devs[p].has_slot, "move to a port without a slot");
					for (h = M.devs[i].parent; h >= 0; h = M.devs[h].parent)
						CHECK(h != p, "move to a port on the device's own path");
				}
			}
		}
		ax_assignment_free(&A);
	}
}

/* --- real reports --- */

static void test_x470_no_root(void)
{
	const char *f = linuxhw("Desktop__ASRock__X470");

	if (!load(f, 0, NULL))
		return;
	/* GPU with audio, USB, UCSI in kernel group 15 */
	VERDICT("0b:00.0", AX_V_OWN_DEVICE);
	CHECK(A.n_own == 3 && A.group == 15, "the GPU's 3 functions in group 15 (%d, %d)", A.n_own, A.group);
	NO_REMEDY(AX_RM_OVERRIDE);
	CHECK(strstr(A.why, "IOMMU group 15") != NULL, "the kernel's group number: %s", A.why);
	/* C4: the 400-series chipset group: I211 shares it */
	VERDICT("05:00.0", AX_V_SHARED);
	WITH("02:00.0");
	WITH("09:00.0");
	WITH("08:00.0");
	/* the chipset's bridge function and ports, not its USB and SATA */
	FAULT("02:00.2");
	FAULT("03:01.0");
	CHECK(!lists(A.at_fault, A.n_at_fault, "02:00.0") &&
	      !lists(A.at_fault, A.n_at_fault, "02:00.1"),
	      "the chipset's USB and SATA functions are not blamed");
	CHECK(!lists(A.assign_with, A.n_assign_with, "03:00.0"), "bridges are not assigned with it");
	NO_FAULT_ON_ITSELF();
	HAS_REMEDY(AX_RM_OVERRIDE);
	if (remedy(AX_RM_OVERRIDE)) {
		CHECK(strstr(remedy(AX_RM_OVERRIDE)->text, "stock Ubuntu") &&
		      strstr(remedy(AX_RM_OVERRIDE)->text, "does not carry"),
		      "the Ubuntu kernel cannot take the override: %s", remedy(AX_RM_OVERRIDE)->text);
		CHECK(strstr(remedy(AX_RM_OVERRIDE)->text, "unknown") != NULL,
		      "what the override splits is unknown without root: %s", remedy(AX_RM_OVERRIDE)->text);
	}
	/* slots unknown without root: no move invented */
	NO_REMEDY(AX_RM_MOVE);
	/* the NVMe on the CPU port: alone with its port */
	VERDICT("01:00.0", AX_V_ALONE);
	check_invariants();
	{
		char why[300];

		CHECK(ax_what_if_unknowns(&M, &R, &R, why, sizeof(why)) > 0,
		      "a report without root: what-ifs are unknown");
	}
}

static void strip_groups(char *s)
{
	char *p;

	while ((p = strstr(s, "IOMMU group:")))
		memcpy(p, "Xommu group:", 12);
}

static void test_group_lines_removed(void)
{
	const char *f = linuxhw("Desktop__ASRock__X470");

	/* without root and without group lines: unreadable ACS is taken as
	 * absent, which only widens groups: the GPU is assignable with its
	 * functions whatever the registers say; the I211's sharing is not
	 * certain
	 */
	if (!load(f, 0, strip_groups))
		return;
	VERDICT("0b:00.0", AX_V_OWN_DEVICE);
	CHECK(strstr(A.why, "can only be smaller") != NULL, "says what the guess means: %s", A.why);
	VERDICT("05:00.0", AX_V_UNKNOWN);
	CHECK(strstr(A.why, "sudo lspci -vvnn") != NULL, "says how to get the facts: %s", A.why);
	CHECK(!A.n_remedies && !A.n_at_fault, "no remedies on a guess");
	/* the Framework report is taken as root: groups derivable */
	f = linuxhw("Notebook__Framework");
	if (!load(f, 0, strip_groups))
		return;
	assign("c1:00.0");
	CHECK(G.derived && !G.kernel, "derived groups");
	CHECK(strstr(A.why, "Derived") != NULL, "says the groups are derived: %s", A.why);
}

static void test_framework(void)
{
	const char *f = linuxhw("Notebook__Framework");

	if (!load(f, 0, NULL))
		return;
	VERDICT("c1:00.0", AX_V_ALONE);
	COMPANION("c1:00.1");
	COMPANION("c1:00.6");
	CHECK(!A.n_at_fault, "alone: nobody at fault");
	CHECK(!A.n_remedies, "alone: nothing to do (%d remedies)", A.n_remedies);
	/* the audio function's companion is the GPU */
	VERDICT("c1:00.1", AX_V_ALONE);
	COMPANION("c1:00.0");
	/* the dummy host bridge and the USB4 port share group 4 */
	VERDICT("00:03.1", AX_V_WITH_BRIDGES);
	check_invariants();
}

static void test_b650(void)
{
	const char *f = linuxhw("Server__ASRockRack__B650");

	if (!load(f, 0, NULL))
		return;
	/* the BMC's VGA behind the ASPEED PCI bridge */
	VERDICT("07:00.0", AX_V_WITH_BRIDGES);
	/* both BCM57416 ports */
	VERDICT("09:00.0", AX_V_OWN_DEVICE);
	CHECK(A.n_own == 1, "one other port");
	VERDICT("04:00.0", AX_V_WITH_BRIDGES);
	VERDICT("0d:00.0", AX_V_ALONE);
	COMPANION("0d:00.1");
	check_invariants();
}

static void test_ser_apu(void)
{
	const char *f = linuxhw("Mini_Pc__AZW__SER");

	if (!load(f, 0, NULL))
		return;
	/* C8: the APU's GPU alone, its other functions share group 12 */
	VERDICT("04:00.0", AX_V_ALONE);
	COMPANION("04:00.1");
	COMPANION("04:00.7");
	VERDICT("04:00.1", AX_V_OWN_DEVICE);
	CHECK(A.n_own == 6, "six other functions with the audio (%d)", A.n_own);
	COMPANION("04:00.0");
	NO_REMEDY(AX_RM_OVERRIDE);
	NO_REMEDY(AX_RM_MOVE);
	check_invariants();
}

static void test_all_reports(void)
{
	static const char *const r[] = {
		"Desktop__ASRock__X99", "Mini_Pc__AZW__GTR",
		"Mini_Pc__Intel__NUC11",
	};
	size_t k;

	for (k = 0; k < sizeof(r) / sizeof(r[0]); k++)
		if (load(linuxhw(r[k]), 0, NULL))
			check_invariants();
	if (load(linuxhw("Desktop__ASRock__X99"), 0, NULL)) {
		VERDICT("02:00.0", AX_V_OWN_DEVICE);
		/* a Proxmox kernel: the override would be possible */
		CHECK(ax_override_support(M.kernel_release, NULL) == AX_OVR_YES,
		      "%s takes the override", M.kernel_release);
	}
}

/* --- the case fixtures of REFERENCE section 5 --- */

static const char *fixture(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "tests/user/fixtures/cases/%s", name);
	return path;
}

static void test_c5_c12(void)
{
	if (!load(fixture("c5-peg-gpu.txt"), 0, NULL))
		return;
	/* the GPU and its 3 functions with the PEG port: own device */
	VERDICT("01:00.0", AX_V_OWN_DEVICE);
	CHECK(A.n_own == 3, "3 own functions (%d)", A.n_own);
	CHECK(!A.n_at_fault, "nobody at fault for an own-device group");
	NO_REMEDY(AX_RM_OVERRIDE);
	NO_REMEDY(AX_RM_MOVE);
	HAS_REMEDY(AX_RM_ASSIGN_GROUP);
	VERDICT("01:00.1", AX_V_OWN_DEVICE);
	check_invariants();
}

/* A Proxmox kernel with the override on: the kernel's groups are what
 * VFIO enforces, but the answer says the isolation is simulated.
 */
static void test_override_active(void)
{
	if (!load(fixture("c5-proxmox-override.txt"), 0, NULL))
		return;
	VERDICT("01:00.0", AX_V_ALONE);
	CHECK(strstr(A.why, "simulated") && strstr(A.why, "own-device"),
	      "says the override makes it so: %s", A.why);
	COMPANION("01:00.1");
	NO_REMEDY(AX_RM_OVERRIDE);
}

static void test_c2(void)
{
	if (!load(fixture("c2-pch-wireless.txt"), AX_KVER(3, 14), NULL))
		return;
	VERDICT("03:00.0", AX_V_SHARED);
	WITH("02:00.0");
	FAULT("00:1c.1");
	NO_FAULT_ON_ITSELF();
	HAS_REMEDY(AX_RM_KERNEL);
	check_invariants();
	if (!load(fixture("c2-pch-wireless.txt"), AX_KVER(3, 16), NULL))
		return;
	assign("03:00.0");
	CHECK(A.verdict != AX_V_SHARED, "split on 3.16: %s", A.why);
}

static void test_c3(void)
{
	if (!load(fixture("c3-x99-pch.txt"), AX_KVER(5, 9), NULL))
		return;
	VERDICT("06:00.0", AX_V_SHARED);
	FAULT("00:1c.3");
	NO_FAULT_ON_ITSELF();
	HAS_REMEDY(AX_RM_KERNEL);
	if (remedy(AX_RM_KERNEL))
		CHECK(strstr(remedy(AX_RM_KERNEL)->text, "5.10") != NULL,
		      "names 5.10: %s", remedy(AX_RM_KERNEL)->text);
	check_invariants();
}


/* --- machines built device by device --- */

static void reset(void)
{
	clear();
	M.iommu = AX_IOMMU_ON;
	M.acs_requested = true;
	M.acs_requested_known = true;
}

/* With a class, a name ("dev ADDR") and its driver binding known. */
static struct ax_dev *named(struct ax_dev *x, const char *addr, uint32_t cls)
{
	x->class = cls;
	x->driver_known = true;
	snprintf(x->name, sizeof(x->name), "dev %s", addr);
	return x;
}

static struct ax_dev *dev(const char *addr, uint16_t v, uint16_t d,
			  uint32_t cls, int type, bool mf)
{
	return named(fm_dev(addr, v, d, type, mf), addr, cls);
}

/* slot < 0: Slot Implemented unknown, else whether it is set */
static struct ax_dev *port(const char *addr, uint16_t v, uint16_t d, int type,
			   int sec, int sub, bool mf, int slot)
{
	struct ax_dev *x = named(fm_bridge(addr, v, d, type, sec, sub, mf),
				 addr, 0x060400);

	x->slot_known = slot >= 0;
	x->has_slot = slot > 0;
	snprintf(x->driver, sizeof(x->driver), "pcieport");
	return x;
}

static void link_run(void)
{
	char err[128];

	if (ax_machine_link(&M, err, sizeof(err)))
		abort();
	run();
}

#define RP AX_EXP_ROOT_PORT
#define EP AX_EXP_ENDPOINT
#define USP AX_EXP_UPSTREAM
#define DSP AX_EXP_DOWNSTREAM
#define ACS_ALL 0x1f

/* C1: an I/O-hub root port without ACS above a PF and its VFs: the VFs
 * are not the problem, the port is.
 */
static void test_c1_vfs(void)
{
	struct ax_dev *x;
	int f;
	char a[32];

	reset();
	port("00:07.0", 0x8086, 0x3a40, RP, 7, 7, false, 1);
	x = dev("07:00.0", 0x15b3, 0x1003, 0x020000, EP, true);
	x->has_sriov = true;
	for (f = 1; f < 8; f++) {
		snprintf(a, sizeof(a), "07:00.%d", f);
		x = dev(a, 0x15b3, 0x1004, 0x020000, EP, false);
		x->is_virtfn = true;
	}
	link_run();
	for (f = 0; f < (int)M.n; f++)
		if (M.devs[f].is_virtfn)
			M.devs[f].physfn = fm_idx("07:00.0");
	if (have_r)
		ax_result_free(&R);
	ax_grouping_free(&G);
	have_r = have_g = false;
	run();
	VERDICT("07:00.3", AX_V_SHARED);
	FAULT("00:07.0");
	CHECK(A.n_at_fault == 1, "only the root port is at fault (%d)", A.n_at_fault);
	WITH("07:00.0");
	VERDICT("07:00.0", AX_V_SHARED);
	FAULT("00:07.0");
	check_invariants();
}

/* C6: a multifunction NIC without ACS: its ports are one device; the
 * I219 at 00:1f.6 stands alone while the other PCH functions share.
 */
static void test_c6(void)
{
	reset();
	dev("00:00.0", 0x8086, 0x3e30, 0x060000, -1, false);
	fm_acs(port("00:01.0", 0x8086, 0x1901, RP, 1, 1, false, 1), ACS_ALL, ACS_ALL);
	dev("01:00.0", 0x8086, 0x15ff, 0x020000, EP, true);
	dev("01:00.1", 0x8086, 0x15ff, 0x020000, EP, true);
	dev("00:1f.0", 0x8086, 0xa305, 0x060100, -1, true);
	dev("00:1f.3", 0x8086, 0xa348, 0x040300, -1, true);
	dev("00:1f.4", 0x8086, 0xa323, 0x0c0500, -1, true);
	dev("00:1f.6", 0x8086, 0x15bc, 0x020000, -1, true);
	link_run();
	VERDICT("01:00.0", AX_V_OWN_DEVICE);
	NO_REMEDY(AX_RM_OVERRIDE);
	VERDICT("00:1f.3", AX_V_OWN_DEVICE);
	check_invariants();
}

/* C7: APU2-style root ports that are functions of one multifunction
 * slot without ACS, NICs soldered behind them (Slot-): shared, the ports
 * at fault, and no move offered for soldered-down NICs.
 */
static void test_c7_soldered(void)
{
	int f;
	char a[32], b[32];

	reset();
	dev("00:00.0", 0x1022, 0x1566, 0x060000, -1, false);
	for (f = 1; f <= 4; f++) {
		snprintf(a, sizeof(a), "00:02.%d", f);
		port(a, 0x1022, 0x156b, RP, f, f, true, 0);
		snprintf(b, sizeof(b), "%02x:00.0", f);
		snprintf(M.devs[M.n - 1].driver, 32, "pcieport");
		dev(b, 0x8086, 0x157b, 0x020000, EP, false);
	}
	link_run();
	VERDICT("01:00.0", AX_V_SHARED);
	FAULT("00:02.1");
	NO_REMEDY(AX_RM_MOVE);
	check_invariants();
}

/* A GPU in a chipset slot whose ports lack ACS; the board has a free
 * CPU slot that isolates, a Slot- internal port, a port holding the
 * chipset's switch and another card's switch.  Only the CPU slot and the
 * free chipset... no: only ports whose path isolates are offered.
 */
static void build_move_machine(void)
{
	struct ax_dev *x;

	reset();
	dev("00:00.0", 0x1022, 0x14d8, 0x060000, -1, false);
	/* CPU slot, free, ACS on */
	fm_acs(port("00:01.1", 0x1022, 0x14db, RP, 1, 1, true, 1), ACS_ALL, ACS_ALL);
	snprintf(M.devs[M.n - 1].board_slot, 32, "PCIEX16_1");
	/* CPU port without a slot (an M.2 soldered link), ACS on */
	fm_acs(port("00:01.2", 0x1022, 0x14db, RP, 2, 2, true, 0), ACS_ALL, ACS_ALL);
	dev("02:00.0", 0x144d, 0xa808, 0x010802, EP, false);
	/* CPU port holding the chipset switch (Slot+ as ASRock Rack sets) */
	fm_acs(port("00:02.1", 0x1022, 0x14db, RP, 3, 8, true, 1), ACS_ALL, ACS_ALL);
	port("03:00.0", 0x1022, 0x43f4, USP, 4, 8, false, -1);
	/* chipset downstream ports without ACS, with slots */
	port("04:00.0", 0x1022, 0x43f5, DSP, 5, 5, false, 1);
	port("04:01.0", 0x1022, 0x43f5, DSP, 6, 6, false, 1);
	dev("05:00.0", 0x10de, 0x1e87, 0x030000, EP, true);
	dev("05:00.1", 0x10de, 0x10f8, 0x040300, EP, true);
	dev("06:00.0", 0x8086, 0x1533, 0x020000, EP, false);
	/* a card with its own switch in a CPU slot with ACS */
	fm_acs(port("00:03.1", 0x1022, 0x14db, RP, 9, 12, true, 1), ACS_ALL, ACS_ALL);
	port("09:00.0", 0x10b5, 0x8747, USP, 10, 12, false, -1);
	x = port("0a:08.0", 0x10b5, 0x8747, DSP, 11, 11, false, 1);
	fm_acs(x, ACS_ALL, ACS_ALL);
	x = port("0a:10.0", 0x10b5, 0x8747, DSP, 12, 12, false, 1);
	fm_acs(x, ACS_ALL, ACS_ALL);
	dev("0b:00.0", 0x10de, 0x1db6, 0x030200, EP, false);
	link_run();
}

static void test_move(void)
{
	const struct ax_remedy *rm;

	build_move_machine();
	/* the chipset DSPs lack ACS and are not multifunction, the root port
	 * above isolates: the kernel gives each DSP its own group
	 */
	VERDICT("05:00.0", AX_V_OWN_DEVICE);
	NO_REMEDY(AX_RM_MOVE);
	/* make the chipset's ports share: a switch without ACS under a root
	 * port without ACS
	 */
	M.devs[fm_idx("00:02.1")].acs_pos = 0;
	ax_result_free(&R);
	ax_grouping_free(&G);
	have_r = have_g = false;
	run();
	VERDICT("05:00.0", AX_V_SHARED);
	WITH("06:00.0");
	FAULT("00:02.1");
	rm = remedy(AX_RM_MOVE);
	CHECK(rm && rm->n_slots == 1 && rm->slots[0] == fm_idx("00:01.1"),
	      "only the free CPU slot (%d slots)", rm ? rm->n_slots : -1);
	if (rm)
		CHECK(strstr(rm->text, "PCIEX16_1") && strstr(rm->text, "CPU root port") &&
		      strstr(rm->text, "free"), "names the slot as the board does: %s", rm->text);
	CHECK(!strcmp(ax_port_location(&M, fm_idx("04:00.0")), "chipset"),
	      "chipset DSP: %s", ax_port_location(&M, fm_idx("04:00.0")));
	CHECK(!strcmp(ax_port_location(&M, fm_idx("0a:08.0")), "switch behind a CPU root port"),
	      "card switch: %s", ax_port_location(&M, fm_idx("0a:08.0")));
	/* the NVMe on the slot-less port shares nothing */
	VERDICT("02:00.0", AX_V_ALONE);
	check_invariants();
	/* slot facts unknown: nothing offered, nothing invented */
	M.devs[fm_idx("00:01.1")].slot_known = false;
	M.devs[fm_idx("00:01.1")].has_slot = false;
	ax_grouping_free(&G);	/* its cache holds the old facts */
	if (ax_grouping_init(&G, &M, &R))
		abort();
	assign("05:00.0");
	NO_REMEDY(AX_RM_MOVE);
}

/* C9: ports with an ACS capability whose controls were left partly off
 * (SrcValid only): not isolating; the remedies are the firmware option
 * and pci=config_acs=, and the ports are named, not the cards.
 */
static void test_c9_controls_off(void)
{
	reset();
	fm_acs(port("00:01.0", 0x1b36, 0x000c, RP, 1, 4, false, 1), 0x5f, 0x01);
	port("01:00.0", 0x10b5, 0x8747, USP, 2, 4, false, -1);
	fm_acs(port("02:08.0", 0x10b5, 0x8747, DSP, 3, 3, false, 1), 0x5f, 0x01);
	fm_acs(port("02:10.0", 0x10b5, 0x8747, DSP, 4, 4, false, 1), 0x5f, 0x01);
	dev("03:00.0", 0x10de, 0x1db6, 0x030200, EP, true);
	dev("03:00.1", 0x10de, 0x1db7, 0x040300, EP, true);
	dev("04:00.0", 0x10de, 0x1db6, 0x030200, EP, false);
	link_run();
	VERDICT("03:00.0", AX_V_SHARED);
	WITH("04:00.0");
	FAULT("00:01.0");
	NO_FAULT_ON_ITSELF();
	CHECK(!lists(A.at_fault, A.n_at_fault, "04:00.0"), "the other card is not at fault");
	HAS_REMEDY(AX_RM_BIOS);
	HAS_REMEDY(AX_RM_CONFIG_ACS);
	if (remedy(AX_RM_CONFIG_ACS))
		CHECK(strstr(remedy(AX_RM_CONFIG_ACS)->text, "config_acs=xx111x1@") != NULL,
		      "the bits to set: %s", remedy(AX_RM_CONFIG_ACS)->text);
	/* the override never applies to ports with an ACS capability */
	HAS_REMEDY(AX_RM_OVERRIDE);
	if (remedy(AX_RM_OVERRIDE))
		CHECK(strstr(remedy(AX_RM_OVERRIDE)->text, "would not split") != NULL,
		      "override on ports with ACS: %s", remedy(AX_RM_OVERRIDE)->text);
	check_invariants();
}

/* C11: no IOMMU: no groups, and how to enable it */
static void test_c11_no_iommu(void)
{
	reset();
	M.iommu = AX_IOMMU_OFF;
	fm_acs(port("00:01.0", 0x8086, 0x1901, RP, 1, 1, false, 1), ACS_ALL, ACS_ALL);
	dev("01:00.0", 0x10de, 0x1e87, 0x030000, EP, true);
	dev("01:00.1", 0x10de, 0x10f8, 0x040300, EP, true);
	link_run();
	VERDICT("01:00.0", AX_V_NO_GROUPS);
	CHECK(strstr(A.why, "VT-d") && strstr(A.why, "intel_iommu=on"), "how to enable: %s", A.why);
	HAS_REMEDY(AX_RM_BIOS);
	NO_REMEDY(AX_RM_OVERRIDE);
	snprintf(M.cmdline, sizeof(M.cmdline), "quiet intel_iommu=off");
	assign("01:00.0");
	CHECK(strstr(A.why, "switches the IOMMU off") != NULL, "names the command line: %s", A.why);
}

static void test_override_support(void)
{
	static const struct {
		const char *rel;
		enum ax_override_support s;
	} t[] = {
		{ "6.8.4-3-pve", AX_OVR_YES }, { "6.1.64-Unraid", AX_OVR_YES },
		{ "6.6.8-zen1-1-zen", AX_OVR_YES },
		{ "6.1.0-22-amd64", AX_OVR_NO }, { "6.12.117+deb12-amd64", AX_OVR_NO },
		{ "6.8.0-38-generic", AX_OVR_NO }, { "6.5.6-300.fc39.x86_64", AX_OVR_NO },
		{ "6.6.1-arch1-1", AX_OVR_NO }, { "6.9.0-custom", AX_OVR_UNKNOWN },
		{ "", AX_OVR_UNKNOWN },
	};
	size_t k;
	char buf[512];

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		CHECK(ax_override_support(t[k].rel, NULL) == t[k].s,
		      "override support of '%s'", t[k].rel);
	reset();
	snprintf(M.kernel_release, sizeof(M.kernel_release), "6.8.4-3-pve");
	ax_cmdline_howto(&M, "X=1", buf, sizeof(buf));
	CHECK(strstr(buf, "/etc/kernel/cmdline") && strstr(buf, "proxmox-boot-tool refresh") &&
	      strstr(buf, "update-grub"), "Proxmox, loader unknown: both ways: %s", buf);
	snprintf(M.boot_loader, sizeof(M.boot_loader), "proxmox-boot-tool");
	ax_cmdline_howto(&M, "X=1", buf, sizeof(buf));
	CHECK(strstr(buf, "/etc/kernel/cmdline") && !strstr(buf, "grub"), "systemd-boot Proxmox: %s", buf);
	snprintf(M.boot_loader, sizeof(M.boot_loader), "unraid");
	ax_cmdline_howto(&M, "X=1", buf, sizeof(buf));
	CHECK(strstr(buf, "VM Manager") != NULL, "Unraid: %s", buf);
	M.boot_loader[0] = '\0';
	snprintf(M.kernel_release, sizeof(M.kernel_release), "6.1.0-22-amd64");
	ax_cmdline_howto(&M, "X=1", buf, sizeof(buf));
	CHECK(strstr(buf, "GRUB_CMDLINE_LINUX_DEFAULT") && strstr(buf, "update-grub"), "Debian: %s", buf);
}

/* --- SMBIOS System Slots --- */

static size_t put_slot(uint8_t *b, size_t o, uint8_t len, const char *name,
		       uint16_t seg, uint8_t bus, uint8_t devfn, uint8_t usage)
{
	uint8_t *h = b + o;

	memset(h, 0, len);
	h[0] = 9;
	h[1] = len;
	h[2] = 0x09;
	h[4] = name ? 1 : 0;
	h[5] = 0xb6;		/* PCI Express Gen 4 x16 */
	h[7] = usage;
	if (len >= 0x11) {
		h[0x0d] = (uint8_t)seg;
		h[0x0e] = (uint8_t)(seg >> 8);
		h[0x0f] = bus;
		h[0x10] = devfn;
	}
	o += len;
	if (name) {
		memcpy(b + o, name, strlen(name) + 1);
		o += strlen(name) + 1;
	} else {
		b[o++] = 0;
	}
	b[o++] = 0;
	return o;
}

static void test_dmi(void)
{
	uint8_t b[512];
	struct ax_dmi_slot s[8];
	char err[200];
	size_t o = 0;
	int n;

	/* a BIOS structure with two strings first, to be skipped */
	memset(b, 0, sizeof(b));
	b[0] = 0;
	b[1] = 0x18;
	o = 0x18;
	memcpy(b + o, "Vendor\0" "1.0\0\0", 12);
	o += 12;
	o = put_slot(b, o, 0x11, "PCIEX16_1", 0, 0x01, 0x00, 4);	/* the card */
	o = put_slot(b, o, 0x11, "PCIEX1_2", 0, 0x00, AX_DEVFN(0x02, 1), 3);	/* the port */
	o = put_slot(b, o, 0x11, "M2_1", 0, 0xff, 0xff, 3);	/* no address */
	o = put_slot(b, o, 0x0d, "PCI1", 0, 0, 0, 3);	/* SMBIOS 2.1: none */
	o = put_slot(b, o, 0x11, NULL, 0, 0x09, 0x00, 3);	/* empty, no name */
	b[o++] = 127;
	b[o++] = 4;
	b[o++] = 0;
	b[o++] = 0;
	b[o++] = 0;
	b[o++] = 0;
	n = ax_dmi_parse_slots(b, o, s, 8, err, sizeof(err));
	CHECK(n == 5, "five slots (%d: %s)", n, n < 0 ? err : "");
	if (n != 5)
		return;
	CHECK(!strcmp(s[0].designation, "PCIEX16_1") && s[0].has_address &&
	      s[0].bus == 1 && s[0].usage == 4, "slot 0");
	CHECK(!strcmp(s[1].designation, "PCIEX1_2") && s[1].devfn == AX_DEVFN(2, 1), "slot 1");
	CHECK(!s[2].has_address && !s[3].has_address, "no address given");
	CHECK(s[4].designation[0] == '\0' && s[4].has_address, "unnamed slot");
	CHECK(ax_dmi_parse_slots(b, o, s, 2, err, sizeof(err)) == 5,
	      "count beyond max");

	/* matched to ports: by the card, by the port, empty by the bus */
	reset();
	port("00:01.1", 0x1022, 0x14db, RP, 1, 1, true, -1);
	dev("01:00.0", 0x10de, 0x1e87, 0x030000, EP, false);
	port("00:02.1", 0x1022, 0x14db, RP, 2, 2, true, -1);
	port("00:03.1", 0x1022, 0x14db, RP, 9, 9, true, -1);
	link_run();
	n = ax_dmi_apply_slots(&M, s, 5);
	CHECK(n == 3, "three slots matched (%d)", n);
	CHECK(M.devs[fm_idx("00:01.1")].has_slot &&
	      !strcmp(M.devs[fm_idx("00:01.1")].board_slot, "PCIEX16_1"), "by the card");
	CHECK(M.devs[fm_idx("00:02.1")].has_slot &&
	      !strcmp(M.devs[fm_idx("00:02.1")].board_slot, "PCIEX1_2"), "by the port");
	CHECK(M.devs[fm_idx("00:03.1")].has_slot && !M.devs[fm_idx("00:03.1")].board_slot[0],
	      "empty slot by its bus");
	/* sysfs slots */
	CHECK(ax_sysfs_slot_apply(&M, "7", "0000:09:00\n") == fm_idx("00:03.1") &&
	      !strcmp(M.devs[fm_idx("00:03.1")].board_slot, "7"), "sysfs slot");
	CHECK(ax_sysfs_slot_apply(&M, "8", "") == -1, "a slot without address");
	CHECK(ax_sysfs_slot_apply(&M, "8", "0000:09:00.0") == -1, "malformed");

	/* malformed tables: one clear error, no read past the end */
	b[1] = 2;
	CHECK(ax_dmi_parse_slots(b, o, s, 8, err, sizeof(err)) == -1 &&
	      strstr(err, "offset 0"), "short header: %s", err);
	b[1] = 0x18;
	CHECK(ax_dmi_parse_slots(b, 0x18 + 5, s, 8, err, sizeof(err)) == -1 &&
	      strstr(err, "no end to its strings"), "cut strings: %s", err);
	b[1] = 0xff;
	CHECK(ax_dmi_parse_slots(b, 0x40, s, 8, err, sizeof(err)) == -1,
	      "length past the end");
	CHECK(ax_dmi_parse_slots(b, 0, s, 8, err, sizeof(err)) == 0, "empty");
}

static void test_device_address(void)
{
	struct ax_selector sel;

	CHECK(!ax_selector_parse("0000:01:00", &sel) && sel.domain == 0 &&
	      sel.bus == 1 && sel.slot == 0 && sel.func < 0,
	      "0000:01:00");
	CHECK(!ax_selector_parse("0001:c1:1f", &sel) && sel.domain == 1 &&
	      sel.bus == 0xc1 && sel.slot == 0x1f && sel.func < 0,
	      "0001:c1:1f");
	CHECK(!ax_selector_parse("0b:00", &sel) && sel.bus == 0x0b &&
	      sel.func < 0, "0b:00");
	CHECK(!ax_selector_parse("8086:15b7", &sel) && sel.vendor == 0x8086 &&
	      sel.device == 0x15b7 && sel.bus < 0, "vendor:device");
	CHECK(!ax_selector_parse("0000:01:00.0", &sel) && sel.func == 0,
	      "a function");
	CHECK(ax_selector_parse("0000:01:20", &sel), "device 0x20");
	CHECK(ax_selector_parse("0000:01:0g", &sel) && ax_selector_parse("", &sel),
	      "malformed");
}

int main(void)
{
	test_device_address();
	test_x470_no_root();
	test_group_lines_removed();
	test_framework();
	test_b650();
	test_ser_apu();
	test_all_reports();
	test_c5_c12();
	test_override_active();
	test_c2();
	test_c3();
	test_c1_vfs();
	test_c6();
	test_c7_soldered();
	test_move();
	test_c9_controls_off();
	test_c11_no_iommu();
	test_override_support();
	test_dmi();
	ax_assignment_free(&A);
	clear();
	ax_machine_free(&M);
	return check_report("test_assign");
}
