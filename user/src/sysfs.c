// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/sysfs.c - facts without the module: config space through libpci's
 * sysfs method, and what the kernel publishes in sysfs (IOMMU group,
 * driver, VF links, IOMMU drivers, command line).  What only the module can
 * show (DMA alias masks, dev_flags) is taken from the quirk database and
 * said so.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "source.h"

static const char *root_or_slash(const char *sysroot)
{
	return sysroot && *sysroot ? sysroot : "";
}

/* Copy with truncation: sysfs names are short, a long one is cut. */
static void scopy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Last path element of a symlink's target, or "" (source.h). */
void ax_link_base(const char *path, char *out, size_t len)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	const char *b;

	out[0] = '\0';
	if (n <= 0)
		return;
	buf[n] = '\0';
	b = strrchr(buf, '/');
	scopy(out, len, b ? b + 1 : buf);
}

static int read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	out[0] = '\0';
	if (!f)
		return -1;
	if (!fgets(out, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
	return 0;
}

static bool dir_has_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool any = false;

	if (!d)
		return false;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			any = true;
			break;
		}
	closedir(d);
	return any;
}

/* Which IOMMU driver registered: dmar* (Intel VT-d), ivhd* (AMD-Vi). */
static void iommu_driver(const char *root, char *out, size_t len)
{
	char path[PATH_MAX];
	DIR *d;
	struct dirent *e;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/sys/class/iommu", root);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strncmp(e->d_name, "dmar", 4))
			snprintf(out, len, "intel");
		else if (!strncmp(e->d_name, "ivhd", 4))
			snprintf(out, len, "amd");
		else if (e->d_name[0] != '.' && !out[0])
			snprintf(out, len, "other");
	}
	closedir(d);
}

int ax_sysfs_enrich(struct ax_machine *m, const char *sysroot)
{
	const char *root = root_or_slash(sysroot);

	if (strlen(root) > PATH_MAX / 4)
		return -1;
	char path[PATH_MAX], val[256];
	size_t i;

	snprintf(path, sizeof(path), "%s/sys/kernel/iommu_groups", root);
	m->kernel_groups_known = true;
	m->iommu = dir_has_entries(path) ? AX_IOMMU_ON : AX_IOMMU_OFF;
	iommu_driver(root, m->iommu_driver, sizeof(m->iommu_driver));
	snprintf(path, sizeof(path), "%s/proc/cmdline", root);
	read_line(path, m->cmdline, sizeof(m->cmdline));
	if (!*root) {
		struct utsname u;

		if (!uname(&u))
			snprintf(m->kernel_release, sizeof(m->kernel_release),
				 "%s", u.release);
	} else {
		snprintf(path, sizeof(path), "%s/proc/sys/kernel/osrelease",
			 root);
		read_line(path, m->kernel_release, sizeof(m->kernel_release));
	}

	for (i = 0; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];
		char a[AX_ADDR_STRLEN], base[PATH_MAX / 2];

		ax_addr_str(d->addr, a);
		snprintf(base, sizeof(base), "%s/sys/bus/pci/devices/%s", root,
			 a);
		snprintf(path, sizeof(path), "%s/iommu_group", base);
		ax_link_base(path, val, sizeof(val));
		d->kernel_group = val[0] ? atoi(val) : AX_GROUP_NONE;
		snprintf(path, sizeof(path), "%s/driver", base);
		ax_link_base(path, d->driver, sizeof(d->driver));
		d->driver_known = true;
		snprintf(path, sizeof(path), "%s/physfn", base);
		ax_link_base(path, val, sizeof(val));
		if (val[0]) {
			struct ax_addr pa;

			d->is_virtfn = true;
			if (!ax_addr_parse(val, &pa))
				d->physfn = ax_machine_find(m, pa);
		}
		/* VFs read vendor ffff in config space; sysfs knows better */
		snprintf(path, sizeof(path), "%s/vendor", base);
		if (!read_line(path, val, sizeof(val)))
			d->vendor = (uint16_t)strtoul(val, NULL, 16);
		snprintf(path, sizeof(path), "%s/device", base);
		if (!read_line(path, val, sizeof(val)))
			d->device = (uint16_t)strtoul(val, NULL, 16);
		snprintf(path, sizeof(path), "%s/untrusted", base);
		if (!read_line(path, val, sizeof(val)))
			d->untrusted = atoi(val) != 0;
		snprintf(path, sizeof(path), "%s/slot", base);
		read_line(path, d->slot_name, sizeof(d->slot_name));
	}
	if (m->iommu == AX_IOMMU_ON) {
		m->acs_requested = true;
		m->acs_requested_known = true;
	} else {
		/* Why no groups: does the firmware describe an IOMMU at all? */
		bool dmar, ivrs;

		snprintf(path, sizeof(path), "%s/sys/firmware/acpi/tables/DMAR",
			 root);
		dmar = access(path, F_OK) == 0;
		snprintf(path, sizeof(path), "%s/sys/firmware/acpi/tables/IVRS",
			 root);
		ivrs = access(path, F_OK) == 0;
		if (dmar)
			ax_machine_note(m,
					"the firmware has a DMAR table (Intel VT-d) but no IOMMU driver is active: boot with intel_iommu=on (and check the command line for intel_iommu=off)");
		else if (ivrs)
			ax_machine_note(m,
					"the firmware has an IVRS table (AMD-Vi) but no IOMMU driver is active: check the command line for amd_iommu=off or iommu=off");
		else
			ax_machine_note(m,
					"no DMAR or IVRS ACPI table: the firmware offers no IOMMU; enable VT-d / AMD-Vi (\"IOMMU\", \"SVM\") in the firmware setup");
	}
	ax_machine_note(m,
			"without the acs_inspect module: DMA aliases and quirk flags are inferred from the quirk database, not read from the kernel");
	return 0;
}

int ax_source_sysfs(struct ax_machine *m, char *err, size_t errlen)
{
	char e2[256];
	int ret;

	ret = ax_source_libpci_sysfs(m, e2, sizeof(e2));
	if (ret) {
		snprintf(err, errlen, "%s", e2);
		return ret;
	}
	/* sysfs is read by address: a sorted table */
	if (ax_machine_sort(m, err, errlen))
		return -1;
	ax_sysfs_enrich(m, NULL);
	m->source = AX_SRC_SYSFS;
	snprintf(m->source_name, sizeof(m->source_name), "sysfs");
	if (geteuid() != 0)
		ax_machine_note(m,
				"not root: extended config space (ACS) is not readable, conclusions about ACS are assumptions");
	return 0;
}
