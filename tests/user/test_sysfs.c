// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_sysfs.c - what acsexplain takes from sysfs without the module,
 * on fake sysfs trees: groups, drivers, VF links, the IOMMU driver, and
 * why there are no groups (DMAR/IVRS tables).  The live path is tested in
 * the VM bed; this pins the parsing down without one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "source.h"

static char root[256];

static void mk(const char *rel)
{
	char p[512], *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
}

static void put(const char *rel, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static void lnk(const char *target, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (symlink(target, p))
		abort();
}

static void add(struct ax_machine *m, const char *addr)
{
	struct ax_dev *d = ax_machine_add(m);

	ax_addr_parse(addr, &d->addr);
}

static int idx(struct ax_machine *m, const char *addr)
{
	struct ax_addr a;

	ax_addr_parse(addr, &a);
	return ax_machine_find(m, a);
}

static bool has_note(struct ax_machine *m, const char *word)
{
	int i;

	for (i = 0; i < m->n_notes; i++)
		if (strstr(m->notes[i], word))
			return true;
	return false;
}

static void test_iommu_on(void)
{
	struct ax_machine m;
	char err[128];

	snprintf(root, sizeof(root), "/tmp/acsx-sysfs-on.XXXXXX");
	if (!mkdtemp(root))
		abort();
	mk("sys/kernel/iommu_groups/3/devices");
	mk("sys/class/iommu/dmar0");
	mk("proc/sys/kernel");
	put("proc/sys/kernel/osrelease", "6.12.117+deb12-amd64\n");
	put("proc/cmdline", "intel_iommu=on quiet\n");
	mk("sys/bus/pci/devices/0000:01:00.0");
	mk("sys/bus/pci/devices/0000:01:00.1");
	mk("sys/bus/pci/devices/0000:00:1c.0");
	mk("groups/7");
	lnk("../../../../kernel/iommu_groups/3",
	    "sys/bus/pci/devices/0000:01:00.0/iommu_group");
	lnk("../../../../../groups/7",
	    "sys/bus/pci/devices/0000:01:00.1/iommu_group");
	lnk("../../../../bus/pci/drivers/igb",
	    "sys/bus/pci/devices/0000:01:00.0/driver");
	lnk("../0000:01:00.0", "sys/bus/pci/devices/0000:01:00.1/physfn");
	put("sys/bus/pci/devices/0000:01:00.1/vendor", "0x8086\n");
	put("sys/bus/pci/devices/0000:01:00.1/device", "0x1520\n");
	put("sys/bus/pci/devices/0000:00:1c.0/slot", "PCIE3\n");

	ax_machine_init(&m);
	add(&m, "0000:00:1c.0");
	add(&m, "0000:01:00.0");
	add(&m, "0000:01:00.1");
	m.devs[1].multifunction = true;
	m.devs[2].multifunction = true;
	CHECK(!ax_machine_link(&m, err, sizeof(err)), "link: %s", err);
	ax_sysfs_enrich(&m, root);
	CHECK(ax_machine_link(&m, err, sizeof(err)) == 0, "relink");
	CHECK(m.iommu == AX_IOMMU_ON, "groups mean an IOMMU");
	CHECK(!strcmp(m.iommu_driver, "intel"), "dmar0 is VT-d: %s",
	      m.iommu_driver);
	CHECK(!strcmp(m.kernel_release, "6.12.117+deb12-amd64"),
	      "release %s", m.kernel_release);
	CHECK(strstr(m.cmdline, "intel_iommu=on") != NULL, "cmdline");
	CHECK(m.devs[idx(&m, "01:00.0")].kernel_group == 3, "group 3");
	CHECK(m.devs[idx(&m, "01:00.1")].kernel_group == 7, "group 7");
	CHECK(m.devs[idx(&m, "00:1c.0")].kernel_group == AX_GROUP_NONE,
	      "no link: no group");
	CHECK(!strcmp(m.devs[idx(&m, "01:00.0")].driver, "igb"), "driver");
	CHECK(m.devs[idx(&m, "01:00.1")].is_virtfn &&
	      m.devs[idx(&m, "01:00.1")].physfn == idx(&m, "01:00.0"),
	      "VF linked to its PF");
	CHECK(!m.devs[idx(&m, "01:00.1")].multifunction,
	      "a VF is never multifunction");
	CHECK(m.devs[idx(&m, "01:00.1")].vendor == 0x8086 &&
	      m.devs[idx(&m, "01:00.1")].device == 0x1520, "VF ids from sysfs");
	CHECK(!strcmp(m.devs[idx(&m, "00:1c.0")].slot_name, "PCIE3"), "slot");
	CHECK(has_note(&m, "without the acs_inspect module"), "says what is lost");
	ax_machine_free(&m);
}

static void test_iommu_off(const char *table, const char *word)
{
	struct ax_machine m;
	char err[128];

	snprintf(root, sizeof(root), "/tmp/acsx-sysfs-off.XXXXXX");
	if (!mkdtemp(root))
		abort();
	mk("sys/kernel/iommu_groups");
	mk("sys/firmware/acpi/tables");
	if (table) {
		char rel[64];

		snprintf(rel, sizeof(rel), "sys/firmware/acpi/tables/%s", table);
		put(rel, "x");
	}
	mk("proc");
	put("proc/cmdline", "quiet\n");
	ax_machine_init(&m);
	add(&m, "0000:00:02.0");
	ax_machine_link(&m, err, sizeof(err));
	ax_sysfs_enrich(&m, root);
	CHECK(m.iommu == AX_IOMMU_OFF, "no groups: IOMMU off");
	CHECK(m.devs[0].kernel_group == AX_GROUP_NONE, "no group");
	CHECK(has_note(&m, word), "%s: why no groups (%s)",
	      table ? table : "no table", word);
	ax_machine_free(&m);
}

static void cleanup(void)
{
	/* the trees are small and under /tmp: remove what we made */
	if (system("rm -rf /tmp/acsx-sysfs-on.* /tmp/acsx-sysfs-off.*"))
		printf("note: could not remove the fake trees\n");
}

int main(void)
{
	test_iommu_on();
	test_iommu_off("DMAR", "intel_iommu=on");
	test_iommu_off("IVRS", "amd_iommu=off");
	test_iommu_off(NULL, "firmware offers no IOMMU");
	cleanup();
	return check_report("sysfs");
}
