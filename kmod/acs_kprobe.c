// SPDX-License-Identifier: GPL-2.0
/*
 * acs_kprobe.c - observe the kernel's own ACS decisions.
 *
 * pci_acs_enabled() and pci_dev_specific_acs_enabled() are not exported
 * and must not be called.  A kretprobe on each records, per device, the
 * answers the kernel gave for REQ_ACS_FLAGS when pci_device_group() ran for
 * devices added after the module loaded (hot-plug, SR-IOV VFs).  Nothing is
 * called through an address: the probes only read arguments and results.
 */
#include <linux/hashtable.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ptrace.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "acs_module.h"

/* Bounds memory if something calls the probed functions in a loop. */
#define ACSI_OBS_MAX 65536

struct acsi_obs_entry {
	struct hlist_node node;
	u64 key;
	struct acsi_observation obs;
};

struct acsi_probe_call {
	u64 key;
	bool wanted;
};

static DEFINE_HASHTABLE(acsi_obs_table, 10);
static DEFINE_SPINLOCK(acsi_obs_lock);
static unsigned int acsi_obs_count;
static u8 acsi_kp_status = ACSI_KPROBE_OFF;

static u64 acsi_obs_key(struct pci_dev *pdev)
{
	return acsi_pack_addr(pdev);
}

static struct acsi_obs_entry *acsi_obs_find(u64 key)
{
	struct acsi_obs_entry *e;

	hash_for_each_possible(acsi_obs_table, e, node, key)
		if (e->key == key)
			return e;
	return NULL;
}

static void acsi_obs_record(u64 key, bool is_quirk, long ret)
{
	struct acsi_obs_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&acsi_obs_lock, flags);
	e = acsi_obs_find(key);
	if (!e && acsi_obs_count < ACSI_OBS_MAX) {
		e = kzalloc(sizeof(*e), GFP_ATOMIC);
		if (e) {
			e->key = key;
			hash_add(acsi_obs_table, &e->node, key);
			acsi_obs_count++;
		}
	}
	if (e) {
		if (is_quirk) {
			e->obs.have_quirk = true;
			e->obs.quirk = (int)ret;
		} else {
			e->obs.have_enabled = true;
			e->obs.enabled = ret != 0;
		}
	}
	spin_unlock_irqrestore(&acsi_obs_lock, flags);
}

static int acsi_probe_entry(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct acsi_probe_call *call = (struct acsi_probe_call *)ri->data;
	struct pci_dev *pdev;
	u16 flags;

	/* Both functions take (struct pci_dev *dev, u16 acs_flags). */
	pdev = (struct pci_dev *)regs_get_kernel_argument(regs, 0);
	flags = (u16)regs_get_kernel_argument(regs, 1);
	call->wanted = pdev && pdev->bus && flags == ACSI_REQ_ACS_FLAGS;
	if (call->wanted)
		call->key = acsi_obs_key(pdev);
	return 0;
}

static int acsi_enabled_ret(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct acsi_probe_call *call = (struct acsi_probe_call *)ri->data;

	if (call->wanted)
		acsi_obs_record(call->key, false, regs_return_value(regs));
	return 0;
}

static int acsi_quirk_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct acsi_probe_call *call = (struct acsi_probe_call *)ri->data;

	if (call->wanted)
		acsi_obs_record(call->key, true, regs_return_value(regs));
	return 0;
}

static struct kretprobe acsi_rp_enabled = {
	.kp.symbol_name = "pci_acs_enabled",
	.entry_handler = acsi_probe_entry,
	.handler = acsi_enabled_ret,
	.data_size = sizeof(struct acsi_probe_call),
	.maxactive = 16,
};

static struct kretprobe acsi_rp_quirk = {
	.kp.symbol_name = "pci_dev_specific_acs_enabled",
	.entry_handler = acsi_probe_entry,
	.handler = acsi_quirk_ret,
	.data_size = sizeof(struct acsi_probe_call),
	.maxactive = 16,
};

static bool acsi_rp_enabled_on, acsi_rp_quirk_on;

int acsi_kprobe_init(bool enable)
{
	int ret;

	if (!enable) {
		acsi_kp_status = ACSI_KPROBE_OFF;
		return 0;
	}
	ret = register_kretprobe(&acsi_rp_enabled);
	if (ret) {
		pr_info("kretprobe on pci_acs_enabled unavailable (%d)\n", ret);
		acsi_kp_status = ACSI_KPROBE_UNAVAILABLE;
		return 0;
	}
	acsi_rp_enabled_on = true;
	ret = register_kretprobe(&acsi_rp_quirk);
	if (ret)
		pr_info("kretprobe on pci_dev_specific_acs_enabled unavailable (%d)\n",
			ret);
	else
		acsi_rp_quirk_on = true;
	acsi_kp_status = ACSI_KPROBE_ACTIVE;
	return 0;
}

void acsi_kprobe_exit(void)
{
	struct acsi_obs_entry *e;
	struct hlist_node *tmp;
	int bkt;

	if (acsi_rp_quirk_on)
		unregister_kretprobe(&acsi_rp_quirk);
	if (acsi_rp_enabled_on)
		unregister_kretprobe(&acsi_rp_enabled);
	acsi_rp_quirk_on = false;
	acsi_rp_enabled_on = false;

	/* Handlers have finished: unregister_kretprobe() waits for them. */
	hash_for_each_safe(acsi_obs_table, bkt, tmp, e, node) {
		hash_del(&e->node);
		kfree(e);
	}
	acsi_obs_count = 0;
}

u8 acsi_kprobe_status(void)
{
	return acsi_kp_status;
}

u8 acsi_kprobe_path(void)
{
	return ACSI_KPROBE_PATH_UNKNOWN;
}

bool acsi_kprobe_observe(struct pci_dev *pdev, struct acsi_observation *obs)
{
	struct acsi_obs_entry *e;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&acsi_obs_lock, flags);
	e = acsi_obs_find(acsi_obs_key(pdev));
	if (e) {
		*obs = e->obs;
		found = true;
	}
	spin_unlock_irqrestore(&acsi_obs_lock, flags);
	return found;
}

void acsi_kprobe_forget(struct pci_dev *pdev)
{
	struct acsi_obs_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&acsi_obs_lock, flags);
	e = acsi_obs_find(acsi_obs_key(pdev));
	if (e) {
		hash_del(&e->node);
		acsi_obs_count--;
	}
	spin_unlock_irqrestore(&acsi_obs_lock, flags);
	kfree(e);
}
