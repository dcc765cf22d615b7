#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh RELEASE - build the test bed's guest initramfs for one
# Debian kernel release (or the mainline kernel of scripts/build-mainline.sh,
# whose drivers are built in) into build/vm/initramfs-RELEASE.cpio.gz and print
# its path.  The image holds busybox, the /init that runs the checks
# (guest-init.sh), the driver modules the topologies need (decompressed, with
# their dependencies, in load order), the host's lspci with its libraries and
# pci.ids, and, when they have been built, build/kmod/RELEASE/acs_inspect.ko
# and user/acsexplain (ACSI_KO and ACSEXPLAIN pick others, see below).  The image is rebuilt only when one of those inputs
# changed (a hash of them is kept next to it).
#
# Exit codes: 0 built or up to date, 2 usage error, 3 missing host input.
set -eu

usage() {
	echo "usage: $0 KERNEL-RELEASE" >&2
	exit 2
}
[ $# -eq 1 ] || usage
rel=$1

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/build/vm"
img="$out/initramfs-$rel.cpio.gz"
stamp="$out/initramfs-$rel.inputs"

# Drivers the topologies use; everything else the bed needs is built in.
DRIVERS="nvme e1000e e1000"
# For the host's root over virtio-9p (topology key host-root); loaded too,
# but only topologies that use them check for them.
HOSTFS="virtio_pci 9pnet_virtio 9p"

die() {
	echo "mkinitramfs: $*" >&2
	exit 3
}

# The mainline kernel (scripts/build-mainline.sh) has the drivers built in.
builtin=no
if [ ! -d "/lib/modules/$rel/kernel" ]; then
	[ "$rel" = "$("$root/scripts/build-mainline.sh" --release 2>/dev/null)" ] ||
		die "no modules for $rel in /lib/modules/$rel"
	builtin=yes
fi
[ -x /bin/busybox ] || die "busybox-static is not installed (/bin/busybox)"
LSPCI=$(command -v lspci) || die "lspci (pciutils) is not installed"
PCIIDS=/usr/share/misc/pci.ids
[ -r "$PCIIDS" ] || die "$PCIIDS missing (pciutils/pci.ids)"

# ACSI_KO=installed takes the module modprobe would load for RELEASE (e.g.
# the one DKMS installed in /lib/modules/RELEASE/updates/dkms); ACSI_KO=path
# another build, with %r standing for the release.
case ${ACSI_KO:-} in
"") kmod_ko="$root/build/kmod/$rel/acs_inspect.ko" ;;
installed)
	kmod_ko=$(modinfo -k "$rel" -n acs_inspect 2>/dev/null) ||
		die "ACSI_KO=installed: acs_inspect is not installed for $rel"
	;;
*)
	kmod_ko=$(printf '%s' "$ACSI_KO" | sed "s/%r/$rel/g")
	[ -f "$kmod_ko" ] || die "ACSI_KO: no $kmod_ko"
	;;
esac
# ACSEXPLAIN=path tests another build of the tool (e.g. the ASan one).
tool=${ACSEXPLAIN:-$root/user/acsexplain}
uapi="$root/include/uapi/linux/acs_inspect.h"
client="$out/acsi-client"

# Modules in load order, dependencies first, each once.
modlist=
if [ $builtin = no ]; then
	modlist=$(modprobe -S "$rel" --show-depends -a $DRIVERS $HOSTFS |
		awk '$1 == "insmod" && !seen[$2]++ { print $2 }') ||
		die "modprobe cannot resolve $DRIVERS $HOSTFS for $rel"
fi

# The inputs whose change must rebuild the image.
inputs() {
	for f in "$0" "$here/guest-init.sh" /bin/busybox "$LSPCI" "$PCIIDS" \
		$modlist; do
		sha256sum "$f"
	done
	for f in "$kmod_ko" "$tool" "$here/acsi-client.c" "$uapi"; do
		if [ -f "$f" ]; then sha256sum "$f"; else echo "absent $f"; fi
	done
}
mkdir -p "$out"
want=$(inputs | sha256sum | cut -d' ' -f1)
if [ -f "$img" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	echo "$img"
	exit 0
fi

# The guest's own netlink client of the module (acsi-client.c: events,
# info, one device), built against the project's UAPI header once the
# module exists.
if [ -f "$uapi" ] && [ -f "$kmod_ko" ]; then
	gcc -Wall -Wextra -Werror -O2 -I"$root/include/uapi" \
		-I/usr/include/libnl3 -o "$client.$$" "$here/acsi-client.c" \
		-lnl-genl-3 -lnl-3 ||
		die "cannot build acsi-client (libnl-genl-3-dev installed?)"
	mv "$client.$$" "$client"
fi

tmp=$(mktemp -d "$out/initramfs-$rel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
r="$tmp/root"
mkdir -p "$r/bin" "$r/sbin" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/run" \
	"$r/usr/share/misc" "$r/lib/modules/$rel/extra"

cp /bin/busybox "$r/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ -e "$r/bin/$applet" ] || ln -s busybox "$r/bin/$applet"
done
cp "$here/guest-init.sh" "$r/init"
chmod 755 "$r/init"

# A dynamically linked program and the libraries it needs, at the same paths.
copy_prog() {
	cp "$1" "$r/bin/$(basename "$1")"
	ldd "$1" | awk '/=> \// { print $3 } /^\t\// { print $1 }' |
		while read -r lib; do
			[ -e "$r$lib" ] || cp -L --parents "$lib" "$r"
		done
}
rm -f "$r/bin/lspci"
copy_prog "$LSPCI"
cp "$PCIIDS" "$r/usr/share/misc/pci.ids"

# Modules go in decompressed: busybox insmod does not read .ko.xz.
: >"$r/lib/modules/$rel/load-order"
for m in $modlist; do
	name=$(basename "$m")
	case $name in
	*.ko.xz) xz -dc "$m" >"$r/lib/modules/$rel/${name%.xz}"; name=${name%.xz} ;;
	*.ko.zst) zstd -qdc "$m" >"$r/lib/modules/$rel/${name%.zst}"; name=${name%.zst} ;;
	*.ko.gz) gzip -dc "$m" >"$r/lib/modules/$rel/${name%.gz}"; name=${name%.gz} ;;
	*) cp "$m" "$r/lib/modules/$rel/$name" ;;
	esac
	echo "$name" >>"$r/lib/modules/$rel/load-order"
done
echo $DRIVERS >"$r/lib/modules/$rel/drivers"

if [ -f "$kmod_ko" ]; then
	# decompressed like the drivers (DKMS compresses for some kernels)
	case $kmod_ko in
	*.ko.xz) xz -dc "$kmod_ko" ;;
	*.ko.zst) zstd -qdc "$kmod_ko" ;;
	*.ko.gz) gzip -dc "$kmod_ko" ;;
	*) cat "$kmod_ko" ;;
	esac >"$r/lib/modules/$rel/extra/acs_inspect.ko"
fi
if [ -f "$kmod_ko" ] && [ -x "$client" ]; then
	copy_prog "$client"
fi
if [ -x "$tool" ]; then
	copy_prog "$tool"
	[ "$(basename "$tool")" = acsexplain ] || mv "$r/bin/$(basename "$tool")" "$r/bin/acsexplain"
	# A sanitizer build is slow by design: the guest skips the timing.
	if ldd "$tool" | grep -q 'libasan\|libubsan'; then
		mkdir -p "$r/etc"
		echo "$tool" >"$r/etc/acsexplain-sanitized"
	fi
	# The tool may read the quirk database next to it at run time.
	if [ -d "$root/quirks-db" ]; then
		mkdir -p "$r/usr/share/acsexplain"
		cp -r "$root/quirks-db/." "$r/usr/share/acsexplain/quirks-db"
	fi
fi

(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -1 >"$img.new"
mv "$img.new" "$img"
echo "$want" >"$stamp"
echo "$img"
