// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/hexdump.c - facts from an `lspci -x/-xxx/-xxxx` dump, read here
 * rather than through libpci's dump access method.
 *
 * Why: on the 10,000-function synthetic dump of tests/user/bench.sh,
 * libpci's reader (one sscanf() per byte, a 4 KiB buffer per function,
 * reading a file we had already read whole for format detection) was
 * most of acsexplain's time and memory: --all --json took 4.55 s CPU and
 * 282 MiB against lspci -vvv's 2.81 s and 63 MiB (2026-12-07, this
 * 2-CPU VM).  Read here, as a stream through one buffer, the dump costs
 * little more than reading the file; the whole run is now 0.77 s and
 * 46 MiB against lspci's 4.91 s and 63 MiB (README.md, "Speed").
 * libpci still reads live config space and names (src/libpci.c).
 *
 * The format is libpci's (lib/dump.c): a function's header line
 * "[dddd:]bb:dd.f ..." (domains of 4 to 8 hex digits), then lines
 * "oo: xx xx ..." of bytes at offset oo, up to 4096 bytes; a blank line
 * ends the block, other lines are skipped.  What libpci refuses (a
 * malformed hex line, an unterminated last line, bytes past 4096) is
 * refused here too, with the line number.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

/* Read size, and the longest line a dump may hold. */
#define CHUNK (1u << 20)

struct reader {
	struct ax_machine *m;
	size_t first;		/* first device this read adds */
	uint8_t cfg[AX_CFG_SIZE];	/* current function, all ones unread */
	int len;		/* highest byte offset read + 1 */
	bool open;		/* inside a function's block */
	struct ax_addr addr;
	size_t n_funcs;		/* header lines seen */
	bool short_seen;	/* a function with less than 64 bytes */
	struct ax_addr short_addr;
	struct ax_cfg_gaps gaps;
	struct ax_cfg_pf *pfs;	/* PFs with VF Enable set */
	size_t n_pfs, cap_pfs;
	unsigned long lineno;
	bool oom;
	char why[128];		/* the first malformed line, "" if none */
};

/* Hex digit values, -1 for anything else. */
static signed char hexval[256];

static void hex_init(void)
{
	int c;

	if (hexval['1'])
		return;
	memset(hexval, -1, sizeof(hexval));
	for (c = 0; c < 10; c++)
		hexval['0' + c] = (signed char)c;
	for (c = 0; c < 6; c++) {
		hexval['a' + c] = (signed char)(10 + c);
		hexval['A' + c] = (signed char)(10 + c);
	}
}

static int hx(char c)
{
	return hexval[(unsigned char)c];
}

/* Leading hex digits of s, at most max + 1 counted. */
static int hex_run(const char *s, int max)
{
	int k = 0;

	while (k <= max && hx(s[k]) >= 0)
		k++;
	return k;
}

static uint32_t hex_value(const char *s, int n)
{
	uint32_t v = 0;
	int k;

	for (k = 0; k < n; k++)
		v = v << 4 | (uint32_t)hx(s[k]);
	return v;
}

static __attribute__((format(printf, 2, 3)))
void malformed(struct reader *r, const char *fmt, ...)
{
	int n;
	va_list ap;

	if (r->why[0])
		return;
	n = snprintf(r->why, sizeof(r->why), "line %lu: ", r->lineno);
	va_start(ap, fmt);
	vsnprintf(r->why + n, sizeof(r->why) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* "bb:dd.f " or "dddd:bb:dd.f " (4 to 8 domain digits) at the start of
 * s: 1 with *a set, 0 when s is no header line, -1 when it is one with a
 * slot or function out of range.
 */
static int parse_header(const char *s, struct ax_addr *a)
{
	uint32_t dom = 0;
	int k = hex_run(s, 8);
	unsigned int slot, fn;

	if (k >= 4 && k <= 8 && s[k] == ':') {
		dom = hex_value(s, k);
		s += k + 1;
	} else if (k != 2) {
		return 0;
	}
	if (hx(s[0]) < 0 || hx(s[1]) < 0 || s[2] != ':' || hx(s[3]) < 0 ||
	    hx(s[4]) < 0 || s[5] != '.' || hx(s[6]) < 0 || s[7] != ' ')
		return 0;
	slot = hex_value(s + 3, 2);
	fn = (unsigned int)hx(s[6]);
	if (slot > 0x1f || fn > 7)
		return -1;
	a->domain = dom;
	a->bus = (uint8_t)hex_value(s, 2);
	a->devfn = AX_DEVFN(slot, fn);
	return 1;
}

/* "oo: xx xx ..." (2 to 8 offset digits) into the open function. */
static bool parse_bytes(struct reader *r, const char *s)
{
	int k = hex_run(s, 8);
	uint32_t off;
	const char *z;

	if (k < 2 || k > 8 || s[k] != ':' || s[k + 1] != ' ')
		return false;
	off = hex_value(s, k);
	z = s + k + 2;
	while (hx(z[0]) >= 0 && hx(z[1]) >= 0 && (!z[2] || z[2] == ' ')) {
		if (off >= AX_CFG_SIZE) {
			malformed(r, "more than %d bytes of config space",
				  AX_CFG_SIZE);
			return true;
		}
		r->cfg[off++] = (uint8_t)(hx(z[0]) << 4 | hx(z[1]));
		if ((int)off > r->len)
			r->len = (int)off;
		z += 2;
		if (*z)
			z++;
	}
	if (*z)
		malformed(r, "malformed hex line");
	return true;
}

/* How much config space the block holds, as libpci's reads would find:
 * 64, 256, 4096, or in between (a multiple of 16) when cut in extended
 * space; 0 when less than the header.
 */
static int cfg_len(int len)
{
	if (len >= AX_CFG_SIZE)
		return AX_CFG_SIZE;
	if (len < 64)
		return 0;
	if (len < 256)
		return 64;
	return 256 + (len - 256) / 16 * 16;
}

/* The open function's block ended: decode it into a new device. */
static void end_block(struct reader *r)
{
	struct ax_cfg_sriov sr;
	struct ax_dev *dev;
	int len = cfg_len(r->len);

	if (!r->open)
		return;
	r->open = false;
	if (!len) {
		if (!r->short_seen) {
			r->short_seen = true;
			r->short_addr = r->addr;
		}
	} else if (!r->oom && (dev = ax_machine_add(r->m))) {
		dev->addr = r->addr;
		ax_cfg_decode(dev, r->cfg, len, &r->gaps, &sr);
		if (dev->has_sriov && sr.vf_enable) {
			if (r->n_pfs == r->cap_pfs) {
				size_t nc = r->cap_pfs ? 2 * r->cap_pfs : 64;
				struct ax_cfg_pf *p = realloc(r->pfs,
							      nc * sizeof(*p));

				if (!p) {
					r->oom = true;
					goto out;
				}
				r->pfs = p;
				r->cap_pfs = nc;
			}
			r->pfs[r->n_pfs].idx = r->m->n - 1;
			r->pfs[r->n_pfs++].sr = sr;
		}
	} else {
		r->oom = true;
	}
out:
	memset(r->cfg, 0xff, (size_t)r->len);
	r->len = 0;
}

/* One line, without its line end (and NUL-terminated there). */
static void feed(struct reader *r, const char *s, size_t n)
{
	struct ax_addr a;
	int h;

	r->lineno++;
	if (r->why[0])
		return;		/* the first error stands */
	if (memchr(s, '\0', n)) {
		malformed(r, "NUL byte");
		return;
	}
	h = parse_header(s, &a);
	if (h < 0) {
		malformed(r, "slot or function number out of range");
	} else if (h) {
		end_block(r);
		r->open = true;
		r->addr = a;
		r->n_funcs++;
	} else if (!n) {
		end_block(r);
	} else if (r->open) {
		parse_bytes(r, s);
	}
}

static void reader_init(struct reader *r, struct ax_machine *m)
{
	hex_init();
	memset(r, 0, sizeof(*r));
	r->m = m;
	r->first = m->n;
	memset(r->cfg, 0xff, sizeof(r->cfg));
}

/* Every line read: the machine, or -1 with err and m as it was. */
static int reader_end(struct reader *r, const char *name, char *err,
		      size_t errlen)
{
	char a[AX_ADDR_STRLEN];
	int ret = -1;

	if (!r->why[0])
		end_block(r);
	if (r->oom)
		snprintf(err, errlen, "out of memory");
	else if (r->why[0])
		snprintf(err, errlen,
			 "%s: unreadable dump (truncated, or not lspci -x output): %s",
			 name, r->why);
	else if (!r->n_funcs)
		snprintf(err, errlen,
			 "%s: no PCI function in it (not an lspci -x/-xxx/-xxxx dump)",
			 name);
	else if (r->short_seen)
		snprintf(err, errlen,
			 "%s: truncated dump: %s has less than the 64-byte config header",
			 name, ax_addr_str(r->short_addr, a));
	else
		ret = 0;
	if (ret) {
		r->m->n = r->first;	/* no half-read machine */
	} else {
		ax_cfg_finish(r->m, r->first, r->pfs, r->n_pfs, &r->gaps,
			      false);
		r->m->source = AX_SRC_DUMP;
		snprintf(r->m->source_name, sizeof(r->m->source_name), "%s",
			 name);
	}
	free(r->pfs);
	return ret;
}

int ax_dump_lines(struct ax_machine *m, const char *name,
		  char *const *lines, char *err, size_t errlen)
{
	struct reader *r = malloc(sizeof(*r));
	size_t i;
	int ret;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	reader_init(r, m);
	for (i = 0; lines[i]; i++)
		feed(r, lines[i], strlen(lines[i]));
	ret = reader_end(r, name, err, errlen);
	free(r);
	return ret;
}

/* Split buf[0..*have) into lines; the unfinished last one moves to the
 * front.  A line's end becomes its NUL (and a CR before it goes).
 */
static void feed_chunk(struct reader *r, char *buf, size_t *have)
{
	char *s = buf, *end = buf + *have, *nl;

	while ((nl = memchr(s, '\n', (size_t)(end - s)))) {
		char *e = nl;

		if (e > s && e[-1] == '\r')
			e--;
		*e = '\0';
		feed(r, s, (size_t)(e - s));
		s = nl + 1;
	}
	*have = (size_t)(end - s);
	memmove(buf, s, *have);
}

/* Where the bytes come from: a file descriptor, or memory. */
struct input {
	int fd;			/* -1: buf */
	const char *buf;
	size_t len, pos;
};

static ssize_t input_read(struct input *in, char *dst, size_t n)
{
	ssize_t got;

	if (in->fd < 0) {
		if (n > in->len - in->pos)
			n = in->len - in->pos;
		memcpy(dst, in->buf + in->pos, n);
		in->pos += n;
		return (ssize_t)n;
	}
	do
		got = read(in->fd, dst, n);
	while (got < 0 && errno == EINTR);
	return got;
}

/* The whole input through one 1 MiB buffer. */
static int read_dump(struct ax_machine *m, struct input *in,
		     const char *name, char *err, size_t errlen)
{
	struct reader *r = malloc(sizeof(*r));
	char *buf = malloc(CHUNK + 1);
	size_t have = 0;
	ssize_t got;
	int ret = -1;

	if (!r || !buf) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	reader_init(r, m);
	for (;;) {
		if (have == CHUNK) {
			r->lineno++;
			malformed(r, "longer than %u bytes", CHUNK);
			break;
		}
		got = input_read(in, buf + have, CHUNK - have);
		if (got < 0) {
			/* a directory reads as EISDIR */
			snprintf(err, errlen, "%s: %s", name, strerror(errno));
			m->n = r->first;
			free(r->pfs);
			goto out;
		}
		if (!got)
			break;
		have += (size_t)got;
		feed_chunk(r, buf, &have);
		if (r->why[0] || r->oom)
			break;
	}
	if (have && !r->why[0]) {
		/* libpci refuses it too: the file was cut short */
		r->lineno++;
		malformed(r, "last line unterminated");
	}
	ret = reader_end(r, name, err, errlen);
out:
	free(buf);
	free(r);
	return ret;
}

int ax_source_dump(struct ax_machine *m, const char *path,
		   char *err, size_t errlen)
{
	struct input in = { .fd = open(path, O_RDONLY | O_CLOEXEC) };
	int ret;

	if (in.fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = read_dump(m, &in, path, err, errlen);
	close(in.fd);
	return ret;
}

int ax_dump_buf(struct ax_machine *m, const char *name, const char *buf,
		size_t len, char *err, size_t errlen)
{
	struct input in = { .fd = -1, .buf = buf, .len = len };

	return read_dump(m, &in, name, err, errlen);
}
