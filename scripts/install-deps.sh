#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install, as root with apt-get, everything the build, the tests and the
# demo need on a fresh Debian 12 machine.  Quiet and quick when all is
# already there.  Debian's 6.1 kernel comes through the linux-image-amd64
# meta package; 6.12 is the newest linux-image-6.12.*+deb12-amd64-unsigned
# whose headers are also in the archive.
set -eu

PKGS="build-essential pkg-config python3 python3-yaml python3-jsonschema kmod cpio xz-utils
 rsync bc flex bison libelf-dev libssl-dev dwarves git
 libnl-genl-3-dev libnl-3-dev libpci-dev libjson-c-dev nettle-dev pciutils
 qemu-system-x86 busybox-static clang-14 libclang-rt-14-dev libvirt-clients
 linux-image-amd64 linux-headers-amd64 linux-source-6.1 linux-source-6.12
 dkms dh-dkms debhelper lintian bash-completion"

missing() {
	for p in $PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q "install ok installed" || echo "$p"
	done
}

have_612() {
	ls /boot/vmlinuz-6.12.*+deb12-amd64 >/dev/null 2>&1 &&
		ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 >/dev/null 2>&1
}

need=$(missing)
if [ -z "$need" ] && have_612; then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages ($need): run as root" >&2
	exit 3
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if ! have_612; then
	# newest 6.12 release that has both an image and headers
	v=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		sed -n 's/^linux-headers-\(6\.12\.[0-9]*\)+deb12-amd64 .*/\1/p' |
		sort -t. -k3,3n | while read -r ver; do
			apt-cache show "linux-image-$ver+deb12-amd64-unsigned" >/dev/null 2>&1 &&
				echo "$ver"
		done | tail -n 1)
	if [ -n "$v" ]; then
		need="$need linux-image-$v+deb12-amd64-unsigned linux-headers-$v+deb12-amd64"
	else
		echo "install-deps: no Debian 6.12 kernel with headers in the archive" >&2
	fi
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
echo "install-deps: installed$(echo " $need" | tr '\n' ' ')"
