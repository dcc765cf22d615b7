// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * analysis/analyse.c - one request in, one complete struct ax_analysis
 * out: the profile of the kernel in question, the derivation, the cause of
 * any difference from the kernel's groups, the devices asked about with
 * their remedies, plans and audit, the quirk validation and the what-if.
 * The machine is only read; the renderers only print what is here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acs_kernel.h"
#include "analysis.h"
#include "analysis/quirklab.h"
#include "kernel_release.h"
#include "quirks.h"

/* Which kernel's rules: --kernel, else the data's release. */
static void make_profile(const struct ax_machine *m,
			 const struct ax_request *rq, struct ax_analysis *a)
{
	struct ax_profile *p = &a->profile;
	struct ax_result *r = &a->res;

	ax_profile_init(p);
	if (rq->kernel) {
		ax_release_map(rq->kernel, p);
		p->hypothetical = true;
	} else if (rq->kver) {
		p->kver = rq->kver;
		p->hypothetical = true;
	} else {
		ax_release_map(m->kernel_release, p);
		p->kver_from_data = p->kver != 0;
	}
	if (p->kver && p->kver > axq_db_newest) {
		ax_note(r->notes, &r->n_notes, AX_MAX_NOTES,
			"kernel %d.%d is newer than the quirk database (%d.%d): its quirks and rules are taken as those of %d.%d",
			p->kver / 1000, p->kver % 1000,
			axq_db_newest / 1000, axq_db_newest % 1000,
			axq_db_newest / 1000, axq_db_newest % 1000);
		p->kver = axq_db_newest;
		p->sublevel_known = false;
	} else if (p->kver && p->kver < axq_db_oldest) {
		ax_note(r->notes, &r->n_notes, AX_MAX_NOTES,
			"kernel %d.%d is older than the quirk database (%d.%d): grouping before 3.17 differed per IOMMU driver",
			p->kver / 1000, p->kver % 1000,
			axq_db_oldest / 1000, axq_db_oldest % 1000);
	}
	ax_profile_from_cmdline(p, m->cmdline);
	if (m->iommu == AX_IOMMU_OFF)
		p->assume_acs_requested = true;
	ax_acs_policy_describe(m, p);
}

void ax_mark_listed(const struct ax_result *r, const int *selected, int n,
		    bool *listed)
{
	int i, k, j;

	for (i = 0; !selected && i < r->n_devs; i++)
		listed[i] = true;
	for (k = 0; selected && k < n; k++) {
		int s = selected[k], g;

		if (s < 0 || s >= r->n_devs)
			continue;
		listed[s] = true;
		g = r->dev[s].group;
		for (j = 0; g >= 0 && j < r->groups[g].n; j++)
			listed[r->groups[g].members[j]] = true;
	}
}

/* --audit for one device: the entries that touch its group. */
static int audit_of(const struct ax_result *r, struct ax_selected *s)
{
	int g = r->dev[s->dev].group, k;

	s->audit = calloc((size_t)r->n_audit + 1, sizeof(int));
	if (!s->audit)
		return -1;
	for (k = 0; g >= 0 && k < r->n_audit; k++) {
		const struct ax_audit *au = &r->audit[k];

		if (r->dev[au->from].group == g ||
		    (au->to >= 0 && r->dev[au->to].group == g))
			s->audit[s->n_audit++] = k;
	}
	return 0;
}

static int select_devices(const struct ax_machine *m,
			  const struct ax_request *rq, struct ax_analysis *a,
			  char *err, size_t errlen)
{
	int i;

	a->sel = calloc(m->n + 1, sizeof(*a->sel));
	a->listed = calloc(m->n + 1, sizeof(bool));
	if (!a->sel || !a->listed)
		return AX_EXIT_INTERNAL;
	/* as lspci -s/-d select: a whole device (0000:01:00, Proxmox's
	 * form) is every function of its slot
	 */
	for (i = 0; rq->has_target && i < (int)m->n; i++)
		if (ax_selector_match(&rq->target, &m->devs[i]))
			a->sel[a->n_sel++].dev = i;
	if (rq->has_target && !a->n_sel) {
		snprintf(err, errlen, "no device %s in %s", rq->target_text,
			 m->source_name[0] ? m->source_name : "this machine");
		return AX_EXIT_NODEV;
	}
	for (i = 0; i < a->n_sel; i++) {
		struct ax_selected *s = &a->sel[i];

		if (rq->audit && audit_of(&a->res, s))
			return AX_EXIT_INTERNAL;
	}
	return AX_EXIT_OK;
}

int ax_analyse(const struct ax_machine *m, const struct ax_request *rq,
	       struct ax_analysis *a, char *err, size_t errlen)
{
	int *sel = NULL, i, ret;

	memset(a, 0, sizeof(*a));
	a->m = m;
	a->plan = rq->plan;
	a->audit = rq->audit;
	a->all = rq->all && !rq->has_target;
	make_profile(m, rq, a);
	{
		/* the profile's notes go with the derivation's */
		char notes[AX_MAX_NOTES][160];
		int n = a->res.n_notes;

		memcpy(notes, a->res.notes, sizeof(notes));
		if (ax_derive(m, &a->profile, &a->res))
			goto nomem;
		for (i = 0; i < a->res.n_notes; i++)
			ax_note(notes, &n, AX_MAX_NOTES, "%s", a->res.notes[i]);
		memcpy(a->res.notes, notes, sizeof(notes));
		a->res.n_notes = n;
	}
	ax_find_mismatch_cause(m, &a->profile, &a->res);

	ret = select_devices(m, rq, a, err, errlen);
	if (ret == AX_EXIT_INTERNAL)
		goto nomem;
	if (ret)
		goto fail;
	if (a->all)
		ax_mark_listed(&a->res, NULL, 0, a->listed);
	for (i = 0; i < a->n_sel; i++)
		ax_mark_listed(&a->res, &a->sel[i].dev, 1, a->listed);

	/* the advice: every listed device's verdict, the plans asked for */
	if (ax_advise(m, &a->profile, &a->res, a->listed, NULL, &a->advice))
		goto nomem;
	for (i = 0; rq->plan && i < a->n_sel; i++)
		if (ax_vfio_plan_build(m, &a->advice.g, a->sel[i].dev,
				       &a->sel[i].plan))
			goto nomem;

	if (rq->validate) {
		a->quirk = calloc(1, sizeof(*a->quirk));
		if (!a->quirk ||
		    ax_ql_run(m, &a->profile, rq->quirk_vendor,
			      rq->quirk_device, rq->quirk_callback, a->quirk))
			goto nomem;
	}
	if (rq->n_what_if) {
		sel = calloc((size_t)a->n_sel + 1, sizeof(int));
		a->what_if = calloc(1, sizeof(*a->what_if));
		if (!sel || !a->what_if)
			goto nomem;
		for (i = 0; i < a->n_sel; i++)
			sel[i] = a->sel[i].dev;
		ret = ax_what_if(m, &a->profile, &a->res, rq->what_if,
				 rq->n_what_if, rq->has_target ? sel : NULL,
				 a->n_sel, a->what_if, err, errlen);
		free(sel);
		sel = NULL;
		if (ret) {
			free(a->what_if);
			a->what_if = NULL;
			goto fail;
		}
		if (ax_advise(&a->what_if->machine, &a->what_if->profile,
			      &a->what_if->res, a->what_if->listed, &a->res,
			      &a->what_if->advice))
			goto nomem;
	}
	return AX_EXIT_OK;
nomem:
	snprintf(err, errlen, "out of memory");
	ret = AX_EXIT_INTERNAL;
fail:
	free(sel);
	ax_analysis_free(a);
	return ret;
}

void ax_analysis_free(struct ax_analysis *a)
{
	int i;

	for (i = 0; a->sel && i < a->n_sel; i++) {
		ax_vfio_plan_free(&a->sel[i].plan);
		free(a->sel[i].audit);
	}
	free(a->sel);
	free(a->listed);
	if (a->quirk)
		ax_ql_free(a->quirk);
	free(a->quirk);
	ax_advice_free(&a->advice);
	if (a->what_if) {
		ax_advice_free(&a->what_if->advice);
		ax_whatif_free(a->what_if);
	}
	free(a->what_if);
	ax_result_free(&a->res);
	memset(a, 0, sizeof(*a));
}
