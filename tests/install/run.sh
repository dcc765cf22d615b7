#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/install/run.sh [--no-dkms] - what `make install`, `make uninstall`,
# `make dkms-install` and `make dkms-remove` do, and the one version number:
#   version     VERSION = acsexplain --version = modinfo of every built
#               module = dkms.conf = debian/changelog
#   install     make install with DESTDIR and PREFIX (default and /usr) puts
#               the tool, acsexplain(8), acs_inspect(4) and the completion
#               where they belong; the man pages format without warnings;
#               make uninstall removes exactly them
#   completion  every option of `acsexplain --help` is completed and no other,
#               option values, and the PCI addresses and IDs of this machine
#   dkms        (root, dkms installed) make dkms-install builds and installs
#               the module for Debian's 6.1 and 6.12 kernels where modprobe
#               finds it; make dkms-remove removes it again
# Prints "install: N passed, N failed"; exits 1 when a check failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
dkms=1
[ "${1:-}" = --no-dkms ] && dkms=0

# shellcheck source=tests/install/lib.sh
. tests/install/lib.sh

tmp=$(mktemp -d /tmp/acsx-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
version=$(cat VERSION)

# --- version ---------------------------------------------------------------
check "version: VERSION is N.N.N" grep -qxE '[0-9]+\.[0-9]+\.[0-9]+' VERSION
make -s user >/dev/null || bad "version: make user failed"
eq "version: acsexplain --version" "$(user/acsexplain --version | awk '{print $2}')" "$version"
eq "version: debian/changelog" "$(dpkg-parsechangelog -l debian/changelog -S Version)" "$version"
make -s dkms-src DESTDIR="$tmp/dkms" >/dev/null || bad "version: make dkms-src failed"
eq "version: dkms.conf" \
	"$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$tmp/dkms/usr/src/acs-inspect-$version/dkms.conf")" "$version"
n=0
for ko in build/kmod/*/acs_inspect.ko; do
	[ -f "$ko" ] || continue
	n=$((n + 1))
	eq "version: modinfo $ko" "$(modinfo -F version "$ko")" "$version"
done
[ "$n" -gt 0 ] || bad "version: no module built (scripts/build-kmod-all.sh)"

# --- install / uninstall -----------------------------------------------------
want_files() { # PREFIX
	echo "$1/sbin/acsexplain"
	echo "$1/share/bash-completion/completions/acsexplain"
	echo "$1/share/man/man4/acs_inspect.4"
	echo "$1/share/man/man8/acsexplain.8"
}
for prefix in "" /usr /opt/acsx; do
	d=$tmp/root${prefix//\//_}
	if [ -n "$prefix" ]; then
		make -s install DESTDIR="$d" PREFIX="$prefix" >/dev/null
		p=$prefix
	else
		make -s install DESTDIR="$d" >/dev/null
		p=/usr/local
	fi
	eq "install PREFIX=${prefix:-default}: files" \
		"$(cd "$d" && find . -type f | sed 's/^\.//' | sort)" "$(want_files "$p" | sort)"
	check "install PREFIX=${prefix:-default}: tool is executable" test -x "$d$p/sbin/acsexplain"
	eq "install PREFIX=${prefix:-default}: tool runs" \
		"$("$d$p/sbin/acsexplain" --version | awk '{print $2}')" "$version"
	if [ -n "$prefix" ]; then
		make -s uninstall DESTDIR="$d" PREFIX="$prefix" >/dev/null
	else
		make -s uninstall DESTDIR="$d" >/dev/null
	fi
	eq "uninstall PREFIX=${prefix:-default}: no file left" "$(find "$d" -type f)" ""
done
for m in Documentation/acsexplain.8 Documentation/acs_inspect.4; do
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$m" 2>&1 >/dev/null)
	eq "man $m: no groff warnings" "$w" ""
done

# --- completion ------------------------------------------------------------
# complete LINE: the completions bash offers at the end of LINE, one a line
complete_line() {
	bash --norc --noprofile -c '
		. /usr/share/bash-completion/bash_completion
		. completion/acsexplain.bash
		compopt() { :; }	# only valid inside a real completion
		COMP_LINE=$1
		COMP_POINT=${#COMP_LINE}
		read -ra COMP_WORDS <<<"$COMP_LINE"
		[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_acsexplain acsexplain "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$1" | sed '/^$/d' | sort
}
if [ ! -r /usr/share/bash-completion/bash_completion ]; then
	bad "completion: bash-completion is not installed"
else
	# the options at the start of --help's lines: "  -a, --all" or "      --color"
	help_opts=$(user/acsexplain --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' |
		tr -s ' ,' '\n' | sed '/^$/d' | sort -u)
	eq "completion: options = acsexplain --help" "$(complete_line 'acsexplain -')" "$help_opts"
	eq "completion: --no<TAB>" "$(complete_line 'acsexplain --no')" "--no-color"
	eq "completion: --source" "$(complete_line 'acsexplain --source ')" "$(printf 'auto\nnetlink\nsysfs')"
	eq "completion: -s n" "$(complete_line 'acsexplain -s n')" "netlink"
	devs=$(ls /sys/bus/pci/devices 2>/dev/null | sort)
	if [ -n "$devs" ]; then
		eq "completion: addresses" "$(complete_line 'acsexplain ')" "$devs"
		first=$(echo "$devs" | head -n 1)
		pre=${first%?}
		eq "completion: address ${pre}<TAB>" "$(complete_line "acsexplain --all $pre")" \
			"$(echo "$devs" | grep "^$pre" | sed 's/^.*://')"
		ids=$(for d in /sys/bus/pci/devices/*; do
			echo "$(sed 's/^0x//' "$d/vendor"):$(sed 's/^0x//' "$d/device")"
		done | sort -u)
		eq "completion: --validate-quirk IDs" "$(complete_line 'acsexplain --validate-quirk ')" "$ids"
		eq "completion: --what-if move=ADDRESS" \
			"$(complete_line "acsexplain -w move=$first" | sed 's/^.*://')" "${first##*:}"
	else
		bad "completion: no /sys/bus/pci/devices to complete"
	fi
	eq "completion: --what-if kinds" "$(complete_line 'acsexplain --what-if ')" \
		"$(printf '%s\n' acs-override= config-acs= disable-acs-redir= iommu= kernel= move= quirk= | sort)"
	eq "completion: --what-if iommu=" "$(complete_line 'acsexplain --what-if iommu=o')" \
		"$(printf 'iommu=off\niommu=on')"
	eq "completion: --what-if acs-override=" "$(complete_line 'acsexplain --what-if acs-override=downstream,m')" \
		"acs-override=downstream,multifunction"
	: >"$tmp/snap-test.json"
	eq "completion: --from FILE" "$(complete_line "acsexplain --from $tmp/snap-")" "$tmp/snap-test.json"
fi

# --- dkms ------------------------------------------------------------------
if [ "$dkms" = 1 ]; then
	if [ "$(id -u)" != 0 ] || ! command -v dkms >/dev/null; then
		bad "dkms: needs root and dkms (apt-get install dkms)"
	else
		rels=$(debian_kernels)
		eq "dkms: Debian's 6.1 and 6.12 kernels have headers" "$(echo "$rels" | grep -cE '^6\.(1|12)\.')" 2
		if make -s dkms-install >"$tmp/dkms.log" 2>&1; then ok "dkms: make dkms-install"; else
			bad "dkms: make dkms-install failed"; tail -n 30 "$tmp/dkms.log"; fi
		for rel in $rels; do
			dkms_module_checks dkms "$rel" "$version"
		done
		make -s dkms-remove >"$tmp/dkms-rm.log" 2>&1 || bad "dkms: make dkms-remove failed"
		for rel in $rels; do
			check "dkms $rel: removed" sh -c "! modinfo -k '$rel' -n acs_inspect >/dev/null 2>&1"
		done
		check "dkms: sources removed" test ! -e "/usr/src/acs-inspect-$version"
		eq "dkms: dkms status empty" "$(dkms status -m acs-inspect 2>/dev/null)" ""
	fi
fi

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
