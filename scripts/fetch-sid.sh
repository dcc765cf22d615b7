#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fetch-sid.sh PACKAGE...: download packages from Debian unstable (sid) into
# $ACSX_SID_CACHE/debs (default /var/cache/acsexplain/sid) and unpack each into
# $ACSX_SID_CACHE/root/PACKAGE, through a private apt configuration: its own
# sources list, lists and cache directories.  The system's apt sources are never
# touched, so nothing on the machine is upgraded from unstable.
# Prints the unpack directory of each package.  Quiet and quick when the
# packages are already there.  Exit 3 when the archive cannot be reached.
set -eu
D=${ACSX_SID_CACHE:-/var/cache/acsexplain/sid}
MIRROR=${ACSX_SID_MIRROR:-http://deb.debian.org/debian}
[ $# -gt 0 ] || { echo "usage: $0 PACKAGE..." >&2; exit 2; }
mkdir -p "$D/lists/partial" "$D/cache/archives/partial" "$D/debs" "$D/root"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR sid main" >"$D/sources.list"
APT="-o Dir::Etc::sourcelist=$D/sources.list -o Dir::Etc::sourceparts=/dev/null
 -o Dir::State::Lists=$D/lists -o Dir::Cache=$D/cache -o Debug::NoLocking=1
 -o APT::Sandbox::User=root"
need=
for p in "$@"; do
	[ -f "$D/root/$p/.unpacked" ] || need="$need $p"
done
if [ -n "$need" ]; then
	# A day-old package list is fresh enough; sid moves, names stay.
	if [ -z "$(find "$D/lists" -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
		# shellcheck disable=SC2086
		apt-get $APT update -qq || { echo "fetch-sid: cannot reach $MIRROR" >&2; exit 3; }
	fi
	for p in $need; do
		(cd "$D/debs" && rm -f "${p}"_*.deb &&
			# shellcheck disable=SC2086
			apt-get $APT download -qq "$p") ||
			{ echo "fetch-sid: cannot download $p from sid" >&2; exit 3; }
		rm -rf "$D/root/$p"
		dpkg -x "$D/debs/${p}"_*.deb "$D/root/$p"
		touch "$D/root/$p/.unpacked"
	done
fi
for p in "$@"; do echo "$D/root/$p"; done
