/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hostfacts.h - what only the running machine shows and the advice needs:
 * its physical slots (/sys/bus/pci/slots, SMBIOS type 9 in
 * /sys/firmware/dmi/tables/DMI, Slot Implemented bits in config space),
 * the boot GPU (boot_vga), the modules of bound drivers, the NICs that
 * carry the default route or a bridge, the controller of the root
 * filesystem, and where the kernel command line is set.
 */
#ifndef ACSEXPLAIN_HOSTFACTS_H
#define ACSEXPLAIN_HOSTFACTS_H

#include "model.h"

/*
 * Fill those facts for the devices of m (linked).  root: NULL for the
 * machine itself, or a directory holding a fake sys/, proc/, dev/, etc/
 * tree (tests).  What cannot be read stays unknown.  Returns 0.
 */
int ax_host_facts(struct ax_machine *m, const char *root);

#endif
