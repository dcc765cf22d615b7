// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_plan.c - the vfio-pci plan: the whole set VFIO needs, what stays,
 * ids= and softdep lines from the facts, the warnings, and lines the
 * tools accept: the Proxmox hostpci value checked against the syntax
 * qemu-server documents (PVE::QemuServer::PCI: $PCIRE and the hostpci
 * property format), the libvirt <hostdev> against libvirt's own schema
 * with virt-xml-validate (Debian package libvirt-clients).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fake_machine.h"
#include "linuxhw.h"
#include "analysis.h"
#include "source.h"


static struct ax_grouping G;
static struct ax_vfio_plan PL;
static bool have;

static void clear(void)
{
	if (have) {
		ax_grouping_free(&G);
		ax_result_free(&R);
		have = false;
	}
	ax_vfio_plan_free(&PL);
	ax_machine_free(&M);
	ax_machine_init(&M);
	ax_profile_init(&P);
}

static void run(void)
{
	size_t i;

	if (M.kernel_groups_known && M.iommu == AX_IOMMU_UNKNOWN) {
		M.iommu = AX_IOMMU_OFF;
		for (i = 0; i < M.n; i++)
			if (M.devs[i].kernel_group >= 0)
				M.iommu = AX_IOMMU_ON;
	}
	P.kver = ax_kver_parse(M.kernel_release);
	if (ax_derive(&M, &P, &R) || ax_grouping_init(&G, &M, &R))
		abort();
	have = true;
}

static bool load(const char *path)
{
	char err[256];
	size_t n;
	char *buf = ax_read_file(path, &n, err, sizeof(err));

	clear();
	if (!buf) {
		CHECK(0, "%s", err);
		return false;
	}
	if (ax_source_text(&M, buf, n, err, sizeof(err)) ||
	    ax_machine_link(&M, err, sizeof(err))) {
		CHECK(0, "%s: %s", path, err);
		free(buf);
		return false;
	}
	free(buf);
	ax_release_from_name(&M, path);
	ax_fill_names(&M);
	ax_machine_infer_ports(&M);
	run();
	return true;
}

static bool plan(const char *addr)
{
	int i = fm_idx(addr);

	ax_vfio_plan_free(&PL);
	if (i < 0) {
		CHECK(0, "no %s", addr);
		return false;
	}
	if (ax_vfio_plan_build(&M, &G, i, &PL))
		abort();
	if (getenv("ACSX_DUMP"))
		printf("== plan %s viable %d ids %s\n%s%s%s%s%s", addr, PL.viable,
		       PL.vfio_ids, PL.modprobe_conf, PL.commands, PL.proxmox,
		       PL.libvirt, PL.qemu);
	return true;
}

static bool binds(const char *addr)
{
	int i = fm_idx(addr), k;

	for (k = 0; k < PL.n_bind; k++)
		if (PL.bind[k] == i)
			return true;
	return false;
}

static bool keeps(const char *addr)
{
	int i = fm_idx(addr), k;

	for (k = 0; k < PL.n_keep; k++)
		if (PL.keep[k] == i)
			return true;
	return false;
}

static bool warned(const char *s)
{
	int k;

	for (k = 0; k < PL.n_warnings; k++)
		if (strstr(PL.warnings[k], s))
			return true;
	return false;
}

static bool noted(const char *s)
{
	int k;

	for (k = 0; k < PL.n_notes; k++)
		if (strstr(PL.notes[k], s))
			return true;
	return false;
}

/*
 * The hostpci property string as qemu-server parses it: a default key
 * "host" matching $PCIRE(;$PCIRE)* with
 * $PCIRE = (?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?,
 * then key=value pairs of the documented keys, booleans 0/1.
 */
static bool hostpci_ok(const char *value, char *why, size_t len)
{
	static const char *const bool_keys[] = {
		"pcie", "x-vga", "rombar", "legacy-igd",
	};
	char buf[256], *tok, *save = NULL;
	regex_t re;
	bool ok = true;
	int first = 1;

	if (regcomp(&re, "^([a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(\\.[a-f0-9])?$",
		    REG_EXTENDED | REG_NOSUB))
		abort();
	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ",", &save); tok && ok;
	     tok = strtok_r(NULL, ",", &save), first = 0) {
		char *eq = strchr(tok, '=');
		size_t k;
		bool known = false;

		if (first && !eq) {
			char *alt, *s2 = NULL;

			for (alt = strtok_r(tok, ";", &s2); alt;
			     alt = strtok_r(NULL, ";", &s2))
				if (regexec(&re, alt, 0, NULL, 0)) {
					snprintf(why, len, "host '%s' is not a HOSTPCIID", alt);
					ok = false;
				}
			continue;
		}
		if (!eq) {
			snprintf(why, len, "'%s' is not key=value", tok);
			ok = false;
			break;
		}
		*eq = '\0';
		for (k = 0; k < sizeof(bool_keys) / sizeof(bool_keys[0]); k++)
			if (!strcmp(tok, bool_keys[k]))
				known = true;
		if (!known || (strcmp(eq + 1, "0") && strcmp(eq + 1, "1"))) {
			snprintf(why, len, "'%s=%s' is not a hostpci boolean option", tok, eq + 1);
			ok = false;
		}
	}
	regfree(&re);
	return ok;
}

/* "qm set <vmid> -hostpciN VALUE ..." */
static void check_qm_line(const char *line)
{
	char buf[1024], *tok, *save = NULL, why[200] = "";
	int n = 0, expect_value = -1;

	CHECK(!strncmp(line, "qm set <vmid> ", 14), "starts with qm set: %s", line);
	snprintf(buf, sizeof(buf), "%s", line + 14);
	buf[strcspn(buf, "\n")] = '\0';
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		int id;
		char tail;

		if (expect_value >= 0) {
			CHECK(hostpci_ok(tok, why, sizeof(why)), "hostpci%d %s: %s", expect_value, tok, why);
			expect_value = -1;
			n++;
			continue;
		}
		CHECK(sscanf(tok, "-hostpci%d%c", &id, &tail) == 1 && id == n && id < 16,
		      "option '%s' is -hostpci%d", tok, n);
		expect_value = id;
	}
	CHECK(expect_value < 0 && n > 0, "every -hostpciN has a value");
	/* the parser itself on values it must refuse */
	CHECK(!hostpci_ok("01:00.0,pcie=yes", why, sizeof(why)), "checker refuses pcie=yes");
	CHECK(!hostpci_ok("0000:1:00", why, sizeof(why)), "checker refuses a 1-digit bus");
	CHECK(hostpci_ok("0000:01:00,pcie=1,x-vga=1", why, sizeof(why)), "the documented example");
}

/* libvirt's schema on a domain holding the <hostdev> elements */
static void check_libvirt(const char *hostdevs)
{
	char path[] = "/tmp/test_plan_domain.XXXXXX", cmd[512];
	int fd = mkstemp(path);
	FILE *f;
	int rc;

	if (fd < 0) {
		CHECK(0, "mkstemp");
		return;
	}
	f = fdopen(fd, "w");
	fprintf(f,
		"<domain type='kvm'>\n  <name>vm</name>\n  <memory unit='MiB'>1024</memory>\n"
		"  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n  <devices>\n%s  </devices>\n</domain>\n",
		hostdevs);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "virt-xml-validate %s domain >/dev/null 2>&1", path);
	rc = system(cmd);
	CHECK(rc == 0, "virt-xml-validate refuses the <hostdev> elements (exit %d; is libvirt-clients installed?):\n%s",
	      rc, hostdevs);
	unlink(path);
}

static void test_c5_gpu(void)
{
	if (!load("tests/user/fixtures/cases/c5-peg-gpu.txt") || !plan("01:00.0"))
		return;
	CHECK(PL.n_bind == 4 && binds("01:00.3"), "the GPU's 4 functions (%d)", PL.n_bind);
	CHECK(keeps("00:01.0") && PL.n_keep == 1, "the PEG port stays (C12)");
	CHECK(PL.viable == 0, "not viable while nouveau holds it");
	CHECK(!strcmp(PL.vfio_ids, "10de:1e87,10de:10f8,10de:1ad8,10de:1ad9"), "ids= %s", PL.vfio_ids);
	CHECK(strstr(PL.modprobe_conf, "options vfio-pci ids=10de:1e87,10de:10f8,10de:1ad8,10de:1ad9\n") &&
	      strstr(PL.modprobe_conf, "softdep nouveau pre: vfio-pci\n") &&
	      strstr(PL.modprobe_conf, "softdep snd_hda_intel pre: vfio-pci\n") &&
	      strstr(PL.modprobe_conf, "softdep xhci_pci pre: vfio-pci\n") &&
	      strstr(PL.modprobe_conf, "softdep i2c_nvidia_gpu pre: vfio-pci\n") &&
	      strstr(PL.modprobe_conf, "update-initramfs -u -k all"), "modprobe.d:\n%s", PL.modprobe_conf);
	CHECK(!strcmp(PL.proxmox, "qm set <vmid> -hostpci0 0000:01:00,pcie=1,x-vga=1\n"), "proxmox: %s", PL.proxmox);
	check_qm_line(PL.proxmox);
	CHECK(noted("q35"), "pcie=1 needs q35");
	CHECK(noted("bind the devices to vfio-pci by themselves"), "Proxmox/libvirt bind themselves");
	CHECK(warned("boot_vga"), "a GPU: the console question is asked");
	{
		int n = 0;
		const char *p = PL.commands;

		while ((p = strstr(p, "driver_override"))) {
			n++;
			p++;
		}
		CHECK(n == 4, "4 driver_override lines (%d)", n);
	}
	check_libvirt(PL.libvirt);
	CHECK(strstr(PL.qemu, "-device vfio-pci,host=0000:01:00.3") != NULL, "qemu: %s", PL.qemu);
	/* the bridge asked about: nothing to bind */
	plan("00:01.0");
	CHECK(PL.n_bind == 0 && noted("is a bridge"), "a bridge is not assigned");
}

static void test_x470_shared(void)
{
	if (!load(linuxhw("Desktop__ASRock__X470")) || !plan("05:00.0"))
		return;
	/* C4: the chipset group: everything in it goes along */
	CHECK(binds("02:00.0") && binds("02:00.1") && binds("08:00.0") &&
	      binds("09:00.0") && PL.n_bind == 5, "the chipset group (%d)", PL.n_bind);
	CHECK(keeps("02:00.2") && keeps("03:01.0"), "the chipset's bridges stay");
	CHECK(strstr(PL.modprobe_conf, "softdep igb pre: vfio-pci") &&
	      strstr(PL.modprobe_conf, "softdep ahci pre: vfio-pci") &&
	      strstr(PL.modprobe_conf, "softdep xhci_pci pre: vfio-pci"), "from the drivers:\n%s", PL.modprobe_conf);
	/* two NVMe drives of the same kind? no: 01:00.0 Samsung stays, the
	 * Kingston 08:00.0 goes; the host's 0c:00.3 and 02:00.0 USB differ
	 */
	check_qm_line(PL.proxmox);
	check_libvirt(PL.libvirt);
	CHECK(noted("Offline facts"), "offline: host use unknown");
	/* the GPU: its own four functions, one hostpci line */
	plan("0b:00.0");
	CHECK(PL.n_bind == 4 && !strcmp(PL.proxmox, "qm set <vmid> -hostpci0 0000:0b:00,pcie=1,x-vga=1\n"),
	      "GPU: %s", PL.proxmox);
}

static void test_framework_companions(void)
{
	if (!load(linuxhw("Notebook__Framework")) || !plan("c1:00.0"))
		return;
	/* alone, but its audio and the other functions go with it */
	CHECK(binds("c1:00.1") && binds("c1:00.6"), "companions bound");
	CHECK(strstr(PL.proxmox, "0000:c1:00,") != NULL, "all functions: %s", PL.proxmox);
	CHECK(strstr(PL.modprobe_conf, "softdep amdgpu pre: vfio-pci") &&
	      strstr(PL.modprobe_conf, "softdep snd_pci_acp6x pre: vfio-pci"),
	      "Kernel modules: lines used:\n%s", PL.modprobe_conf);
	check_qm_line(PL.proxmox);
	check_libvirt(PL.libvirt);
}

static struct ax_dev *add(const char *addr, uint16_t v, uint16_t d,
			  uint32_t cls, const char *driver, int group)
{
	struct ax_dev *x = ax_machine_add(&M);

	if (ax_addr_parse(addr, &x->addr))
		abort();
	x->vendor = v;
	x->device = d;
	x->class = cls;
	x->is_pcie = true;
	x->acs_known = true;
	x->driver_known = true;
	x->kernel_group = group;
	snprintf(x->driver, sizeof(x->driver), "%s", driver);
	return x;
}

static void test_warnings(void)
{
	struct ax_dev *x;
	char err[100];

	clear();
	M.iommu = AX_IOMMU_ON;
	M.kernel_groups_known = true;
	M.host_facts_known = true;
	/* two identical NICs, the host keeps the second */
	x = add("01:00.0", 0x8086, 0x1533, 0x020000, "igb", 1);
	x->subvendor = 0x8086;
	x->subdevice = 0x0001;
	x = add("02:00.0", 0x8086, 0x1533, 0x020000, "igb", 2);
	x->subvendor = 0x8086;
	x->subdevice = 0x0001;
	snprintf(x->host_use, sizeof(x->host_use), "default route via eno2");
	/* a GPU showing the console, already-bound audio */
	x = add("03:00.0", 0x1002, 0x67df, 0x030000, "amdgpu", 3);
	x->boot_vga_known = x->boot_vga = true;
	add("03:00.1", 0x1002, 0xaaf0, 0x040300, "vfio-pci", 3);
	/* two identical GPUs with different subsystems */
	x = add("04:00.0", 0x10de, 0x2484, 0x030000, "nouveau", 4);
	x->subvendor = 0x1458;
	x->subdevice = 0x4036;
	x->boot_vga_known = true;
	x = add("05:00.0", 0x10de, 0x2484, 0x030000, "nouveau", 5);
	x->subvendor = 0x1043;
	x->subdevice = 0x87c1;
	x->boot_vga_known = true;
	if (ax_machine_link(&M, err, sizeof(err)))
		abort();
	run();

	plan("01:00.0");
	CHECK(!PL.vfio_ids[0], "an ID the host keeps is left out of ids= (%s)", PL.vfio_ids);
	CHECK(warned("same vendor:device ID as 02:00.0"), "shared ID warned");
	CHECK(strstr(PL.modprobe_conf, "softdep igb") != NULL, "still the softdep");
	plan("02:00.0");
	CHECK(warned("default route via eno2"), "the host's network warned");

	plan("03:00.0");
	CHECK(warned("shows the host's console"), "boot_vga warned");
	CHECK(!strstr(PL.commands, "03:00.1"), "no commands for a function on vfio-pci: %s", PL.commands);
	CHECK(!strcmp(PL.vfio_ids, "1002:67df"), "ids= without the bound one: %s", PL.vfio_ids);
	CHECK(noted("already bound to vfio-pci get no commands"), "says why");
	CHECK(PL.viable == 0, "amdgpu still holds the VGA");

	plan("04:00.0");
	CHECK(!strcmp(PL.vfio_ids, "10de:2484:1458:4036"), "narrowed to the subsystem: %s", PL.vfio_ids);
	CHECK(!warned("boot_vga") && !warned("console"), "known not the console GPU");

	/* everything on vfio-pci: nothing to run */
	snprintf(M.devs[fm_idx("03:00.0")].driver, 32, "vfio-pci");
	plan("03:00.0");
	CHECK(!PL.commands[0] && !PL.modprobe_conf[0] && PL.viable == 1 &&
	      noted("already bound"), "already bound: no commands");
	CHECK(PL.proxmox[0] && PL.libvirt[0], "but the VM lines still");
}

int main(void)
{
	test_c5_gpu();
	test_x470_shared();
	test_framework_companions();
	test_warnings();
	clear();
	return check_report("test_plan");
}
