// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_hexdump.c - the lspci -x/-xxx/-xxxx reader (user/src/hexdump.c):
 * 64, 256 and 4096-byte functions, blocks cut inside a line or inside
 * extended space, odd byte counts, domains above ffff, duplicates, line
 * ends, the stream across its buffer, and the same bytes read from a
 * file, from memory and as a text report's lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "source.h"

static char path[] = "/tmp/test_hexdump-XXXXXX";

/* Write text to the scratch file; its path. */
static const char *put_file(const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(text, 1, len, f) != len) {
		perror(path);
		exit(2);
	}
	fclose(f);
	return path;
}

/* A growing text buffer. */
struct text {
	char *s;
	size_t len, cap;
};

static void add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if ((size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap ? 2 * t->cap + (size_t)n : 4096 + (size_t)n;
		t->s = realloc(t->s, t->cap);
		if (!t->s)
			exit(2);
	}
	t->len += (size_t)n;
}

/* One function's block: header, len bytes of cfg as lspci prints them
 * (16 per line), a blank line.
 */
static void block(struct text *t, const char *addr, const uint8_t *cfg,
		  int len)
{
	int i;

	add(t, "%s Ethernet controller: Some Vendor Device", addr);
	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			add(t, "\n%02x:", i);
		add(t, " %02x", cfg[i]);
	}
	add(t, "\n\n");
}

/* A PCIe root port: PCIe capability at 0x40, ACS at 0x100 (all on). */
static void root_port(uint8_t *c)
{
	memset(c, 0, 4096);
	c[0] = 0x86; c[1] = 0x80; c[2] = 0x10; c[3] = 0x34;
	c[0x06] = 0x10;			/* capability list */
	c[0x0a] = 0x04; c[0x0b] = 0x06;	/* PCI bridge */
	c[0x0e] = 0x01;			/* type 1 header */
	c[0x19] = 0x01; c[0x1a] = 0x01;	/* secondary, subordinate */
	c[0x34] = 0x40;
	c[0x40] = 0x10; c[0x42] = 0x42;	/* PCIe v2, root port */
	c[0x100] = 0x0d; c[0x102] = 0x01;	/* ACS, no next */
	c[0x104] = 0x5f; c[0x106] = 0x1d;	/* cap, ctrl */
}

static int load(struct ax_machine *m, const struct text *t, char *err,
		size_t errlen)
{
	ax_machine_init(m);
	err[0] = '\0';
	return ax_source_dump(m, put_file(t->s, t->len), err, errlen);
}

static void test_sizes(void)
{
	static uint8_t c[4096];
	struct text t = { 0 };
	struct ax_machine m;
	char err[256];
	int k;

	root_port(c);
	block(&t, "00:01.0", c, 4096);	/* -xxxx */
	block(&t, "00:02.0", c, 256);	/* -xxx */
	block(&t, "00:03.0", c, 64);	/* -x */
	block(&t, "00:04.0", c, 512);	/* cut in extended space */
	CHECK(!load(&m, &t, err, sizeof(err)), "sizes: %s", err);
	CHECK(m.n == 4, "sizes: %zu functions", m.n);
	if (m.n == 4) {
		const struct ax_dev *d = &m.devs[0];

		CHECK(d->vendor == 0x8086 && d->device == 0x3410 &&
		      d->is_bridge && d->secondary == 1 && d->is_pcie &&
		      d->pcie_type == AX_EXP_ROOT_PORT,
		      "4096: %04x:%04x bridge %d pcie %d type %d", d->vendor,
		      d->device, d->is_bridge, d->is_pcie, d->pcie_type);
		CHECK(d->acs_known && d->acs_pos == 0x100 &&
		      d->acs_cap == 0x5f && d->acs_ctrl == 0x1d,
		      "4096: ACS known %d at %x cap %x ctrl %x", d->acs_known,
		      d->acs_pos, d->acs_cap, d->acs_ctrl);
		CHECK(m.devs[1].is_pcie && !m.devs[1].acs_known,
		      "256: PCIe %d, ACS known %d", m.devs[1].is_pcie,
		      m.devs[1].acs_known);
		CHECK(!m.devs[2].is_pcie && !m.devs[2].acs_known &&
		      m.devs[2].vendor == 0x8086,
		      "64: PCIe %d, ACS known %d", m.devs[2].is_pcie,
		      m.devs[2].acs_known);
		/* ACS ends at 0x10c < 512: read */
		CHECK(m.devs[3].acs_known && m.devs[3].acs_ctrl == 0x1d,
		      "512: ACS known %d", m.devs[3].acs_known);
	}
	for (k = 0; k < m.n_notes; k++)
		if (strstr(m.notes[k], "64-byte header"))
			break;
	CHECK(k < m.n_notes, "no note on the 64-byte function");
	for (k = 0; k < m.n_notes; k++)
		if (strstr(m.notes[k], "no extended config space for 1 PCIe"))
			break;
	CHECK(k < m.n_notes, "no note on the 256-byte PCIe function");
	CHECK(m.source == AX_SRC_DUMP, "source %d", m.source);
	ax_machine_free(&m);

	/* extended space cut before the ACS capability (behind AER at
	 * 0x100, at 0x150): unknown, not absent
	 */
	c[0x100] = 0x01; c[0x102] = 0x01; c[0x103] = 0x15;
	c[0x150] = 0x0d; c[0x152] = 0x01; c[0x156] = 0x1d;
	t.len = 0;
	block(&t, "00:01.0", c, 0x150);
	CHECK(!load(&m, &t, err, sizeof(err)), "cut ACS: %s", err);
	CHECK(m.n == 1 && !m.devs[0].acs_known, "cut ACS: known");
	for (k = 0; k < m.n_notes; k++)
		if (strstr(m.notes[k], "cut short for 1 function"))
			break;
	CHECK(k < m.n_notes, "no note on the cut function");
	ax_machine_free(&m);
	free(t.s);
}

/* Odd byte counts: lines of any length, blocks between the sizes. */
static void test_odd_counts(void)
{
	static uint8_t c[4096];
	struct text t = { 0 };
	struct ax_machine m;
	char err[256];
	int i;

	root_port(c);
	/* 17 bytes on one line, then 15 */
	add(&t, "00:01.0 PCI bridge: x\n00:");
	for (i = 0; i < 17; i++)
		add(&t, " %02x", c[i]);
	add(&t, "\n11:");
	for (i = 17; i < 32; i++)
		add(&t, " %02x", c[i]);
	/* the rest of the header at its offsets, lines out of order */
	add(&t, "\n30:");
	for (i = 48; i < 64; i++)
		add(&t, " %02x", c[i]);
	add(&t, "\n20:");
	for (i = 32; i < 48; i++)
		add(&t, " %02x", c[i]);
	add(&t, "\n\n");
	CHECK(!load(&m, &t, err, sizeof(err)), "odd lines: %s", err);
	CHECK(m.n == 1 && m.devs[0].secondary == 1 &&
	      m.devs[0].device == 0x3410, "odd lines: %zu, secondary %d",
	      m.n, m.n ? m.devs[0].secondary : -1);
	ax_machine_free(&m);

	/* 70 bytes: the header and 6 more, taken as a 64-byte function */
	t.len = 0;
	block(&t, "00:01.0", c, 70);
	CHECK(!load(&m, &t, err, sizeof(err)), "70 bytes: %s", err);
	CHECK(m.n == 1 && !m.devs[0].is_pcie, "70 bytes: capabilities read");
	ax_machine_free(&m);

	/* 63 bytes: less than the header */
	t.len = 0;
	block(&t, "00:01.0", c, 63);
	CHECK(load(&m, &t, err, sizeof(err)) == -1 &&
	      strstr(err, "truncated dump: 0000:00:01.0 has less than the 64-byte"),
	      "63 bytes: '%s'", err);
	CHECK(m.n == 0, "63 bytes: %zu devices left", m.n);
	ax_machine_free(&m);
	free(t.s);
}

/* What libpci refuses is refused, with the line, and nothing is kept. */
static void test_bad(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		/* a truncated line: the file ends inside it */
		{ "00:01.0 x\n00: 86 80 0", "line 2: last line unterminated" },
		{ "00:01.0 x\n00: 86 80", "line 2: last line unterminated" },
		{ "00:01.0 x\n00: 86 80 1\n", "line 2: malformed hex line" },
		{ "00:01.0 x\n00: 86  80\n", "line 2: malformed hex line" },
		{ "00:01.0 x\n00: zz\n", "line 2: malformed hex line" },
		{ "00:01.0 x\nfff: 00 01\n", "more than 4096 bytes" },
		{ "00:20.0 x\n00: 00\n", "line 1: slot or function" },
		{ "00:01.8 x\n00: 00\n", "line 1: slot or function" },
		{ "00:01.0 x\n00: 86\0 80\n", "line 2: NUL byte" },
		{ "hello\nworld\n", "no PCI function in it" },
		/* 9 domain digits: no header line */
		{ "123456789:00:01.0 x\n00: 00\n", "no PCI function in it" },
		/* hex lines after a blank line belong to no function */
		{ "00:01.0 x\n\n00: 86 80\n", "has less than the 64-byte" },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ax_machine m;
		size_t len = strlen(bad[i].text);

		if (strstr(bad[i].want, "NUL"))
			len = sizeof("00:01.0 x\n00: 86\0 80\n") - 1;
		ax_machine_init(&m);
		err[0] = '\0';
		CHECK(ax_source_dump(&m, put_file(bad[i].text, len), err,
				     sizeof(err)) == -1 &&
		      strstr(err, bad[i].want) && !strchr(err, '\n'),
		      "bad #%zu: '%s', want '%s'", i, err, bad[i].want);
		CHECK(m.n == 0 && m.n_notes == 0, "bad #%zu: %zu devices kept",
		      i, m.n);
		ax_machine_free(&m);
	}
	{
		struct ax_machine m;
		char *big = malloc((2u << 20) + 16);

		/* a line longer than the 1 MiB buffer */
		memset(big, 'a', 2u << 20);
		memcpy(big + (2u << 20), "\n", 2);
		ax_machine_init(&m);
		CHECK(ax_source_dump(&m, put_file(big, strlen(big)), err,
				     sizeof(err)) == -1 &&
		      strstr(err, "line 1: longer than"), "long line: '%s'",
		      err);
		ax_machine_free(&m);
		free(big);
	}
}

static void test_domains_and_duplicates(void)
{
	static uint8_t c[4096];
	struct text t = { 0 };
	struct ax_machine m;
	char err[256];

	root_port(c);
	block(&t, "0000:00:01.0", c, 256);
	block(&t, "10000:e0:06.0", c, 256);	/* VMD */
	block(&t, "abcdef01:3f:1f.7", c, 64);
	CHECK(!load(&m, &t, err, sizeof(err)), "domains: %s", err);
	CHECK(m.n == 3 && m.devs[1].addr.domain == 0x10000 &&
	      m.devs[1].addr.bus == 0xe0 &&
	      m.devs[1].addr.devfn == AX_DEVFN(6, 0) &&
	      m.devs[2].addr.domain == 0xabcdef01 &&
	      m.devs[2].addr.devfn == AX_DEVFN(0x1f, 7),
	      "domains: %zu functions", m.n);
	/* function 7: multifunction for the kernel whatever the header */
	CHECK(m.n == 3 && m.devs[2].multifunction, "function 7 single");
	ax_machine_free(&m);

	/* the same function twice: both read, linking names it */
	t.len = 0;
	block(&t, "00:01.0", c, 256);
	block(&t, "00:01.0", c, 64);
	CHECK(!load(&m, &t, err, sizeof(err)) && m.n == 2,
	      "duplicates: %s, %zu", err, m.n);
	CHECK(ax_machine_link(&m, err, sizeof(err)) == -1 &&
	      strstr(err, "0000:00:01.0 is listed twice"),
	      "duplicates: '%s'", err);
	ax_machine_free(&m);
	free(t.s);
}

/* CRLF, a file bigger than the read buffer, and the same bytes from a
 * file, from memory and as a text report's lines.
 */
static void test_stream_and_ways_in(void)
{
	static uint8_t c[4096];
	struct text t = { 0 };
	struct ax_machine a, b, l;
	char err[256], addr[32], **lines, *p;
	size_t i, n = 0;
	int k;

	root_port(c);
	for (k = 0; k < 400; k++) {
		snprintf(addr, sizeof(addr), "%02x:%02x.%d", k / 64,
			 (k / 8) % 8, k % 8);
		c[0x106] = (uint8_t)k;	/* ACS control tells them apart */
		block(&t, addr, c, k % 3 ? 4096 : 256);
	}
	CHECK(t.len > (2u << 20), "stream: only %zu bytes", t.len);
	CHECK(!load(&a, &t, err, sizeof(err)), "stream: %s", err);
	CHECK(a.n == 400, "stream: %zu functions", a.n);
	for (i = 0; i < a.n; i++)
		if (a.devs[i].acs_known != (i % 3 != 0) ||
		    (i % 3 && a.devs[i].acs_ctrl != (uint8_t)i))
			break;
	CHECK(i == a.n, "stream: function %zu read wrong", i);

	ax_machine_init(&b);
	CHECK(!ax_dump_buf(&b, "-", t.s, t.len, err, sizeof(err)),
	      "memory: %s", err);
	CHECK(b.n == a.n && !memcmp(a.devs, b.devs, a.n * sizeof(*a.devs)),
	      "memory: %zu functions, differ", b.n);

	/* as text: CRLF and trailing blanks gone, no blank lines */
	lines = calloc(t.len, sizeof(*lines));
	for (p = strtok(t.s, "\n"); p; p = strtok(NULL, "\n"))
		lines[n++] = p;
	ax_machine_init(&l);
	CHECK(!ax_dump_lines(&l, "hex lines", lines, err, sizeof(err)),
	      "lines: %s", err);
	CHECK(l.n == a.n && !memcmp(a.devs, l.devs, a.n * sizeof(*a.devs)),
	      "lines: %zu functions, differ", l.n);
	free(lines);
	ax_machine_free(&a);
	ax_machine_free(&b);
	ax_machine_free(&l);

	/* CRLF line ends */
	t.len = 0;
	root_port(c);
	block(&t, "00:01.0", c, 4096);
	{
		struct text crlf = { 0 };

		for (i = 0; i < t.len; i++)
			add(&crlf, "%s", t.s[i] == '\n' ? "\r\n" :
			    (char[]){ t.s[i], 0 });
		CHECK(!load(&a, &crlf, err, sizeof(err)) && a.n == 1 &&
		      a.devs[0].acs_ctrl == 0x1d, "CRLF: %s", err);
		ax_machine_free(&a);
		free(crlf.s);
	}
	free(t.s);
}

/* A text report's hex blocks are read in memory: no scratch file (the
 * reader once wrote one under $TMPDIR and lost the config facts when it
 * could not).
 */
static void test_text_without_tmpdir(void)
{
	static uint8_t c[4096];
	struct text t = { 0 };
	struct ax_machine m;
	char err[256];
	int k;

	root_port(c);
	add(&t, "00:01.0 PCI bridge [0604]: Intel Corporation Device [8086:3410]\n"
		"\tFlags: bus master, fast devsel, latency 0\n"
		"\tBus: primary=00, secondary=01, subordinate=01, sec-latency=0\n");
	for (k = 0; k < 4096; k++) {
		if (k % 16 == 0)
			add(&t, "%s%02x:", k ? "\n" : "", k);
		add(&t, " %02x", c[k]);
	}
	add(&t, "\n\n");
	setenv("TMPDIR", "/nonexistent/acsexplain-test", 1);
	ax_machine_init(&m);
	CHECK(!ax_source_text(&m, t.s, t.len, err, sizeof(err)), "text: %s",
	      err);
	CHECK(m.n == 1 && m.devs[0].acs_known && m.devs[0].acs_ctrl == 0x1d,
	      "text: ACS from the hex block not read");
	for (k = 0; k < m.n_notes; k++)
		CHECK(!strstr(m.notes[k], "unusable"), "text: note '%s'",
		      m.notes[k]);
	unsetenv("TMPDIR");
	ax_machine_free(&m);
	free(t.s);
}

int main(void)
{
	int fd = mkstemp(path);

	if (fd < 0) {
		perror(path);
		return 2;
	}
	close(fd);
	test_sizes();
	test_odd_counts();
	test_bad();
	test_domains_and_duplicates();
	test_stream_and_ways_in();
	test_text_without_tmpdir();
	unlink(path);
	return check_report("hexdump");
}
