/* SPDX-License-Identifier: GPL-2.0 */
/*
 * acs_module.h - state shared by the parts of the acs_inspect module that
 * register things with the kernel: the netlink family (acs_netlink.c), the
 * PCI bus notifier (acs_main.c) and the kretprobes (acs_kprobe.c).
 */
#ifndef ACS_INSPECT_MODULE_H
#define ACS_INSPECT_MODULE_H

#include <linux/atomic.h>
#include <linux/types.h>

#include "acs_core.h"

#define ACSI_MODULE_VERSION "1.0"

struct pci_dev;

/* Bumped on every PCI device add/remove; never 0 (dumps use it as seq). */
extern atomic_t acsi_generation;

/**
 * acsi_generation_seq() - current generation as a dump sequence number
 *
 * Return: the generation, never 0.
 */
unsigned int acsi_generation_seq(void);

int acsi_nl_init(void);
void acsi_nl_exit(void);

/**
 * acsi_nl_event() - multicast a device event on the "events" group
 * @cmd: ACSI_CMD_DEVICE_ADDED, _REMOVED or _BOUND
 * @pdev: the device
 */
void acsi_nl_event(u8 cmd, struct pci_dev *pdev);

int acsi_kprobe_init(bool enable);
void acsi_kprobe_exit(void);
/* enum acsi_kprobe_status */
u8 acsi_kprobe_status(void);
/* enum acsi_kprobe_path */
u8 acsi_kprobe_path(void);

/**
 * acsi_kprobe_observe() - what the kretprobes saw the kernel decide
 * @pdev: the device
 * @obs: filled when something was seen
 *
 * Return: true when @obs holds at least one observation.
 */
bool acsi_kprobe_observe(struct pci_dev *pdev, struct acsi_observation *obs);

/* Drop observations of a device that is going away. */
void acsi_kprobe_forget(struct pci_dev *pdev);

#endif /* ACS_INSPECT_MODULE_H */
