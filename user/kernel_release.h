/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kernel_release.h - which upstream kernel (release and stable sublevel) a
 * `uname -r` string names, by the rules of the distributions that wrote
 * it: Debian's ABI names (6.1.0-57-amd64, through Debian's changelog) and
 * version names (6.12.118+deb12-amd64), Ubuntu (6.8.0-45-generic),
 * Proxmox (6.8.12-4-pve), Fedora (6.17.7-300.fc43.x86_64), plain upstream
 * (6.1.192).
 */
#ifndef ACSEXPLAIN_KERNEL_RELEASE_H
#define ACSEXPLAIN_KERNEL_RELEASE_H

#include "analysis.h"

/*
 * Read release into p->kver, p->sublevel_known / p->sublevel (for a
 * bracket, its lower end) and p->release_rules (one sentence: what the
 * string was read as, by which rule, and what the answer therefore may
 * miss).  Returns 0 when the release was mapped, 1 when only the mainline
 * release could be read (the sublevel is unknown), -1 when the string is
 * not a kernel release at all (p->kver is then 0).
 */
int ax_release_map(const char *release, struct ax_profile *p);

#endif
