// SPDX-License-Identifier: GPL-2.0
/*
 * acs_kprobe.c - observe the kernel's own ACS decisions.
 *
 * pci_acs_enabled() and pci_dev_specific_acs_enabled() are not exported
 * and must not be called.  A kretprobe on each records, per device, the
 * answers the kernel gave for REQ_ACS_FLAGS when pci_device_group() ran for
 * devices added after the module loaded (hot-plug, SR-IOV VFs).  Nothing is
 * called through an address: the probes only read arguments and results.
 *
 * Off unless the module parameter kprobes=1 asks.  The handlers may run
 * with interrupts off and, on PREEMPT_RT, must not take a sleeping lock:
 * observations come from a pool allocated at load, under a raw spinlock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ptrace.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "acs_module.h"

/* Observations kept; more devices than this are not observed. */
#define ACSI_OBS_MAX 4096

/* Longest pci_acs_path_enabled() searched for a call (it is ~200 bytes). */
#define ACSI_PATH_FN_MAX 4096

struct acsi_obs_entry {
	struct hlist_node node;
	u64 key;
	struct acsi_observation obs;
};

struct acsi_probe_call {
	u64 key;
};

static DEFINE_HASHTABLE(acsi_obs_table, 10);
static HLIST_HEAD(acsi_obs_free);
static DEFINE_RAW_SPINLOCK(acsi_obs_lock);
static struct acsi_obs_entry *acsi_obs_pool;
static u8 acsi_kp_status = ACSI_KPROBE_OFF;
static u8 acsi_kp_path = ACSI_KPROBE_PATH_UNKNOWN;

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

static void acsi_obs_record(u64 key, bool is_quirk, int val)
{
	struct acsi_obs_entry *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&acsi_obs_lock, flags);
	e = acsi_obs_find(key);
	if (!e && !hlist_empty(&acsi_obs_free)) {
		e = hlist_entry(acsi_obs_free.first, struct acsi_obs_entry,
				node);
		hlist_del(&e->node);
		memset(&e->obs, 0, sizeof(e->obs));
		e->key = key;
		hash_add(acsi_obs_table, &e->node, key);
	}
	if (e) {
		if (is_quirk) {
			e->obs.have_quirk = true;
			e->obs.quirk = val;
		} else {
			e->obs.have_enabled = true;
			e->obs.enabled = val != 0;
		}
	}
	raw_spin_unlock_irqrestore(&acsi_obs_lock, flags);
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
	/* Non-zero: no return handler, the instance is free for others. */
	if (!pdev || !pdev->bus || flags != ACSI_REQ_ACS_FLAGS)
		return 1;
	call->key = acsi_obs_key(pdev);
	return 0;
}

static int acsi_enabled_ret(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct acsi_probe_call *call = (struct acsi_probe_call *)ri->data;

	/* A bool return sets %al only: the rest of %rax is undefined. */
	acsi_obs_record(call->key, false, regs_return_value(regs) & 0xff);
	return 0;
}

static int acsi_quirk_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct acsi_probe_call *call = (struct acsi_probe_call *)ri->data;

	/* An int return: %eax. */
	acsi_obs_record(call->key, true, (int)regs_return_value(regs));
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

/* Start and size of the function holding @addr, from "%pS" (sym+off/size). */
static bool acsi_fn_bounds(unsigned long addr, unsigned long *start,
			   unsigned long *size)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long off;
	char *plus;

	snprintf(sym, sizeof(sym), "%pS", (void *)addr);
	plus = strrchr(sym, '+');
	if (!plus || sscanf(plus, "+%lx/%lx", &off, size) != 2 || off > addr)
		return false;
	*start = addr - off;
	return true;
}

/* @dest is @target or its call-depth accounting thunk in the padding. */
static bool acsi_is_call_to(unsigned long dest, unsigned long target)
{
	char sym[KSYM_NAME_LEN];

	if (dest == target)
		return true;
	if (dest > target || target - dest > 64)
		return false;
	snprintf(sym, sizeof(sym), "%ps", (void *)dest);
	return !strcmp(sym, "__pfx_pci_acs_enabled");
}

/*
 * Does pci_acs_path_enabled() call the probed pci_acs_enabled()?  Both are
 * in drivers/pci/pci.c and the compiler may inline the one into the other;
 * then a path's bridges never reach the kretprobe.  A kprobe finds
 * pci_acs_path_enabled() (it is not exported), and its code is searched
 * for a direct call or jump (E8/E9 rel32) to pci_acs_enabled(), or to the
 * padding just before it (call-depth tracking thunks).  The code is only
 * read, never called.
 */
static u8 acsi_detect_path(void)
{
	struct kprobe kp = { .symbol_name = "pci_acs_path_enabled" };
	unsigned long start, size, target, tsize, off;
	u8 ret = ACSI_KPROBE_PATH_UNKNOWN;
	u8 *code;

	if (!acsi_fn_bounds((unsigned long)acsi_rp_enabled.kp.addr, &target,
			    &tsize))
		return ret;
	if (register_kprobe(&kp))
		return ret;
	/* Only its address was wanted; the code is read unpatched. */
	unregister_kprobe(&kp);
	if (!acsi_fn_bounds((unsigned long)kp.addr, &start, &size) ||
	    size < 5 || size > ACSI_PATH_FN_MAX)
		return ret;
	code = kmalloc(size, GFP_KERNEL);
	if (!code)
		return ret;
	if (copy_from_kernel_nofault(code, (void *)start, size))
		goto out;
	ret = ACSI_KPROBE_PATH_INLINED;
	for (off = 0; off + 5 <= size; off++) {
		unsigned long dest;
		__le32 rel;

		if (code[off] != 0xe8 && code[off] != 0xe9)
			continue;
		memcpy(&rel, &code[off + 1], sizeof(rel));
		dest = start + off + 5 + (long)(s32)le32_to_cpu(rel);
		if (acsi_is_call_to(dest, target)) {
			ret = ACSI_KPROBE_PATH_CALLED;
			break;
		}
	}
out:
	kfree(code);
	return ret;
}

int acsi_kprobe_init(bool enable)
{
	int i, ret;

	acsi_kp_status = ACSI_KPROBE_OFF;
	acsi_kp_path = ACSI_KPROBE_PATH_UNKNOWN;
	if (!enable)
		return 0;
	acsi_obs_pool = kcalloc(ACSI_OBS_MAX, sizeof(*acsi_obs_pool),
				GFP_KERNEL);
	if (!acsi_obs_pool)
		return -ENOMEM;
	for (i = 0; i < ACSI_OBS_MAX; i++)
		hlist_add_head(&acsi_obs_pool[i].node, &acsi_obs_free);

	ret = register_kretprobe(&acsi_rp_enabled);
	if (ret) {
		pr_info("kretprobe on pci_acs_enabled unavailable (%d)\n", ret);
		acsi_kp_status = ACSI_KPROBE_UNAVAILABLE;
		return 0;
	}
	acsi_rp_enabled_on = true;
	acsi_kp_path = acsi_detect_path();
	if (acsi_kp_path == ACSI_KPROBE_PATH_INLINED)
		pr_info("pci_acs_enabled() is inlined into pci_acs_path_enabled(): bridges are not observed\n");
	ret = register_kretprobe(&acsi_rp_quirk);
	if (ret) {
		pr_info("kretprobe on pci_dev_specific_acs_enabled unavailable (%d)\n",
			ret);
		acsi_kp_status = ACSI_KPROBE_PARTIAL;
		return 0;
	}
	acsi_rp_quirk_on = true;
	acsi_kp_status = ACSI_KPROBE_ACTIVE;
	return 0;
}

void acsi_kprobe_exit(void)
{
	if (acsi_rp_quirk_on)
		unregister_kretprobe(&acsi_rp_quirk);
	if (acsi_rp_enabled_on)
		unregister_kretprobe(&acsi_rp_enabled);
	acsi_rp_quirk_on = false;
	acsi_rp_enabled_on = false;

	/* Handlers have finished: unregister_kretprobe() waits for them. */
	hash_init(acsi_obs_table);
	INIT_HLIST_HEAD(&acsi_obs_free);
	kfree(acsi_obs_pool);
	acsi_obs_pool = NULL;
}

u8 acsi_kprobe_status(void)
{
	return acsi_kp_status;
}

u8 acsi_kprobe_path(void)
{
	return acsi_kp_path;
}

bool acsi_kprobe_observe(struct pci_dev *pdev, struct acsi_observation *obs)
{
	struct acsi_obs_entry *e;
	unsigned long flags;
	bool found = false;

	if (!acsi_obs_pool)
		return false;
	raw_spin_lock_irqsave(&acsi_obs_lock, flags);
	e = acsi_obs_find(acsi_obs_key(pdev));
	if (e) {
		*obs = e->obs;
		found = true;
	}
	raw_spin_unlock_irqrestore(&acsi_obs_lock, flags);
	return found;
}

void acsi_kprobe_forget(struct pci_dev *pdev)
{
	struct acsi_obs_entry *e;
	unsigned long flags;

	if (!acsi_obs_pool)
		return;
	raw_spin_lock_irqsave(&acsi_obs_lock, flags);
	e = acsi_obs_find(acsi_obs_key(pdev));
	if (e) {
		hash_del(&e->node);
		hlist_add_head(&e->node, &acsi_obs_free);
	}
	raw_spin_unlock_irqrestore(&acsi_obs_lock, flags);
}
