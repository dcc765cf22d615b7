// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio_plan.c - the vfio-pci plan (struct ax_vfio_plan in analysis.h).
 * What passthrough users are told to do (REFERENCE section 9): Proxmox
 * `qm set VMID -hostpci0 0000:01:00,pcie=1,x-vga=1` (no function: every
 * function of the device), persistent binding in /etc/modprobe.d/vfio.conf (ids= and
 * softdep) then update-initramfs, the one-shot driver_override sequence,
 * libvirt <hostdev managed='yes'> and QEMU -device vfio-pci.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "strbuf.h"

#define MAX_HOSTPCI 16		/* Proxmox: hostpci0..hostpci15 */

static bool on_vfio(const struct ax_dev *d)
{
	return !strcmp(d->driver, "vfio-pci");
}

/* The driver names whose module is named otherwise. */
const char *ax_driver_module(const char *driver)
{
	static const char *const map[][2] = {
		{ "xhci_hcd", "xhci_pci" },
		{ "ehci-pci", "ehci_pci" },
		{ "ohci-pci", "ohci_pci" },
		{ "nvidia-gpu", "i2c_nvidia_gpu" },
		{ "intel-lpss", "intel_lpss_pci" },
		{ "intel-spi", "spi_intel_pci" },
		{ "serial", "" },	/* 8250_pci: built in */
		{ "pcieport", "" },
		{ "vfio-pci", "" },
		{ "pci-stub", "" },
	};
	size_t i;

	for (i = 0; i < AX_ARRAY_SIZE(map); i++)
		if (!strcmp(driver, map[i][0]))
			return map[i][1];
	return driver;
}

static void warn(struct ax_vfio_plan *pl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn(struct ax_vfio_plan *pl, const char *fmt, ...)
{
	va_list ap;

	if (pl->n_warnings >= AX_PLAN_MAX_MSGS)
		return;
	va_start(ap, fmt);
	vsnprintf(pl->warnings[pl->n_warnings++], sizeof(pl->warnings[0]),
		  fmt, ap);
	va_end(ap);
}

static void note(struct ax_vfio_plan *pl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct ax_vfio_plan *pl, const char *fmt, ...)
{
	va_list ap;

	if (pl->n_notes >= AX_PLAN_MAX_MSGS)
		return;
	va_start(ap, fmt);
	vsnprintf(pl->notes[pl->n_notes++], sizeof(pl->notes[0]), fmt, ap);
	va_end(ap);
}

/* The set VFIO needs: the device, its own functions, and every
 * non-bridge member of their groups, until nothing is added.
 */
static void closure(const struct ax_machine *m, const struct ax_grouping *g,
		    struct ax_vfio_plan *pl)
{
	int k, j;

	for (k = 0; k < pl->n_bind; k++) {
		int x = pl->bind[k];

		for (j = 0; j < (int)m->n; j++) {
			const struct ax_dev *t = &m->devs[j];
			bool same_group = g->of[x] >= 0 && g->of[j] == g->of[x];

			if (!same_group && !ax_same_device(t, &m->devs[x]))
				continue;
			if (ax_is_bridge_class(t)) {
				if (same_group && !ax_in_list(pl->keep, pl->n_keep, j))
					pl->keep[pl->n_keep++] = j;
				continue;
			}
			if (!ax_in_list(pl->bind, pl->n_bind, j))
				pl->bind[pl->n_bind++] = j;
		}
	}
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static const char *short_addr(const struct ax_dev *d, char *buf)
{
	ax_addr_str(d->addr, buf);
	return d->addr.domain ? buf : buf + 5;
}

/* ids= entries; a vendor:device the host keeps elsewhere is narrowed to
 * its subsystem or left out (then driver_override binds it).
 */
static void build_ids(const struct ax_machine *m, struct ax_vfio_plan *pl)
{
	size_t o = 0;
	int k, j;

	for (k = 0; k < pl->n_bind; k++) {
		const struct ax_dev *d = &m->devs[pl->bind[k]];
		char id[32], a[16], b[16];
		int twin = -1, q;
		bool dup = false, narrow = true;

		if (on_vfio(d) || d->is_virtfn)
			continue;
		for (q = 0; q < k; q++) {
			const struct ax_dev *e = &m->devs[pl->bind[q]];

			if (!on_vfio(e) && e->vendor == d->vendor &&
			    e->device == d->device)
				dup = true;
		}
		if (dup)
			continue;
		for (j = 0; j < (int)m->n; j++) {
			const struct ax_dev *t = &m->devs[j];

			if (t->vendor != d->vendor || t->device != d->device ||
			    ax_in_list(pl->bind, pl->n_bind, j))
				continue;
			twin = j;
			if (!d->subvendor ||
			    (t->subvendor == d->subvendor &&
			     t->subdevice == d->subdevice))
				narrow = false;
		}
		if (twin >= 0 && !narrow) {
			warn(pl,
			     "%s [%04x:%04x] has the same vendor:device ID as %s, which the host keeps: ids= would take both, so it is left out of ids=; bind %s with driver_override (the one-shot commands, or driverctl set-override at every boot) instead.",
			     short_addr(d, a), d->vendor, d->device,
			     short_addr(&m->devs[twin], b), short_addr(d, a));
			continue;
		}
		if (twin >= 0)
			snprintf(id, sizeof(id), "%04x:%04x:%04x:%04x",
				 d->vendor, d->device, d->subvendor,
				 d->subdevice);
		else
			snprintf(id, sizeof(id), "%04x:%04x", d->vendor,
				 d->device);
		if (o + strlen(id) + 2 < sizeof(pl->vfio_ids))
			o += (size_t)snprintf(pl->vfio_ids + o,
					      sizeof(pl->vfio_ids) - o, "%s%s",
					      o ? "," : "", id);
	}
}

/* "nouveau, nvidiafb" -> each module once into softdeps. */
static void add_modules(const char *list, char mods[][48], int *n, int max)
{
	char buf[128], *tok, *save = NULL;
	int k;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		const char *mod = ax_driver_module(tok);
		bool seen = false;

		if (!mod[0])
			continue;
		for (k = 0; k < *n; k++)
			if (!strcmp(mods[k], mod))
				seen = true;
		if (!seen && *n < max)
			snprintf(mods[(*n)++], 48, "%s", mod);
	}
}

static void build_modprobe(const struct ax_machine *m, struct ax_vfio_plan *pl,
			   struct ax_sb *b)
{
	char mods[32][48], a[16];
	int n = 0, k;

	for (k = 0; k < pl->n_bind; k++) {
		const struct ax_dev *d = &m->devs[pl->bind[k]];

		if (on_vfio(d))
			continue;
		if (d->modules[0])
			add_modules(d->modules, mods, &n, 32);
		else if (d->driver[0])
			add_modules(d->driver, mods, &n, 32);
	}
	if (!pl->vfio_ids[0] && !n)
		return;
	ax_sb_printf(b, "# /etc/modprobe.d/vfio.conf\n");
	if (pl->vfio_ids[0])
		ax_sb_printf(b, "options vfio-pci ids=%s\n", pl->vfio_ids);
	for (k = 0; k < n; k++)
		ax_sb_printf(b, "softdep %s pre: vfio-pci\n", mods[k]);
	for (k = 0; k < pl->n_bind; k++) {
		const struct ax_dev *d = &m->devs[pl->bind[k]];

		if (!on_vfio(d) && !d->modules[0] && !d->driver[0] &&
		    d->driver_known)
			continue;	/* no driver wants it */
		if (!on_vfio(d) && !d->modules[0] && !d->driver_known)
			ax_sb_printf(b,
				     "# %s: its host driver is not in the facts (lspci -k shows it): add softdep <module> pre: vfio-pci for it\n",
				     short_addr(d, a));
	}
}

static void build_commands(const struct ax_machine *m, struct ax_vfio_plan *pl,
			   struct ax_sb *b)
{
	char a[AX_ADDR_STRLEN];
	int k, n = 0;

	for (k = 0; k < pl->n_bind; k++) {
		const struct ax_dev *d = &m->devs[pl->bind[k]];

		if (on_vfio(d))
			continue;
		if (!n++)
			ax_sb_printf(b, "modprobe vfio-pci\n");
		ax_addr_str(d->addr, a);
		ax_sb_printf(b,
			     "echo vfio-pci > /sys/bus/pci/devices/%s/driver_override\n"
			     "[ -e /sys/bus/pci/devices/%s/driver ] && echo %s > /sys/bus/pci/devices/%s/driver/unbind\n"
			     "echo %s > /sys/bus/pci/drivers_probe\n",
			     a, a, a, a, a);
	}
}

/* Every non-bridge function of d's physical device is in the set. */
static bool whole_device(const struct ax_machine *m, const struct ax_vfio_plan *pl,
			 int x)
{
	int j;

	for (j = 0; j < (int)m->n; j++)
		if (ax_same_device(&m->devs[j], &m->devs[x]) &&
		    !ax_is_bridge_class(&m->devs[j]) &&
		    !ax_in_list(pl->bind, pl->n_bind, j))
			return false;
	return true;
}

static void build_proxmox(const struct ax_machine *m, struct ax_vfio_plan *pl,
			  struct ax_sb *b)
{
	int k, q, n = 0;
	bool vga_done = false;
	char a[AX_ADDR_STRLEN];

	for (k = 0; k < pl->n_bind; k++) {
		const struct ax_dev *d = &m->devs[pl->bind[k]];
		bool whole = !d->is_virtfn && whole_device(m, pl, pl->bind[k]);
		bool vga = false, seen = false;

		/* one entry per physical device */
		for (q = 0; q < k && whole; q++)
			if (ax_same_device(&m->devs[pl->bind[q]], d))
				seen = true;
		if (seen)
			continue;
		for (q = 0; q < pl->n_bind; q++) {
			const struct ax_dev *t = &m->devs[pl->bind[q]];

			if ((t == d || (whole && ax_same_device(t, d))) &&
			    (t->class >> 8) == 0x0300)
				vga = true;
		}
		if (n >= MAX_HOSTPCI) {
			warn(pl, "Proxmox takes at most %d hostpci devices per VM: the rest are not in the line.",
			     MAX_HOSTPCI);
			break;
		}
		ax_addr_str(d->addr, a);
		if (whole)
			a[strlen(a) - 2] = '\0';	/* "0000:01:00": all functions */
		ax_sb_printf(b, "%s-hostpci%d %s,pcie=1%s", n ? " " : "qm set <vmid> ",
			     n, a, vga && !vga_done ? ",x-vga=1" : "");
		if (vga && !vga_done) {
			vga_done = true;
			note(pl, "x-vga=1 makes %s the guest's primary GPU; drop it to keep an emulated display primary.",
			     a);
		}
		n++;
	}
	if (n) {
		ax_sb_printf(b, "\n");
		note(pl, "pcie=1 needs the q35 machine type (qm set <vmid> -machine q35).");
	}
}

static void build_libvirt(const struct ax_machine *m, struct ax_vfio_plan *pl,
			  struct ax_sb *b, struct ax_sb *q)
{
	int k;
	char a[AX_ADDR_STRLEN];

	for (k = 0; k < pl->n_bind; k++) {
		const struct ax_dev *d = &m->devs[pl->bind[k]];

		ax_sb_printf(b,
			     "<hostdev mode='subsystem' type='pci' managed='yes'>\n"
			     "  <source>\n"
			     "    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>\n"
			     "  </source>\n"
			     "</hostdev>\n",
			     d->addr.domain, d->addr.bus, AX_SLOT(d->addr.devfn),
			     AX_FUNC(d->addr.devfn));
		ax_sb_printf(q, "%s-device vfio-pci,host=%s", k ? " " : "",
			     ax_addr_str(d->addr, a));
	}
	if (pl->n_bind)
		ax_sb_printf(q, "\n");
}

static void host_warnings(const struct ax_machine *m, struct ax_vfio_plan *pl)
{
	char a[AX_ADDR_STRLEN], full[AX_ADDR_STRLEN];
	int k;

	for (k = 0; k < pl->n_bind; k++) {
		const struct ax_dev *d = &m->devs[pl->bind[k]];

		short_addr(d, a);
		ax_addr_str(d->addr, full);
		if (d->boot_vga_known && d->boot_vga)
			warn(pl,
			     "%s shows the host's console (boot_vga): bound to vfio-pci the host loses its display. Make another GPU the primary display in the firmware setup first; if the EFI framebuffer still holds the card, boot with video=efifb:off (kernels 5.15 and later: initcall_blacklist=sysfb_init).",
			     a);
		else if (!d->boot_vga_known && (d->class >> 8) == 0x0300)
			warn(pl,
			     "If %s shows the host's console (cat /sys/bus/pci/devices/%s/boot_vga prints 1), the host loses its display once it is bound: make another GPU primary in the firmware setup first.",
			     a, full);
		if (d->host_use[0])
			warn(pl,
			     "%s: the host itself uses it (%s); bound to vfio-pci the host loses that.",
			     a, d->host_use);
	}
	if (!m->host_facts_known && pl->n_bind)
		note(pl,
		     "Offline facts: whether one of these carries the host's network (default route, a bridge such as vmbr0) or its root filesystem is not known; run acsexplain on the machine itself to check.");
}

int ax_vfio_plan_build(const struct ax_machine *m, const struct ax_grouping *g,
		  int idx, struct ax_vfio_plan *pl)
{
	const struct ax_dev *d = &m->devs[idx];
	struct ax_sb mp = { 0 }, cmd = { 0 }, px = { 0 }, lv = { 0 }, qe = { 0 };
	char a[AX_ADDR_STRLEN];
	int k, n_unknown = 0, n_busy = 0, n_bound = 0;

	memset(pl, 0, sizeof(*pl));
	pl->dev = idx;
	pl->bind = calloc(2 * (m->n + 1), sizeof(int));
	if (!pl->bind)
		return -1;
	pl->keep = pl->bind + m->n + 1;
	if (ax_is_bridge_class(d)) {
		note(pl, "%s is a bridge: VFIO assigns the devices behind it; bridges stay with their driver.",
		     short_addr(d, a));
		pl->viable = 0;
		goto text;
	}
	if (m->iommu == AX_IOMMU_OFF) {
		warn(pl, "No IOMMU groups: VFIO can assign nothing until the IOMMU is on (see the verdict).");
		pl->viable = 0;
		goto text;
	}
	if (g->of[idx] < 0) {
		warn(pl, "%s has no IOMMU group: VFIO cannot assign it (see the verdict).",
		     short_addr(d, a));
		pl->viable = 0;
		goto text;
	}
	pl->bind[pl->n_bind++] = idx;
	closure(m, g, pl);
	qsort(pl->bind, (size_t)pl->n_bind, sizeof(int), cmp_int);
	qsort(pl->keep, (size_t)pl->n_keep, sizeof(int), cmp_int);
	for (k = 0; k < pl->n_bind; k++) {
		const struct ax_dev *t = &m->devs[pl->bind[k]];

		if (!t->driver_known)
			n_unknown++;
		else if (on_vfio(t))
			n_bound++;
		else if (t->driver[0] && strcmp(t->driver, "pci-stub"))
			n_busy++;
	}
	pl->viable = n_busy ? 0 : n_unknown ? -1 : 1;
	if (n_bound == pl->n_bind)
		note(pl, "Every function is already bound to vfio-pci: no binding commands needed.");
	else if (n_bound)
		note(pl, "Functions already bound to vfio-pci get no commands.");
	if (n_unknown)
		note(pl, "The facts do not show which drivers are bound (lspci -k or -v shows them): whether VFIO can open the group now is not known.");
	note(pl, "Proxmox (qm start) and libvirt with managed='yes' bind the devices to vfio-pci by themselves when the VM starts; binding at boot keeps host drivers off them from the start (needed when a host driver will not let go, as GPU drivers often will not), and the one-shot commands are for QEMU by hand.");
	build_ids(m, pl);
	host_warnings(m, pl);
	build_modprobe(m, pl, &mp);
	if (mp.len)
		ax_sb_printf(&mp, "# then: update-initramfs -u -k all (Fedora: dracut --regenerate-all --force), and reboot\n");
	build_commands(m, pl, &cmd);
	build_proxmox(m, pl, &px);
	build_libvirt(m, pl, &lv, &qe);
text:
	pl->modprobe_conf = ax_sb_take(&mp);
	pl->commands = ax_sb_take(&cmd);
	pl->proxmox = ax_sb_take(&px);
	pl->libvirt = ax_sb_take(&lv);
	pl->qemu = ax_sb_take(&qe);
	if (mp.oom || cmd.oom || px.oom || lv.oom || qe.oom ||
	    !pl->modprobe_conf || !pl->commands || !pl->proxmox ||
	    !pl->libvirt || !pl->qemu) {
		ax_vfio_plan_free(pl);
		return -1;
	}
	return 0;
}

void ax_vfio_plan_free(struct ax_vfio_plan *pl)
{
	free(pl->bind);
	free(pl->modprobe_conf);
	free(pl->commands);
	free(pl->proxmox);
	free(pl->libvirt);
	free(pl->qemu);
	pl->bind = pl->keep = NULL;
	pl->modprobe_conf = pl->commands = pl->proxmox = NULL;
	pl->libvirt = pl->qemu = NULL;
	pl->n_bind = pl->n_keep = 0;
}
