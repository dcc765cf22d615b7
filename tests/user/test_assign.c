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

#include "assign.h"
#include "check.h"
#include "derive.h"
#include "dmi_slots.h"
#include "quirks.h"
#include "src_dump.h"
#include "src_text.h"

static struct ax_machine M;
static struct ax_profile P;
static struct ax_result R;
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

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
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
	have_r = true;
	if (ax_grouping_init(&G, &M))
		abort();
	have_g = true;
	(void)err;
}

/* Load an lspci -vvnn report; edit (if given) rewrites the text first. */
static bool load(const char *path, int kver, void (*edit)(char *))
{
	char err[256];
	size_t len = 0;
	char *buf = slurp(path, &len);

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

static const char *linuxhw(const char *prefix)
{
	static char path[1024];
	char cmd[600];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls %s/linuxhw/%s* 2>/dev/null | head -n 1",
		 getenv("ACSX_DATA") ? getenv("ACSX_DATA") : "../shared/data",
		 prefix);
	p = popen(cmd, "r");
	path[0] = '\0';
	if (p) {
		if (!fgets(path, sizeof(path), p))
			path[0] = '\0';
		pclose(p);
	}
	path[strcspn(path, "\n")] = '\0';
	return path;
}

static int idx(const char *addr)
{
	struct ax_addr a;

	if (ax_addr_parse(addr, &a))
		abort();
	return ax_machine_find(&M, a);
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
	int i = idx(addr);

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
	int i = idx(addr), k;

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

	/* without root and without group lines: nothing to stand on */
	if (!load(f, 0, strip_groups))
		return;
	VERDICT("0b:00.0", AX_V_UNKNOWN);
	CHECK(strstr(A.why, "sudo lspci -vvnn") != NULL, "says how to get the facts: %s", A.why);
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

int main(void)
{
	test_x470_no_root();
	test_group_lines_removed();
	test_framework();
	test_b650();
	test_ser_apu();
	test_all_reports();
	test_c5_c12();
	test_c2();
	test_c3();
	ax_assignment_free(&A);
	clear();
	ax_machine_free(&M);
	return check_report("test_assign");
}
