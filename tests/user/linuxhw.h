/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linuxhw.h - the path of the first real linuxhw report whose name starts
 * with a prefix, in $ACSX_DATA (default ../shared/data), or "" when there
 * is none.  For the plain C tests that read real reports.
 */
#ifndef ACSX_TEST_LINUXHW_H
#define ACSX_TEST_LINUXHW_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *linuxhw(const char *prefix)
{
	static char path[1024];
	char cmd[600];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls %s/linuxhw/%s* 2>/dev/null | head -n 1",
		 getenv("ACSX_DATA") ? getenv("ACSX_DATA") : "../shared/data",
		 prefix);
	p = popen(cmd, "r");
	path[0] = '\0';
	if (p) {
		if (!fgets(path, sizeof(path), p))
			path[0] = '\0';
		pclose(p);
	}
	path[strcspn(path, "\n")] = '\0';
	return path;
}

#endif
