#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The user cases of REFERENCE.md section 5, from their data: pciutils'
# dumps (C10, a Haswell-E port with ACS, the X58 board), lspci -vvnn
# reports modelled on the real ones (C2, C3, C5, C12), and the tool must
# name the same culprit the experts named, on the kernel releases named.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
T=${ACSX_TOOL:-$top/user/acsexplain}
D=$top/../shared/data/pciutils-tests
F=$top/tests/user/fixtures/cases
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0

# q FILE ARGS -- PYTHON-EXPR: run acsexplain --all --json and evaluate an
# expression over it: dev(a) gives a device, same(a,b), reason(a,code,at).
q() {
	f=$1
	shift
	args=""
	while [ "$1" != "--" ]; do args="$args $1"; shift; done
	shift
	# shellcheck disable=SC2086
	"$T" --from "$f" --all --json $args >"$W/o.json" 2>"$W/e" || {
		echo "FAIL $*: acsexplain failed: $(head -n 1 "$W/e")"; fail=$((fail + 1)); return; }
	if python3 - "$W/o.json" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
# with --what-if, the assertions are about the changed machine
d = d["what_if"] or d
devs = {x["address"]: x for x in d["devices"]}
def A(a): return a if a.count(":") == 2 else "0000:" + a
def dev(a): return devs[A(a)]
def same(a, b): return dev(a)["predicted_group"] == dev(b)["predicted_group"]
def reason(a, code, at=None):
    return any(r["code"] == code and (at is None or r["at"] == A(at)) for r in dev(a)["reasons"])
def why(a): return dev(a)["acs"]["why"]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
	then pass=$((pass + 1)); else echo "FAIL $f$args: $1"; fail=$((fail + 1)); fi
}

# C10: Sunrise Point-LP 8086:9d10, dword-wide ACS; lspci shows ACSCtl off
# (this dump has the control dword at +8 = 0: the machine ran without an
# IOMMU; lspci reads the capability right and the control from +6)
q "$D/cap-exp-lnkcap2" -- 'dev("00:1c.0")["acs"]["dword_layout"] and dev("00:1c.0")["acs"]["cap"] == 0xf and dev("00:1c.0")["acs"]["basis"] == "quirk" and "+8" in why("00:1c.0")'
q "$D/cap-exp-lnkcap2" --kernel 4.6 -- 'not dev("00:1c.0")["acs"]["isolated"]'
# Haswell-E root port with ACS fully on: isolated by its registers
q "$D/cap-aer-root" -- 'dev("00:02.0")["acs"]["isolated"] and dev("00:02.0")["acs"]["basis"] == "registers" and not same("00:02.0", "03:00.0")'
# QuickPath IOH root port with ACS cap but control 0 and no IOMMU facts:
# the kernel would switch ACS on at boot
q "$D/cap-pcie-1" -- 'True'
# X58 (P6T6): I/O-hub root ports without ACS pull their subtrees in (C1)
q "$D/tree-asus-p6t6" -- 'any(reason(a, "root_port_no_acs") for a in devs)'
# C3: X99 PCH ports: one group on 5.9, split on 5.8 and 5.10
q "$F/c3-x99-pch.txt" --kernel 5.8 -- 'not same("06:00.0", "07:00.0") and reason("06:00.0", "quirk_isolated", "00:1c.3")'
q "$F/c3-x99-pch.txt" --kernel 5.9 -- 'same("04:00.0", "06:00.0") and same("00:1c.0", "08:00.0") and reason("06:00.0", "quirk_not_isolated", "00:1c.3") and "5.10" in dev("00:1c.3")["acs"]["why"]'
q "$F/c3-x99-pch.txt" --kernel 5.10 -- 'not same("04:00.0", "06:00.0") and not same("04:00.0", "05:00.0") and reason("05:00.0", "downstream_port_no_acs", "03:03.0")'
q "$F/c3-x99-pch.txt" --kernel 3.19 -- 'same("04:00.0", "06:00.0") and reason("06:00.0", "root_port_no_acs", "00:1c.3") and reason("06:00.0", "multifunction_no_acs", "00:1c.3")'
# C2: Panther Point: older kernels group wireless and card reader; newer split
q "$F/c2-pch-wireless.txt" --kernel 3.14 -- 'same("02:00.0", "03:00.0") and reason("03:00.0", "root_port_no_acs", "00:1c.1") and reason("03:00.0", "multifunction_no_acs", "00:1c.1")'
q "$F/c2-pch-wireless.txt" --kernel 3.16 -- 'not same("02:00.0", "03:00.0")'
# C5: PEG port without ACS: port and all GPU functions in one group
q "$F/c5-peg-gpu.txt" -- 'all(same("00:01.0", "01:00.%d" % f) for f in range(4)) and reason("01:00.3", "root_port_no_acs", "00:01.0") and not same("00:02.0", "01:00.0")'
# C12: the plan keeps the bridge with pcieport and binds the 4 functions
"$T" --from "$F/c5-peg-gpu.txt" --no-color --plan 01:00.0 >"$W/plan" 2>&1
if grep -q "00:01.0 root-port: bridge, stays with pcieport" "$W/plan" &&
	[ "$(grep -c 'driver_override' "$W/plan")" -eq 4 ] &&
	grep -q "not viable" "$W/plan"; then
	pass=$((pass + 1))
else
	echo "FAIL C12 plan:"; cat "$W/plan"; fail=$((fail + 1))
fi
# what-if: the ACS override splits C5 and says the split is simulated
"$T" --from "$F/c5-peg-gpu.txt" --no-color --what-if acs-override=downstream,multifunction >"$W/wi" 2>&1
if grep -q "split off a group of 5: 0000:01:00.1" "$W/wi" && grep -q "SIMULATED: 0000:00:01.0" "$W/wi"; then
	pass=$((pass + 1))
else
	echo "FAIL what-if override:"; cat "$W/wi"; fail=$((fail + 1))
fi
# what-if a vendor quirk for the GPU functions: still one group (port)
"$T" --from "$F/c5-peg-gpu.txt" --no-color --validate-quirk 10de:1e87 >"$W/vq" 2>&1
if grep -q "not isolating" "$W/vq" && grep -q "not in a quirk" "$W/vq"; then
	pass=$((pass + 1))
else
	echo "FAIL validate-quirk:"; cat "$W/vq"; fail=$((fail + 1))
fi
# what-if another kernel: the 5.10 picture merges on 5.9
"$T" --from "$F/c3-x99-pch.txt" --no-color --kernel 5.10 --what-if kernel=5.9 >"$W/wk" 2>&1
if grep -q "merged from 10 groups" "$W/wk"; then
	pass=$((pass + 1))
else
	echo "FAIL what-if kernel=5.9:"; cat "$W/wk"; fail=$((fail + 1))
fi
# remedies name the free isolating slot; moving the GPU there leaves
# only its own functions in its group
q "$F/c5-peg-gpu.txt" --what-if move=01:00.0@00:1b.0 -- 'same("02:00.0", "02:00.3") and not same("02:00.0", "00:1b.0") and reason("02:00.1", "multifunction_no_acs", "02:00.1")'
"$T" --from "$F/c5-peg-gpu.txt" --no-color 01:00.0 >"$W/rem" 2>&1
if grep -q "port that isolates: 0000:00:1b.0 \[free\]" "$W/rem"; then
	pass=$((pass + 1))
else
	echo "FAIL remedies do not name the free slot:"; cat "$W/rem"; fail=$((fail + 1))
fi
# a Proxmox kernel with the ACS override: the difference is found and named
"$T" --from "$F/c5-proxmox-override.txt" --no-color 01:00.1 >"$W/px" 2>&1
if grep -q "Found the cause: .*pcie_acs_override=downstream,multifunction" "$W/px"; then
	pass=$((pass + 1))
else
	echo "FAIL ACS override not recognised:"; cat "$W/px"; fail=$((fail + 1))
fi
expect_rc() { # CODE ARGS...: the exit status of a bad what-if
	code=$1; shift
	"$T" "$@" >/dev/null 2>"$W/e"; rc=$?
	if [ "$rc" -eq "$code" ] && [ "$(wc -l <"$W/e")" -eq 1 ]; then pass=$((pass + 1))
	else echo "FAIL exit $rc (wanted $code) for $*: $(cat "$W/e")"; fail=$((fail + 1)); fi
}
expect_rc 2 --from "$F/c5-peg-gpu.txt" --what-if move=01:00.0@00:1c.0
expect_rc 2 --from "$F/c3-x99-pch.txt" --what-if move=06:00.0@00:1c.4
expect_rc 2 --from "$F/c3-x99-pch.txt" --what-if config-acs=101
echo "cases: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
