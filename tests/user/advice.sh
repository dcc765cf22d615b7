#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The advice of issue 8 through the command line, on real linuxhw reports
# (../shared/data/linuxhw) and the REFERENCE case fixtures: honest
# what-ifs, whole-device addresses, verdicts in text and JSON saying the
# same, the plan.  Prints "advice: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
T=${ACSX_TOOL:-$top/user/acsexplain}
D=${ACSX_DATA:-$top/../shared/data}/linuxhw
F=$top/tests/user/fixtures/cases
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
ko() { echo "FAIL $*"; fail=$((fail + 1)); }
report() { ls "$D"/"$1"* 2>/dev/null | head -n 1; }

X470=$(report Desktop__ASRock__X470)
[ -n "$X470" ] || ko "no X470 report in $D"

# A report taken without root: the override what-if is no answer, never
# "no group changes" (issue 8).
"$T" --from "$X470" --no-color --what-if acs-override=downstream,multifunction >"$W/o" 2>&1
if grep -q "unknown: the ACS registers of" "$W/o" && ! grep -q "no group changes" "$W/o"; then ok; else
	ko "what-if on a report without root:"; tail -n 5 "$W/o"; fi
"$T" --from "$X470" --json --what-if acs-override=downstream >"$W/o.json" 2>&1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["what_if"]["unknown"] else 1)' "$W/o.json"; then ok; else
	ko "JSON what_if.unknown on a report without root"; fi
# On facts that are all readable the what-if answers
"$T" --from "$F/c5-peg-gpu.txt" --json --what-if acs-override=downstream,multifunction >"$W/o.json" 2>&1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["what_if"]["unknown"] is None else 1)' "$W/o.json"; then ok; else
	ko "JSON what_if.unknown on readable facts"; fi

# The whole-device form Proxmox uses is accepted
if "$T" --from "$F/c5-peg-gpu.txt" --no-color 0000:01:00 >"$W/o" 2>&1 &&
	grep -q "^0000:01:00.0 " "$W/o"; then ok; else ko "0000:01:00 as input:"; head -n 5 "$W/o"; fi
if "$T" --from "$F/c5-peg-gpu.txt" 01:00 >/dev/null 2>&1; then ok; else ko "01:00 as input"; fi
"$T" --from "$F/c5-peg-gpu.txt" 0000:01:0x >/dev/null 2>"$W/e"
if [ $? -eq 2 ] && [ "$(wc -l <"$W/e")" -eq 1 ]; then ok; else ko "a malformed device: exit 2, one line"; fi

# --all reads like lspci -nnk plus the why: the kernel's group numbers,
# whole names, [vvvv:dddd], drivers, one reason per group, uncore folded
"$T" --from "$X470" --no-color --all >"$W/all" 2>&1
if grep -q "^IOMMU group 14: shared" "$W/all" && grep -q "^IOMMU group 15: own-device" "$W/all" &&
	grep -q "0b:00.0 \[10de:1e84\] NVIDIA Corporation TU104 \[GeForce RTX 2070 SUPER\], driver nvidia" "$W/all" &&
	[ "$(grep -c '^  Why:' "$W/all")" -eq 1 ] &&
	grep -q "^Nothing to assign" "$W/all" && ! grep -q "^IOMMU group 12:" "$W/all"; then ok; else
	ko "--all on X470:"; head -n 60 "$W/all"; fi
X99=$(report Desktop__ASRock__X99)
"$T" --from "$X99" --no-color --all >"$W/all" 2>&1
# no name cut mid-word: every name the report gives appears whole
if grep -q "Ellesmere \[Radeon RX 470/480/570/570X/580/580X/590\]" "$W/all" ||
	tr '\n' ' ' <"$W/all" | sed 's/  */ /g' | grep -q "Ellesmere \[Radeon RX 470/480/570/570X/580/580X/590\]"; then ok; else
	ko "whole names on X99"; fi
if ! grep -q "^IOMMU group [0-9]*: .*\n  ff:" "$W/all" && ! grep -q "^  ff:0b.0" "$W/all"; then ok; else
	ko "uncore functions not folded on X99"; fi

# text and JSON say the same verdict, device by device
for f in "$X470" "$X99" "$(report Notebook__Framework)" "$(report Server__ASRockRack)" "$(report Mini_Pc__AZW__SER)" "$F/c5-peg-gpu.txt" "$F/c2-pch-wireless.txt"; do
	"$T" --from "$f" --json --all >"$W/j" 2>/dev/null || { ko "json on $f"; continue; }
	# the first six devices that are not bridges, with their JSON verdict
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
for x in [x for x in d["devices"] if x["class"][:4] not in ("0600", "0604")][:6]:
    print(x["address"], x["assignment"]["verdict"])' "$W/j" >"$W/v"
	while read -r a v; do
		if "$T" --from "$f" --no-color "$a" 2>/dev/null | grep -q "^  Verdict: $v\. "; then ok; else
			ko "$(basename "$f") $a: text verdict is not the JSON's ($v)"; fi
	done <"$W/v"
done

# the verdict comes first, right under the device line
"$T" --from "$F/c5-peg-gpu.txt" --no-color 01:00.0 >"$W/o" 2>&1
if grep -A1 "^0000:01:00.0 " "$W/o" | tail -n 1 | grep -q "^  Verdict: own-device\. "; then ok; else
	ko "verdict first:"; cat "$W/o"; fi

# --plan --json: the whole assignable set, the Proxmox line, companions
"$T" --from "$(report Notebook__Framework)" --json --plan c1:00.0 >"$W/j" 2>&1
if python3 - "$W/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = d["explained"][0]["plan"]
assert p["device"] == "0000:c1:00.0"
assert "0000:c1:00.1" in p["bind"] and "0000:c1:00.6" in p["bind"]
assert p["proxmox"].startswith("qm set <vmid> -hostpci0 0000:c1:00,pcie=1")
assert "softdep amdgpu pre: vfio-pci" in p["modprobe_conf"]
a = [x for x in d["devices"] if x["address"] == "0000:c1:00.0"][0]["assignment"]
assert a["verdict"] == "alone" and "0000:c1:00.1" in a["companions"] and not a["at_fault"]
PY
then ok; else ko "--plan --json on the Framework report"; fi
"$T" --from "$F/c5-peg-gpu.txt" --json 01:00.0 >"$W/j" 2>&1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["explained"][0]["plan"] is None else 1)' "$W/j"; then ok; else
	ko "plan is null without --plan"; fi

echo "advice: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
