/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render.h - the renderers: text (render/text.c) and --json (render/json.c).
 */
#ifndef ACSEXPLAIN_RENDER_H
#define ACSEXPLAIN_RENDER_H

#include <stdio.h>

#include "analysis.h"

/*
 * render/text.c: the words: group explanations, remedies, the vfio-pci
 * assignment plan, quirk validation and what-if differences.
 */

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

/*
 * render/json.c: acsexplain --json: the derivation result in the documented,
 * versioned schema "acsexplain/1" (Documentation/json-schema.md).
 */

#ifndef ACSEXPLAIN_VERSION
#define ACSEXPLAIN_VERSION "0.1.0"
#endif

#define AX_JSON_SCHEMA "acsexplain/1"

/* flags */
#define AX_JSON_PRETTY 0x1	/* indented, for people (default on a tty) */

/*
 * Print the result for the devices in selected[0..n_selected) and every
 * member of their groups (selected == NULL: the whole machine, --all).
 * Returns 0, or -1 on out of memory or a write error (errno set).
 */
int ax_json_print(FILE *out, const struct ax_machine *m,
		  const struct ax_result *res, const int *selected,
		  int n_selected, int flags);

/* The same for a hypothetical machine: what_if names the --what-if
 * scenarios applied ("acs-override=downstream, quirk=8086:1521"), printed
 * as "what_if" so no consumer mistakes the result for the real machine.
 */
int ax_json_print_what_if(FILE *out, const struct ax_machine *m,
			  const struct ax_result *res, const int *selected,
			  int n_selected, int flags, const char *what_if);

#endif
