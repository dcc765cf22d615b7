// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_hostfacts.c - the live facts the advice needs, read from a fake
 * sysfs/procfs tree: boot_vga, driver modules, the NIC under the default
 * route (through a Proxmox bridge) and in other bridges, the NVMe under
 * the root filesystem (through device-mapper), sysfs and SMBIOS slots,
 * Slot Implemented bits from config space, where the command line is set.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "source.h"

static char T[] = "/tmp/test_hostfacts.XXXXXX";
static struct ax_machine M;

static void mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	mkdir(buf, 0755);
}

static void parent_dirs(const char *path)
{
	char buf[PATH_MAX], *s;

	snprintf(buf, sizeof(buf), "%s", path);
	s = strrchr(buf, '/');
	if (s) {
		*s = '\0';
		mkdirs(buf);
	}
}

static void put(const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", T, rel);
	parent_dirs(path);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}

static void puts_(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

static void ln(const char *target, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", T, rel);
	parent_dirs(path);
	if (symlink(target, path) && errno != EEXIST)
		abort();
}

static struct ax_dev *add(const char *addr, int type, int sec)
{
	struct ax_dev *d = ax_machine_add(&M);

	if (ax_addr_parse(addr, &d->addr))
		abort();
	d->is_pcie = true;
	d->pcie_type = (enum ax_pcie_type)type;
	if (sec >= 0) {
		d->is_bridge = true;
		d->secondary = d->subordinate = (uint8_t)sec;
	}
	return d;
}

static int idx(const char *addr)
{
	struct ax_addr a;

	ax_addr_parse(addr, &a);
	return ax_machine_find(&M, a);
}

#define DEV(a) (M.devs[idx(a)])

/* the sysfs node of a PCI function and its bus/pci/devices link */
static void pcidev(const char *path_under_devices, const char *addr)
{
	char rel[PATH_MAX], tgt[PATH_MAX];

	snprintf(rel, sizeof(rel), "sys/devices/%s/vendor", path_under_devices);
	puts_(rel, "0x8086\n");
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", addr);
	snprintf(tgt, sizeof(tgt), "../../../devices/%s", path_under_devices);
	ln(tgt, rel);
}

static void build_tree(void)
{
	unsigned char cfg[256];
	uint8_t dmi[128];
	size_t o;

	if (!mkdtemp(T))
		abort();
	pcidev("pci0000:00/0000:00:01.0", "0000:00:01.0");
	pcidev("pci0000:00/0000:00:01.0/0000:01:00.0", "0000:01:00.0");
	pcidev("pci0000:00/0000:00:1c.0", "0000:00:1c.0");
	pcidev("pci0000:00/0000:00:1c.0/0000:03:00.0", "0000:03:00.0");
	pcidev("pci0000:00/0000:00:1c.1", "0000:00:1c.1");
	pcidev("pci0000:00/0000:00:1c.1/0000:05:00.0", "0000:05:00.0");
	pcidev("pci0000:00/0000:00:1d.0", "0000:00:1d.0");
	pcidev("pci0000:00/0000:00:1d.0/0000:04:00.0", "0000:04:00.0");
	pcidev("pci0000:00/0000:00:1b.0", "0000:00:1b.0");
	/* the GPU shows the console; nvidia is a module */
	puts_("sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/boot_vga", "1\n");
	ln("../../../../bus/pci/drivers/nvidia",
	   "sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/driver");
	ln("../../../../module/nvidia", "sys/bus/pci/drivers/nvidia/module");
	puts_("sys/module/nvidia/refcnt", "1\n");
	/* eno1 in vmbr0, the default route; eno2 in vmbr1 */
	ln("../../../devices/pci0000:00/0000:00:1c.0/0000:03:00.0",
	   "sys/class/net/eno1/device");
	puts_("sys/class/net/vmbr0/bridge/forward_delay", "0\n");
	ln("../eno1", "sys/class/net/vmbr0/lower_eno1");
	ln("../../../devices/pci0000:00/0000:00:1c.1/0000:05:00.0",
	   "sys/class/net/eno2/device");
	puts_("sys/class/net/vmbr1/bridge/forward_delay", "0\n");
	ln("../eno2", "sys/class/net/vmbr1/lower_eno2");
	puts_("proc/net/route",
	      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
	      "vmbr0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
	      "vmbr0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
	/* / on LVM on the NVMe */
	puts_("proc/self/mounts",
	      "sysfs /sys sysfs rw 0 0\n/dev/mapper/pve-root / ext4 rw,relatime 0 0\n"
	      "/dev/sda1 /data ext4 rw 0 0\n");
	ln("../dm-1", "dev/mapper/pve-root");
	ln("../../devices/virtual/block/dm-1", "sys/class/block/dm-1");
	ln("../../../../pci0000:00/0000:00:1d.0/0000:04:00.0/nvme/nvme0/nvme0n1/nvme0n1p3",
	   "sys/devices/virtual/block/dm-1/slaves/nvme0n1p3");
	puts_("sys/devices/pci0000:00/0000:00:1d.0/0000:04:00.0/nvme/nvme0/nvme0n1/nvme0n1p3/size", "1\n");
	ln("../../devices/pci0000:00/0000:00:1d.0/0000:04:00.0/nvme/nvme0/nvme0n1/nvme0n1p3",
	   "sys/class/block/nvme0n1p3");
	/* a hotplug slot below 00:1c.1 */
	puts_("sys/bus/pci/slots/5/address", "0000:05:00\n");
	/* config space: 00:1c.0 Slot-, 00:1b.0 Slot+ (PCIe cap at 0x40) */
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x10;
	cfg[0x42] = 0x42;	/* v2, root port */
	cfg[0x43] = 0x00;
	put("sys/devices/pci0000:00/0000:00:1c.0/config", cfg, sizeof(cfg));
	cfg[0x43] = 0x01;
	put("sys/devices/pci0000:00/0000:00:1b.0/config", cfg, sizeof(cfg));
	/* SMBIOS: one slot, the GPU's port named as the board does */
	memset(dmi, 0, sizeof(dmi));
	dmi[0] = 9;
	dmi[1] = 0x11;
	dmi[4] = 1;
	dmi[7] = 4;
	dmi[0x0f] = 0x01;	/* the card at 01:00.0 */
	o = 0x11;
	memcpy(dmi + o, "PCIEX16_1\0", 11);
	o += 11;
	dmi[o++] = 127;
	dmi[o++] = 4;
	o += 4;
	put("sys/firmware/dmi/tables/DMI", dmi, o);
	puts_("etc/kernel/proxmox-boot-uuids", "ABCD-1234\n");
	puts_("etc/default/grub", "GRUB_DEFAULT=0\n");
}

static void build_machine(void)
{
	char err[100];

	ax_machine_init(&M);
	add("00:01.0", AX_EXP_ROOT_PORT, 1);
	add("01:00.0", AX_EXP_ENDPOINT, -1)->class = 0x030000;
	add("00:1b.0", AX_EXP_ROOT_PORT, 6);
	add("00:1c.0", AX_EXP_ROOT_PORT, 3);
	add("03:00.0", AX_EXP_ENDPOINT, -1);
	add("00:1c.1", AX_EXP_ROOT_PORT, 5);
	add("05:00.0", AX_EXP_ENDPOINT, -1);
	add("00:1d.0", AX_EXP_ROOT_PORT, 4);
	add("04:00.0", AX_EXP_ENDPOINT, -1);
	if (ax_machine_link(&M, err, sizeof(err)))
		abort();
}

int main(void)
{
	char cmd[PATH_MAX + 16];

	build_tree();
	build_machine();
	CHECK(ax_host_facts(&M, T) == 0, "reads the tree");
	CHECK(M.host_facts_known, "host facts known");
	CHECK(DEV("01:00.0").boot_vga_known && DEV("01:00.0").boot_vga, "boot_vga");
	CHECK(!DEV("03:00.0").boot_vga_known, "no boot_vga file: unknown");
	CHECK(!strcmp(DEV("01:00.0").modules, "nvidia"), "module of the driver: '%s'", DEV("01:00.0").modules);
	CHECK(strstr(DEV("03:00.0").host_use, "default route via vmbr0") != NULL &&
	      strstr(DEV("03:00.0").host_use, "port of bridge vmbr0") != NULL,
	      "eno1: '%s'", DEV("03:00.0").host_use);
	CHECK(!strcmp(DEV("05:00.0").host_use, "port of bridge vmbr1"), "eno2: '%s'", DEV("05:00.0").host_use);
	CHECK(!strcmp(DEV("04:00.0").host_use, "root filesystem /dev/mapper/pve-root"),
	      "nvme: '%s'", DEV("04:00.0").host_use);
	CHECK(!DEV("01:00.0").host_use[0], "the GPU carries nothing of the host");
	CHECK(DEV("00:1c.1").slot_known && DEV("00:1c.1").has_slot &&
	      !strcmp(DEV("00:1c.1").board_slot, "5"), "sysfs slot 5 below 00:1c.1");
	CHECK(DEV("00:01.0").has_slot && !strcmp(DEV("00:01.0").board_slot, "PCIEX16_1"),
	      "SMBIOS slot: '%s'", DEV("00:01.0").board_slot);
	CHECK(DEV("00:1c.0").slot_known && !DEV("00:1c.0").has_slot, "config: Slot-");
	CHECK(DEV("00:1b.0").slot_known && DEV("00:1b.0").has_slot, "config: Slot+");
	CHECK(!DEV("00:1d.0").slot_known, "no config, no slot facts: unknown");
	CHECK(!strcmp(M.boot_loader, "proxmox-boot-tool"), "boot loader: %s", M.boot_loader);
	CHECK(M.firmware == AX_FW_UNKNOWN, "no /sys/firmware: firmware unknown");

	/* ACPI or device tree (when of_iommu requests ACS) */
	puts_("sys/firmware/devicetree/base/#size-cells", "");
	M.firmware = AX_FW_UNKNOWN;
	ax_host_facts(&M, T);
	CHECK(M.firmware == AX_FW_UNKNOWN,
	      "an empty root node (6.6+ makes one everywhere): not a DT machine");
	puts_("sys/firmware/devicetree/base/compatible", "radxa,rock-5b");
	ax_host_facts(&M, T);
	CHECK(M.firmware == AX_FW_DT && strstr(M.firmware_basis, "device tree"),
	      "compatible and no ACPI: device tree (%s)", M.firmware_basis);
	puts_("sys/firmware/acpi/tables/DMAR", "");
	puts_("sys/firmware/acpi/tables/IORT", "");
	ax_host_facts(&M, T);
	CHECK(M.firmware == AX_FW_ACPI && strstr(M.firmware_basis, "DMAR IORT"),
	      "ACPI tables win: %s", M.firmware_basis);

	/* an empty tree: nothing invented */
	ax_machine_free(&M);
	build_machine();
	CHECK(ax_host_facts(&M, "/nonexistent") == 0, "empty tree");
	CHECK(!DEV("01:00.0").boot_vga_known && !DEV("04:00.0").host_use[0] &&
	      !DEV("00:1c.0").slot_known && !M.boot_loader[0], "nothing known");
	ax_machine_free(&M);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", T);
	if (system(cmd))
		printf("note: could not remove %s\n", T);
	return check_report("test_hostfacts");
}
