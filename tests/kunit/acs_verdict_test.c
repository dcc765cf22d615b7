// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the isolation decision of acs_inspect.
 *
 * acsi_registers_verdict() must give what drivers/pci/pci.c
 * pci_acs_enabled() gives without quirks, port type by port type, on real
 * config spaces; acsi_effective_verdict() must rank kprobe observations,
 * kernel flags, IOMMU-group evidence and registers, and must never turn a
 * non-isolating register verdict into a fact about the kernel.
 */
#include <kunit/test.h>
#include <linux/pci.h>

#include "acs_core.h"
#include "acs_fake_pci.h"

#define NO_RETYPE	-1
#define NO_CTRL		-1

struct verdict_case {
	const char *what;
	const struct acsx_fixture *fx;
	int retype;		/* PCI_EXP_TYPE_* to give the dump, or NO_RETYPE */
	int ctrl;		/* ACS control word to write, or NO_CTRL */
	bool isolated;
	u8 origin;
};

static const struct verdict_case verdict_cases[] = {
	{ "root port, ACS on", &fx_hsw_rp, NO_RETYPE, NO_CTRL,
	  true, ACSI_ORIGIN_REGISTERS },
	{ "root port, ACS on but RR off", &fx_hsw_rp, NO_RETYPE,
	  0x1f & ~PCI_ACS_RR, false, ACSI_ORIGIN_REGISTERS },
	{ "root port, ACS off", &fx_ioh_rp, NO_RETYPE, NO_CTRL,
	  false, ACSI_ORIGIN_REGISTERS },
	{ "root port, ACS enabled by software", &fx_ioh_rp, NO_RETYPE,
	  ACSI_REQ_ACS_FLAGS, true, ACSI_ORIGIN_REGISTERS },
	{ "root port, no ACS", &fx_ich10_rp, NO_RETYPE, NO_CTRL,
	  false, ACSI_ORIGIN_REGISTERS },
	{ "root port, dword layout, off", &fx_spt_rp, NO_RETYPE, NO_CTRL,
	  false, ACSI_ORIGIN_REGISTERS },
	{ "downstream port, ACS on", &fx_hsw_rp, PCI_EXP_TYPE_DOWNSTREAM,
	  NO_CTRL, true, ACSI_ORIGIN_REGISTERS },
	{ "downstream port, ACS off", &fx_ioh_rp, PCI_EXP_TYPE_DOWNSTREAM,
	  NO_CTRL, false, ACSI_ORIGIN_REGISTERS },
	{ "downstream port, no ACS (NF200)", &fx_nf200_dsp0, NO_RETYPE,
	  NO_CTRL, false, ACSI_ORIGIN_REGISTERS },
	{ "downstream port, no ACS (Thunderbolt)", &fx_jhl_dsp, NO_RETYPE,
	  NO_CTRL, false, ACSI_ORIGIN_REGISTERS },
	{ "upstream port, single function", &fx_nf200_usp, NO_RETYPE,
	  NO_CTRL, true, ACSI_ORIGIN_TYPE_RULE },
	{ "endpoint, single function", &fx_cx3_ep, NO_RETYPE, NO_CTRL,
	  true, ACSI_ORIGIN_TYPE_RULE },
	{ "endpoint, single function (SAS2008)", &fx_sas2008_ep, NO_RETYPE,
	  NO_CTRL, true, ACSI_ORIGIN_TYPE_RULE },
	{ "endpoint, multifunction, no ACS (GPU)", &fx_gt218_vga, NO_RETYPE,
	  NO_CTRL, false, ACSI_ORIGIN_REGISTERS },
	{ "endpoint, multifunction, no ACS (HDA)", &fx_gt218_hda, NO_RETYPE,
	  NO_CTRL, false, ACSI_ORIGIN_REGISTERS },
	{ "endpoint, multifunction, ACS nothing implemented", &fx_ide_mfd_acs0,
	  NO_RETYPE, NO_CTRL, true, ACSI_ORIGIN_REGISTERS },
	{ "legacy endpoint, single function", &fx_legacy_ep, NO_RETYPE,
	  NO_CTRL, true, ACSI_ORIGIN_TYPE_RULE },
	{ "RCiEP, single function", &fx_skl_gpu_rciep, NO_RETYPE, NO_CTRL,
	  true, ACSI_ORIGIN_TYPE_RULE },
	{ "RCiEP, multifunction, no ACS", &fx_x58_rciep, NO_RETYPE, NO_CTRL,
	  false, ACSI_ORIGIN_REGISTERS },
	{ "RC event collector", &fx_rcec, NO_RETYPE, NO_CTRL,
	  false, ACSI_ORIGIN_TYPE_RULE },
	{ "PCI/PCI-X-to-PCIe bridge", &fx_pcix_pcie_br, NO_RETYPE, NO_CTRL,
	  false, ACSI_ORIGIN_TYPE_RULE },
	{ "PCIe-to-PCI bridge", &fx_pcix_pcie_br, PCI_EXP_TYPE_PCI_BRIDGE,
	  NO_CTRL, false, ACSI_ORIGIN_TYPE_RULE },
	{ "conventional PCI function", &fx_ich10_uhci, NO_RETYPE, NO_CTRL,
	  false, ACSI_ORIGIN_TYPE_RULE },
	{ "conventional PCI bridge", &fx_ich10_pcibr, NO_RETYPE, NO_CTRL,
	  false, ACSI_ORIGIN_TYPE_RULE },
};

static void verdict_case_desc(const struct verdict_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(verdict, verdict_cases, verdict_case_desc);

static void acs_verdict_per_type(struct kunit *test)
{
	const struct verdict_case *c = test->param_value;
	struct pci_dev *pdev = acsx_fake_alone(test, c->fx);
	struct acsi_verdict v;
	struct acsi_acs acs;

	if (c->retype != NO_RETYPE)
		acsx_fake_set_pcie_type(pdev, c->retype);
	if (c->ctrl != NO_CTRL) {
		KUNIT_ASSERT_NE(test, pdev->acs_cap, 0);
		pci_write_config_word(pdev, pdev->acs_cap + PCI_ACS_CTRL,
				      c->ctrl);
	}
	KUNIT_ASSERT_EQ(test, acsi_read_acs(pdev, &acs), 0);
	v = acsi_registers_verdict(pdev, &acs, ACSI_REQ_ACS_FLAGS);
	KUNIT_EXPECT_TRUE(test, v.known);
	KUNIT_EXPECT_EQ(test, v.isolated, c->isolated);
	KUNIT_EXPECT_EQ(test, v.origin, c->origin);
}

/* The SPT quirk answers by the registers at +8, before the type rules. */
static void acs_verdict_spt_enabled_at_plus8(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_spt_rp);
	struct acsi_verdict v;
	struct acsi_acs acs;

	pci_write_config_dword(pdev, pdev->acs_cap + 8,
			       PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR);
	KUNIT_ASSERT_EQ(test, acsi_read_acs(pdev, &acs), 0);
	v = acsi_registers_verdict(pdev, &acs, ACSI_REQ_ACS_FLAGS);
	KUNIT_EXPECT_TRUE(test, v.isolated);
	KUNIT_EXPECT_EQ(test, v.origin, ACSI_ORIGIN_REGISTERS);
}

/* Clearing the multifunction flag turns the GPU into an isolated function. */
static void acs_verdict_multifunction_flag(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_gt218_vga);
	struct acsi_verdict v;
	struct acsi_acs acs;

	KUNIT_ASSERT_TRUE(test, pdev->multifunction);
	KUNIT_ASSERT_EQ(test, acsi_read_acs(pdev, &acs), 0);
	v = acsi_registers_verdict(pdev, &acs, ACSI_REQ_ACS_FLAGS);
	KUNIT_EXPECT_FALSE(test, v.isolated);
	pdev->multifunction = 0;
	v = acsi_registers_verdict(pdev, &acs, ACSI_REQ_ACS_FLAGS);
	KUNIT_EXPECT_TRUE(test, v.isolated);
	KUNIT_EXPECT_EQ(test, v.origin, ACSI_ORIGIN_TYPE_RULE);
}

static struct acsi_verdict regs_of(struct kunit *test, struct pci_dev *pdev)
{
	struct acsi_acs acs;

	KUNIT_EXPECT_EQ(test, acsi_read_acs(pdev, &acs), 0);
	return acsi_registers_verdict(pdev, &acs, ACSI_REQ_ACS_FLAGS);
}

/* A kprobe-observed pci_acs_enabled() result outranks everything. */
static void acs_effective_kprobe_wins(struct kunit *test)
{
	struct pci_dev *off = acsx_fake_alone(test, &fx_ioh_rp);
	struct pci_dev *on = acsx_fake_alone(test, &fx_hsw_rp);
	struct acsi_observation obs = { .have_enabled = true };
	struct acsi_verdict regs, v;

	regs = regs_of(test, off);
	obs.enabled = true;
	v = acsi_effective_verdict(off, &regs, &obs);
	KUNIT_EXPECT_TRUE(test, v.known);
	KUNIT_EXPECT_TRUE(test, v.isolated);
	KUNIT_EXPECT_EQ(test, v.origin, ACSI_ORIGIN_KPROBE);

	regs = regs_of(test, on);
	obs.enabled = false;
	v = acsi_effective_verdict(on, &regs, &obs);
	KUNIT_EXPECT_TRUE(test, v.known);
	KUNIT_EXPECT_FALSE(test, v.isolated);
	KUNIT_EXPECT_EQ(test, v.origin, ACSI_ORIGIN_KPROBE);
}

/* A quirk result alone (no pci_acs_enabled() seen) decides nothing. */
static void acs_effective_quirk_only_is_not_enough(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_ioh_rp);
	struct acsi_observation obs = { .have_quirk = true, .quirk = 1 };
	struct acsi_verdict regs = regs_of(test, pdev);
	struct acsi_verdict v = acsi_effective_verdict(pdev, &regs, &obs);

	KUNIT_EXPECT_FALSE(test, v.known);
}

/*
 * ICH10 root ports have no ACS capability; 6.1's Intel PCH quirk
 * (pci_quirk_enable_intel_pch_acs) marks them PCI_DEV_FLAGS_ACS_ENABLED_QUIRK.
 */
static void acs_effective_kernel_flag(struct kunit *test)
{
	struct pci_dev *pdev = acsx_fake_alone(test, &fx_ich10_rp);
	struct acsi_verdict regs = regs_of(test, pdev);
	struct acsi_verdict v;

	KUNIT_EXPECT_FALSE(test, regs.isolated);
	v = acsi_effective_verdict(pdev, &regs, NULL);
	KUNIT_EXPECT_FALSE(test, v.known);

	pdev->dev_flags |= PCI_DEV_FLAGS_ACS_ENABLED_QUIRK;
	v = acsi_effective_verdict(pdev, &regs, NULL);
	KUNIT_EXPECT_TRUE(test, v.known);
	KUNIT_EXPECT_TRUE(test, v.isolated);
	KUNIT_EXPECT_EQ(test, v.origin, ACSI_ORIGIN_KERNEL_FLAG);
}

/* Isolating register verdicts stand; non-isolating ones stay unknown. */
static void acs_effective_from_registers(struct kunit *test)
{
	struct pci_dev *on = acsx_fake_alone(test, &fx_hsw_rp);
	struct pci_dev *ep = acsx_fake_alone(test, &fx_cx3_ep);
	struct pci_dev *mfd = acsx_fake_alone(test, &fx_gt218_vga);
	struct acsi_verdict regs, v;

	regs = regs_of(test, on);
	v = acsi_effective_verdict(on, &regs, NULL);
	KUNIT_EXPECT_TRUE(test, v.known);
	KUNIT_EXPECT_TRUE(test, v.isolated);
	KUNIT_EXPECT_EQ(test, v.origin, ACSI_ORIGIN_REGISTERS);

	regs = regs_of(test, ep);
	v = acsi_effective_verdict(ep, &regs, NULL);
	KUNIT_EXPECT_TRUE(test, v.known);
	KUNIT_EXPECT_TRUE(test, v.isolated);
	KUNIT_EXPECT_EQ(test, v.origin, ACSI_ORIGIN_TYPE_RULE);

	regs = regs_of(test, mfd);
	v = acsi_effective_verdict(mfd, &regs, NULL);
	KUNIT_EXPECT_FALSE(test, v.known);
}

/*
 * 6.1's pci_quirk_zhaoxin_pcie_ports_acs() answers "not isolated" for
 * Zhaoxin root and downstream ports outside its ID list, whatever their
 * registers say: an isolating register verdict is no fact there.
 */
static void acs_effective_zhaoxin_may_deny(struct kunit *test)
{
	struct pci_dev *rp = acsx_fake_alone(test, &fx_hsw_rp);
	struct pci_dev *ep = acsx_fake_alone(test, &fx_cx3_ep);
	struct acsi_verdict regs;

	rp->vendor = PCI_VENDOR_ID_ZHAOXIN;
	regs = regs_of(test, rp);
	KUNIT_EXPECT_TRUE(test, regs.isolated);
	KUNIT_EXPECT_FALSE(test, acsi_effective_verdict(rp, &regs, NULL).known);
	acsx_fake_set_pcie_type(rp, PCI_EXP_TYPE_DOWNSTREAM);
	regs = regs_of(test, rp);
	KUNIT_EXPECT_FALSE(test, acsi_effective_verdict(rp, &regs, NULL).known);

	/* The quirk leaves other types alone (-ENOTTY). */
	ep->vendor = PCI_VENDOR_ID_ZHAOXIN;
	regs = regs_of(test, ep);
	KUNIT_EXPECT_TRUE(test, acsi_effective_verdict(ep, &regs, NULL).known);
	KUNIT_EXPECT_TRUE(test,
			  acsi_effective_verdict(ep, &regs, NULL).isolated);
}

struct rp_with_child {
	struct pci_dev *rp;
	struct pci_dev *ep;
};

/* The X58 root port 00:03.0 (ACS off) with the SAS HBA below it. */
static struct rp_with_child rp_child(struct kunit *test)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 0);
	struct rp_with_child t;

	t.rp = acsx_fake_add(test, root, PCI_DEVFN(3, 0), &fx_x58_rp3);
	t.ep = acsx_fake_add(test, acsx_fake_child_bus(test, t.rp),
			     PCI_DEVFN(0, 0), &fx_sas2008_ep);
	return t;
}

/* A child in another group proves the kernel found the port isolating. */
static void acs_effective_group_evidence(struct kunit *test)
{
	struct rp_with_child t = rp_child(test);
	struct acsi_verdict regs = regs_of(test, t.rp);
	struct acsi_verdict v;

	KUNIT_EXPECT_FALSE(test, regs.isolated);
	/* No groups at all: nothing proven. */
	KUNIT_EXPECT_FALSE(test, acsi_child_group_proves_isolation(t.rp));

	acsx_fake_join_group(test, t.rp, NULL);
	acsx_fake_join_group(test, t.ep, NULL);
	KUNIT_EXPECT_TRUE(test, acsi_child_group_proves_isolation(t.rp));
	v = acsi_effective_verdict(t.rp, &regs, NULL);
	KUNIT_EXPECT_TRUE(test, v.known);
	KUNIT_EXPECT_TRUE(test, v.isolated);
	KUNIT_EXPECT_EQ(test, v.origin, ACSI_ORIGIN_GROUPS);
}

/* A child in the port's own group proves nothing either way. */
static void acs_effective_same_group_proves_nothing(struct kunit *test)
{
	struct rp_with_child t = rp_child(test);
	struct acsi_verdict regs = regs_of(test, t.rp);

	acsx_fake_join_group(test, t.rp, NULL);
	acsx_fake_join_group(test, t.ep, t.rp);
	KUNIT_EXPECT_FALSE(test, acsi_child_group_proves_isolation(t.rp));
	KUNIT_EXPECT_FALSE(test, acsi_effective_verdict(t.rp, &regs, NULL).known);
}

/* A child with a DMA alias may sit elsewhere for the alias's sake. */
static void acs_effective_alias_child_proves_nothing(struct kunit *test)
{
	struct rp_with_child t = rp_child(test);
	unsigned long *mask;

	mask = kunit_kzalloc(test, BITS_TO_LONGS(ACSI_NR_DEVFNS) *
			     sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mask);
	set_bit(PCI_DEVFN(0, 1), mask);
	t.ep->dma_alias_mask = mask;
	acsx_fake_join_group(test, t.rp, NULL);
	acsx_fake_join_group(test, t.ep, NULL);
	KUNIT_EXPECT_FALSE(test, acsi_child_group_proves_isolation(t.rp));
}

/* Upstream ports and endpoints are never judged by their children. */
static void acs_effective_group_evidence_needs_port(struct kunit *test)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 2);
	struct pci_dev *usp = acsx_fake_add(test, root, 0, &fx_nf200_usp);
	struct pci_dev *dsp = acsx_fake_add(test, acsx_fake_child_bus(test, usp),
					    0, &fx_nf200_dsp0);
	struct pci_dev *ep = acsx_fake_alone(test, &fx_cx3_ep);

	acsx_fake_join_group(test, usp, NULL);
	acsx_fake_join_group(test, dsp, NULL);
	acsx_fake_join_group(test, ep, NULL);
	KUNIT_EXPECT_FALSE(test, acsi_child_group_proves_isolation(usp));
	KUNIT_EXPECT_FALSE(test, acsi_child_group_proves_isolation(ep));
}

static struct kunit_case acs_verdict_cases[] = {
	KUNIT_CASE_PARAM(acs_verdict_per_type, verdict_gen_params),
	KUNIT_CASE(acs_verdict_spt_enabled_at_plus8),
	KUNIT_CASE(acs_verdict_multifunction_flag),
	{}
};

static struct kunit_suite acs_verdict_suite = {
	.name = "acs_inspect_verdict",
	.test_cases = acs_verdict_cases,
};

static struct kunit_case acs_effective_cases[] = {
	KUNIT_CASE(acs_effective_kprobe_wins),
	KUNIT_CASE(acs_effective_quirk_only_is_not_enough),
	KUNIT_CASE(acs_effective_kernel_flag),
	KUNIT_CASE(acs_effective_from_registers),
	KUNIT_CASE(acs_effective_zhaoxin_may_deny),
	KUNIT_CASE(acs_effective_group_evidence),
	KUNIT_CASE(acs_effective_same_group_proves_nothing),
	KUNIT_CASE(acs_effective_alias_child_proves_nothing),
	KUNIT_CASE(acs_effective_group_evidence_needs_port),
	{}
};

static struct kunit_suite acs_effective_suite = {
	.name = "acs_inspect_effective",
	.test_cases = acs_effective_cases,
};

kunit_test_suites(&acs_verdict_suite, &acs_effective_suite);
