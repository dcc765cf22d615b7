// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jsonw.c - the JSON writing helpers of jsonw.h over json-c, and the
 * streaming of large arrays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/printbuf.h>

#include "jsonw.h"

void jw_put(struct jw *w, json_object *o, const char *key, json_object *v)
{
	if (w->oom || !o) {
		w->oom = true;
		json_object_put(v);
		return;
	}
	if (json_object_object_add_ex(o, key, v,
				      JSON_C_OBJECT_ADD_KEY_IS_NEW |
				      JSON_C_OBJECT_KEY_IS_CONSTANT)) {
		json_object_put(v);
		w->oom = true;
	}
}

void jw_push(struct jw *w, json_object *arr, json_object *v)
{
	if (w->oom || !arr || !v || json_object_array_add(arr, v)) {
		json_object_put(v);
		w->oom = true;
	}
}

json_object *jw_adopt(struct jw *w, json_object *o)
{
	if (!o)
		w->oom = true;
	return o;
}

json_object *jw_obj(struct jw *w)
{
	return jw_adopt(w, json_object_new_object());
}

json_object *jw_arr(struct jw *w, size_t n)
{
	return jw_adopt(w, json_object_new_array_ext(n ? (int)n : 1));
}

json_object *jw_str(struct jw *w, const char *s)
{
	return jw_adopt(w, json_object_new_string(s));
}

json_object *jw_str_or_null(struct jw *w, const char *s)
{
	return s && s[0] ? jw_str(w, s) : NULL;
}

json_object *jw_int(struct jw *w, int64_t v)
{
	return jw_adopt(w, json_object_new_int64(v));
}

json_object *jw_bool(struct jw *w, bool b)
{
	return jw_adopt(w, json_object_new_boolean(b));
}

json_object *jw_hex(struct jw *w, unsigned int v, int digits)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", digits, v);
	return jw_str(w, buf);
}

json_object *jw_addr(struct jw *w, struct ax_addr a)
{
	char buf[AX_ADDR_STRLEN];

	return jw_str(w, ax_addr_str(a, buf));
}

/*
 * A stand-in prints as a marker: \001, its number, its nesting level,
 * \002.  json-c escapes control bytes inside strings, so a raw \001 in
 * the printed document is always a marker.
 */
static int later_print(json_object *o, struct printbuf *pb, int level,
		       int flags)
{
	(void)flags;
	return sprintbuf(pb, "\001%d %d\002",
			 (int)(intptr_t)json_object_get_userdata(o), level);
}

json_object *jw_later(struct jw *w, jw_make_fn make, void *ctx, int idx)
{
	json_object *o;

	if (w->oom)
		return NULL;
	if (w->n_later == w->cap_later) {
		size_t nc = w->cap_later ? 2 * w->cap_later : 256;
		struct jw_later_rec *l = realloc(w->later, nc * sizeof(*l));

		if (!l) {
			w->oom = true;
			return NULL;
		}
		w->later = l;
		w->cap_later = nc;
	}
	o = jw_adopt(w, json_object_new_int(0));
	if (!o)
		return NULL;
	w->later[w->n_later] = (struct jw_later_rec){ make, ctx, idx };
	json_object_set_serializer(o, later_print,
				   (void *)(intptr_t)w->n_later++, NULL);
	return o;
}

/* s printed at nesting level 0, written as if at level: json-c indents
 * each line of a pretty document by its level (JSON strings hold no raw
 * newline, so every '\n' is a line break of the layout).
 */
static int write_at_level(FILE *out, const char *s, int level, int flags)
{
	const char *nl;
	int k;

	if (!(flags & JSON_C_TO_STRING_PRETTY) || !level)
		return fputs(s, out) == EOF ? -1 : 0;
	while ((nl = strchr(s, '\n'))) {
		if (fwrite(s, 1, (size_t)(nl - s) + 1, out) !=
		    (size_t)(nl - s) + 1)
			return -1;
		for (k = 0; k < level; k++)
			if (fputs(flags & JSON_C_TO_STRING_PRETTY_TAB ? "\t" :
				  "  ", out) == EOF)
				return -1;
		s = nl + 1;
	}
	return fputs(s, out) == EOF ? -1 : 0;
}

void jw_free(struct jw *w, json_object *root)
{
	json_object_put(root);
	free(w->later);
	w->later = NULL;
	w->n_later = w->cap_later = 0;
}

int jw_write(struct jw *w, FILE *out, json_object *root, int flags)
{
	const char *s, *mark;
	int ret = -1;

	if (w->oom || !root) {
		errno = ENOMEM;
		goto out;
	}
	s = json_object_to_json_string_ext(root, flags);
	if (!s) {
		errno = ENOMEM;
		goto out;
	}
	while ((mark = strchr(s, '\001'))) {
		unsigned int n;
		int level, used = 0;
		json_object *o;
		const char *t;

		if (fwrite(s, 1, (size_t)(mark - s), out) != (size_t)(mark - s))
			goto out;
		if (sscanf(mark + 1, "%u %d\002%n", &n, &level, &used) != 2 ||
		    !used || n >= w->n_later) {
			errno = EINVAL;	/* cannot happen: our own marker */
			goto out;
		}
		o = w->later[n].make(w->later[n].ctx, w->later[n].idx);
		t = o ? json_object_to_json_string_ext(o, flags) : NULL;
		if (!t) {
			json_object_put(o);
			errno = ENOMEM;
			goto out;
		}
		if (write_at_level(out, t, level, flags)) {
			json_object_put(o);
			goto out;
		}
		json_object_put(o);
		s = mark + 1 + used;
	}
	if (fputs(s, out) != EOF && fputc('\n', out) != EOF && !fflush(out))
		ret = 0;
out:
	jw_free(w, root);
	return ret;
}
