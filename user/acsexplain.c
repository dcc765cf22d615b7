// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * acsexplain - explain why IOMMU groups look the way they do.
 *
 * Gathers facts (acs_inspect module, sysfs, or a file), re-derives every
 * group with the kernel's algorithm, and explains the groups.  See
 * acsexplain(8).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acs_kernel.h"
#include "analysis.h"
#include "kernel_release.h"
#include "exitcodes.h"
#include "quirks.h"
#include "render.h"
#include "source.h"

#define MAX_FILE (256u << 20)

struct opts {
	const char *target;
	const char *from, *groups, *save, *kernel, *source, *cmdline;
	const char *what_if[8];
	int n_what_if;
	const char *validate;
	bool all, json, plan, audit, check_kernel;
	int color;		/* -1 auto */
};

static const char *prog = "acsexplain";

static void usage(FILE *out)
{
	fprintf(out,
		"usage: %s [options] [ADDRESS | VENDOR:DEVICE]\n"
		"Explain why a PCI device's IOMMU group looks the way it does.\n\n"
		"  ADDRESS              0000:07:00.1 or 07:00.1; VENDOR:DEVICE like 8086:15b7\n"
		"  -a, --all            explain every group\n"
		"  -j, --json           JSON output (schema acsexplain/1)\n"
		"      --no-color       no colours (default: colours on a terminal)\n"
		"  -s, --source SRC     auto (default), netlink (acs_inspect module), sysfs\n"
		"  -f, --from FILE      facts from a snapshot, lspci -xxxx dump or lspci -vvv text\n"
		"  -g, --groups FILE    a group listing to compare with (find /sys/kernel/iommu_groups -type l)\n"
		"  -S, --save FILE      save a snapshot of the facts read\n"
		"  -k, --kernel REL     use the quirks and rules of kernel release REL (e.g. 5.9)\n"
		"  -w, --what-if SPEC   acs-override=downstream,multifunction,id:vvvv:dddd | quirk=vvvv:dddd |\n"
		"                       iommu=on | iommu=off |\n"
		"                       disable-acs-redir=ADDR | config-acs=FLAGS@ADDR | kernel=REL |\n"
		"                       move=ADDR@PORT\n"
		"  -p, --plan           vfio-pci assignment plan for the device's group\n"
		"  -A, --audit          isolation audit (where groups promise more than hardware gives)\n"
		"  -Q, --validate-quirk VENDOR:DEVICE  check a vendor ACS quirk against the facts\n"
		"      --check-kernel   exit 5 when the derived groups differ from the kernel's\n"
		"      --kernel-cmdline S  the kernel command line the offline facts were taken under\n"
		"  -V, --version        print the version\n"
		"  -h, --help           this help\n"
		"Exit status: 0 ok, 1 no such device, 2 usage, 3 source unavailable,\n"
		"4 bad input file, 5 groups differ (--check-kernel), 6 internal error.\n",
		prog);
}

static int fail(int code, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return code;
}

static char *read_file(const char *path, size_t *len, char *err,
		       size_t errlen)
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
				snprintf(err, errlen, "%s: read error", path);
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

/* --from: detect what the file is and read it. */
static int load_file(struct ax_machine *m, const char *path, char *err,
		     size_t errlen)
{
	size_t len = 0;
	char *buf = read_file(path, &len, err, errlen);
	int ret, fmt;

	if (!buf)
		return -1;
	if (!len) {
		snprintf(err, errlen, "%s: empty file", path);
		free(buf);
		return -1;
	}
	fmt = ax_detect_format(buf, len);
	switch (fmt) {
	case AX_FMT_SNAPSHOT:
		ret = ax_snapshot_load(m, buf, len, err, errlen);
		if (ret == AX_SNAP_ENEWER)
			ret = -2;
		else if (ret)
			ret = -1;
		else
			m->source = AX_SRC_SNAPSHOT;
		break;
	case AX_FMT_DUMP:
		/* libpci reads the file itself: do not hold a second copy */
		free(buf);
		buf = NULL;
		ret = ax_source_dump(m, path, err, errlen);
		break;
	case AX_FMT_LSPCI_TEXT:
		ret = ax_source_text(m, buf, len, err, errlen);
		break;
	default:
		snprintf(err, errlen,
			 "%s: not a snapshot, lspci -xxxx dump or lspci -vvv report",
			 path);
		ret = -1;
		break;
	}
	if (!ret) {
		snprintf(m->source_name, sizeof(m->source_name), "%s", path);
		/* linuxhw-style names carry the kernel release */
		if (!m->kernel_release[0])
			ax_release_from_name(m, path);
	}
	free(buf);
	return ret;
}

static int parse_id(const char *s, uint16_t *v, uint16_t *d)
{
	unsigned int a, b;
	char tail;

	if (strlen(s) != 9 || s[4] != ':' ||
	    sscanf(s, "%4x:%4x%c", &a, &b, &tail) != 2)
		return -1;
	*v = (uint16_t)a;
	*d = (uint16_t)b;
	return 0;
}

/* Apply one --what-if SPEC to a profile (or machine, for move=). */
static int apply_what_if(struct ax_machine *m, struct ax_profile *p,
			 const char *spec, char *err, size_t errlen)
{
	p->hypothetical = true;
	if (!strncmp(spec, "acs-override=", 13)) {
		char cl[600];

		snprintf(cl, sizeof(cl), "pcie_acs_override=%s", spec + 13);
		ax_profile_from_cmdline(p, cl);
		return 0;
	}
	if (!strncmp(spec, "quirk=", 6)) {
		uint16_t v, d;

		if (parse_id(spec + 6, &v, &d) || p->n_extra_quirks >= 16)
			goto bad;
		p->extra_quirk_ids[p->n_extra_quirks++] =
			(uint32_t)v << 16 | d;
		return 0;
	}
	if (!strncmp(spec, "disable-acs-redir=", 18)) {
		snprintf(p->disable_acs_redir, sizeof(p->disable_acs_redir),
			 "%s", spec + 18);
		return 0;
	}
	if (!strncmp(spec, "config-acs=", 11)) {
		if (!strchr(spec, '@'))
			goto bad;
		snprintf(p->config_acs, sizeof(p->config_acs), "%s",
			 spec + 11);
		return 0;
	}
	if (!strncmp(spec, "iommu=", 6)) {
		if (!ax_what_if_iommu(m, p, spec + 6))
			return 0;
		snprintf(err, errlen, "bad --what-if '%s': use iommu=on or iommu=off",
			 spec);
		return -1;
	}
	if (!strncmp(spec, "kernel=", 7)) {
		ax_release_map(spec + 7, p);
		if (!p->kver)
			goto bad;
		p->kver_from_data = false;
		return 0;
	}
	if (!strncmp(spec, "move=", 5)) {
		/* move=07:00.0@00:1c.4: the device's slot (all functions)
		 * goes below another port, same device number.
		 */
		char buf[64], *at;
		struct ax_addr from, port;
		int pi, i, moved = 0;

		snprintf(buf, sizeof(buf), "%s", spec + 5);
		at = strchr(buf, '@');
		if (!at)
			goto bad;
		*at = '\0';
		if (ax_addr_parse(buf, &from) || ax_addr_parse(at + 1, &port))
			goto bad;
		pi = ax_machine_find(m, port);
		if (pi < 0 || !m->devs[pi].is_bridge ||
		    !m->devs[pi].secondary) {
			snprintf(err, errlen, "what-if %s: %s is not a bridge or port in these facts",
				 spec, at + 1);
			return -1;
		}
		for (i = 0; i < (int)m->n; i++) {
			struct ax_dev *d = &m->devs[i];
			struct ax_addr na;

			if (d->addr.domain != from.domain ||
			    d->addr.bus != from.bus ||
			    AX_SLOT(d->addr.devfn) != AX_SLOT(from.devfn))
				continue;
			na = d->addr;
			na.domain = m->devs[pi].addr.domain;
			na.bus = m->devs[pi].secondary;
			if (ax_machine_find(m, na) >= 0) {
				snprintf(err, errlen,
					 "what-if %s: the slot below %s is occupied",
					 spec, at + 1);
				return -1;
			}
			d->addr = na;
			moved++;
		}
		if (!moved) {
			snprintf(err, errlen, "what-if %s: no device at %s",
				 spec, buf);
			return -1;
		}
		return ax_machine_link(m, err, errlen);
	}
bad:
	snprintf(err, errlen, "bad --what-if '%s'", spec);
	return -1;
}

static int machine_copy(struct ax_machine *dst, const struct ax_machine *src)
{
	*dst = *src;
	dst->devs = malloc((src->n + 1) * sizeof(*dst->devs));
	if (!dst->devs)
		return -1;
	memcpy(dst->devs, src->devs, src->n * sizeof(*dst->devs));
	dst->cap = src->n + 1;
	return 0;
}

/*
 * The kernel grouped differently than its algorithm predicts: find the
 * change that reproduces the kernel's groups.  The ACS override patch
 * (Proxmox, Zen) is the usual one; a quirk backported to a distribution
 * kernel is the other.
 */
static void explain_mismatch(struct ax_machine *m, const struct ax_profile *p,
			     struct ax_result *res)
{
	static const char *const ovr[] = {
		"downstream", "multifunction", "downstream,multifunction",
	};
	int *saved = malloc((m->n + 1) * sizeof(int));
	size_t i, k;

	if (!saved)
		return;
	for (i = 0; i < m->n; i++)
		saved[i] = m->devs[i].group;
	for (k = 0; k < sizeof(ovr) / sizeof(ovr[0]) + 1; k++) {
		struct ax_profile p2 = *p;
		struct ax_result r2;
		char cl[128];
		bool hit;

		if (k < sizeof(ovr) / sizeof(ovr[0])) {
			snprintf(cl, sizeof(cl), "pcie_acs_override=%s", ovr[k]);
			ax_profile_from_cmdline(&p2, cl);
		} else if (p->kver && p->kver < axq_db_newest) {
			p2.kver = 0;
		} else {
			break;
		}
		if (ax_derive(m, &p2, &r2))
			break;
		hit = r2.matches_kernel;
		ax_result_free(&r2);
		if (!hit)
			continue;
		if (k < sizeof(ovr) / sizeof(ovr[0]))
			snprintf(res->mismatch_cause, sizeof(res->mismatch_cause),
				 "the kernel's groups are exactly what the out-of-tree ACS override patch makes with pcie_acs_override=%s: that isolation is simulated, not real",
				 ovr[k]);
		else
			snprintf(res->mismatch_cause, sizeof(res->mismatch_cause),
				 "the kernel's groups match the quirks of the newest kernel: this distribution kernel carries quirks backported from later releases");
		break;
	}
	for (i = 0; i < m->n; i++)
		m->devs[i].group = saved[i];
	free(saved);
}

static int gather(struct ax_machine *m, const struct opts *o, char *err,
		  size_t errlen)
{
	int ret;

	if (o->from) {
		ret = load_file(m, o->from, err, errlen);
		if (ret == -2)
			return AX_EXIT_INPUT;
		return ret ? AX_EXIT_INPUT : 0;
	}
	if (!o->source || !strcmp(o->source, "auto") ||
	    !strcmp(o->source, "netlink")) {
		ret = ax_source_netlink(m, err, errlen);
		if (!ret)
			return 0;
		if (o->source && !strcmp(o->source, "netlink"))
			return AX_EXIT_SOURCE;
		if (ret != AX_NL_ENOMODULE && ret != AX_NL_EPERM) {
			/* a module of another protocol version: say so, but
			 * still answer from sysfs
			 */
			fprintf(stderr, "%s: %s; using sysfs instead\n", prog,
				err);
		}
		ax_machine_free(m);
		ax_machine_init(m);
		if (ret == AX_NL_ENOMODULE)
			ax_machine_note(m,
					"acs_inspect module not loaded (modprobe acs_inspect): facts from sysfs, DMA aliases inferred");
	} else if (strcmp(o->source, "sysfs")) {
		snprintf(err, errlen,
			 "unknown --source '%s' (auto, netlink, sysfs)",
			 o->source);
		return AX_EXIT_USAGE;
	}
	ret = ax_source_sysfs(m, err, errlen);
	return ret ? AX_EXIT_SOURCE : 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "color", no_argument, NULL, 'c' },
		{ "source", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "groups", required_argument, NULL, 'g' },
		{ "save", required_argument, NULL, 'S' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "what-if", required_argument, NULL, 'w' },
		{ "plan", no_argument, NULL, 'p' },
		{ "audit", no_argument, NULL, 'A' },
		{ "validate-quirk", required_argument, NULL, 'Q' },
		{ "check-kernel", no_argument, NULL, 'K' },
		{ "kernel-cmdline", required_argument, NULL, 'L' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .color = -1 };
	struct ax_machine m;
	struct ax_profile prof;
	struct ax_result res;
	struct ax_explain_opts eo = { 0 };
	struct ax_machine m2;
	struct ax_profile p2;
	struct ax_result r2;
	bool have_m2 = false, have_r2 = false;
	char what[512] = "";
	char err[512];
	int c, ret, i, *sel = NULL, nsel = 0, rc = AX_EXIT_OK;
	uint16_t qv = 0, qd = 0, tv = 0, td = 0;
	struct ax_addr ta;
	bool by_id = false;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "ajs:f:g:S:k:w:pAQ:Vh", lo,
				NULL)) != -1) {
		switch (c) {
		case 'a': o.all = true; break;
		case 'j': o.json = true; break;
		case 'C': o.color = 0; break;
		case 'c': o.color = 1; break;
		case 's': o.source = optarg; break;
		case 'f': o.from = optarg; break;
		case 'g': o.groups = optarg; break;
		case 'S': o.save = optarg; break;
		case 'k': o.kernel = optarg; break;
		case 'w':
			if (o.n_what_if >= 8)
				return fail(AX_EXIT_USAGE, "%s%s",
					    "too many --what-if", "");
			o.what_if[o.n_what_if++] = optarg;
			break;
		case 'p': o.plan = true; break;
		case 'A': o.audit = true; break;
		case 'Q': o.validate = optarg; break;
		case 'K': o.check_kernel = true; break;
		case 'L': o.cmdline = optarg; break;
		case 'V':
			printf("acsexplain %s (quirk database: kernels %d.%d to %d.%d)\n",
			       ACSEXPLAIN_VERSION, axq_db_oldest / 1000,
			       axq_db_oldest % 1000, axq_db_newest / 1000,
			       axq_db_newest % 1000);
			return AX_EXIT_OK;
		case 'h':
			usage(stdout);
			return AX_EXIT_OK;
		default:
			/* getopt's own message is off: one line, ours */
			fprintf(stderr, "%s: bad option '%s' (see --help)\n",
				prog, argv[optind - 1]);
			return AX_EXIT_USAGE;
		}
	}
	if (optind < argc)
		o.target = argv[optind++];
	if (optind < argc)
		return fail(AX_EXIT_USAGE, "unexpected argument '%s'%s",
			    argv[optind], "");
	if (o.target) {
		if (!parse_id(o.target, &tv, &td))
			by_id = true;
		else if (ax_addr_parse(o.target, &ta))
			return fail(AX_EXIT_USAGE,
				    "malformed device '%s': use 0000:07:00.1, 07:00.1 or vendor:device like 8086:15b7%s",
				    o.target, "");
	}
	if (o.validate && parse_id(o.validate, &qv, &qd))
		return fail(AX_EXIT_USAGE,
			    "malformed --validate-quirk '%s': use vendor:device like 8086:15b7%s",
			    o.validate, "");
	if (!o.target && !o.all && !o.validate)
		o.all = true;
	eo.color = o.color < 0 ? (isatty(STDOUT_FILENO) && !getenv("NO_COLOR")) :
				 o.color;
	eo.plan = o.plan;
	eo.audit = o.audit;

	ax_machine_init(&m);
	ax_profile_init(&prof);
	rc = gather(&m, &o, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "%s: %s\n", prog, err);
		ax_machine_free(&m);
		return rc;
	}
	if (ax_machine_link(&m, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		ax_machine_free(&m);
		return AX_EXIT_INPUT;
	}
	ax_fill_names(&m);
	ax_machine_infer_ports(&m);
	if (o.groups) {
		size_t len;
		char *buf = read_file(o.groups, &len, err, sizeof(err));

		if (buf && !buf[strspn(buf, " \t\r\n")]) {
			/* an empty listing: the kernel made no groups */
			m.kernel_groups_known = true;
			m.iommu = AX_IOMMU_OFF;
			for (i = 0; i < (int)m.n; i++)
				m.devs[i].kernel_group = AX_GROUP_NONE;
		} else if (!buf || ax_parse_group_listing(&m, buf, len, err,
							  sizeof(err))) {
			free(buf);
			fprintf(stderr, "%s: %s\n", prog, err);
			ax_machine_free(&m);
			return AX_EXIT_INPUT;
		}
		free(buf);
	}
	/* Group lines in a report: the IOMMU was on exactly if any. */
	if (m.kernel_groups_known && m.iommu == AX_IOMMU_UNKNOWN) {
		m.iommu = AX_IOMMU_OFF;
		for (i = 0; i < (int)m.n; i++)
			if (m.devs[i].kernel_group >= 0)
				m.iommu = AX_IOMMU_ON;
	}
	if (!m.n) {
		fprintf(stderr, "%s: no PCI devices found in %s\n", prog,
			m.source_name[0] ? m.source_name : "the facts");
		ax_machine_free(&m);
		return AX_EXIT_INPUT;
	}
	if (o.save) {
		ret = ax_snapshot_save(&m, o.save, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "%s: %s\n", prog, err);
			ax_machine_free(&m);
			return AX_EXIT_INPUT;
		}
	}

	/* Offline data lacks the command line the facts were taken under. */
	if (o.cmdline)
		snprintf(m.cmdline, sizeof(m.cmdline), "%s", o.cmdline);

	/* Which kernel's rules: --kernel, else the data's release. */
	if (o.kernel) {
		ax_release_map(o.kernel, &prof);
		prof.hypothetical = true;
		if (!prof.kver) {
			ax_machine_free(&m);
			return fail(AX_EXIT_USAGE,
				    "malformed --kernel '%s': use a release like 5.9 or 6.12.3%s",
				    o.kernel, "");
		}
	} else {
		ax_release_map(m.kernel_release, &prof);
		prof.kver_from_data = prof.kver != 0;
	}
	if (prof.kver && prof.kver > axq_db_newest) {
		ax_machine_note(&m,
				"kernel %d.%d is newer than the quirk database (%d.%d): its quirks and rules are taken as those of %d.%d",
				prof.kver / 1000, prof.kver % 1000,
				axq_db_newest / 1000, axq_db_newest % 1000,
				axq_db_newest / 1000, axq_db_newest % 1000);
		prof.kver = axq_db_newest;
		prof.sublevel_known = false;
	} else if (prof.kver && prof.kver < axq_db_oldest) {
		ax_machine_note(&m,
				"kernel %d.%d is older than the quirk database (%d.%d): grouping before 3.17 differed per IOMMU driver",
				prof.kver / 1000, prof.kver % 1000,
				axq_db_oldest / 1000, axq_db_oldest % 1000);
	}
	ax_profile_from_cmdline(&prof, m.cmdline);
	if (m.iommu == AX_IOMMU_OFF)
		prof.assume_acs_requested = true;
	ax_acs_policy_describe(&m, &prof);

	if (ax_derive(&m, &prof, &res)) {
		ax_machine_free(&m);
		return fail(AX_EXIT_INTERNAL, "out of memory%s%s", "", "");
	}

	if (m.kernel_groups_known && m.iommu == AX_IOMMU_ON &&
	    !res.matches_kernel)
		explain_mismatch(&m, &prof, &res);

	/* Select the devices asked about. */
	sel = calloc(m.n + 1, sizeof(int));
	if (!sel) {
		rc = AX_EXIT_INTERNAL;
		goto out;
	}
	if (o.target) {
		for (i = 0; i < (int)m.n; i++)
			if (by_id ? (m.devs[i].vendor == tv &&
				     m.devs[i].device == td) :
			    !ax_addr_cmp(m.devs[i].addr, ta))
				sel[nsel++] = i;
		if (!nsel) {
			fprintf(stderr, "%s: no device %s in %s\n", prog,
				o.target, m.source_name[0] ? m.source_name :
				"this machine");
			rc = AX_EXIT_NODEV;
			goto out;
		}
	}

	/* --what-if: derive again under the change; a bad change is an
	 * error before anything is printed.
	 */
	if (o.n_what_if) {
		if (machine_copy(&m2, &m)) {
			rc = AX_EXIT_INTERNAL;
			goto out;
		}
		have_m2 = true;
		p2 = prof;
		for (i = 0; i < o.n_what_if; i++) {
			if (apply_what_if(&m2, &p2, o.what_if[i], err,
					  sizeof(err))) {
				fprintf(stderr, "%s: %s\n", prog, err);
				rc = AX_EXIT_USAGE;
				goto out;
			}
			snprintf(what + strlen(what), sizeof(what) - strlen(what),
				 "%s%s", i ? ", " : "", o.what_if[i]);
		}
		ax_acs_policy_describe(&m2, &p2);
		if (ax_derive(&m2, &p2, &r2)) {
			rc = AX_EXIT_INTERNAL;
			goto out;
		}
		have_r2 = true;
	}

	if (o.json && have_r2) {
		/* the JSON describes the machine under the change */
	} else if (o.json) {
		if (o.all || !o.target)
			ax_json_print(stdout, &m, &res, NULL, 0,
				      isatty(STDOUT_FILENO) ? AX_JSON_PRETTY : 0);
		else
			ax_json_print(stdout, &m, &res, sel, nsel,
				      isatty(STDOUT_FILENO) ? AX_JSON_PRETTY : 0);
	} else {
		ax_explain_header(stdout, &m, &prof, &res, &eo);
		if (o.validate)
			ax_validate_quirk(stdout, &m, &prof, &res, qv, qd, &eo);
		if (o.target)
			for (i = 0; i < nsel; i++)
				ax_explain_device(stdout, &m, &prof, &res,
						  sel[i], &eo);
		else if (o.all)
			ax_explain_all(stdout, &m, &prof, &res, &eo);
	}

	if (have_r2) {
		if (o.json)
			ax_json_print_what_if(stdout, &m2, &r2, NULL, 0,
					      isatty(STDOUT_FILENO) ?
					      AX_JSON_PRETTY : 0, what);
		else if (!strncmp(what, "move=", 5))
			/* addresses changed: show the new picture */
			ax_explain_all(stdout, &m2, &p2, &r2, &eo);
		else
			ax_explain_diff(stdout, &m, &res, &r2, what, &eo);
	}
	/* a full disk or a closed pipe must not look like success */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the output: %s\n", prog,
			strerror(errno));
		rc = AX_EXIT_INTERNAL;
		goto out;
	}
	if (o.check_kernel && m.kernel_groups_known && !res.matches_kernel)
		rc = AX_EXIT_MISMATCH;
out:
	if (have_r2)
		ax_result_free(&r2);
	if (have_m2)
		free(m2.devs);
	free(sel);
	ax_result_free(&res);
	ax_machine_free(&m);
	return rc;
}
