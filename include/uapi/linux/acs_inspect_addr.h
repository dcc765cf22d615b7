/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * acs_inspect_addr.h - the packed device addresses of the acs_inspect
 * generic netlink family (linux/acs_inspect.h, generated from
 * Documentation/netlink/specs/acs_inspect.yaml, which cannot express
 * function-like macros).
 *
 * A device address travels as ACSI_A_DOMAIN (32 bits: VMD and other host
 * bridges number domains from 0x10000), ACSI_A_BUS and ACSI_A_DEVFN.
 * Addresses of other devices in the same domain (ACSI_A_PF_ADDR,
 * ACSI_A_UPSTREAM_ADDR, ACSI_A_BRIDGE_ALIAS) are packed into one u64:
 * (domain << 16) | (bus << 8) | devfn.
 */
#ifndef _UAPI_LINUX_ACS_INSPECT_ADDR_H
#define _UAPI_LINUX_ACS_INSPECT_ADDR_H

#include <linux/types.h>

#define ACSI_ADDR_PACK(domain, bus, devfn) \
	((((__u64)(domain) & 0xffffffffULL) << 16) | \
	 (((__u64)(bus) & 0xffU) << 8) | ((__u64)(devfn) & 0xffU))
#define ACSI_ADDR_DOMAIN(a)	((__u32)(((a) >> 16) & 0xffffffffU))
#define ACSI_ADDR_BUS(a)	((__u8)(((a) >> 8) & 0xffU))
#define ACSI_ADDR_DEVFN(a)	((__u8)((a) & 0xffU))

#endif /* _UAPI_LINUX_ACS_INSPECT_ADDR_H */
