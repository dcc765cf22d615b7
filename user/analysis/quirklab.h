/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * quirklab.h - --validate-quirk VENDOR:DEVICE[@CALLBACK]: the questions a
 * hardware vendor asks before submitting an ACS quirk, answered from the
 * facts in the order they come up:
 *   1. what the kernel does today for every function with that ID;
 *   2. which pci_dev_acs_enabled[] callback fits the device, and what
 *      hardware guarantee adding it asserts (or why it is refused);
 *   3. which groups split or merge on this machine once it is in;
 *   4. (quirkpatch.c) the patch against a kernel tree;
 *   5. on a kernel that carries it: did the verdict and groups change?
 * The analysis only fills struct ax_ql; render/quirklab_out.c prints it.
 */
#ifndef ACSEXPLAIN_QUIRKLAB_H
#define ACSEXPLAIN_QUIRKLAB_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"

#define AX_QL_MAX_FUNCS 64
#define AX_QL_MAX_ENTRIES 16
#define AX_QL_MAX_CHANGES 32

/* A pci_dev_acs_enabled[] callback a vendor could name in a table line. */
struct ax_ql_callback {
	const char *name;
	/* device types it is meant for (bit = enum ax_pcie_type); 0: none,
	 * the callback is matched through an ID list or platform check
	 * inside it, so a table line alone changes nothing
	 */
	unsigned int types;
	bool multifunction_only;
	uint16_t vendor;	/* its guarantee rests on this vendor, or 0 */
	uint16_t flags;		/* the ACS flags it reports as enabled */
	const char *guarantee;	/* what adding it asserts, in plain words */
	const char *requires;	/* what the device must be */
};

extern const struct ax_ql_callback ax_ql_callbacks[];
extern const int ax_ql_n_callbacks;
const struct ax_ql_callback *ax_ql_callback_find(const char *name);

/* Part 1, per function with the ID. */
struct ax_ql_func {
	int dev;		/* index in the machine */
	struct ax_acs_verdict replay;	/* the db's rules for the release */
	bool kernel_seen;	/* acs_inspect's kretprobe saw the kernel */
	bool kernel_isolated;
	bool kernel_quirk_known;
	int kernel_quirk;	/* <0 no quirk matched, 0/1 a quirk decided */
	int agree;		/* 1 agree, 0 differ, -1 kernel not seen */
	/* with the quirk, still sharing its group with another endpoint:
	 * the device at fault and why (a reason of q->after), else -1
	 */
	int still_shared_by;
	const char *still_why;
};

/* 4. Where --patch wrote the quirk and what it holds (render/quirkpatch.c
 * fills it; acsexplain.c runs it after the analysis).
 */
struct ax_qpatch {
	char file[512];		/* the mail written */
	char tree[512];		/* kernel source tree or archive used */
	char version[48];	/* the tree's Makefile VERSION.PATCHLEVEL.SUBLEVEL */
	int line;		/* 1-based line of the new entry, patched file */
	char entry[200];	/* the table line, without the leading tab */
	char after[200];	/* the entry it follows ("" when first) */
	char subject[320];	/* "PCI: Add ACS quirk for ..." */
};

enum ax_ql_status {
	AX_QL_FITS,		/* the callback fits: patch can be written */
	AX_QL_REFUSED,		/* the callback does not fit the device */
	AX_QL_NOT_NEEDED,	/* isolated already, or nothing would change */
	AX_QL_IN_TABLE,		/* the kernel's table already has it */
	AX_QL_NO_DEVICE,	/* no function with the ID in the facts */
};

/* Part 3: one connected change, before groups -> after groups. */
struct ax_ql_change {
	int n_before, n_after;
	int *before[AX_QL_MAX_FUNCS];	/* member lists, -1 terminated */
	int *after[AX_QL_MAX_FUNCS];
};

enum ax_ql_carried {
	AX_QL_CARRIED_UNKNOWN,	/* no kernel groups or verdicts to judge */
	AX_QL_CARRIED_NO,	/* the kernel still decides as today */
	AX_QL_CARRIED_YES,	/* verdict changed, groups as predicted */
	AX_QL_CARRIED_DIFFERS,	/* something the prediction did not say */
};

struct ax_ql {
	uint16_t vendor, device;
	int kver;		/* release whose rules were used */

	/* 1. the kernel today */
	int entries[AX_QL_MAX_ENTRIES];	/* axq_acs_table indices naming it */
	bool entry_in_release[AX_QL_MAX_ENTRIES];
	int n_entries;
	struct ax_ql_func funcs[AX_QL_MAX_FUNCS];
	int n_funcs;
	/* a newer release's quirk covering the ID (ID ranges included) */
	const char *newer_callback;
	int newer_release;

	/* 2. which quirk fits */
	const struct ax_ql_callback *cb;	/* proposed or requested */
	bool requested;		/* named with @CALLBACK */
	enum ax_ql_status status;
	char reason[400];	/* why it fits, or why not */
	char warning[300];	/* fits, but something to know; "" */

	/* 3. what changes on this machine */
	bool have_after;
	struct ax_result before, after;	/* both with the db's rules */
	struct ax_ql_change changes[AX_QL_MAX_CHANGES];
	int n_changes;
	int assignable[AX_QL_MAX_FUNCS];	/* newly assignable alone */
	int n_assignable;
	/* functions of the same slots with another ID that the quirk does
	 * not cover and that stay not isolated
	 */
	int others[AX_QL_MAX_FUNCS];
	int n_others;

	/* 4. the patch, when --patch wrote one */
	bool have_patch;
	struct ax_qpatch patch;

	/* 5. does the running kernel carry it? */
	enum ax_ql_carried carried;
	char carried_why[512];
	int differs[AX_QL_MAX_FUNCS];	/* devices not grouped as predicted */
	int n_differs;
};

/* Fill q.  callback may be NULL (choose one).  p is the profile of the
 * main derivation; the lab derives twice more with the db's rules only
 * (before and after the entry).  m is not changed.
 * Returns 0, -1 on out of memory.
 */
int ax_ql_run(const struct ax_machine *m, const struct ax_profile *p,
	      uint16_t vendor, uint16_t device,
	      const struct ax_ql_callback *callback, struct ax_ql *q);
void ax_ql_free(struct ax_ql *q);
const char *ax_ql_status_name(enum ax_ql_status s);
const char *ax_ql_carried_name(enum ax_ql_carried c);
/* "SV TB RR CR UF DT" */
const char *ax_ql_flags_str(uint16_t flags, char *buf, size_t len);

#endif
