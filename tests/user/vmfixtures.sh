#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# acsexplain offline on every topology captured from the VM test bed
# (tests/user/fixtures/vm/<topology>-<kernel>/): the lspci -xxxx dump, the
# kernel's group listing, release and command line.  The kernel's groups
# are the judge; the topology's expect-reason lines name the culprits.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
T=${ACSX_TOOL:-$top/user/acsexplain}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
for d in "$top"/tests/user/fixtures/vm/*/; do
	[ -f "$d/lspci-xxxx.txt" ] || continue
	name=$(basename "$d")
	topo=$top/tests/vm/topologies/${name%-*}.topo
	[ -f "$topo" ] || topo=
	if ! "$T" --from "$d/lspci-xxxx.txt" --groups "$d/groups.txt" \
		--kernel "$(cat "$d/uname.txt")" \
		--kernel-cmdline "$(cat "$d/cmdline.txt" 2>/dev/null)" \
		--all --json >"$W/out.json" 2>"$W/err"; then
		echo "FAIL $name: acsexplain failed: $(head -n 1 "$W/err")"
		fail=$((fail + 1))
		continue
	fi
	python3 "$top/tests/user/groupcmp.py" "$W/out.json" $topo "${name##*-}" >"$W/cmp" 2>&1
	r=$(tail -n 1 "$W/cmp")
	p=$(echo "$r" | sed -nE 's/^([0-9]+) passed.*/\1/p')
	f=$(echo "$r" | sed -nE 's/.* ([0-9]+) failed$/\1/p')
	[ -z "$p" ] && { p=0; f=1; }
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name:"; sed '$d' "$W/cmp" | sed 's/^/    /'
	else
		echo "ok   $name"
	fi
done
echo "vmfixtures: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
