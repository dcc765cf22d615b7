#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The quirk lab end to end, in the VM bed (not part of `make check`: it
# relinks the mainline 7.2 kernel, minutes on 2 cores):
#  1. acsexplain --validate-quirk 8086:10d3 --patch, from the bed's capture
#     of a multifunction e1000e below a root port with ACS (one group
#     today), against the mainline tree of scripts/build-mainline.sh; the
#     predicted groups with the quirk come with it (--json);
#  2. that tree and build, copied (sources hard-linked, quirks.c replaced),
#     patched and rebuilt in a private mount namespace where the copies sit
#     at the original paths, so that only quirks.o is compiled again;
#  3. the patched kernel booted with acs_inspect on tests/quirklab/
#     mf-e1000e.topo, and acsexplain --all --validate-quirk 8086:10d3 --json
#     run in the guest (--all: the devices with their kernel groups);
#  4. the kernel's groups must be the predicted ones, and the tool must
#     report the quirk active (kernel_carries "yes"; where acs_inspect saw
#     the kernel decide, quirk_result 1).
# Prints "quirklab-vm: N passed, N failed"; exit 3 when the mainline kernel
# is not built.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
M=${ACSX_MAINLINE_CACHE:-/var/cache/acsexplain/mainline}
Q=${ACSX_QUIRKLAB_CACHE:-/var/cache/acsexplain/quirklab}/mainline-patched
CAPTURE=tests/user/fixtures/vm/mf-noacs-6.12/snapshot-module.json
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
finish() {
	echo "quirklab-vm: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}

rel=$(ACSX_MAINLINE_CACHE=$M scripts/build-mainline.sh --release 2>/dev/null) || {
	echo "quirklab-vm: no mainline kernel in $M (scripts/build-mainline.sh)" >&2; exit 3; }
make -s -C user >/dev/null || { bad "acsexplain does not build"; finish; }
[ -f "build/kmod/$rel/acs_inspect.ko" ] || scripts/build-kmod-all.sh mainline >/dev/null ||
	{ bad "acs_inspect does not build for $rel"; finish; }

# 1. the patch and the prediction
if user/acsexplain --from "$CAPTURE" --validate-quirk 8086:10d3 --json \
	--patch "$W/quirk.patch" --linux-src "$M/linux-source-7.2" >"$W/predict.json" 2>"$W/predict.err"; then ok; else
	bad "no patch"; cat "$W/predict.err"; finish; fi

# 2. the patched kernel, rebuilt only when the patch or the build changed
# the diff alone: the mail's Date: changes with every run
key="$(sed -n '/^diff --git/,$p' "$W/quirk.patch" | sha256sum | cut -c1-16) $(cat "$M/build/.acsx-key")"
if [ "$(cat "$Q/.key" 2>/dev/null)" != "$key" ] || [ ! -f "$Q/build/arch/x86/boot/bzImage" ]; then
	t0=$(date +%s)
	rm -rf "$Q"
	mkdir -p "$Q"
	cp -al "$M/linux-source-7.2" "$Q/linux-source-7.2"
	# a file of our own before patching: the sources are hard links
	f=$Q/linux-source-7.2/drivers/pci/quirks.c
	cp "$f" "$f.new" && rm "$f" && mv "$f.new" "$f"
	(cd "$Q/linux-source-7.2" && git apply "$W/quirk.patch") || { bad "git apply"; finish; }
	cp -a "$M/build" "$Q/build"
	if unshare -m --propagation private sh -c '
		mount --bind "$1/linux-source-7.2" "$2/linux-source-7.2" &&
		mount --bind "$1/build" "$2/build" &&
		nice make -C "$2/build" ARCH=x86_64 -j"$(nproc)" bzImage' sh "$Q" "$M" >"$Q/rebuild.log" 2>&1; then ok; else
		bad "rebuilding the patched kernel (see $Q/rebuild.log)"; tail -n 20 "$Q/rebuild.log"; finish; fi
	echo "$key" >"$Q/.key"
	echo "quirklab-vm: patched kernel rebuilt in $(( $(date +%s) - t0 )) s, compiled: $(grep -E '^ +CC ' "$Q/rebuild.log" | awk '{print $2}' | tr '\n' ' ')"
fi
grep -qF '0x10d3, pci_quirk_mf_endpoint_acs' "$Q/linux-source-7.2/drivers/pci/quirks.c" && ok ||
	bad "the patched tree lacks the entry"

# 3. boot it: the bed takes the mainline kernel from ACSX_MAINLINE_CACHE
# 7.2's debug configuration boots slowly under TCG: more than the bed's
# 240 s on a loaded machine (timed out at 240 s under a load of 13)
if ACSX_MAINLINE_CACHE=$Q tests/vm/run.sh --kernel 7.2 \
	--timeout "${ACSX_QUIRKLAB_TIMEOUT:-1200}" --demo "--all --validate-quirk 8086:10d3 --json" tests/quirklab/mf-e1000e.topo \
	>"$W/guest.json" 2>"$W/guest.err"; then ok; else
	bad "the guest run failed"; cat "$W/guest.err"; finish; fi

# 4. the kernel's groups against the prediction, and the tool's verdict
python3 - "$W/predict.json" "$W/guest.json" >"$W/judge" 2>&1 <<'EOF'
import json, sys
pred = json.load(open(sys.argv[1]))["quirk_validation"]
guest = json.load(open(sys.argv[2]))
q = guest["quirk_validation"]
kg = {d["address"]: d["kernel_group"] for d in guest["devices"]}
fails = []
after = pred["changes"]["groups"][0]["after"]
# every predicted group is one kernel group, and no two share one
seen = {}
for grp in after:
    ids = {kg.get(a) for a in grp}
    if len(ids) != 1 or None in ids:
        fails.append("predicted group %s is kernel groups %s" % (grp, ids))
    for g in ids:
        if g in seen:
            fails.append("kernel group %s holds %s and %s" % (g, seen[g], grp))
        seen[g] = grp
if q["kernel_carries"]["status"] != "yes":
    fails.append("kernel_carries: %s (%s)" % (q["kernel_carries"]["status"],
                                              q["kernel_carries"]["why"]))
for f in q["today"]["functions"]:
    if f["kernel"]["seen"] and f["kernel"]["quirk_result"] != 1:
        fails.append("%s: kernel quirk_result %s" % (f["address"],
                                                     f["kernel"]["quirk_result"]))
print("after", after, "kernel groups", kg)
print("\n".join(fails) if fails else "OK")
sys.exit(1 if fails else 0)
EOF
if [ $? -eq 0 ]; then ok; else bad "the patched kernel against the prediction:"; fi
cat "$W/judge"
finish
