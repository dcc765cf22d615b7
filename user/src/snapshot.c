// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/snapshot.c - save every fact of a struct ax_machine as JSON and read it
 * back exactly.  The reader is strict (every field present, right type,
 * in range, no unknown field) because a snapshot explained on another
 * machine must give the same answers or none.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "source.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const origin_names[] = {
	[AX_ORIG_UNKNOWN] = "unknown",
	[AX_ORIG_KERNEL] = "kernel",
	[AX_ORIG_CONFIG] = "config",
	[AX_ORIG_SYSFS] = "sysfs",
	[AX_ORIG_TEXT] = "text",
	[AX_ORIG_QUIRKDB] = "quirkdb",
};

static const char *name_of(const char *const *names, size_t n, unsigned int v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

/* ---- writing ---------------------------------------------------------- */

/* json-c only fails these on ENOMEM; the first failure is remembered and
 * checked once at the end instead of after every field.  put() takes a
 * NULL value as such a failure: nulls are written with put_null().
 */
struct writer {
	bool oom;
};

static void put(struct writer *w, json_object *o, const char *key,
		json_object *v)
{
	if (!v || json_object_object_add(o, key, v)) {
		json_object_put(v);
		w->oom = true;
	}
}

static void put_null(struct writer *w, json_object *o, const char *key)
{
	if (json_object_object_add(o, key, NULL))
		w->oom = true;
}

static void put_str(struct writer *w, json_object *o, const char *key,
		    const char *s)
{
	put(w, o, key, json_object_new_string(s));
}

static void put_name(struct writer *w, json_object *o, const char *key,
		     const char *const *names, size_t n, unsigned int v)
{
	put_str(w, o, key, name_of(names, n, v));
}

static void put_hex(struct writer *w, json_object *o, const char *key,
		    unsigned int v, int digits)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", digits, v);
	put(w, o, key, json_object_new_string(buf));
}

static json_object *dev_to_json(struct writer *w, const struct ax_machine *m,
				const struct ax_dev *d)
{
	json_object *o = json_object_new_object();
	json_object *acs, *kern;
	char addr[AX_ADDR_STRLEN], mask[2 * sizeof(d->alias_mask) + 1];
	size_t i;

	if (!o) {
		w->oom = true;
		return NULL;
	}
	put(w, o, "address", json_object_new_string(ax_addr_str(d->addr, addr)));
	put_hex(w, o, "vendor", d->vendor, 4);
	put_hex(w, o, "device", d->device, 4);
	put_hex(w, o, "subvendor", d->subvendor, 4);
	put_hex(w, o, "subdevice", d->subdevice, 4);
	put_hex(w, o, "class", d->class, 6);
	put(w, o, "revision", json_object_new_int(d->revision));
	put(w, o, "header_type", json_object_new_int(d->hdr_type));
	put(w, o, "multifunction", json_object_new_boolean(d->multifunction));
	if (d->hdr_mf_known)
		put(w, o, "header_multifunction",
		    json_object_new_boolean(d->hdr_mf));
	else
		put_null(w, o, "header_multifunction");
	put(w, o, "is_bridge", json_object_new_boolean(d->is_bridge));
	put(w, o, "secondary", json_object_new_int(d->secondary));
	put(w, o, "subordinate", json_object_new_int(d->subordinate));
	put(w, o, "is_pcie", json_object_new_boolean(d->is_pcie));
	put(w, o, "pcie_type", json_object_new_int(d->pcie_type));

	acs = json_object_new_object();
	if (acs) {
		put(w, acs, "known", json_object_new_boolean(d->acs_known));
		put(w, acs, "offset", json_object_new_int(d->acs_pos));
		put(w, acs, "cap", json_object_new_int(d->acs_cap));
		put(w, acs, "ctrl", json_object_new_int(d->acs_ctrl));
		put(w, acs, "dword_layout",
		    json_object_new_boolean(d->acs_dword_layout));
		put(w, acs, "egress_bits", json_object_new_int(d->acs_egress_bits));
		put_name(w, acs, "origin", origin_names,
			 ARRAY_SIZE(origin_names), d->acs_origin);
	}
	put(w, o, "acs", acs);

	put(w, o, "is_virtfn", json_object_new_boolean(d->is_virtfn));
	if (d->physfn >= 0 && (size_t)d->physfn < m->n)
		put_str(w, o, "physfn",
			ax_addr_str(m->devs[d->physfn].addr, addr));
	else
		put_null(w, o, "physfn");
	put(w, o, "has_sriov", json_object_new_boolean(d->has_sriov));
	put(w, o, "ari", json_object_new_boolean(d->ari));
	put(w, o, "ats_enabled", json_object_new_boolean(d->ats_enabled));
	put(w, o, "untrusted", json_object_new_boolean(d->untrusted));
	put(w, o, "external_facing",
	    json_object_new_boolean(d->external_facing));

	kern = json_object_new_object();
	if (kern) {
		put(w, kern, "facts", json_object_new_boolean(d->kernel_facts));
		put(w, kern, "dev_flags", json_object_new_int64(d->dev_flags));
		put(w, kern, "has_alias_mask",
		    json_object_new_boolean(d->has_alias_mask));
		for (i = 0; i < sizeof(d->alias_mask); i++)
			snprintf(mask + 2 * i, 3, "%02x", d->alias_mask[i]);
		put(w, kern, "alias_mask", json_object_new_string(mask));
		put(w, kern, "verdict_known",
		    json_object_new_boolean(d->kernel_verdict_known));
		put(w, kern, "verdict_isolated",
		    json_object_new_boolean(d->kernel_isolated));
		put(w, kern, "verdict_origin",
		    json_object_new_int(d->kernel_verdict_origin));
		put(w, kern, "quirk_result_known",
		    json_object_new_boolean(d->quirk_result_known));
		put(w, kern, "quirk_result",
		    json_object_new_int(d->quirk_result));
	}
	put(w, o, "kernel", kern);

	if (d->kernel_group >= 0)
		put(w, o, "kernel_group", json_object_new_int(d->kernel_group));
	else if (d->kernel_group == AX_GROUP_NONE)
		put(w, o, "kernel_group", json_object_new_string("none"));
	else
		put_null(w, o, "kernel_group");
	put(w, o, "driver", json_object_new_string(d->driver));
	put(w, o, "driver_known", json_object_new_boolean(d->driver_known));
	put(w, o, "domain_type", json_object_new_string(d->domain_type));
	put(w, o, "name", json_object_new_string(d->name));
	put(w, o, "slot_name", json_object_new_string(d->slot_name));
	put(w, o, "order", json_object_new_int(d->order));
	put(w, o, "slot_known", json_object_new_boolean(d->slot_known));
	put(w, o, "has_slot", json_object_new_boolean(d->has_slot));
	put(w, o, "board_slot", json_object_new_string(d->board_slot));
	put(w, o, "modules", json_object_new_string(d->modules));
	put(w, o, "boot_vga_known", json_object_new_boolean(d->boot_vga_known));
	put(w, o, "boot_vga", json_object_new_boolean(d->boot_vga));
	put(w, o, "host_use", json_object_new_string(d->host_use));
	return o;
}

static json_object *machine_to_json(struct writer *w, const struct ax_machine *m)
{
	json_object *o = json_object_new_object();
	json_object *notes;
	int i;

	if (!o) {
		w->oom = true;
		return NULL;
	}
	put_name(w, o, "source", ax_source_names, AX_N_SOURCE_NAMES,
		 m->source);
	put(w, o, "source_name", json_object_new_string(m->source_name));
	put(w, o, "kernel_release", json_object_new_string(m->kernel_release));
	put(w, o, "cmdline", json_object_new_string(m->cmdline));
	put_name(w, o, "iommu", ax_iommu_names, AX_N_IOMMU_NAMES,
		 m->iommu);
	put(w, o, "iommu_driver", json_object_new_string(m->iommu_driver));
	put(w, o, "acs_requested", json_object_new_boolean(m->acs_requested));
	put(w, o, "acs_requested_known",
	    json_object_new_boolean(m->acs_requested_known));
	put(w, o, "kernel_groups_known",
	    json_object_new_boolean(m->kernel_groups_known));
	put(w, o, "module_facts", json_object_new_boolean(m->module_facts));
	put(w, o, "host_facts_known",
	    json_object_new_boolean(m->host_facts_known));
	put(w, o, "boot_loader", json_object_new_string(m->boot_loader));
	notes = json_object_new_array();
	for (i = 0; notes && i < m->n_notes && i < (int)ARRAY_SIZE(m->notes); i++) {
		json_object *s = json_object_new_string(m->notes[i]);

		if (!s || json_object_array_add(notes, s)) {
			json_object_put(s);
			w->oom = true;
		}
	}
	put(w, o, "notes", notes);
	return o;
}

int ax_snapshot_save(const struct ax_machine *m, const char *path,
		     char *err, size_t errlen)
{
	struct writer w = { .oom = false };
	json_object *root = json_object_new_object();
	json_object *devs = json_object_new_array_ext(m->n ? (int)m->n : 1);
	const char *text;
	FILE *f;
	size_t i;
	bool bad;
	int ret = AX_SNAP_OK;

	if (!root || !devs) {
		json_object_put(devs);
		w.oom = true;
		goto out;
	}
	put(&w, root, "format", json_object_new_string(AX_SNAP_FORMAT));
	put(&w, root, "version", json_object_new_int(AX_SNAP_VERSION));
	put(&w, root, "tool_version", json_object_new_string(ACSEXPLAIN_VERSION));
	put(&w, root, "machine", machine_to_json(&w, m));
	for (i = 0; i < m->n && !w.oom; i++) {
		json_object *d = dev_to_json(&w, m, &m->devs[i]);

		if (!d || json_object_array_add(devs, d)) {
			json_object_put(d);
			w.oom = true;
		}
	}
	put(&w, root, "devices", devs);
	if (w.oom)
		goto out;

	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		w.oom = true;
		goto out;
	}
	f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f) {
		snprintf(err, errlen, "cannot write snapshot %s: %s", path,
			 strerror(errno));
		ret = AX_SNAP_EIO;
		goto out;
	}
	fputs(text, f);
	fputc('\n', f);
	/* A full disk shows up only at flush or close. */
	bad = fflush(f) != 0 || ferror(f);
	if (f != stdout && fclose(f))
		bad = true;
	if (bad) {
		snprintf(err, errlen, "cannot write snapshot %s: %s", path,
			 strerror(errno));
		ret = AX_SNAP_EIO;
	}
out:
	if (w.oom) {
		snprintf(err, errlen, "cannot write snapshot %s: out of memory",
			 path);
		ret = AX_SNAP_ENOMEM;
	}
	json_object_put(root);
	return ret;
}

/* ---- reading ---------------------------------------------------------- */

struct reader {
	char *err;
	size_t errlen;
	char where[48];		/* "devices[12].acs" */
	bool failed;
};

static __attribute__((format(printf, 2, 3)))
void fail(struct reader *r, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "invalid snapshot: %s%s%s", r->where,
		 r->where[0] ? ": " : "", msg);
}

/* Refuse fields this version does not define: a misspelt or foreign field
 * would otherwise be silently ignored and its fact lost.
 */
static void only_keys(struct reader *r, json_object *o,
		      const char *const *keys, size_t n)
{
	size_t i;

	json_object_object_foreach(o, key, val) {
		(void)val;
		for (i = 0; i < n; i++)
			if (!strcmp(key, keys[i]))
				break;
		if (i == n) {
			fail(r, "unknown field \"%s\"", key);
			return;
		}
	}
}

static json_object *get_field(struct reader *r, json_object *o,
			      const char *key, enum json_type type,
			      bool nullable)
{
	json_object *v;

	if (r->failed)
		return NULL;
	if (!json_object_object_get_ex(o, key, &v)) {
		fail(r, "missing field \"%s\"", key);
		return NULL;
	}
	if (!v && nullable)
		return NULL;
	if (!json_object_is_type(v, type)) {
		fail(r, "field \"%s\" must be %s", key, json_type_to_name(type));
		return NULL;
	}
	return v;
}

static bool get_bool(struct reader *r, json_object *o, const char *key)
{
	return json_object_get_boolean(get_field(r, o, key,
						 json_type_boolean, false));
}

static int64_t get_int(struct reader *r, json_object *o, const char *key,
		       int64_t min, int64_t max)
{
	json_object *v = get_field(r, o, key, json_type_int, false);
	int64_t x;

	if (!v)
		return 0;
	errno = 0;
	x = json_object_get_int64(v);
	/* json-c clamps out-of-range literals and sets errno */
	if (errno || x < min || x > max) {
		fail(r, "field \"%s\" must be an integer in %lld..%lld", key,
		     (long long)min, (long long)max);
		return 0;
	}
	return x;
}

static void get_str(struct reader *r, json_object *o, const char *key,
		    char *buf, size_t size)
{
	json_object *v = get_field(r, o, key, json_type_string, false);
	const char *s;
	size_t len;

	buf[0] = '\0';
	if (!v)
		return;
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (len >= size || strlen(s) != len) {
		fail(r, "field \"%s\" longer than %zu bytes or holds NUL", key,
		     size - 1);
		return;
	}
	memcpy(buf, s, len + 1);
}

static unsigned int get_hex(struct reader *r, json_object *o, const char *key,
			    size_t digits)
{
	char buf[16];
	size_t i;

	get_str(r, o, key, buf, sizeof(buf));
	if (r->failed)
		return 0;
	for (i = 0; buf[i]; i++)
		if (!strchr("0123456789abcdefABCDEF", buf[i]))
			break;
	if (i != digits || buf[i]) {
		fail(r, "field \"%s\" must be %zu hex digits", key, digits);
		return 0;
	}
	return (unsigned int)strtoul(buf, NULL, 16);
}

static int get_enum(struct reader *r, json_object *o, const char *key,
		    const char *const *names, size_t n, unsigned int first)
{
	char buf[32];
	unsigned int i;

	get_str(r, o, key, buf, sizeof(buf));
	if (r->failed)
		return 0;
	for (i = first; i < n; i++)
		if (names[i] && !strcmp(buf, names[i]))
			return (int)i;
	fail(r, "field \"%s\": unknown value \"%s\"", key, buf);
	return 0;
}

/* Canonical "dddd:bb:dd.f" only: a snapshot is written by us. */
static bool parse_addr(const char *s, struct ax_addr *a)
{
	unsigned int dom, bus, dev, fn;
	char back[AX_ADDR_STRLEN];
	int end = 0;

	if (sscanf(s, "%8x:%2x:%2x.%1x%n", &dom, &bus, &dev, &fn, &end) != 4 ||
	    s[end] || dev > 0x1f || fn > 7)
		return false;
	a->domain = dom;
	a->bus = (uint8_t)bus;
	a->devfn = AX_DEVFN(dev, fn);
	return !strcasecmp(ax_addr_str(*a, back), s);
}

static void get_addr(struct reader *r, json_object *o, const char *key,
		     struct ax_addr *a)
{
	char buf[AX_ADDR_STRLEN];

	get_str(r, o, key, buf, sizeof(buf));
	if (!r->failed && !parse_addr(buf, a))
		fail(r, "field \"%s\": \"%s\" is not a dddd:bb:dd.f address",
		     key, buf);
}

static const char *const machine_keys[] = {
	"source", "source_name", "kernel_release", "cmdline", "iommu",
	"iommu_driver", "acs_requested", "acs_requested_known",
	"kernel_groups_known", "module_facts", "notes",
	"host_facts_known", "boot_loader",
};

static void machine_from_json(struct reader *r, json_object *o,
			      struct ax_machine *m)
{
	json_object *notes;
	size_t i, n;

	snprintf(r->where, sizeof(r->where), "machine");
	only_keys(r, o, machine_keys, ARRAY_SIZE(machine_keys));
	m->source = get_enum(r, o, "source", ax_source_names,
			     AX_N_SOURCE_NAMES, 0);
	get_str(r, o, "source_name", m->source_name, sizeof(m->source_name));
	get_str(r, o, "kernel_release", m->kernel_release,
		sizeof(m->kernel_release));
	get_str(r, o, "cmdline", m->cmdline, sizeof(m->cmdline));
	m->iommu = get_enum(r, o, "iommu", ax_iommu_names,
			    AX_N_IOMMU_NAMES, 0);
	get_str(r, o, "iommu_driver", m->iommu_driver, sizeof(m->iommu_driver));
	m->acs_requested = get_bool(r, o, "acs_requested");
	m->acs_requested_known = get_bool(r, o, "acs_requested_known");
	m->kernel_groups_known = get_bool(r, o, "kernel_groups_known");
	m->module_facts = get_bool(r, o, "module_facts");
	/* added within version 1 (0.2): absent in older snapshots */
	if (json_object_object_get_ex(o, "host_facts_known", NULL)) {
		m->host_facts_known = get_bool(r, o, "host_facts_known");
		get_str(r, o, "boot_loader", m->boot_loader,
			sizeof(m->boot_loader));
	}
	notes = get_field(r, o, "notes", json_type_array, false);
	if (!notes)
		return;
	n = json_object_array_length(notes);
	if (n > ARRAY_SIZE(m->notes)) {
		fail(r, "more than %zu notes", ARRAY_SIZE(m->notes));
		return;
	}
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(notes, i);
		size_t len = (size_t)json_object_get_string_len(s);

		if (!json_object_is_type(s, json_type_string) ||
		    len >= sizeof(m->notes[0]) ||
		    strlen(json_object_get_string(s)) != len) {
			fail(r, "notes[%zu] must be a string shorter than %zu bytes",
			     i, sizeof(m->notes[0]));
			return;
		}
		memcpy(m->notes[i], json_object_get_string(s), len + 1);
	}
	m->n_notes = (int)n;
}

static const char *const dev_keys[] = {
	"address", "vendor", "device", "subvendor", "subdevice", "class",
	"revision", "header_type", "multifunction", "is_bridge", "secondary",
	"subordinate", "is_pcie", "pcie_type", "acs", "is_virtfn", "physfn",
	"has_sriov", "ari", "ats_enabled", "untrusted", "external_facing",
	"kernel", "kernel_group", "driver", "driver_known", "domain_type",
	"name", "slot_name", "order",
	"slot_known", "has_slot", "board_slot", "modules", "boot_vga_known",
	"boot_vga", "host_use", "header_multifunction",
};

static const char *const acs_keys[] = {
	"known", "offset", "cap", "ctrl", "dword_layout", "egress_bits",
	"origin",
};

static const char *const kern_keys[] = {
	"facts", "dev_flags", "has_alias_mask", "alias_mask",
	"verdict_known", "verdict_isolated", "verdict_origin",
	"quirk_result_known", "quirk_result",
};

static void acs_from_json(struct reader *r, json_object *o, struct ax_dev *d)
{
	only_keys(r, o, acs_keys, ARRAY_SIZE(acs_keys));
	d->acs_known = get_bool(r, o, "known");
	/* extended capabilities live in 0x100..0xffc */
	d->acs_pos = (uint16_t)get_int(r, o, "offset", 0, 0xffc);
	if (d->acs_pos && d->acs_pos < 0x100)
		fail(r, "field \"offset\" must be 0 or 256..4092");
	d->acs_cap = (uint16_t)get_int(r, o, "cap", 0, 0xffff);
	d->acs_ctrl = (uint16_t)get_int(r, o, "ctrl", 0, 0xffff);
	d->acs_dword_layout = get_bool(r, o, "dword_layout");
	d->acs_egress_bits = (uint8_t)get_int(r, o, "egress_bits", 0, 0xff);
	d->acs_origin = get_enum(r, o, "origin", origin_names,
				 ARRAY_SIZE(origin_names), 0);
}

static void kern_from_json(struct reader *r, json_object *o, struct ax_dev *d)
{
	char mask[2 * sizeof(d->alias_mask) + 1];
	size_t i;

	only_keys(r, o, kern_keys, ARRAY_SIZE(kern_keys));
	d->kernel_facts = get_bool(r, o, "facts");
	d->dev_flags = (uint32_t)get_int(r, o, "dev_flags", 0, UINT32_MAX);
	d->has_alias_mask = get_bool(r, o, "has_alias_mask");
	/* added within version 1: absent in older snapshots */
	if (json_object_object_get_ex(o, "verdict_known", NULL)) {
		d->kernel_verdict_known = get_bool(r, o, "verdict_known");
		d->kernel_isolated = get_bool(r, o, "verdict_isolated");
		d->kernel_verdict_origin =
			(uint8_t)get_int(r, o, "verdict_origin", 0, 255);
		d->quirk_result_known = get_bool(r, o, "quirk_result_known");
		d->quirk_result = (int)get_int(r, o, "quirk_result", -4095, 1);
	}
	get_str(r, o, "alias_mask", mask, sizeof(mask));
	if (r->failed)
		return;
	for (i = 0; i < sizeof(mask) - 1; i++)
		if (!strchr("0123456789abcdefABCDEF", mask[i]))
			break;
	if (i != sizeof(mask) - 1) {
		fail(r, "field \"alias_mask\" must be %zu hex digits",
		     sizeof(mask) - 1);
		return;
	}
	for (i = 0; i < sizeof(d->alias_mask); i++) {
		char byte[3] = { mask[2 * i], mask[2 * i + 1], '\0' };

		d->alias_mask[i] = (uint8_t)strtoul(byte, NULL, 16);
	}
}

static void dev_from_json(struct reader *r, json_object *o, struct ax_dev *d,
			  size_t n)
{
	json_object *v;

	if (!json_object_is_type(o, json_type_object)) {
		fail(r, "must be an object");
		return;
	}
	only_keys(r, o, dev_keys, ARRAY_SIZE(dev_keys));
	get_addr(r, o, "address", &d->addr);
	d->vendor = (uint16_t)get_hex(r, o, "vendor", 4);
	d->device = (uint16_t)get_hex(r, o, "device", 4);
	d->subvendor = (uint16_t)get_hex(r, o, "subvendor", 4);
	d->subdevice = (uint16_t)get_hex(r, o, "subdevice", 4);
	d->class = get_hex(r, o, "class", 6);
	d->revision = (uint8_t)get_int(r, o, "revision", 0, 0xff);
	d->hdr_type = (uint8_t)get_int(r, o, "header_type", 0, 0x7f);
	d->multifunction = get_bool(r, o, "multifunction");
	/* optional: null or absent when the header byte was not read */
	v = json_object_object_get_ex(o, "header_multifunction", NULL) ?
	    get_field(r, o, "header_multifunction", json_type_boolean, true) :
	    NULL;
	if (v) {
		d->hdr_mf_known = true;
		d->hdr_mf = json_object_get_boolean(v);
	}
	d->is_bridge = get_bool(r, o, "is_bridge");
	d->secondary = (uint8_t)get_int(r, o, "secondary", 0, 0xff);
	d->subordinate = (uint8_t)get_int(r, o, "subordinate", 0, 0xff);
	d->is_pcie = get_bool(r, o, "is_pcie");
	/* the 4-bit port type field of the PCIe capability */
	d->pcie_type = (enum ax_pcie_type)get_int(r, o, "pcie_type", 0, 0xf);
	v = get_field(r, o, "acs", json_type_object, false);
	if (v)
		acs_from_json(r, v, d);
	d->is_virtfn = get_bool(r, o, "is_virtfn");
	/* "physfn" is resolved once every device is in and linked */
	get_field(r, o, "physfn", json_type_string, true);
	d->has_sriov = get_bool(r, o, "has_sriov");
	d->ari = get_bool(r, o, "ari");
	d->ats_enabled = get_bool(r, o, "ats_enabled");
	d->untrusted = get_bool(r, o, "untrusted");
	d->external_facing = get_bool(r, o, "external_facing");
	v = get_field(r, o, "kernel", json_type_object, false);
	if (v)
		kern_from_json(r, v, d);

	if (!r->failed && json_object_object_get_ex(o, "kernel_group", &v) &&
	    json_object_is_type(v, json_type_string)) {
		if (strcmp(json_object_get_string(v), "none"))
			fail(r, "field \"kernel_group\" must be a number, \"none\" or null");
		d->kernel_group = AX_GROUP_NONE;
	} else {
		v = get_field(r, o, "kernel_group", json_type_int, true);
		d->kernel_group = v ? (int)get_int(r, o, "kernel_group", 0,
						   INT_MAX) : AX_GROUP_UNKNOWN;
	}
	get_str(r, o, "driver", d->driver, sizeof(d->driver));
	d->driver_known = get_bool(r, o, "driver_known");
	get_str(r, o, "domain_type", d->domain_type, sizeof(d->domain_type));
	get_str(r, o, "name", d->name, sizeof(d->name));
	get_str(r, o, "slot_name", d->slot_name, sizeof(d->slot_name));
	d->order = (int)get_int(r, o, "order", 0, n ? (int64_t)n - 1 : 0);
	/* added within version 1 (0.2): absent in older snapshots */
	if (json_object_object_get_ex(o, "slot_known", NULL)) {
		d->slot_known = get_bool(r, o, "slot_known");
		d->has_slot = get_bool(r, o, "has_slot");
		get_str(r, o, "board_slot", d->board_slot,
			sizeof(d->board_slot));
		get_str(r, o, "modules", d->modules, sizeof(d->modules));
		d->boot_vga_known = get_bool(r, o, "boot_vga_known");
		d->boot_vga = get_bool(r, o, "boot_vga");
		get_str(r, o, "host_use", d->host_use, sizeof(d->host_use));
	}
}

/* Second pass after sorting: indices are final, so physfn can point at
 * its PF; the saved probe order is kept (order_known).
 */
static void restore_links(struct reader *r, json_object *devs,
			  struct ax_machine *m)
{
	size_t i, n = json_object_array_length(devs);

	for (i = 0; i < n && !r->failed; i++) {
		json_object *o = json_object_array_get_idx(devs, i);
		json_object *v;
		struct ax_addr a;
		int idx, pf = -1;

		snprintf(r->where, sizeof(r->where), "devices[%zu]", i);
		get_addr(r, o, "address", &a);
		idx = ax_machine_find(m, a);
		if (idx < 0) {
			fail(r, "device vanished while sorting");
			break;
		}
		json_object_object_get_ex(o, "physfn", &v);
		if (v) {
			struct ax_addr pa;

			get_addr(r, o, "physfn", &pa);
			pf = r->failed ? -1 : ax_machine_find(m, pa);
			if (!r->failed && (pf < 0 || pf == idx))
				fail(r, "physfn %s is not another device of the snapshot",
				     json_object_get_string(v));
		}
		m->devs[idx].physfn = pf;
		m->devs[idx].order = (int)get_int(r, o, "order", 0, INT_MAX);
	}
}

static void line_col(const char *buf, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static json_object *parse_json(const char *buf, size_t len, char *err,
			       size_t errlen)
{
	struct json_tokener *tok;
	json_object *root;
	enum json_tokener_error jerr;
	size_t end, line, col;

	if (len > INT_MAX) {
		snprintf(err, errlen, "invalid snapshot: larger than %d bytes",
			 INT_MAX);
		return NULL;
	}
	tok = json_tokener_new();
	if (!tok) {
		snprintf(err, errlen, "invalid snapshot: out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (root) {
		/* strict mode refuses trailing bytes except blanks */
		while (end < len && strchr(" \t\r\n", buf[end]))
			end++;
		if (end < len) {
			json_object_put(root);
			root = NULL;
			jerr = json_tokener_error_parse_unexpected;
		}
	}
	json_tokener_free(tok);
	if (root)
		return root;

	line_col(buf, end < len ? end : len, &line, &col);
	if (jerr == json_tokener_continue || jerr == json_tokener_success)
		snprintf(err, errlen,
			 "invalid snapshot: truncated JSON at line %zu, column %zu (byte %zu): unexpected end of input",
			 line, col, len);
	else
		snprintf(err, errlen,
			 "invalid snapshot: not JSON at line %zu, column %zu (byte %zu): %s",
			 line, col, end, json_tokener_error_desc(jerr));
	return NULL;
}

int ax_snapshot_load(struct ax_machine *m, const char *buf, size_t len,
		     char *err, size_t errlen)
{
	struct reader r = { .err = err, .errlen = errlen };
	static const char *const top_keys[] = {
		"format", "version", "tool_version", "machine", "devices",
	};
	json_object *root, *v, *devs;
	char fmt[32], tool[64], why[160];
	int64_t version;
	size_t i, n;
	int ret = AX_SNAP_EINVAL;

	root = parse_json(buf, len, err, errlen);
	if (!root)
		return AX_SNAP_EINVAL;
	if (!json_object_is_type(root, json_type_object)) {
		fail(&r, "top level is not a JSON object");
		goto out;
	}
	get_str(&r, root, "format", fmt, sizeof(fmt));
	if (!r.failed && strcmp(fmt, AX_SNAP_FORMAT))
		fail(&r, "\"format\" is \"%s\", not \"%s\"", fmt, AX_SNAP_FORMAT);
	/* version first: a newer layout may have fields we do not know */
	version = get_int(&r, root, "version", 1, INT_MAX);
	if (r.failed)
		goto out;
	if (version > AX_SNAP_VERSION) {
		snprintf(err, errlen,
			 "snapshot version %lld is newer than this acsexplain supports (%d)",
			 (long long)version, AX_SNAP_VERSION);
		ret = AX_SNAP_ENEWER;
		goto out;
	}
	only_keys(&r, root, top_keys, ARRAY_SIZE(top_keys));
	get_str(&r, root, "tool_version", tool, sizeof(tool));
	v = get_field(&r, root, "machine", json_type_object, false);
	if (v)
		machine_from_json(&r, v, m);
	r.where[0] = '\0';
	devs = get_field(&r, root, "devices", json_type_array, false);
	if (!devs)
		goto out;
	n = json_object_array_length(devs);
	for (i = 0; i < n && !r.failed; i++) {
		struct ax_dev *d = ax_machine_add(m);

		if (!d) {
			snprintf(err, errlen, "invalid snapshot: out of memory");
			ret = AX_SNAP_ENOMEM;
			goto out;
		}
		snprintf(r.where, sizeof(r.where), "devices[%zu]", i);
		dev_from_json(&r, json_object_array_get_idx(devs, i), d, n);
	}
	if (r.failed)
		goto out;
	/* sorted for the lookups below; main links once */
	if (m->n && ax_machine_sort(m, why, sizeof(why)) < 0) {
		r.where[0] = '\0';
		fail(&r, "%s", why);
		goto out;
	}
	restore_links(&r, devs, m);
	m->order_known = true;
	if (!r.failed)
		ret = AX_SNAP_OK;
out:
	json_object_put(root);
	/* names and values quoted from the file may hold control bytes: an
	 * error stays one printable line
	 */
	if (ret != AX_SNAP_OK)
		for (i = 0; err[i]; i++)
			if ((unsigned char)err[i] < 0x20 || err[i] == 0x7f)
				err[i] = '?';
	return ret;
}

bool ax_snapshot_detect(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] == '{')
			return true;
		if (!strchr(" \t\r\n", buf[i]))
			return false;
	}
	return false;
}
