// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json_out.c - acsexplain --json.  Every field printed here is described
 * in Documentation/json-schema.md; changing or removing one means a new
 * schema string (AX_JSON_SCHEMA), adding one does not.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json_out.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct jctx {
	const struct ax_machine *m;
	const struct ax_result *res;
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

static json_object *str_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static json_object *addr_json(struct ax_addr a)
{
	char buf[16];

	return json_object_new_string(ax_addr_str(a, buf));
}

static json_object *dev_addr_json(const struct ax_machine *m, int idx)
{
	if (idx < 0 || (size_t)idx >= m->n)
		return NULL;
	return addr_json(m->devs[idx].addr);
}

static json_object *hex_json(unsigned int v, int digits)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", digits, v);
	return json_object_new_string(buf);
}

static json_object *group_json(int g)
{
	return g >= 0 ? json_object_new_int(g) : NULL;
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
	json_object *a = json_object_new_array();
	size_t i;

	if (!a) {
		c->oom = true;
		return NULL;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (flags & (1u << i))
			push(c, a, json_object_new_string(names[i]));
	return a;
}

static json_object *acs_json(struct jctx *c, int idx)
{
	const struct ax_dev *d = &c->m->devs[idx];
	const struct ax_acs_verdict *v = c->res->acs ? &c->res->acs[idx] : NULL;
	bool have = d->acs_known && d->acs_pos;
	json_object *o = json_object_new_object();

	if (!o) {
		c->oom = true;
		return NULL;
	}
	put(c, o, "known", json_object_new_boolean(d->acs_known));
	put(c, o, "offset", have ? json_object_new_int(d->acs_pos) : NULL);
	put(c, o, "cap", have ? json_object_new_int(d->acs_cap) : NULL);
	put(c, o, "ctrl", have ? json_object_new_int(d->acs_ctrl) : NULL);
	put(c, o, "dword_layout", json_object_new_boolean(have &&
							  d->acs_dword_layout));
	if (v) {
		put(c, o, "isolated", json_object_new_boolean(v->isolated));
		put(c, o, "basis",
		    json_object_new_string(ax_acs_basis_name(v->basis)));
		put(c, o, "missing", acs_flags_json(c, v->missing));
		put(c, o, "why", json_object_new_string(v->why));
	} else {
		put(c, o, "isolated", NULL);
		put(c, o, "basis", json_object_new_string(
		    ax_acs_basis_name(AX_ACS_BY_UNKNOWN)));
		put(c, o, "missing", acs_flags_json(c, 0));
		put(c, o, "why", json_object_new_string(""));
	}
	return o;
}

static json_object *reasons_json(struct jctx *c, int idx)
{
	json_object *a = json_object_new_array();
	int k, n = c->res->n_reasons ? c->res->n_reasons[idx] : 0;

	if (!a) {
		c->oom = true;
		return NULL;
	}
	for (k = 0; k < n && !c->oom; k++) {
		const struct ax_reason *r = &c->res->reasons[idx][k];
		json_object *o = json_object_new_object();
		char rel[16];

		if (!o) {
			c->oom = true;
			break;
		}
		put(c, o, "code", json_object_new_string(
			ax_reason_code_name(r->code)));
		put(c, o, "at", dev_addr_json(c->m, r->at));
		put(c, o, "text", json_object_new_string(r->text));
		snprintf(rel, sizeof(rel), "%d.%d", r->release_dep / 1000,
			 r->release_dep % 1000);
		put(c, o, "release_dep",
		    r->release_dep > 0 ? json_object_new_string(rel) : NULL);
		push(c, a, o);
	}
	return a;
}

static json_object *dev_json(struct jctx *c, int idx)
{
	const struct ax_dev *d = &c->m->devs[idx];
	json_object *o = json_object_new_object();

	if (!o) {
		c->oom = true;
		return NULL;
	}
	put(c, o, "address", addr_json(d->addr));
	put(c, o, "vendor_id", hex_json(d->vendor, 4));
	put(c, o, "device_id", hex_json(d->device, 4));
	put(c, o, "class", hex_json(d->class, 6));
	put(c, o, "name", str_or_null(d->name));
	put(c, o, "type", json_object_new_string(ax_pcie_type_name(d)));
	put(c, o, "parent", dev_addr_json(c->m, d->parent));
	put(c, o, "physfn", d->is_virtfn ? dev_addr_json(c->m, d->physfn) : NULL);
	put(c, o, "slot_name", str_or_null(d->slot_name));
	put(c, o, "kernel_group", group_json(d->kernel_group));
	put(c, o, "predicted_group", group_json(d->group));
	put(c, o, "culprit", c->res->culprit ?
	    dev_addr_json(c->m, c->res->culprit[idx]) : NULL);
	put(c, o, "acs", acs_json(c, idx));
	put(c, o, "driver", d->driver_known ? str_or_null(d->driver) : NULL);
	put(c, o, "driver_known", json_object_new_boolean(d->driver_known));
	put(c, o, "reasons", reasons_json(c, idx));
	return o;
}

static json_object *group_obj(struct jctx *c, const struct ax_group *g)
{
	json_object *o = json_object_new_object();
	json_object *mem = json_object_new_array_ext(g->n > 0 ? g->n : 1);
	int k;

	if (!o || !mem) {
		json_object_put(o);
		json_object_put(mem);
		c->oom = true;
		return NULL;
	}
	put(c, o, "id", json_object_new_int(g->id));
	put(c, o, "kernel_group", group_json(g->kernel_group));
	for (k = 0; k < g->n; k++)
		push(c, mem, dev_addr_json(c->m, g->members[k]));
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
 * the devices the kernel groups it with; the group numbers themselves
 * differ by design.  A device without a kernel group never matches.
 */
static json_object *comparison_json(struct jctx *c)
{
	const struct ax_machine *m = c->m;
	const struct ax_result *res = c->res;
	json_object *o = json_object_new_object();
	json_object *mis = json_object_new_array();
	int *kg = NULL, nkg = 0;
	size_t i;

	if (!o || !mis) {
		json_object_put(o);
		json_object_put(mis);
		c->oom = true;
		return NULL;
	}
	put(c, o, "kernel_groups_known",
	    json_object_new_boolean(m->kernel_groups_known));
	if (!m->kernel_groups_known) {
		put(c, o, "matches", NULL);
		put(c, o, "mismatched_devices", mis);
		return o;
	}
	kg = malloc((m->n ? m->n : 1) * sizeof(*kg));
	if (!kg) {
		c->oom = true;
		json_object_put(mis);
		return o;
	}
	for (i = 0; i < m->n; i++)
		if (m->devs[i].kernel_group >= 0)
			kg[nkg++] = m->devs[i].kernel_group;
	qsort(kg, (size_t)nkg, sizeof(*kg), cmp_int);

	for (i = 0; i < m->n && !c->oom; i++) {
		const struct ax_dev *d = &m->devs[i];
		bool same = d->kernel_group >= 0 && d->group >= 0 &&
			    d->group < res->n_groups;
		int k;

		if (same) {
			const struct ax_group *g = &res->groups[d->group];

			same = g->n == kernel_group_size(kg, nkg,
							 d->kernel_group);
			for (k = 0; same && k < g->n; k++)
				same = m->devs[g->members[k]].kernel_group ==
				       d->kernel_group;
		}
		if (!same)
			push(c, mis, addr_json(d->addr));
	}
	free(kg);
	put(c, o, "matches", json_object_new_boolean(res->matches_kernel));
	put(c, o, "mismatch_count", json_object_new_int(res->n_mismatch));
	put(c, o, "mismatched_devices", mis);
	return o;
}

static json_object *kernel_json(struct jctx *c)
{
	const struct ax_machine *m = c->m;
	json_object *o = json_object_new_object();
	const char *iommu = "unknown";

	if (!o) {
		c->oom = true;
		return NULL;
	}
	if (m->iommu == AX_IOMMU_ON)
		iommu = "on";
	else if (m->iommu == AX_IOMMU_OFF)
		iommu = "off";
	put(c, o, "release", str_or_null(m->kernel_release));
	put(c, o, "cmdline", str_or_null(m->cmdline));
	put(c, o, "iommu", json_object_new_string(iommu));
	put(c, o, "iommu_driver", str_or_null(m->iommu_driver));
	put(c, o, "acs_requested", m->acs_requested_known ?
	    json_object_new_boolean(m->acs_requested) : NULL);
	return o;
}

static json_object *source_json(struct jctx *c)
{
	json_object *o = json_object_new_object();

	if (!o) {
		c->oom = true;
		return NULL;
	}
	put(c, o, "kind", json_object_new_string(source_kind(c->m->source)));
	put(c, o, "name", str_or_null(c->m->source_name));
	put(c, o, "module", json_object_new_boolean(c->m->module_facts));
	return o;
}

static json_object *build(struct jctx *c, const int *selected, int n_sel)
{
	const struct ax_machine *m = c->m;
	const struct ax_result *res = c->res;
	json_object *root = json_object_new_object();
	json_object *devs, *groups, *sel, *notes;
	bool *listed = calloc(m->n ? m->n : 1, sizeof(*listed));
	bool *glisted = calloc(res->n_groups > 0 ? (size_t)res->n_groups : 1,
			       sizeof(*glisted));
	size_t i, n_listed = 0;
	int k;

	if (!root || !listed || !glisted) {
		c->oom = true;
		goto out;
	}
	/* one device: show its whole group, as the text output does */
	for (i = 0; i < m->n; i++)
		listed[i] = !selected;
	for (k = 0; selected && k < n_sel; k++) {
		int s = selected[k], g;

		if (s < 0 || (size_t)s >= m->n)
			continue;
		listed[s] = true;
		g = m->devs[s].group;
		if (g >= 0 && g < res->n_groups) {
			int j;

			for (j = 0; j < res->groups[g].n; j++)
				listed[res->groups[g].members[j]] = true;
		}
	}
	for (i = 0; i < m->n; i++) {
		int g = m->devs[i].group;

		if (!listed[i])
			continue;
		n_listed++;
		if (g >= 0 && g < res->n_groups)
			glisted[g] = true;
	}

	put(c, root, "schema", json_object_new_string(AX_JSON_SCHEMA));
	put(c, root, "tool_version", json_object_new_string(ACSEXPLAIN_VERSION));
	put(c, root, "source", source_json(c));
	put(c, root, "kernel", kernel_json(c));
	put(c, root, "scope", json_object_new_string(selected ? "group" : "all"));
	sel = selected ? json_object_new_array() : NULL;
	for (k = 0; sel && k < n_sel; k++)
		push(c, sel, dev_addr_json(m, selected[k]));
	put(c, root, "selected", sel);

	devs = json_object_new_array_ext(n_listed ? (int)n_listed : 1);
	if (!devs)
		c->oom = true;
	for (i = 0; devs && i < m->n && !c->oom; i++)
		if (listed[i])
			push(c, devs, dev_json(c, (int)i));
	put(c, root, "devices", devs);

	groups = json_object_new_array();
	if (!groups)
		c->oom = true;
	for (k = 0; groups && k < res->n_groups && !c->oom; k++)
		if (glisted[k])
			push(c, groups, group_obj(c, &res->groups[k]));
	put(c, root, "groups", groups);

	put(c, root, "comparison", comparison_json(c));
	notes = json_object_new_array();
	if (!notes)
		c->oom = true;
	for (k = 0; notes && k < m->n_notes && k < (int)ARRAY_SIZE(m->notes); k++)
		push(c, notes, json_object_new_string(m->notes[k]));
	put(c, root, "notes", notes);
out:
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
	struct jctx c = { .m = m, .res = res };
	json_object *root = build(&c, selected, n_selected);
	const char *text;
	int jflags = JSON_C_TO_STRING_NOSLASHESCAPE;
	int ret = 0;

	if (!root) {
		errno = ENOMEM;
		return -1;
	}
	jflags |= (flags & AX_JSON_PRETTY) ? JSON_C_TO_STRING_PRETTY |
		  JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN;
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
