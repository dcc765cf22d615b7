// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_kernel_gaps.c - what the kernel does to the facts before grouping,
 * each case from the source lines that decide it (6.1, 6.12 and 7.2 alike):
 *
 * - drivers/pci/probe.c pci_scan_slot(): "if (fn > 0) dev->multifunction
 *   = 1;" (with ARI the scan walks functions 0..255);
 * - probe.c set_pcie_port_type(): "claims to be downstream port but is
 *   acting as upstream port, correcting type" and the converse;
 * - drivers/iommu/iommu.c get_pci_alias_group(): for_each_pci_dev() visits
 *   devices that have no group and recurses through their aliases;
 * - drivers/pci/quirks.c pci_quirk_amd_sb_acs(): only with an IVRS table;
 * - drivers/iommu/intel/iommu.c init_no_remapping_devices(): with
 *   intel_iommu=igfx_off the graphics DRHD is ignored, so no group;
 * - drivers/iommu/amd/iommu.c setup_aliases(): "if (ivrs_alias != devid
 *   && PCI_BUS_NUM(ivrs_alias) == pdev->bus->number)
 *   pci_add_dma_alias(pdev, ivrs_alias & 0xff, 1);" before the device's
 *   group is made: an IVRS alias is in dma_alias_mask, which only the
 *   module reads (QEMU's amd-iommu gives every device behind a
 *   pcie-pci-bridge the alias secondary:00.0, seen in the bed's snapshots).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "check.h"
#include "fake_machine.h"
#include "source.h"

#define RP AX_EXP_ROOT_PORT
#define USP AX_EXP_UPSTREAM
#define DSP AX_EXP_DOWNSTREAM
#define EP AX_EXP_ENDPOINT

/* Switch ports (a PLX PEX 8747) unless said otherwise. */
static struct ax_dev *bridge(const char *addr, int type, int sec, int sub)
{
	return fm_bridge(addr, 0x10b5, 0x8747, type, sec, sub, false);
}

static struct ax_dev *at(const char *addr)
{
	return &M.devs[fm_idx(addr)];
}

static void run(void)
{
	ax_result_free(&R);
	if (ax_derive(&M, &P, &R))
		abort();
}

static bool has_reason(const char *addr, enum ax_reason_code code)
{
	int i = fm_idx(addr), k;

	for (k = 0; k < R.dev[i].n_reasons; k++)
		if (R.dev[i].reasons[k].code == code)
			return true;
	return false;
}

static void test_functions_above_0(void)
{
	struct ax_dev *pf;

	fm_reset(AX_IOMMU_ON);
	bridge("00:01.0", RP, 1, 1)->acs_pos = 0;
	/* header type byte without the multifunction bit on function 1 */
	fm_dev("01:00.0", 0x8086, 0x1521, EP, true);
	fm_dev("01:00.1", 0x8086, 0x1521, EP, false);
	fm_link();
	CHECK(at("01:00.1")->multifunction, "function 1 is multifunction");
	/* ARI: functions 0..255 across "slots" */
	fm_reset(AX_IOMMU_ON);
	bridge("00:01.0", RP, 1, 1);
	pf = fm_dev("01:00.0", 0x15b3, 0x1017, EP, false);
	pf->ari = true;
	pf->has_sriov = true;
	fm_dev("01:01.0", 0x15b3, 0x1017, EP, false);	/* ARI function 8 */
	fm_dev("01:00.2", 0x15b3, 0x1018, EP, false)->is_virtfn = true;
	M.devs[2].physfn = 0;
	fm_link();
	CHECK(!at("01:00.0")->multifunction, "function 0 keeps its header");
	CHECK(at("01:01.0")->multifunction, "ARI function 8 is multifunction");
	CHECK(!at("01:00.2")->multifunction, "a VF stays single");
	run();
	CHECK(!R.dev[fm_idx("01:01.0")].acs.isolated,
	      "ARI function 8 without ACS does not isolate");
	/* without ARI, function 0 of slot 1 is a device of its own */
	fm_reset(AX_IOMMU_ON);
	bridge("00:01.0", RP, 1, 1);
	fm_dev("01:00.0", 0x15b3, 0x1017, EP, false);
	fm_dev("01:01.0", 0x15b3, 0x1017, EP, false);
	fm_link();
	CHECK(!at("01:01.0")->multifunction, "no ARI: slot 1 function 0");
}

static void test_port_type_correction(void)
{
	fm_reset(AX_IOMMU_ON);
	bridge("00:01.0", RP, 1, 4);
	bridge("01:00.0", DSP, 2, 4);	/* claims downstream */
	bridge("02:00.0", DSP, 3, 3);
	bridge("02:01.0", DSP, 4, 4);
	bridge("03:00.0", USP, 5, 5);	/* fine: below a downstream port */
	fm_link();
	CHECK(at("01:00.0")->pcie_type == USP,
	      "downstream port below a root port is an upstream port");
	CHECK(at("02:00.0")->pcie_type == DSP, "its children stay downstream");
	CHECK(at("03:00.0")->pcie_type == USP, "a real upstream port stays");
	CHECK(M.n_notes > 0 && strstr(M.notes[0], "01:00.0"), "noted: %s",
	      M.n_notes ? M.notes[0] : "");
	/* upstream below upstream: a downstream port */
	fm_reset(AX_IOMMU_ON);
	bridge("00:01.0", RP, 1, 3);
	bridge("01:00.0", USP, 2, 3);
	bridge("02:00.0", USP, 3, 3);
	fm_link();
	CHECK(at("02:00.0")->pcie_type == DSP,
	      "upstream port below an upstream port is a downstream port");
	/* single-function upstream ports isolate, downstream ports need
	 * ACS: the correction changes the groups
	 */
	fm_dev("03:00.0", 0x8086, 0x10d3, EP, false);
	fm_link();
	run();
	CHECK(fm_grp("02:00.0") == fm_grp("03:00.0"),
	      "the corrected downstream port without ACS keeps its endpoint");
}

static void test_alias_through_ungrouped(void)
{
	struct ax_dev *x, *y, *z;

	fm_reset(AX_IOMMU_ON);
	M.kernel_groups_known = true;
	x = fm_dev("00:03.0", 0x8086, 0x1234, -1, false);
	y = fm_dev("00:04.0", 0x8086, 0x1235, -1, false);
	z = fm_dev("00:05.0", 0x8086, 0x1236, -1, false);
	x->kernel_facts = y->kernel_facts = z->kernel_facts = true;
	y->has_alias_mask = z->has_alias_mask = true;
	y->alias_mask[0x18 / 8] |= 1u << (0x18 % 8);	/* Y aliases 03.0 */
	z->alias_mask[0x20 / 8] |= 1u << (0x20 % 8);	/* Z aliases 04.0 */
	x->kernel_group = 1;
	y->kernel_group = AX_GROUP_NONE;	/* e.g. not behind the IOMMU */
	z->kernel_group = 1;
	fm_link();
	run();
	CHECK(fm_grp("00:05.0") == fm_grp("00:03.0"),
	      "Z reaches X's group through Y, which has none");
	CHECK(R.matches_kernel, "the kernel's groups");
}

static void amd_southbridge(bool iommu_fn)
{
	struct ax_dev *d;

	fm_reset(AX_IOMMU_UNKNOWN);	/* a dump: no ACPI tables, no driver */
	if (iommu_fn) {
		d = fm_dev("00:00.2", 0x1022, 0x1481, EP, true);
		d->class = 0x080600;
	}
	fm_dev("00:14.0", 0x1002, 0x4385, EP, true);
	fm_dev("00:14.3", 0x1002, 0x439d, EP, true);
	fm_link();
	run();
}

static void test_amd_sb_ivrs(void)
{
	amd_southbridge(false);
	CHECK(fm_grp("00:14.0") == fm_grp("00:14.3"), "no IVRS evidence: together");
	amd_southbridge(true);
	CHECK(fm_grp("00:14.0") != fm_grp("00:14.3"),
	      "AMD IOMMU function present: the quirk isolates");
	CHECK(has_reason("00:00.2", AX_R_NO_IOMMU),
	      "the IOMMU's own function gets no group");
}

static void test_igfx_off(void)
{
	struct ax_dev *g;

	fm_reset(AX_IOMMU_UNKNOWN);
	g = fm_dev("00:02.0", 0x8086, 0x9a49, -1, false);
	g->class = 0x030000;
	fm_dev("00:14.0", 0x8086, 0xa0ed, -1, false);
	fm_link();
	run();
	CHECK(!has_reason("00:02.0", AX_R_NO_IOMMU), "GPU gets a group");
	snprintf(M.cmdline, sizeof(M.cmdline),
		 "quiet intel_iommu=on,igfx_off");
	run();
	CHECK(has_reason("00:02.0", AX_R_NO_IOMMU),
	      "igfx_off: the GPU gets no group");
	CHECK(!has_reason("00:14.0", AX_R_NO_IOMMU), "others do");
	snprintf(M.cmdline, sizeof(M.cmdline), "quiet igfx_off");
	run();
	CHECK(!has_reason("00:02.0", AX_R_NO_IOMMU),
	      "igfx_off outside intel_iommu= means nothing");
}

/* Two root-complex endpoints; the kernel's mask of 00:06.0 names 00:05.0. */
static void ivrs_machine(bool module, uint16_t vendor, uint16_t device)
{
	struct ax_dev *a, *b;

	fm_reset(AX_IOMMU_ON);
	snprintf(M.iommu_driver, sizeof(M.iommu_driver), "amd");
	M.module_facts = module;
	M.kernel_groups_known = true;
	a = fm_dev("00:05.0", 0x1022, 0x15d0, AX_EXP_RC_END, false);
	b = fm_dev("00:06.0", vendor, device, AX_EXP_RC_END, false);
	a->kernel_facts = b->kernel_facts = module;
	a->has_alias_mask = b->has_alias_mask = module;
	if (module)
		b->alias_mask[0x28 / 8] |= 1u << (0x28 % 8);
	a->kernel_group = b->kernel_group = 4;
	fm_link();
}

static int reason_at(const char *addr, enum ax_reason_code code)
{
	int i = fm_idx(addr), k;

	for (k = 0; k < R.dev[i].n_reasons; k++)
		if (R.dev[i].reasons[k].code == code)
			return R.dev[i].reasons[k].at;
	return -2;
}

static void test_ivrs_alias(void)
{
	char path[] = "/tmp/test_kernel_gaps.XXXXXX", err[256], *buf;
	int fd = mkstemp(path);
	FILE *f;
	long len;

	if (fd < 0 || !(f = fdopen(fd, "w")))
		abort();
	fclose(f);
	/* through a snapshot, as --save / --from carry the module's facts */
	ivrs_machine(true, 0x1022, 0x15d1);
	CHECK(ax_snapshot_save(&M, path, err, sizeof(err)) == 0, "save: %s",
	      err);
	ax_machine_free(&M);
	ax_machine_init(&M);
	f = fopen(path, "r");
	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) <= 0)
		abort();
	rewind(f);
	buf = malloc((size_t)len);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	remove(path);
	CHECK(ax_snapshot_load(&M, buf, (size_t)len, err, sizeof(err)) == 0,
	      "load: %s", err);
	free(buf);
	run();
	CHECK(fm_grp("00:05.0") == fm_grp("00:06.0"),
	      "the IVRS alias puts them in one group");
	CHECK(reason_at("00:06.0", AX_R_DMA_ALIAS_FIRMWARE) == fm_idx("00:06.0"),
	      "named as the firmware's alias, at the device holding it");
	CHECK(R.matches_kernel, "the kernel's groups");
	/* the same machine from a dump: no way to know */
	ivrs_machine(false, 0x1022, 0x15d1);
	M.kernel_groups_known = false;
	M.iommu = AX_IOMMU_UNKNOWN;
	run();
	CHECK(fm_grp("00:05.0") != fm_grp("00:06.0"), "without the module: apart");
	/* an alias a quirk sets stays a quirk (Marvell 88SE9123 function 1) */
	fm_reset(AX_IOMMU_ON);
	M.module_facts = true;
	fm_dev("00:05.0", 0x1b4b, 0x9123, AX_EXP_RC_END, true)->kernel_facts = true;
	fm_dev("00:05.1", 0x1b4b, 0x9123, AX_EXP_RC_END, true)->kernel_facts = true;
	at("00:05.0")->has_alias_mask = true;
	at("00:05.0")->alias_mask[0x29 / 8] |= 1u << (0x29 % 8);
	at("00:05.0")->acs_pos = 0;
	fm_link();
	P.kver = AX_KVER(6, 12);
	run();
	CHECK(fm_grp("00:05.0") == fm_grp("00:05.1"), "Marvell: one group");
	CHECK(reason_at("00:05.0", AX_R_DMA_ALIAS_FIRMWARE) == -2 &&
	      reason_at("00:05.1", AX_R_DMA_ALIAS_FIRMWARE) == -2,
	      "a quirk's alias is not the firmware's");
}

int main(void)
{
	ax_machine_init(&M);
	test_functions_above_0();
	test_port_type_correction();
	test_alias_through_ungrouped();
	test_amd_sb_ivrs();
	test_igfx_off();
	test_ivrs_alias();
	ax_result_free(&R);
	ax_machine_free(&M);
	return check_report("kernel_gaps");
}
