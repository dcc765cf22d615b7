/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render.h - the renderers: text (render/text.c) and --json (render/json.c).
 */
#ifndef ACSEXPLAIN_RENDER_H
#define ACSEXPLAIN_RENDER_H

#include <stdio.h>

#include <json-c/json.h>

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
 * versioned schema "acsexplain/2" (Documentation/json-schema.md).
 */

#ifndef ACSEXPLAIN_VERSION
#define ACSEXPLAIN_VERSION "0.1.0"
#endif

#define AX_JSON_SCHEMA "acsexplain/2"

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

/* The same with the advice: p is the profile the result was derived
 * with (NULL: the facts' own kernel), plan_dev the device of --plan (-1
 * none): "assignment" per device, "plan" at the top.
 */
int ax_json_print_advice(FILE *out, const struct ax_machine *m,
			 const struct ax_profile *p,
			 const struct ax_result *res, const int *selected,
			 int n_selected, int flags, const char *what_if,
			 int plan_dev);

/*
 * render/advice_text.c: the advice for people: the verdict first, companions,
 * who is at fault, what can be done, the plan, and a readable --all.
 */

/* Wrap text at width columns, continuation lines indented by indent. */
void ax_text_wrap(FILE *out, const char *text, int first_col, int indent,
		  int width);

/* The verdict block of one device (verdict, companions, at fault,
 * remedies).
 */
void ax_text_assignment(FILE *out, const struct ax_machine *m,
			const struct ax_result *r,
			const struct ax_grouping *g,
			const struct ax_assignment *a, bool color);
void ax_text_vfio_plan(FILE *out, const struct ax_machine *m,
		  const struct ax_vfio_plan *pl, bool color);
/* Every group, kernel numbers where known, one reason per group, host
 * bridges and uncore functions folded.  -1 out of memory.
 */
int ax_text_all_groups(FILE *out, const struct ax_machine *m,
		       const struct ax_profile *p, const struct ax_result *r,
		       const struct ax_grouping *g, bool color);

/*
 * render/advice_json.c: the advice as JSON objects of the result schema
 * (Documentation/json-schema.md: "assignment" per device, "plan").
 */

/* NULL on out of memory. */
json_object *ax_assignment_json(const struct ax_machine *m,
				const struct ax_grouping *g,
				const struct ax_assignment *a);
json_object *ax_vfio_plan_json(const struct ax_machine *m,
			  const struct ax_vfio_plan *pl);


#endif
