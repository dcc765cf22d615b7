/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * quirklab_out.h - --validate-quirk printed: the five parts of struct
 * ax_ql as text, and as the "quirk_validation" object of the JSON result
 * (Documentation/json-schema.md).  The text and the JSON say the same.
 */
#ifndef ACSEXPLAIN_QUIRKLAB_OUT_H
#define ACSEXPLAIN_QUIRKLAB_OUT_H

#include <stdio.h>

#include <json-c/json.h>

#include "render.h"
#include "analysis/quirklab.h"

void ax_ql_print_text(FILE *out, const struct ax_machine *m,
		      const struct ax_ql *q, const struct ax_render_opts *o);
/* NULL on out of memory. */
json_object *ax_ql_json(const struct ax_machine *m, const struct ax_ql *q);

#endif
