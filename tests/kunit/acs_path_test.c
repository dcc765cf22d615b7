// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the upstream path walk and bridge aliases of
 * acs_inspect (acsi_path_walk(), acsi_bridge_alias(), acsi_pack_addr(),
 * acsi_bus_is_root()) on fake hierarchies of real devices.
 */
#include <kunit/test.h>
#include <linux/pci.h>

#include "acs_core.h"
#include "acs_fake_pci.h"

/*
 * The ASUS P6T6 (X58) tree as lspci dumped it: root port 00:03.0 ->
 * NF200 upstream port 02:00.0 -> downstream ports 03:00.0, 03:02.0 ->
 * SAS2008 04:00.0.  Bus numbers come from the bridges' own registers.
 */
struct x58_tree {
	struct pci_bus *root;
	struct pci_dev *rp, *usp, *dsp0, *dsp2, *ep;
};

static void build_x58_tree(struct kunit *test, struct x58_tree *t)
{
	struct pci_bus *bus;

	t->root = acsx_fake_root_bus(test, 0, 0);
	t->rp = acsx_fake_add(test, t->root, PCI_DEVFN(3, 0), &fx_x58_rp3);
	bus = acsx_fake_child_bus(test, t->rp);
	KUNIT_ASSERT_EQ(test, bus->number, 0x02);
	t->usp = acsx_fake_add(test, bus, PCI_DEVFN(0, 0), &fx_nf200_usp);
	bus = acsx_fake_child_bus(test, t->usp);
	KUNIT_ASSERT_EQ(test, bus->number, 0x03);
	t->dsp0 = acsx_fake_add(test, bus, PCI_DEVFN(0, 0), &fx_nf200_dsp0);
	t->dsp2 = acsx_fake_add(test, bus, PCI_DEVFN(2, 0), &fx_nf200_dsp2);
	bus = acsx_fake_child_bus(test, t->dsp0);
	KUNIT_ASSERT_EQ(test, bus->number, 0x04);
	t->ep = acsx_fake_add(test, bus, PCI_DEVFN(0, 0), &fx_sas2008_ep);
}

static void acs_path_endpoint_to_root_port(struct kunit *test)
{
	struct pci_dev *hops[8];
	struct x58_tree t;
	int n;

	build_x58_tree(test, &t);
	n = acsi_path_walk(t.ep, hops, ARRAY_SIZE(hops));
	KUNIT_ASSERT_EQ(test, n, 4);
	KUNIT_EXPECT_PTR_EQ(test, hops[0], t.ep);
	KUNIT_EXPECT_PTR_EQ(test, hops[1], t.dsp0);
	KUNIT_EXPECT_PTR_EQ(test, hops[2], t.usp);
	KUNIT_EXPECT_PTR_EQ(test, hops[3], t.rp);
	KUNIT_EXPECT_TRUE(test, acsi_bus_is_root(hops[3]->bus));
	KUNIT_EXPECT_FALSE(test, acsi_bus_is_root(hops[2]->bus));
}

static void acs_path_from_a_port(struct kunit *test)
{
	struct pci_dev *hops[8];
	struct x58_tree t;

	build_x58_tree(test, &t);
	KUNIT_EXPECT_EQ(test, acsi_path_walk(t.dsp2, hops, 8), 3);
	KUNIT_EXPECT_PTR_EQ(test, hops[0], t.dsp2);
	KUNIT_EXPECT_PTR_EQ(test, hops[2], t.rp);
	KUNIT_EXPECT_EQ(test, acsi_path_walk(t.rp, hops, 8), 1);
	KUNIT_EXPECT_PTR_EQ(test, hops[0], t.rp);
}

/* Integrated devices stop at the root bus: a path of one hop. */
static void acs_path_rciep(struct kunit *test)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 0);
	struct pci_dev *gpu = acsx_fake_add(test, root, PCI_DEVFN(2, 0),
					    &fx_skl_gpu_rciep);
	struct pci_dev *hops[2];

	KUNIT_EXPECT_EQ(test, acsi_path_walk(gpu, hops, 2), 1);
	KUNIT_EXPECT_PTR_EQ(test, hops[0], gpu);
}

static void acs_path_too_long(struct kunit *test)
{
	struct pci_dev *hops[4];
	struct x58_tree t;

	build_x58_tree(test, &t);
	KUNIT_EXPECT_EQ(test, acsi_path_walk(t.ep, hops, 3), -E2BIG);
	KUNIT_EXPECT_EQ(test, acsi_path_walk(t.ep, hops, 0), -E2BIG);
	KUNIT_EXPECT_EQ(test, acsi_path_walk(t.ep, hops, 4), 4);
}

/*
 * A VF on a bus SR-IOV added past the PF's: that bus has no bridge, so the
 * walk skips it, as pci_device_group() does.
 */
static void acs_path_vf_on_virtual_bus(struct kunit *test)
{
	struct pci_bus *vbus;
	struct pci_dev *vf, *hops[8];
	struct x58_tree t;

	build_x58_tree(test, &t);
	vbus = acsx_fake_virtual_bus(test, t.ep->bus, t.ep->bus->number + 1);
	vf = acsx_fake_add(test, vbus, PCI_DEVFN(0, 1), &fx_sas2008_ep);
	vf->is_virtfn = 1;
	vf->physfn = t.ep;
	t.ep->is_physfn = 1;

	KUNIT_ASSERT_EQ(test, acsi_path_walk(vf, hops, 8), 4);
	KUNIT_EXPECT_PTR_EQ(test, hops[0], vf);
	KUNIT_EXPECT_PTR_EQ(test, hops[1], t.dsp0);
	KUNIT_EXPECT_PTR_EQ(test, hops[3], t.rp);
}

static void acs_path_pack_addr(struct kunit *test)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0x1234, 0xab);
	struct pci_dev *pdev = acsx_fake_add(test, root, PCI_DEVFN(0x1f, 5),
					     &fx_cx3_ep);
	u64 a = acsi_pack_addr(pdev);

	KUNIT_EXPECT_EQ(test, a, 0x1234abfdULL);
	KUNIT_EXPECT_EQ(test, ACSI_ADDR_DOMAIN(a), 0x1234U);
	KUNIT_EXPECT_EQ(test, ACSI_ADDR_BUS(a), 0xabU);
	KUNIT_EXPECT_EQ(test, ACSI_ADDR_DEVFN(a), PCI_DEVFN(0x1f, 5));
}

/*
 * A device in VMD's domain 0x10000 and one at the same bus/devfn in domain
 * 0 get different addresses: the kprobe observation table is keyed by
 * this, and a 16-bit domain made them collide.
 */
static void acs_path_pack_addr_domain_above_ffff(struct kunit *test)
{
	struct pci_dev *vmd = acsx_fake_add(test,
					    acsx_fake_root_bus(test, 0x10000, 0),
					    PCI_DEVFN(2, 0), &fx_cx3_ep);
	struct pci_dev *low = acsx_fake_add(test, acsx_fake_root_bus(test, 0, 0),
					    PCI_DEVFN(2, 0), &fx_cx3_ep);
	struct pci_dev *top = acsx_fake_add(test,
					    acsx_fake_root_bus(test, 0x7fffffff,
							       0xff),
					    PCI_DEVFN(0x1f, 7), &fx_cx3_ep);
	u64 a = acsi_pack_addr(vmd);

	KUNIT_EXPECT_EQ(test, a, 0x100000010ULL);
	KUNIT_EXPECT_NE(test, a, acsi_pack_addr(low));
	KUNIT_EXPECT_EQ(test, ACSI_ADDR_DOMAIN(a), 0x10000U);
	KUNIT_EXPECT_EQ(test, ACSI_ADDR_BUS(a), 0);
	KUNIT_EXPECT_EQ(test, ACSI_ADDR_DEVFN(a), PCI_DEVFN(2, 0));
	KUNIT_EXPECT_EQ(test, acsi_pack_addr(top), 0x7fffffffffffULL);
	KUNIT_EXPECT_EQ(test, ACSI_ADDR_DOMAIN(acsi_pack_addr(top)),
			0x7fffffffU);
}

/* Below PCIe ports only: requester IDs travel unchanged, no alias. */
static void acs_alias_none_under_pcie_ports(struct kunit *test)
{
	struct x58_tree t;
	u64 alias = 0xdeadbeef;

	build_x58_tree(test, &t);
	KUNIT_EXPECT_FALSE(test, acsi_bridge_alias(t.ep, &alias));
	KUNIT_EXPECT_FALSE(test, acsi_bridge_alias(t.rp, &alias));
}

/* ICH10's 82801 PCI bridge 00:1e.0 (8086:244e), secondary bus 0a. */
static struct pci_dev *behind_ich10_bridge(struct kunit *test,
					   struct pci_dev **bridge)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 0);
	struct pci_bus *bus;

	*bridge = acsx_fake_add(test, root, PCI_DEVFN(0x1e, 0), &fx_ich10_pcibr);
	bus = acsx_fake_child_bus(test, *bridge);
	KUNIT_ASSERT_EQ(test, bus->number, 0x0a);
	return acsx_fake_add(test, bus, PCI_DEVFN(2, 0), &fx_ich10_uhci);
}

/* A conventional bridge takes ownership: the alias is its own RID. */
static void acs_alias_conventional_bridge(struct kunit *test)
{
	struct pci_dev *br, *dev = behind_ich10_bridge(test, &br);
	u64 alias = 0;

	KUNIT_ASSERT_TRUE(test, acsi_bridge_alias(dev, &alias));
	KUNIT_EXPECT_EQ(test, alias, ACSI_ADDR_PACK(0, 0, PCI_DEVFN(0x1e, 0)));
}

/*
 * 6.1's quirk_use_pcie_bridge_dma_alias() flags 8086:244e: it behaves as a
 * PCIe-to-PCI bridge, aliasing to (secondary bus, 00.0).
 */
static void acs_alias_pcie_bridge_alias_flag(struct kunit *test)
{
	struct pci_dev *br, *dev = behind_ich10_bridge(test, &br);
	u64 alias = 0;

	br->dev_flags |= PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS;
	KUNIT_ASSERT_TRUE(test, acsi_bridge_alias(dev, &alias));
	KUNIT_EXPECT_EQ(test, alias, ACSI_ADDR_PACK(0, 0x0a, 0));
}

/* The IOMMU sits at a bridge flagged XLATE_ROOT: nothing above counts. */
static void acs_alias_xlate_root(struct kunit *test)
{
	struct pci_dev *br, *dev = behind_ich10_bridge(test, &br);
	u64 alias = 0;

	br->dev_flags |= PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT;
	KUNIT_EXPECT_FALSE(test, acsi_bridge_alias(dev, &alias));
}

/*
 * The PCI/PCI-X-to-PCIe bridge 0003:01:00.0 and the device behind it,
 * 0003:02:01.0 (pciutils' cap-ptm dumps): the alias is the bridge's RID,
 * in domain 3.
 */
static void acs_alias_pcix_to_pcie_bridge(struct kunit *test)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 3, 1);
	struct pci_dev *br = acsx_fake_add(test, root, 0, &fx_pcix_pcie_br);
	struct pci_dev *dev;
	u64 alias = 0;

	dev = acsx_fake_add(test, acsx_fake_child_bus(test, br),
			    PCI_DEVFN(1, 0), &fx_ptm_ep);
	KUNIT_EXPECT_EQ(test, acsi_pack_addr(dev), 0x00030208ULL);
	KUNIT_ASSERT_TRUE(test, acsi_bridge_alias(dev, &alias));
	KUNIT_EXPECT_EQ(test, alias, 0x00030100ULL);
}

/*
 * A PCIe-to-PCI bridge (the same dump given that port type) aliases to
 * (secondary, 00.0); with a conventional bridge below it the topmost
 * alias wins, as the last one pci_for_each_dma_alias() reports.
 */
static void acs_alias_pcie_to_pci_topmost(struct kunit *test)
{
	struct pci_bus *root = acsx_fake_root_bus(test, 0, 1);
	struct pci_dev *top = acsx_fake_add(test, root, 0, &fx_pcix_pcie_br);
	struct pci_dev *mid, *dev;
	struct pci_bus *bus;
	u64 alias = 0;

	acsx_fake_set_pcie_type(top, PCI_EXP_TYPE_PCI_BRIDGE);
	bus = acsx_fake_child_bus(test, top);
	KUNIT_ASSERT_EQ(test, bus->number, 0x02);
	mid = acsx_fake_add(test, bus, PCI_DEVFN(4, 0), &fx_ich10_pcibr);
	dev = acsx_fake_add(test, acsx_fake_child_bus(test, mid), 0,
			    &fx_ich10_uhci);

	KUNIT_ASSERT_TRUE(test, acsi_bridge_alias(mid, &alias));
	KUNIT_EXPECT_EQ(test, alias, ACSI_ADDR_PACK(0, 0x02, 0));
	KUNIT_ASSERT_TRUE(test, acsi_bridge_alias(dev, &alias));
	KUNIT_EXPECT_EQ(test, alias, ACSI_ADDR_PACK(0, 0x02, 0));

	/* Stopping at the conventional bridge leaves its own alias. */
	top->dev_flags |= PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT;
	KUNIT_ASSERT_TRUE(test, acsi_bridge_alias(dev, &alias));
	KUNIT_EXPECT_EQ(test, alias, ACSI_ADDR_PACK(0, 0x02, PCI_DEVFN(4, 0)));
}

static struct kunit_case acs_path_cases[] = {
	KUNIT_CASE(acs_path_endpoint_to_root_port),
	KUNIT_CASE(acs_path_from_a_port),
	KUNIT_CASE(acs_path_rciep),
	KUNIT_CASE(acs_path_too_long),
	KUNIT_CASE(acs_path_vf_on_virtual_bus),
	KUNIT_CASE(acs_path_pack_addr),
	KUNIT_CASE(acs_path_pack_addr_domain_above_ffff),
	KUNIT_CASE(acs_alias_none_under_pcie_ports),
	KUNIT_CASE(acs_alias_conventional_bridge),
	KUNIT_CASE(acs_alias_pcie_bridge_alias_flag),
	KUNIT_CASE(acs_alias_xlate_root),
	KUNIT_CASE(acs_alias_pcix_to_pcie_bridge),
	KUNIT_CASE(acs_alias_pcie_to_pci_topmost),
	{}
};

static struct kunit_suite acs_path_suite = {
	.name = "acs_inspect_path",
	.test_cases = acs_path_cases,
};

kunit_test_suite(acs_path_suite);
