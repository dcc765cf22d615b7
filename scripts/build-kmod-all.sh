#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build kmod/acs_inspect.ko with W=1 for every Debian kernel whose headers
# are installed (/usr/src/linux-headers-*-amd64) and for the mainline kernel
# of scripts/build-mainline.sh once it is built, or for the releases given
# as arguments ("mainline" names the latter).  Each build runs in its own copy of the sources
# (build/kmod-src/<release>/) so builds never clobber each other; the result
# goes to build/kmod/<release>/acs_inspect.ko for the VM test bed.
# Any compiler or modpost warning fails the build.
#
# Exit status: 0 all built clean, 1 a build failed or warned, 2 no headers.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-2}

# The mainline kernel is built here, not installed: its build tree serves
# as headers.
mainline_rel=$("$top/scripts/build-mainline.sh" --release 2>/dev/null) || mainline_rel=
mainline_kdir=${ACSX_MAINLINE_CACHE:-/var/cache/acsexplain/mainline}/build

if [ $# -gt 0 ]; then
	releases=
	for rel in "$@"; do
		if [ "$rel" = mainline ]; then
			[ -n "$mainline_rel" ] || {
				echo "build-kmod-all: mainline: no kernel built (scripts/build-mainline.sh)" >&2
				exit 2
			}
			rel=$mainline_rel
		fi
		releases="$releases $rel"
	done
else
	releases=
	for d in /usr/src/linux-headers-*-amd64; do
		[ -f "$d/Makefile" ] || continue
		releases="$releases ${d#/usr/src/linux-headers-}"
	done
	releases="$releases $mainline_rel"
fi
if [ -z "$releases" ]; then
	echo "build-kmod-all: no /usr/src/linux-headers-*-amd64 found (apt-get install linux-headers-amd64)" >&2
	exit 2
fi

status=0
# "kmod[6.1]: 1 passed, 0 failed (RELEASE)" per kernel, for make check's
# summary of what ran on which kernel.
verdict() { # verdict REL 0|1
	short=$(echo "$1" | cut -d. -f1,2)
	echo "kmod[$short]: $((1 - $2)) passed, $2 failed ($1, W=1)"
	[ "$2" -eq 0 ] || status=1
}
for rel in $releases; do
	kdir=/lib/modules/$rel/build
	[ -f "$kdir/Makefile" ] || kdir=/usr/src/linux-headers-$rel
	[ "$rel" != "$mainline_rel" ] || kdir=$mainline_kdir
	if [ ! -f "$kdir/Makefile" ]; then
		echo "build-kmod-all: $rel: no kernel headers" >&2
		verdict "$rel" 1
		continue
	fi

	src=$top/build/kmod-src/$rel
	out=$top/build/kmod/$rel
	rm -rf "$src"
	# Never leave a stale module where the test bed would load it.
	rm -f "$out/acs_inspect.ko"
	mkdir -p "$src/kmod" "$src/include/uapi/linux" "$out"
	cp "$top"/kmod/Kbuild "$top"/kmod/compat.mk "$top"/kmod/*.c "$top"/kmod/*.h "$src/kmod/"
	cp "$top"/include/uapi/linux/*.h "$src/include/uapi/linux/"
	cp "$top/VERSION" "$src/"
	echo 'obj-m += kmod/' > "$src/Kbuild"

	log=$src/build.log
	if ! make -j"$jobs" -C "$kdir" M="$src" W=1 modules >"$log" 2>&1; then
		cat "$log" >&2
		echo "build-kmod-all: $rel: build failed" >&2
		verdict "$rel" 1
		continue
	fi
	# BTF is skipped without vmlinux: that note is not a code warning.
	if grep -i 'warning' "$log" | grep -v 'Skipping BTF generation' >/dev/null; then
		cat "$log" >&2
		echo "build-kmod-all: $rel: warnings (W=1) - failing" >&2
		verdict "$rel" 1
		continue
	fi
	# copy then rename: a test bed reading it never sees half a file
	cp "$src/kmod/acs_inspect.ko" "$out/.acs_inspect.ko.new"
	mv "$out/.acs_inspect.ko.new" "$out/acs_inspect.ko"
	vermagic=$(modinfo -F vermagic "$out/acs_inspect.ko")
	case "$vermagic" in
	"$rel "*) ;;
	*)
		echo "build-kmod-all: $rel: vermagic '$vermagic' does not match" >&2
		verdict "$rel" 1
		continue
		;;
	esac
	echo "build-kmod-all: $rel: build/kmod/$rel/acs_inspect.ko ($vermagic)"
	verdict "$rel" 0
done
exit $status
