/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fake PCI buses and functions for the acs_inspect KUnit
 * suites.  Config space is served from real lspci dumps (fixtures.h) by a
 * struct pci_ops, so the module's code reads it through the ordinary
 * pci_read_config_*() accessors.  Nothing is registered with the PCI core;
 * everything is allocated with kunit_kzalloc() and freed when the test ends.
 */
#ifndef ACSX_FAKE_PCI_H
#define ACSX_FAKE_PCI_H

#include <kunit/test.h>
#include <linux/pci.h>

#include "fixtures.h"

struct pci_bus *acsx_fake_root_bus(struct kunit *test, int domain, u8 busnr);
struct pci_bus *acsx_fake_child_bus(struct kunit *test,
				    struct pci_dev *bridge);
struct pci_bus *acsx_fake_virtual_bus(struct kunit *test,
				      struct pci_bus *parent, u8 busnr);
struct pci_dev *acsx_fake_add(struct kunit *test, struct pci_bus *bus,
			      unsigned int devfn,
			      const struct acsx_fixture *fx);
struct pci_dev *acsx_fake_alone(struct kunit *test,
				const struct acsx_fixture *fx);
void acsx_fake_set_pcie_type(struct pci_dev *pdev, int type);
void acsx_fake_set_gone(struct pci_dev *pdev);
void acsx_fake_join_group(struct kunit *test, struct pci_dev *pdev,
			  struct pci_dev *dev_of);

#endif /* ACSX_FAKE_PCI_H */
