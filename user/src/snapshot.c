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

#include "jsonw.h"
#include "source.h"

/* ---- writing ---------------------------------------------------------- */

struct save_ctx {
	struct jw *w;
	const struct ax_machine *m;
};

/* One device, built when jw_write() gets to it. */
static json_object *dev_to_json(void *ctx, int idx)
{
	struct jw *w = ((struct save_ctx *)ctx)->w;
	const struct ax_machine *m = ((struct save_ctx *)ctx)->m;
	const struct ax_dev *d = &m->devs[idx];
	json_object *o = jw_obj(w);
	json_object *acs, *kern;
	char addr[AX_ADDR_STRLEN], mask[2 * sizeof(d->alias_mask) + 1];
	size_t i;

	if (!o)
		return NULL;
	jw_put(w, o, "address", jw_str(w, ax_addr_str(d->addr, addr)));
	jw_put(w, o, "vendor", jw_hex(w, d->vendor, 4));
	jw_put(w, o, "device", jw_hex(w, d->device, 4));
	jw_put(w, o, "subvendor", jw_hex(w, d->subvendor, 4));
	jw_put(w, o, "subdevice", jw_hex(w, d->subdevice, 4));
	jw_put(w, o, "class", jw_hex(w, d->class, 6));
	jw_put(w, o, "revision", jw_int(w, d->revision));
	jw_put(w, o, "header_type", jw_int(w, d->hdr_type));
	jw_put(w, o, "multifunction", jw_bool(w, d->multifunction));
	/* null: the header byte was not read */
	jw_put(w, o, "header_multifunction",
	       d->hdr_mf_known ? jw_bool(w, d->hdr_mf) : NULL);
	jw_put(w, o, "is_bridge", jw_bool(w, d->is_bridge));
	jw_put(w, o, "secondary", jw_int(w, d->secondary));
	jw_put(w, o, "subordinate", jw_int(w, d->subordinate));
	jw_put(w, o, "is_pcie", jw_bool(w, d->is_pcie));
	jw_put(w, o, "pcie_type", jw_int(w, d->pcie_type));

	acs = jw_obj(w);
	if (acs) {
		jw_put(w, acs, "known", jw_bool(w, d->acs_known));
		jw_put(w, acs, "offset", jw_int(w, d->acs_pos));
		jw_put(w, acs, "cap", jw_int(w, d->acs_cap));
		jw_put(w, acs, "ctrl", jw_int(w, d->acs_ctrl));
		jw_put(w, acs, "dword_layout",
		    jw_bool(w, d->acs_dword_layout));
	}
	jw_put(w, o, "acs", acs);

	jw_put(w, o, "is_virtfn", jw_bool(w, d->is_virtfn));
	if (d->physfn >= 0 && (size_t)d->physfn < m->n)
		jw_put(w, o, "physfn",
		       jw_str(w, ax_addr_str(m->devs[d->physfn].addr, addr)));
	else
		jw_put(w, o, "physfn", NULL);
	jw_put(w, o, "has_sriov", jw_bool(w, d->has_sriov));
	jw_put(w, o, "ari", jw_bool(w, d->ari));
	jw_put(w, o, "untrusted", jw_bool(w, d->untrusted));
	jw_put(w, o, "external_facing",
	    jw_bool(w, d->external_facing));

	kern = jw_obj(w);
	if (kern) {
		jw_put(w, kern, "facts", jw_bool(w, d->kernel_facts));
		jw_put(w, kern, "dev_flags", jw_int(w, d->dev_flags));
		jw_put(w, kern, "has_alias_mask",
		    jw_bool(w, d->has_alias_mask));
		for (i = 0; i < sizeof(d->alias_mask); i++)
			snprintf(mask + 2 * i, 3, "%02x", d->alias_mask[i]);
		jw_put(w, kern, "alias_mask", jw_str(w, mask));
		jw_put(w, kern, "verdict_known",
		    jw_bool(w, d->kernel_verdict_known));
		jw_put(w, kern, "verdict_isolated",
		    jw_bool(w, d->kernel_isolated));
		jw_put(w, kern, "verdict_origin",
		    jw_int(w, d->kernel_verdict_origin));
		jw_put(w, kern, "quirk_result_known",
		    jw_bool(w, d->quirk_result_known));
		jw_put(w, kern, "quirk_result",
		    jw_int(w, d->quirk_result));
	}
	jw_put(w, o, "kernel", kern);

	if (d->kernel_group >= 0)
		jw_put(w, o, "kernel_group", jw_int(w, d->kernel_group));
	else if (d->kernel_group == AX_GROUP_NONE)
		jw_put(w, o, "kernel_group", jw_str(w, "none"));
	else
		jw_put(w, o, "kernel_group", NULL);
	jw_put(w, o, "driver", jw_str(w, d->driver));
	jw_put(w, o, "driver_known", jw_bool(w, d->driver_known));
	jw_put(w, o, "name", jw_str(w, d->name));
	jw_put(w, o, "slot_name", jw_str(w, d->slot_name));
	jw_put(w, o, "order", jw_int(w, d->order));
	jw_put(w, o, "slot_known", jw_bool(w, d->slot_known));
	jw_put(w, o, "has_slot", jw_bool(w, d->has_slot));
	jw_put(w, o, "board_slot", jw_str(w, d->board_slot));
	jw_put(w, o, "modules", jw_str(w, d->modules));
	jw_put(w, o, "boot_vga_known", jw_bool(w, d->boot_vga_known));
	jw_put(w, o, "boot_vga", jw_bool(w, d->boot_vga));
	jw_put(w, o, "host_use", jw_str(w, d->host_use));
	if (w->oom) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *machine_to_json(struct jw *w, const struct ax_machine *m)
{
	json_object *o = jw_obj(w);
	json_object *notes;
	int i;

	if (!o)
		return NULL;
	jw_put(w, o, "source", jw_str(w, ax_source_kind_name(m->source)));
	jw_put(w, o, "source_name", jw_str(w, m->source_name));
	jw_put(w, o, "kernel_release", jw_str(w, m->kernel_release));
	jw_put(w, o, "cmdline", jw_str(w, m->cmdline));
	jw_put(w, o, "iommu", jw_str(w, ax_iommu_name(m->iommu)));
	jw_put(w, o, "iommu_driver", jw_str(w, m->iommu_driver));
	jw_put(w, o, "acs_requested", jw_bool(w, m->acs_requested));
	jw_put(w, o, "acs_requested_known",
	    jw_bool(w, m->acs_requested_known));
	jw_put(w, o, "kernel_groups_known",
	    jw_bool(w, m->kernel_groups_known));
	jw_put(w, o, "module_facts", jw_bool(w, m->module_facts));
	jw_put(w, o, "host_facts_known",
	    jw_bool(w, m->host_facts_known));
	jw_put(w, o, "boot_loader", jw_str(w, m->boot_loader));
	jw_put(w, o, "firmware", jw_str(w, ax_firmware_name(m->firmware)));
	jw_put(w, o, "firmware_basis", jw_str(w, m->firmware_basis));
	notes = jw_arr(w, 0);
	for (i = 0; notes && i < m->n_notes && i < (int)AX_ARRAY_SIZE(m->notes); i++)
		jw_push(w, notes, jw_str(w, m->notes[i]));
	jw_put(w, o, "notes", notes);
	return o;
}

int ax_snapshot_save(const struct ax_machine *m, const char *path,
		     char *err, size_t errlen)
{
	struct jw w = { .oom = false };
	struct save_ctx ctx = { &w, m };
	json_object *root = jw_obj(&w);
	json_object *devs = jw_arr(&w, m->n);
	FILE *f;
	size_t i;
	bool bad;

	jw_put(&w, root, "format", jw_str(&w, AX_SNAP_FORMAT));
	jw_put(&w, root, "version", jw_int(&w, AX_SNAP_VERSION));
	jw_put(&w, root, "tool_version", jw_str(&w, ACSEXPLAIN_VERSION));
	jw_put(&w, root, "machine", machine_to_json(&w, m));
	/* each device is built when written: 10,000 never live at once */
	for (i = 0; devs && i < m->n && !w.oom; i++)
		jw_push(&w, devs, jw_later(&w, dev_to_json, &ctx, (int)i));
	jw_put(&w, root, "devices", devs);
	if (w.oom) {
		jw_free(&w, root);
		goto nomem;
	}
	f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f) {
		snprintf(err, errlen, "cannot write snapshot %s: %s", path,
			 strerror(errno));
		jw_free(&w, root);
		return -1;
	}
	bad = jw_write(&w, f, root, JSON_C_TO_STRING_PRETTY |
		       JSON_C_TO_STRING_NOSLASHESCAPE) != 0;
	if (bad && errno == ENOMEM) {
		if (f != stdout)
			fclose(f);
		goto nomem;
	}
	/* A full disk shows up only at flush or close. */
	bad |= ferror(f) != 0;
	if (f != stdout && fclose(f))
		bad = true;
	if (bad) {
		snprintf(err, errlen, "cannot write snapshot %s: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
nomem:
	snprintf(err, errlen, "cannot write snapshot %s: out of memory", path);
	return -1;
}

/* ---- reading ---------------------------------------------------------- */

struct reader {
	char *err;
	size_t errlen;
	char where[48];		/* "devices[12].acs" */
	bool failed;
	int version;		/* of the snapshot being read */
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

static bool key_in(const char *key, const char *const *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

/* Refuse fields this version does not define: a misspelt or foreign field
 * would otherwise be silently ignored and its fact lost.  v1_keys are the
 * fields only version 1 had.
 */
static void only_keys(struct reader *r, json_object *o,
		      const char *const *keys, size_t n,
		      const char *const *v1_keys, size_t n_v1)
{
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (key_in(key, keys, n) ||
		    (r->version == 1 && key_in(key, v1_keys, n_v1)))
			continue;
		fail(r, "unknown field \"%s\"", key);
		return;
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
	char back[AX_ADDR_STRLEN];

	return !ax_addr_parse(s, a) && !strcasecmp(ax_addr_str(*a, back), s);
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
	"host_facts_known", "boot_loader", "firmware", "firmware_basis",
};

static void machine_from_json(struct reader *r, json_object *o,
			      struct ax_machine *m)
{
	json_object *notes;
	size_t i, n;

	snprintf(r->where, sizeof(r->where), "machine");
	only_keys(r, o, machine_keys, AX_ARRAY_SIZE(machine_keys), NULL, 0);
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
	if (r->version > 1 ||
	    json_object_object_get_ex(o, "host_facts_known", NULL)) {
		m->host_facts_known = get_bool(r, o, "host_facts_known");
		get_str(r, o, "boot_loader", m->boot_loader,
			sizeof(m->boot_loader));
	}
	/* added within version 1 (0.2): absent in older snapshots */
	if (r->version > 1 ||
	    json_object_object_get_ex(o, "firmware", NULL)) {
		m->firmware = get_enum(r, o, "firmware", ax_firmware_names,
				       AX_N_FIRMWARE_NAMES, 0);
		get_str(r, o, "firmware_basis", m->firmware_basis,
			sizeof(m->firmware_basis));
	}
	notes = get_field(r, o, "notes", json_type_array, false);
	if (!notes)
		return;
	n = json_object_array_length(notes);
	if (n > AX_ARRAY_SIZE(m->notes)) {
		fail(r, "more than %zu notes", AX_ARRAY_SIZE(m->notes));
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
	"has_sriov", "ari", "untrusted", "external_facing",
	"kernel", "kernel_group", "driver", "driver_known",
	"name", "slot_name", "order",
	"slot_known", "has_slot", "board_slot", "modules", "boot_vga_known",
	"boot_vga", "host_use", "header_multifunction",
};

static const char *const acs_keys[] = {
	"known", "offset", "cap", "ctrl", "dword_layout",
};

/* Version 1 also had facts nothing read (removed in version 2): still
 * checked as version 1 defined them, then dropped.
 */
static const char *const dev_keys_v1[] = { "ats_enabled", "domain_type" };
static const char *const acs_keys_v1[] = { "egress_bits", "origin" };
static const char *const origin_names_v1[] = {
	"unknown", "kernel", "config", "sysfs", "text", "quirkdb",
};

static const char *const kern_keys[] = {
	"facts", "dev_flags", "has_alias_mask", "alias_mask",
	"verdict_known", "verdict_isolated", "verdict_origin",
	"quirk_result_known", "quirk_result",
};

static void acs_from_json(struct reader *r, json_object *o, struct ax_dev *d)
{
	only_keys(r, o, acs_keys, AX_ARRAY_SIZE(acs_keys), acs_keys_v1,
		  AX_ARRAY_SIZE(acs_keys_v1));
	d->acs_known = get_bool(r, o, "known");
	/* extended capabilities live in 0x100..0xffc */
	d->acs_pos = (uint16_t)get_int(r, o, "offset", 0, 0xffc);
	if (d->acs_pos && d->acs_pos < 0x100)
		fail(r, "field \"offset\" must be 0 or 256..4092");
	d->acs_cap = (uint16_t)get_int(r, o, "cap", 0, 0xffff);
	d->acs_ctrl = (uint16_t)get_int(r, o, "ctrl", 0, 0xffff);
	d->acs_dword_layout = get_bool(r, o, "dword_layout");
	if (r->version == 1) {
		get_int(r, o, "egress_bits", 0, 0xff);
		get_enum(r, o, "origin", origin_names_v1,
			 AX_ARRAY_SIZE(origin_names_v1), 0);
	}
}

static void kern_from_json(struct reader *r, json_object *o, struct ax_dev *d)
{
	char mask[2 * sizeof(d->alias_mask) + 1];
	size_t i;

	only_keys(r, o, kern_keys, AX_ARRAY_SIZE(kern_keys), NULL, 0);
	d->kernel_facts = get_bool(r, o, "facts");
	d->dev_flags = (uint32_t)get_int(r, o, "dev_flags", 0, UINT32_MAX);
	d->has_alias_mask = get_bool(r, o, "has_alias_mask");
	/* added within version 1: absent in older snapshots */
	if (r->version > 1 ||
	    json_object_object_get_ex(o, "verdict_known", NULL)) {
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
	only_keys(r, o, dev_keys, AX_ARRAY_SIZE(dev_keys), dev_keys_v1,
		  AX_ARRAY_SIZE(dev_keys_v1));
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
	if (r->version == 1)
		get_bool(r, o, "ats_enabled");
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
	if (r->version == 1) {
		char domain_type[16];

		get_str(r, o, "domain_type", domain_type, sizeof(domain_type));
	}
	get_str(r, o, "name", d->name, sizeof(d->name));
	get_str(r, o, "slot_name", d->slot_name, sizeof(d->slot_name));
	d->order = (int)get_int(r, o, "order", 0, n ? (int64_t)n - 1 : 0);
	/* added within version 1 (0.2): absent in older snapshots */
	if (r->version > 1 ||
	    json_object_object_get_ex(o, "slot_known", NULL)) {
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
	int ret = -1;

	root = parse_json(buf, len, err, errlen);
	if (!root)
		return -1;
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
		ret = -1;
		goto out;
	}
	r.version = (int)version;
	only_keys(&r, root, top_keys, AX_ARRAY_SIZE(top_keys), NULL, 0);
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
			ret = -1;
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
		ret = 0;
out:
	json_object_put(root);
	/* names and values quoted from the file may hold control bytes: an
	 * error stays one printable line
	 */
	if (ret)
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
