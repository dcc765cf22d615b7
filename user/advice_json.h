/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * advice_json.h - the advice as JSON objects of the result schema
 * (Documentation/json-schema.md: "assignment" per device, "plan").
 */
#ifndef ACSEXPLAIN_ADVICE_JSON_H
#define ACSEXPLAIN_ADVICE_JSON_H

#include <json-c/json.h>

#include "plan.h"

/* NULL on out of memory. */
json_object *ax_assignment_json(const struct ax_machine *m,
				const struct ax_grouping *g,
				const struct ax_assignment *a);
json_object *ax_plan_json(const struct ax_machine *m,
			  const struct ax_plan *pl);

#endif
