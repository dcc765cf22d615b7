#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl --strict on the module's sources and the
# UAPI header.  checkpatch.pl comes from Debian's linux-source-6.1, of which
# only the three files checkpatch needs are extracted (once) into
# /var/cache/acsexplain/linux-source-6.1 (override with CHECKPATCH_TREE=).
#
# Exit status: 0 clean, 1 findings, 2 checkpatch.pl unavailable.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${CHECKPATCH_TREE:-/var/cache/acsexplain/linux-source-6.1}
tarball=/usr/src/linux-source-6.1.tar.xz

if [ ! -f "$tree/scripts/checkpatch.pl" ] ||
   [ ! -f "$tree/scripts/spelling.txt" ] ||
   [ ! -f "$tree/scripts/const_structs.checkpatch" ]; then
	if [ ! -f "$tarball" ]; then
		echo "checkpatch: $tarball missing (apt-get install linux-source-6.1)" >&2
		exit 2
	fi
	mkdir -p "$tree"
	tar -xJf "$tarball" -C "$tree" --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi

cd "$top"
# Sources only: an in-tree build leaves the generated acs_inspect.mod.c.
files=$(ls kmod/*.c kmod/*.h include/uapi/linux/acs_inspect.h include/uapi/linux/acs_inspect_addr.h |
	grep -v -e '\.mod\.c$')
cp="perl $tree/scripts/checkpatch.pl --strict --no-tree --terse --show-types"

# shellcheck disable=SC2086 # the file list is meant to split
if ! $cp -f $files; then
	echo "checkpatch: findings above" >&2
	exit 1
fi
echo "checkpatch: clean:" $files
echo "checkpatch: 1 passed, 0 failed"
