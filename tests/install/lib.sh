# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What tests/install/run.sh and tests/install/packages.sh share: the check
# counters and helpers, Debian's two kernels, and what "modprobe finds the
# DKMS-built module" means.  Sourced (bash), from the top of the tree.

pass=0 fail=0
ok() { pass=$((pass + 1)); [ -n "${V:-}" ] && echo "ok   $*"; return 0; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; return 0; }
check() { # check NAME COMMAND...: passes when COMMAND succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}
eq() { # eq NAME GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}

# The releases of Debian's two kernels (the bed's) that have headers: 6.1
# and 6.12, one a line.
debian_kernels() {
	local d
	for d in /lib/modules/6.1.0-*-amd64 /lib/modules/6.12.*+deb12-amd64; do
		[ -f "$d/build/Makefile" ] && echo "${d##*/}"
	done
}

# dkms_module_checks TAG REL VERSION: modprobe would load DKMS's build of
# acs_inspect for kernel REL, of VERSION and for REL.
dkms_module_checks() {
	local tag=$1 rel=$2 version=$3 path
	path=$(modinfo -k "$rel" -n acs_inspect 2>/dev/null)
	case $path in
	/lib/modules/"$rel"/updates/dkms/acs_inspect.ko*) ok "$tag $rel: modprobe finds $path" ;;
	*) bad "$tag $rel: modprobe finds '$path', not the DKMS module" ;;
	esac
	eq "$tag $rel: version" "$(modinfo -k "$rel" -F version acs_inspect 2>/dev/null)" "$version"
	eq "$tag $rel: vermagic" "$(modinfo -k "$rel" -F vermagic acs_inspect 2>/dev/null | cut -d' ' -f1)" "$rel"
	eq "$tag $rel: modprobe --dry-run" "$(modprobe -n -v -S "$rel" acs_inspect 2>&1)" "insmod $path "
	# what acsexplain reads to decide between "modprobe acs_inspect" and how to install
	check "$tag $rel: modules.dep lists it" grep -q "^updates/dkms/acs_inspect\.ko[.a-z]*:" "/lib/modules/$rel/modules.dep"
}
