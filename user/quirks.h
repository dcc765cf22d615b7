/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * quirks.h - the kernel's ACS and DMA-alias quirks, by kernel release.
 *
 * The tables are generated from the TSV files in quirks-db/ (plain text, reviewed in
 * diffs) into quirks_db.c by quirks-db/gen-c.py at build time, so the
 * tool carries them and has no runtime file to lose.
 *
 * Kernel releases are numbers: AX_KVER(6, 12) == 6012.  first is the
 * first release that has an entry; last is the last release that has it,
 * or 0 while it is still present in the newest tree known.
 */
#ifndef ACSEXPLAIN_QUIRKS_H
#define ACSEXPLAIN_QUIRKS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define AXQ_ANY 0xffffffffu

/* A stable series that got an entry before (or without) its mainline
 * release: series AX_KVER(6, 1), from sublevel 122 on; sublevel -1: the
 * sublevel is not recorded (quirks-db/stable-backports.tsv has the exact
 * ones, from Debian's changelogs).
 */
struct axq_backport {
	int series, sublevel;
};

#define AXQ_MAX_BACKPORTS 6

/* What an ACS quirk callback decides (drivers/pci/quirks.c). */
enum axq_acs_kind {
	AXQ_AMD_SB,		/* pci_quirk_amd_sb_acs: MFD on root bus + IVRS */
	AXQ_MF_ENDPOINT,	/* pci_quirk_mf_endpoint_acs: no P2P among fns */
	AXQ_RCIEP,		/* pci_quirk_rciep_acs: Intel RCiEPs */
	AXQ_QCOM_RP,		/* pci_quirk_qcom_rp_acs */
	AXQ_NXP_RP,		/* pci_quirk_nxp_rp_acs */
	AXQ_BRCM,		/* pci_quirk_brcm_acs */
	AXQ_LOONGSON,		/* pci_quirk_loongson_acs */
	AXQ_XGENE,		/* pci_quirk_xgene_acs */
	AXQ_INTEL_PCH,		/* pci_quirk_intel_pch_acs: ID list + enable */
	AXQ_INTEL_SPT_PCH,	/* pci_quirk_intel_spt_pch_acs: dword layout */
	AXQ_CAVIUM,		/* pci_quirk_cavium_acs: RP + ID ranges */
	AXQ_ZHAOXIN,		/* pci_quirk_zhaoxin_pcie_ports_acs */
	AXQ_AL,			/* pci_quirk_al_acs: Annapurna Labs RP */
	AXQ_WANGXUN,		/* pci_quirk_wangxun_nic_acs */
	AXQ_ACS_UNKNOWN,	/* a callback this tool does not model */
};

/* One entry of pci_dev_acs_enabled[], in table order (order matters:
 * the first entry whose callback returns >= 0 decides).
 */
struct axq_acs_entry {
	uint16_t vendor;	/* 0xffff: PCI_ANY_ID */
	uint32_t device;	/* AXQ_ANY for PCI_ANY_ID */
	enum axq_acs_kind kind;
	const char *callback;	/* kernel function name */
	int first, last;	/* releases, see above */
	struct axq_backport bp[AXQ_MAX_BACKPORTS];
	int n_bp;
};

/* Device-ID lists and ranges checked inside callbacks (Intel PCH root
 * ports, SPT dword-layout ports, Cavium, Zhaoxin, Wangxun).
 */
struct axq_id_range {
	enum axq_acs_kind kind;
	uint16_t vendor;
	uint16_t lo, hi;	/* inclusive */
	const char *what;	/* "Wellsburg (X99) PCH root ports" */
	int first, last;
	struct axq_backport bp[AXQ_MAX_BACKPORTS];
	int n_bp;
};

/* DMA-alias fixups. */
enum axq_alias_kind {
	AXQ_ALIAS_FUNC0,	/* quirk_dma_func0_alias */
	AXQ_ALIAS_FUNC1,	/* quirk_dma_func1_alias */
	AXQ_ALIAS_FIXED,	/* quirk_fixed_dma_alias: devfn 01.0 */
	AXQ_ALIAS_PCIE_BRIDGE,	/* quirk_use_pcie_bridge_dma_alias */
	AXQ_ALIAS_MIC_X200,	/* quirk_mic_x200_dma_alias: 10.0 11.0 12.3 */
	AXQ_ALIAS_PEX_VCA,	/* quirk_pex_vca_alias: slot.0-4 for 32 slots */
	AXQ_ALIAS_SWITCHTEC,	/* quirk_switchtec_ntb_dma_alias: runtime table */
	AXQ_ALIAS_PLX_NTB,	/* quirk_plx_ntb_dma_alias: all 256 devfns */
	AXQ_ALIAS_XLATE_ROOT,	/* quirk_bridge_cavm_thrx2_pcie_root */
	AXQ_ALIAS_BRIDGE_NO_ALIAS,	/* quirk_aspeed_pci_bridge_no_alias */
	AXQ_ALIAS_UNKNOWN,
};

struct axq_alias_entry {
	uint16_t vendor;
	uint32_t device;	/* AXQ_ANY */
	uint32_t subvendor, subdevice;	/* AXQ_ANY unless the hook checks */
	uint32_t class_;	/* AXQ_ANY, or class >> 8 for CLASS fixups */
	enum axq_alias_kind kind;
	const char *hook;
	int first, last;
	struct axq_backport bp[AXQ_MAX_BACKPORTS];
	int n_bp;
};

/* Debian's ABI names: uname -r "6.1.0-57-amd64" is series 6001, ABI 57,
 * carried by uploads of upstream 6.1.first ... 6.1.last (-1: unknown).
 */
struct axq_debian_abi {
	int series, abi, first, last;
};

extern const struct axq_acs_entry axq_acs_table[];
extern const size_t axq_acs_table_len;
extern const struct axq_id_range axq_id_ranges[];
extern const size_t axq_id_ranges_len;
extern const struct axq_alias_entry axq_alias_table[];
extern const size_t axq_alias_table_len;
/* Newest kernel release the database was built from (e.g. 7000). */
extern const int axq_db_newest;
extern const int axq_db_oldest;

extern const struct axq_debian_abi axq_debian_abis[];
extern const size_t axq_debian_abis_len;

/* Is an entry present in mainline release kver (0 = newest known)?
 * Entries seen only in stable trees have a first newer than every tree.
 */
static inline int axq_in_release(int first, int last, int kver)
{
	if (!kver)
		return last == 0 && first <= axq_db_newest;
	return kver >= first && (last == 0 || kver <= last);
}

/* ... or in stable release kver.sublevel (sublevel < 0: not known, the
 * mainline release only)?
 */
static inline int axq_in_stable(int first, int last,
				const struct axq_backport *bp, int n_bp,
				int kver, int sublevel)
{
	int i;

	if (axq_in_release(first, last, kver))
		return 1;
	if (!kver || sublevel < 0 || (last && kver > last))
		return 0;
	for (i = 0; i < n_bp; i++)
		if (bp[i].series == kver && bp[i].sublevel >= 0 &&
		    sublevel >= bp[i].sublevel)
			return 1;
	return 0;
}

/* The backports as acs-quirks.tsv writes them: "6.1.122 6.12.5", "4.19.y"
 * where the sublevel is not recorded; "" for none.  buf gets at least
 * AXQ_BACKPORTS_STRLEN bytes.
 */
#define AXQ_BACKPORTS_STRLEN (AXQ_MAX_BACKPORTS * 12)
static inline const char *axq_backports_str(const struct axq_backport *bp,
					    int n_bp, char *buf)
{
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < n_bp && off < AXQ_BACKPORTS_STRLEN; i++) {
		int major = bp[i].series / 1000, minor = bp[i].series % 1000;

		if (bp[i].sublevel >= 0)
			off += snprintf(buf + off, AXQ_BACKPORTS_STRLEN - off,
					"%s%d.%d.%d", i ? " " : "", major,
					minor, bp[i].sublevel);
		else
			off += snprintf(buf + off, AXQ_BACKPORTS_STRLEN - off,
					"%s%d.%d.y", i ? " " : "", major,
					minor);
	}
	return buf;
}

#endif
