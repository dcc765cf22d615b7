#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [--kernel 6.1|6.12|7.2|6.1,6.12|all] [--all | TOPOLOGY...] [--keep] [-v]
# (default --kernel 6.1,6.12: the mainline 7.2 kernel is opt-in)
# Boot Debian's kernels and the mainline kernel (scripts/build-mainline.sh)
# under QEMU (TCG) on the topologies in
# tests/vm/topologies and check the IOMMU groups, acs_inspect and acsexplain
# inside the guest.  Prints "vm: N passed, N failed[, N skipped]"; exits 1
# on any failure, 2 on a usage error, 3 when a host input is missing.
# See Documentation/testbed.md.
command -v qemu-system-x86_64 >/dev/null || {
	echo "vm: qemu-system-x86_64 not found (apt-get install qemu-system-x86)" >&2
	exit 3
}
exec python3 "$(dirname "$0")/bed.py" "$@"
