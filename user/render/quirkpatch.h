/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * quirkpatch.h - --validate-quirk ... --patch FILE: the ACS quirk as a
 * mail in git format-patch form against a kernel source tree (Debian
 * unstable's linux-source-7.2 by default), with the table line where the
 * kernel's table order puts it.
 */
#ifndef ACSEXPLAIN_QUIRKPATCH_H
#define ACSEXPLAIN_QUIRKPATCH_H

#include <stddef.h>

#include "model.h"
#include "analysis/quirklab.h"

/* The tree to patch: explicit, else $ACSEXPLAIN_LINUX_SRC, else Debian's
 * /usr/src/linux-source-7.2 (directory, then .tar.xz).  NULL if none.
 */
const char *ax_qpatch_default_tree(const char *explicit_tree);

/* Write the patch for q (status must be AX_QL_FITS) to file.  0, or an
 * exit code of exitcodes.h with one line in err: AX_EXIT_INPUT when the
 * tree is unreadable or has no pci_dev_acs_enabled[], AX_EXIT_REFUSED when
 * the tree's table already has the device, AX_EXIT_INTERNAL when the file
 * cannot be written.
 */
int ax_qpatch_write(const char *file, const char *tree,
		    const struct ax_machine *m, const struct ax_ql *q,
		    struct ax_qpatch *out, char *err, size_t errlen);

#endif
