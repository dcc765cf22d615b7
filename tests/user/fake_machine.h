/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_machine.h - machines built device by device for the unit tests of
 * the analysis: the machine M, the kernel profile P it is judged under and
 * the derivation's result R, builders for functions, bridges and ACS
 * capabilities, and lookups by address.  Each test is one program, so the
 * state is one static machine; a malformed or missing address aborts the
 * test (run.sh counts a test without its result line as failed).
 */
#ifndef ACSEXPLAIN_TEST_FAKE_MACHINE_H
#define ACSEXPLAIN_TEST_FAKE_MACHINE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis.h"

static struct ax_machine M;
static struct ax_profile P;
static struct ax_result R;

/* M empty with the IOMMU in state iommu; P the newest kernel's rules. */
static inline void fm_reset(enum ax_iommu_state iommu)
{
	ax_machine_free(&M);
	ax_machine_init(&M);
	ax_profile_init(&P);
	M.iommu = iommu;
}

/* A function at addr ("0000:01:00.0", "01:00.0") with ids v:d, of PCIe
 * port type type (< 0: conventional PCI), with the multifunction bit mf;
 * its ACS capability is readable (and absent until fm_acs()).
 */
static inline struct ax_dev *fm_dev(const char *addr, uint16_t v, uint16_t d,
				    int type, bool mf)
{
	struct ax_dev *x = ax_machine_add(&M);

	if (!x || ax_addr_parse(addr, &x->addr))
		abort();
	x->vendor = v;
	x->device = d;
	x->is_pcie = type >= 0;
	x->pcie_type = type >= 0 ? (enum ax_pcie_type)type : AX_EXP_ENDPOINT;
	x->multifunction = mf;
	x->acs_known = true;
	return x;
}

/* A type 1 bridge forwarding buses sec..sub. */
static inline struct ax_dev *fm_bridge(const char *addr, uint16_t v,
				       uint16_t d, int type, int sec, int sub,
				       bool mf)
{
	struct ax_dev *x = fm_dev(addr, v, d, type, mf);

	x->is_bridge = true;
	x->hdr_type = 1;
	x->secondary = (uint8_t)sec;
	x->subordinate = (uint8_t)sub;
	return x;
}

/* An ACS capability (at 0x140) with these capability and control bits. */
static inline void fm_acs(struct ax_dev *x, uint16_t cap, uint16_t ctrl)
{
	x->acs_pos = 0x140;
	x->acs_cap = cap;
	x->acs_ctrl = ctrl;
}

/* Index of the device at addr in M (linked or sorted), -1 when none. */
static inline int fm_idx(const char *addr)
{
	struct ax_addr a;

	if (ax_addr_parse(addr, &a))
		abort();
	return ax_machine_find(&M, a);
}

/* Link M once it is built, as main does. */
static inline void fm_link(void)
{
	char err[128];

	if (ax_machine_link(&M, err, sizeof(err))) {
		printf("link: %s\n", err);
		abort();
	}
}

/* The group R gives the device at addr, which must exist. */
static inline int fm_grp(const char *addr)
{
	int i = fm_idx(addr);

	if (i < 0) {
		printf("no device %s in the machine\n", addr);
		abort();
	}
	return R.dev[i].group;
}

#endif
