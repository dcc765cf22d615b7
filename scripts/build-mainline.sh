#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-mainline.sh: build the mainline test kernel (Debian unstable's
# linux-source-7.2, built here with the system's gcc: Debian's own 7.2
# headers need gcc-16) into a cache, and print its release on the last line.
#
#  1. Fetches linux-source-7.2 (scripts/fetch-sid.sh) when it is missing and
#     extracts it once per tarball into $CACHE/linux-source-7.2.
#  2. Links the acs_inspect KUnit suites into that tree as
#     drivers/acs_inspect_kunit/ (symlinks to tests/kunit, kmod, include), so
#     that tools/testing/kunit/kunit.py can build and run them built in.
#  3. Configures tinyconfig plus tests/vm/mainline.config (also the
#     kunitconfig kunit.py runs with), once per source and configuration.
#  4. Builds bzImage, Module.symvers and modules_prepare with nice make -j2
#     into $CACHE/build (incremental: a changed suite rebuilds only itself).
#
# Environment:
#   ACSX_MAINLINE_CACHE    cache dir (default /var/cache/acsexplain/mainline)
#   ACSX_MAINLINE_TARBALL  source (default: sid's linux-source-7.2 from fetch-sid.sh)
#
# Usage: build-mainline.sh [--release]
#   --release  print only the kernel release of a finished build (no build);
#              exit 3 if there is none.
# Output: progress lines, then "build-mainline: RELEASE in DIR".
# Exit codes: 0 built or up to date, 2 usage error or build failure,
# 3 missing prerequisite (source cannot be fetched, cache not writable).

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
CACHE=${ACSX_MAINLINE_CACHE:-/var/cache/acsexplain/mainline}
SRC=$CACHE/linux-source-7.2
BUILD=$CACHE/build
FRAGMENT=$TOP/tests/vm/mainline.config
# Bump when the way the tree is prepared (step 2) changes.
OVERLAY_VERSION=1

die() { echo "build-mainline: $*" >&2; exit "${2:-2}"; }
step() { printf 'build-mainline: %s (%ds)\n' "$*" "$SECONDS"; }

case ${1:-} in
'') ;;
--release)
	rel=$(cat "$BUILD/include/config/kernel.release" 2>/dev/null) &&
		[ -f "$BUILD/arch/x86/boot/bzImage" ] &&
		[ -f "$BUILD/.acsx-key" ] ||
		die "no mainline kernel built in $BUILD (run scripts/build-mainline.sh)" 3
	echo "$rel"
	exit 0 ;;
*) die "usage: $0 [--release]" ;;
esac

for tool in gcc make flex bison bc python3 xz flock; do
	command -v "$tool" >/dev/null || die "$tool not found (make deps)" 3
done
mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ] ||
	die "cannot write $CACHE (run as root or set ACSX_MAINLINE_CACHE)" 3

if [ -n "${ACSX_MAINLINE_TARBALL:-}" ]; then
	TARBALL=$ACSX_MAINLINE_TARBALL
else
	d=$("$HERE/fetch-sid.sh" linux-source-7.2 | tail -n 1) ||
		die "cannot fetch linux-source-7.2 from Debian unstable" 3
	TARBALL=$d/usr/src/linux-source-7.2.tar.xz
fi
[ -r "$TARBALL" ] || die "$TARBALL missing" 3

# One build at a time per cache; the bed and KUnit wait for it.
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
	step "waiting for another build in $CACHE"
	flock 9
fi

# 1. Source tree, extracted once per tarball.
src_stamp="$(stat -c '%s %Y' "$TARBALL") overlay $OVERLAY_VERSION"
if [ ! -f "$SRC/Makefile" ] || [ "$(cat "$CACHE/.source-stamp" 2>/dev/null)" != "$src_stamp" ]; then
	step "extracting $TARBALL"
	rm -rf "$SRC" "$BUILD" "$CACHE/.source-stamp" "$CACHE/tmp-src"
	mkdir -p "$CACHE/tmp-src"
	nice tar -C "$CACHE/tmp-src" -xf "$TARBALL" ||
		die "cannot extract $TARBALL"
	mv "$CACHE/tmp-src/linux-source-7.2" "$SRC"
	rmdir "$CACHE/tmp-src"
	# 2. Hook the suites' directory into drivers/ (once per extraction).
	printf '\nsource "drivers/acs_inspect_kunit/Kconfig"\n' >>"$SRC/drivers/Kconfig"
	printf '\nobj-$(CONFIG_ACS_INSPECT_KUNIT_TEST) += acs_inspect_kunit/tests/kunit/\n' \
		>>"$SRC/drivers/Makefile"
	echo "$src_stamp" >"$CACHE/.source-stamp"
fi

# 2. The suites' directory: links to this checkout, renewed every run so that
# the tree builds the sources of whoever runs it.  tests/kunit/Kbuild finds
# kmod/ and include/ at ../../ as in the repository.
K=$SRC/drivers/acs_inspect_kunit
mkdir -p "$K/tests"
ln -sfn "$TOP/tests/kunit" "$K/tests/kunit"
ln -sfn "$TOP/kmod" "$K/kmod"
ln -sfn "$TOP/include" "$K/include"
cat >"$K/Kconfig.new" <<'EOF'
# Added by acsexplain's scripts/build-mainline.sh: the acs_inspect KUnit
# suites (tests/kunit), built in so that kunit.py runs them at boot.
config ACS_INSPECT_KUNIT_TEST
	bool "KUnit suites of the out-of-tree acs_inspect module"
	depends on KUNIT && PCI && NET && IOMMU_API
EOF
cmp -s "$K/Kconfig.new" "$K/Kconfig" 2>/dev/null && rm "$K/Kconfig.new" ||
	mv "$K/Kconfig.new" "$K/Kconfig"

# 3. Configuration: tinyconfig plus the fragment, redone when source or
# fragment change.  kunit.py's own "config" would start from an empty
# .config and olddefconfig: three times the options, too slow to build on
# 2 cores.  Every line of the fragment is checked here as kunit.py checks
# it, and the fragment is recorded as kunit.py records the kunitconfig it
# configured with (last_used_kunitconfig), so "kunit.py run
# --kunitconfig=tests/vm/mainline.config" finds the tree configured and
# only builds what changed.
key="$src_stamp $(sha256sum <"$FRAGMENT" | cut -d' ' -f1)"
if [ ! -f "$BUILD/.config" ] || [ "$(cat "$BUILD/.acsx-config-key" 2>/dev/null)" != "$key" ]; then
	step "configuring (tinyconfig + ${FRAGMENT#"$TOP"/})"
	rm -f "$BUILD/.acsx-key" "$BUILD/.acsx-config-key" "$BUILD/last_used_kunitconfig"
	"$HERE/kconfig-tiny.sh" "$SRC" "$BUILD" "$FRAGMENT" \
		>"$CACHE/config.log" 2>&1 || {
		tail -20 "$CACHE/config.log" >&2
		die "kernel configuration failed (log: $CACHE/config.log)"
	}
	# Kconfig drops symbols whose dependencies are unmet: insist on each.
	while IFS= read -r line; do
		case $line in
		CONFIG_*=n) ! grep -qE "^${line%=n}=[ym]" "$BUILD/.config" ||
				die "config: ${line%=n} is still set" ;;
		CONFIG_*) grep -qxF "$line" "$BUILD/.config" ||
				die "config: ${line%%=*} did not stick (unmet dependency)" ;;
		esac
	done <"$FRAGMENT"
	cp "$FRAGMENT" "$BUILD/last_used_kunitconfig"
	echo "$key" >"$BUILD/.acsx-config-key"
fi

# 4. Build: bzImage for QEMU, Module.symvers (make modules) and
# modules_prepare for the out-of-tree module.  Incremental, so always run.
if [ -f "$BUILD/.acsx-key" ]; then
	step "bringing $BUILD up to date"
else
	step "building kernel (nice make -j2, cold: see Documentation/testbed.md; log $CACHE/build.log)"
fi
t0=$SECONDS
(cd "$SRC" && nice make -j2 ARCH=x86_64 O="$BUILD" bzImage modules modules_prepare) \
	>"$CACHE/build.log" 2>&1 || {
	grep -E 'error|Error' "$CACHE/build.log" | head -20 >&2
	die "kernel build failed (log: $CACHE/build.log)"
}
if [ ! -f "$BUILD/.acsx-key" ]; then
	echo "build-mainline: kernel built in $((SECONDS - t0)) s"
fi
echo "$key" >"$BUILD/.acsx-key"
echo "build-mainline: $(cat "$BUILD/include/config/kernel.release") in $BUILD"
