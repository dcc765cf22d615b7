#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - what "make demo" shows: boot Debian's 6.1 kernel in QEMU on the
# topology of REFERENCE.md case C1 (an Intel I/O-hub root port without ACS,
# ioh3420, above an SR-IOV PF and its VFs), load acs_inspect, and run
# acsexplain on the VF the user asked about.  Builds the tool and the module
# first if they are missing.
# Exit codes: 0 shown, 1 the demo failed, 3 a host input is missing.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
rel=$(basename /boot/vmlinuz-6.1.0-*-amd64 | sed 's/^vmlinuz-//')
[ -f "/boot/vmlinuz-$rel" ] || {
	echo "demo: Debian's 6.1 kernel is not installed (/boot/vmlinuz-6.1.0-*-amd64)" >&2
	exit 3
}
if [ ! -x "$root/user/acsexplain" ]; then
	echo "demo: building acsexplain" >&2
	make -s -C "$root" user || { echo "demo: building acsexplain failed" >&2; exit 1; }
fi
if [ ! -f "$root/build/kmod/$rel/acs_inspect.ko" ]; then
	echo "demo: building acs_inspect for the test kernels" >&2
	"$root/scripts/build-kmod-all.sh" || { echo "demo: building acs_inspect failed" >&2; exit 1; }
fi
dev=0000:01:00.1
color=--no-color
[ -t 1 ] && color=--color
cat <<INTRO
== acsexplain demo (REFERENCE.md case C1) ==
Booting Debian's $rel kernel in QEMU (TCG, about 15 s) on a machine whose
root port 00:07.0 is an Intel I/O-hub port without ACS (ioh3420) with an
SR-IOV NVMe PF 01:00.0 below it; the guest creates 3 VFs, loads acs_inspect,
and asks: why is the VF $dev in the same IOMMU group as everything else?

\$ acsexplain $dev
INTRO
exec "$root/tests/vm/run.sh" --kernel 6.1 --demo "$color $dev" ioh3420-c1
