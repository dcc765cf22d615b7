// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * module_hint.c - "modprobe acs_inspect", or how to install it first.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "source.h"

/* A modules.dep line starts "path/acs_inspect.ko[.xz|.zst|.gz]:". */
static bool dep_lists_module(FILE *f)
{
	char line[4096];

	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		char *base;

		if (!colon)
			continue;
		*colon = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		if (!strncmp(base, "acs_inspect.ko", 14) &&
		    (base[14] == '\0' || base[14] == '.'))
			return true;
	}
	return false;
}

bool ax_module_hint(const char *moddir, const char *rel, char *buf,
		    size_t len)
{
	struct utsname u;
	char path[512];
	bool found = false;
	FILE *f;

	if (!rel) {
		rel = uname(&u) == 0 ? u.release : "?";
	}
	snprintf(path, sizeof(path), "%s/%s/modules.dep", moddir, rel);
	f = fopen(path, "r");
	if (f) {
		found = dep_lists_module(f);
		fclose(f);
	}
	if (found)
		snprintf(buf, len, "modprobe acs_inspect");
	else
		snprintf(buf, len,
			 "not installed for kernel %s: apt install acs-inspect-dkms, or make dkms-install in the sources",
			 rel);
	return found;
}
