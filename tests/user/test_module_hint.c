// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_module_hint.c - the hint for an unloaded module says "modprobe"
 * only when modprobe can find acs_inspect (modules.dep lists it), and
 * otherwise names the kernel and how to install the module.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"
#include "check.h"

static char root[] = "/tmp/acsx-modhint-XXXXXX";

static void write_dep(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/modules.dep", root, rel);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void expect(const char *rel, bool installed)
{
	char hint[256];
	bool got = ax_module_hint(root, rel, hint, sizeof(hint));

	CHECK(got == installed, "%s: installed %d, want %d", rel, got,
	      installed);
	if (installed) {
		CHECK(!strcmp(hint, "modprobe acs_inspect"), "%s: hint '%s'",
		      rel, hint);
	} else {
		CHECK(strstr(hint, "not installed for kernel ") &&
		      strstr(hint, rel) && strstr(hint, "acs-inspect-dkms") &&
		      strstr(hint, "make dkms-install") &&
		      !strstr(hint, "modprobe"),
		      "%s: hint '%s'", rel, hint);
	}
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	/* DKMS on 6.12 compresses; on 6.1 it does not. */
	write_dep("6.12-dkms",
		  "kernel/drivers/nvme/host/nvme.ko.xz: kernel/drivers/nvme/host/nvme-core.ko.xz\n"
		  "updates/dkms/acs_inspect.ko.xz:\n");
	write_dep("6.1-dkms", "kernel/fs/x.ko:\nupdates/dkms/acs_inspect.ko:\n");
	write_dep("6.1-extra", "extra/acs_inspect.ko.zst:\n");
	/* Names that only look alike, and a dependency that is not a module. */
	write_dep("lookalike",
		  "extra/acs_inspect_kunit.ko:\nextra/acs_inspectx.ko:\n"
		  "kernel/a.ko: updates/dkms/acs_inspect.ko\n");
	write_dep("empty", "");

	expect("6.12-dkms", true);
	expect("6.1-dkms", true);
	expect("6.1-extra", true);
	expect("lookalike", false);
	expect("empty", false);
	expect("no-such-kernel", false);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("note: could not remove %s\n", root);
	return check_report("test_module_hint");
}
