// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * advice_text.c - the advice in words (render.h).  Names are
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
		for (q = 0; q < r->dev[a->at_fault[k]].n_reasons && !why[0]; q++)
			if (r->dev[a->at_fault[k]].reasons[q].at == a->at_fault[k])
				why = r->dev[a->at_fault[k]].reasons[q].text;
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
	char b[AX_ADDR_STRLEN], line[1024];
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

static void print_member(FILE *out, const struct ax_machine *m, int i)
{
	const struct ax_dev *d = &m->devs[i];
	char line[512], b[AX_ADDR_STRLEN];

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
	char line[4096], b[AX_ADDR_STRLEN];
	size_t o;
	int k;

	if (!n)
		return;
	o = (size_t)snprintf(line, sizeof(line), "%s:", title);
	for (k = 0; k < n && o < sizeof(line) - 24; k++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, " %s",
				      sa(m, l[k], b));
	fprintf(out, "  + ");
	ax_text_wrap(out, line, 4, 6, WIDTH);
}

int ax_text_all_groups(FILE *out, const struct ax_machine *m,
		       const struct ax_result *r, const bool *listed,
		       const struct ax_advice *adv, bool color)
{
	const struct ax_grouping *g = &adv->g;
	int n = (int)m->n, k, j, n_idle = 0;
	int *lst = malloc(3 * ((size_t)n + 1) * sizeof(int));
	int *bridges, *folded, *idle;

	if (!lst)
		return -1;
	bridges = lst;
	folded = lst + n + 1;
	idle = lst + 2 * (n + 1);
	for (k = 0; k < adv->n_groups; k++) {
		const struct ax_group_advice *ga = &adv->groups[k];
		int nb = 0, nf = 0;
		char gn[48], line[700], b[AX_ADDR_STRLEN];

		if (ga->first < 0) {
			/* bridges and host functions only: one line for all */
			idle[n_idle++] = ga->key;
			continue;
		}
		if (g->kernel)
			snprintf(gn, sizeof(gn), "IOMMU group %d", ga->key);
		else
			snprintf(gn, sizeof(gn), "Derived group %d", ga->key);
		fprintf(out, "\n%s%s%s: %s%s%s", col(color, C_BOLD), gn,
			col(color, C_RESET), col(color, verdict_color(ga->verdict)),
			ax_verdict_name(ga->verdict), col(color, C_RESET));
		if (ga->verdict == AX_V_SHARED)
			fprintf(out, ", %d devices: assignable only together, to one VM\n",
				ga->n_devices);
		else if (ga->verdict == AX_V_UNKNOWN)
			fprintf(out, ": ACS not readable, the group is a guess\n");
		else if (ga->verdict == AX_V_NO_GROUPS)
			fprintf(out, ": no IOMMU group now; the kernel would make this one\n");
		else
			fprintf(out, ": assignable%s\n",
				ga->verdict == AX_V_OWN_DEVICE ?
				" with all its functions" : "");
		if (ga->fault >= 0) {
			const char *why = "";
			int q;

			for (q = 0; q < r->dev[ga->fault].n_reasons && !why[0]; q++)
				if (r->dev[ga->fault].reasons[q].at == ga->fault)
					why = r->dev[ga->fault].reasons[q].text;
			snprintf(line, sizeof(line), "Why: %s%s", why[0] ? why :
				 sa(m, ga->fault, b), why[0] ? "" : " does not isolate");
			if (ga->n_faults > 1)
				snprintf(line + strlen(line), sizeof(line) - strlen(line),
					 " (and %d more at fault: acsexplain %s names them)",
					 ga->n_faults - 1, sa(m, ga->ask, b));
			fprintf(out, "  ");
			ax_text_wrap(out, line, 2, 7, WIDTH);
		}
		for (j = 0; j < n; j++) {
			const struct ax_dev *d = &m->devs[j];

			if (g->of[j] != ga->key || (listed && !listed[j]))
				continue;
			if (ax_is_bridge_class(d) && !ax_host_function(d))
				bridges[nb++] = j;
			else if (ax_host_function(d))
				folded[nf++] = j;
			else
				print_member(out, m, j);
		}
		print_list(out, "bridges, with their driver", m, bridges, nb);
		print_list(out, "host bridges and uncore functions", m, folded, nf);
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
			if (g->of[j] < 0 && (!listed || listed[j]))
				lst[nn++] = j;
		if (nn) {
			fprintf(out, "\n%sNo IOMMU group%s:\n", col(color, C_BOLD),
				col(color, C_RESET));
			for (j = 0; j < nn; j++)
				print_member(out, m, lst[j]);
		}
	}
	free(lst);
	return 0;
}
