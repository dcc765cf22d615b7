/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render.h - the renderers: they only print a struct ax_analysis, text
 * (render/text.c) or JSON (render/json.c), from the same fields.
 */
#ifndef ACSEXPLAIN_RENDER_H
#define ACSEXPLAIN_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "analysis.h"

#ifndef ACSEXPLAIN_VERSION
#error "ACSEXPLAIN_VERSION is set by user/Makefile from the top-level VERSION file"
#endif

/* The --json schema (Documentation/json-schema.md). */
#define AX_JSON_SCHEMA "acsexplain/2"

struct ax_render_opts {
	bool color;		/* text: ANSI colours */
	bool pretty;		/* JSON: indented, for people */
};

/* Print the analysis.  0, or -1 on a write error or out of memory
 * (errno set).
 */
int ax_render_text(FILE *out, const struct ax_analysis *a,
		   const struct ax_render_opts *o);
int ax_render_json(FILE *out, const struct ax_analysis *a,
		   const struct ax_render_opts *o);

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
		       const struct ax_result *r, const bool *listed,
		       const struct ax_advice *adv, bool color);

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
