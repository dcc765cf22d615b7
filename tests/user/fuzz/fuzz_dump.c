// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_dump.c - libFuzzer harness for lspci -x/-xxx/-xxxx dumps: the reader
 * streams a file (src/hexdump.c), so the input goes to a file under /dev/shm.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ax_machine m;
	char err[256] = "";
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/dev/shm/fuzz_dump.%d",
			 (int)getpid());
	f = fopen(path, "w");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	ax_machine_init(&m);
	if (ax_source_dump(&m, path, err, sizeof(err)))
		fuzz_check_err(err);
	else
		fuzz_derive(&m);
	ax_machine_free(&m);
	unlink(path);
	return 0;
}
