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
#include "render.h"
#include "model.h"

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

static void fuzz_derive(struct ax_machine *m)
{
	struct ax_explain_opts eo = { .plan = true, .audit = true,
				      .verbose = true };
	struct ax_profile p;
	struct ax_result r;
	char err[256] = "";
	int i;

	if (ax_machine_link(m, err, sizeof(err))) {
		fuzz_check_err(err);
		return;
	}
	ax_machine_infer_ports(m);
	ax_profile_init(&p);
	p.kver = ax_kver_parse(m->kernel_release);
	ax_profile_from_cmdline(&p, m->cmdline);
	if (m->iommu == AX_IOMMU_OFF)
		p.assume_acs_requested = true;
	memset(&r, 0, sizeof(r));
	if (ax_derive(m, &p, &r))
		return;
	ax_explain_all(fuzz_null(), m, &p, &r, &eo);
	for (i = 0; i < (int)m->n && i < 4; i++)
		ax_explain_device(fuzz_null(), m, &p, &r, i, &eo);
	ax_result_free(&r);
}

#endif
