// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmd.c - Intel Volume Management Device (RST/VROC).  The vmd driver puts
 * the NVMe drives and ports behind a VMD endpoint into a PCI domain of its
 * own, numbered by vmd_find_free_domain(): one above every domain in use,
 * so 0x10000, 0x10001, ... as the endpoints probe in bus order.  On x86,
 * pci_real_dma_dev() (arch/x86/pci/common.c) returns the VMD endpoint for
 * every device of such a domain, and pci_for_each_dma_alias() starts from
 * it: they all join the VMD endpoint's IOMMU group (iommu.c
 * pci_device_group() step 1), and pci_devs_are_dma_aliases() counts them
 * as aliases of it.
 */
#include <stdlib.h>

#include "analysis.h"
#include "vmd.h"

/* vmd_ids[]: 6.1 has the first eight, 6.12 adds b60b and b06f, 7.2 b07f */
static const uint16_t vmd_ids[] = {
	0x201d, 0x28c0, 0x467f, 0x4c3d, 0xa77f, 0x7d0b, 0xad0b, 0x9a0b,
	0xb60b, 0xb06f, 0xb07f,
};

bool ax_is_vmd_endpoint(const struct ax_dev *d)
{
	size_t k;

	if (d->vendor != 0x8086 || d->addr.domain >= AX_VMD_FIRST_DOMAIN)
		return false;
	for (k = 0; k < AX_ARRAY_SIZE(vmd_ids); k++)
		if (d->device == vmd_ids[k])
			return true;
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int ax_real_dma_devs(const struct ax_machine *m, int *map)
{
	uint32_t *dom = calloc(m->n + 1, sizeof(*dom));
	int *ep = calloc(m->n + 1, sizeof(*ep));
	size_t i, k, nd = 0, ne = 0;
	int orphans = 0;

	for (i = 0; i < m->n; i++)
		map[i] = (int)i;
	if (!dom || !ep)
		goto out;
	/* devices are in address order: endpoints in probe order */
	for (i = 0; i < m->n; i++) {
		const struct ax_dev *d = &m->devs[i];

		if (ax_is_vmd_endpoint(d))
			ep[ne++] = (int)i;
		if (d->addr.domain >= AX_VMD_FIRST_DOMAIN &&
		    (!nd || dom[nd - 1] != d->addr.domain))
			dom[nd++] = d->addr.domain;
	}
	qsort(dom, nd, sizeof(*dom), cmp_u32);
	for (i = 0; i < m->n; i++) {
		const struct ax_dev *d = &m->devs[i];

		if (d->addr.domain < AX_VMD_FIRST_DOMAIN)
			continue;
		/* the k-th VMD domain belongs to the k-th VMD endpoint */
		for (k = 0; k < nd && dom[k] != d->addr.domain; k++)
			;
		if (k < ne)
			map[i] = ep[k];
		else
			orphans++;
	}
out:
	free(dom);
	free(ep);
	return orphans;
}
