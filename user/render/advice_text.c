// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * advice_text.c - the advice in words (advice_text.h).  Names are
 * printed whole and wrapped, never cut; every device line carries
 * [vendor:device] and the driver, as lspci -nnk would.
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define WIDTH 100
#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"

static const char *col(bool color, const char *c)
{
	return color ? c : "";
}

void ax_text_wrap(FILE *out, const char *text, int first_col, int indent,
		  int width)
{
	int colm = first_col;
	const char *p = text;

	while (*p) {
		size_t w = strcspn(p, " ");

		if (colm > indent && colm + 1 + (int)w > width) {
			fprintf(out, "\n%*s", indent, "");
			colm = indent;
		} else if (p != text) {
			fputc(' ', out);
			colm++;
		}
		fwrite(p, 1, w, out);
		colm += (int)w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

static const char *sa(const struct ax_machine *m, int i, char *buf)
{
	ax_addr_str(m->devs[i].addr, buf);
	return m->devs[i].addr.domain ? buf : buf + 5;
}

static const char *verdict_color(enum ax_verdict v)
{
	switch (v) {
	case AX_V_ALONE:
	case AX_V_OWN_DEVICE:
	case AX_V_WITH_BRIDGES:
		return C_GREEN;
	case AX_V_SHARED:
		return C_RED;
	default:
		return C_YELLOW;
	}
}

static void group_name(const struct ax_grouping *g, int key, char *buf,
		       size_t len)
{
	if (key < 0)
		snprintf(buf, len, "no group");
	else if (g->kernel)
		snprintf(buf, len, "group %d", key);
	else
		snprintf(buf, len, "derived group %d", key);
}

/* The heading form: "IOMMU group 14" (the kernel's number) or
 * "Derived group 3" (acsexplain's own numbering).
 */
static void group_heading(const struct ax_grouping *g, int key, char *buf,
			  size_t len)
{
	if (g->kernel)
		snprintf(buf, len, "IOMMU group %d", key);
	else
		snprintf(buf, len, "Derived group %d", key);
}

void ax_text_assignment(FILE *out, const struct ax_machine *m,
			const struct ax_result *r,
			const struct ax_grouping *g,
			const struct ax_assignment *a, bool color)
{
	char line[2048], b[16], gn[40];
	size_t o;
	int k, q;

	snprintf(line, sizeof(line), "%s", a->why);
	fprintf(out, "  %sVerdict: %s%s%s. ", col(color, C_BOLD),
		col(color, verdict_color(a->verdict)),
		ax_verdict_name(a->verdict), col(color, C_RESET));
	ax_text_wrap(out, line, 13 + (int)strlen(ax_verdict_name(a->verdict)),
		     4, WIDTH);
	if (a->n_companions) {
		o = (size_t)snprintf(line, sizeof(line),
				     "Also pass its other functions:");
		for (k = 0; k < a->n_companions && o < sizeof(line) - 64; k++) {
			group_name(g, g->of[a->companions[k]], gn, sizeof(gn));
			o += (size_t)snprintf(line + o, sizeof(line) - o,
					      "%s %s (%s)", k ? "," : "",
					      sa(m, a->companions[k], b), gn);
		}
		fprintf(out, "  ");
		ax_text_wrap(out, line, 2, 4, WIDTH);
	}
	for (k = 0; k < a->n_at_fault; k++) {
		const struct ax_dev *d = &m->devs[a->at_fault[k]];
		const char *why = "";

		/* the reason that names it, once */
		for (q = 0; q < r->n_reasons[a->at_fault[k]] && !why[0]; q++)
			if (r->reasons[a->at_fault[k]][q].at == a->at_fault[k])
				why = r->reasons[a->at_fault[k]][q].text;
		snprintf(line, sizeof(line), "%s %s [%04x:%04x] %s%s%s",
			 sa(m, a->at_fault[k], b), ax_pcie_type_name(d),
			 d->vendor, d->device, d->name,
			 why[0] ? ": " : "", why);
		fprintf(out, "  %sAt fault:%s ", col(color, C_RED),
			col(color, C_RESET));
		ax_text_wrap(out, line, 12, 6, WIDTH);
	}
	if (!a->n_remedies)
		return;
	fprintf(out, "  %sWhat you can do:%s\n", col(color, C_BOLD),
		col(color, C_RESET));
	for (k = 0; k < a->n_remedies; k++) {
		fprintf(out, "    - ");
		ax_text_wrap(out, a->remedies[k].text, 6, 6, WIDTH);
	}
}

static void block(FILE *out, const char *title, const char *text)
{
	const char *p = text;

	if (!text || !text[0])
		return;
	fprintf(out, "  %s\n", title);
	while (*p) {
		size_t n = strcspn(p, "\n");

		fprintf(out, "    %.*s\n", (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

void ax_text_vfio_plan(FILE *out, const struct ax_machine *m,
		  const struct ax_vfio_plan *pl, bool color)
{
	char b[16], line[1024];
	int k;

	fprintf(out, "  %sPlan%s for %s: ", col(color, C_BOLD),
		col(color, C_RESET), sa(m, pl->dev, b));
	fprintf(out, "%s\n", pl->viable > 0 ? "VFIO can take it now" :
		pl->viable < 0 ? "whether VFIO can take it now is not known" :
		pl->n_bind ? "not yet: bind every function below to vfio-pci" :
		"nothing to assign");
	for (k = 0; k < pl->n_bind; k++) {
		const struct ax_dev *d = &m->devs[pl->bind[k]];

		snprintf(line, sizeof(line), "%s [%04x:%04x] %s, now %s",
			 sa(m, pl->bind[k], b), d->vendor, d->device,
			 d->name[0] ? d->name : "(unnamed)",
			 !d->driver_known ? "driver unknown" :
			 d->driver[0] ? d->driver : "no driver");
		fprintf(out, "    bind ");
		ax_text_wrap(out, line, 9, 11, WIDTH);
	}
	for (k = 0; k < pl->n_keep; k++) {
		const struct ax_dev *d = &m->devs[pl->keep[k]];

		fprintf(out, "    keep %s %s, stays with %s (VFIO does not need it)\n",
			sa(m, pl->keep[k], b), ax_pcie_type_name(d),
			d->driver[0] ? d->driver : "no driver");
	}
	for (k = 0; k < pl->n_warnings; k++) {
		fprintf(out, "  %sWarning:%s ", col(color, C_RED),
			col(color, C_RESET));
		ax_text_wrap(out, pl->warnings[k], 11, 4, WIDTH);
	}
	block(out, "Proxmox VE:", pl->proxmox);
	block(out, "Bind at boot (as root):", pl->modprobe_conf);
	block(out, "Bind now, until reboot (as root):", pl->commands);
	block(out, "libvirt (in <devices>):", pl->libvirt);
	block(out, "QEMU:", pl->qemu);
	for (k = 0; k < pl->n_notes; k++) {
		fprintf(out, "  Note: ");
		ax_text_wrap(out, pl->notes[k], 8, 4, WIDTH);
	}
}

/* Host bridges, and chipset/uncore functions no driver wants or only a
 * performance-counter driver holds: folded into one line per group.
 */
static bool foldable(const struct ax_dev *d)
{
	unsigned int base = d->class >> 16, cls = d->class >> 8;

	if (cls == 0x0600)
		return true;
	if (base != 0x08 && cls != 0x1101 && base != 0x13)
		return false;
	return !d->driver[0] || strstr(d->driver, "uncore") ||
	       !strcmp(d->driver, "k10temp");
}

static int cmp_key(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void print_member(FILE *out, const struct ax_machine *m, int i)
{
	const struct ax_dev *d = &m->devs[i];
	char line[512], b[16];

	snprintf(line, sizeof(line), "%s [%04x:%04x] %s%s%s",
		 sa(m, i, b), d->vendor, d->device,
		 d->name[0] ? d->name : "(unnamed device)",
		 !d->driver_known ? "" : d->driver[0] ? ", driver " :
		 ", no driver", d->driver);
	fprintf(out, "  ");
	ax_text_wrap(out, line, 2, 6, WIDTH);
}

static void print_list(FILE *out, const char *title,
		       const struct ax_machine *m, const int *l, int n)
{
	char line[4096], b[16];
	size_t o;
	int k;

	if (!n)
		return;
	o = (size_t)snprintf(line, sizeof(line), "%s:", title);
	for (k = 0; k < n && o < sizeof(line) - 20; k++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, " %s",
				      sa(m, l[k], b));
	fprintf(out, "  + ");
	ax_text_wrap(out, line, 4, 6, WIDTH);
}

int ax_text_all_groups(FILE *out, const struct ax_machine *m,
		       const struct ax_profile *p, const struct ax_result *r,
		       const struct ax_grouping *g, bool color)
{
	int n = (int)m->n, *keys = malloc(((size_t)n + 1) * sizeof(int));
	int *lst = malloc(3 * ((size_t)n + 1) * sizeof(int));
	int nk = 0, k, j, *idle, n_idle = 0;

	if (!keys || !lst) {
		free(keys);
		free(lst);
		return -1;
	}
	for (j = 0; j < n; j++) {
		bool seen = false;

		if (g->of[j] < 0)
			continue;
		for (k = 0; k < nk && !seen; k++)
			seen = keys[k] == g->of[j];
		if (!seen)
			keys[nk++] = g->of[j];
	}
	qsort(keys, (size_t)nk, sizeof(int), cmp_key);
	idle = lst + 2 * (n + 1);
	for (k = 0; k < nk; k++) {
		int *bridges = lst, *folded = lst + n + 1, nb = 0, nf = 0;
		int first = -1, nmem = 0, ndev = 0;
		struct ax_assignment a;
		char gn[40], line[600], b[16];

		for (j = 0; j < n; j++) {
			const struct ax_dev *d = &m->devs[j];

			if (g->of[j] != keys[k])
				continue;
			nmem++;
			if (ax_is_bridge_class(d) && (d->class >> 8) != 0x0600)
				bridges[nb++] = j;
			else if (foldable(d))
				folded[nf++] = j;
			else if (first < 0)
				first = j;
		}
		group_heading(g, keys[k], gn, sizeof(gn));
		if (first < 0) {
			/* bridges and host functions only: one line for all */
			idle[n_idle++] = keys[k];
			continue;
		}
		if (ax_assign(m, p, r, g, first, &a)) {
			free(keys);
			free(lst);
			return -1;
		}
		for (j = 0; j < n; j++)
			if (g->of[j] == keys[k] && !ax_is_bridge_class(&m->devs[j]) &&
			    !foldable(&m->devs[j])) {
				int q;
				bool seen = false;

				for (q = 0; q < j && !seen; q++)
					seen = g->of[q] == keys[k] &&
					       !ax_is_bridge_class(&m->devs[q]) &&
					       !foldable(&m->devs[q]) &&
					       ax_same_device(&m->devs[q], &m->devs[j]);
				ndev += !seen;
			}
		fprintf(out, "\n%s%s%s: %s%s%s", col(color, C_BOLD), gn,
			col(color, C_RESET), col(color, verdict_color(a.verdict)),
			ax_verdict_name(a.verdict), col(color, C_RESET));
		if (a.verdict == AX_V_SHARED)
			fprintf(out, ", %d devices: assignable only together, to one VM\n", ndev);
		else if (a.verdict == AX_V_UNKNOWN)
			fprintf(out, ": ACS not readable, the group is a guess\n");
		else
			fprintf(out, ": assignable%s\n",
				a.verdict == AX_V_OWN_DEVICE ? " with all its functions" : "");
		if (a.verdict == AX_V_SHARED) {
			int nf = 0, f = ax_group_fault(m, r, g, keys[k], &nf), q;
			const char *why = "";

			for (q = 0; f >= 0 && q < r->n_reasons[f] && !why[0]; q++)
				if (r->reasons[f][q].at == f)
					why = r->reasons[f][q].text;
			if (f >= 0) {
				snprintf(line, sizeof(line), "Why: %s%s", why[0] ? why :
					 sa(m, f, b), why[0] ? "" : " does not isolate");
				if (nf > 1) {
					/* a member that is not of the culprit's
					 * device: its advice lists them all
					 */
					int who = first;

					for (q = 0; q < n; q++)
						if (g->of[q] == keys[k] &&
						    !ax_is_bridge_class(&m->devs[q]) &&
						    !ax_same_device(&m->devs[q], &m->devs[f])) {
							who = q;
							break;
						}
					snprintf(line + strlen(line), sizeof(line) - strlen(line),
						 " (and %d more at fault: acsexplain %s names them)",
						 nf - 1, sa(m, who, b));
				}
				fprintf(out, "  ");
				ax_text_wrap(out, line, 2, 7, WIDTH);
			}
		}
		for (j = 0; j < n; j++)
			if (g->of[j] == keys[k] && !ax_is_bridge_class(&m->devs[j]) &&
			    !foldable(&m->devs[j]))
				print_member(out, m, j);
		print_list(out, "bridges, with their driver", m, bridges, nb);
		print_list(out, "host bridges and uncore functions", m, folded, nf);
		ax_assignment_free(&a);
	}
	if (n_idle) {
		char line[4096];
		size_t o;

		o = (size_t)snprintf(line, sizeof(line),
				     "Nothing to assign (only bridges, host bridges and uncore functions) in %s",
				     g->kernel ? "IOMMU groups" : "derived groups");
		for (j = 0; j < n_idle && o < sizeof(line) - 16; j++)
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%s %d",
					      j ? "," : "", idle[j]);
		fprintf(out, "\n");
		ax_text_wrap(out, line, 0, 2, WIDTH);
	}
	{
		int nn = 0;

		for (j = 0; j < n; j++)
			if (g->of[j] < 0)
				lst[nn++] = j;
		if (nn) {
			fprintf(out, "\n%sNo IOMMU group%s:\n", col(color, C_BOLD),
				col(color, C_RESET));
			for (j = 0; j < nn; j++)
				print_member(out, m, lst[j]);
		}
	}
	free(keys);
	free(lst);
	return 0;
}
