/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmd.h - pci_real_dma_dev() on x86: a device in an Intel VMD domain
 * issues DMA as the VMD endpoint (analysis/vmd.c).
 */
#ifndef ACSEXPLAIN_VMD_H
#define ACSEXPLAIN_VMD_H

#include "model.h"

/* First domain number vmd_find_free_domain() hands out. */
#define AX_VMD_FIRST_DOMAIN 0x10000u

/* Is d a VMD endpoint (drivers/pci/controller/vmd.c vmd_ids[])? */
bool ax_is_vmd_endpoint(const struct ax_dev *d);

/*
 * map[i] = pci_real_dma_dev(device i): the index of the VMD endpoint that
 * owns device i's domain, or i.  Returns how many devices sit in VMD
 * domains that no VMD endpoint in the facts owns (they map to themselves).
 */
int ax_real_dma_devs(const struct ax_machine *m, int *map);

#endif
