/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * explain.h - the words: group explanations, remedies, the vfio-pci
 * assignment plan, quirk validation and what-if differences.
 */
#ifndef ACSEXPLAIN_EXPLAIN_H
#define ACSEXPLAIN_EXPLAIN_H

#include <stdio.h>

#include "derive.h"

struct ax_explain_opts {
	bool color;
	bool plan;		/* print the vfio-pci assignment plan */
	bool audit;		/* print the isolation audit */
	bool verbose;
};

void ax_explain_header(FILE *out, const struct ax_machine *m,
		       const struct ax_profile *p, const struct ax_result *r,
		       const struct ax_explain_opts *o);
void ax_explain_device(FILE *out, const struct ax_machine *m,
		       const struct ax_profile *p, const struct ax_result *r,
		       int idx, const struct ax_explain_opts *o);
void ax_explain_all(FILE *out, const struct ax_machine *m,
		    const struct ax_profile *p, const struct ax_result *r,
		    const struct ax_explain_opts *o);
void ax_explain_plan(FILE *out, const struct ax_machine *m,
		     const struct ax_result *r, int idx,
		     const struct ax_explain_opts *o);
void ax_explain_audit(FILE *out, const struct ax_machine *m,
		      const struct ax_result *r, int only_group,
		      const struct ax_explain_opts *o);
/* Differences between two derivations of the same machine. */
int ax_explain_diff(FILE *out, const struct ax_machine *m,
		    const struct ax_result *before,
		    const struct ax_result *after, const char *what,
		    const struct ax_explain_opts *o);
/* Vendor quirk validation for vendor:device.  Returns the number of
 * devices that matched.
 */
int ax_validate_quirk(FILE *out, const struct ax_machine *m,
		      const struct ax_profile *p, const struct ax_result *r,
		      uint16_t vendor, uint16_t device,
		      const struct ax_explain_opts *o);
/* Release in which a quirk for this device first applies, > kver; 0. */
int ax_quirk_release_for(const struct ax_dev *d, int kver,
			 const char **callback);

#endif
