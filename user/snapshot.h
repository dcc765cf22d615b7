/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot.h - acsexplain --save / --from FILE: every fact of a struct
 * ax_machine as a JSON document ("format": "acsexplain-snapshot"), so a
 * machine can be explained later, elsewhere, with the same answers.
 * Format: Documentation/json-schema.md, section "Snapshot".
 */
#ifndef ACSEXPLAIN_SNAPSHOT_H
#define ACSEXPLAIN_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

#ifndef ACSEXPLAIN_VERSION
#error "ACSEXPLAIN_VERSION is set by user/Makefile from the top-level VERSION file"
#endif

#define AX_SNAP_FORMAT "acsexplain-snapshot"
/* Major version of the snapshot layout this build reads and writes.  Any
 * change to the fields (added ones included) bumps it: the reader is strict.
 */
#define AX_SNAP_VERSION 1

enum ax_snap_status {
	AX_SNAP_OK = 0,
	AX_SNAP_EINVAL = 1,	/* not JSON, truncated, wrong field or range */
	AX_SNAP_ENEWER = 2,	/* written by a newer snapshot version */
	AX_SNAP_EIO = 3,	/* cannot write the file */
	AX_SNAP_ENOMEM = 4,
};

/* Write the snapshot of m to path ("-" = stdout).  AX_SNAP_OK or an error
 * with a one-line message in err.
 */
int ax_snapshot_save(const struct ax_machine *m, const char *path,
		     char *err, size_t errlen);

/* Fill an initialised, empty m from a snapshot in buf[0..len).  On success
 * the machine is linked (ax_machine_link) and every saved fact restored,
 * including the source it was first read from.  On error m may hold part
 * of the devices; the caller frees it with ax_machine_free().
 */
int ax_snapshot_load(struct ax_machine *m, const char *buf, size_t len,
		     char *err, size_t errlen);

/* True when buf looks like a JSON document (first non-blank byte is '{'),
 * as opposed to an lspci dump or lspci text: --from's auto-detection.
 */
bool ax_snapshot_detect(const char *buf, size_t len);

#endif
