#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dkms-install.sh install|remove NAME VERSION  (make dkms-install / dkms-remove)
#
# install: copy the module's sources to /usr/src/NAME-VERSION (make
# dkms-src), register them with DKMS, and build and install the module for
# every kernel in /lib/modules that has its headers; DKMS rebuilds it by
# itself for kernels installed later.  A version already registered is
# replaced.  remove: unregister it from every kernel and delete the sources.
#
# Exit codes: 0 done, 1 a kernel's build or install failed, 2 usage,
# 3 dkms missing, not root, or the package NAME-dkms is installed.
set -eu

[ $# -eq 3 ] || { echo "usage: $0 install|remove NAME VERSION" >&2; exit 2; }
action=$1 name=$2 version=$3
top=$(cd "$(dirname "$0")/.." && pwd)

command -v dkms >/dev/null || {
	echo "dkms-$action: dkms is not installed (apt-get install dkms)" >&2
	exit 3
}
[ "$(id -u)" = 0 ] || { echo "dkms-$action: run as root" >&2; exit 3; }

# The package owns /usr/src/NAME-VERSION then: leave it to apt.
if dpkg-query -W -f='${Status}' "$name-dkms" 2>/dev/null | grep -q "ok installed"; then
	echo "dkms-$action: the package $name-dkms is installed and provides the module: apt remove $name-dkms first" >&2
	exit 3
fi

registered() {
	dkms status -m "$name" -v "$version" 2>/dev/null | grep -q .
}

remove() {
	# dkms remove talks through readelf's warnings: shown only on failure
	if registered && ! out=$(dkms remove -m "$name" -v "$version" --all 2>&1); then
		echo "$out" >&2
		echo "dkms-$action: dkms remove $name/$version failed" >&2
		exit 1
	fi
	rm -rf "/usr/src/$name-$version"
}

case $action in
remove)
	remove
	echo "dkms-remove: $name $version removed"
	exit 0
	;;
install) ;;
*) echo "usage: $0 install|remove NAME VERSION" >&2; exit 2 ;;
esac

remove
make -s -C "$top" dkms-src DESTDIR=
dkms add -m "$name" -v "$version" >/dev/null

status=0 built=0
for d in /lib/modules/*; do
	rel=${d##*/}
	if [ ! -f "$d/build/Makefile" ]; then
		echo "dkms-install: $rel: no kernel headers (apt-get install linux-headers-$rel): skipped"
		continue
	fi
	log=$(mktemp)
	if dkms build -m "$name" -v "$version" -k "$rel" >"$log" 2>&1 &&
		dkms install -m "$name" -v "$version" -k "$rel" >>"$log" 2>&1; then
		echo "dkms-install: $rel: $(modinfo -k "$rel" -n acs_inspect)"
		built=$((built + 1))
	else
		cat "$log" >&2
		echo "dkms-install: $rel: DKMS build or install failed" >&2
		status=1
	fi
	rm -f "$log"
done
if [ "$built" -eq 0 ] && [ "$status" -eq 0 ]; then
	echo "dkms-install: no kernel with headers; DKMS builds $name when one is installed" >&2
fi
exit $status
