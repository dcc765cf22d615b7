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
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["what_if_unknown"] else 1)' "$W/o.json"; then ok; else
	ko "JSON what_if_unknown on a report without root"; fi
# On facts that are all readable the what-if answers
"$T" --from "$F/c5-peg-gpu.txt" --json --what-if acs-override=downstream,multifunction >"$W/o.json" 2>&1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["what_if_unknown"] is None else 1)' "$W/o.json"; then ok; else
	ko "JSON what_if_unknown on readable facts"; fi

# The whole-device form Proxmox uses is accepted
if "$T" --from "$F/c5-peg-gpu.txt" --no-color 0000:01:00 >"$W/o" 2>&1 &&
	grep -q "^0000:01:00.0 " "$W/o"; then ok; else ko "0000:01:00 as input:"; head -n 5 "$W/o"; fi
if "$T" --from "$F/c5-peg-gpu.txt" 01:00 >/dev/null 2>&1; then ok; else ko "01:00 as input"; fi
"$T" --from "$F/c5-peg-gpu.txt" 0000:01:0x >/dev/null 2>"$W/e"
if [ $? -eq 2 ] && [ "$(wc -l <"$W/e")" -eq 1 ]; then ok; else ko "a malformed device: exit 2, one line"; fi

echo "advice: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
