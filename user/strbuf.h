/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strbuf.h - a growing string for composed advice text (plan files,
 * command lines): out of memory is remembered, not fatal, so callers
 * check once at the end.
 */
#ifndef ACSEXPLAIN_STRBUF_H
#define ACSEXPLAIN_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

struct ax_sb {
	char *s;
	size_t len, cap;
	bool oom;
};

static inline __attribute__((format(printf, 2, 3)))
void ax_sb_printf(struct ax_sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = (b->len + (size_t)n + 1) * 2;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* The text (never NULL; "" when empty); ownership stays with b. */
static inline const char *ax_sb_str(const struct ax_sb *b)
{
	return b->s ? b->s : "";
}

/* Hand the text over to the caller (malloc'd, never NULL unless oom). */
static inline char *ax_sb_take(struct ax_sb *b)
{
	char *s = b->s;

	if (!s && !b->oom)
		s = calloc(1, 1);
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

#endif
