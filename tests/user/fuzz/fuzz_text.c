// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_text.c - libFuzzer harness for pasted lspci -v/-vv/-vvv text:
 * format detection, the text source, a separate group listing read from
 * the same bytes, then link and derivation of whatever they produced.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct ax_machine m;
	char err[256] = "";
	int fmt;

	fmt = ax_detect_format(buf, size);
	if (fmt < AX_FMT_UNKNOWN || fmt > AX_FMT_GROUPS)
		__builtin_trap();
	ax_machine_init(&m);
	if (ax_source_text(&m, buf, size, err, sizeof(err))) {
		fuzz_check_err(err);
	} else {
		err[0] = '\0';
		/* the text's devices, listed again as a group listing */
		if (ax_parse_group_listing(&m, buf, size, err, sizeof(err)))
			fuzz_check_err(err);
		fuzz_derive(&m);
	}
	ax_machine_free(&m);

	/* a listing against a machine that has none of its devices */
	ax_machine_init(&m);
	err[0] = '\0';
	if (ax_parse_group_listing(&m, buf, size, err, sizeof(err)))
		fuzz_check_err(err);
	ax_machine_free(&m);
	return 0;
}
