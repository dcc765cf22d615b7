/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render.h - the renderers: they only print a struct ax_analysis, text
 * (render/text.c) or JSON (render/json.c), from the same fields.
 */
#ifndef ACSEXPLAIN_RENDER_H
#define ACSEXPLAIN_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis.h"

#ifndef ACSEXPLAIN_VERSION
#define ACSEXPLAIN_VERSION "0.1.0"
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

#endif
