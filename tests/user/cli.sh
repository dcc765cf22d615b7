#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# acsexplain's command line: every error a user can cause gets one line on
# stderr and its documented exit code (user/exitcodes.h), never a crash.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
T=${ACSX_TOOL:-$top/user/acsexplain}
D=$top/../shared/data
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0

# expect CODE DESCRIPTION -- ARGS...: exit code CODE, and for errors exactly
# one line on stderr without a sanitizer report.
expect() {
	code=$1 what=$2
	shift 3
	"$T" "$@" >"$W/out" 2>"$W/err"
	rc=$?
	lines=$(wc -l <"$W/err")
	if [ "$rc" -ne "$code" ]; then
		echo "FAIL $what: exit $rc, wanted $code"; sed -n 1,5p "$W/err"; fail=$((fail + 1))
	elif grep -qE 'Sanitizer|runtime error' "$W/err"; then
		echo "FAIL $what: sanitizer report"; sed -n 1,20p "$W/err"; fail=$((fail + 1))
	elif [ "$code" -ne 0 ] && [ "$lines" -ne 1 ]; then
		echo "FAIL $what: $lines lines on stderr, wanted 1"; cat "$W/err"; fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

DUMP=$D/pciutils-tests/cap-aer-root
expect 0 "help" -- --help
expect 0 "version" -- --version
expect 2 "unknown option" -- --bogus
expect 2 "malformed address" -- --from "$DUMP" zz:00
expect 2 "function out of range" -- --from "$DUMP" 00:00.9
expect 2 "slot out of range" -- --from "$DUMP" 00:40.0
expect 2 "two targets" -- --from "$DUMP" 00:00.0 00:01.0
expect 2 "bad --kernel" -- --from "$DUMP" --kernel banana
expect 2 "bad --what-if" -- --from "$DUMP" --what-if frobnicate=1
expect 2 "bad --what-if iommu" -- --from "$DUMP" --what-if iommu=maybe
expect 0 "what-if iommu=off" -- --from "$DUMP" --what-if iommu=off
expect 0 "what-if iommu=on" -- --from "$DUMP" --what-if iommu=on
expect 2 "bad --validate-quirk" -- --from "$DUMP" --validate-quirk 8086
expect 2 "bad --source" -- --source carrier-pigeon
expect 4 "missing file" -- --from "$W/nonexistent"
: >"$W/empty"
expect 4 "empty file" -- --from "$W/empty"
head -c 3000 /dev/urandom >"$W/garbage"
expect 4 "garbage file" -- --from "$W/garbage"
printf '{"format": "acsexplain-snapshot", "version": 99, "devices": []}\n' >"$W/newer.json"
expect 4 "snapshot from a newer version" -- --from "$W/newer.json"
printf '{"format": "acsexplain-snapshot", "version": 1, "devi' >"$W/trunc.json"
expect 4 "truncated snapshot" -- --from "$W/trunc.json"
# a dump cut in the middle of a device's header
awk 'NR<=3' "$DUMP" >"$W/cut"
grep -q '^[0-9a-f][0-9a-f]: ' "$W/cut" && expect 4 "dump cut inside a header" -- --from "$W/cut"
expect 1 "no such device" -- --from "$DUMP" 0000:99:00.0
expect 1 "no such vendor:device" -- --from "$DUMP" dead:beef
expect 0 "explain a device in a dump" -- --from "$DUMP" --no-color 00:02.0
expect 0 "all as JSON" -- --from "$DUMP" --all --json
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="acsexplain/2"; assert all("predicted_group" in x and "reasons" in x for x in d["devices"])' "$W/out"; then
	pass=$((pass + 1))
else
	echo "FAIL --all --json is not the documented JSON"; fail=$((fail + 1))
fi
# save a snapshot, read it back: the same JSON
"$T" --from "$DUMP" --save "$W/snap.json" --all --json >"$W/a.json" 2>/dev/null
"$T" --from "$W/snap.json" --all --json >"$W/b.json" 2>/dev/null
if python3 - "$W/a.json" "$W/b.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
strip = lambda d: [(x["address"], x["predicted_group"], [r["code"] for r in x["reasons"]]) for x in d["devices"]]
sys.exit(0 if strip(a) == strip(b) else 1)
PY
then pass=$((pass + 1)); else echo "FAIL snapshot round trip changes the answer"; fail=$((fail + 1)); fi
# the module is not loaded on the test host: forced netlink says so
if ! grep -q '^acs_inspect ' /proc/modules 2>/dev/null; then
	expect 3 "netlink without the module" -- --source netlink --all
fi
expect 0 "what-if acs override" -- --from "$DUMP" --what-if acs-override=downstream,multifunction
expect 0 "validate a quirk" -- --from "$DUMP" --validate-quirk 8086:2f04
# a full disk is an error, not a silent success
"$T" --from "$DUMP" --all --json >/dev/full 2>"$W/err"
rc=$?
if [ "$rc" -eq 6 ] && [ "$(wc -l <"$W/err")" -eq 1 ]; then pass=$((pass + 1)); else
	echo "FAIL write error: exit $rc"; cat "$W/err"; fail=$((fail + 1)); fi
# an empty snapshot is a machine without devices: one line, exit 4
printf '{"format": "acsexplain-snapshot", "version": 1}' >"$W/nodev.json"
"$T" --from "$W/nodev.json" >/dev/null 2>"$W/err"
rc=$?
if [ "$rc" -eq 4 ] && ! grep -q Sanitizer "$W/err"; then pass=$((pass + 1)); else
	echo "FAIL empty snapshot: exit $rc"; cat "$W/err"; fail=$((fail + 1)); fi
# --- edges a new user finds ------------------------------------------------
expect 2 "--source with --from" -- --source sysfs --from "$DUMP"
expect 2 "--from without its argument" -- --from
grep -q "from needs an argument" "$W/err" && pass=$((pass + 1)) ||
	{ echo "FAIL --from without argument: $(cat "$W/err")"; fail=$((fail + 1)); }
expect 4 "--from a directory" -- --from "$W"
grep -q "Is a directory" "$W/err" && pass=$((pass + 1)) ||
	{ echo "FAIL --from DIR: $(cat "$W/err")"; fail=$((fail + 1)); }
# --help and --version on a full disk fail like any output
for o in --help --version; do
	"$T" $o >/dev/full 2>"$W/err"
	rc=$?
	if [ "$rc" -eq 6 ] && [ "$(wc -l <"$W/err")" -eq 1 ]; then pass=$((pass + 1)); else
		echo "FAIL $o to a full disk: exit $rc"; fail=$((fail + 1)); fi
done
# colours on a terminal: an empty NO_COLOR does not switch them off
# (no-color.org), NO_COLOR=1 and TERM=dumb do
colours() { # ENV...: escape sequences acsexplain prints on a terminal
	script -qec "env $* TERM=\${TERM_:-xterm} '$T' --from '$DUMP' 00:02.0" /dev/null |
		grep -c "$(printf '\033')\["
}
if command -v script >/dev/null 2>&1; then
	n_empty=$(colours NO_COLOR=)
	n_set=$(colours NO_COLOR=1)
	n_dumb=$(TERM_=dumb colours)
	if [ "$n_empty" -gt 0 ] && [ "$n_set" -eq 0 ] && [ "$n_dumb" -eq 0 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL colours: NO_COLOR= $n_empty, NO_COLOR=1 $n_set, TERM=dumb $n_dumb lines"
		fail=$((fail + 1))
	fi
fi
# device selectors as lspci takes them (-s, -d), parsed by libpci
C5=$top/tests/user/fixtures/cases/c5-peg-gpu.txt
sel() { # SELECTOR EXPECTED-ADDRESSES: the devices explained
	"$T" --from "$C5" --json "$1" 2>"$W/err" | python3 -c '
import json, sys
print(" ".join(e["device"][5:] for e in json.load(sys.stdin)["explained"]))' >"$W/sel" 2>/dev/null
	if [ "$(cat "$W/sel")" = "$2" ]; then pass=$((pass + 1)); else
		echo "FAIL selector $1: '$(cat "$W/sel")' $(cat "$W/err")"; fail=$((fail + 1)); fi
}
sel 01:00 "01:00.0 01:00.1 01:00.2 01:00.3"
sel 10de: "01:00.0 01:00.1 01:00.2 01:00.3"
sel :1ad8 "01:00.2"
sel 10de:1ad8 "01:00.2"
sel 0000:01:00.3 "01:00.3"
expect 2 "malformed selector" -- --from "$C5" 01:00.x
# a device newer than pci.ids is named by its vendor and numbers
{ echo "00:00.0 Host bridge: x"
  echo "00: 86 80 f1 ff 00 00 10 00 00 00 00 06 00 00 00 00"
  for r in 10 20 30; do echo "$r: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"; done
} >"$W/newdev"
expect 0 "device unknown to pci.ids" -- --from "$W/newdev" --no-color 00:00.0
grep -q "^0000:00:00.0 Intel Corporation Device \[8086:fff1\]" "$W/out" && pass=$((pass + 1)) ||
	{ echo "FAIL numeric name fallback: $(sed -n 3p "$W/out")"; fail=$((fail + 1)); }
# a VMD domain (10000 and above) is a domain like any other: read from a
# dump, asked about, saved and read back
sed -E 's/^([0-9a-f]{2}:[0-9a-f]{2}\.[0-7] )/10000:\1/' "$DUMP" >"$W/vmd"
expect 0 "a device in domain 10000" -- --from "$W/vmd" 10000:00:02.0
grep -q "^10000:00:02.0 " "$W/out" && pass=$((pass + 1)) ||
	{ echo "FAIL domain 10000 not printed as 10000:00:02.0"; fail=$((fail + 1)); }
"$T" --from "$W/vmd" --save "$W/vmd.json" --all --json >"$W/a.json" 2>"$W/err"
"$T" --from "$W/vmd.json" --all --json >"$W/b.json" 2>>"$W/err"
if python3 - "$W/a.json" "$W/b.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
addrs = lambda d: sorted(x["address"] for x in d["devices"])
assert addrs(a) == addrs(b) and "10000:00:02.0" in addrs(a), addrs(b)
PY
then pass=$((pass + 1)); else echo "FAIL domain 10000 through a snapshot: $(head -n 2 "$W/err")"; fail=$((fail + 1)); fi
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
