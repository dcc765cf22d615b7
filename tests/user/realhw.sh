#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Real-hardware check: for every linuxhw report that carries the running
# kernel's groups ("IOMMU group: N" lines), let acsexplain re-derive the
# groups from the report alone and compare the partition it predicts
# (predicted_group) with the one the kernel made (kernel_group).
#
# usage: tests/user/realhw.sh [REPORT...]
#   ACSX_TOOL  acsexplain binary (default: user/acsexplain, built if absent)
#   ACSX_DATA  data directory (default: ../shared/data)
#   -v         print every mismatched device with its reasons
#
# Prints per report "MATCH" or "MISMATCH n devices" (a device mismatches
# when the set of devices sharing its group differs, or when one side gives
# it a group and the other none), then "realhw: N passed, N failed".
# A match where the tool took unreadable ACS from the kernel's own groups
# (reports taken without root) is counted but labelled as not independent.
# Exit status: 0 all match, 1 some mismatch or tool failure, 2 no tool/data.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
verbose=0
if [ "${1:-}" = "-v" ]; then
	verbose=1
	shift
fi
data=${ACSX_DATA:-$top/../shared/data}
tool=${ACSX_TOOL:-$top/user/acsexplain}
if [ ! -x "$tool" ]; then
	make -s -C "$top/user" >/dev/null 2>&1
fi
if [ ! -x "$tool" ]; then
	echo "realhw: acsexplain not found at $tool (build user/ first)" >&2
	echo "realhw: 0 passed, 1 failed"
	exit 2
fi
if [ $# -eq 0 ]; then
	set -- "$data"/linuxhw/*
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 n=0 circular=0
for f in "$@"; do
	[ -f "$f" ] || continue
	grep -q 'IOMMU group: *[0-9]' "$f" || continue
	n=$((n + 1))
	name=$(basename "$f")
	out="$tmp/$n.json"
	if ! "$tool" --from "$f" --all --json >"$out" 2>"$tmp/$n.err"; then
		echo "$name: FAIL acsexplain exit $?: $(head -n 1 "$tmp/$n.err")"
		fail=$((fail + 1))
		continue
	fi
	if python3 - "$out" "$name" "$verbose" <<'EOF'
import json
import sys

path, name, verbose = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
try:
    doc = json.load(open(path))
    devs = doc["devices"]
except (ValueError, KeyError) as e:
    print(f"{name}: FAIL unreadable JSON ({e})")
    sys.exit(1)


def mates(key):
    by = {}
    for d in devs:
        if d.get(key) is not None:
            by.setdefault(d[key], set()).add(d["address"])
    return {d["address"]: (frozenset(by[d[key]]) if d.get(key) is not None
                           else None) for d in devs}


kern, pred = mates("kernel_group"), mates("predicted_group")
bad = [d for d in devs if kern[d["address"]] != pred[d["address"]]]
blind = any("access denied" in n for n in doc.get("notes", []))
# ACS the tool could not read but took from the kernel's own groups makes
# a match circular for those devices: say so
inferred = sum(1 for d in devs
               if (d.get("acs") or {}).get("basis") == "inferred")
tag = " (report taken without root: ACS not visible)" if blind else ""
if inferred:
    tag += (f" [ACS of {inferred} devices inferred from the kernel's"
            " groups: not an independent check]")
if not bad:
    print(f"{name}: MATCH {len(devs)} devices{tag}")
    sys.exit(3 if inferred else 0)
print(f"{name}: MISMATCH {len(bad)} devices of {len(devs)}{tag}")
if verbose:
    for d in bad:
        a = d["address"]

        def fmt(s):
            return "none" if s is None else ",".join(sorted(x[5:] for x in s))
        codes = ",".join(f'{r["code"]}@{(r.get("at") or "-")[5:]}'
                         for r in d.get("reasons", []))
        print(f"  {a[5:]}: kernel [{fmt(kern[a])}] predicted "
              f"[{fmt(pred[a])}] reasons {codes}")
sys.exit(1)
EOF
	then
		pass=$((pass + 1))
	else
		case $? in
		3) pass=$((pass + 1)) circular=$((circular + 1)) ;;
		*) fail=$((fail + 1)) ;;
		esac
	fi
done
if [ "$n" -eq 0 ]; then
	echo "realhw: no report with IOMMU group lines under $data/linuxhw" >&2
	echo "realhw: 0 passed, 1 failed"
	exit 2
fi
[ "$circular" -gt 0 ] &&
	echo "realhw: $circular of $pass matches rest partly on ACS inferred from the kernel's groups"
echo "realhw: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
