/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exitcodes.h - acsexplain's exit statuses.  They are part of the
 * interface: Documentation/acsexplain.8 (EXIT STATUS) lists the same values,
 * so scripts can tell "no such device" from "bad file" without parsing text.
 */
#ifndef ACSEXPLAIN_EXITCODES_H
#define ACSEXPLAIN_EXITCODES_H

enum ax_exit {
	AX_EXIT_OK = 0,		/* explained what was asked */
	AX_EXIT_NODEV = 1,	/* no device matches the address or id */
	AX_EXIT_USAGE = 2,	/* bad option, malformed address or id */
	AX_EXIT_SOURCE = 3,	/* facts source unavailable: module missing,
				 * protocol mismatch, no permission
				 */
	AX_EXIT_INPUT = 4,	/* --from/--groups file unreadable, truncated,
				 * garbage, or a snapshot from a newer version
				 */
	AX_EXIT_MISMATCH = 5,	/* --check-kernel: derived groups differ */
	AX_EXIT_INTERNAL = 6,	/* out of memory, bug */
	AX_EXIT_REFUSED = 7,	/* --validate-quirk --patch: the quirk does not
				 * fit the device, is not needed, or the tree
				 * already has it; no patch written
				 */
};

#endif
