// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hostfacts.c - live facts for the advice (source.h).  Every path is
 * read below root, so tests run it on a fake tree; sysfs links are
 * relative, which realpath() resolves inside that tree.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"


#define MAX_DMI (64u << 10)

static int read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return 0;
}

/* The last PCI address (dddd:bb:dd.f) in a resolved sysfs path. */
static int pci_in_path(const struct ax_machine *m, const char *path)
{
	const char *p;
	int found = -1;

	for (p = path; (p = strchr(p, '/')); p++) {
		struct ax_addr a;
		char comp[16];
		size_t n = strcspn(p + 1, "/");
		int i;

		if (n != 12)
			continue;
		memcpy(comp, p + 1, 12);
		comp[12] = '\0';
		if (comp[4] != ':' || comp[7] != ':' || comp[10] != '.' ||
		    ax_addr_parse(comp, &a))
			continue;
		i = ax_machine_find(m, a);
		if (i >= 0)
			found = i;
	}
	return found;
}

static void set_use(struct ax_dev *d, const char *use)
{
	size_t l = strlen(d->host_use);

	if (strstr(d->host_use, use))
		return;
	snprintf(d->host_use + l, sizeof(d->host_use) - l, "%s%s",
		 l ? "; " : "", use);
}

/* The PCI functions under a network interface, through bridges, bonds
 * and VLANs (their lower_* links), depth-limited.
 */
static void mark_netdev(struct ax_machine *m, const char *root,
			const char *ifname, const char *use, int depth)
{
	char path[PATH_MAX], real[PATH_MAX];
	DIR *dir;
	struct dirent *e;
	int i;

	if (depth > 4 || strchr(ifname, '/'))
		return;
	snprintf(path, sizeof(path), "%s/sys/class/net/%s/device", root,
		 ifname);
	if (realpath(path, real) && (i = pci_in_path(m, real)) >= 0)
		set_use(&m->devs[i], use);
	snprintf(path, sizeof(path), "%s/sys/class/net/%s", root, ifname);
	dir = opendir(path);
	if (!dir)
		return;
	while ((e = readdir(dir)))
		if (!strncmp(e->d_name, "lower_", 6))
			mark_netdev(m, root, e->d_name + 6, use, depth + 1);
	closedir(dir);
}

static void net_facts(struct ax_machine *m, const char *root)
{
	char path[PATH_MAX], line[512], use[96];
	FILE *f;
	DIR *dir;
	struct dirent *e;

	/* /proc/net/route: Iface Destination ...; 00000000 = default */
	snprintf(path, sizeof(path), "%s/proc/net/route", root);
	f = fopen(path, "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char ifn[64], dst[16];

			if (sscanf(line, "%63s %15s", ifn, dst) == 2 &&
			    !strcmp(dst, "00000000")) {
				snprintf(use, sizeof(use),
					 "default route via %s", ifn);
				mark_netdev(m, root, ifn, use, 0);
			}
		}
		fclose(f);
	}
	/* NICs in a Linux bridge (vmbr0, virbr0, br0): VMs' network */
	snprintf(path, sizeof(path), "%s/sys/class/net", root);
	dir = opendir(path);
	if (!dir)
		return;
	while ((e = readdir(dir))) {
		char br[PATH_MAX];

		if (e->d_name[0] == '.')
			continue;
		snprintf(br, sizeof(br), "%s/sys/class/net/%s/bridge", root,
			 e->d_name);
		if (access(br, F_OK))
			continue;
		snprintf(use, sizeof(use), "port of bridge %.60s", e->d_name);
		mark_netdev(m, root, e->d_name, use, 0);
	}
	closedir(dir);
}

/* A block device by name: its PCI controller, through dm/md slaves. */
static void mark_block(struct ax_machine *m, const char *root,
		       const char *name, const char *use, int depth)
{
	char path[PATH_MAX], real[PATH_MAX];
	DIR *dir;
	struct dirent *e;
	int i;

	if (depth > 4 || strchr(name, '/'))
		return;
	snprintf(path, sizeof(path), "%s/sys/class/block/%s", root, name);
	if (!realpath(path, real))
		return;
	i = pci_in_path(m, real);
	if (i >= 0)
		set_use(&m->devs[i], use);
	snprintf(path, sizeof(path), "%s/sys/class/block/%s/slaves", root,
		 name);
	dir = opendir(path);
	if (!dir)
		return;
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.')
			mark_block(m, root, e->d_name, use, depth + 1);
	closedir(dir);
}

static void rootfs_facts(struct ax_machine *m, const char *root)
{
	char path[PATH_MAX], line[1024], use[96];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/self/mounts", root);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char src[512], mnt[512], lnk[PATH_MAX], *base;
		ssize_t n;

		if (sscanf(line, "%511s %511s", src, mnt) != 2 ||
		    strcmp(mnt, "/") || strncmp(src, "/dev/", 5))
			continue;
		snprintf(use, sizeof(use), "root filesystem %.70s", src);
		/* /dev/mapper/x and /dev/disk/by-* are links to ../dm-N */
		snprintf(path, sizeof(path), "%s%s", root, src);
		n = readlink(path, lnk, sizeof(lnk) - 1);
		if (n > 0) {
			lnk[n] = '\0';
			base = strrchr(lnk, '/');
			base = base ? base + 1 : lnk;
		} else {
			base = strrchr(src, '/') + 1;
		}
		mark_block(m, root, base, use, 0);
	}
	fclose(f);
}

/* Slot Implemented from config space where a source could not read it
 * (the module gives no capability flags; non-root sees 64 bytes only).
 */
static void slot_bits(struct ax_machine *m, const char *root)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];
		unsigned char cfg[256];
		char path[PATH_MAX], a[16];
		unsigned int pos, guard = 0;
		size_t n;
		FILE *f;

		if (d->slot_known || !d->is_bridge || !d->is_pcie ||
		    (d->pcie_type != AX_EXP_ROOT_PORT &&
		     d->pcie_type != AX_EXP_DOWNSTREAM))
			continue;
		snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/config",
			 root, ax_addr_str(d->addr, a));
		f = fopen(path, "rb");
		if (!f)
			continue;
		n = fread(cfg, 1, sizeof(cfg), f);
		fclose(f);
		if (n < 0x40 || !(cfg[0x06] & 0x10))
			continue;	/* no capability list */
		for (pos = cfg[0x34] & 0xfc; pos >= 0x40 && pos + 3 < n &&
		     guard < 48; pos = cfg[pos + 1] & 0xfc, guard++) {
			if (cfg[pos] != 0x10)	/* PCI Express */
				continue;
			d->slot_known = true;
			d->has_slot = (cfg[pos + 3] & 0x01) != 0;	/* 0x0100 */
			break;
		}
	}
}

static void slot_facts(struct ax_machine *m, const char *root)
{
	char path[PATH_MAX], addr[64], err[200];
	DIR *dir;
	struct dirent *e;
	FILE *f;

	slot_bits(m, root);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/slots", root);
	dir = opendir(path);
	if (dir) {
		while ((e = readdir(dir))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path),
				 "%s/sys/bus/pci/slots/%s/address", root,
				 e->d_name);
			if (!read_text(path, addr, sizeof(addr)))
				ax_sysfs_slot_apply(m, e->d_name, addr);
		}
		closedir(dir);
	}
	/* SMBIOS names slots as the board does; readable by root only */
	snprintf(path, sizeof(path), "%s/sys/firmware/dmi/tables/DMI", root);
	f = fopen(path, "rb");
	if (f) {
		uint8_t *buf = malloc(MAX_DMI);
		struct ax_dmi_slot s[64];
		size_t n = buf ? fread(buf, 1, MAX_DMI, f) : 0;
		int k;

		k = buf ? ax_dmi_parse_slots(buf, n, s, 64, err, sizeof(err)) : -1;
		if (k > 64)
			k = 64;
		if (k > 0)
			ax_dmi_apply_slots(m, s, k);
		else if (k < 0 && buf)
			ax_machine_note(m, "%s", err);
		free(buf);
		fclose(f);
	}
}

/*
 * ACPI or device tree.  /sys/firmware/acpi/tables exists when the kernel
 * runs on ACPI; its IOMMU tables (DMAR, IVRS, IORT, VIOT) are parsed
 * before the PCI scan, which is when their drivers request ACS.  Without
 * ACPI, a device tree with a root "compatible" is the machine's own (6.6+
 * makes an empty root node, without one, on every machine with CONFIG_OF).
 */
static void firmware_facts(struct ax_machine *m, const char *root)
{
	static const char *const tables[] = { "DMAR", "IVRS", "IORT", "VIOT" };
	char path[PATH_MAX], seen[40] = "";
	size_t i;

	snprintf(path, sizeof(path), "%s/sys/firmware/acpi/tables", root);
	if (!access(path, F_OK)) {
		for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
			snprintf(path, sizeof(path),
				 "%s/sys/firmware/acpi/tables/%s", root,
				 tables[i]);
			if (!access(path, F_OK))
				snprintf(seen + strlen(seen),
					 sizeof(seen) - strlen(seen), " %s",
					 tables[i]);
		}
		m->firmware = AX_FW_ACPI;
		snprintf(m->firmware_basis, sizeof(m->firmware_basis),
			 "ACPI tables in /sys/firmware/acpi (IOMMU tables:%s)",
			 seen[0] ? seen : " none");
		return;
	}
	snprintf(path, sizeof(path), "%s/sys/firmware/devicetree/base/compatible",
		 root);
	if (!access(path, F_OK)) {
		m->firmware = AX_FW_DT;
		snprintf(m->firmware_basis, sizeof(m->firmware_basis),
			 "a device tree in /sys/firmware/devicetree and no ACPI");
	}
}

/* Bit 7 of the header type byte (0x0e) from a sysfs config file. */
static void header_bit(struct ax_dev *d, const char *path)
{
	unsigned char cfg[16];
	FILE *f = fopen(path, "rb");

	if (!f)
		return;
	if (fread(cfg, 1, sizeof(cfg), f) == sizeof(cfg)) {
		d->hdr_mf_known = true;
		d->hdr_mf = (cfg[0x0e] & 0x80) != 0;
	}
	fclose(f);
}

int ax_host_facts(struct ax_machine *m, const char *root)
{
	char path[PATH_MAX], val[64];
	size_t i;

	if (!root)
		root = "";
	if (strlen(root) > PATH_MAX / 4)
		return -1;
	for (i = 0; i < m->n; i++) {
		struct ax_dev *d = &m->devs[i];
		char a[AX_ADDR_STRLEN], base[PATH_MAX / 2];

		snprintf(base, sizeof(base), "%s/sys/bus/pci/devices/%s", root,
			 ax_addr_str(d->addr, a));
		snprintf(path, sizeof(path), "%s/boot_vga", base);
		if (!read_text(path, val, sizeof(val))) {
			d->boot_vga_known = true;
			d->boot_vga = val[0] == '1';
		}
		if (!d->modules[0]) {
			snprintf(path, sizeof(path), "%s/driver/module", base);
			ax_link_base(path, d->modules, sizeof(d->modules));
		}
		if (!d->hdr_mf_known) {
			/* the module sends the kernel's flag, not the header
			 * byte; the first 64 bytes of config are world-readable
			 */
			snprintf(path, sizeof(path), "%s/config", base);
			header_bit(d, path);
		}
	}
	firmware_facts(m, root);
	slot_facts(m, root);
	net_facts(m, root);
	rootfs_facts(m, root);
	snprintf(path, sizeof(path), "%s/etc/kernel/proxmox-boot-uuids", root);
	if (!access(path, F_OK)) {
		snprintf(m->boot_loader, sizeof(m->boot_loader),
			 "proxmox-boot-tool");
	} else {
		snprintf(path, sizeof(path), "%s/boot/config/go", root);
		if (!access(path, F_OK)) {
			snprintf(m->boot_loader, sizeof(m->boot_loader),
				 "unraid");
		} else {
			snprintf(path, sizeof(path), "%s/etc/default/grub",
				 root);
			if (!access(path, F_OK))
				snprintf(m->boot_loader,
					 sizeof(m->boot_loader), "grub");
		}
	}
	m->host_facts_known = true;
	return 0;
}
