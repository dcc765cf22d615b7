// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vmd.c - Intel VMD: arch/x86/pci/common.c pci_real_dma_dev() returns
 * the VMD endpoint for every device of a VMD domain, and
 * drivers/pci/search.c pci_for_each_dma_alias() starts from it, so
 * pci_device_group() step 1 puts them all in the endpoint's group.
 * drivers/pci/controller/vmd.c vmd_find_free_domain() numbers the domains
 * from 0x10000 in probe order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "check.h"
#include "fake_machine.h"
#include "source.h"

/* PCIe functions, single-function, in this test */
static struct ax_dev *dev(const char *addr, uint16_t v, uint16_t d, int type)
{
	return fm_dev(addr, v, d, type, false);
}

static void port(const char *addr, int bus)
{
	struct ax_dev *x = dev(addr, 0x8086, 0x7ab8, AX_EXP_ROOT_PORT);

	x->is_bridge = true;
	x->secondary = x->subordinate = (uint8_t)bus;
	x->acs_pos = 0x220;
	x->acs_cap = 0x1f;
	x->acs_ctrl = 0x1d;
}

static bool reason_at(const char *addr, const char *at)
{
	int i = fm_idx(addr), k;

	for (k = 0; k < R.dev[i].n_reasons; k++)
		if (R.dev[i].reasons[k].code == AX_R_VMD_DOMAIN &&
		    R.dev[i].reasons[k].at == fm_idx(at))
			return true;
	return false;
}

static void run(void)
{
	fm_link();
	ax_profile_init(&P);
	ax_result_free(&R);
	if (ax_derive(&M, &P, &R))
		abort();
}

/* A laptop: VMD at 0000:00:0e.0, its domain 10000:e0 with a root port,
 * an NVMe drive below it and the AHCI controller.
 */
static void test_client(void)
{
	fm_reset(AX_IOMMU_ON);
	dev("0000:00:02.0", 0x8086, 0xa7a0, AX_EXP_RC_END)->class = 0x030000;
	dev("0000:00:0e.0", 0x8086, 0xa77f, AX_EXP_RC_END)->class = 0x010400;
	port("10000:e0:06.0", 0xe1);
	dev("10000:e1:00.0", 0x144d, 0xa80a, AX_EXP_ENDPOINT);
	dev("10000:e0:17.0", 0x8086, 0x7a62, AX_EXP_RC_END);
	run();
	CHECK(fm_grp("10000:e1:00.0") == fm_grp("0000:00:0e.0"),
	      "NVMe behind VMD in the VMD endpoint's group");
	CHECK(fm_grp("10000:e0:06.0") == fm_grp("0000:00:0e.0"), "the root port too");
	CHECK(fm_grp("10000:e0:17.0") == fm_grp("0000:00:0e.0"), "and AHCI");
	CHECK(fm_grp("0000:00:02.0") != fm_grp("0000:00:0e.0"), "the GPU is not");
	CHECK(reason_at("10000:e1:00.0", "0000:00:0e.0"), "reason vmd_domain");
}

/* A server: two VMD endpoints, domains 10000 and 10001 in probe order;
 * a domain without an endpoint in the facts stays apart, with a note.
 */
static void test_server(void)
{
	fm_reset(AX_IOMMU_ON);
	dev("0000:64:05.5", 0x8086, 0x201d, AX_EXP_RC_END);
	dev("0000:b2:05.5", 0x8086, 0x201d, AX_EXP_RC_END);
	port("10000:00:00.0", 1);
	dev("10000:01:00.0", 0x8086, 0x0a54, AX_EXP_ENDPOINT);
	port("10001:00:00.0", 1);
	dev("10001:01:00.0", 0x8086, 0x0a54, AX_EXP_ENDPOINT);
	run();
	CHECK(fm_grp("10000:01:00.0") == fm_grp("0000:64:05.5"),
	      "domain 10000 is the first endpoint's");
	CHECK(fm_grp("10001:01:00.0") == fm_grp("0000:b2:05.5"),
	      "domain 10001 the second's");
	CHECK(fm_grp("10000:01:00.0") != fm_grp("10001:01:00.0"), "two groups");
	port("10002:00:00.0", 1);
	dev("10002:01:00.0", 0x8086, 0x0a54, AX_EXP_ENDPOINT);
	run();
	CHECK(R.n_notes > 0 && strstr(R.notes[0], "VMD"), "orphan noted");
	CHECK(fm_grp("10002:01:00.0") != fm_grp("0000:b2:05.5"),
	      "no endpoint: not joined to another's");
}

/* The same through an lspci -x dump with a five-digit domain. */
static void test_dump(void)
{
	const char *path = "tests/user/fixtures/vmd/client-lspci-x.txt";
	char err[256];
	struct ax_addr a;

	fm_reset(AX_IOMMU_UNKNOWN);
	CHECK(!ax_source_dump(&M, path, err, sizeof(err)), "%s", err);
	run();
	CHECK(!ax_addr_parse("10000:e1:00.0", &a) &&
	      ax_machine_find(&M, a) >= 0, "10000:e1:00.0 read from the dump");
	CHECK(fm_grp("10000:e1:00.0") == fm_grp("0000:00:0e.0"),
	      "dump: the NVMe drive shares the VMD endpoint's group");
}

int main(void)
{
	ax_machine_init(&M);
	test_client();
	test_server();
	test_dump();
	ax_result_free(&R);
	ax_machine_free(&M);
	return check_report("vmd");
}
