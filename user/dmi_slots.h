/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dmi_slots.h - the board's physical slots: SMBIOS type 9 "System Slots"
 * structures (from /sys/firmware/dmi/tables/DMI) and /sys/bus/pci/slots,
 * matched to the PCIe ports they hang off, so advice can name a slot as
 * the board does ("PCIEX16_1") and offer moves only to real slots.
 */
#ifndef ACSEXPLAIN_DMI_SLOTS_H
#define ACSEXPLAIN_DMI_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

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

#endif
