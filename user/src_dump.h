/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src_dump.h - facts from a config-space dump written by `lspci -x`,
 * `-xxx` or `-xxxx`, read through libpci's dump access method.
 */
#ifndef ACSEXPLAIN_SRC_DUMP_H
#define ACSEXPLAIN_SRC_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/*
 * Append every function in the dump at path to m and set m->source to
 * AX_SRC_DUMP.  What the dump cannot show (ACS without extended config
 * space, capabilities in a 64-byte dump) is marked unknown and noted with
 * ax_machine_note().  Returns 0, or -1 with one line in err (file missing,
 * no device in it, a device with less than its 64-byte header).
 */
int ax_source_dump(struct ax_machine *m, const char *path,
		   char *err, size_t errlen);

/* Intel Sunrise/Union Point and 7th/8th gen mobile PCH root ports whose
 * ACS capability and control are dwords (kernel quirk
 * pci_quirk_intel_spt_pch_acs_match()); lspci decodes their control wrongly.
 */
bool ax_intel_spt_acs_dword_layout(uint16_t vendor, uint16_t device,
				   bool is_root_port);

/* Index of the device at a among m->devs[first..], or -1; a linear search
 * for sources still filling m (ax_machine_find() needs the sorted table
 * ax_machine_link() makes).
 */
int ax_find_from(const struct ax_machine *m, size_t first, struct ax_addr a);

/* Mark the VFs that the PF at index pf places (routing ID = PF + offset +
 * k * stride, k < numvf) among m->devs[first..]: is_virtfn, physfn, and
 * vendor/device when their ID registers read ffff.
 */
void ax_place_vfs(struct ax_machine *m, size_t first, size_t pf,
		  unsigned int numvf, unsigned int offset, unsigned int stride,
		  uint16_t vf_device);

/* Fill empty names from pci.ids (vendor and device ids known). */
void ax_fill_names(struct ax_machine *m);

#endif
