// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quirklab_out.c - --validate-quirk as text and as JSON (see
 * quirklab_out.h).  Both walk struct ax_ql in the same order, one part
 * after the other, so that they cannot say different things.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "render/quirklab_out.h"
#include "quirks.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"

static const char *col(const struct ax_render_opts *o, const char *c)
{
	return o && o->color ? c : "";
}

static const char *rel(int kver, char *buf, size_t len)
{
	if (!kver)
		snprintf(buf, len, "newest known");
	else
		snprintf(buf, len, "%d.%d", kver / 1000, kver % 1000);
	return buf;
}

static const char *kernel_verdict_str(const struct ax_ql_func *f)
{
	if (!f->kernel_seen)
		return NULL;
	return f->kernel_isolated ? "isolated" : "not isolated";
}

static const char *kernel_quirk_str(const struct ax_ql_func *f)
{
	if (!f->kernel_quirk_known)
		return NULL;
	if (f->kernel_quirk < 0)
		return "no quirk matched";
	return f->kernel_quirk ? "a quirk answered isolated" :
	       "a quirk answered not isolated";
}

static void print_list(FILE *out, const struct ax_machine *m, const int *l)
{
	char a[AX_ADDR_STRLEN];
	int j;

	fprintf(out, "{");
	for (j = 0; l[j] >= 0; j++)
		fprintf(out, "%s%s", j ? " " : "",
			ax_addr_str(m->devs[l[j]].addr, a));
	fprintf(out, "}");
}

static const char *change_kind(const struct ax_ql_change *c)
{
	if (c->n_before == 1 && c->n_after > 1)
		return "split";
	if (c->n_before > 1 && c->n_after == 1)
		return "merge";
	return "regroup";
}

void ax_ql_print_text(FILE *out, const struct ax_machine *m,
		      const struct ax_ql *q, const struct ax_render_opts *o)
{
	const struct ax_qpatch *patch = q->have_patch ? &q->patch : NULL;
	char a[AX_ADDR_STRLEN], kb[16], fl[64];
	int k, t;

	fprintf(out, "%sQuirk validation for %04x:%04x%s (quirk table and rules of kernel %s)\n",
		col(o, C_BOLD), q->vendor, q->device, col(o, C_RESET),
		rel(q->kver, kb, sizeof(kb)));

	fprintf(out, "1. What the kernel does today\n");
	for (k = 0; k < q->n_entries; k++) {
		const struct axq_acs_entry *e = &axq_acs_table[q->entries[k]];
		char bps[AXQ_BACKPORTS_STRLEN];

		axq_backports_str(e->bp, e->n_bp, bps);
		fprintf(out, "  table entry: { %04x, %04x, %s }, since %d.%d%s%s%s%s\n",
			q->vendor, q->device, e->callback, e->first / 1000,
			e->first % 1000, bps[0] ? ", stable " : "",
			bps, e->last ? ", removed after " : "",
			q->entry_in_release[k] ? "" : " (not in this release)");
	}
	if (!q->n_entries)
		fprintf(out, "  table entry: none for %04x:%04x\n", q->vendor,
			q->device);
	if (q->newer_callback)
		fprintf(out, "  a newer kernel, %s, has quirk %s covering this id\n",
			rel(q->newer_release, kb, sizeof(kb)), q->newer_callback);
	for (k = 0; k < q->n_funcs; k++) {
		const struct ax_ql_func *f = &q->funcs[k];
		const struct ax_dev *d = &m->devs[f->dev];
		const char *kv = kernel_verdict_str(f), *kq = kernel_quirk_str(f);

		fprintf(out, "  %s %s%s: %s (%s)\n", ax_addr_str(d->addr, a),
			d->multifunction ? "multifunction " : "",
			ax_pcie_type_name(d),
			f->replay.isolated ? "isolated" : "not isolated",
			f->replay.why);
		if (kv)
			fprintf(out, "    kernel (acs_inspect kretprobe): %s%s%s; %s\n",
				kv, kq ? ", " : "", kq ? kq : "",
				f->agree ? "agrees" :
				f->kernel_quirk_known && f->kernel_quirk > 0 &&
				f->replay.quirk < 0 ?
				"DIFFERS from the replay above: the kernel's table has a quirk for it that the database does not (expected once it carries the new entry)" :
				"DIFFERS from the replay above");
		else if (m->module_facts)
			fprintf(out, "    kernel: not seen deciding (acs_inspect's kretprobes, with the module parameter kprobes=1, see devices added after it loaded; removing and rescanning %s would show it, but can regroup a multifunction device's functions: seen on 6.12)\n",
				a);
		else
			fprintf(out, "    kernel: its own verdict needs the acs_inspect module on the live machine\n");
	}
	if (!q->n_funcs)
		fprintf(out, "  no %04x:%04x function in these facts\n",
			q->vendor, q->device);

	fprintf(out, "2. Which quirk fits\n");
	if (q->cb) {
		fprintf(out, "  %s%s: %s%s%s: %s\n", q->cb->name,
			q->requested ? " (asked for)" : " (proposed)",
			q->status == AX_QL_FITS ? col(o, C_GREEN) : col(o, C_RED),
			ax_ql_status_name(q->status), col(o, C_RESET),
			q->reason);
		fprintf(out, "  it requires: %s\n", q->cb->requires);
		if (q->status == AX_QL_FITS) {
			fprintf(out, "  adding it asserts: %s\n",
				q->cb->guarantee);
			fprintf(out, "  the kernel then takes as enabled: %s (never EC)\n",
				ax_ql_flags_str(q->cb->flags, fl, sizeof(fl)));
		}
	} else {
		fprintf(out, "  %s%s%s: %s\n",
			q->status == AX_QL_FITS ? col(o, C_GREEN) : col(o, C_RED),
			ax_ql_status_name(q->status), col(o, C_RESET),
			q->reason);
	}
	if (q->warning[0])
		fprintf(out, "  warning: %s\n", q->warning);

	fprintf(out, "3. What changes on this machine\n");
	if (q->status != AX_QL_FITS)
		fprintf(out, "  nothing: no quirk to add\n");
	else if (!q->n_changes)
		fprintf(out, "  no group splits or merges\n");
	for (k = 0; k < q->n_changes; k++) {
		const struct ax_ql_change *c = &q->changes[k];

		fprintf(out, "  %s: ", change_kind(c));
		for (t = 0; t < c->n_before; t++) {
			fprintf(out, t ? " " : "");
			print_list(out, m, c->before[t]);
		}
		fprintf(out, " -> ");
		for (t = 0; t < c->n_after; t++) {
			fprintf(out, t ? " " : "");
			print_list(out, m, c->after[t]);
		}
		fprintf(out, "\n");
	}
	for (k = 0; q->status == AX_QL_FITS && k < q->n_funcs; k++) {
		const struct ax_ql_func *f = &q->funcs[k];
		char b[AX_ADDR_STRLEN];

		if (f->still_shared_by < 0 && !f->still_why)
			continue;
		fprintf(out, "  %s still shares its group, at fault %s: %s\n",
			ax_addr_str(m->devs[f->dev].addr, a),
			f->still_shared_by >= 0 ?
			ax_addr_str(m->devs[f->still_shared_by].addr, b) : "-",
			f->still_why ? f->still_why : "");
	}
	for (k = 0; k < q->n_others; k++) {
		const struct ax_dev *d = &m->devs[q->others[k]];

		fprintf(out, "  function %s [%04x:%04x] of the same device is not in the quirk and not isolated: it keeps its group\n",
			ax_addr_str(d->addr, a), d->vendor, d->device);
	}
	if (q->n_assignable) {
		fprintf(out, "  assignable on their own afterwards:");
		for (k = 0; k < q->n_assignable; k++)
			fprintf(out, " %s",
				ax_addr_str(m->devs[q->assignable[k]].addr, a));
		fprintf(out, "\n");
	}

	fprintf(out, "4. The patch\n");
	if (patch)
		fprintf(out, "  written to %s against %s (%s): \"%s\", entry at drivers/pci/quirks.c:%d%s%s\n",
			patch->file, patch->tree, patch->version,
			patch->subject, patch->line,
			patch->after[0] ? " after " : "", patch->after);
	else if (q->status == AX_QL_FITS)
		fprintf(out, "  add --patch FILE (and --linux-src TREE, default /usr/src/linux-source-7.2) to write it\n");
	else
		fprintf(out, "  none: the quirk is %s\n",
			ax_ql_status_name(q->status));

	fprintf(out, "5. Does the running kernel carry it\n  %s%s%s: %s\n",
		q->carried == AX_QL_CARRIED_YES ? col(o, C_GREEN) :
		q->carried == AX_QL_CARRIED_DIFFERS ? col(o, C_RED) : "",
		ax_ql_carried_name(q->carried), col(o, C_RESET),
		q->carried_why);
	if (q->n_differs) {
		fprintf(out, "  grouped unlike the prediction:");
		for (k = 0; k < q->n_differs; k++)
			fprintf(out, " %s (kernel group %d)",
				ax_addr_str(m->devs[q->differs[k]].addr, a),
				m->devs[q->differs[k]].kernel_group);
		fprintf(out, "\n");
	}
}

/* JSON: every constructor may return NULL on out of memory; add()
 * and push() record that, and ax_ql_json() then gives up.
 */
struct qj {
	bool oom;
};

static void add(struct qj *c, json_object *o, const char *key,
		json_object *v, bool may_be_null)
{
	if (!v && !may_be_null)
		c->oom = true;
	if (!o) {
		json_object_put(v);
		c->oom = true;
	} else if (json_object_object_add(o, key, v)) {
		c->oom = true;
	}
}

static void push(struct qj *c, json_object *a, json_object *v)
{
	if (!a || !v || json_object_array_add(a, v)) {
		json_object_put(v);
		c->oom = true;
	}
}

static json_object *str(const char *s)
{
	return json_object_new_string(s);
}

static json_object *str_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static json_object *addr(const struct ax_machine *m, int i)
{
	char a[AX_ADDR_STRLEN];

	return str(ax_addr_str(m->devs[i].addr, a));
}

static json_object *addr_array(struct qj *c, const struct ax_machine *m,
			       const int *l, int n)
{
	json_object *arr = json_object_new_array();
	int j;

	for (j = 0; arr && (n < 0 ? l[j] >= 0 : j < n); j++)
		push(c, arr, addr(m, l[j]));
	if (!arr)
		c->oom = true;
	return arr;
}

static json_object *flags_array(struct qj *c, uint16_t flags)
{
	static const char *const bit[] = { "SV", "TB", "RR", "CR", "UF",
					   "EC", "DT" };
	json_object *arr = json_object_new_array();
	int b;

	for (b = 0; arr && b < 7; b++)
		if (flags & (1u << b))
			push(c, arr, str(bit[b]));
	if (!arr)
		c->oom = true;
	return arr;
}

static json_object *today_json(struct qj *c, const struct ax_machine *m,
			       const struct ax_ql *q)
{
	json_object *o = json_object_new_object(), *arr;
	char hex[32], bps[AXQ_BACKPORTS_STRLEN];
	int k;

	arr = json_object_new_array();
	for (k = 0; arr && k < q->n_entries; k++) {
		const struct axq_acs_entry *e = &axq_acs_table[q->entries[k]];
		json_object *j = json_object_new_object();
		char r[16];

		snprintf(r, sizeof(r), "%d.%d", e->first / 1000,
			 e->first % 1000);
		add(c, j, "callback", str(e->callback), false);
		add(c, j, "first", str(r), false);
		if (e->last)
			snprintf(r, sizeof(r), "%d.%d", e->last / 1000,
				 e->last % 1000);
		add(c, j, "last", e->last ? str(r) : NULL, true);
		add(c, j, "backports",
		    str_or_null(axq_backports_str(e->bp, e->n_bp, bps)), true);
		add(c, j, "in_release",
		    json_object_new_boolean(q->entry_in_release[k]), false);
		push(c, arr, j);
	}
	add(c, o, "entries", arr, false);
	arr = json_object_new_array();
	for (k = 0; arr && k < q->n_funcs; k++) {
		const struct ax_ql_func *f = &q->funcs[k];
		const struct ax_dev *d = &m->devs[f->dev];
		json_object *j = json_object_new_object(), *kj;

		add(c, j, "address", addr(m, f->dev), false);
		add(c, j, "type", str(ax_pcie_type_name(d)), false);
		add(c, j, "multifunction",
		    json_object_new_boolean(d->multifunction), false);
		add(c, j, "isolated", json_object_new_boolean(f->replay.isolated),
		    false);
		add(c, j, "basis", str(ax_acs_basis_name(f->replay.basis)),
		    false);
		add(c, j, "why", str(f->replay.why), false);
		add(c, j, "quirk", f->replay.quirk >= 0 ?
		    str(axq_acs_table[f->replay.quirk].callback) : NULL, true);
		kj = json_object_new_object();
		add(c, kj, "seen", json_object_new_boolean(f->kernel_seen),
		    false);
		add(c, kj, "isolated", f->kernel_seen ?
		    json_object_new_boolean(f->kernel_isolated) : NULL, true);
		add(c, kj, "quirk_result", f->kernel_quirk_known ?
		    json_object_new_int(f->kernel_quirk < 0 ? -1 :
					f->kernel_quirk) : NULL, true);
		add(c, j, "kernel", kj, false);
		add(c, j, "agree", f->agree < 0 ? NULL :
		    json_object_new_boolean(f->agree), true);
		add(c, j, "still_shared_by", f->still_shared_by >= 0 ?
		    addr(m, f->still_shared_by) : NULL, true);
		add(c, j, "still_why", str_or_null(f->still_why), true);
		push(c, arr, j);
	}
	add(c, o, "functions", arr, false);
	if (q->newer_callback) {
		json_object *n = json_object_new_object();

		snprintf(hex, sizeof(hex), "%d.%d", q->newer_release / 1000,
			 q->newer_release % 1000);
		add(c, n, "release", str(hex), false);
		add(c, n, "callback", str(q->newer_callback), false);
		add(c, o, "newer_kernel_quirk", n, false);
	} else {
		add(c, o, "newer_kernel_quirk", NULL, true);
	}
	snprintf(hex, sizeof(hex), "%d.%d", q->kver / 1000, q->kver % 1000);
	add(c, o, "release", q->kver ? str(hex) : NULL, true);
	return o;
}

static json_object *fit_json(struct qj *c, const struct ax_ql *q)
{
	json_object *o = json_object_new_object();

	add(c, o, "status", str(ax_ql_status_name(q->status)), false);
	add(c, o, "callback", q->cb ? str(q->cb->name) : NULL, true);
	add(c, o, "requested", json_object_new_boolean(q->requested), false);
	add(c, o, "reason", str(q->reason), false);
	add(c, o, "requires", q->cb ? str(q->cb->requires) : NULL, true);
	add(c, o, "guarantee", q->cb && q->status == AX_QL_FITS ?
	    str(q->cb->guarantee) : NULL, true);
	add(c, o, "flags", q->cb && q->status == AX_QL_FITS ?
	    flags_array(c, q->cb->flags) : NULL, true);
	add(c, o, "warning", str_or_null(q->warning), true);
	return o;
}

static json_object *changes_json(struct qj *c, const struct ax_machine *m,
				 const struct ax_ql *q)
{
	json_object *o = json_object_new_object(), *arr;
	int k, t;

	arr = json_object_new_array();
	for (k = 0; arr && k < q->n_changes; k++) {
		const struct ax_ql_change *ch = &q->changes[k];
		json_object *j = json_object_new_object();
		json_object *b = json_object_new_array();
		json_object *a = json_object_new_array();

		add(c, j, "kind", str(change_kind(ch)), false);
		for (t = 0; b && t < ch->n_before; t++)
			push(c, b, addr_array(c, m, ch->before[t], -1));
		for (t = 0; a && t < ch->n_after; t++)
			push(c, a, addr_array(c, m, ch->after[t], -1));
		add(c, j, "before", b, false);
		add(c, j, "after", a, false);
		push(c, arr, j);
	}
	add(c, o, "groups", arr, false);
	add(c, o, "assignable", addr_array(c, m, q->assignable,
					   q->n_assignable), false);
	add(c, o, "not_covered", addr_array(c, m, q->others, q->n_others),
	    false);
	return o;
}

static json_object *patch_json(struct qj *c, const struct ax_qpatch *p)
{
	json_object *o;

	if (!p)
		return NULL;
	o = json_object_new_object();
	add(c, o, "file", str(p->file), false);
	add(c, o, "tree", str(p->tree), false);
	add(c, o, "tree_version", str_or_null(p->version), true);
	add(c, o, "subject", str(p->subject), false);
	add(c, o, "entry", str(p->entry), false);
	add(c, o, "line", json_object_new_int(p->line), false);
	add(c, o, "after", str_or_null(p->after), true);
	return o;
}

json_object *ax_ql_json(const struct ax_machine *m, const struct ax_ql *q)
{
	const struct ax_qpatch *patch = q->have_patch ? &q->patch : NULL;
	struct qj c = { false };
	json_object *o = json_object_new_object(), *k;
	char id[16];

	snprintf(id, sizeof(id), "%04x", q->vendor);
	add(&c, o, "vendor", str(id), false);
	snprintf(id, sizeof(id), "%04x", q->device);
	add(&c, o, "device", str(id), false);
	add(&c, o, "today", today_json(&c, m, q), false);
	add(&c, o, "fit", fit_json(&c, q), false);
	add(&c, o, "changes", q->status == AX_QL_FITS ?
	    changes_json(&c, m, q) : NULL, true);
	add(&c, o, "patch", patch_json(&c, patch), true);
	k = json_object_new_object();
	add(&c, k, "status", str(ax_ql_carried_name(q->carried)), false);
	add(&c, k, "why", str(q->carried_why), false);
	add(&c, k, "differs", addr_array(&c, m, q->differs, q->n_differs),
	    false);
	add(&c, o, "kernel_carries", k, false);
	if (c.oom) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
