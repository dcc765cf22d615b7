/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_common.h - what every fuzz harness does once a source has filled
 * a machine: the steps acsexplain takes after reading its input (link,
 * port inference, derivation, explanation), so that whatever a parser
 * lets through is also fed to the code that trusts it.
 */
#ifndef ACSEXPLAIN_FUZZ_COMMON_H
#define ACSEXPLAIN_FUZZ_COMMON_H

#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "model.h"
#include "render.h"

static FILE *fuzz_null(void)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	return null;
}

/* One error line: never empty, no line break or other control byte
 * (an input's escape sequences must not reach the terminal).
 */
static void fuzz_check_err(const char *err)
{
	const unsigned char *q = (const unsigned char *)err;

	if (!*q)
		__builtin_trap();
	for (; *q; q++)
		if (*q < 0x20 || *q == 0x7f)
			__builtin_trap();
}

/* Analyse and render as acsexplain does: every group with the audit,
 * then the first device with its plan, in text and JSON.
 */
static void fuzz_derive(struct ax_machine *m)
{
	struct ax_render_opts ro = { .color = true };
	struct ax_request rq = { .all = true, .plan = true, .audit = true };
	struct ax_analysis a;
	char err[256] = "";

	if (ax_machine_link(m, err, sizeof(err))) {
		fuzz_check_err(err);
		return;
	}
	ax_machine_infer_ports(m);
	if (ax_analyse(m, &rq, &a, err, sizeof(err)))
		return;
	ax_render_text(fuzz_null(), &a, &ro);
	ax_render_json(fuzz_null(), &a, &ro);
	ax_analysis_free(&a);
	if (!m->n)
		return;
	rq.all = false;
	rq.has_target = true;
	rq.target.addr = m->devs[0].addr;
	rq.target_text = "fuzz";
	if (ax_analyse(m, &rq, &a, err, sizeof(err)))
		return;
	ax_render_text(fuzz_null(), &a, &ro);
	ax_render_json(fuzz_null(), &a, &ro);
	ax_analysis_free(&a);
}

#endif
