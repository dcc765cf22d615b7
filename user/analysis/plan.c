// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * analysis/plan.c - the vfio-pci assignment plan for a device's group:
 * which endpoints must be bound, which bridges stay, whether the group is
 * viable now.  The renderers turn it into commands.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

int ax_plan(const struct ax_machine *m, const struct ax_result *r, int idx,
	    struct ax_plan *out)
{
	const struct ax_group *g;
	int k;

	memset(out, 0, sizeof(*out));
	out->dev = idx;
	out->group = r->dev[idx].group;
	if (out->group < 0)
		return 0;
	g = &r->groups[out->group];
	out->members = calloc((size_t)g->n + 1, sizeof(*out->members));
	if (!out->members)
		return -1;
	out->viable = true;
	for (k = 0; k < g->n; k++) {
		const struct ax_dev *t = &m->devs[g->members[k]];
		struct ax_plan_member *pm = &out->members[out->n_members++];

		pm->dev = g->members[k];
		pm->endpoint = !t->is_bridge;
		if (!pm->endpoint)
			continue;
		out->n_endpoints++;
		pm->ok = !strcmp(t->driver, "vfio-pci") ||
			 !strcmp(t->driver, "pci-stub") ||
			 (t->driver_known && !t->driver[0]);
		if (!pm->ok)
			out->viable = false;
	}
	return 0;
}

void ax_plan_free(struct ax_plan *p)
{
	free(p->members);
	memset(p, 0, sizeof(*p));
}
