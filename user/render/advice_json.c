// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * advice_json.c - "assignment" and "plan" of the result JSON.  The same
 * structures the text renderer prints, so text and JSON say the same.
 */
#include <string.h>

#include "jsonw.h"
#include "render.h"

static json_object *addrs(struct jw *b, const struct ax_machine *m,
			  const int *l, int n)
{
	json_object *arr = jw_arr(b, (size_t)n);
	int k;

	for (k = 0; arr && k < n; k++)
		jw_push(b, arr, jw_addr(b, m->devs[l[k]].addr));
	return arr;
}

/* The object, or NULL when any part of it ran out of memory. */
static json_object *done(struct jw *b, json_object *o)
{
	if (b->oom) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *ax_assignment_json(const struct ax_machine *m,
				const struct ax_grouping *g,
				const struct ax_assignment *a)
{
	struct jw b = { .oom = false };
	json_object *o = jw_obj(&b);
	json_object *rems = jw_arr(&b, 0);
	int k;

	jw_put(&b, o, "verdict", jw_str(&b, ax_verdict_name(a->verdict)));
	jw_put(&b, o, "why", jw_str(&b, a->why));
	jw_put(&b, o, "group", a->group >= 0 ? jw_int(&b, a->group) : NULL);
	jw_put(&b, o, "group_source",
	       jw_str(&b, g->kernel ? "kernel" : "derived"));
	jw_put(&b, o, "assign_with", addrs(&b, m, a->assign_with,
					   a->n_assign_with));
	jw_put(&b, o, "own_functions", addrs(&b, m, a->own, a->n_own));
	jw_put(&b, o, "companions", addrs(&b, m, a->companions,
					  a->n_companions));
	jw_put(&b, o, "at_fault", addrs(&b, m, a->at_fault, a->n_at_fault));
	for (k = 0; k < a->n_remedies; k++) {
		const struct ax_remedy *r = &a->remedies[k];
		json_object *ro = jw_obj(&b);

		jw_put(&b, ro, "kind",
		       jw_str(&b, ax_remedy_kind_name(r->kind)));
		jw_put(&b, ro, "slots", addrs(&b, m, r->slots, r->n_slots));
		jw_put(&b, ro, "text", jw_str(&b, r->text));
		jw_push(&b, rems, ro);
	}
	jw_put(&b, o, "remedies", rems);
	return done(&b, o);
}

json_object *ax_vfio_plan_json(const struct ax_machine *m,
			  const struct ax_vfio_plan *pl)
{
	struct jw b = { .oom = false };
	json_object *o = jw_obj(&b);
	json_object *ids = jw_arr(&b, 0);
	json_object *w = jw_arr(&b, 0);
	json_object *n = jw_arr(&b, 0);
	char buf[sizeof(pl->vfio_ids)], *tok, *save = NULL;
	int k;

	jw_put(&b, o, "device", jw_addr(&b, m->devs[pl->dev].addr));
	jw_put(&b, o, "viable", pl->viable < 0 ? NULL :
	       jw_bool(&b, pl->viable));
	jw_put(&b, o, "bind", addrs(&b, m, pl->bind, pl->n_bind));
	jw_put(&b, o, "keep", addrs(&b, m, pl->keep, pl->n_keep));
	memcpy(buf, pl->vfio_ids, sizeof(buf));
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		jw_push(&b, ids, jw_str(&b, tok));
	jw_put(&b, o, "vfio_ids", ids);
	jw_put(&b, o, "modprobe_conf", jw_str_or_null(&b, pl->modprobe_conf));
	jw_put(&b, o, "commands", jw_str_or_null(&b, pl->commands));
	jw_put(&b, o, "proxmox", jw_str_or_null(&b, pl->proxmox));
	jw_put(&b, o, "libvirt", jw_str_or_null(&b, pl->libvirt));
	jw_put(&b, o, "qemu", jw_str_or_null(&b, pl->qemu));
	for (k = 0; k < pl->n_warnings; k++)
		jw_push(&b, w, jw_str(&b, pl->warnings[k]));
	for (k = 0; k < pl->n_notes; k++)
		jw_push(&b, n, jw_str(&b, pl->notes[k]));
	jw_put(&b, o, "warnings", w);
	jw_put(&b, o, "notes", n);
	return done(&b, o);
}
