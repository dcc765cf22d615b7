/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src_text.h - facts from `lspci -vvnn` / `-vvv` text as people paste it,
 * from IOMMU group listings, and detection of what an input file is.
 */
#ifndef ACSEXPLAIN_SRC_TEXT_H
#define ACSEXPLAIN_SRC_TEXT_H

#include <stddef.h>

#include "model.h"

enum ax_input_format {
	AX_FMT_UNKNOWN = 0,
	AX_FMT_SNAPSHOT,	/* acsexplain --save JSON ('{') */
	AX_FMT_DUMP,		/* lspci -x/-xxx/-xxxx: headers + hex only */
	AX_FMT_LSPCI_TEXT,	/* lspci -v/-vv/-vvv text, hex blocks or not */
	AX_FMT_GROUPS,		/* only an IOMMU group listing */
};

/* What buf holds; never fails (AX_FMT_UNKNOWN for anything else). */
int ax_detect_format(const char *buf, size_t len);

/*
 * Append the devices of an lspci -v/-vv/-vvv report (with or without -nn,
 * domains, CRLF, interleaved library messages) to m, with any IOMMU group
 * listing and `uname -r` / `uname -a` line in the same paste.  When the
 * report carries hex dump blocks, config-space facts come from them through
 * libpci (src_dump.c) and the text only adds what config space lacks
 * (groups, drivers, slots).  What the text cannot show is marked unknown
 * and noted.  Returns 0, or -1 with one line in err (no device found,
 * unreadable embedded dump).
 */
int ax_source_text(struct ax_machine *m, const char *buf, size_t len,
		   char *err, size_t errlen);

/*
 * Apply a separate IOMMU group listing (`find /sys/kernel/iommu_groups
 * -type l`, or the shell loop's `IOMMU Group N bb:dd.f ...` lines, one-line
 * or "IOMMU Group N:" blocks) to the devices already in m (linked or not:
 * no device is added; listed devices m lacks are noted).  Devices the
 * listing leaves out get AX_GROUP_NONE; sets m->kernel_groups_known.
 * Returns 0, or -1 with err when buf holds no group line.
 */
int ax_parse_group_listing(struct ax_machine *m, const char *buf,
			   size_t len, char *err, size_t errlen);

/* Kernel release from a report's file name in the linuxhw convention
 * (`..._6.8.0-51-GENERIC_...` -> "6.8.0-51-generic") when m has none.
 */
void ax_release_from_name(struct ax_machine *m, const char *path);

#endif
