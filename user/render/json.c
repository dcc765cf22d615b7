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

#include "quirks.h"
#include "render.h"
#include "render/quirklab_out.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct jctx {
	const struct ax_analysis *a;
	/* the machine and derivation being printed: the real one, or the
	 * what-if's
	 */
	const struct ax_machine *m;
	const struct ax_result *res;
	const struct ax_advice *adv;	/* the advice of that derivation */
	bool oom;
};

/* Keys are string literals: skip json-c's copy of each of them, which
 * matters at 10,000 devices times twenty fields.
 */
static void put(struct jctx *c, json_object *o, const char *key,
		json_object *v)
{
	if (c->oom) {
		json_object_put(v);
		return;
	}
	if (json_object_object_add_ex(o, key, v,
				      JSON_C_OBJECT_ADD_KEY_IS_NEW |
				      JSON_C_OBJECT_KEY_IS_CONSTANT)) {
		json_object_put(v);
		c->oom = true;
	}
}

static void push(struct jctx *c, json_object *a, json_object *v)
{
	if (c->oom || !v || json_object_array_add(a, v)) {
		json_object_put(v);
		c->oom = true;
	}
}

/* Value constructors: NULL from them means out of memory, never JSON
 * null; a null is asked for explicitly by passing NULL to put().
 */
static json_object *oom_check(struct jctx *c, json_object *v)
{
	if (!v)
		c->oom = true;
	return v;
}

static json_object *jstr(struct jctx *c, const char *s)
{
	return oom_check(c, json_object_new_string(s));
}

static json_object *jstr_or_null(struct jctx *c, const char *s)
{
	return s && s[0] ? jstr(c, s) : NULL;
}

static json_object *jint(struct jctx *c, int64_t v)
{
	return oom_check(c, json_object_new_int64(v));
}

static json_object *jbool(struct jctx *c, bool b)
{
	return oom_check(c, json_object_new_boolean(b));
}

static json_object *jobj(struct jctx *c)
{
	return oom_check(c, json_object_new_object());
}

static json_object *jarr(struct jctx *c, size_t n)
{
	return oom_check(c, json_object_new_array_ext(n ? (int)n : 1));
}

static json_object *jaddr(struct jctx *c, struct ax_addr a)
{
	char buf[AX_ADDR_STRLEN];

	return jstr(c, ax_addr_str(a, buf));
}

/* Address of device idx, or null when there is none (-1). */
static json_object *jdev(struct jctx *c, int idx)
{
	if (idx < 0 || (size_t)idx >= c->m->n)
		return NULL;
	return jaddr(c, c->m->devs[idx].addr);
}

static json_object *jhex(struct jctx *c, unsigned int v, int digits)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", digits, v);
	return jstr(c, buf);
}

/* Group numbers: AX_GROUP_NONE and AX_GROUP_UNKNOWN both print null. */
static json_object *jgroup(struct jctx *c, int g)
{
	return g >= 0 ? jint(c, g) : NULL;
}

static json_object *acs_flags_json(struct jctx *c, uint16_t flags)
{
	static const char *const names[] = {
		"SV", "TB", "RR", "CR", "UF", "EC", "DT",
	};
	json_object *a = jarr(c, 0);
	size_t i;

	for (i = 0; a && i < ARRAY_SIZE(names); i++)
		if (flags & (1u << i))
			push(c, a, jstr(c, names[i]));
	return a;
}

static json_object *acs_json(struct jctx *c, int idx)
{
	const struct ax_dev *d = &c->m->devs[idx];
	const struct ax_acs_verdict *v = &c->res->dev[idx].acs;
	bool have = d->acs_known && d->acs_pos;
	json_object *o = jobj(c);

	put(c, o, "known", jbool(c, d->acs_known));
	put(c, o, "offset", have ? jint(c, d->acs_pos) : NULL);
	put(c, o, "cap", have ? jint(c, d->acs_cap) : NULL);
	put(c, o, "ctrl", have ? jint(c, d->acs_ctrl) : NULL);
	put(c, o, "dword_layout", jbool(c, have && d->acs_dword_layout));
	put(c, o, "isolated", jbool(c, v->isolated));
	put(c, o, "basis", jstr(c, ax_acs_basis_name(v->basis)));
	put(c, o, "missing", acs_flags_json(c, v->missing));
	put(c, o, "why", jstr(c, v->why));
	return o;
}

static json_object *jkver(struct jctx *c, int kver)
{
	char buf[16];

	return kver > 0 ? jstr(c, ax_kver_str(kver, buf)) : NULL;
}

static json_object *reasons_json(struct jctx *c, int idx)
{
	const struct ax_dev_result *dr = &c->res->dev[idx];
	json_object *a = jarr(c, (size_t)dr->n_reasons);
	int k;

	for (k = 0; a && k < dr->n_reasons && !c->oom; k++) {
		const struct ax_reason *r = &dr->reasons[k];
		json_object *o = jobj(c);

		put(c, o, "code", jstr(c, ax_reason_code_name(r->code)));
		put(c, o, "at", jdev(c, r->at));
		put(c, o, "text", jstr(c, r->text));
		put(c, o, "release_dep", jkver(c, r->release_dep));
		push(c, a, o);
	}
	return a;
}

/* A finished object from advice_json.c, or out of memory. */
static json_object *adopt(struct jctx *c, json_object *o)
{
	if (!o)
		c->oom = true;
	return o;
}

static json_object *dev_json(struct jctx *c, int idx)
{
	const struct ax_dev *d = &c->m->devs[idx];
	json_object *o = jobj(c);

	put(c, o, "address", jaddr(c, d->addr));
	put(c, o, "vendor_id", jhex(c, d->vendor, 4));
	put(c, o, "device_id", jhex(c, d->device, 4));
	put(c, o, "class", jhex(c, d->class, 6));
	put(c, o, "name", jstr_or_null(c, d->name));
	put(c, o, "type", jstr(c, ax_pcie_type_name(d)));
	put(c, o, "parent", jdev(c, d->parent));
	put(c, o, "physfn", d->is_virtfn ? jdev(c, d->physfn) : NULL);
	put(c, o, "slot_name", jstr_or_null(c, d->slot_name));
	put(c, o, "kernel_group", jgroup(c, d->kernel_group));
	put(c, o, "predicted_group", jgroup(c, c->res->dev[idx].group));
	put(c, o, "culprit", jdev(c, c->res->dev[idx].culprit));
	put(c, o, "acs", acs_json(c, idx));
	put(c, o, "driver", d->driver_known ? jstr_or_null(c, d->driver) : NULL);
	put(c, o, "driver_known", jbool(c, d->driver_known));
	put(c, o, "reasons", reasons_json(c, idx));
	/* the advice: what a VFIO user can do with it */
	put(c, o, "assignment", c->oom ? NULL :
	    adopt(c, ax_assignment_json(c->m, &c->adv->g,
					&c->adv->assign[idx])));
	return o;
}

static json_object *group_obj(struct jctx *c, const struct ax_group *g)
{
	json_object *o = jobj(c);
	json_object *mem = jarr(c, (size_t)g->n);
	int k;

	put(c, o, "id", jint(c, g->id));
	put(c, o, "kernel_group", jgroup(c, g->kernel_group));
	for (k = 0; mem && k < g->n; k++)
		push(c, mem, jdev(c, g->members[k]));
	put(c, o, "members", mem);
	return o;
}

static json_object *comparison_json(struct jctx *c)
{
	const struct ax_result *res = c->res;
	json_object *o = jobj(c);
	json_object *mis = jarr(c, (size_t)res->n_mismatch);
	int i;

	put(c, o, "kernel_groups_known", jbool(c, c->m->kernel_groups_known));
	for (i = 0; mis && i < res->n_devs && !c->oom; i++)
		if (res->dev[i].mismatch)
			push(c, mis, jdev(c, i));
	put(c, o, "matches", res->compared ? jbool(c, res->matches_kernel) :
	    NULL);
	put(c, o, "mismatched_devices", mis);
	put(c, o, "cause", res->compared && !res->matches_kernel ?
	    jstr_or_null(c, res->mismatch_cause) : NULL);
	return o;
}

static json_object *kernel_json(struct jctx *c)
{
	const struct ax_machine *m = c->m;
	json_object *o = jobj(c);
	const char *iommu = (unsigned int)m->iommu < AX_N_IOMMU_NAMES ?
			    ax_iommu_names[m->iommu] : "unknown";

	put(c, o, "release", jstr_or_null(c, m->kernel_release));
	put(c, o, "cmdline", jstr_or_null(c, m->cmdline));
	put(c, o, "iommu", jstr(c, iommu));
	put(c, o, "iommu_driver", jstr_or_null(c, m->iommu_driver));
	put(c, o, "acs_requested", m->acs_requested_known ?
	    jbool(c, m->acs_requested) : NULL);
	put(c, o, "firmware", m->firmware == AX_FW_UNKNOWN ? NULL :
	    jstr(c, ax_firmware_names[m->firmware]));
	put(c, o, "acs_assumption", jstr_or_null(c, c->res->acs_policy));
	put(c, o, "release_rules", jstr_or_null(c, c->res->release_rules));
	return o;
}

static json_object *source_json(struct jctx *c)
{
	json_object *o = jobj(c);

	put(c, o, "kind", jstr(c, ax_source_kind_name(c->m->source)));
	put(c, o, "name", jstr_or_null(c, c->m->source_name));
	put(c, o, "module", jbool(c, c->m->module_facts));
	return o;
}

static json_object *rules_json(struct jctx *c, const struct ax_profile *p)
{
	json_object *o = jobj(c);

	put(c, o, "release", jkver(c, p->kver));
	put(c, o, "from_data", jbool(c, p->kver_from_data));
	put(c, o, "hypothetical", jbool(c, p->hypothetical));
	return o;
}

static json_object *notes_json(struct jctx *c)
{
	const struct ax_machine *m = c->m;
	const struct ax_result *r = c->res;
	json_object *arr = jarr(c, 0);
	int k;

	for (k = 0; arr && k < m->n_notes && k < (int)ARRAY_SIZE(m->notes); k++)
		push(c, arr, jstr(c, m->notes[k]));
	for (k = 0; arr && k < r->n_notes && k < AX_MAX_NOTES; k++)
		push(c, arr, jstr(c, r->notes[k]));
	return arr;
}

static json_object *addrs_json(struct jctx *c, const int *idx, int n)
{
	json_object *arr = jarr(c, (size_t)n);
	int k;

	for (k = 0; arr && k < n; k++)
		push(c, arr, jdev(c, idx[k]));
	return arr;
}

/* The listed devices and their groups, in address and id order. */
static void put_devices(struct jctx *c, json_object *root, const bool *listed)
{
	const struct ax_result *res = c->res;
	json_object *arr = jarr(c, 0);
	int i, k;

	for (i = 0; arr && i < res->n_devs && !c->oom; i++)
		if (listed[i])
			push(c, arr, dev_json(c, i));
	put(c, root, "devices", arr);
	arr = jarr(c, 0);
	for (k = 0; arr && k < res->n_groups && !c->oom; k++) {
		const struct ax_group *g = &res->groups[k];

		if (g->n && listed[g->members[0]])
			push(c, arr, group_obj(c, g));
	}
	put(c, root, "groups", arr);
}

static json_object *audit_json(struct jctx *c, const int *which, int n)
{
	json_object *arr = jarr(c, (size_t)n);
	int k;

	for (k = 0; arr && k < n && !c->oom; k++) {
		const struct ax_audit *au = &c->res->audit[which ? which[k] : k];
		json_object *o = jobj(c);

		put(c, o, "from", jdev(c, au->from));
		put(c, o, "to", jdev(c, au->to));
		put(c, o, "via", jdev(c, au->via));
		put(c, o, "simulated", jbool(c, au->simulated));
		put(c, o, "text", jstr(c, au->text));
		push(c, arr, o);
	}
	return arr;
}

static json_object *explained_json(struct jctx *c)
{
	const struct ax_analysis *a = c->a;
	json_object *arr = jarr(c, (size_t)a->n_sel);
	int i;

	for (i = 0; arr && i < a->n_sel && !c->oom; i++) {
		const struct ax_selected *s = &a->sel[i];
		json_object *o = jobj(c);

		put(c, o, "device", jdev(c, s->dev));
		put(c, o, "plan", a->plan && !c->oom ?
		    adopt(c, ax_vfio_plan_json(c->m, &s->plan)) : NULL);
		put(c, o, "audit", a->audit ?
		    audit_json(c, s->audit, s->n_audit) : NULL);
		push(c, arr, o);
	}
	return arr;
}

static json_object *quirk_json(struct jctx *c, const struct ax_ql *q)
{
	json_object *o = ax_ql_json(c->a->m, q);

	if (!o)
		c->oom = true;
	return o;
}

static json_object *what_if_json(struct jctx *c, const struct ax_whatif *w)
{
	json_object *o = jobj(c), *arr;
	int j;

	/* the devices and groups of the machine under the change */
	c->m = &w->machine;
	c->res = &w->res;
	c->adv = &w->advice;
	put(c, o, "scenarios", jstr(c, w->what));
	put(c, o, "moved", jbool(c, w->moved));
	put(c, o, "rules", rules_json(c, &w->profile));
	put(c, o, "selected", c->a->all ? NULL :
	    addrs_json(c, w->selected, w->n_selected));
	put_devices(c, o, w->listed);
	put(c, o, "comparison", comparison_json(c));
	arr = w->moved ? NULL : jarr(c, (size_t)w->n_changes);
	for (j = 0; arr && j < w->n_changes && !c->oom; j++) {
		const struct ax_group_change *gc = &w->changes[j];
		const struct ax_group *g = &w->res.groups[gc->group];
		json_object *x = jobj(c);

		put(c, x, "kind", jstr(c, gc->merged ? "merged" : "split"));
		put(c, x, "from", jint(c, gc->n_from));
		put(c, x, "members", addrs_json(c, g->members, g->n));
		push(c, arr, x);
	}
	put(c, o, "changes", arr);
	arr = jarr(c, 0);
	for (j = 0; arr && j < w->res.n_audit; j++)
		if (w->res.audit[j].simulated)
			push(c, arr, jstr(c, w->res.audit[j].text));
	put(c, o, "simulated", arr);
	put(c, o, "unknown", jstr_or_null(c, w->advice.unknown));
	c->m = c->a->m;
	c->res = &c->a->res;
	c->adv = &c->a->advice;
	return o;
}

static json_object *build(struct jctx *c)
{
	const struct ax_analysis *a = c->a;
	json_object *root = jobj(c);
	int k;

	put(c, root, "schema", jstr(c, AX_JSON_SCHEMA));
	put(c, root, "tool_version", jstr(c, ACSEXPLAIN_VERSION));
	put(c, root, "source", source_json(c));
	put(c, root, "kernel", kernel_json(c));
	put(c, root, "rules", rules_json(c, &a->profile));
	put(c, root, "scope", jstr(c, a->all ? "all" : a->n_sel ? "group" :
				   "none"));
	{
		json_object *sel = a->all ? NULL : jarr(c, (size_t)a->n_sel);

		for (k = 0; sel && k < a->n_sel; k++)
			push(c, sel, jdev(c, a->sel[k].dev));
		put(c, root, "selected", sel);
	}
	put_devices(c, root, a->listed);
	put(c, root, "comparison", comparison_json(c));
	put(c, root, "notes", notes_json(c));
	put(c, root, "explained", explained_json(c));
	put(c, root, "audit", a->audit && a->all ?
	    audit_json(c, NULL, a->res.n_audit) : NULL);
	put(c, root, "quirk_validation", a->quirk ? quirk_json(c, a->quirk) :
	    NULL);
	put(c, root, "what_if", a->what_if ? what_if_json(c, a->what_if) :
	    NULL);
	if (c->oom) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

int ax_render_json(FILE *out, const struct ax_analysis *a,
		   const struct ax_render_opts *o)
{
	struct jctx c = { .a = a, .m = a->m, .res = &a->res,
			  .adv = &a->advice };
	json_object *root = build(&c);
	int jflags = JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *text;
	int ret = 0;

	if (!root) {
		errno = ENOMEM;
		return -1;
	}
	jflags |= o->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			      JSON_C_TO_STRING_PLAIN;
	text = json_object_to_json_string_ext(root, jflags);
	if (!text) {
		errno = ENOMEM;
		ret = -1;
	} else if (fputs(text, out) == EOF || fputc('\n', out) == EOF ||
		   fflush(out)) {
		ret = -1;
	}
	json_object_put(root);
	return ret;
}
