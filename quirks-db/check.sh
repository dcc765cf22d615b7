#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check.sh - does the quirks database agree with the kernel sources here
# and with the tables in shared/data/kernel-quirks, and do its C tables
# compile?  Usage: quirks-db/check.sh [KERNEL-TREE-OR-ARCHIVE...]
#
# Without arguments it checks /usr/src/linux-source-6.1.tar.xz,
# /usr/src/linux-source-6.12.tar.xz, Debian unstable's linux-source-7.2
# as scripts/fetch-sid.sh leaves it (those that exist) and the trees in
# $QUIRKS_TREES (default $QUIRKS_CACHE/trees, see export-tree.sh).  The
# few files needed are extracted once into $QUIRKS_CACHE
# (/var/cache/acsexplain/quirks-db).
# Last line: "quirks-db: N passed, N failed"; exit status 1 if any failed.

set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
data=${QUIRKS_DATA:-$repo/../shared/data/kernel-quirks}
cache=${QUIRKS_CACHE:-/var/cache/acsexplain/quirks-db}
# Further source trees (made by export-tree.sh), checked when present.
trees=${QUIRKS_TREES:-$cache/trees}
# Debian unstable's 7.2 (scripts/fetch-sid.sh), and Debian's changelogs.
sid72=${QUIRKS_SID72:-/var/cache/acsexplain/sid/root/linux-source-7.2/usr/src/linux-source-7.2.tar.xz}
doc=${QUIRKS_DEBIAN_DOC:-/usr/share/doc}
cc=${CC:-gcc}
tmp=$(mktemp -d /tmp/quirks-db-check.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
export PYTHONDONTWRITEBYTECODE=1

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# Add the PASS/FAIL lines of a sub-check's output to the totals.
tally() {
	p=$(grep -c '^PASS ' "$1")
	f=$(grep -c '^FAIL ' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
}

if [ $# -eq 0 ]; then
	for t in /usr/src/linux-source-6.1.tar.xz \
		 /usr/src/linux-source-6.12.tar.xz \
		 "$sid72"; do
		if [ -e "$t" ]; then
			set -- "$@" "$t"
		else
			echo "SKIP $t: not installed"
		fi
	done
	for t in "$trees"/*; do
		[ -f "$t/drivers/pci/quirks.c" ] && set -- "$@" "$t"
	done
fi

# 1. The database loads and its C tables compile cleanly.
if python3 "$here/gen-c.py" "$here" "$tmp/quirks_db.c" 2>"$tmp/gen.err"; then
	pass "gen-c.py: database valid, C tables written"
	if $cc -Wall -Wextra -Werror -std=gnu11 -c -I "$repo/user" \
		"$tmp/quirks_db.c" -o "$tmp/quirks_db.o" 2>"$tmp/cc.err"; then
		pass "generated C compiles with -Wall -Wextra -Werror"
	else
		fail "generated C does not compile:"; cat "$tmp/cc.err"
	fi
else
	fail "gen-c.py:"; cat "$tmp/gen.err"
fi

# Entries per mainline release against the counts kernel-acs.md 3.2 gives
# for the upstream trees (the Debian trees carry stable backports, so
# their own counts differ).
for want in 6.1:114 6.12:120 6.19:130 7.0:132 7.2:132; do
	rel=${want%:*}
	n=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1])
import quirksdb
db = quirksdb.Database(sys.argv[1])
a, b = map(int, sys.argv[2].split("."))
print(sum(e.expected(quirksdb.kver(a, b)) == "yes" for e in db.acs))' \
		"$here" "$rel" 2>&1)
	if [ "$n" = "${want#*:}" ]; then
		pass "pci_dev_acs_enabled[] in mainline $rel: $n entries"
	else
		fail "pci_dev_acs_enabled[] in mainline $rel: $n, reference ${want#*:}"
	fi
done

# lookup.py answers from the same data: the SPT list covers 9d10 from 4.19
# on, not in 4.17; a Zhaoxin port outside the list is "not isolated".
look() { python3 "$here/lookup.py" "$@" 2>&1; }
if look 8086:9d10 --kernel 4.19 | grep -q 'spt_pch_acs (4.7-); ID listed' &&
   look 8086:9d10 --kernel 4.17 | grep -q 'spt_pch_acs (4.7-); ID not in'; then
	pass "lookup.py: 8086:9d10 dword-ACS quirk from 4.19, not in 4.17"
else
	fail "lookup.py: 8086:9d10 by release"
fi
if look 1d17:0799 --kernel 6.1 | grep -q "answers 'not isolated'"; then
	pass "lookup.py: unlisted Zhaoxin port is not isolated"
else
	fail "lookup.py: unlisted Zhaoxin port"
fi

# Stable sublevels (stable-backports.tsv) and Debian ABI names
# (debian-abi.tsv) against Debian's changelog.Debian.gz of each tree.
cls=""
for s in 6.1 6.12; do
	c=$doc/linux-source-$s/changelog.Debian.gz
	[ -r "$c" ] && cls="$cls $c"
done
if [ -n "$cls" ]; then
	# shellcheck disable=SC2086
	python3 "$here/debian_changelog.py" check-backports "$here" $cls \
		>"$tmp/bp.out" 2>&1
	rc=$?
	grep -v '^PASS ' "$tmp/bp.out"
	tally "$tmp/bp.out"
	[ $rc -eq 2 ] && fail "debian_changelog.py check-backports: usage or input error"
else
	echo "SKIP stable-backports.tsv: no changelog.Debian.gz of linux-source-6.1/6.12"
fi
c=$doc/linux-source-6.1/changelog.Debian.gz
if [ -r "$c" ]; then
	imgs=$(dpkg-query -W -f='${Package}=${Version}\n' 'linux-image-6.1.0-*' 2>/dev/null |
		grep -E '^linux-image-6\.1\.0-[0-9]+-amd64=[0-9]' || true)
	# shellcheck disable=SC2086
	python3 "$here/debian_changelog.py" check-abi "$here" "$c" 6.1 $imgs \
		>"$tmp/abi.out" 2>&1
	cat "$tmp/abi.out"
	tally "$tmp/abi.out"
else
	echo "SKIP debian-abi.tsv: no $c"
fi

# 2. Agreement with kernel source trees.
if [ $# -gt 0 ]; then
	mkdir -p "$cache"
	python3 "$here/regen.py" --check --cache "$cache" "$@" \
		>"$tmp/regen.out" 2>&1
	rc=$?
	cat "$tmp/regen.out"
	tally "$tmp/regen.out"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$tmp/regen.out"; then
		fail "regen.py --check exited $rc"
	fi
	# Per kernel, for make check's summary: "quirks-db[7.2]: N passed,
	# N failed (linux-source-7.2.tar.xz, 7.2.13)".
	awk 'match($0, /^(PASS|FAIL) [^ ]+ \([0-9]+\.[0-9]+[^)]*\):/) {
		split(substr($0, 6, RLENGTH - 7), w, " ")
		rel = substr(w[2], 2)
		split(rel, v, ".")
		k = v[1] "." v[2]
		if (!(k in p)) { order[n++] = k; what[k] = w[1] ", " rel }
		p[k] += ($1 == "PASS"); f[k] += ($1 == "FAIL")
	}
	END { for (i = 0; i < n; i++) { k = order[i]
		printf "quirks-db[%s]: %d passed, %d failed (%s)\n", k, p[k], f[k], what[k] } }' \
		"$tmp/regen.out"
else
	echo "SKIP regen.py --check: no kernel source tree"
fi

# 3. Agreement with the shared tables, oddities explained.
if [ -r "$data/acs-quirk-table.tsv" ]; then
	python3 "$here/crosscheck.py" "$data" >"$tmp/cross.out" 2>&1
	rc=$?
	grep -v '^PASS ' "$tmp/cross.out"
	tally "$tmp/cross.out"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$tmp/cross.out"; then
		fail "crosscheck.py exited $rc"
	fi
else
	echo "SKIP crosscheck.py: no $data"
fi

# 4. The checks catch a wrong database: re-date one entry (ATI 4385
# first seen in 6.2, not 3.12), reorder the table, and name an unknown
# callback.
mkdir "$tmp/bad"
cp "$here"/*.tsv "$tmp/bad/"
sed 's/^1002\t4385\tpci_quirk_amd_sb_acs\t3\.12\t/1002\t4385\tpci_quirk_amd_sb_acs\t6.2\t/' \
	"$here/acs-quirks.tsv" >"$tmp/bad/acs-quirks.tsv"
if cmp -s "$here/acs-quirks.tsv" "$tmp/bad/acs-quirks.tsv"; then
	fail "mutation: could not re-date 1002:4385"
else
	if [ $# -gt 0 ] && ! python3 "$here/regen.py" --check --db "$tmp/bad" \
		--cache "$cache" "$1" >/dev/null 2>&1; then
		pass "mutation: regen.py --check rejects a wrongly dated entry"
	elif [ $# -gt 0 ]; then
		fail "mutation: regen.py --check accepted a wrongly dated entry"
	fi
	if [ -r "$data/acs-quirk-table.tsv" ] && ! python3 \
		"$here/crosscheck.py" --db "$tmp/bad" "$data" >/dev/null 2>&1; then
		pass "mutation: crosscheck.py rejects a wrongly dated entry"
	elif [ -r "$data/acs-quirk-table.tsv" ]; then
		fail "mutation: crosscheck.py accepted a wrongly dated entry"
	fi
fi
# Swap the first two data rows: same entries, wrong order.
awk -F'\t' 'BEGIN { OFS = "\t" }
	/^#/ || !hdr { print; if (!/^#/) hdr = 1; next }
	n == 0 { held = $0; n = 1; next }
	n == 1 { print; print held; n = 2; next }
	{ print }' "$here/acs-quirks.tsv" >"$tmp/bad/acs-quirks.tsv"
if [ $# -gt 0 ]; then
	if python3 "$here/regen.py" --check --db "$tmp/bad" --cache "$cache" \
		"$1" 2>&1 | grep -q '^FAIL .*table order'; then
		pass "mutation: regen.py --check notices a reordered table"
	else
		fail "mutation: regen.py --check missed a reordered table"
	fi
fi
sed 's/^\(1924\t0903\t\)pci_quirk_mf_endpoint_acs/\1pci_quirk_bogus_acs/' \
	"$here/acs-quirks.tsv" >"$tmp/bad/acs-quirks.tsv"
if python3 "$here/gen-c.py" "$tmp/bad" "$tmp/bad.c" 2>"$tmp/bad.err"; then
	fail "mutation: gen-c.py accepted an unknown callback"
elif grep -q 'acs-quirks.tsv:[0-9]*: unknown callback' "$tmp/bad.err"; then
	pass "mutation: gen-c.py rejects an unknown callback with file:line"
else
	fail "mutation: gen-c.py error lacks file:line:"; cat "$tmp/bad.err"
fi

echo "quirks-db: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
