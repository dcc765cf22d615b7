// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render/json.c - acsexplain --json: the analysis in the documented schema
 * (Documentation/json-schema.md), the same fields render/text.c prints.
 * Changing or removing a field means a new schema string (AX_JSON_SCHEMA),
 * adding one does not.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonw.h"
#include "quirks.h"
#include "render.h"
#include "render/quirklab_out.h"

struct jctx {
	struct jw *w;		/* shared by the what-if's context */
	const struct ax_analysis *a;
	/* the machine and derivation being printed: the real one, or the
	 * what-if's
	 */
	const struct ax_machine *m;
	const struct ax_result *res;
	const struct ax_advice *adv;	/* the advice of that derivation */
	struct jctx *what_if;	/* the what-if's context, or NULL */
};

/* Address of device idx, or null when there is none (-1). */
static json_object *jdev(struct jctx *c, int idx)
{
	if (idx < 0 || (size_t)idx >= c->m->n)
		return NULL;
	return jw_addr(c->w, c->m->devs[idx].addr);
}

/* Group numbers: AX_GROUP_NONE and AX_GROUP_UNKNOWN both print null. */
static json_object *jgroup(struct jctx *c, int g)
{
	return g >= 0 ? jw_int(c->w, g) : NULL;
}

static json_object *acs_flags_json(struct jctx *c, uint16_t flags)
{
	static const char *const names[] = {
		"SV", "TB", "RR", "CR", "UF", "EC", "DT",
	};
	json_object *a = jw_arr(c->w, 0);
	size_t i;

	for (i = 0; a && i < AX_ARRAY_SIZE(names); i++)
		if (flags & (1u << i))
			jw_push(c->w, a, jw_str(c->w, names[i]));
	return a;
}

static json_object *acs_json(struct jctx *c, int idx)
{
	const struct ax_dev *d = &c->m->devs[idx];
	const struct ax_acs_verdict *v = &c->res->dev[idx].acs;
	bool have = d->acs_known && d->acs_pos;
	json_object *o = jw_obj(c->w);

	jw_put(c->w, o, "known", jw_bool(c->w, d->acs_known));
	jw_put(c->w, o, "offset", have ? jw_int(c->w, d->acs_pos) : NULL);
	jw_put(c->w, o, "cap", have ? jw_int(c->w, d->acs_cap) : NULL);
	jw_put(c->w, o, "ctrl", have ? jw_int(c->w, d->acs_ctrl) : NULL);
	jw_put(c->w, o, "dword_layout", jw_bool(c->w, have && d->acs_dword_layout));
	jw_put(c->w, o, "isolated", jw_bool(c->w, v->isolated));
	jw_put(c->w, o, "basis", jw_str(c->w, ax_acs_basis_name(v->basis)));
	jw_put(c->w, o, "missing", acs_flags_json(c, v->missing));
	jw_put(c->w, o, "why", jw_str(c->w, v->why));
	return o;
}

static json_object *jkver(struct jctx *c, int kver)
{
	char buf[16];

	return kver > 0 ? jw_str(c->w, ax_kver_str(kver, buf)) : NULL;
}

static json_object *reasons_json(struct jctx *c, int idx)
{
	const struct ax_dev_result *dr = &c->res->dev[idx];
	json_object *a = jw_arr(c->w, (size_t)dr->n_reasons);
	int k;

	for (k = 0; a && k < dr->n_reasons && !c->w->oom; k++) {
		const struct ax_reason *r = &dr->reasons[k];
		json_object *o = jw_obj(c->w);

		jw_put(c->w, o, "code", jw_str(c->w, ax_reason_code_name(r->code)));
		jw_put(c->w, o, "at", jdev(c, r->at));
		jw_put(c->w, o, "text", jw_str(c->w, r->text));
		jw_put(c->w, o, "release_dep", jkver(c, r->release_dep));
		jw_push(c->w, a, o);
	}
	return a;
}

/* One device: built when the writer gets to it (jw_later()). */
static json_object *dev_json(void *ctx, int idx)
{
	struct jctx *c = ctx;
	const struct ax_dev *d = &c->m->devs[idx];
	json_object *o = jw_obj(c->w);

	jw_put(c->w, o, "address", jw_addr(c->w, d->addr));
	jw_put(c->w, o, "vendor_id", jw_hex(c->w, d->vendor, 4));
	jw_put(c->w, o, "device_id", jw_hex(c->w, d->device, 4));
	jw_put(c->w, o, "class", jw_hex(c->w, d->class, 6));
	jw_put(c->w, o, "name", jw_str_or_null(c->w, d->name));
	jw_put(c->w, o, "type", jw_str(c->w, ax_pcie_type_name(d)));
	jw_put(c->w, o, "parent", jdev(c, d->parent));
	jw_put(c->w, o, "physfn", d->is_virtfn ? jdev(c, d->physfn) : NULL);
	jw_put(c->w, o, "slot_name", jw_str_or_null(c->w, d->slot_name));
	jw_put(c->w, o, "kernel_group", jgroup(c, d->kernel_group));
	jw_put(c->w, o, "predicted_group", jgroup(c, c->res->dev[idx].group));
	jw_put(c->w, o, "culprit", jdev(c, c->res->dev[idx].culprit));
	jw_put(c->w, o, "acs", acs_json(c, idx));
	jw_put(c->w, o, "driver", d->driver_known ? jw_str_or_null(c->w, d->driver) : NULL);
	jw_put(c->w, o, "driver_known", jw_bool(c->w, d->driver_known));
	jw_put(c->w, o, "reasons", reasons_json(c, idx));
	/* the advice: what a VFIO user can do with it */
	jw_put(c->w, o, "assignment", c->w->oom ? NULL :
	    jw_adopt(c->w, ax_assignment_json(c->m, &c->adv->g,
					&c->adv->assign[idx])));
	if (c->w->oom) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* One group, built when the writer gets to it. */
static json_object *group_json(void *ctx, int gi)
{
	struct jctx *c = ctx;
	const struct ax_group *g = &c->res->groups[gi];
	json_object *o = jw_obj(c->w);
	json_object *mem = jw_arr(c->w, (size_t)g->n);
	int k;

	jw_put(c->w, o, "id", jw_int(c->w, g->id));
	jw_put(c->w, o, "kernel_group", jgroup(c, g->kernel_group));
	for (k = 0; mem && k < g->n; k++)
		jw_push(c->w, mem, jdev(c, g->members[k]));
	jw_put(c->w, o, "members", mem);
	if (c->w->oom) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *comparison_json(struct jctx *c)
{
	const struct ax_result *res = c->res;
	json_object *o = jw_obj(c->w);
	json_object *mis = jw_arr(c->w, (size_t)res->n_mismatch);
	int i;

	jw_put(c->w, o, "kernel_groups_known", jw_bool(c->w, c->m->kernel_groups_known));
	for (i = 0; mis && i < res->n_devs && !c->w->oom; i++)
		if (res->dev[i].mismatch)
			jw_push(c->w, mis, jdev(c, i));
	jw_put(c->w, o, "matches", res->compared ? jw_bool(c->w, res->matches_kernel) :
	    NULL);
	jw_put(c->w, o, "mismatched_devices", mis);
	jw_put(c->w, o, "cause", res->compared && !res->matches_kernel ?
	    jw_str_or_null(c->w, res->mismatch_cause) : NULL);
	return o;
}

static json_object *kernel_json(struct jctx *c)
{
	const struct ax_machine *m = c->m;
	json_object *o = jw_obj(c->w);
	const char *iommu = ax_iommu_name(m->iommu);

	jw_put(c->w, o, "release", jw_str_or_null(c->w, m->kernel_release));
	jw_put(c->w, o, "cmdline", jw_str_or_null(c->w, m->cmdline));
	jw_put(c->w, o, "iommu", jw_str(c->w, iommu));
	jw_put(c->w, o, "iommu_driver", jw_str_or_null(c->w, m->iommu_driver));
	jw_put(c->w, o, "acs_requested", m->acs_requested_known ?
	    jw_bool(c->w, m->acs_requested) : NULL);
	jw_put(c->w, o, "acs_assumption", jw_str_or_null(c->w, c->res->acs_policy));
	jw_put(c->w, o, "release_rules", jw_str_or_null(c->w, c->res->release_rules));
	return o;
}

static json_object *source_json(struct jctx *c)
{
	json_object *o = jw_obj(c->w);

	jw_put(c->w, o, "kind", jw_str(c->w, ax_source_kind_name(c->m->source)));
	jw_put(c->w, o, "name", jw_str_or_null(c->w, c->m->source_name));
	jw_put(c->w, o, "module", jw_bool(c->w, c->m->module_facts));
	return o;
}

static json_object *rules_json(struct jctx *c, const struct ax_profile *p)
{
	json_object *o = jw_obj(c->w);

	jw_put(c->w, o, "release", jkver(c, p->kver));
	jw_put(c->w, o, "from_data", jw_bool(c->w, p->kver_from_data));
	jw_put(c->w, o, "hypothetical", jw_bool(c->w, p->hypothetical));
	return o;
}

static json_object *notes_json(struct jctx *c)
{
	const struct ax_machine *m = c->m;
	const struct ax_result *r = c->res;
	json_object *arr = jw_arr(c->w, 0);
	int k;

	for (k = 0; arr && k < m->n_notes && k < (int)AX_ARRAY_SIZE(m->notes); k++)
		jw_push(c->w, arr, jw_str(c->w, m->notes[k]));
	for (k = 0; arr && k < r->n_notes && k < AX_MAX_NOTES; k++)
		jw_push(c->w, arr, jw_str(c->w, r->notes[k]));
	return arr;
}

static json_object *addrs_json(struct jctx *c, const int *idx, int n)
{
	json_object *arr = jw_arr(c->w, (size_t)n);
	int k;

	for (k = 0; arr && k < n; k++)
		jw_push(c->w, arr, jdev(c, idx[k]));
	return arr;
}

/* The listed devices and their groups, in address and id order: each
 * one built, written and freed in turn.
 */
static void put_devices(struct jctx *c, json_object *root, const bool *listed)
{
	const struct ax_result *res = c->res;
	json_object *arr = jw_arr(c->w, 0);
	int i, k;

	for (i = 0; arr && i < res->n_devs && !c->w->oom; i++)
		if (listed[i])
			jw_push(c->w, arr, jw_later(c->w, dev_json, c, i));
	jw_put(c->w, root, "devices", arr);
	arr = jw_arr(c->w, 0);
	for (k = 0; arr && k < res->n_groups && !c->w->oom; k++) {
		const struct ax_group *g = &res->groups[k];

		if (g->n && listed[g->members[0]])
			jw_push(c->w, arr, jw_later(c->w, group_json, c, k));
	}
	jw_put(c->w, root, "groups", arr);
}

static json_object *audit_json(struct jctx *c, const int *which, int n)
{
	json_object *arr = jw_arr(c->w, (size_t)n);
	int k;

	for (k = 0; arr && k < n && !c->w->oom; k++) {
		const struct ax_audit *au = &c->res->audit[which ? which[k] : k];
		json_object *o = jw_obj(c->w);

		jw_put(c->w, o, "from", jdev(c, au->from));
		jw_put(c->w, o, "to", jdev(c, au->to));
		jw_put(c->w, o, "via", jdev(c, au->via));
		jw_put(c->w, o, "simulated", jw_bool(c->w, au->simulated));
		jw_put(c->w, o, "text", jw_str(c->w, au->text));
		jw_push(c->w, arr, o);
	}
	return arr;
}

static json_object *explained_json(struct jctx *c)
{
	const struct ax_analysis *a = c->a;
	json_object *arr = jw_arr(c->w, (size_t)a->n_sel);
	int i;

	for (i = 0; arr && i < a->n_sel && !c->w->oom; i++) {
		const struct ax_selected *s = &a->sel[i];
		json_object *o = jw_obj(c->w);

		jw_put(c->w, o, "device", jdev(c, s->dev));
		jw_put(c->w, o, "plan", a->plan && !c->w->oom ?
		    jw_adopt(c->w, ax_vfio_plan_json(c->m, &s->plan)) : NULL);
		jw_put(c->w, o, "audit", a->audit ?
		    audit_json(c, s->audit, s->n_audit) : NULL);
		jw_push(c->w, arr, o);
	}
	return arr;
}

static json_object *quirk_json(struct jctx *c, const struct ax_ql *q)
{
	json_object *o = ax_ql_json(c->a->m, q);

	if (!o)
		c->w->oom = true;
	return o;
}

static json_object *what_if_json(struct jctx *c0, const struct ax_whatif *w)
{
	/* the devices and groups of the machine under the change: a context
	 * of their own, which the devices built later still find
	 */
	struct jctx *c = c0->what_if;
	json_object *o, *arr;
	int j;

	*c = *c0;
	c->m = &w->machine;
	c->res = &w->res;
	c->adv = &w->advice;
	o = jw_obj(c->w);
	jw_put(c->w, o, "scenarios", jw_str(c->w, w->what));
	jw_put(c->w, o, "moved", jw_bool(c->w, w->moved));
	jw_put(c->w, o, "rules", rules_json(c, &w->profile));
	jw_put(c->w, o, "selected", c->a->all ? NULL :
	    addrs_json(c, w->selected, w->n_selected));
	put_devices(c, o, w->listed);
	jw_put(c->w, o, "comparison", comparison_json(c));
	arr = w->moved ? NULL : jw_arr(c->w, (size_t)w->n_changes);
	for (j = 0; arr && j < w->n_changes && !c->w->oom; j++) {
		const struct ax_group_change *gc = &w->changes[j];
		const struct ax_group *g = &w->res.groups[gc->group];
		json_object *x = jw_obj(c->w);

		jw_put(c->w, x, "kind", jw_str(c->w, gc->merged ? "merged" : "split"));
		jw_put(c->w, x, "from", jw_int(c->w, gc->n_from));
		jw_put(c->w, x, "members", addrs_json(c, g->members, g->n));
		jw_push(c->w, arr, x);
	}
	jw_put(c->w, o, "changes", arr);
	arr = jw_arr(c->w, 0);
	for (j = 0; arr && j < w->res.n_audit; j++)
		if (w->res.audit[j].simulated)
			jw_push(c->w, arr, jw_str(c->w, w->res.audit[j].text));
	jw_put(c->w, o, "simulated", arr);
	jw_put(c->w, o, "unknown", jw_str_or_null(c->w, w->advice.unknown));
	return o;
}

static json_object *build(struct jctx *c)
{
	const struct ax_analysis *a = c->a;
	json_object *root = jw_obj(c->w);
	int k;

	jw_put(c->w, root, "schema", jw_str(c->w, AX_JSON_SCHEMA));
	jw_put(c->w, root, "tool_version", jw_str(c->w, ACSEXPLAIN_VERSION));
	jw_put(c->w, root, "source", source_json(c));
	jw_put(c->w, root, "kernel", kernel_json(c));
	jw_put(c->w, root, "rules", rules_json(c, &a->profile));
	jw_put(c->w, root, "scope", jw_str(c->w, a->all ? "all" : a->n_sel ? "group" :
				   "none"));
	{
		json_object *sel = a->all ? NULL : jw_arr(c->w, (size_t)a->n_sel);

		for (k = 0; sel && k < a->n_sel; k++)
			jw_push(c->w, sel, jdev(c, a->sel[k].dev));
		jw_put(c->w, root, "selected", sel);
	}
	put_devices(c, root, a->listed);
	jw_put(c->w, root, "comparison", comparison_json(c));
	jw_put(c->w, root, "notes", notes_json(c));
	jw_put(c->w, root, "explained", explained_json(c));
	jw_put(c->w, root, "audit", a->audit && a->all ?
	    audit_json(c, NULL, a->res.n_audit) : NULL);
	jw_put(c->w, root, "quirk_validation", a->quirk ? quirk_json(c, a->quirk) :
	    NULL);
	jw_put(c->w, root, "what_if", a->what_if ? what_if_json(c, a->what_if) :
	    NULL);
	return root;
}

int ax_render_json(FILE *out, const struct ax_analysis *a,
		   const struct ax_render_opts *o)
{
	struct jw w = { .oom = false };
	struct jctx what_if, c = { .w = &w, .a = a, .m = a->m, .res = &a->res,
				   .adv = &a->advice, .what_if = &what_if };
	int jflags = JSON_C_TO_STRING_NOSLASHESCAPE;

	jflags |= o->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			      JSON_C_TO_STRING_PLAIN;
	return jw_write(&w, out, build(&c), jflags);
}
