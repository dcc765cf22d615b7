// SPDX-License-Identifier: GPL-2.0
/*
 * Fake PCI buses and functions backed by lspci dumps.
 *
 * Fields of struct pci_dev are filled the way pci_setup_device(),
 * set_pcie_port_type() and pci_acs_init() fill them, from the fixture's
 * config space, so the code under test sees what the PCI core would show.
 */
#include <kunit/test.h>
#include <linux/iommu.h>
#include <linux/pci.h>

#include "acs_fake_pci.h"

struct acsx_fake_bus {
	struct pci_bus bus;
	struct pci_sysdata sd;
	u8 *cfg[256];		/* per devfn; NULL: no function there */
	unsigned int len[256];	/* bytes the dump covered */
	bool gone[256];		/* reads all ones: surprise-removed, D3cold */
};

static struct acsx_fake_bus *to_fake(struct pci_bus *bus)
{
	return container_of(bus, struct acsx_fake_bus, bus);
}

static int acsx_fake_read(struct pci_bus *bus, unsigned int devfn, int where,
			  int size, u32 *val)
{
	struct acsx_fake_bus *fb = to_fake(bus);
	const u8 *cfg = fb->cfg[devfn & 0xff];
	u32 v = 0;
	int i;

	if (!cfg) {
		*val = ~0U;
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	/* The accessor succeeds; the device just does not answer. */
	if (fb->gone[devfn & 0xff]) {
		*val = ~0U;
		return PCIBIOS_SUCCESSFUL;
	}
	/* Beyond the dump reads as a function without that space would. */
	if (where + size > fb->len[devfn & 0xff]) {
		*val = ~0U;
		return PCIBIOS_SUCCESSFUL;
	}
	for (i = size - 1; i >= 0; i--)
		v = v << 8 | cfg[where + i];
	*val = v;
	return PCIBIOS_SUCCESSFUL;
}

static int acsx_fake_write(struct pci_bus *bus, unsigned int devfn, int where,
			   int size, u32 val)
{
	struct acsx_fake_bus *fb = to_fake(bus);
	u8 *cfg = fb->cfg[devfn & 0xff];
	int i;

	if (!cfg)
		return PCIBIOS_DEVICE_NOT_FOUND;
	if (where + size > fb->len[devfn & 0xff])
		return PCIBIOS_SUCCESSFUL;
	for (i = 0; i < size; i++)
		cfg[where + i] = val >> (8 * i);
	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops acsx_fake_ops = {
	.read = acsx_fake_read,
	.write = acsx_fake_write,
};

static struct acsx_fake_bus *acsx_fake_bus_alloc(struct kunit *test, u8 busnr)
{
	struct acsx_fake_bus *fb;

	fb = kunit_kzalloc(test, sizeof(*fb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fb);
	INIT_LIST_HEAD(&fb->bus.node);
	INIT_LIST_HEAD(&fb->bus.children);
	INIT_LIST_HEAD(&fb->bus.devices);
	INIT_LIST_HEAD(&fb->bus.slots);
	fb->bus.ops = &acsx_fake_ops;
	fb->bus.number = busnr;
	fb->bus.sysdata = &fb->sd;
	return fb;
}

/* A root bus in @domain (x86 reads the domain from struct pci_sysdata). */
struct pci_bus *acsx_fake_root_bus(struct kunit *test, int domain, u8 busnr)
{
	struct acsx_fake_bus *fb = acsx_fake_bus_alloc(test, busnr);

	fb->sd.domain = domain;
	fb->sd.node = NUMA_NO_NODE;
	return &fb->bus;
}

static struct pci_bus *acsx_fake_link(struct kunit *test,
				      struct pci_bus *parent,
				      struct pci_dev *bridge, u8 busnr)
{
	struct acsx_fake_bus *fb = acsx_fake_bus_alloc(test, busnr);

	fb->sd = to_fake(parent)->sd;
	fb->bus.parent = parent;
	fb->bus.self = bridge;
	fb->bus.primary = parent->number;
	list_add_tail(&fb->bus.node, &parent->children);
	return &fb->bus;
}

/* The bus below @bridge, numbered from the bridge's own secondary register. */
struct pci_bus *acsx_fake_child_bus(struct kunit *test, struct pci_dev *bridge)
{
	struct pci_bus *child;
	u8 sec = 0, sub = 0;

	KUNIT_ASSERT_EQ(test, bridge->hdr_type, PCI_HEADER_TYPE_BRIDGE);
	pci_read_config_byte(bridge, PCI_SECONDARY_BUS, &sec);
	pci_read_config_byte(bridge, PCI_SUBORDINATE_BUS, &sub);
	KUNIT_ASSERT_GT(test, sec, bridge->bus->number);
	KUNIT_ASSERT_GE(test, sub, sec);
	child = acsx_fake_link(test, bridge->bus, bridge, sec);
	child->busn_res.start = sec;
	child->busn_res.end = sub;
	child->busn_res.flags = IORESOURCE_BUS;
	bridge->subordinate = child;
	return child;
}

/* A bus with no bridge above it, as SR-IOV creates for VFs past the PF's. */
struct pci_bus *acsx_fake_virtual_bus(struct kunit *test,
				      struct pci_bus *parent, u8 busnr)
{
	return acsx_fake_link(test, parent, NULL, busnr);
}

struct pci_dev *acsx_fake_add(struct kunit *test, struct pci_bus *bus,
			      unsigned int devfn,
			      const struct acsx_fixture *fx)
{
	struct acsx_fake_bus *fb = to_fake(bus);
	struct pci_dev *pdev;
	char *name;
	u32 class;
	u8 hdr;

	KUNIT_ASSERT_NULL(test, fb->cfg[devfn]);
	fb->cfg[devfn] = kunit_kzalloc(test, PCI_CFG_SPACE_EXP_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fb->cfg[devfn]);
	memcpy(fb->cfg[devfn], fx->cfg, fx->cfg_len);
	fb->len[devfn] = fx->dump_len;

	pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pdev);
	name = kunit_kzalloc(test, 16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, name);
	snprintf(name, 16, "%04x:%02x:%02x.%d", pci_domain_nr(bus),
		 bus->number, PCI_SLOT(devfn), PCI_FUNC(devfn));
	/* pci_name() without registering a kobject. */
	pdev->dev.kobj.name = name;
	pdev->bus = bus;
	pdev->devfn = devfn;
	pdev->error_state = pci_channel_io_normal;
	pdev->cfg_size = fx->dump_len > PCI_CFG_SPACE_SIZE ?
			 PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE;
	INIT_LIST_HEAD(&pdev->bus_list);
	list_add_tail(&pdev->bus_list, &bus->devices);

	pci_read_config_word(pdev, PCI_VENDOR_ID, &pdev->vendor);
	pci_read_config_word(pdev, PCI_DEVICE_ID, &pdev->device);
	pci_read_config_word(pdev, PCI_SUBSYSTEM_VENDOR_ID,
			     &pdev->subsystem_vendor);
	pci_read_config_word(pdev, PCI_SUBSYSTEM_ID, &pdev->subsystem_device);
	pci_read_config_dword(pdev, PCI_CLASS_REVISION, &class);
	pdev->revision = class & 0xff;
	pdev->class = class >> 8;
	pci_read_config_byte(pdev, PCI_HEADER_TYPE, &hdr);
	pdev->hdr_type = hdr & 0x7f;
	pdev->multifunction = !!(hdr & 0x80);

	pdev->pcie_cap = pci_find_capability(pdev, PCI_CAP_ID_EXP);
	if (pdev->pcie_cap)
		pci_read_config_word(pdev, pdev->pcie_cap + PCI_EXP_FLAGS,
				     &pdev->pcie_flags_reg);
	pdev->acs_cap = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_ACS);
	return pdev;
}

/* One function alone on its own root bus 00, at 00:00.0. */
struct pci_dev *acsx_fake_alone(struct kunit *test,
				const struct acsx_fixture *fx)
{
	return acsx_fake_add(test, acsx_fake_root_bus(test, 0, 0), 0, fx);
}

/*
 * From now on every config read of @pdev returns all ones with success, as
 * a surprise-removed device or one whose link went down answers.
 */
void acsx_fake_set_gone(struct pci_dev *pdev)
{
	to_fake(pdev->bus)->gone[pdev->devfn] = true;
}

/*
 * Give a real dump another PCIe port type, for types no dump in the data
 * set has (a PCIe-to-PCI bridge, a downstream port with ACS).  Both the
 * cached flags and config space change, so every reader agrees.
 */
void acsx_fake_set_pcie_type(struct pci_dev *pdev, int type)
{
	pdev->pcie_flags_reg &= ~PCI_EXP_FLAGS_TYPE;
	pdev->pcie_flags_reg |= type << 4;
	pci_write_config_word(pdev, pdev->pcie_cap + PCI_EXP_FLAGS,
			      pdev->pcie_flags_reg);
}

/* IOMMU groups attached to fake devices, dropped when the test ends. */
struct group_ref {
	struct device *dev;
	struct iommu_group *group;
};

static int group_ref_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static void group_ref_free(struct kunit_resource *res)
{
	struct group_ref *ref = res->data;

	ref->dev->iommu_group = NULL;
	iommu_group_put(ref->group);
}

/* Put @pdev in a new IOMMU group, or in @dev_of's group. */
void acsx_fake_join_group(struct kunit *test, struct pci_dev *pdev,
			  struct pci_dev *dev_of)
{
	struct group_ref *ref = kunit_kzalloc(test, sizeof(*ref), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ref);
	if (dev_of)
		ref->group = iommu_group_get(&dev_of->dev);
	else
		ref->group = iommu_group_alloc();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ref->group);
	ref->dev = &pdev->dev;
	pdev->dev.iommu_group = ref->group;
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test,
				     kunit_alloc_resource(test, group_ref_init,
							  group_ref_free,
							  GFP_KERNEL, ref));
}

/* One module holds every suite, acs_core.c and this file. */
MODULE_DESCRIPTION("KUnit tests for the acs_inspect module's logic");
MODULE_LICENSE("GPL");
