// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: ACS register decoding of acs_inspect
 * (acsi_read_acs(), acsi_acs_flags_enabled(), acsi_is_intel_spt_dword_acs())
 * on config spaces of real devices.
 */
#include <kunit/test.h>
#include <linux/pci.h>

#include "acs_core.h"
#include "acs_fake_pci.h"

struct decode_case {
	const struct acsx_fixture *fx;
	u16 pos;
	u16 cap;
	u16 ctrl;
	u8 egress_bits;
	bool dword_layout;
	bool req_enabled;	/* SV|RR|CR|UF enabled by the registers */
};

/* Expected values are read off the raw dump bytes quoted in fixtures.h. */
static const struct decode_case decode_cases[] = {
	/* Haswell-E root port: 0d 00 81 14 | 1f 00 | 1f 00: all on. */
	{ &fx_hsw_rp, 0x110, 0x001f, 0x001f, 0, false, true },
	/* QuickPath IOH root port: implemented, nothing enabled. */
	{ &fx_ioh_rp, 0x150, 0x001f, 0x0000, 0, false, false },
	/* X58 root port of the tree dump: same IOH family. */
	{ &fx_x58_rp3, 0x150, 0x001f, 0x0000, 0, false, false },
	/* Sunrise Point-LP: 0d 00 01 20 | 0f 00 00 00 | 00 00 00 00. */
	{ &fx_spt_rp, 0x140, 0x000f, 0x0000, 0, true, false },
	/* Synthetic pciutils dump: ACS present, nothing implemented. */
	{ &fx_ide_mfd_acs0, 0x450, 0x0000, 0x0000, 0, false, true },
	/* No ACS capability at all. */
	{ &fx_cx3_ep, 0, 0, 0, 0, false, false },
	{ &fx_nf200_dsp0, 0, 0, 0, 0, false, false },
	{ &fx_ich10_rp, 0, 0, 0, 0, false, false },
	/* 256-byte dump: no extended space, so no ACS either. */
	{ &fx_ich10_uhci, 0, 0, 0, 0, false, false },
};

static void decode_case_desc(const struct decode_case *c, char *desc)
{
	strscpy(desc, c->fx->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(decode, decode_cases, decode_case_desc);

static void acs_decode_fixture(struct kunit *test)
{
	const struct decode_case *c = test->param_value;
	struct pci_dev *pdev = acsx_fake_alone(test, c->fx);
	struct acsi_acs acs;

	KUNIT_ASSERT_EQ(test, acsi_read_acs(pdev, &acs), 0);
	KUNIT_EXPECT_EQ(test, acs.pos, c->pos);
	KUNIT_EXPECT_EQ(test, acs.cap, c->cap);
	KUNIT_EXPECT_EQ(test, acs.ctrl, c->ctrl);
	KUNIT_EXPECT_EQ(test, acs.egress_bits, c->egress_bits);
	KUNIT_EXPECT_EQ(test, acs.dword_layout, c->dword_layout);
	KUNIT_EXPECT_EQ(test, acsi_acs_flags_enabled(&acs, ACSI_REQ_ACS_FLAGS),
			c->req_enabled);
}

/*
 * The Sunrise Point port keeps control in the dword at +8.  Enabling it
 * there must be seen; a value in the word at +6 (the capability dword's
 * upper half on this layout) must not.
 */
static void acs_decode_spt_ctrl_at_plus8(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_spt_rp);
	u16 pos = pdev->acs_cap;
	struct acsi_acs acs;

	KUNIT_ASSERT_EQ(test, pos, 0x140);
	pci_write_config_dword(pdev, pos + 8, PCI_ACS_SV | PCI_ACS_RR |
			       PCI_ACS_CR | PCI_ACS_TB);
	KUNIT_ASSERT_EQ(test, acsi_read_acs(pdev, &acs), 0);
	KUNIT_EXPECT_TRUE(test, acs.dword_layout);
	KUNIT_EXPECT_EQ(test, acs.ctrl, 0x000f);
	/* UF is not in the capability (0x0f): hard-wired, so isolated. */
	KUNIT_EXPECT_TRUE(test, acsi_acs_flags_enabled(&acs, ACSI_REQ_ACS_FLAGS));

	pci_write_config_dword(pdev, pos + 8, 0);
	pci_write_config_word(pdev, pos + PCI_ACS_CTRL, 0x001f);
	KUNIT_ASSERT_EQ(test, acsi_read_acs(pdev, &acs), 0);
	KUNIT_EXPECT_EQ(test, acs.ctrl, 0);
	KUNIT_EXPECT_FALSE(test, acsi_acs_flags_enabled(&acs, ACSI_REQ_ACS_FLAGS));
}

/* The same bytes on a port outside the quirk's ID list decode as words. */
static void acs_decode_word_layout_outside_spt_ids(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_spt_rp);
	u16 pos = pdev->acs_cap;
	struct acsi_acs acs;

	pdev->device = 0x9d1c;
	pci_write_config_dword(pdev, pos + 8, 0x000f);
	KUNIT_ASSERT_EQ(test, acsi_read_acs(pdev, &acs), 0);
	KUNIT_EXPECT_FALSE(test, acs.dword_layout);
	KUNIT_EXPECT_EQ(test, acs.cap, 0x000f);
	KUNIT_EXPECT_EQ(test, acs.ctrl, 0);
}

struct spt_id_case {
	u16 vendor;
	u16 device;
	int type;
	bool dword;
};

/* Edges of every range in pci_quirk_intel_spt_pch_acs_match(). */
static const struct spt_id_case spt_id_cases[] = {
	{ PCI_VENDOR_ID_INTEL, 0xa10f, PCI_EXP_TYPE_ROOT_PORT, false },
	{ PCI_VENDOR_ID_INTEL, 0xa110, PCI_EXP_TYPE_ROOT_PORT, true },
	{ PCI_VENDOR_ID_INTEL, 0xa11f, PCI_EXP_TYPE_ROOT_PORT, true },
	{ PCI_VENDOR_ID_INTEL, 0xa120, PCI_EXP_TYPE_ROOT_PORT, false },
	{ PCI_VENDOR_ID_INTEL, 0xa166, PCI_EXP_TYPE_ROOT_PORT, false },
	{ PCI_VENDOR_ID_INTEL, 0xa167, PCI_EXP_TYPE_ROOT_PORT, true },
	{ PCI_VENDOR_ID_INTEL, 0xa16a, PCI_EXP_TYPE_ROOT_PORT, true },
	{ PCI_VENDOR_ID_INTEL, 0xa16b, PCI_EXP_TYPE_ROOT_PORT, false },
	{ PCI_VENDOR_ID_INTEL, 0xa28f, PCI_EXP_TYPE_ROOT_PORT, false },
	{ PCI_VENDOR_ID_INTEL, 0xa290, PCI_EXP_TYPE_ROOT_PORT, true },
	{ PCI_VENDOR_ID_INTEL, 0xa29f, PCI_EXP_TYPE_ROOT_PORT, true },
	{ PCI_VENDOR_ID_INTEL, 0xa2e6, PCI_EXP_TYPE_ROOT_PORT, false },
	{ PCI_VENDOR_ID_INTEL, 0xa2e7, PCI_EXP_TYPE_ROOT_PORT, true },
	{ PCI_VENDOR_ID_INTEL, 0xa2ee, PCI_EXP_TYPE_ROOT_PORT, true },
	{ PCI_VENDOR_ID_INTEL, 0xa2ef, PCI_EXP_TYPE_ROOT_PORT, false },
	{ PCI_VENDOR_ID_INTEL, 0x9d0f, PCI_EXP_TYPE_ROOT_PORT, false },
	{ PCI_VENDOR_ID_INTEL, 0x9d10, PCI_EXP_TYPE_ROOT_PORT, true },
	{ PCI_VENDOR_ID_INTEL, 0x9d1b, PCI_EXP_TYPE_ROOT_PORT, true },
	{ PCI_VENDOR_ID_INTEL, 0x9d1c, PCI_EXP_TYPE_ROOT_PORT, false },
	/* Only root ports, and only Intel's. */
	{ PCI_VENDOR_ID_INTEL, 0x9d10, PCI_EXP_TYPE_DOWNSTREAM, false },
	{ PCI_VENDOR_ID_INTEL, 0x9d10, PCI_EXP_TYPE_ENDPOINT, false },
	{ PCI_VENDOR_ID_NVIDIA, 0x9d10, PCI_EXP_TYPE_ROOT_PORT, false },
};

static void spt_id_case_desc(const struct spt_id_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%04x:%04x type %d",
		 c->vendor, c->device, c->type);
}

KUNIT_ARRAY_PARAM(spt_id, spt_id_cases, spt_id_case_desc);

static void acs_decode_spt_id_match(struct kunit *test)
{
	const struct spt_id_case *c = test->param_value;
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_spt_rp);

	pdev->vendor = c->vendor;
	pdev->device = c->device;
	acsx_fake_set_pcie_type(pdev, c->type);
	KUNIT_EXPECT_EQ(test, acsi_is_intel_spt_dword_acs(pdev), c->dword);
}

/* A function with no PCIe capability is never a dword-layout port. */
static void acs_decode_spt_needs_pcie(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_ich10_pcibr);

	pdev->device = 0x9d10;
	KUNIT_EXPECT_FALSE(test, acsi_is_intel_spt_dword_acs(pdev));
}

/* The egress control vector size is capability bits 15:8. */
static void acs_decode_egress_bits(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_hsw_rp);
	struct acsi_acs acs;

	pci_write_config_word(pdev, pdev->acs_cap + PCI_ACS_CAP, 0x073f);
	KUNIT_ASSERT_EQ(test, acsi_read_acs(pdev, &acs), 0);
	KUNIT_EXPECT_EQ(test, acs.cap, 0x073f);
	KUNIT_EXPECT_EQ(test, acs.egress_bits, 7);
}

/* pci_acs_flags_enabled() semantics on hand-made register values. */
static void acs_decode_flags_enabled_rules(struct kunit *test)
{
	struct acsi_acs acs = { .pos = 0x100 };
	const u16 req = ACSI_REQ_ACS_FLAGS;

	/* Everything implemented and enabled. */
	acs.cap = 0x7f;
	acs.ctrl = 0x1f;
	KUNIT_EXPECT_TRUE(test, acsi_acs_flags_enabled(&acs, req));
	/* RR implemented but off. */
	acs.ctrl = 0x1f & ~PCI_ACS_RR;
	KUNIT_EXPECT_FALSE(test, acsi_acs_flags_enabled(&acs, req));
	/* RR not implemented: hard-wired, so not required. */
	acs.cap = 0x7f & ~PCI_ACS_RR;
	KUNIT_EXPECT_TRUE(test, acsi_acs_flags_enabled(&acs, req));
	/* TB is not a required flag. */
	acs.cap = 0x7f;
	acs.ctrl = req;
	KUNIT_EXPECT_TRUE(test, acsi_acs_flags_enabled(&acs, req));
	/* EC is never assumed, even when the capability lacks it. */
	acs.cap = 0;
	acs.ctrl = 0;
	KUNIT_EXPECT_TRUE(test, acsi_acs_flags_enabled(&acs, req));
	KUNIT_EXPECT_FALSE(test, acsi_acs_flags_enabled(&acs, PCI_ACS_EC));
	acs.ctrl = PCI_ACS_EC;
	KUNIT_EXPECT_TRUE(test, acsi_acs_flags_enabled(&acs, PCI_ACS_EC));
	/* No capability: never enabled, whatever the words say. */
	acs.pos = 0;
	acs.cap = 0x7f;
	acs.ctrl = 0x7f;
	KUNIT_EXPECT_FALSE(test, acsi_acs_flags_enabled(&acs, req));
}

/* A failing config read is an error, not a decoded zero. */
static void acs_decode_read_error(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_hsw_rp);
	struct acsi_acs acs;

	/* Point the function at a devfn the fake bus does not have. */
	pdev->devfn = PCI_DEVFN(31, 7);
	KUNIT_EXPECT_LT(test, acsi_read_acs(pdev, &acs), 0);
}

/* All ones is a device that did not answer, not every ACS bit set. */
static void acs_decode_all_ones(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_hsw_rp);
	struct pci_dev *spt = acsx_fake_alone(test, &fx_spt_rp);
	struct acsi_acs acs;

	KUNIT_ASSERT_NE(test, pdev->acs_cap, 0);
	acsx_fake_set_gone(pdev);
	KUNIT_EXPECT_EQ(test, acsi_read_acs(pdev, &acs), -ENXIO);
	KUNIT_EXPECT_EQ(test, acsi_read_acs_checked(pdev, &acs),
			ACSI_ACS_UNREAD_ALL_ONES);
	/* Nothing decoded: callers take the reason, not the words. */
	KUNIT_EXPECT_EQ(test, acs.cap, 0);
	KUNIT_EXPECT_EQ(test, acs.ctrl, 0);
	KUNIT_EXPECT_EQ(test, acs.pos, pdev->acs_cap);
	/* The dword layout too. */
	acsx_fake_set_gone(spt);
	KUNIT_EXPECT_EQ(test, acsi_read_acs(spt, &acs), -ENXIO);
}

/* D3cold and offline devices are not read at all; errors are reported. */
static void acs_decode_unreadable_reasons(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_hsw_rp);
	struct acsi_acs acs;

	KUNIT_EXPECT_EQ(test, acsi_read_acs_checked(pdev, &acs),
			ACSI_ACS_UNREAD_NONE);
	KUNIT_EXPECT_EQ(test, acs.ctrl, 0x1f);
	pdev->current_state = PCI_D3cold;
	KUNIT_EXPECT_EQ(test, acsi_read_acs_checked(pdev, &acs),
			ACSI_ACS_UNREAD_D3COLD);
	KUNIT_EXPECT_EQ(test, acs.pos, pdev->acs_cap);
	KUNIT_EXPECT_EQ(test, acs.ctrl, 0);
	pdev->current_state = PCI_D0;
	pdev->error_state = pci_channel_io_perm_failure;
	KUNIT_EXPECT_EQ(test, acsi_read_acs_checked(pdev, &acs),
			ACSI_ACS_UNREAD_DISCONNECTED);
	pdev->error_state = pci_channel_io_normal;
	pdev->devfn = PCI_DEVFN(31, 7);	/* nothing there: accessor error */
	KUNIT_EXPECT_EQ(test, acsi_read_acs_checked(pdev, &acs),
			ACSI_ACS_UNREAD_READ_ERROR);
}

static struct kunit_case acs_decode_cases[] = {
	KUNIT_CASE_PARAM(acs_decode_fixture, decode_gen_params),
	KUNIT_CASE(acs_decode_spt_ctrl_at_plus8),
	KUNIT_CASE(acs_decode_word_layout_outside_spt_ids),
	KUNIT_CASE_PARAM(acs_decode_spt_id_match, spt_id_gen_params),
	KUNIT_CASE(acs_decode_spt_needs_pcie),
	KUNIT_CASE(acs_decode_egress_bits),
	KUNIT_CASE(acs_decode_flags_enabled_rules),
	KUNIT_CASE(acs_decode_read_error),
	KUNIT_CASE(acs_decode_all_ones),
	KUNIT_CASE(acs_decode_unreadable_reasons),
	{}
};

static struct kunit_suite acs_decode_suite = {
	.name = "acs_inspect_decode",
	.test_cases = acs_decode_cases,
};

kunit_test_suite(acs_decode_suite);
