// SPDX-License-Identifier: GPL-2.0
/*
 * acs_main.c - acs_inspect: report what the kernel knows about PCIe ACS,
 * DMA aliases and IOMMU groups of every PCI device, over generic netlink.
 *
 * Load order: kretprobes, netlink family, then the bus notifier (which
 * sends on the family); unload in reverse.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <net/genetlink.h>

#include "acs_module.h"

/* Off by default: kretprobes on PCI core functions are the admin's call. */
static bool kprobes;
module_param(kprobes, bool, 0444);
MODULE_PARM_DESC(kprobes,
		 "observe pci_acs_enabled() for devices added after load with kretprobes (default: off)");

atomic_t acsi_generation = ATOMIC_INIT(1);

unsigned int acsi_generation_seq(void)
{
	unsigned int gen = atomic_read(&acsi_generation);

	return gen ? gen : 1;
}

static int acsi_bus_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		/* The IOMMU core's notifier ran first: the group is set. */
		atomic_inc(&acsi_generation);
		acsi_nl_event(ACSI_CMD_DEVICE_ADDED, pdev);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		atomic_inc(&acsi_generation);
		acsi_nl_event(ACSI_CMD_DEVICE_REMOVED, pdev);
		acsi_kprobe_forget(pdev);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
		acsi_nl_event(ACSI_CMD_DEVICE_BOUND, pdev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block acsi_bus_nb = {
	.notifier_call = acsi_bus_notify,
};

static int __init acsi_init(void)
{
	int ret;

	ret = acsi_kprobe_init(kprobes);
	if (ret)
		return ret;
	ret = acsi_nl_init();
	if (ret)
		goto err_kprobe;
	ret = bus_register_notifier(&pci_bus_type, &acsi_bus_nb);
	if (ret)
		goto err_nl;
	return 0;

err_nl:
	acsi_nl_exit();
err_kprobe:
	acsi_kprobe_exit();
	return ret;
}

static void __exit acsi_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &acsi_bus_nb);
	acsi_nl_exit();
	acsi_kprobe_exit();
}

module_init(acsi_init);
module_exit(acsi_exit);

MODULE_DESCRIPTION("Report PCIe ACS, DMA alias and IOMMU group facts over generic netlink");
MODULE_AUTHOR("acsexplain developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(ACSI_MODULE_VERSION);
/*
 * No MODULE_ALIAS_GENL_FAMILY: any user's CTRL_CMD_GETFAMILY would load
 * the module; an administrator loads it (modprobe acs_inspect).
 */
