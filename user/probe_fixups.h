/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe_fixups.h - what the kernel changes in a device's identity while it
 * scans the bus (drivers/pci/probe.c), so that facts read from raw config
 * space (dumps, sysfs + libpci) say what the kernel holds.
 */
#ifndef ACSEXPLAIN_PROBE_FIXUPS_H
#define ACSEXPLAIN_PROBE_FIXUPS_H

#include "model.h"

/* Called by ax_machine_link() once parents and probe order are known.
 * Idempotent: facts that already hold the kernel's view are unchanged.
 */
void ax_probe_fixups(struct ax_machine *m);

#endif
