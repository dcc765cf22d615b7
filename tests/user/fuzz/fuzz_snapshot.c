// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_snapshot.c - libFuzzer harness for acsexplain --from SNAPSHOT:
 * the JSON reader, then derivation of whatever it accepted.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ax_machine m;
	char err[256] = "";

	ax_snapshot_detect((const char *)data, size);
	ax_machine_init(&m);
	if (ax_snapshot_load(&m, (const char *)data, size, err, sizeof(err)))
		fuzz_check_err(err);
	else
		fuzz_derive(&m);
	ax_machine_free(&m);
	return 0;
}
