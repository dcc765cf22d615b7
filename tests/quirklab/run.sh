#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# quirklab: the patches `acsexplain --validate-quirk ... --patch` writes,
# against the whole of Debian unstable's linux-source-7.2, the tree they
# are for: `git apply --check`, `checkpatch.pl --strict`, and the patched
# drivers/pci/quirks.c compiled (make drivers/pci/quirks.o W=1, in a
# minimal x86_64 config: allnoconfig + PCI).
#
# The tree is extracted and configured once into $ACSX_QUIRKLAB_CACHE
# (default /var/cache/acsexplain/quirklab), again only when the archive
# changes; quirks.c is put back after every use.  Prints timings as
# figures and "quirklab: N passed, N failed" last.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
C=${ACSX_QUIRKLAB_CACHE:-/var/cache/acsexplain/quirklab}
V=$top/tests/user/fixtures/vm
T=$top/user/acsexplain
pass=0 fail=0
W=$(mktemp -d)

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
finish() {
	echo "quirklab: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}

sid=$(scripts/fetch-sid.sh linux-source-7.2 | tail -n 1) || {
	bad "cannot fetch linux-source-7.2 from Debian unstable"; finish; }
A=$(ls "$sid"/usr/src/linux-source-7.2.tar.* 2>/dev/null | head -n 1)
[ -n "$A" ] || { bad "no linux-source-7.2 archive in $sid"; finish; }
K=$C/linux-source-7.2
ORIG=$C/quirks.c.orig
stamp="$(stat -c '%s %Y' "$A") allnoconfig+PCI"
trap 'rm -rf "$W"; [ -f "$ORIG" ] && [ -d "$K" ] && cp "$ORIG" "$K/drivers/pci/quirks.c"' EXIT

# the prepared tree: extracted (Documentation only for its Kconfig),
# configured, and quirks.o built once, which is the baseline
if [ "$(cat "$C/.prepared" 2>/dev/null)" != "$stamp" ]; then
	t0=$(date +%s)
	rm -rf "$K" "$C/.prepared"
	mkdir -p "$C"
	if ! tar -xJf "$A" -C "$C" --exclude='linux-source-7.2/Documentation/[!K]*'; then
		bad "cannot extract $A"; finish
	fi
	t1=$(date +%s)
	cp "$K/drivers/pci/quirks.c" "$ORIG"
	if ! (cd "$K" && nice make -s allnoconfig &&
		scripts/config --enable PCI --enable PCI_QUIRKS &&
		nice make -s olddefconfig &&
		nice make -s -j"$(nproc)" drivers/pci/quirks.o) >"$C/prepare.log" 2>&1; then
		bad "cannot prepare $K (see $C/prepare.log)"; tail -n 20 "$C/prepare.log"; finish
	fi
	echo "$stamp" >"$C/.prepared"
	echo "quirklab: extracted in $((t1 - t0)) s, configured and built quirks.o in $(( $(date +%s) - t1 )) s"
fi
cp "$ORIG" "$K/drivers/pci/quirks.c"
make -s -C user >/dev/null || { bad "acsexplain does not build"; finish; }

# check NAME SNAPSHOT ID: write the patch, then apply, checkpatch, compile
check() {
	name=$1 snap=$2 id=$3
	P=$W/$name.patch
	if ! "$T" --no-color --from "$snap" --validate-quirk "$id" --patch "$P" \
		--linux-src "$K" >"$W/$name.out" 2>&1; then
		bad "$name: no patch"; cat "$W/$name.out"; return
	fi
	ok
	if (cd "$K" && git apply --check "$P") >"$W/$name.apply" 2>&1; then ok; else
		bad "$name: git apply --check"; cat "$W/$name.apply"; return; fi
	if (cd "$K" && perl scripts/checkpatch.pl --strict "$P") >"$W/$name.cp" 2>&1; then ok; else
		bad "$name: checkpatch --strict"; cat "$W/$name.cp"; fi
	t0=$(date +%s)
	(cd "$K" && git apply "$P") || { bad "$name: git apply"; return; }
	if (cd "$K" && nice make -s W=1 drivers/pci/quirks.o) >"$W/$name.cc" 2>&1 &&
		! grep -q 'warning:' "$W/$name.cc"; then ok; else
		bad "$name: patched quirks.c does not compile cleanly"; tail -n 20 "$W/$name.cc"; fi
	entry=$(grep '^+	{' "$P" | cut -c2-)
	grep -qxF "$entry" "$K/drivers/pci/quirks.c" && ok || bad "$name: entry not in the patched file"
	cp "$ORIG" "$K/drivers/pci/quirks.c"
	echo "quirklab: $name: patched quirks.o built in $(( $(date +%s) - t0 )) s"
}

# a multifunction endpoint (grouped with Intel's mf_endpoint entries) and
# a root port of a vendor without entries (last, before { 0 })
check mf-e1000e "$V/mf-noacs-6.12/snapshot-module.json" 8086:10d3
check rp-qemu "$V/rp-noacs-6.12/snapshot-module.json" 1b36:000c
# the issue's report: a long pci.ids name, facts from lspci text
check bcm57416 "$top/../shared/data/linuxhw/Server__ASRockRack__B650__B650D4U-2L2T-BCM__30CE111A492D__DEBIAN-12__6.1.0-22-AMD64__X86_64__53B0FDF8D8" 14e4:16d8
# from the archive itself (what --linux-src takes by default): the same mail
if "$T" --no-color --from "$V/mf-noacs-6.12/snapshot-module.json" --validate-quirk 8086:10d3 \
	--patch "$W/tar.patch" --linux-src "$A" >"$W/tar.out" 2>&1 &&
	diff "$W/mf-e1000e.patch" "$W/tar.patch" | grep -v '^[<>] Date: ' | grep -q '^[<>]'; then
	bad "the patch from $A differs from the one from the tree"; diff "$W/mf-e1000e.patch" "$W/tar.patch"
elif [ -s "$W/tar.patch" ]; then ok; else
	bad "no patch from $A"; cat "$W/tar.out"; fi
finish
