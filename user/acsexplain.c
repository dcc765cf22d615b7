// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * acsexplain - explain why IOMMU groups look the way they do.
 *
 * One direction of travel (Documentation/architecture.md):
 * options -> gather (source.c, src/) -> link (model.c) -> analyse
 * (analysis/) -> render (render/).  See acsexplain(8).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "exitcodes.h"
#include "kernel_release.h"
#include "quirks.h"
#include "render.h"
#include "render/quirkpatch.h"
#include "source.h"

static const char *prog = "acsexplain";

struct opts {
	struct ax_request rq;
	const char *target;
	const char *from, *groups, *save, *kernel, *source, *cmdline;
	const char *validate;
	const char *patch, *linux_src;	/* --validate-quirk --patch */
	bool all, check_kernel;
	int color;		/* -1: auto */
	const struct output *out;
};

/* The output modes: each prints the same analysis. */
struct output {
	const char *name;
	int (*render)(FILE *out, const struct ax_analysis *a,
		      const struct ax_render_opts *o);
};

static const struct output outputs[] = {
	{ "text", ax_render_text },
	{ "json", ax_render_json },
};

/* The one way out on an error: "acsexplain: MESSAGE", exit status code. */
static int __attribute__((format(printf, 2, 3)))
fail(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* A full disk or a closed pipe must not look like success. */
static int finish_output(void)
{
	if (fflush(stdout) || ferror(stdout))
		return fail(AX_EXIT_INTERNAL, "cannot write the output: %s",
			    strerror(errno ? errno : EIO));
	return AX_EXIT_OK;
}

static int usage(void)
{
	printf("usage: %s [options] [ADDRESS | VENDOR:DEVICE]\n"
	       "Explain why a PCI device's IOMMU group looks the way it does.\n\n"
	       "  ADDRESS              0000:07:00.1, 07:00.1, 07:00 (as lspci -s); VENDOR:DEVICE\n"
	       "                       like 8086:15b7 or 8086: (as lspci -d)\n"
	       "  -a, --all            explain every group\n"
	       "  -j, --json           JSON output (schema %s)\n"
	       "      --no-color       no colours (default: colours on a terminal)\n"
	       "      --color          colours even when not on a terminal\n"
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
	       "  -Q, --validate-quirk VENDOR:DEVICE[@CALLBACK]  check a vendor ACS quirk against the facts\n"
	       "      --patch FILE     with -Q: write the quirk as a git format-patch mail\n"
	       "      --linux-src TREE kernel tree or linux-source-*.tar.xz to patch\n"
	       "                       (default $ACSEXPLAIN_LINUX_SRC, /usr/src/linux-source-7.2)\n"
	       "      --check-kernel   exit 5 when the derived groups differ from the kernel's\n"
	       "      --kernel-cmdline S  the kernel command line the offline facts were taken under\n"
	       "  -V, --version        print the version\n"
	       "  -h, --help           this help\n"
	       "Exit status: 0 ok, 1 no such device, 2 usage, 3 source unavailable,\n"
	       "4 bad input file, 5 groups differ (--check-kernel), 6 internal error,\n"
	       "7 quirk refused (--patch).\n",
	       prog, AX_JSON_SCHEMA);
	return finish_output();
}

static int version(void)
{
	printf("acsexplain %s (quirk database: kernels %d.%d to %d.%d)\n",
	       ACSEXPLAIN_VERSION, axq_db_oldest / 1000, axq_db_oldest % 1000,
	       axq_db_newest / 1000, axq_db_newest % 1000);
	return finish_output();
}

static const struct option long_opts[] = {
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
	{ "patch", required_argument, NULL, 'P' },
	{ "linux-src", required_argument, NULL, 'T' },
	{ "check-kernel", no_argument, NULL, 'K' },
	{ "kernel-cmdline", required_argument, NULL, 'L' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *long_name(int val)
{
	const struct option *lo;

	for (lo = long_opts; lo->name; lo++)
		if (lo->val == val)
			return lo->name;
	return "?";
}

/* Options into o.  -1 to go on, else the exit status (--help, errors). */
static int parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	opterr = 0;	/* getopt's messages are off: one line, ours */
	while ((c = getopt_long(argc, argv, ":ajs:f:g:S:k:w:pAQ:Vh",
				long_opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->all = true; break;
		case 'j': o->out = &outputs[1]; break;
		case 'C': o->color = 0; break;
		case 'c': o->color = 1; break;
		case 's': o->source = optarg; break;
		case 'f': o->from = optarg; break;
		case 'g': o->groups = optarg; break;
		case 'S': o->save = optarg; break;
		case 'k': o->kernel = optarg; break;
		case 'w':
			if (o->rq.n_what_if >= AX_MAX_WHAT_IF)
				return fail(AX_EXIT_USAGE,
					    "too many --what-if (at most %d)",
					    AX_MAX_WHAT_IF);
			o->rq.what_if[o->rq.n_what_if++] = optarg;
			break;
		case 'p': o->rq.plan = true; break;
		case 'A': o->rq.audit = true; break;
		case 'Q': o->validate = optarg; break;
		case 'P': o->patch = optarg; break;
		case 'T': o->linux_src = optarg; break;
		case 'K': o->check_kernel = true; break;
		case 'L': o->cmdline = optarg; break;
		case 'V': return version();
		case 'h': return usage();
		case ':':
			return fail(AX_EXIT_USAGE,
				    "--%s needs an argument (see --help)",
				    long_name(optopt));
		default:
			return fail(AX_EXIT_USAGE,
				    "bad option '%s' (see --help)",
				    argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->target = argv[optind++];
	if (optind < argc)
		return fail(AX_EXIT_USAGE, "unexpected argument '%s'",
			    argv[optind]);
	if (o->source && o->from)
		return fail(AX_EXIT_USAGE,
			    "--source and --from both name where the facts come from: use one");
	if (o->target) {
		if (ax_selector_parse(o->target, &o->rq.target))
			return fail(AX_EXIT_USAGE,
				    "malformed device '%s': use an address like 0000:07:00.1 or 07:00 (lspci -s) or vendor:device like 8086:15b7 or 8086: (lspci -d)",
				    o->target);
		o->rq.has_target = true;
		o->rq.target_text = o->target;
	}
	if (o->validate) {
		/* VENDOR:DEVICE[@CALLBACK] */
		const char *at = strchr(o->validate, '@');
		size_t idlen = at ? (size_t)(at - o->validate) :
				    strlen(o->validate);
		char id[16];

		snprintf(id, sizeof(id), "%.*s",
			 (int)(idlen < sizeof(id) ? idlen : sizeof(id) - 1),
			 o->validate);
		if (idlen >= sizeof(id) ||
		    ax_id_parse(id, &o->rq.quirk_vendor, &o->rq.quirk_device))
			return fail(AX_EXIT_USAGE,
				    "malformed --validate-quirk '%s': use vendor:device like 8086:15b7, optionally @callback",
				    o->validate);
		if (at && !(o->rq.quirk_callback = ax_ql_callback_find(at + 1)))
			return fail(AX_EXIT_USAGE,
				    "unknown ACS quirk callback '%s': use one of pci_dev_acs_enabled[]'s, like pci_quirk_mf_endpoint_acs",
				    at + 1);
		o->rq.validate = true;
	}
	if ((o->patch || o->linux_src) && !o->validate)
		return fail(AX_EXIT_USAGE,
			    "--patch and --linux-src go with --validate-quirk");
	if (o->kernel) {
		struct ax_profile kp;

		ax_profile_init(&kp);
		ax_release_map(o->kernel, &kp);
		o->rq.kver = kp.kver;
		o->rq.kernel = o->kernel;
		if (!o->rq.kver)
			return fail(AX_EXIT_USAGE,
				    "malformed --kernel '%s': use a release like 5.9 or 6.12.3",
				    o->kernel);
	}
	o->rq.all = o->all || (!o->target && !o->validate);
	return -1;
}

/* Colours on a terminal, unless NO_COLOR is set (and not empty, as
 * no-color.org says) or the terminal is dumb; --color / --no-color win.
 */
static bool want_color(int forced)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (forced >= 0)
		return forced;
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(STDOUT_FILENO);
}

/* Facts: the source, the kernel's groups, and what offline data lacks. */
static int facts(struct ax_machine *m, const struct opts *o)
{
	char err[512];
	size_t i;
	int ret;

	ret = ax_gather(m, o->source, o->from, err, sizeof(err));
	if (ret)
		return fail(ret, "%s", err);
	if (ax_machine_link(m, err, sizeof(err)))
		return fail(AX_EXIT_INPUT, "%s", err);
	ax_fill_names(m);
	ax_machine_infer_ports(m);
	/* what only the machine itself shows: its slots, the console GPU,
	 * what the host runs on (network, root filesystem)
	 */
	if (!o->from)
		ax_host_facts(m, NULL);
	if (o->groups) {
		ret = ax_apply_groups_file(m, o->groups, err, sizeof(err));
		if (ret)
			return fail(ret, "%s", err);
	}
	/* Group lines in a report: the IOMMU was on exactly if any. */
	if (m->kernel_groups_known && m->iommu == AX_IOMMU_UNKNOWN) {
		m->iommu = AX_IOMMU_OFF;
		for (i = 0; i < m->n; i++)
			if (m->devs[i].kernel_group >= 0)
				m->iommu = AX_IOMMU_ON;
	}
	if (!m->n)
		return fail(AX_EXIT_INPUT, "no PCI devices found in %s",
			    m->source_name[0] ? m->source_name : "the facts");
	if (o->save && ax_snapshot_save(m, o->save, err, sizeof(err)))
		return fail(AX_EXIT_INPUT, "%s", err);
	/* Offline data lacks the command line the facts were taken under. */
	if (o->cmdline)
		snprintf(m->cmdline, sizeof(m->cmdline), "%s", o->cmdline);
	return AX_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct opts o = { .color = -1, .out = &outputs[0] };
	struct ax_render_opts ro = { 0 };
	struct ax_machine m;
	struct ax_analysis a;
	char err[512];
	int rc;

	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	ro.color = want_color(o.color);
	ro.pretty = isatty(STDOUT_FILENO);

	ax_machine_init(&m);
	rc = facts(&m, &o);
	if (rc) {
		ax_machine_free(&m);
		return rc;
	}
	rc = ax_analyse(&m, &o.rq, &a, err, sizeof(err));
	if (rc) {
		ax_machine_free(&m);
		return fail(rc, "%s", err);
	}
	/* --patch: a file written from the analysis (part 4), before it is
	 * printed; a refusal still prints the five parts, which say why
	 */
	if (o.patch && a.quirk) {
		const char *tree = ax_qpatch_default_tree(o.linux_src);

		if (!tree) {
			rc = AX_EXIT_INPUT;
			snprintf(err, sizeof(err),
				 "no kernel tree to patch: give --linux-src DIR or linux-source-7.2.tar.xz (Debian unstable's linux-source-7.2)");
		} else {
			rc = ax_qpatch_write(o.patch, tree, &m, a.quirk,
					     &a.quirk->patch, err, sizeof(err));
			a.quirk->have_patch = !rc;
		}
		if (rc == AX_EXIT_INPUT || rc == AX_EXIT_INTERNAL) {
			ax_analysis_free(&a);
			ax_machine_free(&m);
			return fail(rc, "%s", err);
		}
	}
	if (o.out->render(stdout, &a, &ro) && errno == ENOMEM)
		rc = fail(AX_EXIT_INTERNAL, "out of memory");
	else if (rc)		/* the patch was refused: after the reasons */
		rc = fail(rc, "%s", err);
	if (!rc)
		rc = finish_output();
	if (!rc && o.check_kernel && a.res.compared && !a.res.matches_kernel)
		rc = AX_EXIT_MISMATCH;
	ax_analysis_free(&a);
	ax_machine_free(&m);
	return rc;
}
