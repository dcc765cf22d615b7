/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * module_hint.h - what to tell a user whose acs_inspect module is not
 * loaded: "modprobe acs_inspect" works only once the module is installed
 * for the running kernel (DKMS puts it in /lib/modules/REL/updates/dkms).
 */
#ifndef ACSEXPLAIN_MODULE_HINT_H
#define ACSEXPLAIN_MODULE_HINT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Write the hint for kernel release rel into buf: "modprobe acs_inspect"
 * when moddir/rel/modules.dep lists acs_inspect.ko (what modprobe reads),
 * otherwise how to install it.  moddir is "/lib/modules" except in tests;
 * rel NULL means the running kernel.  Returns true when it is installed.
 */
bool ax_module_hint(const char *moddir, const char *rel, char *buf,
		    size_t len);

#endif
