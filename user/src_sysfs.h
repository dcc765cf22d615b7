/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src_sysfs.h - facts from a live machine without the acs_inspect module.
 */
#ifndef ACSEXPLAIN_SRC_SYSFS_H
#define ACSEXPLAIN_SRC_SYSFS_H

#include <stddef.h>

#include "model.h"

/* Config space of every function through libpci's sysfs method, then the
 * kernel's view from sysfs.  0, or -1 with one line in err.
 */
int ax_source_sysfs(struct ax_machine *m, char *err, size_t errlen);

/* Add what sysfs says (groups, drivers, VFs, IOMMU, command line) to
 * devices already in m, reading below sysroot ("" or NULL: the live /).
 */
int ax_sysfs_enrich(struct ax_machine *m, const char *sysroot);

/* src_dump.c: config space of every function via libpci's sysfs method. */
int ax_source_libpci_sysfs(struct ax_machine *m, char *err, size_t errlen);

#endif
