// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * advice_json.c - "assignment" and "plan" of the result JSON.  The same
 * structures the text renderer prints, so text and JSON say the same.
 */
#include <string.h>

#include "render.h"

struct jb {
	bool oom;
};

static json_object *chk(struct jb *b, json_object *o)
{
	if (!o)
		b->oom = true;
	return o;
}

static void put(struct jb *b, json_object *o, const char *k, json_object *v)
{
	if (!o || !v || json_object_object_add(o, k, v)) {
		json_object_put(v);
		b->oom = true;
	}
}

static void push(struct jb *b, json_object *arr, json_object *v)
{
	if (!arr || !v || json_object_array_add(arr, v)) {
		json_object_put(v);
		b->oom = true;
	}
}

static json_object *str_or_null(struct jb *b, const char *s)
{
	return s && s[0] ? chk(b, json_object_new_string(s)) : NULL;
}

static json_object *addrs(struct jb *b, const struct ax_machine *m,
			  const int *l, int n)
{
	json_object *arr = chk(b, json_object_new_array());
	char a[AX_ADDR_STRLEN];
	int k;

	for (k = 0; k < n; k++)
		push(b, arr, chk(b, json_object_new_string(
			ax_addr_str(m->devs[l[k]].addr, a))));
	return arr;
}

/* put() that keeps a JSON null */
static void put_null(struct jb *b, json_object *o, const char *k,
		     json_object *v)
{
	if (!o || json_object_object_add(o, k, v)) {
		json_object_put(v);
		b->oom = true;
	}
}

json_object *ax_assignment_json(const struct ax_machine *m,
				const struct ax_grouping *g,
				const struct ax_assignment *a)
{
	struct jb b = { false };
	json_object *o = chk(&b, json_object_new_object());
	json_object *rems = chk(&b, json_object_new_array());
	int k;

	put(&b, o, "verdict", chk(&b, json_object_new_string(
		ax_verdict_name(a->verdict))));
	put(&b, o, "why", chk(&b, json_object_new_string(a->why)));
	put_null(&b, o, "group", a->group >= 0 ?
		 chk(&b, json_object_new_int(a->group)) : NULL);
	put(&b, o, "group_source", chk(&b, json_object_new_string(
		g->kernel ? "kernel" : "derived")));
	put(&b, o, "assign_with", addrs(&b, m, a->assign_with,
					a->n_assign_with));
	put(&b, o, "own_functions", addrs(&b, m, a->own, a->n_own));
	put(&b, o, "companions", addrs(&b, m, a->companions,
				       a->n_companions));
	put(&b, o, "at_fault", addrs(&b, m, a->at_fault, a->n_at_fault));
	for (k = 0; k < a->n_remedies; k++) {
		const struct ax_remedy *r = &a->remedies[k];
		json_object *ro = chk(&b, json_object_new_object());

		put(&b, ro, "kind", chk(&b, json_object_new_string(
			ax_remedy_kind_name(r->kind))));
		put(&b, ro, "slots", addrs(&b, m, r->slots, r->n_slots));
		put(&b, ro, "text", chk(&b, json_object_new_string(r->text)));
		push(&b, rems, ro);
	}
	put(&b, o, "remedies", rems);
	if (b.oom) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *ax_vfio_plan_json(const struct ax_machine *m,
			  const struct ax_vfio_plan *pl)
{
	struct jb b = { false };
	json_object *o = chk(&b, json_object_new_object());
	json_object *ids = chk(&b, json_object_new_array());
	json_object *w = chk(&b, json_object_new_array());
	json_object *n = chk(&b, json_object_new_array());
	char buf[sizeof(pl->vfio_ids)], *tok, *save = NULL;
	int k;

	put(&b, o, "device", chk(&b, json_object_new_string(
		ax_addr_str(m->devs[pl->dev].addr, buf))));
	put_null(&b, o, "viable", pl->viable < 0 ? NULL :
		 chk(&b, json_object_new_boolean(pl->viable)));
	put(&b, o, "bind", addrs(&b, m, pl->bind, pl->n_bind));
	put(&b, o, "keep", addrs(&b, m, pl->keep, pl->n_keep));
	memcpy(buf, pl->vfio_ids, sizeof(buf));
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		push(&b, ids, chk(&b, json_object_new_string(tok)));
	put(&b, o, "vfio_ids", ids);
	put_null(&b, o, "modprobe_conf", str_or_null(&b, pl->modprobe_conf));
	put_null(&b, o, "commands", str_or_null(&b, pl->commands));
	put_null(&b, o, "proxmox", str_or_null(&b, pl->proxmox));
	put_null(&b, o, "libvirt", str_or_null(&b, pl->libvirt));
	put_null(&b, o, "qemu", str_or_null(&b, pl->qemu));
	for (k = 0; k < pl->n_warnings; k++)
		push(&b, w, chk(&b, json_object_new_string(pl->warnings[k])));
	for (k = 0; k < pl->n_notes; k++)
		push(&b, n, chk(&b, json_object_new_string(pl->notes[k])));
	put(&b, o, "warnings", w);
	put(&b, o, "notes", n);
	if (b.oom) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
