// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quirkpatch.c - the ACS quirk a vendor proposes, as a git format-patch
 * mail against a kernel tree (see quirkpatch.h).  The diff is made here
 * from the tree's own drivers/pci/quirks.c, so its context lines and line
 * numbers are those of that tree and `git apply` takes it as it is.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha1.h>
#include <pci/pci.h>

#include "exitcodes.h"
#include "render/quirkpatch.h"
#include "quirks.h"

#define QUIRKS_C "drivers/pci/quirks.c"
#define PCI_IDS_H "include/linux/pci_ids.h"
#define DEFAULT_TREE "/usr/src/linux-source-7.2"
#define CONTEXT 3
#define WRAP 72

struct text {
	char *buf;
	char **line;		/* NUL-terminated lines, no '\n' */
	int n;
	size_t len;		/* bytes read; each '\n' in buf is now '\0' */
};

struct tree {
	struct text quirks, ids;
	char version[48];
};

struct entry {
	int line;		/* index in quirks.line */
	char vendor_tok[64], device_tok[64], callback[64];
	long vendor, device;	/* -1: unresolved / PCI_ANY_ID */
};

static void text_free(struct text *t)
{
	free(t->buf);
	free(t->line);
	memset(t, 0, sizeof(*t));
}

static int text_read(const char *path, struct text *t, char *err,
		     size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1 << 16, len = 0, r;
	int i, n = 0;

	memset(t, 0, sizeof(*t));
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return AX_EXIT_INPUT;
	}
	t->buf = malloc(cap + 1);
	while (t->buf && (r = fread(t->buf + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			char *nb = realloc(t->buf, cap * 2 + 1);

			if (!nb) {
				free(t->buf);
				t->buf = NULL;
				break;
			}
			t->buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!t->buf) {
		snprintf(err, errlen, "out of memory reading %s", path);
		return AX_EXIT_INTERNAL;
	}
	t->buf[len] = '\0';
	t->len = len;
	for (r = 0; r < len; r++)
		n += t->buf[r] == '\n';
	t->line = calloc((size_t)n + 2, sizeof(char *));
	if (!t->line) {
		text_free(t);
		snprintf(err, errlen, "out of memory reading %s", path);
		return AX_EXIT_INTERNAL;
	}
	for (i = 0, r = 0; r < len; i++) {
		char *nl = strchr(t->buf + r, '\n');

		t->line[i] = t->buf + r;
		if (!nl)
			break;
		*nl = '\0';
		r = (size_t)(nl - t->buf) + 1;
	}
	t->n = r >= len ? i : i + 1;
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The three files from a linux-source-X.tar.xz, through tar(1). */
static int extract(const char *archive, char *dir, size_t dirlen, char *err,
		   size_t errlen)
{
	char tmpl[] = "/tmp/acsexplain-linux-XXXXXX";
	pid_t pid;
	int st;
	DIR *dp;
	struct dirent *de;

	if (!mkdtemp(tmpl)) {
		snprintf(err, errlen, "cannot make a temporary directory: %s",
			 strerror(errno));
		return AX_EXIT_INTERNAL;
	}
	pid = fork();
	if (pid == 0) {
		execlp("tar", "tar", "-xJf", archive, "-C", tmpl, "--wildcards",
		       "--no-wildcards-match-slash", "*/Makefile",
		       "*/" QUIRKS_C, "*/" PCI_IDS_H, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st)) {
		nftw(tmpl, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		snprintf(err, errlen,
			 "cannot extract %s and %s from %s (tar failed)",
			 QUIRKS_C, PCI_IDS_H, archive);
		return AX_EXIT_INPUT;
	}
	dp = opendir(tmpl);
	snprintf(dir, dirlen, "%s", tmpl);
	while (dp && (de = readdir(dp)))
		if (de->d_name[0] != '.') {
			snprintf(dir, dirlen, "%s/%s", tmpl, de->d_name);
			break;
		}
	if (dp)
		closedir(dp);
	return 0;
}

static void make_var(const struct text *mk, const char *name, char *out,
		     size_t len)
{
	int i;
	size_t nl = strlen(name);

	out[0] = '\0';
	for (i = 0; i < mk->n && i < 20; i++) {
		const char *l = mk->line[i];

		if (!strncmp(l, name, nl) && strchr(" =", l[nl])) {
			l = strchr(l, '=');
			if (!l)
				continue;
			l++;
			while (*l == ' ')
				l++;
			snprintf(out, len, "%s", l);
			return;
		}
	}
}

static int tree_load(const char *path, struct tree *t, char *err,
		     size_t errlen)
{
	char dir[600], p[700], v[3][12];
	struct stat sb;
	struct text mk;
	bool tmp = false;
	int rc;

	memset(t, 0, sizeof(*t));
	if (stat(path, &sb)) {
		snprintf(err, errlen, "no kernel tree %s: %s", path,
			 strerror(errno));
		return AX_EXIT_INPUT;
	}
	if (S_ISDIR(sb.st_mode)) {
		snprintf(dir, sizeof(dir), "%s", path);
	} else {
		rc = extract(path, dir, sizeof(dir), err, errlen);
		if (rc)
			return rc;
		tmp = true;
	}
	snprintf(p, sizeof(p), "%s/%s", dir, QUIRKS_C);
	rc = text_read(p, &t->quirks, err, errlen);
	if (!rc) {
		snprintf(p, sizeof(p), "%s/%s", dir, PCI_IDS_H);
		rc = text_read(p, &t->ids, err, errlen);
	}
	snprintf(p, sizeof(p), "%s/Makefile", dir);
	if (!rc && !text_read(p, &mk, err, errlen)) {
		make_var(&mk, "VERSION", v[0], sizeof(v[0]));
		make_var(&mk, "PATCHLEVEL", v[1], sizeof(v[1]));
		make_var(&mk, "SUBLEVEL", v[2], sizeof(v[2]));
		snprintf(t->version, sizeof(t->version), "%s.%s.%s", v[0],
			 v[1], v[2]);
		text_free(&mk);
	}
	if (tmp) {
		char top[600];
		char *slash;

		snprintf(top, sizeof(top), "%s", dir);
		slash = strrchr(top, '/');
		if (slash && slash != top && strncmp(top, "/tmp/acsexplain-", 16) == 0 &&
		    strchr(top + 16, '/'))
			*slash = '\0';
		nftw(top, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	if (rc) {
		text_free(&t->quirks);
		text_free(&t->ids);
	}
	return rc;
}

static void tree_free(struct tree *t)
{
	text_free(&t->quirks);
	text_free(&t->ids);
}

/* A number, or a PCI_*_ID_* name #defined in pci_ids.h or quirks.c. */
static long resolve(const struct tree *t, const char *tok)
{
	const struct text *src[2] = { &t->ids, &t->quirks };
	size_t tl = strlen(tok);
	int s, i;

	if (!strcmp(tok, "PCI_ANY_ID"))
		return -1;
	if (isdigit((unsigned char)tok[0]))
		return strtol(tok, NULL, 0);
	for (s = 0; s < 2; s++)
		for (i = 0; i < src[s]->n; i++) {
			const char *l = src[s]->line[i];

			if (strncmp(l, "#define", 7) || !isspace((unsigned char)l[7]))
				continue;
			l += 8;
			while (isspace((unsigned char)*l))
				l++;
			if (strncmp(l, tok, tl) || !isspace((unsigned char)l[tl]))
				continue;
			return strtol(l + tl, NULL, 0);
		}
	return -2;
}

/* The name pci_ids.h gives a vendor ID, or "" */
static void vendor_macro(const struct tree *t, uint16_t vendor, char *out,
			 size_t len)
{
	int i;

	out[0] = '\0';
	for (i = 0; i < t->ids.n; i++) {
		char name[40];
		unsigned int v;

		if (sscanf(t->ids.line[i], "#define PCI_VENDOR_ID_%39s %x",
			   name, &v) == 2 && v == vendor) {
			snprintf(out, len, "PCI_VENDOR_ID_%s", name);
			return;
		}
	}
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* "{ VENDOR, DEVICE, CALLBACK }," -> entry; 0 if the line is one. */
static int parse_entry(const struct tree *t, int line, struct entry *e)
{
	char buf[256], *p, *f[3], *close;
	int k;

	snprintf(buf, sizeof(buf), "%s", t->quirks.line[line]);
	p = trim(buf);
	if (*p != '{')
		return -1;
	close = strchr(p, '}');
	if (!close)
		return -1;
	*close = '\0';
	p++;
	for (k = 0; k < 3; k++) {
		f[k] = p;
		p = strchr(p, ',');
		if (!p && k < 2)
			return -1;
		if (p)
			*p++ = '\0';
		f[k] = trim(f[k]);
	}
	memset(e, 0, sizeof(*e));
	e->line = line;
	snprintf(e->vendor_tok, sizeof(e->vendor_tok), "%s", f[0]);
	snprintf(e->device_tok, sizeof(e->device_tok), "%s", f[1]);
	snprintf(e->callback, sizeof(e->callback), "%s", f[2]);
	e->vendor = resolve(t, e->vendor_tok);
	e->device = resolve(t, e->device_tok);
	return 0;
}

static jmp_buf names_jmp;

static void PCI_NONRET names_error(char *msg, ...)
{
	(void)msg;
	longjmp(names_jmp, 1);
}

static void PCI_PRINTF(1, 2) names_quiet(char *msg, ...)
{
	(void)msg;
}

static char names_v[128], names_d[160];

/* Nothing here changes after setjmp(): the results go to names_v/_d. */
static void names_lookup(struct pci_access *a, unsigned int vendor,
			 unsigned int device)
{
	if (setjmp(names_jmp))
		return;
	if (!pci_lookup_name(a, names_v, sizeof(names_v), PCI_LOOKUP_VENDOR |
			     PCI_LOOKUP_NO_NUMBERS, vendor))
		names_v[0] = '\0';
	if (!pci_lookup_name(a, names_d, sizeof(names_d), PCI_LOOKUP_DEVICE |
			     PCI_LOOKUP_NO_NUMBERS, vendor, device))
		names_d[0] = '\0';
}

/* pci.ids names: "Intel" (first word of the vendor) and the device. */
static void names(uint16_t vendor, uint16_t device, char *vn, size_t vlen,
		  char *dn, size_t dlen)
{
	static const char *const suffixes[] = {
		",", " Inc", " Corporation", " Corp", " Co.", " Ltd",
		" Limited", " GmbH", " Technologies", " Technology",
		" Semiconductor", " Electronics", " and ", " [",
	};
	struct pci_access *a = pci_alloc();
	size_t k;
	char *sp;

	names_v[0] = names_d[0] = '\0';
	if (a) {
		a->error = names_error;
		a->warning = names_quiet;
		a->debug = names_quiet;
		names_lookup(a, vendor, device);
		pci_cleanup(a);
	}
	if (names_v[0])
		snprintf(vn, vlen, "%s", names_v);
	else
		snprintf(vn, vlen, "%04x", vendor);
	if (names_d[0])
		snprintf(dn, dlen, "%s", names_d);
	else
		snprintf(dn, dlen, "%04x", device);
	/* "Intel Corporation" -> "Intel", "Red Hat, Inc." -> "Red Hat":
	 * the form subjects use
	 */
	for (k = 0; k < AX_ARRAY_SIZE(suffixes); k++) {
		sp = strstr(vn, suffixes[k]);
		if (sp && sp != vn)
			*sp = '\0';
	}
	/* pci.ids device names can carry [brackets] and a '/' list */
	sp = strchr(dn, '[');
	if (sp && sp != dn)
		*sp = '\0';
	trim(dn);
	for (sp = dn; *sp; sp++)
		if ((unsigned char)*sp < 0x20 || (unsigned char)*sp > 0x7e ||
		    *sp == '*')
			*sp = ' ';
	for (sp = vn; *sp; sp++)
		if ((unsigned char)*sp < 0x20 || (unsigned char)*sp > 0x7e)
			*sp = '?';
}

/* Word-wrap text into WRAP columns. */
static void para(FILE *f, const char *fmt, ...)
{
	char buf[2048], *p, *word;
	int col = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; (word = strtok(p, " ")); p = NULL) {
		int wl = (int)strlen(word);

		if (col && col + 1 + wl > WRAP) {
			fputc('\n', f);
			col = 0;
		}
		fprintf(f, "%s%s", col ? " " : "", word);
		col += (col ? 1 : 0) + wl;
	}
	fputs("\n\n", f);
}

/* "0000:01:00.0 and 0000:01:00.1" style list of a -1-terminated set */
static void addr_list(const struct ax_machine *m, const int *l, char *out,
		      size_t len)
{
	size_t off = 0;
	int j, n = 0;
	char a[AX_ADDR_STRLEN];

	out[0] = '\0';
	while (l[n] >= 0)
		n++;
	for (j = 0; j < n && off < len; j++)
		off += (size_t)snprintf(out + off, len - off, "%s%s",
					!j ? "" : j == n - 1 ? " and " : ", ",
					ax_addr_str(m->devs[l[j]].addr, a));
}

static void describe_changes(const struct ax_machine *m, const struct ax_ql *q,
			     char *out, size_t len)
{
	size_t off = 0;
	int k, t;
	char l[600];

	out[0] = '\0';
	for (k = 0; k < q->n_changes && off < len; k++) {
		const struct ax_ql_change *c = &q->changes[k];

		for (t = 0; t < c->n_before && off < len; t++) {
			addr_list(m, c->before[t], l, sizeof(l));
			off += (size_t)snprintf(out + off, len - off,
						"%s%s %s one IOMMU group",
						off ? "; " : "", l,
						c->before[t][1] >= 0 ? "share" :
						"is alone in");
		}
		off += (size_t)snprintf(out + off, len - off, ". With this entry the IOMMU core makes %d group%s:",
					c->n_after, c->n_after == 1 ? "" : "s");
		for (t = 0; t < c->n_after && off < len; t++) {
			addr_list(m, c->after[t], l, sizeof(l));
			off += (size_t)snprintf(out + off, len - off, "%s {%s}",
						t ? "," : "", l);
		}
		off += (size_t)snprintf(out + off, len - off, ".");
	}
}

/* Where the facts came from, without local file names. */
static const char *source_words(const struct ax_machine *m)
{
	if (m->module_facts)
		return "the acs_inspect module";
	switch (m->source) {
	case AX_SRC_SYSFS: return "sysfs and config space";
	case AX_SRC_DUMP: return "an lspci -xxxx dump";
	case AX_SRC_LSPCI_TEXT: return "an lspci -vvv report";
	case AX_SRC_SNAPSHOT: return "an acsexplain snapshot";
	default: return "the machine";
	}
}

/* A long pci.ids name cut to its model word ("BCM57416"), the first word
 * with a digit, so that the subject stays under 75 columns.
 */
static void short_name(char *dn, size_t room)
{
	char buf[160], *w, *save = NULL;

	if (strlen(dn) <= room)
		return;
	snprintf(buf, sizeof(buf), "%s", dn);
	for (w = strtok_r(buf, " ,/", &save); w; w = strtok_r(NULL, " ,/", &save))
		if (strpbrk(w, "0123456789") && strlen(w) <= room) {
			memmove(dn, w, strlen(w) + 1);
			return;
		}
	dn[room] = '\0';
	trim(dn);
}

static const char *acs_words(const struct ax_dev *d)
{
	if (!d->acs_known)
		return "whose ACS capability could not be read here";
	if (d->acs_pos)
		return "whose ACS capability does not enable the controls the IOMMU core needs";
	return "without an ACS capability";
}

static void sha1_text(struct sha1_ctx *c, const struct text *t, size_t from,
		      size_t to)
{
	/* buf has '\0' where the file has '\n' */
	while (from < to) {
		size_t n = strnlen(t->buf + from, to - from);

		sha1_update(c, n, (const uint8_t *)t->buf + from);
		from += n;
		if (from < to) {
			sha1_update(c, 1, (const uint8_t *)"\n");
			from++;
		}
	}
}

/*
 * The git blob names of quirks.c before and after the insertion (what
 * `git hash-object` prints: SHA-1 of "blob LEN\0" and the content), for
 * the "index" line git format-patch writes and git am -3 uses to find the
 * preimage.  Abbreviated to the kernel's 12 digits (core.abbrev = 12 in
 * Documentation/process/submitting-patches.rst).
 */
static void blob_names(const struct text *t, int ins,
		       const char *const *add, int n_add,
		       char *old_hex, char *new_hex, size_t hexlen)
{
	uint8_t md[SHA1_DIGEST_SIZE];
	struct sha1_ctx c;
	char hdr[40];
	size_t split, added = 0;
	int i, k, pass;

	/* the insertion point: the start of the line after ins */
	split = ins + 1 < t->n ? (size_t)(t->line[ins + 1] - t->buf) : t->len;
	for (i = 0; i < n_add; i++)
		added += strlen(add[i]) + 1;
	for (pass = 0; pass < 2; pass++) {
		char *hex = pass ? new_hex : old_hex;

		sha1_init(&c);
		k = snprintf(hdr, sizeof(hdr), "blob %zu",
			     t->len + (pass ? added : 0));
		sha1_update(&c, (size_t)k + 1, (const uint8_t *)hdr);
		sha1_text(&c, t, 0, split);
		for (i = 0; pass && i < n_add; i++) {
			sha1_update(&c, strlen(add[i]), (const uint8_t *)add[i]);
			sha1_update(&c, 1, (const uint8_t *)"\n");
		}
		sha1_text(&c, t, split, t->len);
		sha1_digest(&c, sizeof(md), md);
		for (k = 0; k < 6 && (size_t)k * 2 + 2 < hexlen; k++)
			snprintf(hex + k * 2, 3, "%02x", md[k]);
	}
}

static int write_mail(FILE *f, const struct ax_machine *m,
		      const struct ax_ql *q, const struct tree *t,
		      int ins, const char *const *add, int n_add,
		      const char *vname, const char *dname,
		      struct ax_qpatch *out)
{
	const struct ax_dev *d = &m->devs[q->funcs[0].dev];
	const char *who_name = getenv("GIT_AUTHOR_NAME");
	const char *who_mail = getenv("GIT_AUTHOR_EMAIL");
	char who[256], date[64], flags[64], changes[1500], fn[200] = "";
	char old_blob[16] = "", new_blob[16] = "";
	time_t now = time(NULL);
	int start, nb, na, i;
	bool mf = ax_ql_callback_find("pci_quirk_mf_endpoint_acs") == q->cb;

	if (who_name && *who_name && who_mail && *who_mail)
		snprintf(who, sizeof(who), "%s <%s>", who_name, who_mail);
	else
		snprintf(who, sizeof(who), "Your Name <you@example.com>");
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z",
		 localtime(&now));
	ax_ql_flags_str(q->cb->flags, flags, sizeof(flags));
	describe_changes(m, q, changes, sizeof(changes));

	fprintf(f, "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n");
	fprintf(f, "From: %s\nDate: %s\n", who, date);
	fprintf(f, "Subject: [PATCH] %s\n\n", out->subject);
	if (mf)
		para(f, "The %s %s [%04x:%04x] is a multifunction %s %s. pci_acs_enabled() therefore reports its functions as not isolated, and the IOMMU core puts all of them in one IOMMU group, so no function can be assigned to a virtual machine on its own.",
		     vname, dname, q->vendor, q->device, ax_pcie_type_name(d),
		     acs_words(d));
	else
		para(f, "The %s %s [%04x:%04x] is a PCIe %s %s. pci_acs_enabled() therefore reports it as not isolated, and the IOMMU core puts it and every device below it in one IOMMU group, so none of them can be assigned to a virtual machine on its own.",
		     vname, dname, q->vendor, q->device, ax_pcie_type_name(d),
		     acs_words(d));
	para(f, "%s states that %s. Add the device to pci_dev_acs_enabled[] with %s(), which reports the ACS controls %s as enabled for it.",
	     vname, q->cb->guarantee, q->cb->name, flags);
	if (!changes[0]) {
		const struct ax_ql_func *f0 = &q->funcs[0];
		char a[AX_ADDR_STRLEN];

		snprintf(changes, sizeof(changes),
			 "the groups stay as they are on that machine%s%s%s%s.",
			 f0->still_shared_by >= 0 ? ": " : "",
			 f0->still_shared_by >= 0 ?
			 ax_addr_str(m->devs[f0->still_shared_by].addr, a) : "",
			 f0->still_shared_by >= 0 ? " above it does not isolate" : "",
			 f0->still_shared_by >= 0 ?
			 ", so the entry is needed but not enough there" : "");
	}
	para(f, "Checked with acsexplain %s --validate-quirk %04x:%04x on facts from %s (kernel %s): %s",
	     ACSEXPLAIN_VERSION, q->vendor, q->device, source_words(m),
	     m->kernel_release[0] ? m->kernel_release : "unknown", changes);
	para(f, "Isolation verified by: <how %s verified that %s, for example the design document or the peer-to-peer test>",
	     vname, mf ? "the functions cannot reach each other" :
	     "the port does not route peer-to-peer traffic");
	fprintf(f, "Signed-off-by: %s\n---\n", who);
	fprintf(f, " %s | %d ++\n 1 file changed, %d insertions(+)\n\n",
		QUIRKS_C, n_add, n_add);

	/* the hunk: CONTEXT lines either side of the insertion after ins */
	start = ins - CONTEXT + 1;
	if (start < 0)
		start = 0;
	nb = ins + 1 - start;
	na = t->quirks.n - (ins + 1);
	if (na > CONTEXT)
		na = CONTEXT;
	/* git's default function line: the last one starting a word */
	for (i = start - 1; i >= 0; i--) {
		const char *l = t->quirks.line[i];

		if (isalpha((unsigned char)l[0]) || l[0] == '_' || l[0] == '$') {
			snprintf(fn, sizeof(fn), " %.80s", l);
			break;
		}
	}
	blob_names(&t->quirks, ins, add, n_add, old_blob, new_blob,
		   sizeof(old_blob));
	fprintf(f, "diff --git a/%s b/%s\nindex %s..%s 100644\n--- a/%s\n+++ b/%s\n",
		QUIRKS_C, QUIRKS_C, old_blob, new_blob, QUIRKS_C, QUIRKS_C);
	fprintf(f, "@@ -%d,%d +%d,%d @@%s\n", start + 1, nb + na, start + 1,
		nb + na + n_add, fn);
	for (i = start; i <= ins; i++)
		fprintf(f, " %s\n", t->quirks.line[i]);
	for (i = 0; i < n_add; i++)
		fprintf(f, "+%s\n", add[i]);
	for (i = ins + 1; i < ins + 1 + na; i++)
		fprintf(f, " %s\n", t->quirks.line[i]);
	fprintf(f, "-- \nacsexplain %s\n\n", ACSEXPLAIN_VERSION);
	return 0;
}

const char *ax_qpatch_default_tree(const char *explicit_tree)
{
	static const char *const defaults[] = { DEFAULT_TREE,
						DEFAULT_TREE ".tar.xz" };
	const char *env = getenv("ACSEXPLAIN_LINUX_SRC");
	size_t i;

	if (explicit_tree)
		return explicit_tree;
	if (env && *env)
		return env;
	for (i = 0; i < AX_ARRAY_SIZE(defaults); i++)
		if (!access(defaults[i], R_OK))
			return defaults[i];
	return NULL;
}

int ax_qpatch_write(const char *file, const char *tree_path,
		    const struct ax_machine *m, const struct ax_ql *q,
		    struct ax_qpatch *out, char *err, size_t errlen)
{
	struct tree t;
	struct entry e, anchor_same = { .line = -1 }, anchor_vendor = { .line = -1 };
	int i, table = -1, end = -1, ins, rc, n_add = 0;
	char vname[128], dname[160], vtok[64] = "", dev[16], comment[300];
	char entry_line[200];
	const char *add[2];
	bool upper = false;
	FILE *f;

	memset(out, 0, sizeof(*out));
	snprintf(out->file, sizeof(out->file), "%s", file);
	snprintf(out->tree, sizeof(out->tree), "%s", tree_path);
	if (q->status != AX_QL_FITS || !q->cb || !q->n_funcs) {
		snprintf(err, errlen, "no patch: the quirk is %s (%s)",
			 ax_ql_status_name(q->status), q->reason);
		return AX_EXIT_REFUSED;
	}
	rc = tree_load(tree_path, &t, err, errlen);
	if (rc)
		return rc;
	snprintf(out->version, sizeof(out->version), "%s", t.version);

	for (i = 0; i < t.quirks.n; i++)
		if (strstr(t.quirks.line[i], "pci_dev_acs_enabled[] = {")) {
			table = i;
			break;
		}
	for (i = table + 1; table >= 0 && i < t.quirks.n; i++) {
		char buf[64];

		snprintf(buf, sizeof(buf), "%s", t.quirks.line[i]);
		if (!strcmp(trim(buf), "{ 0 }")) {
			end = i;
			break;
		}
		if (parse_entry(&t, i, &e))
			continue;
		if (e.vendor == q->vendor && e.device == q->device) {
			snprintf(err, errlen,
				 "%s/%s line %d already has { %s, %s, %s }: nothing to add",
				 tree_path, QUIRKS_C, i + 1, e.vendor_tok,
				 e.device_tok, e.callback);
			tree_free(&t);
			return AX_EXIT_REFUSED;
		}
		if (e.vendor != q->vendor || e.device < 0)
			continue;
		anchor_vendor = e;
		if (!strcmp(e.callback, q->cb->name))
			anchor_same = e;
	}
	if (table < 0 || end < 0) {
		snprintf(err, errlen, "%s/%s has no pci_dev_acs_enabled[] table",
			 tree_path, QUIRKS_C);
		tree_free(&t);
		return AX_EXIT_INPUT;
	}

	/* with the vendor's entries of the same callback, else with the
	 * vendor's other entries, else last, before the { 0 } sentinel
	 */
	if (anchor_same.line >= 0)
		e = anchor_same;
	else
		e = anchor_vendor;
	if (e.line >= 0) {
		ins = e.line;
		snprintf(vtok, sizeof(vtok), "%s", e.vendor_tok);
		for (i = 0; e.device_tok[i]; i++)
			upper |= e.device_tok[i] >= 'A' && e.device_tok[i] <= 'F';
		snprintf(entry_line, sizeof(entry_line), "%s",
			 t.quirks.line[ins]);
		snprintf(out->after, sizeof(out->after), "%s",
			 trim(entry_line));
	} else {
		ins = end - 1;
		vendor_macro(&t, q->vendor, vtok, sizeof(vtok));
	}
	if (!vtok[0])
		snprintf(vtok, sizeof(vtok), "0x%04x", q->vendor);
	snprintf(dev, sizeof(dev), upper ? "0x%04X" : "0x%04x", q->device);
	names(q->vendor, q->device, vname, sizeof(vname), dname, sizeof(dname));
	/* "PCI: Add ACS quirk for " is 23 columns of at most 72 */
	short_name(dname, 72 - 23 - 1 - strlen(vname) > 72 ? 8 :
		   72 - 23 - 1 - strlen(vname));
	snprintf(out->subject, sizeof(out->subject),
		 "PCI: Add ACS quirk for %s %s", vname, dname);
	snprintf(comment, sizeof(comment), "\t/* %s %s */", vname, dname);
	snprintf(entry_line, sizeof(entry_line), "\t{ %s, %s, %s },", vtok, dev,
		 q->cb->name);
	add[n_add++] = comment;
	add[n_add++] = entry_line;
	snprintf(out->entry, sizeof(out->entry), "%s", entry_line + 1);
	out->line = ins + 1 + n_add;

	f = fopen(file, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", file,
			 strerror(errno));
		tree_free(&t);
		return AX_EXIT_INTERNAL;
	}
	write_mail(f, m, q, &t, ins, add, n_add, vname, dname, out);
	tree_free(&t);
	if (fclose(f)) {
		snprintf(err, errlen, "cannot write %s: %s", file,
			 strerror(errno));
		return AX_EXIT_INTERNAL;
	}
	return 0;
}
