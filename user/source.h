/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * source.h - the sources of facts: each fills a struct ax_machine with
 * what it can read and marks the rest unknown.
 */
#ifndef ACSEXPLAIN_SOURCE_H
#define ACSEXPLAIN_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/*
 * One table of sources, in the spirit of pciutils' struct pci_methods:
 * each has a name (--source NAME, the snapshot's "source"), a detect()
 * that says whether it applies (a live source: usable on this machine; a
 * file source: the file is in its format) and a load() that appends the
 * facts to a machine.  Sources return facts only: main links the machine
 * once (ax_machine_link()) after every source.
 */
struct ax_input {
	const char *path;	/* file name, "-" stdin; NULL for live */
	const char *buf;	/* the file's bytes, NUL-terminated; NULL for
				 * a dump streamed from its file
				 */
	size_t len;
	int format;		/* enum ax_input_format of buf */
};

struct ax_source_ops {
	const char *name;
	bool live;
	bool (*detect)(const struct ax_input *in);
	/* AX_EXIT_OK, or an AX_EXIT_* code with one line in err */
	int (*load)(struct ax_machine *m, const struct ax_input *in,
		    char *err, size_t errlen);
};

extern const struct ax_source_ops ax_sources[];
extern const size_t ax_n_sources;

/* Fill an empty m: from the file path when not NULL, else from the live
 * source named (NULL or "auto": the module when loaded, else sysfs).
 * AX_EXIT_OK, or an AX_EXIT_* code with one line in err.
 */
int ax_gather(struct ax_machine *m, const char *source, const char *path,
	      char *err, size_t errlen);

/* Read a whole file ("-": stdin), NUL-terminated.  NULL with a message
 * in err (errno text, too large, out of memory; none when errlen is 0).
 */
char *ax_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* --groups FILE: the kernel's groups from a listing (an empty one: no
 * groups, the IOMMU off).  AX_EXIT_OK or AX_EXIT_INPUT with err.
 */
int ax_apply_groups_file(struct ax_machine *m, const char *path, char *err,
			 size_t errlen);

/*
 * src/text.c: facts from `lspci -vvnn` / `-vvv` text as people paste it,
 * from IOMMU group listings, and detection of what an input file is.
 */

enum ax_input_format {
	AX_FMT_UNKNOWN = 0,
	AX_FMT_SNAPSHOT,	/* acsexplain --save JSON ('{') */
	AX_FMT_DUMP,		/* lspci -x/-xxx/-xxxx: headers + hex only */
	AX_FMT_LSPCI_TEXT,	/* lspci -v/-vv/-vvv text, hex blocks or not */
	AX_FMT_GROUPS,		/* only an IOMMU group listing */
};

/* What buf holds; never fails (AX_FMT_UNKNOWN for anything else). */
int ax_detect_format(const char *buf, size_t len);

/*
 * Append the devices of an lspci -v/-vv/-vvv report (with or without -nn,
 * domains, CRLF, interleaved library messages) to m, with any IOMMU group
 * listing and `uname -r` / `uname -a` line in the same paste.  When the
 * report carries hex dump blocks, config-space facts come from them (read
 * in memory by src/hexdump.c) and the text only adds what config space
 * lacks (groups, drivers, slots).  What the text cannot show is marked unknown
 * and noted.  Returns 0, or -1 with one line in err (no device found,
 * unreadable embedded dump).
 */
int ax_source_text(struct ax_machine *m, const char *buf, size_t len,
		   char *err, size_t errlen);

/*
 * Apply a separate IOMMU group listing (`find /sys/kernel/iommu_groups
 * -type l`, or the shell loop's `IOMMU Group N bb:dd.f ...` lines, one-line
 * or "IOMMU Group N:" blocks) to the devices already in m (linked or not:
 * no device is added; listed devices m lacks are noted).  Devices the
 * listing leaves out get AX_GROUP_NONE; sets m->kernel_groups_known.
 * Returns 0, or -1 with err when buf holds no group line.
 */
int ax_parse_group_listing(struct ax_machine *m, const char *buf,
			   size_t len, char *err, size_t errlen);

/* Kernel release from a report's file name in the linuxhw convention
 * (`..._6.8.0-51-GENERIC_...` -> "6.8.0-51-generic") when m has none.
 */
void ax_release_from_name(struct ax_machine *m, const char *path);

/*
 * src/hexdump.c: facts from a config-space dump written by `lspci -x`,
 * `-xxx` or `-xxxx`, read directly (libpci keeps live access and names).
 */

/*
 * Append every function in the dump at path to m and set m->source to
 * AX_SRC_DUMP; the file is read as a stream, never whole.
 * What the dump cannot show (ACS without extended config space,
 * capabilities in a 64-byte dump) is marked unknown and noted with
 * ax_machine_note().  Returns 0, or -1 with one line in err (file
 * missing, no device in it, a device with less than its 64-byte header,
 * a malformed or unterminated line); m is left as it was on error.
 */
int ax_source_dump(struct ax_machine *m, const char *path,
		   char *err, size_t errlen);

/* The same from a file already in memory (stdin); name is what err calls
 * it.
 */
int ax_dump_buf(struct ax_machine *m, const char *name, const char *buf,
		size_t len, char *err, size_t errlen);

/* The same from lines already in memory: the hex blocks of an lspci text
 * report.  name is what err calls the input.  Each line without its line
 * end; lines[] ends with NULL.
 */
int ax_dump_lines(struct ax_machine *m, const char *name,
		  char *const *lines, char *err, size_t errlen);

/*
 * src/cfgspace.c: facts from one function's config-space bytes, for every
 * source that has them (dump, text with hex blocks, live through libpci).
 */

#define AX_CFG_SIZE 4096

/* What config space could not show, counted for one note each. */
struct ax_cfg_gaps {
	int hdr_only;		/* 64-byte dump: no capabilities */
	int no_ext;		/* PCIe function without extended space */
	int cut_ext;		/* extended space cut short */
	int orphan_ffff;	/* vendor ffff not placed by any PF */
	char first_no_ext[AX_ADDR_STRLEN];
};

/* A PF's SR-IOV capability: where its VFs are while VF Enable is set. */
struct ax_cfg_sriov {
	bool vf_enable;
	uint16_t numvf, offset, stride, vf_device;
};

/* A PF with VF Enable set, by its index in m->devs. */
struct ax_cfg_pf {
	size_t idx;
	struct ax_cfg_sriov sr;
};

/* Decode cfg (AX_CFG_SIZE bytes, all ones past the len bytes read: 64,
 * 256, 4096 or a cut in between) into dev, whose address is set.  *sr gets
 * the SR-IOV capability, if any.
 */
void ax_cfg_decode(struct ax_dev *dev, const uint8_t *cfg, int len,
		   struct ax_cfg_gaps *gaps, struct ax_cfg_sriov *sr);
/* Once every function from first on is decoded: place the VFs of pfs,
 * count the orphans and note the gaps ("dump: ...", live: "config
 * space: ...").
 */
void ax_cfg_finish(struct ax_machine *m, size_t first,
		   const struct ax_cfg_pf *pfs, size_t n_pfs,
		   struct ax_cfg_gaps *g, bool live);

/* Intel Sunrise/Union Point and 7th/8th gen mobile PCH root ports whose
 * ACS capability and control are dwords (kernel quirk
 * pci_quirk_intel_spt_pch_acs_match()); lspci decodes their control wrongly.
 */
bool ax_intel_spt_acs_dword_layout(uint16_t vendor, uint16_t device,
				   bool is_root_port);

/* Index of the device at a among m->devs[first..], or -1; a linear search
 * for sources still filling m (ax_machine_find() needs the sorted table
 * ax_machine_link() makes).
 */
int ax_find_from(const struct ax_machine *m, size_t first, struct ax_addr a);

/* Mark the VFs that the PF at index pf places (routing ID = PF + offset +
 * k * stride, k < numvf) among m->devs[first..]: is_virtfn, physfn, and
 * vendor/device when their ID registers read ffff.
 */
void ax_place_vfs(struct ax_machine *m, size_t first, size_t pf,
		  unsigned int numvf, unsigned int offset, unsigned int stride,
		  uint16_t vf_device);

/* Fill empty names from pci.ids (vendor and device ids known). */
void ax_fill_names(struct ax_machine *m);

/*
 * src/sysfs.c: facts from a live machine without the acs_inspect module.
 */

/* Config space of every function through libpci's sysfs method, then the
 * kernel's view from sysfs.  0, or -1 with one line in err.
 */
int ax_source_sysfs(struct ax_machine *m, char *err, size_t errlen);

/* Add what sysfs says (groups, drivers, VFs, IOMMU, command line) to
 * devices already in m, reading below sysroot ("" or NULL: the live /).
 */
int ax_sysfs_enrich(struct ax_machine *m, const char *sysroot);

/* src/libpci.c: config space of every function via libpci's sysfs method. */
int ax_source_libpci_sysfs(struct ax_machine *m, char *err, size_t errlen);

/*
 * src/netlink.c: facts from the running kernel through the acs_inspect
 * module's generic netlink family (include/uapi/linux/acs_inspect.h).
 */

/*
 * Dump every PCI device the kernel knows into m (which should be empty).
 * Sets source, kernel release, IOMMU state,
 * module_facts and, per device, the kernel's facts (dev_flags, DMA alias
 * mask, IOMMU group, driver, verdicts) and the ACS registers as the
 * kernel reads them.  A dump torn by hot-plug is retried a few times.
 * Returns 0, or -1 with one line in err that tells a missing module, a
 * protocol mismatch and a permission problem apart.
 */
int ax_source_netlink(struct ax_machine *m, char *err, size_t errlen);

/*
 * src/snapshot.c: acsexplain --save / --from FILE: every fact of a struct
 * ax_machine as a JSON document ("format": "acsexplain-snapshot"), so a
 * machine can be explained later, elsewhere, with the same answers.
 * Format: Documentation/json-schema.md, section "Snapshot".
 */

#ifndef ACSEXPLAIN_VERSION
#error "ACSEXPLAIN_VERSION is set by user/Makefile from the top-level VERSION file"
#endif

#define AX_SNAP_FORMAT "acsexplain-snapshot"
/* Major version of the snapshot layout this build writes.  Any change to
 * the fields (added ones included) bumps it: the reader is strict.  It
 * reads every version up to this one (1: with fields 2 dropped).
 */
#define AX_SNAP_VERSION 2

/* Write the snapshot of m to path ("-" = stdout).  0, or -1 with one line
 * in err (cannot write, out of memory).
 */
int ax_snapshot_save(const struct ax_machine *m, const char *path,
		     char *err, size_t errlen);

/* Fill an initialised, empty m from a snapshot in buf[0..len): every saved
 * fact, including the source it was first read from and the probe order
 * (order_known; main links).  0, or -1 with one line in err (not JSON,
 * truncated, a wrong field or range, a newer version, out of memory); m
 * may then hold part of the devices, freed with ax_machine_free().
 */
int ax_snapshot_load(struct ax_machine *m, const char *buf, size_t len,
		     char *err, size_t errlen);

/* True when buf looks like a JSON document (first non-blank byte is '{'),
 * as opposed to an lspci dump or lspci text: --from's auto-detection.
 */
bool ax_snapshot_detect(const char *buf, size_t len);

/*
 * src/dmi_slots.c: the board's physical slots: SMBIOS type 9 "System Slots"
 * structures (from /sys/firmware/dmi/tables/DMI) and /sys/bus/pci/slots,
 * matched to the PCIe ports they hang off, so advice can name a slot as
 * the board does ("PCIEX16_1") and offer moves only to real slots.
 */

struct ax_dmi_slot {
	char designation[32];	/* "PCIEX16_1", "SLOT6" */
	uint8_t slot_type;	/* SMBIOS slot type byte */
	uint8_t usage;		/* 3 available, 4 in use, other: unknown */
	bool has_address;	/* SMBIOS 2.6+: segment/bus/devfn given */
	uint16_t segment;
	uint8_t bus, devfn;
};

/*
 * Parse a raw SMBIOS structure table (the contents of
 * /sys/firmware/dmi/tables/DMI, no entry point).  Stores up to max type 9
 * structures in out and returns how many the table holds, or -1 with a
 * message in err when the table is malformed (a structure shorter than its
 * header or past the end, or strings without their terminator).
 */
int ax_dmi_parse_slots(const uint8_t *buf, size_t len,
		       struct ax_dmi_slot *out, int max, char *err,
		       size_t errlen);

/*
 * Mark the ports these slots hang off: has_slot, and board_slot when the
 * port has no name yet.  Firmware gives either the port itself or the
 * device in the slot (bus = the port's secondary bus); both are matched.
 * Returns how many slots matched a port.
 */
int ax_dmi_apply_slots(struct ax_machine *m, const struct ax_dmi_slot *s,
		       int n);

/*
 * The same for one /sys/bus/pci/slots/NAME/address ("0000:01:00"): the
 * port whose secondary bus that is.  Returns its index, or -1.
 */
int ax_sysfs_slot_apply(struct ax_machine *m, const char *name,
			const char *address);

/*
 * src/hostfacts.c: what only the running machine shows and the advice needs:
 * its physical slots (/sys/bus/pci/slots, SMBIOS type 9 in
 * /sys/firmware/dmi/tables/DMI, Slot Implemented bits in config space),
 * the boot GPU (boot_vga), the modules of bound drivers, the NICs that
 * carry the default route or a bridge, the controller of the root
 * filesystem, and where the kernel command line is set.
 */

/*
 * Fill those facts for the devices of m (linked).  root: NULL for the
 * machine itself, or a directory holding a fake sys/, proc/, dev/, etc/
 * tree (tests).  What cannot be read stays unknown.  Returns 0.
 */
int ax_host_facts(struct ax_machine *m, const char *root);

/*
 * src/module_hint.c: what to tell a user whose acs_inspect module is not
 * loaded.  "modprobe acs_inspect" works only once the module is installed
 * for the running kernel (DKMS puts it in /lib/modules/REL/updates/dkms).
 * Writes the hint for kernel release rel into buf: "modprobe acs_inspect"
 * when moddir/rel/modules.dep lists acs_inspect.ko (what modprobe reads),
 * otherwise how to install it.  moddir is "/lib/modules" except in tests;
 * rel NULL means the running kernel.  Returns true when it is installed.
 */
bool ax_module_hint(const char *moddir, const char *rel, char *buf,
		    size_t len);

/* src/sysfs.c: the last path element of a symlink's target, or "". */
void ax_link_base(const char *path, char *out, size_t len);

#endif
