#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# export-tree.sh GIT-DIR DEST [REV] - copy the three files regen.py reads
# (Makefile, drivers/pci/quirks.c, include/linux/pci_ids.h) of a kernel
# git repository at REV (default HEAD) into DEST, without a checkout.
# The kernel may sit in a subdirectory of the repository (some forks do).
# Exit status: 0 done, 1 not a kernel tree, 2 usage.
set -eu
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: export-tree.sh GIT-DIR DEST [REV]" >&2
	exit 2
fi
git=$1 dest=$2 rev=${3:-HEAD}
q=$(git --git-dir="$git" ls-tree -r --name-only "$rev" 2>/dev/null |
	grep -m1 'drivers/pci/quirks\.c$') || true
if [ -z "$q" ]; then
	echo "export-tree.sh: $git at $rev has no drivers/pci/quirks.c" >&2
	exit 1
fi
top=${q%drivers/pci/quirks.c}
mkdir -p "$dest/drivers/pci" "$dest/include/linux"
for f in Makefile drivers/pci/quirks.c include/linux/pci_ids.h; do
	if ! git --git-dir="$git" show "$rev:$top$f" >"$dest/$f"; then
		echo "export-tree.sh: $git at $rev has no $top$f" >&2
		exit 1
	fi
done
