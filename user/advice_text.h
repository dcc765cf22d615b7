/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * advice_text.h - the advice for people: the verdict first, companions,
 * who is at fault, what can be done, the plan, and a readable --all.
 */
#ifndef ACSEXPLAIN_ADVICE_TEXT_H
#define ACSEXPLAIN_ADVICE_TEXT_H

#include <stdio.h>

#include "plan.h"

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
void ax_text_plan(FILE *out, const struct ax_machine *m,
		  const struct ax_plan *pl, bool color);
/* Every group, kernel numbers where known, one reason per group, host
 * bridges and uncore functions folded.  -1 out of memory.
 */
int ax_text_all_groups(FILE *out, const struct ax_machine *m,
		       const struct ax_profile *p, const struct ax_result *r,
		       const struct ax_grouping *g, bool color);

#endif
