// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmi_slots.c - SMBIOS "System Slots" (type 9) and sysfs slots, matched
 * to PCIe ports.  Layout of type 9 (SMBIOS 3.x section 7.10): 0x04
 * designation (string number), 0x05 slot type, 0x06 data bus width, 0x07
 * current usage, 0x08 length, 0x09 slot ID, 0x0b/0x0c characteristics,
 * and from 2.6 on 0x0d segment group (word), 0x0f bus, 0x10 device and
 * function (0xff: not given).
 */
#include <stdio.h>
#include <string.h>

#include "source.h"

#define DMI_T_SLOT 9
#define DMI_T_END 127
#define SLOT_MIN_ADDR_LEN 0x11	/* up to and including devfn */

/* String number k (1-based) of the string set s..end; NULL if absent. */
static const char *dmi_string(const uint8_t *s, const uint8_t *end, int k)
{
	if (k < 1)
		return NULL;
	while (k > 1 && s < end) {
		const uint8_t *z = memchr(s, 0, (size_t)(end - s));

		if (!z || z == s)
			return NULL;	/* the set ended first */
		s = z + 1;
		k--;
	}
	if (k != 1 || s >= end || !*s || !memchr(s, 0, (size_t)(end - s)))
		return NULL;
	return (const char *)s;
}

int ax_dmi_parse_slots(const uint8_t *buf, size_t len,
		       struct ax_dmi_slot *out, int max, char *err,
		       size_t errlen)
{
	size_t off = 0;
	int n = 0;

	while (off + 4 <= len) {
		const uint8_t *h = buf + off, *end = buf + len, *str, *p;
		uint8_t type = h[0], hlen = h[1];

		if (hlen < 4 || off + hlen > len) {
			snprintf(err, errlen,
				 "SMBIOS table: structure at offset %zu (type %u) has length %u, outside the table's %zu bytes",
				 off, type, hlen, len);
			return -1;
		}
		/* the string set ends with two NUL bytes */
		str = h + hlen;
		for (p = str; p + 1 < end; p++)
			if (!p[0] && !p[1])
				break;
		if (p + 1 >= end) {
			snprintf(err, errlen,
				 "SMBIOS table: structure at offset %zu (type %u) has no end to its strings",
				 off, type);
			return -1;
		}
		if (type == DMI_T_SLOT && hlen >= 0x08) {
			if (n < max) {
				struct ax_dmi_slot *s = &out[n];
				const char *name = dmi_string(str, p + 2, h[4]);

				memset(s, 0, sizeof(*s));
				snprintf(s->designation, sizeof(s->designation),
					 "%s", name ? name : "");
				s->slot_type = h[5];
				s->usage = h[7];
				if (hlen >= SLOT_MIN_ADDR_LEN &&
				    !(h[0x0f] == 0xff && h[0x10] == 0xff)) {
					s->has_address = true;
					s->segment = (uint16_t)(h[0x0d] |
								h[0x0e] << 8);
					s->bus = h[0x0f];
					s->devfn = h[0x10];
				}
			}
			n++;
		}
		off = (size_t)(p + 2 - buf);
		if (type == DMI_T_END)
			break;
	}
	return n;
}

static bool is_port(const struct ax_dev *d)
{
	return d->is_bridge && d->is_pcie &&
	       (d->pcie_type == AX_EXP_ROOT_PORT ||
		d->pcie_type == AX_EXP_DOWNSTREAM);
}

/* The port whose secondary bus is bus in that domain, -1 if none. */
static int port_above_bus(const struct ax_machine *m, uint16_t domain,
			  uint8_t bus)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->devs[i].addr.domain == domain &&
		    m->devs[i].secondary == bus && is_port(&m->devs[i]))
			return (int)i;
	return -1;
}

static void mark(struct ax_dev *port, const char *name)
{
	port->slot_known = true;
	port->has_slot = true;
	if (name && name[0] && !port->board_slot[0])
		snprintf(port->board_slot, sizeof(port->board_slot), "%s",
			 name);
}

int ax_dmi_apply_slots(struct ax_machine *m, const struct ax_dmi_slot *s,
		       int n)
{
	int k, hits = 0;

	for (k = 0; k < n; k++) {
		struct ax_addr a;
		int i, port = -1;

		if (!s[k].has_address || s[k].segment == 0xffff)
			continue;
		a.domain = s[k].segment;
		a.bus = s[k].bus;
		a.devfn = s[k].devfn;
		i = ax_machine_find(m, a);
		if (i >= 0 && is_port(&m->devs[i]))
			port = i;	/* the firmware named the port */
		else if (i >= 0 && m->devs[i].parent >= 0 &&
			 is_port(&m->devs[m->devs[i].parent]))
			port = m->devs[i].parent;	/* the card in it */
		else if (i < 0)
			port = port_above_bus(m, a.domain, a.bus);	/* empty */
		if (port < 0)
			continue;
		mark(&m->devs[port], s[k].designation);
		hits++;
	}
	return hits;
}

int ax_sysfs_slot_apply(struct ax_machine *m, const char *name,
			const char *address)
{
	unsigned int dom, bus, dev;
	char tail = '\0';
	int port, got;

	/* "0000:01:00"; hotplug drivers without an address write nothing */
	got = sscanf(address, "%x:%x:%x%c", &dom, &bus, &dev, &tail);
	if ((got != 3 && !(got == 4 && tail == '\n')) || dom > 0xffff ||
	    bus > 0xff || dev > 0x1f)
		return -1;
	port = port_above_bus(m, (uint16_t)dom, (uint8_t)bus);
	if (port >= 0)
		mark(&m->devs[port], name);
	return port;
}
