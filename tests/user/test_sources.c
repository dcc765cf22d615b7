// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_sources.c - the offline sources: lspci dumps through libpci
 * (src/libpci.c) and lspci -vvv text (src/text.c).
 *
 * On pciutils' own dumps the registers are checked against known values;
 * every dump is also decoded by `lspci -F FILE -vvvnn` and that text is
 * parsed and compared with the dump (two independent decoders of the same
 * bytes); every linuxhw report is parsed and counted against the raw file;
 * tests/user/fixtures/text/ cases carry their expectations in NAME.expect.
 *
 * Run from the top of the tree (tests/user/run.sh does); data from
 * $ACSX_DATA (default ../shared/data).  Prints one line per failed check
 * and "sources: N passed, N failed"; exits 1 on any failure.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "source.h"

static int passed, failed;
static char ctx[1200];		/* what is being tested, for FAIL lines */

static void __attribute__((format(printf, 2, 3)))
check(int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s: ", ctx);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static const char *data_dir(void)
{
	const char *d = getenv("ACSX_DATA");

	return d ? d : "../shared/data";
}

/* What acsexplain --from does: detect, read, link. */
static int load(struct ax_machine *m, const char *path, int *fmt,
		char *err, size_t errlen)
{
	size_t len;
	char *buf = ax_read_file(path, &len, NULL, 0);
	int ret = -1;

	*fmt = AX_FMT_UNKNOWN;
	if (!buf) {
		snprintf(err, errlen, "%s: cannot read", path);
		return -1;
	}
	*fmt = ax_detect_format(buf, len);
	if (*fmt == AX_FMT_DUMP)
		ret = ax_source_dump(m, path, err, errlen);
	else if (*fmt == AX_FMT_LSPCI_TEXT || *fmt == AX_FMT_UNKNOWN)
		ret = ax_source_text(m, buf, len, err, errlen);
	else
		snprintf(err, errlen, "format %d not a source here", *fmt);
	free(buf);
	if (ret)
		return ret;
	ax_release_from_name(m, path);
	return ax_machine_link(m, err, errlen);
}

static struct ax_dev *dev_at(struct ax_machine *m, const char *addr)
{
	struct ax_addr a;
	int i;

	if (ax_addr_parse(addr, &a))
		return NULL;
	i = ax_machine_find(m, a);
	return i < 0 ? NULL : &m->devs[i];
}

static bool has_note(const struct ax_machine *m, const char *needle)
{
	int i;

	for (i = 0; i < m->n_notes; i++)
		if (strstr(m->notes[i], needle))
			return true;
	return false;
}

static const char *type_name(const struct ax_dev *d)
{
	if (!d->is_pcie)
		return "none";
	switch (d->pcie_type) {
	case AX_EXP_ENDPOINT: return "endpoint";
	case AX_EXP_LEG_END: return "legacy_endpoint";
	case AX_EXP_ROOT_PORT: return "root_port";
	case AX_EXP_UPSTREAM: return "upstream";
	case AX_EXP_DOWNSTREAM: return "downstream";
	case AX_EXP_PCI_BRIDGE: return "pci_bridge";
	case AX_EXP_PCIE_BRIDGE: return "pcie_bridge";
	case AX_EXP_RC_END: return "rc_endpoint";
	case AX_EXP_RC_EC: return "rc_ec";
	}
	return "?";
}

/* ---- pciutils dumps: registers with known values ---- */

static void test_known_dumps(void)
{
	static const struct {
		const char *file, *addr;
		uint16_t vendor, device, pos, cap, ctrl;
		bool dword;
	} k[] = {
		/* Haswell-E root port: ACS cap = ctl = 0x001f */
		{ "cap-aer-root", "00:02.0", 0x8086, 0x2f04, 0x110, 0x1f, 0x1f,
		  false },
		/* Sunrise Point-LP: dword layout; bytes at 0x140 are
		 * 0d 00 01 20 | 0f 00 00 00 | 00 00 00 00: cap 0x000f,
		 * control (dword at +8) 0
		 */
		{ "cap-exp-lnkcap2", "00:1c.0", 0x8086, 0x9d10, 0x140, 0x0f, 0,
		  true },
		/* QuickPath IOH root port: cap 0x1f, controls off */
		{ "cap-pcie-1", "00:01.0", 0x8086, 0x3408, 0x150, 0x1f, 0,
		  false },
	};
	char path[512], err[256];
	size_t i;
	int fmt;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		struct ax_machine m;
		struct ax_dev *d;

		snprintf(path, sizeof(path), "%s/pciutils-tests/%s",
			 data_dir(), k[i].file);
		snprintf(ctx, sizeof(ctx), "dump %s", k[i].file);
		ax_machine_init(&m);
		/* straight through the dump path, whatever the text says */
		check(!ax_source_dump(&m, path, err, sizeof(err)), "%s", err);
		check(!ax_machine_link(&m, err, sizeof(err)), "link: %s", err);
		ax_fill_names(&m);	/* as main() does, for every source */
		check(m.source == AX_SRC_DUMP, "source %d", m.source);
		d = dev_at(&m, k[i].addr);
		check(d != NULL, "no %s", k[i].addr);
		if (d) {
			check(d->vendor == k[i].vendor && d->device == k[i].device,
			      "ids %04x:%04x", d->vendor, d->device);
			check(d->is_pcie && d->pcie_type == AX_EXP_ROOT_PORT,
			      "type %s", type_name(d));
			check(d->acs_known, "acs unknown");
			check(d->acs_pos == k[i].pos, "acs_pos %x", d->acs_pos);
			check(d->acs_cap == k[i].cap, "acs_cap %04x", d->acs_cap);
			check(d->acs_ctrl == k[i].ctrl, "acs_ctrl %04x",
			      d->acs_ctrl);
			check(d->acs_dword_layout == k[i].dword, "dword %d",
			      d->acs_dword_layout);
			check(d->kernel_group == AX_GROUP_UNKNOWN, "group %d",
			      d->kernel_group);
			check(d->name[0] != '\0', "no name from pci.ids");
		}
		ax_machine_free(&m);
		(void)fmt;
	}

	/* tree-asus-p6t6 (X58): only the I/O hub's ports and ESI port carry
	 * ACS, all with controls off; nothing on the machine enables ACS.
	 */
	{
		struct ax_machine m;
		size_t j;
		int with = 0, on = 0;

		snprintf(path, sizeof(path), "%s/pciutils-tests/tree-asus-p6t6",
			 data_dir());
		snprintf(ctx, sizeof(ctx), "dump tree-asus-p6t6");
		ax_machine_init(&m);
		check(!load(&m, path, &fmt, err, sizeof(err)), "%s", err);
		check(m.n == 53, "%zu devices", m.n);
		for (j = 0; j < m.n; j++) {
			with += m.devs[j].acs_pos != 0;
			on += m.devs[j].acs_ctrl != 0;
			if (m.devs[j].acs_pos)
				check(m.devs[j].vendor == 0x8086 &&
				      (m.devs[j].device & 0xfff0) == 0x3400,
				      "ACS on %04x:%04x", m.devs[j].vendor,
				      m.devs[j].device);
		}
		check(with == 4, "%d functions with ACS", with);
		check(on == 0, "%d functions with ACS controls on", on);
		/* functions 1-7 are multifunction for the kernel */
		check(dev_at(&m, "00:1a.1") && dev_at(&m, "00:1a.1")->multifunction,
		      "00:1a.1 not multifunction");
		ax_machine_free(&m);
	}
}

/* ---- bad dumps: clear errors, never a crash ---- */

static const char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	strcpy(path, "/tmp/test_sources-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void put_cfg(FILE *f, const char *hdr, const uint8_t *cfg, int len)
{
	int i, j;

	fprintf(f, "%s\n", hdr);
	for (i = 0; i < len; i += 16) {
		fprintf(f, "%02x:", i);
		for (j = 0; j < 16; j++)
			fprintf(f, " %02x", cfg[i + j]);
		fputc('\n', f);
	}
	fputc('\n', f);
}

static void test_bad_dumps(void)
{
	static const char *const bad[] = {
		"", "hello\nworld\n",
		"00:01.0 Host bridge: foo\n00: 86 80 0",	/* cut mid-line */
		"00:01.0 Host bridge: foo\n00: 86 80 05 34 00 00 10 00 12 00 00 06 00 00 00 00\n",
		"00:01.0 foo\n00: zz yy\n",
	};
	static const char *const want[] = {
		"no PCI function", "no PCI function", "unreadable dump",
		"less than the 64-byte", "unreadable dump",
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ax_machine m;
		const char *p = write_tmp(bad[i]);

		snprintf(ctx, sizeof(ctx), "bad dump #%zu", i);
		ax_machine_init(&m);
		err[0] = '\0';
		check(p && ax_source_dump(&m, p, err, sizeof(err)) == -1,
		      "accepted");
		check(strstr(err, want[i]) && !strchr(err, '\n'),
		      "error '%s'", err);
		check(m.n == 0, "%zu devices left behind", m.n);
		if (p)
			unlink(p);
		ax_machine_free(&m);
	}
	{
		struct ax_machine m;

		snprintf(ctx, sizeof(ctx), "missing dump");
		ax_machine_init(&m);
		check(ax_source_dump(&m, "/nonexistent/dump", err,
				     sizeof(err)) == -1 &&
		      strstr(err, "No such file"), "error '%s'", err);
		ax_machine_free(&m);
	}
}

static void compare_dump_text(const char *name, const char *path);

/* ---- 64/256/4096-byte dumps and SR-IOV VFs ---- */

static void test_synthetic_dump(void)
{
	static uint8_t pf[4096], vf[4096], rp[4096];
	char path[] = "/tmp/test_sources-sriov-XXXXXX";
	struct ax_machine m;
	struct ax_dev *d;
	char err[256];
	int fd;
	FILE *f;

	/* root port 00:01.0 -> bus 03, PCIe cap at 0x40, no ACS */
	rp[0] = 0x86; rp[1] = 0x80; rp[2] = 0x01; rp[3] = 0x34;
	rp[0x0a] = 0x04; rp[0x0b] = 0x06; rp[0x0e] = 0x01;
	rp[0x06] = 0x10; rp[0x34] = 0x40;
	rp[0x19] = 0x03; rp[0x1a] = 0x03;
	rp[0x40] = 0x10; rp[0x42] = 0x42;	/* v2, type 4 */
	/* PF 03:00.0: I350-like, SR-IOV at 0x100 with 2 VFs enabled,
	 * offset 0x80 stride 4: VFs at 03:10.0 and 03:10.4; ATS enabled
	 */
	pf[0] = 0x86; pf[1] = 0x80; pf[2] = 0x21; pf[3] = 0x15;
	pf[0x0a] = 0x00; pf[0x0b] = 0x02; pf[0x06] = 0x10; pf[0x34] = 0x40;
	pf[0x40] = 0x10; pf[0x42] = 0x02;	/* endpoint */
	pf[0x100] = 0x10; pf[0x102] = 0x01; pf[0x103] = 0x14; /* next 0x140 */
	pf[0x108] = 0x01;			/* VF Enable */
	pf[0x110] = 2;				/* NumVFs */
	pf[0x114] = 0x80; pf[0x116] = 4;	/* offset, stride */
	pf[0x11a] = 0x20; pf[0x11b] = 0x15;	/* VF device 1520 */
	pf[0x140] = 0x0f; pf[0x142] = 0x01;	/* ATS */
	pf[0x147] = 0x80;			/* ATS enable */
	/* a VF's ID registers read ffff */
	memset(vf, 0, sizeof(vf));
	vf[0] = vf[1] = vf[2] = vf[3] = 0xff;
	vf[0x0b] = 0x02; vf[0x06] = 0x10; vf[0x34] = 0x40;
	vf[0x40] = 0x10; vf[0x42] = 0x02;

	snprintf(ctx, sizeof(ctx), "synthetic SR-IOV dump");
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	check(f != NULL, "tmp file");
	if (!f)
		return;
	put_cfg(f, "00:01.0 PCI bridge: Intel Corporation Device 3401", rp, 4096);
	put_cfg(f, "03:00.0 Ethernet controller: Intel Corporation I350", pf, 4096);
	put_cfg(f, "03:10.0 Ethernet controller: Device ffff:ffff", vf, 4096);
	put_cfg(f, "03:10.4 Ethernet controller: Device ffff:ffff", vf, 4096);
	put_cfg(f, "03:11.0 Ethernet controller: Device ffff:ffff", vf, 256);
	fclose(f);
	ax_machine_init(&m);
	check(!ax_source_dump(&m, path, err, sizeof(err)), "%s", err);
	check(!ax_machine_link(&m, err, sizeof(err)), "link %s", err);
	d = dev_at(&m, "03:00.0");
	check(d && d->has_sriov && !d->is_virtfn, "PF facts");
	d = dev_at(&m, "03:10.0");
	check(d && d->is_virtfn && d->vendor == 0x8086 && d->device == 0x1520,
	      "VF 03:10.0 not placed (%04x:%04x)", d ? d->vendor : 0,
	      d ? d->device : 0);
	check(d && d->physfn >= 0 &&
	      !strcmp(ax_addr_str(m.devs[d->physfn].addr, err), "0000:03:00.0"),
	      "VF physfn");
	check(d && !d->multifunction, "VF multifunction");
	d = dev_at(&m, "03:10.4");
	check(d && d->is_virtfn, "VF 03:10.4 not placed");
	d = dev_at(&m, "03:11.0");
	check(d && !d->is_virtfn && d->vendor == 0xffff,
	      "03:11.0 marked VF without a PF placing it");
	check(d && !d->acs_known, "03:11.0 (256 bytes) ACS known");
	check(has_note(&m, "vendor ffff"), "no note for the unplaced ffff");
	check(has_note(&m, "no extended config space"), "no ext-space note");
	d = dev_at(&m, "00:01.0");
	check(d && d->acs_known && !d->acs_pos && d->secondary == 3,
	      "root port facts");
	check(dev_at(&m, "03:00.0") && dev_at(&m, "03:00.0")->parent >= 0 &&
	      m.devs[dev_at(&m, "03:00.0")->parent].addr.devfn ==
	      AX_DEVFN(1, 0), "PF parent is not 00:01.0");
	ax_machine_free(&m);
	unlink(path);

	/* Union Point root port 8086:a290: ACS registers are dwords; the
	 * control (+8) differs from the word lspci reads (+6)
	 */
	snprintf(ctx, sizeof(ctx), "synthetic dword-layout ACS");
	memset(rp + 0x100, 0, 16);
	rp[2] = 0x90; rp[3] = 0xa2;
	rp[0x100] = 0x0d; rp[0x102] = 0x01;	/* ACS v1, last */
	rp[0x104] = 0x1f;			/* cap dword */
	rp[0x106] = 0x00;			/* what lspci takes as ctrl */
	rp[0x108] = 0x1d;			/* real ctrl dword */
	strcpy(path, "/tmp/test_sources-sriov-XXXXXX");
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	check(f != NULL, "tmp file");
	if (!f)
		return;
	put_cfg(f, "00:1c.0 PCI bridge: Intel Corporation Device a290", rp, 4096);
	fclose(f);
	ax_machine_init(&m);
	check(!ax_source_dump(&m, path, err, sizeof(err)), "%s", err);
	check(m.n == 1 && m.devs[0].acs_known && m.devs[0].acs_dword_layout &&
	      m.devs[0].acs_cap == 0x1f && m.devs[0].acs_ctrl == 0x1d,
	      "cap %04x ctrl %04x dword %d", m.n ? m.devs[0].acs_cap : 0,
	      m.n ? m.devs[0].acs_ctrl : 0,
	      m.n ? m.devs[0].acs_dword_layout : 0);
	ax_machine_free(&m);
	/* lspci's own decoding of it: ctrl shown as 0, so text says unknown */
	compare_dump_text("synthetic a290", path);
	unlink(path);
	rp[2] = 0x01; rp[3] = 0x34;
	memset(rp + 0x100, 0, 16);

	/* the same machine as lspci -x: 64 bytes, capabilities unknown */
	snprintf(ctx, sizeof(ctx), "synthetic 64-byte dump");
	strcpy(path, "/tmp/test_sources-sriov-XXXXXX");
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	check(f != NULL, "tmp file");
	if (!f)
		return;
	put_cfg(f, "00:01.0 PCI bridge: x", rp, 64);
	fclose(f);
	ax_machine_init(&m);
	check(!ax_source_dump(&m, path, err, sizeof(err)), "%s", err);
	check(m.n == 1 && !m.devs[0].acs_known && !m.devs[0].is_pcie &&
	      m.devs[0].is_bridge && m.devs[0].secondary == 3, "facts");
	check(has_note(&m, "64-byte header"), "no note");
	ax_machine_free(&m);
	unlink(path);
}

/* ---- the same bytes through both decoders ---- */

static void compare_dump_text(const char *name, const char *path)
{
	struct ax_machine md, mt;
	char cmd[1000], err[256], a[16];
	char *txt = NULL;
	size_t len = 0, cap = 0, i;
	FILE *p;
	int c;

	snprintf(ctx, sizeof(ctx), "dump vs lspci text %s", name);
	snprintf(cmd, sizeof(cmd), "lspci -F '%s' -vvvnn 2>/dev/null", path);
	p = popen(cmd, "r");
	check(p != NULL, "lspci");
	if (!p)
		return;
	while ((c = fgetc(p)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 65536;
			txt = realloc(txt, cap);
		}
		txt[len++] = (char)c;
	}
	pclose(p);
	check(len > 0, "lspci -F printed nothing (pciutils missing?)");
	if (!len) {
		free(txt);
		return;
	}
	ax_machine_init(&md);
	ax_machine_init(&mt);
	check(!ax_source_dump(&md, path, err, sizeof(err)), "dump: %s", err);
	check(ax_detect_format(txt, len) == AX_FMT_LSPCI_TEXT, "format");
	check(!ax_source_text(&mt, txt, len, err, sizeof(err)), "text: %s",
	      err);
	check(!ax_machine_link(&md, err, sizeof(err)) &&
	      !ax_machine_link(&mt, err, sizeof(err)), "link: %s", err);
	check(md.n == mt.n, "%zu functions in the dump, %zu in the text",
	      md.n, mt.n);
	for (i = 0; i < md.n && md.n == mt.n; i++) {
		struct ax_dev *x = &md.devs[i], *y = &mt.devs[i];
		bool peers = false;
		size_t j;

		ax_addr_str(x->addr, a);
		if (ax_addr_cmp(x->addr, y->addr)) {
			check(0, "address order differs at %s", a);
			break;
		}
		check(x->vendor == y->vendor && x->device == y->device &&
		      x->class == y->class && x->revision == y->revision,
		      "%s ids/class %04x:%04x %06x vs %04x:%04x %06x", a,
		      x->vendor, x->device, x->class, y->vendor, y->device,
		      y->class);
		check(x->is_bridge == y->is_bridge &&
		      x->secondary == y->secondary &&
		      x->subordinate == y->subordinate, "%s bus range", a);
		check(x->is_pcie == y->is_pcie && x->pcie_type == y->pcie_type,
		      "%s PCIe type %s vs %s", a, type_name(x), type_name(y));
		check(x->has_sriov == y->has_sriov && x->ari == y->ari,
		      "%s SR-IOV/ARI", a);
		check(x->acs_pos == y->acs_pos && x->acs_cap == y->acs_cap,
		      "%s ACS at %x cap %04x vs at %x cap %04x", a, x->acs_pos,
		      x->acs_cap, y->acs_pos, y->acs_cap);
		/* text may know less, never something else */
		if (y->acs_known)
			check(x->acs_known && x->acs_ctrl == y->acs_ctrl,
			      "%s ACS ctrl %04x vs %04x", a, x->acs_ctrl,
			      y->acs_ctrl);
		if (x->acs_dword_layout)
			check(!y->acs_known && y->acs_dword_layout,
			      "%s dword layout: text must not claim the control",
			      a);
		/* multifunction: the text infers it from the slot's
		 * functions; the kernel sets it for functions 1-7
		 */
		for (j = 0; j < md.n; j++)
			if (j != i && md.devs[j].addr.bus == x->addr.bus &&
			    md.devs[j].addr.domain == x->addr.domain &&
			    AX_SLOT(md.devs[j].addr.devfn) ==
			    AX_SLOT(x->addr.devfn))
				peers = true;
		check(y->multifunction == (peers || AX_FUNC(x->addr.devfn)),
		      "%s multifunction inferred %d", a, y->multifunction);
	}
	free(txt);
	ax_machine_free(&md);
	ax_machine_free(&mt);
}

static void test_all_dumps(void)
{
	char dir[512], path[800];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/pciutils-tests", data_dir());
	d = opendir(dir);
	snprintf(ctx, sizeof(ctx), "%s", dir);
	check(d != NULL, "cannot open");
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		compare_dump_text(e->d_name, path);
		n++;
	}
	closedir(d);
	snprintf(ctx, sizeof(ctx), "%s", dir);
	check(n >= 30, "only %d dumps", n);
}

/* ---- real linuxhw reports through the text path ---- */

static int count_lines(const char *buf, bool (*match)(const char *line))
{
	const char *s = buf;
	int n = 0;

	while (*s) {
		const char *e = strchr(s, '\n');
		char line[512];
		size_t l = e ? (size_t)(e - s) : strlen(s);

		if (l >= sizeof(line))
			l = sizeof(line) - 1;
		memcpy(line, s, l);
		line[l] = '\0';
		n += match(line);
		s += e ? l + 1 : l;
		if (!e)
			break;
	}
	return n;
}

static bool is_header(const char *l)
{
	return isxdigit((unsigned char)l[0]) && isxdigit((unsigned char)l[1]) &&
	       l[2] == ':' && l[5] == '.' && l[7] == ' ';
}

static bool is_group_line(const char *l)
{
	const char *q = strstr(l, "group: ");

	/* also "U group: 10", the half a library message left behind */
	return q && isdigit((unsigned char)q[7]) && !strstr(l, "Function");
}

static bool is_acs_line(const char *l)
{
	return strstr(l, "] Access Control Services") != NULL;
}

static bool is_denied_line(const char *l)
{
	return strstr(l, "Capabilities: <access denied>") != NULL;
}

static void test_linuxhw(void)
{
	char dir[512], path[800], err[256];
	struct dirent *e;
	DIR *d;
	int reports = 0;

	snprintf(dir, sizeof(dir), "%s/linuxhw", data_dir());
	d = opendir(dir);
	snprintf(ctx, sizeof(ctx), "%s", dir);
	check(d != NULL, "cannot open");
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct ax_machine m;
		size_t len, i;
		char *buf;
		int fmt, ngrp = 0, nacs = 0, ndenied = 0, nhdr, nglines;
		int nacs_lines, ndenied_lines;

		if (e->d_name[0] == '.')
			continue;
		reports++;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(ctx, sizeof(ctx), "linuxhw %.60s", e->d_name);
		buf = ax_read_file(path, &len, NULL, 0);
		check(buf != NULL, "read");
		if (!buf)
			continue;
		nhdr = count_lines(buf, is_header);
		nglines = count_lines(buf, is_group_line);
		nacs_lines = count_lines(buf, is_acs_line);
		ndenied_lines = count_lines(buf, is_denied_line);
		ax_machine_init(&m);
		check(!load(&m, path, &fmt, err, sizeof(err)), "%s", err);
		check(fmt == AX_FMT_LSPCI_TEXT, "format %d", fmt);
		check(m.source == AX_SRC_LSPCI_TEXT, "source %d", m.source);
		check((int)m.n == nhdr, "%zu devices, %d header lines", m.n,
		      nhdr);
		for (i = 0; i < m.n; i++) {
			ngrp += m.devs[i].kernel_group >= 0;
			nacs += m.devs[i].acs_pos != 0;
			ndenied += !m.devs[i].acs_known;
			check(m.devs[i].kernel_group != AX_GROUP_UNKNOWN,
			      "%s group unknown in a report with group lines",
			      ax_addr_str(m.devs[i].addr, err));
		}
		check(ngrp == nglines, "%d devices with a group, %d group lines",
		      ngrp, nglines);
		check(m.kernel_groups_known == (nglines > 0), "groups_known");
		check(nacs == nacs_lines, "%d devices with ACS, %d ACS lines",
		      nacs, nacs_lines);
		/* non-root reports say so, and their ACS is unknown */
		check(has_note(&m, "access denied") == (ndenied_lines > 0),
		      "access-denied note");
		check(ndenied >= ndenied_lines, "%d unknown ACS, %d denied",
		      ndenied, ndenied_lines);
		/* release from the file name, lower-cased */
		check(m.kernel_release[0] && isdigit((unsigned char)m.kernel_release[0]) &&
		      !strstr(m.kernel_release, "GENERIC") &&
		      strstr(e->d_name, "__") != NULL, "release '%s'",
		      m.kernel_release);
		/* the report whose group line a library message split */
		if (strstr(buf, "IOMMpcilib")) {
			struct ax_dev *x = dev_at(&m, "02:00.0");

			check(x && x->kernel_group == 10,
			      "split group line: 02:00.0 group %d",
			      x ? x->kernel_group : -9);
			check(has_note(&m, "interleaved library"),
			      "no junk note");
		}
		/* topology: a device on a bus some bridge's range covers
		 * found its parent (bus ff of Xeon uncores is a root bus)
		 */
		for (i = 0; i < m.n; i++) {
			size_t j;
			bool covered = false;

			for (j = 0; j < m.n; j++)
				if (m.devs[j].is_bridge &&
				    m.devs[j].secondary <= m.devs[i].addr.bus &&
				    m.devs[i].addr.bus <= m.devs[j].subordinate &&
				    m.devs[j].secondary)
					covered = true;
			if (covered)
				check(m.devs[i].parent >= 0, "%s has no parent",
				      ax_addr_str(m.devs[i].addr, err));
		}
		free(buf);
		ax_machine_free(&m);
	}
	closedir(d);
	snprintf(ctx, sizeof(ctx), "%s", dir);
	check(reports >= 7, "%d reports", reports);
}

/* ---- fixtures with NAME.expect ---- */

static bool hexeq(const char *v, unsigned int x)
{
	char *end;
	unsigned long n = strtoul(v, &end, 16);

	return *v && !*end && n == x;
}

static void check_dev(struct ax_machine *m, char *spec)
{
	char *tok, *save = NULL, *addr = strtok_r(spec, " ", &save);
	struct ax_dev *d = dev_at(m, addr);
	char buf[32];

	check(d != NULL, "no device %s", addr);
	if (!d)
		return;
	while ((tok = strtok_r(NULL, " \n", &save))) {
		char *v = strchr(tok, '=');
		bool ok = true;

		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(tok, "vendor"))
			ok = hexeq(v, d->vendor);
		else if (!strcmp(tok, "device"))
			ok = hexeq(v, d->device);
		else if (!strcmp(tok, "class"))
			ok = hexeq(v, d->class);
		else if (!strcmp(tok, "rev"))
			ok = hexeq(v, d->revision);
		else if (!strcmp(tok, "bridge"))
			ok = atoi(v) == d->is_bridge;
		else if (!strcmp(tok, "sec"))
			ok = hexeq(v, d->secondary);
		else if (!strcmp(tok, "sub"))
			ok = hexeq(v, d->subordinate);
		else if (!strcmp(tok, "pcie"))
			ok = !strcmp(v, type_name(d));
		else if (!strcmp(tok, "acs_known"))
			ok = atoi(v) == d->acs_known;
		else if (!strcmp(tok, "acs_pos"))
			ok = hexeq(v, d->acs_pos);
		else if (!strcmp(tok, "acs_cap"))
			ok = hexeq(v, d->acs_cap);
		else if (!strcmp(tok, "acs_ctrl"))
			ok = hexeq(v, d->acs_ctrl);
		else if (!strcmp(tok, "dword"))
			ok = atoi(v) == d->acs_dword_layout;
		else if (!strcmp(tok, "mf"))
			ok = atoi(v) == d->multifunction;
		else if (!strcmp(tok, "sriov"))
			ok = atoi(v) == d->has_sriov;
		else if (!strcmp(tok, "ari"))
			ok = atoi(v) == d->ari;
		else if (!strcmp(tok, "vf"))
			ok = atoi(v) == d->is_virtfn;
		else if (!strcmp(tok, "physfn"))
			ok = d->physfn >= 0 &&
			     !strcmp(ax_addr_str(m->devs[d->physfn].addr, buf), v);
		else if (!strcmp(tok, "driver"))
			ok = d->driver_known && !strcmp(d->driver, v);
		else if (!strcmp(tok, "subsys")) {
			snprintf(buf, sizeof(buf), "%04x:%04x", d->subvendor,
				 d->subdevice);
			ok = !strcmp(buf, v);
		} else if (!strcmp(tok, "group")) {
			if (!strcmp(v, "none"))
				ok = d->kernel_group == AX_GROUP_NONE;
			else if (!strcmp(v, "unknown"))
				ok = d->kernel_group == AX_GROUP_UNKNOWN;
			else
				ok = d->kernel_group == atoi(v);
		} else {
			ok = false;
			printf("FAIL %s: unknown expectation key %s\n", ctx, tok);
		}
		check(ok, "%s %s=%s does not hold", addr, tok, v);
	}
}

static void run_fixture(const char *dir, const char *name)
{
	char path[800], base[800], err[256], *exp, *line, *save = NULL;
	struct ax_machine m;
	size_t len;
	int fmt, ret;
	bool want_error = false;

	snprintf(ctx, sizeof(ctx), "fixture %s", name);
	snprintf(path, sizeof(path), "%s/%s.expect", dir, name);
	exp = ax_read_file(path, &len, NULL, 0);
	check(exp != NULL, "no .expect");
	if (!exp)
		return;
	snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
	base[0] = '\0';
	if (strstr(exp, "base=")) {
		if (sscanf(strstr(exp, "base=") + 5, "%255s", err) == 1)
			snprintf(base, sizeof(base), "%s/%s", dir, err);
	}
	want_error = strstr(exp, "\nerror~=") != NULL;
	ax_machine_init(&m);
	err[0] = '\0';
	if (base[0]) {
		/* a separate group listing applied to another report */
		char *g = ax_read_file(path, &len, NULL, 0);

		ret = load(&m, base, &fmt, err, sizeof(err));
		check(!ret, "base: %s", err);
		fmt = g ? ax_detect_format(g, len) : AX_FMT_UNKNOWN;
		ret = g ? ax_parse_group_listing(&m, g, len, err,
						 sizeof(err)) : -1;
		free(g);
	} else {
		ret = load(&m, path, &fmt, err, sizeof(err));
	}
	check(want_error ? ret != 0 : ret == 0, "returned %d: %s", ret, err);
	for (line = strtok_r(exp, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		static const char *const fmts[] = {
			"unknown", "snapshot", "dump", "text", "groups"
		};

		if (line[0] == '#' || !line[0])
			continue;
		if (!strncmp(line, "format=", 7))
			check(fmt >= 0 && fmt <= 4 && !strcmp(fmts[fmt], line + 7),
			      "format %d, want %s", fmt, line + 7);
		else if (!strncmp(line, "devices=", 8))
			check((int)m.n == atoi(line + 8), "%zu devices, want %s",
			      m.n, line + 8);
		else if (!strncmp(line, "groups_known=", 13))
			check(m.kernel_groups_known == atoi(line + 13),
			      "groups_known %d", m.kernel_groups_known);
		else if (!strncmp(line, "drivers_known=", 14))
			check(m.n && m.devs[0].driver_known == atoi(line + 14),
			      "driver_known");
		else if (!strncmp(line, "release=", 8))
			check(!strcmp(m.kernel_release, line + 8),
			      "release '%s'", m.kernel_release);
		else if (!strncmp(line, "note~=", 6))
			check(has_note(&m, line + 6), "no note with '%s'",
			      line + 6);
		else if (!strncmp(line, "error~=", 7))
			check(strstr(err, line + 7) && !strchr(err, '\n'),
			      "error '%s'", err);
		else if (!strncmp(line, "dev ", 4))
			check_dev(&m, line + 4);
	}
	free(exp);
	ax_machine_free(&m);
}

static void test_fixtures(void)
{
	const char *dir = getenv("ACSX_TEXT_FIXTURES");
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (!dir)
		dir = "tests/user/fixtures/text";
	d = opendir(dir);
	snprintf(ctx, sizeof(ctx), "%s", dir);
	check(d != NULL, "cannot open");
	if (!d)
		return;
	while ((e = readdir(d))) {
		char name[256];
		size_t l = strlen(e->d_name);

		if (l < 8 || strcmp(e->d_name + l - 7, ".expect"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(l - 7), e->d_name);
		run_fixture(dir, name);
		n++;
	}
	closedir(d);
	snprintf(ctx, sizeof(ctx), "%s", dir);
	check(n >= 8, "only %d fixtures", n);
}

/* ---- format detection and small text cases ---- */

static void test_detect_and_text(void)
{
	static const struct {
		const char *text;
		int fmt;
	} k[] = {
		{ "  {\"version\": 1}", AX_FMT_SNAPSHOT },
		{ "00:00.0 Host bridge: x\n00: 86 80 05 34 00 00 10 00 12 00 00 06 00 00 00 00\n", AX_FMT_DUMP },
		{ "00:00.0 Host bridge: x\n\tStatus: Cap-\n", AX_FMT_LSPCI_TEXT },
		{ "00:00.0 Host bridge [0600]: x [8086:3405]\n00:01.0 PCI bridge: y\n", AX_FMT_LSPCI_TEXT },
		{ "/sys/kernel/iommu_groups/3/devices/0000:00:1c.0\n", AX_FMT_GROUPS },
		{ "IOMMU Group 1 00:01.0 Host bridge [0600]: x\n", AX_FMT_GROUPS },
		{ "hello\n", AX_FMT_UNKNOWN },
		{ "", AX_FMT_UNKNOWN },
	};
	struct ax_machine m;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		snprintf(ctx, sizeof(ctx), "detect #%zu", i);
		check(ax_detect_format(k[i].text, strlen(k[i].text)) == k[i].fmt,
		      "got %d want %d", ax_detect_format(k[i].text,
							 strlen(k[i].text)),
		      k[i].fmt);
	}

	/* domains, uname -a, a bare header cut short, VMD domain */
	snprintf(ctx, sizeof(ctx), "text domains");
	{
		const char *t =
			"Linux box 6.12.9-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.12.9-1 x86_64 GNU/Linux\n"
			"0001:00:02.0 PCI bridge [0604]: Intel Corporation Device [8086:2f04] (prog-if 00 [Normal decode])\n"
			"\tBus: primary=00, secondary=05, subordinate=05, sec-latency=0\n"
			"0001:05:00.0 Ethernet controller [0200]: Intel Corporation Device [8086:1533]\n"
			"10000:e1:00.0 Non-Volatile memory controller [0108]: x [144d:a808]\n"
			"0001:05:00.1 Ethe";

		ax_machine_init(&m);
		check(!ax_source_text(&m, t, strlen(t), err, sizeof(err)),
		      "%s", err);
		check(!ax_machine_link(&m, err, sizeof(err)), "link %s", err);
		check(m.n == 4, "%zu devices", m.n);
		check(!strcmp(m.kernel_release, "6.12.9-amd64"), "release '%s'",
		      m.kernel_release);
		check(dev_at(&m, "0001:05:00.0") &&
		      dev_at(&m, "0001:05:00.0")->parent >= 0, "domain parent");
		check(dev_at(&m, "0001:05:00.1") &&
		      dev_at(&m, "0001:05:00.1")->multifunction, "cut device");
		/* 32-bit domains: the VMD device is kept, on its own root */
		check(dev_at(&m, "10000:e1:00.0") &&
		      dev_at(&m, "10000:e1:00.0")->vendor == 0x144d &&
		      dev_at(&m, "10000:e1:00.0")->on_root_bus,
		      "VMD domain device");
		check(!has_note(&m, "VMD"), "a VMD device was skipped");
		check(has_note(&m, "truncated"), "no truncation note");
		check(!m.kernel_groups_known, "groups known");
		ax_machine_free(&m);
	}
	snprintf(ctx, sizeof(ctx), "text with CR-only line ends");
	{
		const char *t =
			"00:1c.0 PCI bridge [0604]: Intel Corporation Device [8086:a110]\r"
			"\tBus: primary=00, secondary=01, subordinate=01, sec-latency=0\r"
			"\tIOMMU group: 4\r"
			"01:00.0 Ethernet controller [0200]: x [8086:1533]\r"
			"\tIOMMU group: 5\r";

		ax_machine_init(&m);
		check(ax_detect_format(t, strlen(t)) == AX_FMT_LSPCI_TEXT,
		      "format");
		check(!ax_source_text(&m, t, strlen(t), err, sizeof(err)),
		      "%s", err);
		check(m.n == 2 && m.devs[0].is_bridge &&
		      m.devs[0].subordinate == 1 &&
		      m.devs[0].kernel_group == 4 &&
		      m.devs[1].kernel_group == 5, "facts");
		ax_machine_free(&m);
	}
	snprintf(ctx, sizeof(ctx), "release from file name");
	{
		static const char *const k[][2] = {
			{ "/x/Notebook__Framework__Laptop__Laptop_13__85FBE274D954__UBUNTU-24.04__6.8.0-51-GENERIC__X86_64__23175F9255", "6.8.0-51-generic" },
			{ "report_6.2.16-12-PVE_x86.txt", "6.2.16-12-pve" },
			{ "lspci-5.10.0-28-amd64.txt", "" },	/* not '_'-separated */
			{ "Desktop__A__B__C__DEBIAN-12__X86_64__1", "" },
			{ "6.12.9+bpo-amd64", "6.12.9+bpo-amd64" },
		};

		for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
			ax_machine_init(&m);
			ax_release_from_name(&m, k[i][0]);
			check(!strcmp(m.kernel_release, k[i][1]), "%s -> '%s'",
			      k[i][0], m.kernel_release);
			ax_machine_free(&m);
		}
	}
	snprintf(ctx, sizeof(ctx), "text without devices");
	ax_machine_init(&m);
	check(ax_source_text(&m, "IOMMU\n", 6, err, sizeof(err)) == -1 &&
	      strstr(err, "no PCI device line"), "error '%s'", err);
	check(m.n == 0, "devices");
	ax_machine_free(&m);
	snprintf(ctx, sizeof(ctx), "group listing without groups");
	ax_machine_init(&m);
	check(ax_parse_group_listing(&m, "nothing\n", 8, err,
				     sizeof(err)) == -1 &&
	      strstr(err, "no IOMMU group line"), "error '%s'", err);
	ax_machine_free(&m);
}

/* ---- cut and damaged input: an answer or one error line, no crash ---- */

static unsigned int lcg(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) & 0xffffff;
}

static void damaged(const char *path, bool as_dump, unsigned int seed)
{
	char err[256];
	size_t len, i;
	char *buf = ax_read_file(path, &len, NULL, 0);
	int k;

	if (!buf || !len) {
		check(0, "cannot read %s", path);
		free(buf);
		return;
	}
	for (k = 0; k < 24; k++) {
		struct ax_machine m;
		size_t cut = lcg(&seed) % len;
		char *copy = malloc(len + 1);
		int ret;

		memcpy(copy, buf, len + 1);
		if (k >= 12) {
			/* flip a few bytes, keep the length */
			for (i = 0; i < 8; i++)
				copy[lcg(&seed) % len] = (char)(lcg(&seed) & 0xff);
			cut = len;
		}
		copy[cut] = '\0';
		ax_machine_init(&m);
		err[0] = '\0';
		if (as_dump) {
			const char *p = write_tmp(copy);

			ret = p ? ax_source_dump(&m, p, err, sizeof(err)) : -1;
			if (p)
				unlink(p);
		} else {
			ret = ax_source_text(&m, copy, cut, err, sizeof(err));
		}
		if (!ret)
			ret = ax_machine_link(&m, err, sizeof(err));
		check(ret == 0 || (ret == -1 && err[0] && !strchr(err, '\n')),
		      "cut at %zu (variant %d): ret %d err '%s'", cut, k, ret,
		      err);
		ax_machine_free(&m);
		free(copy);
	}
	free(buf);
}

static void test_damaged(void)
{
	static const char *const dumps[] = {
		"cap-aer-root", "cap-exp-lnkcap2", "tree-asus-p6t6",
	};
	char dir[512], path[800];
	struct dirent *e;
	unsigned int seed = 1;
	size_t i;
	DIR *d;

	for (i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		snprintf(path, sizeof(path), "%s/pciutils-tests/%s", data_dir(),
			 dumps[i]);
		snprintf(ctx, sizeof(ctx), "damaged dump %s", dumps[i]);
		damaged(path, true, seed++);
	}
	snprintf(dir, sizeof(dir), "%s/linuxhw", data_dir());
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(ctx, sizeof(ctx), "damaged report %.60s", e->d_name);
		damaged(path, false, seed++);
	}
	closedir(d);
}

int main(void)
{
	test_known_dumps();
	test_bad_dumps();
	test_synthetic_dump();
	test_all_dumps();
	test_linuxhw();
	test_fixtures();
	test_detect_and_text();
	test_damaged();
	printf("sources: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
