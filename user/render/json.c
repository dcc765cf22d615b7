// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render/json.c - acsexplain --json.  Every field printed here is described
 * in Documentation/json-schema.md; changing or removing one means a new
 * schema string (AX_JSON_SCHEMA), adding one does not.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "render.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct jctx {
	const struct ax_machine *m;
	const struct ax_result *res;
	const char *what_if;
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
	char buf[16];

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

static const char *source_kind(enum ax_source_kind k)
{
	switch (k) {
	case AX_SRC_NETLINK:
		return "netlink";
	case AX_SRC_SYSFS:
		return "sysfs";
	case AX_SRC_DUMP:
		return "dump";
	case AX_SRC_LSPCI_TEXT:
		return "lspci-text";
	case AX_SRC_SNAPSHOT:
		return "snapshot";
	}
	return "unknown";
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
	const struct ax_acs_verdict *v = c->res->acs ? &c->res->acs[idx] : NULL;
	bool have = d->acs_known && d->acs_pos;
	json_object *o = jobj(c);

	put(c, o, "known", jbool(c, d->acs_known));
	put(c, o, "offset", have ? jint(c, d->acs_pos) : NULL);
	put(c, o, "cap", have ? jint(c, d->acs_cap) : NULL);
	put(c, o, "ctrl", have ? jint(c, d->acs_ctrl) : NULL);
	put(c, o, "dword_layout", jbool(c, have && d->acs_dword_layout));
	put(c, o, "isolated", v ? jbool(c, v->isolated) : NULL);
	put(c, o, "basis", jstr(c, ax_acs_basis_name(v ? v->basis :
							AX_ACS_BY_UNKNOWN)));
	put(c, o, "missing", acs_flags_json(c, v ? v->missing : 0));
	put(c, o, "why", jstr(c, v ? v->why : ""));
	return o;
}

static json_object *reasons_json(struct jctx *c, int idx)
{
	int k, n = c->res->n_reasons ? c->res->n_reasons[idx] : 0;
	json_object *a = jarr(c, (size_t)(n > 0 ? n : 0));

	for (k = 0; a && k < n && !c->oom; k++) {
		const struct ax_reason *r = &c->res->reasons[idx][k];
		json_object *o = jobj(c);
		char rel[24];

		snprintf(rel, sizeof(rel), "%d.%d", r->release_dep / 1000,
			 r->release_dep % 1000);
		put(c, o, "code", jstr(c, ax_reason_code_name(r->code)));
		put(c, o, "at", jdev(c, r->at));
		put(c, o, "text", jstr(c, r->text));
		put(c, o, "release_dep", r->release_dep > 0 ? jstr(c, rel) : NULL);
		push(c, a, o);
	}
	return a;
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
	put(c, o, "predicted_group", jgroup(c, d->group));
	put(c, o, "culprit", c->res->culprit ? jdev(c, c->res->culprit[idx]) :
	    NULL);
	put(c, o, "acs", acs_json(c, idx));
	put(c, o, "driver", d->driver_known ? jstr_or_null(c, d->driver) : NULL);
	put(c, o, "driver_known", jbool(c, d->driver_known));
	put(c, o, "reasons", reasons_json(c, idx));
	return o;
}

static json_object *group_obj(struct jctx *c, const struct ax_group *g)
{
	json_object *o = jobj(c);
	json_object *mem = jarr(c, (size_t)(g->n > 0 ? g->n : 0));
	int k;

	put(c, o, "id", jint(c, g->id));
	put(c, o, "kernel_group", jgroup(c, g->kernel_group));
	for (k = 0; mem && k < g->n; k++)
		push(c, mem, jdev(c, g->members[k]));
	put(c, o, "members", mem);
	return o;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Number of devices the kernel put in group g (sorted ids in kg[0..n)). */
static int kernel_group_size(const int *kg, int n, int g)
{
	int lo = 0, hi = n, first;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (kg[mid] < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (kg[mid] <= g)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - first;
}

/*
 * A device matches when the devices acsexplain groups it with are exactly
 * the devices the kernel groups it with (group numbers differ by design).
 * As in derive.c: devices whose kernel group is unknown are not compared,
 * and "no group" matches "no group".  Nothing is compared when the
 * kernel's groups are unknown or the IOMMU is off.
 */
static bool compared(const struct ax_machine *m)
{
	return m->kernel_groups_known && m->iommu != AX_IOMMU_OFF;
}

static json_object *comparison_json(struct jctx *c)
{
	const struct ax_machine *m = c->m;
	const struct ax_result *res = c->res;
	json_object *o = jobj(c);
	json_object *mis = jarr(c, 0);
	int *kg, nkg = 0;
	size_t i;

	put(c, o, "kernel_groups_known", jbool(c, m->kernel_groups_known));
	if (!compared(m)) {
		put(c, o, "matches", NULL);
		put(c, o, "mismatched_devices", mis);
		put(c, o, "cause", NULL);
		return o;
	}
	kg = malloc((m->n ? m->n : 1) * sizeof(*kg));
	if (!kg)
		c->oom = true;
	for (i = 0; kg && i < m->n; i++)
		if (m->devs[i].kernel_group >= 0)
			kg[nkg++] = m->devs[i].kernel_group;
	if (kg)
		qsort(kg, (size_t)nkg, sizeof(*kg), cmp_int);

	for (i = 0; kg && mis && i < m->n && !c->oom; i++) {
		const struct ax_dev *d = &m->devs[i];
		const struct ax_group *g;
		int k, n_known = 0;
		bool same = true;

		if (d->kernel_group == AX_GROUP_UNKNOWN)
			continue;
		if (d->kernel_group < 0 || d->group < 0 ||
		    d->group >= res->n_groups) {
			same = (d->kernel_group < 0) == (d->group < 0);
		} else {
			g = &res->groups[d->group];
			for (k = 0; same && k < g->n; k++) {
				int mk = m->devs[g->members[k]].kernel_group;

				if (mk == AX_GROUP_UNKNOWN)
					continue;
				n_known++;
				same = mk == d->kernel_group;
			}
			same = same && n_known ==
			       kernel_group_size(kg, nkg, d->kernel_group);
		}
		if (!same)
			push(c, mis, jaddr(c, d->addr));
	}
	free(kg);
	put(c, o, "matches", jbool(c, res->matches_kernel));
	put(c, o, "mismatched_devices", mis);
	put(c, o, "cause", res->matches_kernel ? NULL :
	    jstr_or_null(c, res->mismatch_cause));
	return o;
}

static json_object *kernel_json(struct jctx *c)
{
	const struct ax_machine *m = c->m;
	json_object *o = jobj(c);
	const char *iommu = "unknown";

	if (m->iommu == AX_IOMMU_ON)
		iommu = "on";
	else if (m->iommu == AX_IOMMU_OFF)
		iommu = "off";
	put(c, o, "release", jstr_or_null(c, m->kernel_release));
	put(c, o, "cmdline", jstr_or_null(c, m->cmdline));
	put(c, o, "iommu", jstr(c, iommu));
	put(c, o, "iommu_driver", jstr_or_null(c, m->iommu_driver));
	put(c, o, "acs_requested", m->acs_requested_known ?
	    jbool(c, m->acs_requested) : NULL);
	put(c, o, "acs_assumption", jstr_or_null(c, c->res->acs_policy));
	put(c, o, "release_rules", jstr_or_null(c, c->res->release_rules));
	return o;
}

static json_object *source_json(struct jctx *c)
{
	json_object *o = jobj(c);

	put(c, o, "kind", jstr(c, source_kind(c->m->source)));
	put(c, o, "name", jstr_or_null(c, c->m->source_name));
	put(c, o, "module", jbool(c, c->m->module_facts));
	return o;
}

/* Which devices and groups to print: everything, or the whole group of
 * each selected device, as the text output shows it.
 */
static size_t mark_listed(const struct ax_machine *m,
			  const struct ax_result *res, const int *selected,
			  int n_sel, bool *listed, bool *glisted)
{
	size_t i, n = 0;
	int k, j;

	for (i = 0; i < m->n; i++)
		listed[i] = !selected;
	for (k = 0; selected && k < n_sel; k++) {
		int s = selected[k], g;

		if (s < 0 || (size_t)s >= m->n)
			continue;
		listed[s] = true;
		g = m->devs[s].group;
		for (j = 0; g >= 0 && g < res->n_groups &&
		     j < res->groups[g].n; j++)
			listed[res->groups[g].members[j]] = true;
	}
	for (i = 0; i < m->n; i++) {
		int g = m->devs[i].group;

		if (!listed[i])
			continue;
		n++;
		if (g >= 0 && g < res->n_groups)
			glisted[g] = true;
	}
	return n;
}

static json_object *build(struct jctx *c, const int *selected, int n_sel)
{
	const struct ax_machine *m = c->m;
	const struct ax_result *res = c->res;
	bool *listed = calloc(m->n ? m->n : 1, sizeof(*listed));
	bool *glisted = calloc(res->n_groups > 0 ? (size_t)res->n_groups : 1,
			       sizeof(*glisted));
	json_object *root = jobj(c), *arr = NULL;
	size_t i, n_listed = 0;
	int k;

	if (!listed || !glisted)
		c->oom = true;
	else
		n_listed = mark_listed(m, res, selected, n_sel, listed, glisted);

	put(c, root, "schema", jstr(c, AX_JSON_SCHEMA));
	put(c, root, "tool_version", jstr(c, ACSEXPLAIN_VERSION));
	put(c, root, "source", source_json(c));
	put(c, root, "kernel", kernel_json(c));
	put(c, root, "what_if", jstr_or_null(c, c->what_if));
	put(c, root, "scope", jstr(c, selected ? "group" : "all"));
	arr = selected ? jarr(c, (size_t)(n_sel > 0 ? n_sel : 0)) : NULL;
	for (k = 0; arr && k < n_sel; k++)
		push(c, arr, jdev(c, selected[k]));
	put(c, root, "selected", arr);

	arr = jarr(c, n_listed);
	for (i = 0; arr && i < m->n && !c->oom; i++)
		if (listed[i])
			push(c, arr, dev_json(c, (int)i));
	put(c, root, "devices", arr);

	arr = jarr(c, 0);
	for (k = 0; arr && k < res->n_groups && !c->oom; k++)
		if (glisted[k])
			push(c, arr, group_obj(c, &res->groups[k]));
	put(c, root, "groups", arr);

	put(c, root, "comparison", comparison_json(c));
	arr = jarr(c, 0);
	for (k = 0; arr && k < m->n_notes && k < (int)ARRAY_SIZE(m->notes); k++)
		push(c, arr, jstr(c, m->notes[k]));
	put(c, root, "notes", arr);

	free(listed);
	free(glisted);
	if (c->oom) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

int ax_json_print(FILE *out, const struct ax_machine *m,
		  const struct ax_result *res, const int *selected,
		  int n_selected, int flags)
{
	return ax_json_print_what_if(out, m, res, selected, n_selected, flags,
				     NULL);
}

int ax_json_print_what_if(FILE *out, const struct ax_machine *m,
			  const struct ax_result *res, const int *selected,
			  int n_selected, int flags, const char *what_if)
{
	struct jctx c = { .m = m, .res = res, .what_if = what_if };
	json_object *root = build(&c, selected, n_selected);
	int jflags = JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *text;
	int ret = 0;

	if (!root) {
		errno = ENOMEM;
		return -1;
	}
	jflags |= (flags & AX_JSON_PRETTY) ?
		  JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
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
