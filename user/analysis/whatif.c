// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * analysis/whatif.c - --what-if: the same machine under another kernel,
 * other kernel parameters, an extra quirk or a card in another slot,
 * derived again and compared group by group with the real one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acs_kernel.h"
#include "analysis.h"
#include "kernel_release.h"

/*
 * move=07:00.0@00:1c.4: the device's slot (all functions) goes below
 * another port, same device number.  track[0..ntrack) are addresses to
 * carry along (the selected devices).
 */
static int apply_move(struct ax_machine *m, const char *spec,
		      struct ax_addr *track, int ntrack, char *err,
		      size_t errlen)
{
	char buf[64], *at;
	struct ax_addr from, port;
	int pi, i, k, moved = 0;

	snprintf(buf, sizeof(buf), "%s", spec + 5);
	at = strchr(buf, '@');
	if (!at)
		goto bad;
	*at = '\0';
	if (ax_addr_parse(buf, &from) || ax_addr_parse(at + 1, &port))
		goto bad;
	pi = ax_machine_find(m, port);
	if (pi < 0 || !m->devs[pi].is_bridge || !m->devs[pi].secondary) {
		snprintf(err, errlen,
			 "what-if %s: %s is not a bridge or port in these facts",
			 spec, at + 1);
		return -1;
	}
	for (i = 0; i < (int)m->n; i++) {
		struct ax_dev *d = &m->devs[i];
		struct ax_addr na;

		if (d->addr.domain != from.domain || d->addr.bus != from.bus ||
		    AX_SLOT(d->addr.devfn) != AX_SLOT(from.devfn))
			continue;
		na = d->addr;
		na.domain = m->devs[pi].addr.domain;
		na.bus = m->devs[pi].secondary;
		if (ax_machine_find(m, na) >= 0) {
			snprintf(err, errlen,
				 "what-if %s: the slot below %s is occupied",
				 spec, at + 1);
			return -1;
		}
		for (k = 0; k < ntrack; k++)
			if (!ax_addr_cmp(track[k], d->addr))
				track[k] = na;
		d->addr = na;
		moved++;
	}
	if (!moved) {
		snprintf(err, errlen, "what-if %s: no device at %s", spec, buf);
		return -1;
	}
	return ax_machine_link(m, err, errlen);
bad:
	snprintf(err, errlen, "bad --what-if '%s'", spec);
	return -1;
}

/* Apply one --what-if SPEC to the profile (or the machine, for move=). */
static int apply(struct ax_whatif *w, const char *spec, struct ax_addr *track,
		 int ntrack, char *err, size_t errlen)
{
	struct ax_profile *p = &w->profile;
	uint16_t v, d;

	p->hypothetical = true;
	if (!strncmp(spec, "acs-override=", 13)) {
		char cl[600];

		snprintf(cl, sizeof(cl), "pcie_acs_override=%s", spec + 13);
		ax_profile_from_cmdline(p, cl);
		return 0;
	}
	if (!strncmp(spec, "quirk=", 6)) {
		if (ax_id_parse(spec + 6, &v, &d) || p->n_extra_quirks >= 16)
			goto bad;
		p->extra_quirk_ids[p->n_extra_quirks++] = (uint32_t)v << 16 | d;
		return 0;
	}
	if (!strncmp(spec, "disable-acs-redir=", 18)) {
		snprintf(p->disable_acs_redir, sizeof(p->disable_acs_redir),
			 "%s", spec + 18);
		return 0;
	}
	if (!strncmp(spec, "config-acs=", 11)) {
		if (!strchr(spec, '@'))
			goto bad;
		snprintf(p->config_acs, sizeof(p->config_acs), "%s", spec + 11);
		return 0;
	}
	if (!strncmp(spec, "kernel=", 7)) {
		ax_release_map(spec + 7, p);
		if (!p->kver)
			goto bad;
		p->kver_from_data = false;
		return 0;
	}
	if (!strncmp(spec, "iommu=", 6)) {
		if (!ax_what_if_iommu(&w->machine, p, spec + 6))
			return 0;
		snprintf(err, errlen,
			 "bad --what-if '%s': use iommu=on or iommu=off", spec);
		return -1;
	}
	if (!strncmp(spec, "move=", 5)) {
		w->moved = true;
		return apply_move(&w->machine, spec, track, ntrack, err,
				  errlen);
	}
bad:
	snprintf(err, errlen, "bad --what-if '%s'", spec);
	return -1;
}

/* Groups of the what-if result that are not groups of the real one. */
static int diff(const struct ax_result *before, struct ax_whatif *w)
{
	const struct ax_result *after = &w->res;
	int j, q, k;

	w->changes = calloc((size_t)after->n_groups + 1, sizeof(*w->changes));
	if (!w->changes)
		return -1;
	for (j = 0; j < after->n_groups; j++) {
		const struct ax_group *ag = &after->groups[j];
		int b0 = ag->n ? before->dev[ag->members[0]].group : -1;
		struct ax_group_change *c;
		bool mixed = false;

		for (q = 0; q < ag->n; q++)
			if (before->dev[ag->members[q]].group != b0)
				mixed = true;
		if (!mixed && b0 >= 0 && before->groups[b0].n == ag->n)
			continue;	/* unchanged */
		c = &w->changes[w->n_changes++];
		c->group = j;
		c->merged = mixed;
		if (!mixed) {
			c->n_from = b0 >= 0 ? before->groups[b0].n : 0;
			continue;
		}
		/* count the distinct groups merged */
		for (q = 0; q < ag->n; q++) {
			int g = before->dev[ag->members[q]].group;

			for (k = 0; k < q; k++)
				if (before->dev[ag->members[k]].group == g)
					break;
			c->n_from += k == q;
		}
	}
	return 0;
}

int ax_what_if(const struct ax_machine *m, const struct ax_profile *p,
	       const struct ax_result *before, const char *const *specs,
	       int n_specs, const int *selected, int n_selected,
	       struct ax_whatif *w, char *err, size_t errlen)
{
	struct ax_addr *track = NULL;
	int i, k, ret = AX_EXIT_INTERNAL;

	memset(w, 0, sizeof(*w));
	w->profile = *p;
	track = calloc((size_t)n_selected + 1, sizeof(*track));
	if (!track || ax_machine_copy(&w->machine, m))
		goto fail;
	for (k = 0; k < n_selected; k++)
		track[k] = m->devs[selected[k]].addr;
	for (i = 0; i < n_specs; i++) {
		if (apply(w, specs[i], track, n_selected, err, errlen)) {
			ret = AX_EXIT_USAGE;
			goto fail;
		}
		snprintf(w->what + strlen(w->what),
			 sizeof(w->what) - strlen(w->what), "%s%s",
			 i ? ", " : "", specs[i]);
	}
	ax_acs_policy_describe(&w->machine, &w->profile);
	if (ax_derive(&w->machine, &w->profile, &w->res))
		goto fail;
	w->selected = calloc((size_t)n_selected + 1, sizeof(int));
	w->listed = calloc(w->machine.n + 1, sizeof(bool));
	if (!w->selected || !w->listed)
		goto fail;
	for (k = 0; k < n_selected; k++)
		w->selected[w->n_selected++] = ax_machine_find(&w->machine,
							       track[k]);
	/* moved addresses: the whole new picture */
	ax_mark_listed(&w->res, selected && !w->moved ? w->selected : NULL,
		       w->n_selected, w->listed);
	if (!w->moved && diff(before, w))
		goto fail;
	free(track);
	return AX_EXIT_OK;
fail:
	if (ret == AX_EXIT_INTERNAL)
		snprintf(err, errlen, "out of memory");
	free(track);
	ax_whatif_free(w);
	return ret;
}

void ax_whatif_free(struct ax_whatif *w)
{
	ax_result_free(&w->res);
	ax_machine_free(&w->machine);
	free(w->selected);
	free(w->listed);
	free(w->changes);
	memset(w, 0, sizeof(*w));
}
