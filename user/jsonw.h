/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonw.h - the one way acsexplain writes JSON (json-c): the --json
 * result (render/json.c, render/advice_json.c) and --save snapshots
 * (src/snapshot.c).
 *
 * Out of memory is remembered in struct jw and checked once when the
 * document is written, not after every field.  A value constructor
 * returning NULL means out of memory; jw_put() with a NULL value writes
 * JSON null.  Keys are string literals (json-c does not copy them).
 *
 * Large arrays are written as a stream: jw_later() stands in for an
 * element that is built, written and freed only when jw_write() reaches
 * it, so 10,000 devices never live as one json-c tree or one string.
 */
#ifndef ACSEXPLAIN_JSONW_H
#define ACSEXPLAIN_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "model.h"

/* Builds element idx for jw_later(); NULL on out of memory. */
typedef json_object *(*jw_make_fn)(void *ctx, int idx);

struct jw_later_rec {
	jw_make_fn make;
	void *ctx;
	int idx;
};

struct jw {
	bool oom;
	struct jw_later_rec *later;	/* the stand-ins, by number */
	size_t n_later, cap_later;
};

/* Add v under key (NULL: a JSON null). */
void jw_put(struct jw *w, json_object *o, const char *key, json_object *v);
/* Append v to an array; NULL counts as out of memory. */
void jw_push(struct jw *w, json_object *arr, json_object *v);

json_object *jw_obj(struct jw *w);
/* An array with room for n elements. */
json_object *jw_arr(struct jw *w, size_t n);
json_object *jw_str(struct jw *w, const char *s);
/* NULL (a JSON null) for NULL or "". */
json_object *jw_str_or_null(struct jw *w, const char *s);
json_object *jw_int(struct jw *w, int64_t v);
json_object *jw_bool(struct jw *w, bool b);
/* "%0*x": ids and classes as lspci prints them. */
json_object *jw_hex(struct jw *w, unsigned int v, int digits);
json_object *jw_addr(struct jw *w, struct ax_addr a);
/* An object built elsewhere (NULL: out of memory). */
json_object *jw_adopt(struct jw *w, json_object *o);

/* A stand-in for make(ctx, idx), built when jw_write() gets there; ctx
 * must live until then.
 */
json_object *jw_later(struct jw *w, jw_make_fn make, void *ctx, int idx);

/*
 * Write root to out with json-c's flags (JSON_C_TO_STRING_*) and a
 * newline, building each stand-in in turn; the output is byte for byte
 * what json-c prints for the whole tree.  Frees root and the stand-ins.
 * 0, or -1 with errno set (ENOMEM, or the write error).
 */
int jw_write(struct jw *w, FILE *out, json_object *root, int flags);
/* Free root and the stand-ins without writing. */
void jw_free(struct jw *w, json_object *root);

#endif
