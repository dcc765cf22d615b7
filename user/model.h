/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model.h - the facts acsexplain reasons about, whatever source they came
 * from (acs_inspect module, sysfs + libpci, lspci -xxxx dump, lspci -vvv
 * text, saved snapshot).  Every source (src/) fills a struct ax_machine;
 * analysis/ turns it into groups and reasons; render/ prints them.
 *
 * A fact that a source could not read is marked unknown, never guessed:
 * each group of facts has a *_known flag (or, for groups, AX_GROUP_UNKNOWN).
 */
#ifndef ACSEXPLAIN_MODEL_H
#define ACSEXPLAIN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AX_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* PCIe device/port type as in the PCIe capability (PCI_EXP_TYPE_*). */
enum ax_pcie_type {
	AX_EXP_ENDPOINT = 0x0,
	AX_EXP_LEG_END = 0x1,
	AX_EXP_ROOT_PORT = 0x4,
	AX_EXP_UPSTREAM = 0x5,
	AX_EXP_DOWNSTREAM = 0x6,
	AX_EXP_PCI_BRIDGE = 0x7,	/* PCIe to PCI/PCI-X bridge */
	AX_EXP_PCIE_BRIDGE = 0x8,	/* PCI/PCI-X to PCIe bridge */
	AX_EXP_RC_END = 0x9,		/* root complex integrated endpoint */
	AX_EXP_RC_EC = 0xa,		/* root complex event collector */
};

/* ACS capability/control bits (PCI_ACS_*). */
#define AX_ACS_SV 0x0001
#define AX_ACS_TB 0x0002
#define AX_ACS_RR 0x0004
#define AX_ACS_CR 0x0008
#define AX_ACS_UF 0x0010
#define AX_ACS_EC 0x0020
#define AX_ACS_DT 0x0040
/* The flags the IOMMU core requires (iommu.c REQ_ACS_FLAGS). */
#define AX_REQ_ACS_FLAGS (AX_ACS_SV | AX_ACS_RR | AX_ACS_CR | AX_ACS_UF)

/* enum pci_dev_flags bits that matter for grouping (include/linux/pci.h). */
#define AX_DEVFL_ACS_ENABLED_QUIRK	(1u << 3)
#define AX_DEVFL_PCIE_BRIDGE_ALIAS	(1u << 5)
#define AX_DEVFL_BRIDGE_XLATE_ROOT	(1u << 9)
#define AX_DEVFL_PCI_BRIDGE_NO_ALIAS	(1u << 14)

enum ax_source_kind {
	AX_SRC_NETLINK = 1,	/* acs_inspect module */
	AX_SRC_SYSFS,		/* /sys + libpci, no module */
	AX_SRC_DUMP,		/* lspci -xxxx dump (src/hexdump.c) */
	AX_SRC_LSPCI_TEXT,	/* lspci -vvv / -vvnn text */
	AX_SRC_SNAPSHOT,	/* acsexplain --save file */
};

/* IOMMU state of the machine the facts describe. */
enum ax_iommu_state {
	AX_IOMMU_UNKNOWN = 0,
	AX_IOMMU_ON,		/* groups exist */
	AX_IOMMU_OFF,		/* no groups: no driver, or disabled */
};

/*
 * How the firmware describes the machine, which decides when the IOMMU
 * driver calls pci_request_acs(): ACPI (DMAR, IVRS, IORT, VIOT) before
 * the PCI scan; a device tree (of_iommu) only when a driver binds.
 */
enum ax_firmware {
	AX_FW_UNKNOWN = 0,
	AX_FW_ACPI,
	AX_FW_DT,
};

#define AX_GROUP_NONE (-1)	/* device has no IOMMU group */
#define AX_GROUP_UNKNOWN (-2)	/* the source does not say */

struct ax_addr {
	uint32_t domain;	/* 32 bits: VMD domains start at 10000 */
	uint8_t bus;
	uint8_t devfn;		/* PCI_DEVFN(slot, func) */
};

#define AX_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define AX_FUNC(devfn) ((devfn) & 0x07)
#define AX_DEVFN(slot, fn) ((uint8_t)((((slot) & 0x1f) << 3) | ((fn) & 0x07)))

struct ax_dev {
	struct ax_addr addr;
	uint16_t vendor, device, subvendor, subdevice;
	uint32_t class;		/* 24 bits: base, sub, prog-if */
	uint8_t revision;
	uint8_t hdr_type;	/* header layout, low 7 bits */
	bool multifunction;	/* header bit 7, or the kernel's flag */
	/* Bit 7 of the function's own header type byte (config space 0x0e)
	 * as read, which the kernel's flag overrides for functions above 0
	 * only after registering them (probe_fixups.c, compare.c).
	 */
	bool hdr_mf_known;
	bool hdr_mf;
	bool is_bridge;		/* type 1 header (or CardBus) */
	uint8_t secondary, subordinate;	/* bridges: bus range below */

	bool is_pcie;		/* has a PCIe capability */
	enum ax_pcie_type pcie_type;	/* valid when is_pcie */

	/* ACS.  acs_known is false when extended config space was not
	 * readable (no root, conventional-only dump, "access denied").
	 */
	bool acs_known;
	uint16_t acs_pos;	/* 0: no ACS capability */
	uint16_t acs_cap;	/* capability bits */
	uint16_t acs_ctrl;	/* control bits, read at the right place */
	bool acs_dword_layout;	/* Intel SPT-style: ctrl dword at +8 */

	/* SR-IOV and friends */
	bool is_virtfn;
	int physfn;		/* index of the PF in machine->devs, or -1 */
	bool has_sriov;
	bool ari;		/* ARI capability: read for pci_ari_enabled()
				 * (src/probe_fixups.c) and which functions
				 * are one device (analysis/assign.c)
				 */
	/* The kernel's marks of a Thunderbolt/USB4 port: pci_std_enable_acs()
	 * also enables Translation Blocking there (analysis/acs_kernel.c).
	 */
	bool untrusted, external_facing;

	/* What only the kernel knows (acs_inspect; snapshot of it). */
	bool kernel_facts;	/* dev_flags and alias mask are known */
	uint32_t dev_flags;
	bool has_alias_mask;
	uint8_t alias_mask[32];	/* devfns on the same bus (bit = devfn) */

	/* The kernel's own pci_acs_enabled(dev, REQ_ACS_FLAGS) answer, as
	 * acs_inspect established it (enum acsi_origin in the UAPI header:
	 * only ACSI_ORIGIN_KPROBE is the kernel's call itself), and what its
	 * quirk table answered (pci_dev_specific_acs_enabled(): <0 no quirk).
	 */
	bool kernel_verdict_known;
	bool kernel_isolated;
	uint8_t kernel_verdict_origin;
	bool quirk_result_known;
	int quirk_result;

	int kernel_group;	/* AX_GROUP_NONE / AX_GROUP_UNKNOWN / id */
	char driver[32];	/* bound driver, "" if none or unknown */
	bool driver_known;
	char name[128];		/* human name from pci.ids, may be "" */
	char slot_name[32];	/* physical slot label from sysfs, or "" */
	/* Ports: the PCIe capability's Slot Implemented bit ("Slot+" in
	 * lspci), and the board's name for that slot (SMBIOS type 9, e.g.
	 * "PCIEX16_1", or /sys/bus/pci/slots) when the firmware gives one.
	 */
	bool slot_known;
	bool has_slot;
	char board_slot[32];
	/* Kernel modules that can drive it ("Kernel modules:" of lspci -k,
	 * live: the bound driver's module), comma-separated; "" unknown.
	 */
	char modules[96];
	/* Live host facts: the GPU the firmware booted the console on
	 * (sysfs boot_vga), and what the host itself runs on the device
	 * ("root filesystem /dev/nvme0n1p2", "default route via eno1").
	 */
	bool boot_vga_known;
	bool boot_vga;
	char host_use[96];

	/* Topology, filled by ax_machine_link(). */
	int parent;		/* index of bus->self, -1 on a root bus */
	bool on_root_bus;
	int order;		/* probe order (kernel adds parents first) */
};

struct ax_machine {
	struct ax_dev *devs;
	size_t n, cap;

	enum ax_source_kind source;
	char source_name[256];	/* file name or "netlink" / "sysfs" */
	char kernel_release[65];	/* "" if unknown */
	char cmdline[2048];	/* kernel command line, "" if unknown */
	enum ax_iommu_state iommu;
	char iommu_driver[32];	/* "intel", "amd", "" */
	enum ax_firmware firmware;
	char firmware_basis[96];	/* what the firmware was told from */
	bool acs_requested;	/* IOMMU core asked for ACS at boot */
	bool acs_requested_known;
	bool kernel_groups_known;	/* kernel_group fields are meaningful */
	bool module_facts;	/* facts came from acs_inspect */
	/* boot_vga and host_use were read on the machine itself */
	bool host_facts_known;
	/* where the kernel command line is set on that machine: "grub",
	 * "proxmox-boot-tool", "unraid", "" unknown
	 */
	char boot_loader[24];
	bool order_known;	/* devs[].order is the kernel's probe order
				 * (a snapshot): linking keeps it
				 */
	/* Root buses seen: a device whose bus has no bridge in the data is
	 * taken to sit on a root bus; text reports can be ambiguous.
	 */
	char notes[8][160];	/* what this source could not show */
	int n_notes;
};

/* model.c */
void ax_machine_init(struct ax_machine *m);
void ax_machine_free(struct ax_machine *m);
/* dst (uninitialised) becomes an independent copy of src; 0 or -1. */
int ax_machine_copy(struct ax_machine *dst, const struct ax_machine *src);
/* Append a zeroed device (parent = physfn = -1, groups unknown). */
struct ax_dev *ax_machine_add(struct ax_machine *m);
/* Sort by (domain, bus, devfn), carrying physfn along, so that
 * ax_machine_find() works; for sources that look devices up while
 * filling.  0, or -1 with a message in err (duplicate address, no memory).
 */
int ax_machine_sort(struct ax_machine *m, char *err, size_t errlen);
/* For devs[first..n): physfn = the index of the device at pf[i - first]
 * where has_pf[i - first] (-1 when there is none), for sources that know
 * a VF's PF by address.  0, or -1 out of memory.
 */
int ax_machine_physfn_by_addr(struct ax_machine *m, size_t first,
			      const struct ax_addr *pf, const bool *has_pf);
/* Sort, then set parent, on_root_bus and (unless order_known) the probe
 * order: once, in main, after every source.  0, or -1 with a message in
 * err when the topology is inconsistent (duplicate addresses, loops).
 */
int ax_machine_link(struct ax_machine *m, char *err, size_t errlen);
int ax_machine_find(const struct ax_machine *m, struct ax_addr a);
/* Capabilities unreadable (report taken without root): a bridge bound to
 * pcieport is a PCIe port; guess which kind from where it sits.  Returns
 * how many were inferred (and notes it).  Call after ax_machine_link().
 */
int ax_machine_infer_ports(struct ax_machine *m);
void ax_machine_note(struct ax_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append a note to notes[0..max) (160 bytes each) unless already there. */
void ax_note(char (*notes)[160], int *n, int max, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The devices named on the command line, as lspci's -s and -d select
 * them (libpci's struct pci_filter): each field -1 for any.
 */
struct ax_selector {
	int domain, bus, slot, func;
	int vendor, device;
};

/* src/libpci.c: "0000:07:00.1", "07:00", "10000:e0:06.0" (-s forms) or
 * "8086:15b7", "8086:" (-d forms); 0, or -1 malformed.
 */
int ax_selector_parse(const char *s, struct ax_selector *sel);
bool ax_selector_match(const struct ax_selector *sel, const struct ax_dev *d);
/* "8086:15b7": exactly four hex digits each; 0, or -1 malformed. */
int ax_id_parse(const char *s, uint16_t *vendor, uint16_t *device);

/* "0000:07:00.1", "10000:e0:06.0", "07:00.1" (domain 0); 0 on success,
 * -1 malformed.
 */
int ax_addr_parse(const char *s, struct ax_addr *a);
/* Room for any address string, "ffffffff:ff:1f.7" and the NUL. */
#define AX_ADDR_STRLEN 20
/* Room for ax_dev_name(). */
#define AX_NAME_STRLEN 160

/* The device's name for people: from pci.ids (ax_fill_names(): "Intel
 * Corporation Device" when only the vendor is listed), else "Device"; the
 * renderers print the ids beside it, as lspci -nn does.
 */
const char *ax_dev_name(const struct ax_dev *d, char *buf);
/* "6.12" for AX_KVER(6, 12), "newest" for 0; buf of 16 bytes. */
const char *ax_kver_str(int kver, char *buf);
/* What the facts came from, for people ("lspci -x dump"). */
const char *ax_source_title(const struct ax_machine *m);
/* The same as a name: "netlink", "sysfs", "dump", "lspci-text",
 * "snapshot", "unknown" (--json and snapshots).
 */
const char *ax_source_kind_name(enum ax_source_kind k);
/* "on", "off", "unknown" (--json and snapshots). */
const char *ax_iommu_name(enum ax_iommu_state s);
const char *ax_firmware_name(enum ax_firmware f);
/* The name tables behind them (index = enum value), for readers too. */
#define AX_N_SOURCE_NAMES (AX_SRC_SNAPSHOT + 1)
extern const char *const ax_source_names[AX_N_SOURCE_NAMES];
#define AX_N_IOMMU_NAMES (AX_IOMMU_OFF + 1)
extern const char *const ax_iommu_names[AX_N_IOMMU_NAMES];	/* "on" ... */
#define AX_N_FIRMWARE_NAMES (AX_FW_DT + 1)
/* "unknown", "acpi", "devicetree" */
extern const char *const ax_firmware_names[AX_N_FIRMWARE_NAMES];

/* Writes "dddd:bb:dd.f" (more domain digits above ffff) into buf
 * (AX_ADDR_STRLEN bytes).
 */
const char *ax_addr_str(struct ax_addr a, char *buf);
int ax_addr_cmp(struct ax_addr a, struct ax_addr b);
/* Address of device i of m into buf (AX_ADDR_STRLEN), "-" when i < 0. */
const char *ax_dev_str(const struct ax_machine *m, int i, char *buf);

static inline bool ax_same_bus(const struct ax_dev *a, const struct ax_dev *b)
{
	return a->addr.domain == b->addr.domain && a->addr.bus == b->addr.bus;
}

/* Functions of one device: same bus, same slot. */
static inline bool ax_same_slot(const struct ax_dev *a, const struct ax_dev *b)
{
	return ax_same_bus(a, b) &&
	       AX_SLOT(a->addr.devfn) == AX_SLOT(b->addr.devfn);
}
const char *ax_pcie_type_name(const struct ax_dev *d);

/* Kernel release as a comparable number: 6.12 -> 6012. 0 if unknown. */
int ax_kver_parse(const char *release);
#define AX_KVER(maj, min) ((maj) * 1000 + (min))

#endif
