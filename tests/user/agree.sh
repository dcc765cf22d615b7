#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Text and JSON say the same: for every mode (--all, a device, --plan,
# --audit, --validate-quirk, --what-if, --kernel) on several inputs, render
# both from the same inputs and compare the facts (agree.py).  Also the
# plan in --json and a snapshot's probe order through --save.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
T=${ACSX_TOOL:-$top/user/acsexplain}
D=$top/../shared/data/pciutils-tests
F=$top/tests/user/fixtures
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0

# agree INPUT-ARGS -- MODE-ARGS
agree() {
	in="" mode=""
	while [ "$1" != "--" ]; do in="$in $1"; shift; done
	shift
	mode="$*"
	# shellcheck disable=SC2086
	"$T" $in $mode --no-color >"$W/t" 2>"$W/te"; rt=$?
	# shellcheck disable=SC2086
	"$T" $in $mode --json >"$W/j" 2>"$W/je"; rj=$?
	if [ "$rt" -ne "$rj" ]; then
		echo "FAIL$in $mode: exit $rt (text) vs $rj (JSON)"; fail=$((fail + 1)); return
	fi
	if [ "$rt" -ne 0 ] && [ "$rt" -ne 5 ]; then
		echo "FAIL$in $mode: exit $rt: $(head -n 1 "$W/te")"; fail=$((fail + 1)); return
	fi
	if python3 "$top/tests/user/agree.py" "$W/t" "$W/j" >"$W/d"; then
		pass=$((pass + 1))
	else
		echo "FAIL$in $mode:"; sed 's/^/    /' "$W/d" | head -n 10; fail=$((fail + 1))
	fi
}

C5=$F/cases/c5-peg-gpu.txt
PX=$F/cases/c5-proxmox-override.txt
X99=$F/cases/c3-x99-pch.txt
VM=$F/vm/mf-noacs-6.12
for in in "--from $C5" "--from $PX" "--from $X99" "--from $D/cap-aer-root" \
	"--from $VM/lspci-xxxx.txt --groups $VM/groups.txt --kernel 6.12"; do
	agree $in -- --all
	agree $in -- --all --audit
	agree $in -- --all --kernel 5.9
	agree $in -- --validate-quirk 8086:2f04
	agree $in -- --all --what-if acs-override=downstream,multifunction
	agree $in -- --all --what-if kernel=4.19
done
agree --from "$C5" -- 01:00.0
agree --from "$C5" -- 01:00.0 --plan --audit
agree --from "$C5" -- 00:01.0 --plan
agree --from "$C5" -- 10de:1ad8 --plan
agree --from "$C5" -- 01:00.0 --what-if move=01:00.0@00:1b.0
agree --from "$C5" -- --all --what-if move=01:00.0@00:1b.0
agree --from "$C5" -- 01:00.1 --what-if acs-override=downstream,multifunction
agree --from "$PX" -- 01:00.0 --plan --audit --validate-quirk 10de:1e87
agree --from "$X99" -- 06:00.0 --kernel 5.9 --plan
agree --from "$X99" -- 00:1c.3 --audit --validate-quirk 8086:8d1b
agree --from "$VM/lspci-xxxx.txt" --groups "$VM/groups.txt" -- --all --audit --plan
# the quirk lab: a split, a refused callback, a switch port, a patch
agree --from "$VM/snapshot-module.json" -- --validate-quirk 8086:10d3
agree --from "$VM/snapshot-module.json" -- --validate-quirk 8086:10d3@pci_quirk_qcom_rp_acs
agree --from "$F/vm/switch-noacs-6.12/snapshot-module.json" -- --validate-quirk 104c:8233
agree --from "$F/vm/rp-noacs-6.12/snapshot-module.json" -- --validate-quirk 1b36:000c \
	--patch "$W/agree.patch" --linux-src "$F/quirklab/linux-7.2"
agree --from "$C5" -- --validate-quirk 10de:1e87 --kernel 5.10
# part 5 on the capture edited as kernels report it: with the quirk (yes),
# split by a rescan without it (no), the quirk answering without a split
# (differs)
python3 - "$VM/snapshot-module.json" "$W" <<'PY'
import json, sys
for name, split, quirk in (("yes", 1, 1), ("late", 1, 0), ("differs", 0, 1)):
    d = json.load(open(sys.argv[1]))
    for x in d["devices"]:
        if x["device"] == "10d3":
            x["kernel"].update(verdict_known=True, verdict_origin=5,
                               verdict_isolated=bool(quirk) or (
                                   bool(split) and x["address"].endswith(".1")),
                               quirk_result_known=True,
                               quirk_result=1 if quirk else -25)
            x["header_multifunction"] = x["address"].endswith(".0")
            if split and x["address"].endswith(".1"):
                x["kernel_group"] = 9
    json.dump(d, open("%s/%s.json" % (sys.argv[2], name), "w"))
PY
for k in yes late differs; do
	agree --from "$W/$k.json" -- --validate-quirk 8086:10d3 --audit
done
agree --from "$W/late.json" -- --all --audit

# --plan --json carries the plan: the GPU's four functions to bind, the
# root port kept, the Proxmox line for the whole device
"$T" --from "$C5" --plan 01:00.0 --json >"$W/p.json" 2>"$W/e"
if python3 - "$W/p.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = d["explained"][0]["plan"]
assert p["viable"] is False and len(p["bind"]) == 4, p
assert p["keep"] == ["0000:00:01.0"] and "0000:01:00.0" in p["bind"], p
assert p["proxmox"].startswith("qm set <vmid> -hostpci0 0000:01:00,pcie=1"), p
PY
then pass=$((pass + 1)); else echo "FAIL --plan --json carries no plan"; fail=$((fail + 1)); fi

# --save of a --from snapshot keeps the kernel's probe order, which the
# snapshot holds and acsexplain cannot recompute
"$T" --from "$VM/snapshot-module.json" --save "$W/s1.json" >/dev/null 2>"$W/e"
python3 - "$W/s1.json" "$W/s2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n = len(d["devices"])
for i, x in enumerate(d["devices"]):
    x["order"] = n - 1 - i      # not what linking would guess
json.dump(d, open(sys.argv[2], "w"), indent=2)
PY
"$T" --from "$W/s2.json" --save "$W/s3.json" >/dev/null 2>"$W/e"
if python3 - "$W/s2.json" "$W/s3.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
order = lambda d: {x["address"]: x["order"] for x in d["devices"]}
sys.exit(0 if order(a) == order(b) else 1)
PY
then pass=$((pass + 1)); else echo "FAIL --save of a snapshot loses its probe order"; fail=$((fail + 1)); fi

echo "agree: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
