/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.h - the counting assertion of the plain C tests in tests/user: a
 * failed check prints where and why, and the test ends with the line
 * "NAME: N passed, N failed" that run.sh and CI read.
 */
#ifndef ACSEXPLAIN_TEST_CHECK_H
#define ACSEXPLAIN_TEST_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (cond) {                                               \
			passed++;                                         \
		} else {                                                  \
			failed++;                                         \
			printf("FAIL %s:%d: ", __func__, __LINE__);       \
			printf(__VA_ARGS__);                              \
			printf("\n");                                     \
		}                                                         \
	} while (0)

/* The closing line; the exit status of the test binary. */
static inline int check_report(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, passed, failed);
	return failed ? 1 : 0;
}

#endif
