// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * source.c - the table of sources, input format detection and file
 * reading: how acsexplain gets its facts before anything is concluded.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "source.h"

#define MAX_FILE (256u << 20)

char *ax_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t r;

		if (n + 65536 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 131072;
			if (cap > MAX_FILE + 1) {
				snprintf(err, errlen, "%s: larger than %u MiB",
					 path, MAX_FILE >> 20);
				free(buf);
				buf = NULL;
				break;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				snprintf(err, errlen, "out of memory");
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, 65536, f);
		n += r;
		if (r < 65536) {
			if (ferror(f)) {
				/* a directory reads as EISDIR */
				snprintf(err, errlen, "%s: %s", path,
					 strerror(errno ? errno : EIO));
				free(buf);
				buf = NULL;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

/* ---- live sources ------------------------------------------------------ */

static bool detect_netlink(const struct ax_input *in)
{
	(void)in;
	/* the family exists exactly while the module is loaded */
	return access("/sys/module/acs_inspect", F_OK) == 0;
}

static int load_netlink(struct ax_machine *m, const struct ax_input *in,
			char *err, size_t errlen)
{
	(void)in;
	return ax_source_netlink(m, err, errlen) ? AX_EXIT_SOURCE :
						   AX_EXIT_OK;
}

static bool detect_sysfs(const struct ax_input *in)
{
	(void)in;
	return access("/sys/bus/pci/devices", F_OK) == 0;
}

static int load_sysfs(struct ax_machine *m, const struct ax_input *in,
		      char *err, size_t errlen)
{
	(void)in;
	return ax_source_sysfs(m, err, errlen) ? AX_EXIT_SOURCE : AX_EXIT_OK;
}

/* ---- file sources ------------------------------------------------------ */

static bool detect_snapshot(const struct ax_input *in)
{
	return in->format == AX_FMT_SNAPSHOT;
}

static int load_snapshot(struct ax_machine *m, const struct ax_input *in,
			 char *err, size_t errlen)
{
	if (ax_snapshot_load(m, in->buf, in->len, err, errlen))
		return AX_EXIT_INPUT;
	m->source = AX_SRC_SNAPSHOT;
	return AX_EXIT_OK;
}

static bool detect_dump(const struct ax_input *in)
{
	return in->format == AX_FMT_DUMP;
}

static int load_dump(struct ax_machine *m, const struct ax_input *in,
		     char *err, size_t errlen)
{
	/* a regular file is streamed (in->buf NULL), stdin was read whole */
	if (in->buf)
		return ax_dump_buf(m, in->path, in->buf, in->len, err,
				   errlen) ? AX_EXIT_INPUT : AX_EXIT_OK;
	return ax_source_dump(m, in->path, err, errlen) ? AX_EXIT_INPUT :
							  AX_EXIT_OK;
}

static bool detect_text(const struct ax_input *in)
{
	return in->format == AX_FMT_LSPCI_TEXT;
}

static int load_text(struct ax_machine *m, const struct ax_input *in,
		     char *err, size_t errlen)
{
	return ax_source_text(m, in->buf, in->len, err, errlen) ?
	       AX_EXIT_INPUT : AX_EXIT_OK;
}

/* Live sources in the order "auto" tries them. */
const struct ax_source_ops ax_sources[] = {
	{ "netlink", true, detect_netlink, load_netlink },
	{ "sysfs", true, detect_sysfs, load_sysfs },
	{ "snapshot", false, detect_snapshot, load_snapshot },
	{ "dump", false, detect_dump, load_dump },
	{ "lspci-text", false, detect_text, load_text },
};
const size_t ax_n_sources = AX_ARRAY_SIZE(ax_sources);

/* ax_detect_format() looks at this many lines at most. */
#define DETECT_LINES 200000

/*
 * The format of the regular file at path from the lines
 * ax_detect_format() looks at, without reading the rest: a dump of
 * 10,000 functions (130 MB) is then streamed, not held.  -1 when path is
 * no regular file or unreadable (read it whole, which says why); *empty
 * for an empty file.
 */
static int detect_regular_file(const char *path, bool *empty)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), fmt = -1;
	size_t n = 0, cap = 0, seps = 0, i;
	char *buf = NULL;
	struct stat st;
	bool eof = false;

	*empty = false;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		goto out;
	while (seps < DETECT_LINES) {
		ssize_t got;

		if (n + 65536 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 1u << 20);

			if (!nb)
				goto out;
			buf = nb;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0)
			goto out;
		if (!got) {
			eof = true;
			break;
		}
		for (i = n; i < n + (size_t)got; i++)
			seps += buf[i] == '\n' || buf[i] == '\r';
		n += (size_t)got;
	}
	buf[n] = '\0';
	*empty = !n;
	fmt = ax_detect_format(buf, n);
	/* nothing but blanks so far: the first byte after them decides
	 * whether it is a snapshot
	 */
	for (i = 0; i < n && isspace((unsigned char)buf[i]); i++)
		;
	while (i == n && !eof) {
		ssize_t got = read(fd, buf, cap - 1);

		if (got <= 0)
			break;
		for (n = (size_t)got, i = 0;
		     i < n && isspace((unsigned char)buf[i]); i++)
			;
		if (i < n && buf[i] == '{')
			fmt = AX_FMT_SNAPSHOT;
	}
out:
	free(buf);
	close(fd);
	return fmt;
}

static int gather_file(struct ax_machine *m, const char *path, char *err,
		       size_t errlen)
{
	struct ax_input in = { .path = path };
	char *buf = NULL;
	int ret = AX_EXIT_INPUT;
	bool empty = false;
	size_t i;

	in.format = strcmp(path, "-") ? detect_regular_file(path, &empty) : -1;
	if (empty) {
		snprintf(err, errlen, "%s: empty file", path);
		return AX_EXIT_INPUT;
	}
	if (in.format != AX_FMT_DUMP) {
		buf = ax_read_file(path, &in.len, err, errlen);
		if (!buf)
			return AX_EXIT_INPUT;
		in.buf = buf;
		if (!in.len) {
			snprintf(err, errlen, "%s: empty file", path);
			goto out;
		}
		if (in.format < 0)
			in.format = ax_detect_format(buf, in.len);
	}
	for (i = 0; i < ax_n_sources; i++)
		if (!ax_sources[i].live && ax_sources[i].detect(&in))
			break;
	if (i == ax_n_sources) {
		snprintf(err, errlen,
			 "%s: not a snapshot, lspci -xxxx dump or lspci -vvv report",
			 path);
		goto out;
	}
	ret = ax_sources[i].load(m, &in, err, errlen);
	if (ret)
		goto out;
	snprintf(m->source_name, sizeof(m->source_name), "%s", path);
	/* linuxhw-style names carry the kernel release */
	if (!m->kernel_release[0])
		ax_release_from_name(m, path);
out:
	free(buf);
	return ret;
}

int ax_gather(struct ax_machine *m, const char *source, const char *path,
	      char *err, size_t errlen)
{
	const struct ax_source_ops *s = NULL;
	size_t i;
	int ret;

	if (path)
		return gather_file(m, path, err, errlen);
	if (source && strcmp(source, "auto")) {
		for (i = 0; i < ax_n_sources; i++)
			if (ax_sources[i].live &&
			    !strcmp(ax_sources[i].name, source))
				s = &ax_sources[i];
		if (!s) {
			snprintf(err, errlen,
				 "unknown --source '%s' (auto, netlink, sysfs)",
				 source);
			return AX_EXIT_USAGE;
		}
		return s->load(m, NULL, err, errlen);
	}
	/* auto: the module when it is there, else sysfs */
	if (detect_netlink(NULL)) {
		ret = load_netlink(m, NULL, err, errlen);
		if (!ret)
			return AX_EXIT_OK;
		ax_machine_free(m);
		ax_machine_init(m);
		/* e.g. a module of another protocol version: say so, but
		 * still answer from sysfs
		 */
		ax_machine_note(m, "%s; facts from sysfs instead", err);
	} else {
		char hint[256];

		ax_module_hint("/lib/modules", NULL, hint, sizeof(hint));
		ax_machine_note(m,
				"acs_inspect module not loaded (%s): facts from sysfs, DMA aliases inferred",
				hint);
	}
	return load_sysfs(m, NULL, err, errlen);
}

int ax_apply_groups_file(struct ax_machine *m, const char *path, char *err,
			 size_t errlen)
{
	size_t len, i;
	char *buf = ax_read_file(path, &len, err, errlen);
	int ret = AX_EXIT_OK;

	if (!buf)
		return AX_EXIT_INPUT;
	if (!buf[strspn(buf, " \t\r\n")]) {
		/* an empty listing: the kernel made no groups */
		m->kernel_groups_known = true;
		m->iommu = AX_IOMMU_OFF;
		for (i = 0; i < m->n; i++)
			m->devs[i].kernel_group = AX_GROUP_NONE;
	} else if (ax_parse_group_listing(m, buf, len, err, errlen)) {
		ret = AX_EXIT_INPUT;
	}
	free(buf);
	return ret;
}
