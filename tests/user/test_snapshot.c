// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_snapshot.c - snapshot round trip, refusal of bad snapshots, the
 * structure of --json output, and both against the JSON Schemas in
 * Documentation/json-schema.md (so the document cannot drift from the
 * code).  Tests user/src/snapshot.c and user/render/json.c with the real
 * user/model.c; the ax_result is built by hand.
 *
 * Built and run by tests/user/run.sh, from the top of the tree (the
 * schema document is read from there; AX_SCHEMA_DOC overrides the path).
 * The last line is "snapshot: N passed, N failed"; exit 1 on any failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <regex.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis.h"
#include "render.h"
#include "model.h"
#include "source.h"
#include "analysis/quirklab.h"
#include "render/quirklab_out.h"

static int passed, failed;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define CHECK(cond, ...) check(!!(cond), __LINE__, __VA_ARGS__)

static __attribute__((format(printf, 3, 4)))
void check(int ok, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "FAIL line %d: ", line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static struct ax_addr A(unsigned int dom, unsigned int bus, unsigned int dev,
			unsigned int fn)
{
	struct ax_addr a = {
		.domain = dom, .bus = (uint8_t)bus,
		.devfn = AX_DEVFN(dev, fn),
	};
	return a;
}

/* A small machine using every field with values that are not defaults:
 * root port with ACS, a dword-layout PCH port, a switch, an SR-IOV PF
 * with two VFs, an unknown-ACS device, odd strings.  Added out of order
 * on purpose: loading must not depend on the saved order.
 */
static void build_machine(struct ax_machine *m)
{
	struct ax_dev *d;
	char err[200];
	int i, pf;

	ax_machine_init(m);
	m->source = AX_SRC_NETLINK;
	snprintf(m->source_name, sizeof(m->source_name), "netlink");
	snprintf(m->kernel_release, sizeof(m->kernel_release),
		 "6.12.117+deb12-amd64");
	snprintf(m->cmdline, sizeof(m->cmdline),
		 "BOOT_IMAGE=/vmlinuz intel_iommu=on \"quoted\" path/with/slash \\ tab\there");
	m->iommu = AX_IOMMU_ON;
	snprintf(m->iommu_driver, sizeof(m->iommu_driver), "intel");
	m->acs_requested = true;
	m->acs_requested_known = true;
	m->kernel_groups_known = true;
	m->module_facts = true;
	m->host_facts_known = true;
	snprintf(m->boot_loader, sizeof(m->boot_loader), "proxmox-boot-tool");
	m->firmware = AX_FW_DT;
	snprintf(m->firmware_basis, sizeof(m->firmware_basis),
		 "a device tree in /sys/firmware/devicetree and no ACPI");
	ax_machine_note(m, "note one: DMA aliases read from the kernel");
	ax_machine_note(m, "note two \xc3\xa9\xe2\x9c\x93 unicode");

	/* switch downstream port, added before its parents */
	d = ax_machine_add(m);
	d->addr = A(0, 2, 1, 0);
	d->vendor = 0x10b5;
	d->device = 0x8747;
	d->subvendor = 0x10b5;
	d->subdevice = 0x0001;
	d->class = 0x060400;
	d->revision = 0xca;
	d->hdr_type = 1;
	d->is_bridge = true;
	d->secondary = 3;
	d->subordinate = 3;
	d->is_pcie = true;
	d->pcie_type = AX_EXP_DOWNSTREAM;
	d->acs_known = true;
	d->acs_pos = 0x148;
	d->acs_cap = 0x005f;
	d->acs_ctrl = 0x001d;
	d->kernel_facts = true;
	d->dev_flags = 0x80000201u;
	d->kernel_verdict_known = true;
	d->kernel_isolated = true;
	d->kernel_verdict_origin = 5;
	d->quirk_result_known = true;
	d->quirk_result = -25;
	d->kernel_group = 5;
	d->driver_known = true;
	snprintf(d->driver, sizeof(d->driver), "pcieport");
	snprintf(d->name, sizeof(d->name), "PEX 8747 48-Lane PCI Express Gen 3 Switch");
	snprintf(d->slot_name, sizeof(d->slot_name), "SLOT 4");
	d->slot_known = true;
	d->has_slot = true;
	snprintf(d->board_slot, sizeof(d->board_slot), "PCIEX16_2");
	snprintf(d->modules, sizeof(d->modules), "shpchp, pcieport");
	d->boot_vga_known = true;
	d->boot_vga = true;
	snprintf(d->host_use, sizeof(d->host_use), "root filesystem /dev/nvme0n1p2");

	/* root port, Intel dword layout */
	d = ax_machine_add(m);
	d->addr = A(0, 0, 0x1c, 0);
	d->vendor = 0x8086;
	d->device = 0x9d10;
	d->class = 0x060400;
	d->revision = 0xf1;
	d->hdr_type = 1;
	d->multifunction = true;
	d->hdr_mf_known = true;
	d->hdr_mf = true;
	d->is_bridge = true;
	d->secondary = 1;
	d->subordinate = 4;
	d->is_pcie = true;
	d->pcie_type = AX_EXP_ROOT_PORT;
	d->acs_known = true;
	d->acs_pos = 0x140;
	d->acs_cap = 0x000f;
	d->acs_ctrl = 0x0000;
	d->acs_dword_layout = true;
	d->kernel_group = 0;
	d->driver_known = true;
	snprintf(d->driver, sizeof(d->driver), "pcieport");

	/* switch upstream port */
	d = ax_machine_add(m);
	d->addr = A(0, 1, 0, 0);
	d->vendor = 0x10b5;
	d->device = 0x8747;
	d->class = 0x060400;
	d->hdr_type = 1;
	d->is_bridge = true;
	d->secondary = 2;
	d->subordinate = 4;
	d->is_pcie = true;
	d->pcie_type = AX_EXP_UPSTREAM;
	d->acs_known = true;
	d->kernel_group = 0;
	d->has_alias_mask = true;
	d->alias_mask[0] = 0x01;
	d->alias_mask[31] = 0x80;
	d->alias_mask[7] = 0x5a;

	/* SR-IOV PF and two VFs in another domain */
	d = ax_machine_add(m);
	d->addr = A(0x10, 0x3b, 0, 0);
	d->vendor = 0x15b3;
	d->device = 0x101b;
	d->class = 0x020000;
	d->is_pcie = true;
	d->pcie_type = AX_EXP_ENDPOINT;
	d->has_sriov = true;
	d->ari = true;
	d->acs_known = true;
	d->kernel_group = AX_GROUP_NONE;
	d->driver_known = true;
	snprintf(d->driver, sizeof(d->driver), "mlx5_core");
	for (i = 1; i <= 2; i++) {
		d = ax_machine_add(m);
		d->addr = A(0x10, 0x3b, 0, i);
		d->vendor = 0x15b3;
		d->device = 0x101c;
		d->class = 0x020000;
		d->is_pcie = true;
		d->is_virtfn = true;
		d->untrusted = i == 2;
		d->external_facing = i == 1;
		d->acs_known = false;
		d->kernel_group = AX_GROUP_UNKNOWN;
	}

	/* conventional device, ACS never readable */
	d = ax_machine_add(m);
	d->addr = A(0, 3, 0, 0);
	d->vendor = 0x1106;
	d->device = 0x3044;
	d->class = 0x0c0010;
	d->kernel_group = 2147483647;
	d->driver_known = false;
	snprintf(d->name, sizeof(d->name), "VT6306/7/8 [Fire II(M)] IEEE 1394 \"OHCI\"");

	if (ax_machine_link(m, err, sizeof(err)) < 0) {
		fprintf(stderr, "link: %s\n", err);
		exit(2);
	}
	/* physfn by address: the link above may not know SR-IOV offsets */
	pf = ax_machine_find(m, A(0x10, 0x3b, 0, 0));
	for (i = 1; i <= 2; i++)
		m->devs[ax_machine_find(m, A(0x10, 0x3b, 0, i))].physfn = pf;
	for (i = 0; i < (int)m->n; i++)
		m->devs[i].order = (int)m->n - 1 - i;
}

static void compare_dev(const struct ax_dev *a, const struct ax_dev *b,
			const char *where)
{
#define EQ(f) CHECK(a->f == b->f, "%s: field " #f " differs", where)
#define EQS(f) CHECK(!strcmp(a->f, b->f), "%s: field " #f " \"%s\" vs \"%s\"", \
		     where, a->f, b->f)
	CHECK(!ax_addr_cmp(a->addr, b->addr), "%s: address differs", where);
	EQ(vendor); EQ(device); EQ(subvendor); EQ(subdevice); EQ(class);
	EQ(revision); EQ(hdr_type); EQ(multifunction); EQ(is_bridge);
	EQ(hdr_mf_known); EQ(hdr_mf);
	EQ(secondary); EQ(subordinate); EQ(is_pcie); EQ(pcie_type);
	EQ(acs_known); EQ(acs_pos); EQ(acs_cap); EQ(acs_ctrl);
	EQ(acs_dword_layout);
	EQ(is_virtfn); EQ(physfn); EQ(has_sriov); EQ(ari);
	EQ(untrusted); EQ(external_facing);
	EQ(kernel_facts); EQ(dev_flags); EQ(has_alias_mask);
	EQ(kernel_verdict_known); EQ(kernel_isolated);
	EQ(kernel_verdict_origin); EQ(quirk_result_known); EQ(quirk_result);
	CHECK(!memcmp(a->alias_mask, b->alias_mask, sizeof(a->alias_mask)),
	      "%s: alias_mask differs", where);
	EQ(kernel_group); EQS(driver); EQ(driver_known);
	EQS(name); EQS(slot_name);
	EQ(slot_known); EQ(has_slot); EQS(board_slot); EQS(modules);
	EQ(boot_vga_known); EQ(boot_vga); EQS(host_use);
	EQ(parent); EQ(on_root_bus); EQ(order);
#undef EQ
#undef EQS
}

static void compare_machine(const struct ax_machine *a,
			    const struct ax_machine *b)
{
	size_t i;
	int k;

	CHECK(a->n == b->n, "device count %zu vs %zu", a->n, b->n);
	CHECK(a->source == b->source, "source differs");
	CHECK(!strcmp(a->source_name, b->source_name), "source_name differs");
	CHECK(!strcmp(a->kernel_release, b->kernel_release), "release differs");
	CHECK(!strcmp(a->cmdline, b->cmdline), "cmdline \"%s\" vs \"%s\"",
	      a->cmdline, b->cmdline);
	CHECK(a->iommu == b->iommu, "iommu differs");
	CHECK(!strcmp(a->iommu_driver, b->iommu_driver), "iommu_driver differs");
	CHECK(a->acs_requested == b->acs_requested, "acs_requested differs");
	CHECK(a->acs_requested_known == b->acs_requested_known,
	      "acs_requested_known differs");
	CHECK(a->kernel_groups_known == b->kernel_groups_known,
	      "kernel_groups_known differs");
	CHECK(a->module_facts == b->module_facts, "module_facts differs");
	CHECK(a->host_facts_known == b->host_facts_known,
	      "host_facts_known differs");
	CHECK(!strcmp(a->boot_loader, b->boot_loader), "boot_loader differs");
	CHECK(a->firmware == b->firmware &&
	      !strcmp(a->firmware_basis, b->firmware_basis),
	      "firmware differs");
	CHECK(a->n_notes == b->n_notes, "n_notes %d vs %d", a->n_notes,
	      b->n_notes);
	for (k = 0; k < a->n_notes && k < b->n_notes; k++)
		CHECK(!strcmp(a->notes[k], b->notes[k]), "note %d differs", k);
	for (i = 0; i < a->n && i < b->n; i++) {
		char where[32];

		snprintf(where, sizeof(where), "device %zu", i);
		compare_dev(&a->devs[i], &b->devs[i], where);
	}
}

static int load_text(const char *text, size_t len, char *err, size_t errlen)
{
	struct ax_machine m;
	int ret;

	ax_machine_init(&m);
	err[0] = '\0';
	ret = ax_snapshot_load(&m, text, len, err, errlen);
	ax_machine_free(&m);
	return ret;
}

/* Load the saved snapshot after edit() changed its parsed form. */
static int load_edited(const char *text, void (*edit)(json_object *root),
		       char *err, size_t errlen)
{
	json_object *root = json_tokener_parse(text);
	const char *s;
	int ret;

	edit(root);
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	ret = load_text(s, strlen(s), err, errlen);
	json_object_put(root);
	return ret;
}

static json_object *dev0(json_object *root)
{
	json_object *devs;

	json_object_object_get_ex(root, "devices", &devs);
	return json_object_array_get_idx(devs, 0);
}

static json_object *dev0_acs(json_object *root)
{
	json_object *acs;

	json_object_object_get_ex(dev0(root), "acs", &acs);
	return acs;
}

static void ed_newer(json_object *r)
{
	json_object_object_add(r, "version", json_object_new_int(3));
	json_object_object_add(r, "field_from_v3", json_object_new_int(1));
}

static void ed_version0(json_object *r)
{
	json_object_object_add(r, "version", json_object_new_int(0));
}

static void ed_version_str(json_object *r)
{
	json_object_object_add(r, "version", json_object_new_string("1"));
}

static void ed_format(json_object *r)
{
	json_object_object_add(r, "format", json_object_new_string("other"));
}

static void ed_unknown(json_object *r)
{
	json_object_object_add(dev0(r), "colour", json_object_new_string("red"));
}

static void ed_missing(json_object *r)
{
	json_object_object_del(dev0(r), "vendor");
}

static void ed_vendor5(json_object *r)
{
	json_object_object_add(dev0(r), "vendor", json_object_new_string("80861"));
}

static void ed_vendor_hexbad(json_object *r)
{
	json_object_object_add(dev0(r), "vendor", json_object_new_string("80g6"));
}

static void ed_rev256(json_object *r)
{
	json_object_object_add(dev0(r), "revision", json_object_new_int(256));
}

static void ed_rev_double(json_object *r)
{
	json_object_object_add(dev0(r), "revision", json_object_new_double(1.5));
}

static void ed_acs_off(json_object *r)
{
	json_object_object_add(dev0_acs(r), "offset", json_object_new_int(0x50));
}

static void ed_bool_int(json_object *r)
{
	json_object_object_add(dev0_acs(r), "known", json_object_new_int(1));
}

static void ed_addr(json_object *r)
{
	json_object_object_add(dev0(r), "address",
			       json_object_new_string("00:1c.0"));
}

static void ed_addr_range(json_object *r)
{
	json_object_object_add(dev0(r), "address",
			       json_object_new_string("0000:00:20.0"));
}

static void ed_dup(json_object *r)
{
	json_object *devs;

	json_object_object_get_ex(r, "devices", &devs);
	json_object_array_add(devs, json_object_get(dev0(r)));
}

static void ed_physfn(json_object *r)
{
	json_object_object_add(dev0(r), "physfn",
			       json_object_new_string("0000:7f:00.0"));
}

static void ed_group_str(json_object *r)
{
	json_object_object_add(dev0(r), "kernel_group",
			       json_object_new_string("seven"));
}

static void ed_group_neg(json_object *r)
{
	json_object_object_add(dev0(r), "kernel_group", json_object_new_int(-1));
}

static void ed_name_long(json_object *r)
{
	char s[300];

	memset(s, 'x', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	json_object_object_add(dev0(r), "name", json_object_new_string(s));
}

static void ed_mask_short(json_object *r)
{
	json_object *k;

	json_object_object_get_ex(dev0(r), "kernel", &k);
	json_object_object_add(k, "alias_mask", json_object_new_string("00ff"));
}

static void ed_iommu(json_object *r)
{
	json_object *mach;

	json_object_object_get_ex(r, "machine", &mach);
	json_object_object_add(mach, "iommu", json_object_new_string("guess"));
}

/* Fields version 2 dropped are unknown in it. */
static void ed_v1_field(json_object *r)
{
	json_object_object_add(dev0(r), "ats_enabled",
			       json_object_new_boolean(false));
}

/* Optional within version 1, required since version 2. */
static void ed_no_host_facts(json_object *r)
{
	json_object *mach;

	json_object_object_get_ex(r, "machine", &mach);
	json_object_object_del(mach, "host_facts_known");
	json_object_object_del(mach, "boot_loader");
}

static void ed_devs_obj(json_object *r)
{
	json_object_object_add(r, "devices", json_object_new_object());
}

static void ed_dev_flags_big(json_object *r)
{
	json_object *k;

	json_object_object_get_ex(dev0(r), "kernel", &k);
	json_object_object_add(k, "dev_flags",
			       json_object_new_int64(0x100000000LL));
}

static void ed_nine_notes(json_object *r)
{
	json_object *mach, *notes;
	int i;

	json_object_object_get_ex(r, "machine", &mach);
	notes = json_object_new_array();
	for (i = 0; i < 9; i++)
		json_object_array_add(notes, json_object_new_string("n"));
	json_object_object_add(mach, "notes", notes);
}

static void check_schema(int which, const char *text, const char *what);

static void test_roundtrip(void)
{
	char path[] = "/tmp/test_snapshot.XXXXXX";
	struct ax_machine a, b;
	char err[256];
	size_t len, cut;
	char *text;
	int fd, ret, bad_cuts = 0;
	static const struct {
		const char *what;
		void (*edit)(json_object *root);
	} bad[] = {
		{ "version 0", ed_version0 },
		{ "version as string", ed_version_str },
		{ "other format", ed_format },
		{ "unknown field", ed_unknown },
		{ "missing field", ed_missing },
		{ "vendor 5 digits", ed_vendor5 },
		{ "vendor not hex", ed_vendor_hexbad },
		{ "revision 256", ed_rev256 },
		{ "revision 1.5", ed_rev_double },
		{ "ACS offset in legacy space", ed_acs_off },
		{ "bool given as int", ed_bool_int },
		{ "address without domain", ed_addr },
		{ "address slot 0x20", ed_addr_range },
		{ "duplicate device", ed_dup },
		{ "physfn not in snapshot", ed_physfn },
		{ "kernel_group string", ed_group_str },
		{ "kernel_group -1", ed_group_neg },
		{ "name too long", ed_name_long },
		{ "alias mask short", ed_mask_short },
		{ "unknown iommu state", ed_iommu },
		{ "version 1 field in version 2", ed_v1_field },
		{ "version 2 without host facts", ed_no_host_facts },
		{ "devices not array", ed_devs_obj },
		{ "dev_flags > 32 bits", ed_dev_flags_big },
		{ "nine notes", ed_nine_notes },
		{ "newer version", ed_newer },
	};
	static const char *const garbage[] = {
		"", "   \n", "hello", "{", "{\"format\":", "[1,2,3]", "{}",
		"null", "\x7f" "ELF\x01\x02", "{\"format\":\"acsexplain-snapshot\"}",
		"{\"format\":\"acsexplain-snapshot\",\"version\":1} trailing",
		"{'format':'acsexplain-snapshot'}",
		"00: 86 80 04 2f 07 00 10 00 02 00 04 06 10 00 81 00\n",
	};
	size_t i;

	build_machine(&a);
	fd = mkstemp(path);
	CHECK(fd >= 0, "mkstemp: %s", strerror(errno));
	close(fd);
	ret = ax_snapshot_save(&a, path, err, sizeof(err));
	CHECK(ret == 0, "save: %d %s", ret, err);
	text = ax_read_file(path, &len, NULL, 0);
	CHECK(text, "read back %s", path);
	if (!text) {
		ax_machine_free(&a);
		return;
	}
	check_schema(1, text, "snapshot");
	CHECK(ax_snapshot_detect(text, len), "detect own snapshot");
	CHECK(!ax_snapshot_detect("00: 86 80", 9), "detect lspci dump as not JSON");
	CHECK(!ax_snapshot_detect("00:1c.0 PCI bridge", 18), "detect lspci text");

	ax_machine_init(&b);
	ret = ax_snapshot_load(&b, text, len, err, sizeof(err));
	CHECK(ret == 0, "load: %d %s", ret, err);
	/* sources give facts; the caller links once, keeping the saved
	 * probe order
	 */
	CHECK(ret == 0 && !ax_machine_link(&b, err, sizeof(err)),
	      "link the loaded machine: %s", err);
	if (ret == 0)
		compare_machine(&a, &b);

	/* saving the loaded machine gives the same bytes */
	{
		char path2[] = "/tmp/test_snapshot.XXXXXX";
		char *text2;
		size_t len2;

		fd = mkstemp(path2);
		close(fd);
		CHECK(ax_snapshot_save(&b, path2, err, sizeof(err)) == 0,
		      "second save: %s", err);
		text2 = ax_read_file(path2, &len2, NULL, 0);
		CHECK(text2 && len2 == len && !memcmp(text, text2, len),
		      "second save is byte-identical");
		free(text2);
		unlink(path2);
	}
	ax_machine_free(&b);

	/* every truncation must be refused, none may crash */
	for (cut = 0; cut + 1 < len; cut += 1 + cut / 40) {
		ret = load_text(text, cut, err, sizeof(err));
		if (ret != -1) {
			bad_cuts++;
			fprintf(stderr, "cut at %zu: %d\n", cut, ret);
		}
	}
	CHECK(bad_cuts == 0, "%d truncations accepted", bad_cuts);
	ret = load_text(text, len / 2, err, sizeof(err));
	CHECK(ret == -1 && strstr(err, "truncated") &&
	      strstr(err, "line "), "truncated message: \"%s\"", err);
	CHECK(!strchr(err, '\n'), "error is one line");

	for (i = 0; i < ARRAY_SIZE(garbage); i++) {
		ret = load_text(garbage[i], strlen(garbage[i]), err, sizeof(err));
		CHECK(ret == -1 && err[0] && !strchr(err, '\n'),
		      "garbage %zu refused: %d \"%s\"", i, ret, err);
	}
	ret = load_text("{\"a\": tru}", 10, err, sizeof(err));
	CHECK(ret == -1 && strstr(err, "line 1, column 10"),
	      "garbage position: \"%s\"", err);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = load_edited(text, bad[i].edit, err, sizeof(err));
		CHECK(ret == -1 && err[0] && !strchr(err, '\n'),
		      "%s: got %d \"%s\"", bad[i].what, ret, err);
	}
	ret = load_edited(text, ed_newer, err, sizeof(err));
	CHECK(!strcmp(err, "snapshot version 3 is newer than this acsexplain supports (2)"),
	      "newer message: \"%s\"", err);

	ret = ax_snapshot_save(&a, "/nonexistent-dir/snap.json", err, sizeof(err));
	CHECK(ret == -1 && strstr(err, "cannot write snapshot /nonexistent-dir/snap.json"),
	      "unwritable path: %d \"%s\"", ret, err);
	if (access("/dev/full", W_OK) == 0) {
		ret = ax_snapshot_save(&a, "/dev/full", err, sizeof(err));
		CHECK(ret == -1 && strstr(err, "cannot write snapshot /dev/full"),
		      "full disk: %d \"%s\"", ret, err);
	}

	free(text);
	unlink(path);
	ax_machine_free(&a);
}

/*
 * The snapshot must hold every fact: a field added to struct ax_dev or
 * struct ax_machine must be added to snapshot.c (and json-schema.md, and
 * build_machine() above) before these sizes are updated.  x86-64 sizes.
 */
static void test_model_unchanged(void)
{
	if (sizeof(void *) != 8)
		return;
	CHECK(sizeof(struct ax_dev) == 548,
	      "struct ax_dev is %zu bytes, snapshot.c knows 548: save the new field",
	      sizeof(struct ax_dev));
	CHECK(sizeof(struct ax_machine) == 3856,
	      "struct ax_machine is %zu bytes, snapshot.c knows 3856: save the new field",
	      sizeof(struct ax_machine));
}

/* ---- version 1 snapshots ---------------------------------------------- */

/* Save m to a temporary file and read the text back; NULL on failure. */
static char *save_text(const struct ax_machine *m, size_t *len)
{
	char path[] = "/tmp/test_snapshot.XXXXXX";
	char err[256], *text = NULL;
	int fd = mkstemp(path);

	if (fd < 0)
		return NULL;
	close(fd);
	if (ax_snapshot_save(m, path, err, sizeof(err)) == 0)
		text = ax_read_file(path, len, NULL, 0);
	else
		fprintf(stderr, "save: %s\n", err);
	unlink(path);
	return text;
}

/* A version 2 document as version 1 wrote it: the fields version 2
 * dropped back in, with values the reader must check and then ignore.
 */
static void ed_make_v1(json_object *r)
{
	json_object *devs, *acs;
	size_t i;

	json_object_object_add(r, "version", json_object_new_int(1));
	json_object_object_get_ex(r, "devices", &devs);
	for (i = 0; i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i);

		json_object_object_add(d, "ats_enabled",
				       json_object_new_boolean(i == 0));
		json_object_object_add(d, "domain_type",
				       json_object_new_string("DMA"));
		json_object_object_get_ex(d, "acs", &acs);
		json_object_object_add(acs, "egress_bits",
				       json_object_new_int(7));
		json_object_object_add(acs, "origin",
				       json_object_new_string("config"));
	}
}

/* Version 1 stays as strict as it was: its own fields are checked. */
static void ed_v1_bad_origin(json_object *r)
{
	ed_make_v1(r);
	json_object_object_add(dev0_acs(r), "origin",
			       json_object_new_string("guess"));
}

static void ed_v1_missing(json_object *r)
{
	ed_make_v1(r);
	json_object_object_del(dev0(r), "domain_type");
}

/* Within version 1 the 0.2 host facts were optional. */
static void ed_v1_no_host_facts(json_object *r)
{
	ed_make_v1(r);
	ed_no_host_facts(r);
}

/* Load text as a machine (linked); false with a message on failure. */
static bool load_linked(struct ax_machine *m, const char *text, size_t len,
			const char *what)
{
	char err[256];
	int ret;

	ax_machine_init(m);
	ret = ax_snapshot_load(m, text, len, err, sizeof(err));
	CHECK(ret == 0 && !ax_machine_link(m, err, sizeof(err)),
	      "%s: %d %s", what, ret, err);
	return ret == 0;
}

static void test_v1(void)
{
	static const char *const fixtures[] = {
		/* saved by 0.1 on the VM bed: kernel verdicts, no host facts */
		"tests/user/fixtures/snapshot-v1/mf-noacs-6.12.json",
		/* the first 0.1 layout: neither verdicts nor host facts */
		"tests/user/fixtures/snapshot-v1/sriov-nvme-6.1.json",
	};
	struct ax_machine a, b, c;
	char err[256], *v2, *text;
	const char *s;
	json_object *root;
	size_t len, len2, i;
	int ret;

	/* every fact of a version 2 snapshot survives version 1 */
	build_machine(&a);
	v2 = save_text(&a, &len);
	CHECK(v2 && strstr(v2, "\"version\":2"), "saved as version 2");
	if (!v2) {
		ax_machine_free(&a);
		return;
	}
	root = json_tokener_parse(v2);
	ed_make_v1(root);
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	if (load_linked(&b, s, strlen(s), "version 1 of build_machine()")) {
		compare_machine(&a, &b);
		text = save_text(&b, &len2);
		CHECK(text && len2 == len && !memcmp(text, v2, len),
		      "a version 1 snapshot saves as the same version 2 bytes");
		free(text);
	}
	ax_machine_free(&b);
	json_object_put(root);

	ret = load_edited(v2, ed_v1_bad_origin, err, sizeof(err));
	CHECK(ret == -1 && strstr(err, "origin"),
	      "version 1 with an unknown origin: %d \"%s\"", ret, err);
	ret = load_edited(v2, ed_v1_missing, err, sizeof(err));
	CHECK(ret == -1 && strstr(err, "domain_type"),
	      "version 1 without domain_type: %d \"%s\"", ret, err);
	ret = load_edited(v2, ed_v1_no_host_facts, err, sizeof(err));
	CHECK(ret == 0, "version 1 without host facts: %d \"%s\"",
	      ret, err);
	free(v2);
	ax_machine_free(&a);

	/* the committed version 1 files load, and save as version 2 with
	 * the same facts
	 */
	for (i = 0; i < ARRAY_SIZE(fixtures); i++) {
		text = ax_read_file(fixtures[i], &len, NULL, 0);
		CHECK(text && strstr(text, "\"version\":1"), "%s: version 1",
		      fixtures[i]);
		if (!text)
			continue;
		if (load_linked(&b, text, len, fixtures[i])) {
			CHECK(b.n > 5 && b.module_facts, "%s: %zu devices",
			      fixtures[i], b.n);
			v2 = save_text(&b, &len2);
			CHECK(v2 && strstr(v2, "\"version\":2") &&
			      !strstr(v2, "ats_enabled") &&
			      !strstr(v2, "egress_bits"),
			      "%s saved as version 2", fixtures[i]);
			if (v2) {
				check_schema(1, v2, fixtures[i]);
				if (load_linked(&c, v2, len2, "its version 2"))
					compare_machine(&b, &c);
				ax_machine_free(&c);
			}
			free(v2);
		}
		ax_machine_free(&b);
		free(text);
	}
}

/* An empty machine round-trips too. */
static void test_empty(void)
{
	struct ax_machine a, b;
	char path[] = "/tmp/test_snapshot.XXXXXX";
	char err[256];
	size_t len;
	char *text;
	int fd;

	ax_machine_init(&a);
	fd = mkstemp(path);
	close(fd);
	CHECK(ax_snapshot_save(&a, path, err, sizeof(err)) == 0,
	      "save empty: %s", err);
	text = ax_read_file(path, &len, NULL, 0);
	ax_machine_init(&b);
	CHECK(text && ax_snapshot_load(&b, text, len, err, sizeof(err)) ==
	      0 && !ax_machine_link(&b, err, sizeof(err)),
	      "load empty: %s", err);
	compare_machine(&a, &b);
	if (text)
		check_schema(1, text, "empty snapshot");
	ax_machine_free(&b);
	ax_machine_free(&a);
	free(text);
	unlink(path);
}

/* ---- the documented schemas ------------------------------------------ */

/*
 * Documentation/json-schema.md carries a JSON Schema for the --json result
 * and one for the snapshot.  Output is checked against them with the
 * subset of JSON Schema they use (type, enum, const, pattern, minimum,
 * maximum, maxLength, maxItems, properties, required,
 * additionalProperties: false, items, oneOf, $ref), so the document cannot
 * drift from the code unnoticed.
 */
static json_object *schemas[2];	/* result, snapshot */

static bool type_ok(json_object *v, const char *t)
{
	enum json_type jt = json_object_get_type(v);

	if (!strcmp(t, "null"))
		return jt == json_type_null;
	if (!strcmp(t, "boolean"))
		return jt == json_type_boolean;
	if (!strcmp(t, "integer"))
		return jt == json_type_int;
	if (!strcmp(t, "string"))
		return jt == json_type_string;
	if (!strcmp(t, "object"))
		return jt == json_type_object;
	if (!strcmp(t, "array"))
		return jt == json_type_array;
	return false;
}

static bool json_equal(json_object *a, json_object *b)
{
	return json_object_equal(a, b) != 0;
}

static bool validate(json_object *root, json_object *sch, json_object *v,
		     char *where, size_t wl)
{
	json_object *x, *props;
	size_t i, len = strlen(where);
	bool ok = true;

	if (json_object_object_get_ex(sch, "$ref", &x)) {
		/* "#/$defs/name" */
		const char *ref = json_object_get_string(x);
		json_object *defs;

		if (strncmp(ref, "#/$defs/", 8) ||
		    !json_object_object_get_ex(root, "$defs", &defs) ||
		    !json_object_object_get_ex(defs, ref + 8, &x)) {
			snprintf(where + len, wl - len, ": bad $ref %s", ref);
			return false;
		}
		return validate(root, x, v, where, wl);
	}
	if (json_object_object_get_ex(sch, "oneOf", &x)) {
		int n = 0;

		for (i = 0; i < json_object_array_length(x); i++) {
			char tmp[256];

			snprintf(tmp, sizeof(tmp), "%s", where);
			n += validate(root, json_object_array_get_idx(x, i), v,
				      tmp, sizeof(tmp));
		}
		if (n != 1) {
			snprintf(where + len, wl - len, ": %d oneOf branches match", n);
			return false;
		}
	}
	if (json_object_object_get_ex(sch, "type", &x)) {
		bool any = false;

		if (json_object_is_type(x, json_type_string))
			any = type_ok(v, json_object_get_string(x));
		for (i = 0; !any && json_object_is_type(x, json_type_array) &&
		     i < json_object_array_length(x); i++)
			any = type_ok(v, json_object_get_string(
				json_object_array_get_idx(x, i)));
		if (!any) {
			snprintf(where + len, wl - len, ": wrong type %s",
				 json_type_to_name(json_object_get_type(v)));
			return false;
		}
	}
	if (json_object_object_get_ex(sch, "const", &x) && !json_equal(x, v)) {
		snprintf(where + len, wl - len, ": not the const value");
		return false;
	}
	if (json_object_object_get_ex(sch, "enum", &x)) {
		bool any = false;

		for (i = 0; !any && i < json_object_array_length(x); i++)
			any = json_equal(json_object_array_get_idx(x, i), v);
		if (!any) {
			snprintf(where + len, wl - len, ": %s not in enum",
				 json_object_to_json_string(v));
			return false;
		}
	}
	if (json_object_is_type(v, json_type_int)) {
		if (json_object_object_get_ex(sch, "minimum", &x) &&
		    json_object_get_int64(v) < json_object_get_int64(x))
			ok = false;
		if (json_object_object_get_ex(sch, "maximum", &x) &&
		    json_object_get_int64(v) > json_object_get_int64(x))
			ok = false;
		if (!ok) {
			snprintf(where + len, wl - len, ": %s out of range",
				 json_object_to_json_string(v));
			return false;
		}
	}
	if (json_object_is_type(v, json_type_string)) {
		if (json_object_object_get_ex(sch, "maxLength", &x) &&
		    json_object_get_string_len(v) > json_object_get_int(x)) {
			snprintf(where + len, wl - len, ": string too long");
			return false;
		}
		if (json_object_object_get_ex(sch, "pattern", &x)) {
			regex_t re;
			int r = regcomp(&re, json_object_get_string(x),
					REG_EXTENDED | REG_NOSUB);

			if (!r) {
				r = regexec(&re, json_object_get_string(v), 0,
					    NULL, 0);
				regfree(&re);
			}
			if (r) {
				snprintf(where + len, wl - len,
					 ": \"%s\" does not match %s",
					 json_object_get_string(v),
					 json_object_get_string(x));
				return false;
			}
		}
	}
	if (json_object_is_type(v, json_type_array)) {
		if (json_object_object_get_ex(sch, "maxItems", &x) &&
		    json_object_array_length(v) > (size_t)json_object_get_int(x)) {
			snprintf(where + len, wl - len, ": too many items");
			return false;
		}
		if (json_object_object_get_ex(sch, "items", &x))
			for (i = 0; ok && i < json_object_array_length(v); i++) {
				snprintf(where + len, wl - len, "[%zu]", i);
				ok = validate(root, x, json_object_array_get_idx(v, i),
					      where, wl);
			}
		if (!ok)
			return false;
		where[len] = '\0';
	}
	if (!json_object_is_type(v, json_type_object))
		return true;
	if (json_object_object_get_ex(sch, "required", &x))
		for (i = 0; i < json_object_array_length(x); i++) {
			const char *k = json_object_get_string(
				json_object_array_get_idx(x, i));

			if (!json_object_object_get_ex(v, k, NULL)) {
				snprintf(where + len, wl - len,
					 ": required \"%s\" missing", k);
				return false;
			}
		}
	if (!json_object_object_get_ex(sch, "properties", &props))
		return true;
	/* every field printed must be documented, in both schemas */
	json_object_object_foreach(v, key, val) {
		json_object *ps;

		snprintf(where + len, wl - len, ".%s", key);
		if (!json_object_object_get_ex(props, key, &ps)) {
			snprintf(where + strlen(where), wl - strlen(where),
				 ": not in the schema");
			return false;
		}
		if (!validate(root, ps, val, where, wl))
			return false;
	}
	where[len] = '\0';
	return true;
}

/* Returns the JSON text of the n-th ```json block of the document. */
static json_object *schema_block(const char *doc, int n)
{
	const char *p = doc, *end;
	char *text;
	json_object *o;

	while (n-- >= 0) {
		p = strstr(p, "```json\n");
		if (!p)
			return NULL;
		p += 8;
	}
	end = strstr(p, "```");
	if (!end)
		return NULL;
	text = strndup(p, (size_t)(end - p));
	o = text ? json_tokener_parse(text) : NULL;
	free(text);
	return o;
}

static void load_schemas(void)
{
	const char *path = getenv("AX_SCHEMA_DOC");
	size_t len;
	char *doc;

	if (!path)
		path = "Documentation/json-schema.md";
	doc = ax_read_file(path, &len, NULL, 0);
	CHECK(doc, "cannot read %s (run from the top of the tree)", path);
	if (!doc)
		return;
	/* blocks: 0 example, 1 result schema, 2 snapshot schema */
	schemas[0] = schema_block(doc, 1);
	schemas[1] = schema_block(doc, 2);
	CHECK(schemas[0] && schemas[1], "%s: two JSON Schema blocks", path);
	if (schemas[0]) {
		json_object *ex = schema_block(doc, 0);
		char where[256] = "example";

		CHECK(ex && validate(schemas[0], schemas[0], ex, where,
				     sizeof(where)), "doc example: %s", where);
		json_object_put(ex);
	}
	free(doc);
}

static void check_schema(int which, const char *text, const char *what)
{
	json_object *v = json_tokener_parse(text);
	char where[256];

	if (!schemas[which])
		return;
	snprintf(where, sizeof(where), "%s", what);
	CHECK(v && validate(schemas[which], schemas[which], v, where,
			    sizeof(where)), "schema: %s", where);
	json_object_put(v);
}

/* ---- --json output ---------------------------------------------------- */

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		CHECK(0, "JSON field \"%s\" missing", key);
	return v;
}

static const char *get_s(json_object *o, const char *key)
{
	json_object *v = get(o, key);

	return json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static bool streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Hand-made result for build_machine(): root port + USP share group 0,
 * DSP alone in 1, conventional device 2, PF and VFs 3.
 */
struct fake {
	struct ax_result res;
	struct ax_group groups[4];
	int members[4][4];
	struct ax_dev_result dev[16];
	struct ax_reason r_usp[2];
};

static int idx_of(const struct ax_machine *m, unsigned int dom,
		  unsigned int bus, unsigned int dev, unsigned int fn)
{
	return ax_machine_find(m, A(dom, bus, dev, fn));
}

static void build_result(struct ax_machine *m, struct fake *f)
{
	int rp = idx_of(m, 0, 0, 0x1c, 0), usp = idx_of(m, 0, 1, 0, 0);
	int dsp = idx_of(m, 0, 2, 1, 0), conv = idx_of(m, 0, 3, 0, 0);
	int pf = idx_of(m, 0x10, 0x3b, 0, 0);
	int vf1 = idx_of(m, 0x10, 0x3b, 0, 1), vf2 = idx_of(m, 0x10, 0x3b, 0, 2);
	size_t i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < m->n; i++) {
		f->dev[i].culprit = -1;
		f->dev[i].group = AX_GROUP_NONE;
	}
	f->members[0][0] = rp;
	f->members[0][1] = usp;
	f->groups[0] = (struct ax_group){ 0, f->members[0], 2, 0 };
	f->members[1][0] = dsp;
	f->groups[1] = (struct ax_group){ 1, f->members[1], 1, 5 };
	f->members[2][0] = conv;
	f->groups[2] = (struct ax_group){ 2, f->members[2], 1, 2147483647 };
	f->members[3][0] = pf;
	f->members[3][1] = vf1;
	f->members[3][2] = vf2;
	f->groups[3] = (struct ax_group){ 3, f->members[3], 3, AX_GROUP_UNKNOWN };
	f->dev[rp].group = 0;
	f->dev[usp].group = 0;
	f->dev[dsp].group = 1;
	f->dev[conv].group = 2;
	f->dev[pf].group = f->dev[vf1].group = f->dev[vf2].group = 3;

	f->r_usp[0] = (struct ax_reason){ AX_R_ROOT_PORT_NO_ACS, rp, 0,
		"root port 0000:00:1c.0 has ACS but its controls are off" };
	f->r_usp[1] = (struct ax_reason){ AX_R_ACS_CONTROLS_OFF, rp,
		AX_KVER(6, 12), "changes in 6.12 \"quoted\" / slash" };
	f->dev[usp].reasons = f->r_usp;
	f->dev[usp].n_reasons = 2;
	f->dev[usp].culprit = rp;
	f->dev[rp].acs = (struct ax_acs_verdict){ false, AX_ACS_BY_REGISTERS, -1,
		AX_ACS_SV | AX_ACS_RR, false, "controls off" };
	f->dev[dsp].acs = (struct ax_acs_verdict){ true, AX_ACS_BY_REGISTERS, -1,
		0, false, "SV RR CR UF on" };
	f->dev[conv].acs = (struct ax_acs_verdict){ false, AX_ACS_BY_UNKNOWN, -1,
		0, false, "" };
	f->res.groups = f->groups;
	f->res.n_groups = 4;
	f->res.dev = f->dev;
	f->res.n_devs = (int)m->n;
	snprintf(f->res.mismatch_cause, sizeof(f->res.mismatch_cause),
		 "pcie_acs_override= on the command line");
}

/*
 * The analysis the renderers print, around the hand-made result: the
 * devices sel[0..n_sel) asked about (sel NULL: --all), compared with the
 * kernel's groups as they are in m now.
 */
static void make_analysis(const struct ax_machine *m, struct ax_result *res,
			  const int *sel, int n_sel, struct ax_analysis *a)
{
	int k;

	memset(a, 0, sizeof(*a));
	a->m = m;
	ax_compare_kernel(m, res);
	a->res = *res;
	a->all = !sel;
	a->listed = calloc(m->n + 1, sizeof(bool));
	a->sel = calloc((size_t)n_sel + 1, sizeof(*a->sel));
	ax_profile_init(&a->profile);
	for (k = 0; sel && k < n_sel; k++)
		a->sel[a->n_sel++].dev = sel[k];
	ax_mark_listed(res, sel, n_sel, a->listed);
	/* the advice on the hand-made result, as ax_analyse() makes it */
	if (ax_advise(m, &a->profile, &a->res, a->listed, NULL, &a->advice))
		abort();
}

/* The parts make_analysis() allocated (the result is the test's own). */
static void drop_analysis(struct ax_analysis *a)
{
	ax_advice_free(&a->advice);
	free(a->listed);
	free(a->sel);
}

static int json_print(FILE *f, const struct ax_machine *m,
		      struct ax_result *res, const int *sel, int n_sel,
		      bool pretty)
{
	struct ax_render_opts ro = { .pretty = pretty };
	struct ax_analysis a;
	int ret;

	make_analysis(m, res, sel, n_sel, &a);
	ret = ax_render_json(f, &a, &ro);
	drop_analysis(&a);
	return ret;
}

static json_object *print_parse(const struct ax_machine *m,
				struct ax_result *res, const int *sel,
				int n_sel, bool pretty, char **textp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_tokener *tok;
	json_object *root;
	int ret;

	ret = json_print(f, m, res, sel, n_sel, pretty);
	fclose(f);
	CHECK(ret == 0, "ax_render_json returned %d", ret);
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_ALLOW_TRAILING_CHARS);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	CHECK(root && json_object_is_type(root, json_type_object),
	      "--json output parses: %s", json_tokener_error_desc(
		      json_tokener_get_error(tok)));
	json_tokener_free(tok);
	if (textp)
		*textp = buf;
	else
		free(buf);
	return root;
}

static json_object *find_dev(json_object *devs, const char *addr)
{
	size_t i;

	for (i = 0; i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i);

		if (streq(get_s(d, "address"), addr))
			return d;
	}
	return NULL;
}

static void test_json(void)
{
	struct ax_machine m;
	struct fake *f = calloc(1, sizeof(*f));
	json_object *root, *devs, *d, *acs, *rs, *r, *groups, *cmp, *mis, *v;
	const char *const pretty_key = "\n  \"schema\": \"acsexplain/2\"";
	char *text;
	int sel, i;
	size_t k;

	build_machine(&m);
	build_result(&m, f);

	root = print_parse(&m, &f->res, NULL, 0, false, &text);
	CHECK(!strchr(text, '\n') || strchr(text, '\n') == text + strlen(text) - 1,
	      "plain output is one line");
	CHECK(strstr(text, "\"acsexplain/2\""), "slash not escaped");
	check_schema(0, text, "--all");
	free(text);
	CHECK(streq(get_s(root, "schema"), "acsexplain/2"), "schema");
	CHECK(streq(get_s(root, "tool_version"), ACSEXPLAIN_VERSION),
	      "tool_version");
	CHECK(streq(get_s(root, "scope"), "all"), "scope all");
	CHECK(!get(root, "what_if"), "what_if null for the real machine");
	CHECK(!get(root, "selected"), "selected null for --all");
	v = get(root, "source");
	CHECK(streq(get_s(v, "kind"), "netlink"), "source.kind");
	CHECK(streq(get_s(v, "name"), "netlink"), "source.name");
	CHECK(json_object_get_boolean(get(v, "module")), "source.module");
	v = get(root, "kernel");
	CHECK(streq(get_s(v, "release"), "6.12.117+deb12-amd64"), "release");
	CHECK(streq(get_s(v, "cmdline"), m.cmdline), "cmdline survives escaping");
	CHECK(streq(get_s(v, "iommu"), "on"), "iommu on");
	CHECK(json_object_is_type(get(v, "acs_requested"), json_type_boolean) &&
	      json_object_get_boolean(get(v, "acs_requested")), "acs_requested");

	devs = get(root, "devices");
	CHECK(json_object_array_length(devs) == m.n, "--all lists %zu devices",
	      m.n);
	for (k = 0; k < json_object_array_length(devs); k++) {
		static const char *const keys[] = {
			"address", "vendor_id", "device_id", "name", "type",
			"kernel_group", "predicted_group", "acs", "driver",
			"reasons", "class", "parent", "physfn", "culprit",
		};
		size_t j;

		d = json_object_array_get_idx(devs, k);
		for (j = 0; j < ARRAY_SIZE(keys); j++)
			CHECK(json_object_object_get_ex(d, keys[j], NULL),
			      "device %zu has \"%s\"", k, keys[j]);
		CHECK(json_object_is_type(get(d, "predicted_group"), json_type_int),
		      "predicted_group is a number");
		CHECK(json_object_is_type(get(d, "reasons"), json_type_array),
		      "reasons is an array");
		CHECK(streq(get_s(d, "type"), ax_pcie_type_name(&m.devs[k])),
		      "type of device %zu", k);
	}

	d = find_dev(devs, "0000:01:00.0");
	CHECK(d, "USP listed");
	if (d) {
		CHECK(streq(get_s(d, "vendor_id"), "10b5") &&
		      streq(get_s(d, "device_id"), "8747"), "ids");
		CHECK(json_object_get_int(get(d, "kernel_group")) == 0 &&
		      json_object_get_int(get(d, "predicted_group")) == 0,
		      "groups of USP");
		CHECK(streq(get_s(d, "parent"), "0000:00:1c.0"), "parent");
		CHECK(streq(get_s(d, "culprit"), "0000:00:1c.0"), "culprit");
		rs = get(d, "reasons");
		CHECK(json_object_array_length(rs) == 2, "two reasons");
		r = json_object_array_get_idx(rs, 0);
		CHECK(streq(get_s(r, "code"), "root_port_no_acs"), "reason code: %s",
		      get_s(r, "code"));
		CHECK(streq(get_s(r, "at"), "0000:00:1c.0"), "reason at");
		CHECK(streq(get_s(r, "text"), f->r_usp[0].text), "reason text");
		CHECK(!get(r, "release_dep"), "no release_dep");
		r = json_object_array_get_idx(rs, 1);
		CHECK(streq(get_s(r, "code"), ax_reason_code_name(AX_R_ACS_CONTROLS_OFF)),
		      "second code");
		CHECK(streq(get_s(r, "release_dep"), "6.12"), "release_dep 6.12");
		CHECK(streq(get_s(r, "text"), f->r_usp[1].text), "quoted text");
	}
	d = find_dev(devs, "0000:00:1c.0");
	acs = d ? get(d, "acs") : NULL;
	CHECK(acs, "root port acs object");
	if (acs) {
		CHECK(json_object_get_boolean(get(acs, "known")), "acs.known");
		CHECK(json_object_get_int(get(acs, "offset")) == 0x140, "acs.offset");
		CHECK(json_object_get_int(get(acs, "cap")) == 0xf, "acs.cap");
		CHECK(json_object_is_type(get(acs, "ctrl"), json_type_int) &&
		      json_object_get_int(get(acs, "ctrl")) == 0, "acs.ctrl 0");
		CHECK(json_object_get_boolean(get(acs, "dword_layout")),
		      "dword_layout");
		CHECK(json_object_is_type(get(acs, "isolated"), json_type_boolean) &&
		      !json_object_get_boolean(get(acs, "isolated")), "not isolated");
		CHECK(streq(get_s(acs, "basis"), "registers"), "basis");
		v = get(acs, "missing");
		CHECK(json_object_array_length(v) == 2 &&
		      streq(json_object_get_string(json_object_array_get_idx(v, 0)), "SV") &&
		      streq(json_object_get_string(json_object_array_get_idx(v, 1)), "RR"),
		      "missing SV RR");
		CHECK(streq(get_s(d, "driver"), "pcieport"), "driver");
	}
	d = find_dev(devs, "0000:03:00.0");
	acs = d ? get(d, "acs") : NULL;
	CHECK(acs && !json_object_get_boolean(get(acs, "known")) &&
	      !get(acs, "offset") && !get(acs, "cap"),
	      "unknown ACS gives nulls");
	CHECK(d && !get(d, "driver"), "unknown driver is null");
	d = find_dev(devs, "0010:3b:00.2");
	CHECK(d && streq(get_s(d, "physfn"), "0010:3b:00.0"), "VF physfn");
	CHECK(d && !get(d, "kernel_group"), "unknown kernel group null");
	d = find_dev(devs, "0010:3b:00.0");
	CHECK(d && !get(d, "kernel_group"), "no kernel group null");

	groups = get(root, "groups");
	CHECK(json_object_array_length(groups) == 4, "four groups");
	v = json_object_array_get_idx(groups, 3);
	CHECK(v && json_object_get_int(get(v, "id")) == 3 &&
	      json_object_array_length(get(v, "members")) == 3 &&
	      streq(json_object_get_string(json_object_array_get_idx(
		      get(v, "members"), 1)), "0010:3b:00.1"), "group 3 members");
	CHECK(v && !get(v, "kernel_group"), "group 3 kernel_group null");
	v = json_object_array_get_idx(groups, 1);
	CHECK(v && json_object_get_int(get(v, "kernel_group")) == 5,
	      "group 1 kernel_group 5");

	/* the kernel groups: rp+usp 0, dsp 5, conv max, PF none, VFs unknown:
	 * the PF has no kernel group but a predicted one; the VFs are not
	 * compared
	 */
	cmp = get(root, "comparison");
	CHECK(json_object_get_boolean(get(cmp, "kernel_groups_known")),
	      "kernel groups known");
	CHECK(json_object_is_type(get(cmp, "matches"), json_type_boolean) &&
	      !json_object_get_boolean(get(cmp, "matches")), "matches false");
	CHECK(streq(get_s(cmp, "cause"), f->res.mismatch_cause), "cause");
	mis = get(cmp, "mismatched_devices");
	CHECK(json_object_array_length(mis) == 1 &&
	      streq(json_object_get_string(json_object_array_get_idx(mis, 0)),
		    "0010:3b:00.0"), "one mismatched device: %zu",
	      json_object_array_length(mis));
	json_object_put(root);

	/* kernel splits rp and usp: both now mismatch */
	m.devs[idx_of(&m, 0, 1, 0, 0)].kernel_group = 9;
	root = print_parse(&m, &f->res, NULL, 0, false, NULL);
	mis = get(get(root, "comparison"), "mismatched_devices");
	CHECK(json_object_array_length(mis) == 3 &&
	      streq(json_object_get_string(json_object_array_get_idx(mis, 0)),
		    "0000:00:1c.0"), "split group detected: %zu",
	      json_object_array_length(mis));
	json_object_put(root);
	/* kernel merges dsp into group 0: the rp/usp group is too small now */
	m.devs[idx_of(&m, 0, 1, 0, 0)].kernel_group = 0;
	m.devs[idx_of(&m, 0, 2, 1, 0)].kernel_group = 0;
	root = print_parse(&m, &f->res, NULL, 0, false, NULL);
	mis = get(get(root, "comparison"), "mismatched_devices");
	CHECK(json_object_array_length(mis) == 4, "merged group detected: %zu",
	      json_object_array_length(mis));
	json_object_put(root);
	m.devs[idx_of(&m, 0, 2, 1, 0)].kernel_group = 5;

	/* one device: its group, and only it */
	sel = idx_of(&m, 0x10, 0x3b, 0, 2);
	root = print_parse(&m, &f->res, &sel, 1, true, &text);
	CHECK(strstr(text, pretty_key), "pretty output indented");
	check_schema(0, text, "one device");
	free(text);
	CHECK(streq(get_s(root, "scope"), "group"), "scope group");
	v = get(root, "selected");
	CHECK(json_object_array_length(v) == 1 &&
	      streq(json_object_get_string(json_object_array_get_idx(v, 0)),
		    "0010:3b:00.2"), "selected device");
	devs = get(root, "devices");
	CHECK(json_object_array_length(devs) == 3, "one VF lists its 3 group members");
	for (i = 0; i < 3; i++)
		CHECK(find_dev(devs, i == 0 ? "0010:3b:00.0" : i == 1 ?
			       "0010:3b:00.1" : "0010:3b:00.2"), "member %d", i);
	CHECK(json_object_array_length(get(root, "groups")) == 1, "one group");
	json_object_put(root);

	/* the PF's group predicted as none too: everything matches */
	f->dev[idx_of(&m, 0x10, 0x3b, 0, 0)].group = AX_GROUP_NONE;
	root = print_parse(&m, &f->res, NULL, 0, false, NULL);
	mis = get(get(root, "comparison"), "mismatched_devices");
	CHECK(json_object_array_length(mis) == 0, "none vs none matches: %zu",
	      json_object_array_length(mis));
	json_object_put(root);
	f->dev[idx_of(&m, 0x10, 0x3b, 0, 0)].group = 3;

	/* IOMMU off: the kernel's "groups" are not compared */
	m.iommu = AX_IOMMU_OFF;
	root = print_parse(&m, &f->res, NULL, 0, false, NULL);
	cmp = get(root, "comparison");
	CHECK(!get(cmp, "matches") && !get(cmp, "cause") &&
	      json_object_array_length(get(cmp, "mismatched_devices")) == 0,
	      "IOMMU off: matches null");
	json_object_put(root);

	/* no kernel groups: comparison says so */
	m.kernel_groups_known = false;
	m.acs_requested_known = false;
	m.iommu = AX_IOMMU_OFF;
	root = print_parse(&m, &f->res, NULL, 0, false, &text);
	check_schema(0, text, "no kernel groups");
	free(text);
	cmp = get(root, "comparison");
	CHECK(!get(cmp, "matches") &&
	      json_object_array_length(get(cmp, "mismatched_devices")) == 0,
	      "unknown kernel groups: matches null");
	CHECK(!get(get(root, "kernel"), "acs_requested"),
	      "acs_requested null when unknown");
	CHECK(streq(get_s(get(root, "kernel"), "iommu"), "off"), "iommu off");
	json_object_put(root);

	/* a hypothetical machine says so, apart from the real one */
	{
		struct ax_render_opts ro = { 0 };
		struct ax_whatif w;
		struct ax_analysis a;
		char *buf = NULL;
		size_t len = 0;
		FILE *mf = open_memstream(&buf, &len);
		int ret;

		memset(&w, 0, sizeof(w));
		snprintf(w.what, sizeof(w.what), "acs-override=downstream");
		ax_machine_copy(&w.machine, &m);
		w.res = f->res;
		w.listed = calloc(m.n + 1, sizeof(bool));
		ax_mark_listed(&w.res, NULL, 0, w.listed);
		make_analysis(&m, &f->res, NULL, 0, &a);
		if (ax_advise(&w.machine, &a.profile, &w.res, w.listed,
			      &f->res, &w.advice))
			abort();
		a.what_if = &w;
		ret = ax_render_json(mf, &a, &ro);
		fclose(mf);
		root = json_tokener_parse(buf);
		CHECK(ret == 0 && root &&
		      streq(get_s(get(root, "what_if"), "scenarios"),
			    "acs-override=downstream"),
		      "what_if printed");
		check_schema(0, buf, "what-if");
		json_object_put(root);
		free(buf);
		drop_analysis(&a);
		ax_advice_free(&w.advice);
		free(w.listed);
		ax_machine_free(&w.machine);
	}

	/* a write error is reported */
	if (access("/dev/full", W_OK) == 0) {
		FILE *full = fopen("/dev/full", "w");

		CHECK(full && json_print(full, &m, &f->res, NULL, 0, false) == -1,
		      "write error reported");
		if (full)
			fclose(full);
	}
	free(f);
	ax_machine_free(&m);
}

/* Every reason code is explained in the man page and in
 * Documentation/reasons.md.
 */
static void test_vocabulary_documented(void)
{
	const char *man_path = "Documentation/acsexplain.8";
	const char *md_path = "Documentation/reasons.md";
	size_t len;
	char *man = ax_read_file(man_path, &len, NULL, 0);
	char *md = ax_read_file(md_path, &len, NULL, 0);
	char want[64];
	int c;

	CHECK(man && md, "cannot read %s / %s", man_path, md_path);
	for (c = 0; man && md && c < AX_R__COUNT; c++) {
		const char *name = ax_reason_code_name((enum ax_reason_code)c);

		snprintf(want, sizeof(want), "\n.B %s\n", name);
		CHECK(strstr(man, want), "reason %s not in %s REASONS", name,
		      man_path);
		snprintf(want, sizeof(want), "| `%s` |", name);
		CHECK(strstr(md, want), "reason %s not in %s", name, md_path);
	}
	free(man);
	free(md);
}

/* --validate-quirk --json: the quirk_validation member, with and without
 * a patch, on the multifunction e1000e capture of the VM bed.
 */
static void test_quirklab_json(void)
{
	const char *path = "tests/user/fixtures/vm/mf-noacs-6.12/snapshot-module.json";
	struct ax_qpatch qp = { .file = "x.patch", .tree = "linux-7.2",
				.version = "7.2.13", .line = 5151,
				.entry = "{ PCI_VENDOR_ID_INTEL, 0x10d3, pci_quirk_mf_endpoint_acs },",
				.subject = "PCI: Add ACS quirk for Intel 82574L" };
	struct ax_request rq = { .validate = true, .quirk_vendor = 0x8086,
				 .quirk_device = 0x10d3 };
	struct ax_render_opts ro = { 0 };
	struct ax_machine m;
	struct ax_analysis a;
	char err[256], *doc;
	size_t len;
	int k;

	doc = ax_read_file(path, &len, NULL, 0);
	CHECK(doc, "cannot read %s", path);
	if (!doc)
		return;
	ax_machine_init(&m);
	CHECK(!ax_snapshot_load(&m, doc, len, err, sizeof(err)) &&
	      !ax_machine_link(&m, err, sizeof(err)), "load %s", path);
	CHECK(!ax_analyse(&m, &rq, &a, err, sizeof(err)) && a.quirk,
	      "analyse: %s", err);
	if (!a.quirk) {
		ax_machine_free(&m);
		free(doc);
		return;
	}
	CHECK(a.quirk->status == AX_QL_FITS && a.quirk->n_changes == 1 &&
	      a.quirk->changes[0].n_before == 1 &&
	      a.quirk->changes[0].n_after == 2,
	      "the e1000e functions split");
	for (k = 0; k < 2; k++) {
		char *buf = NULL;
		size_t blen = 0;
		FILE *mf = open_memstream(&buf, &blen);

		if (k) {
			a.quirk->patch = qp;
			a.quirk->have_patch = true;
		}
		CHECK(!ax_render_json(mf, &a, &ro), "quirk_validation printed");
		fclose(mf);
		check_schema(0, buf, k ? "validate-quirk with patch" :
			     "validate-quirk");
		free(buf);
	}
	ax_analysis_free(&a);
	ax_machine_free(&m);
	free(doc);
}

int main(void)
{
	load_schemas();
	test_quirklab_json();
	test_vocabulary_documented();
	test_model_unchanged();
	test_roundtrip();
	test_empty();
	test_v1();
	test_json();
	json_object_put(schemas[0]);
	json_object_put(schemas[1]);
	printf("snapshot: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
