#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the acs_inspect KUnit suites: build (once, cached) a KUnit kernel from
# Debian's linux-source-6.1, build tests/kunit/acs_inspect_kunit.ko against
# it, boot it in QEMU (TCG) with a busybox initramfs that loads the module,
# then judge the KTAP output with the kernel's own kunit.py parser, and the
# console for kmemleak reports, lockdep splats, KASAN reports and oopses.
# In the same VM (intel-iommu, root ports, a switch, NICs) the real module
# kmod/acs_inspect.ko is then loaded and hit with bad input, concurrent
# dumps, hot-unplug mid-dump and unload mid-dump (acsi-stress.c), so the
# same checkers watch it too.
#
# Environment:
#   ACSX_KUNIT_CACHE    cache dir (default /var/cache/acsexplain/kunit)
#   ACSX_KUNIT_TARBALL  kernel source (default /usr/src/linux-source-6.1.tar.xz)
#   ACSX_KUNIT_TIMEOUT  seconds the VM may run (default 900)
#   ACSX_BUSYBOX        static busybox for the initramfs (default /bin/busybox)
#
# Usage: run.sh [--self-check | --build-only]
#   --self-check  add a suite that fails one case, leaks memory, inverts a
#                 lock order and reads out of bounds, and succeed only if all
#                 four are caught: proof that the harness can fail.
#   --build-only  build (or reuse) the kernel, the modules, acsi-stress and
#                 acsi-soak, and stop (tests/kunit/soak.sh uses this).
#
# Exit codes: 0 all passed (or, with --self-check, all faults caught);
# 1 a test failed or the checks found a problem; 2 usage error, missing
# prerequisite or build failure.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE=${ACSX_KUNIT_CACHE:-/var/cache/acsexplain/kunit}
TARBALL=${ACSX_KUNIT_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
TIMEOUT=${ACSX_KUNIT_TIMEOUT:-900}
SRC=$CACHE/linux-source-6.1
BUILD=$CACHE/build
MODDIR=$CACHE/mod
RUNDIR=$CACHE/run
FRAGMENT=$HERE/kunit.config
KMAKE=(nice make -j2 ARCH=x86_64 O="$BUILD")

die() { echo "kunit: $*" >&2; exit 2; }
step() { printf '== %s (%ds)\n' "$*" "$SECONDS"; }

SELF_CHECK=
BUILD_ONLY=
case ${1:-} in
'') ;;
--self-check) SELF_CHECK=y ;;
--build-only) BUILD_ONLY=y ;;
*) die "usage: $0 [--self-check | --build-only]" ;;
esac

for tool in qemu-system-x86_64 python3 cpio gzip gcc make readelf objdump flock; do
	command -v "$tool" >/dev/null || die "$tool not found (make deps)"
done
BUSYBOX=${ACSX_BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || die "$BUSYBOX not found (apt-get install busybox-static)"
# The initramfs has no libc: a dynamically linked busybox cannot run there.
! readelf -l "$BUSYBOX" | grep -q 'program interpreter' ||
	die "$BUSYBOX is dynamically linked (apt-get install busybox-static)"
[ -r "$TARBALL" ] || die "$TARBALL missing (apt-get install linux-source-6.1)"
mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ] ||
	die "cannot write $CACHE (run as root or set ACSX_KUNIT_CACHE)"

# One run at a time per cache: the kernel build and the VM share it.
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
	step "waiting for another run using $CACHE"
	flock 9
fi

# 1. Source tree, extracted once per tarball.
src_stamp=$(stat -c '%s %Y' "$TARBALL")
if [ ! -f "$SRC/Makefile" ] || [ "$(cat "$CACHE/.source-stamp" 2>/dev/null)" != "$src_stamp" ]; then
	step "extracting $TARBALL"
	rm -rf "$SRC" "$BUILD" "$CACHE/.source-stamp" "$CACHE/.config-stamp" \
		"$CACHE/.kernel-stamp" "$CACHE/tmp-src"
	mkdir -p "$CACHE/tmp-src"
	nice tar -C "$CACHE/tmp-src" -xf "$TARBALL"
	mv "$CACHE/tmp-src/linux-source-6.1" "$SRC"
	rmdir "$CACHE/tmp-src"
	echo "$src_stamp" >"$CACHE/.source-stamp"
fi

# 2. Config: tinyconfig + our fragment, redone only when the fragment changes.
cfg_stamp="$src_stamp $(sha256sum <"$FRAGMENT" | cut -d' ' -f1)"
if [ ! -f "$BUILD/.config" ] || [ "$(cat "$CACHE/.config-stamp" 2>/dev/null)" != "$cfg_stamp" ]; then
	step "configuring kernel"
	rm -f "$CACHE/.kernel-stamp"
	"$TOP/scripts/kconfig-tiny.sh" "$SRC" "$BUILD" "$FRAGMENT" \
		>"$CACHE/kernel-config.log" 2>&1 || {
		cat "$CACHE/kernel-config.log" >&2
		die "kernel configuration failed"
	}
	# Kconfig drops symbols whose dependencies are unmet: insist on each.
	while IFS= read -r line; do
		case $line in
		CONFIG_*=y) grep -qx "$line" "$BUILD/.config" ||
				die "config: ${line%=y} did not stick (unmet dependency)" ;;
		CONFIG_*=n) ! grep -qx "${line%=n}=y" "$BUILD/.config" ||
				die "config: ${line%=n} is still set" ;;
		esac
	done <"$FRAGMENT"
	echo "$cfg_stamp" >"$CACHE/.config-stamp"
fi

# 3. Kernel: built once per config; the source tree is never edited.
if [ ! -f "$BUILD/arch/x86/boot/bzImage" ] ||
   [ "$(cat "$CACHE/.kernel-stamp" 2>/dev/null)" != "$cfg_stamp" ]; then
	step "building kernel (nice, -j2; log in $CACHE/kernel-build.log)"
	t0=$SECONDS
	(cd "$SRC" && "${KMAKE[@]}" >"$CACHE/kernel-build.log" 2>&1) || {
		tail -30 "$CACHE/kernel-build.log" >&2
		die "kernel build failed"
	}
	echo "$cfg_stamp" >"$CACHE/.kernel-stamp"
	echo "kernel built in $((SECONDS - t0)) s"
else
	step "kernel up to date"
fi

# 4. Test module. Kbuild writes objects next to their sources, so build in a
# mirror of symlinks: kmod/ belongs to the module build for real kernels and
# must not receive objects built for this one.
step "building acs_inspect_kunit.ko"
mkdir -p "$MODDIR/tests/kunit" "$MODDIR/kmod"
find "$MODDIR" -type l -delete
for f in "$HERE"/Kbuild "$HERE"/*.c "$HERE"/*.h; do
	ln -s "$f" "$MODDIR/tests/kunit/"
done
for f in "$TOP"/kmod/*.c "$TOP"/kmod/*.h "$TOP"/kmod/*.mk; do
	[ -e "$f" ] && ln -s "$f" "$MODDIR/kmod/"
done
ln -sfn "$TOP/include" "$MODDIR/include"
(cd "$SRC" && "${KMAKE[@]}" W=1 M="$MODDIR/tests/kunit" \
	ACSX_SELF_CHECK="$SELF_CHECK" modules \
	>"$CACHE/module-build.log" 2>&1) || {
	cat "$CACHE/module-build.log" >&2
	die "test module build failed"
}
# Compiler (W=1) and modpost warnings both fail the run.
if grep -iE '(^|[^a-z])warning:' "$CACHE/module-build.log" >&2; then
	die "test module build has warnings (W=1 or modpost)"
fi
KO=$MODDIR/tests/kunit/acs_inspect_kunit.ko

# Suites in the module, from its .kunit_test_suites section (one pointer each):
# this becomes the top-level KTAP plan, so a suite that never reports is an
# error rather than silently missing.
sect_size=$(objdump -h "$KO" | awk '$2 == ".kunit_test_suites" { print $3 }')
[ -n "$sect_size" ] || die "acs_inspect_kunit.ko has no KUnit suites"
nsuites=$((16#$sect_size / 8))

# The real module and its stress client. A separate mirror: acs_core.o is
# built with another KBUILD_MODNAME there.
step "building acs_inspect.ko and acsi-stress"
STRESSDIR=$CACHE/mod-acs_inspect
mkdir -p "$STRESSDIR/kmod"
find "$STRESSDIR" -type l -delete
for f in "$TOP"/kmod/Kbuild "$TOP"/kmod/*.c "$TOP"/kmod/*.h "$TOP"/kmod/*.mk; do
	[ -e "$f" ] && ln -s "$f" "$STRESSDIR/kmod/"
done
ln -sfn "$TOP/include" "$STRESSDIR/include"
ln -sfn "$TOP/VERSION" "$STRESSDIR/VERSION"
(cd "$SRC" && "${KMAKE[@]}" M="$STRESSDIR/kmod" modules \
	>"$CACHE/acs_inspect-build.log" 2>&1) || {
	cat "$CACHE/acs_inspect-build.log" >&2
	die "acs_inspect.ko does not build against the KUnit kernel"
}
# Static: the initramfs has no libc. libnl's unused resolver code makes ld
# warn about getaddrinfo; the log keeps those.
gcc -static -O2 -Wall -Wextra -Werror -I/usr/include/libnl3 \
	-I"$TOP/include/uapi" -o "$CACHE/acsi-stress" "$HERE/acsi-stress.c" \
	-lnl-genl-3 -lnl-3 -lpthread -lm >"$CACHE/acsi-stress-build.log" 2>&1 || {
	cat "$CACHE/acsi-stress-build.log" >&2
	die "acsi-stress does not build (libnl-genl-3-dev installed?)"
}
# The soak client's request table comes from the YNL spec.
python3 "$HERE/gen-soak-spec.py" "$TOP/Documentation/netlink/specs/acs_inspect.yaml" \
	"$CACHE/acsi-soak-spec.h" || die "gen-soak-spec.py failed (python3-yaml installed?)"
gcc -static -O2 -Wall -Wextra -Werror -I"$CACHE" -I"$TOP/include/uapi" \
	-o "$CACHE/acsi-soak" "$HERE/acsi-soak.c" >"$CACHE/acsi-soak-build.log" 2>&1 || {
	cat "$CACHE/acsi-soak-build.log" >&2
	die "acsi-soak does not build"
}
if [ -n "$BUILD_ONLY" ]; then
	step "built: $BUILD/arch/x86/boot/bzImage, $STRESSDIR/kmod/acs_inspect.ko, $CACHE/acsi-soak"
	exit 0
fi

# 5. Initramfs: busybox, the module, and an init that runs the checks.
# The machine, the init's start and end: stress-vm.sh (make soak's too).
# shellcheck source=tests/kunit/stress-vm.sh
. "$HERE/stress-vm.sh"
step "building initramfs ($nsuites suites)"
stress_vm_root "$RUNDIR" "$BUSYBOX"
cp "$KO" "$STRESSDIR/kmod/acs_inspect.ko" "$CACHE/acsi-stress" "$CACHE/acsi-soak" \
	"$RUNDIR/root/"
cat >"$RUNDIR/root/init" <<EOF
$STRESS_VM_INIT_START
# The module's suites are the subtests of one top-level KTAP plan; the
# marker separates it from the built-in executor's empty plan at boot.
echo "acsx: uptime before insmod \$(cut -d' ' -f1 /proc/uptime)"
echo "acsx: ktap begin" >/dev/kmsg
echo "KTAP version 1" >/dev/kmsg
echo "1..$nsuites" >/dev/kmsg
insmod /acs_inspect_kunit.ko
echo "acsx: insmod exit \$?"
echo "acsx: uptime after insmod \$(cut -d' ' -f1 /proc/uptime)"
rmmod acs_inspect_kunit
echo "acsx: rmmod exit \$?"
# With its kretprobes (off by default), before the VFs exist so that their
# grouping is observed.
insmod /acs_inspect.ko kprobes=1
echo "acsx: acs_inspect insmod exit \$?"
$STRESS_VM_INIT_VFS
echo "acsx: \$(cat \$pf/sriov_numvfs) VFs of \${pf##*/}"
/acsi-stress
echo "acsx: acsi-stress exit \$?"
echo "acsx: acs_inspect still loaded: \$(grep -c '^acs_inspect ' /proc/modules)"
# A short soak (make soak runs the long one): fuzzed requests, hot-plug
# with paused readers, unloads with a dump in flight.
insmod /acs_inspect.ko kprobes=1
/acsi-soak --module /acs_inspect.ko --messages 3000 --cycles 12 --unloads 5
echo "acsx: acsi-soak exit \$?"
$STRESS_VM_INIT_END
EOF
stress_vm_initramfs "$RUNDIR"

# 6. Boot. The verdict comes from the console log, not QEMU's exit code.
step "booting (QEMU TCG)"
LOG=$RUNDIR/console.log
t0=$SECONDS
rc=0
stress_vm_boot "$TIMEOUT" "$BUILD/arch/x86/boot/bzImage" \
	"$RUNDIR/initramfs.cpio.gz" "$LOG" || rc=$?
echo "VM ran $((SECONDS - t0)) s (qemu exit $rc); console log: $LOG"
# QEMU's own complaints (NICs without a backend are expected) stay in a file.
grep -v 'has no peer' "$RUNDIR/qemu.err" >&2 || true
tr -d '\r' <"$LOG" >"$LOG.tmp" && mv "$LOG.tmp" "$LOG"

# 7. Judge.
step "parsing KTAP with kunit.py"
set +e
sed -n '/^acsx: ktap begin/,$p' "$LOG" |
	python3 "$SRC/tools/testing/kunit/kunit.py" parse | tee "$RUNDIR/parse.out"
parse_rc=${PIPESTATUS[1]}
set -e

problems=()
[ "$parse_rc" -eq 0 ] || problems+=("parser reports failure (exit $parse_rc)")
grep -q '^acsx: done' "$LOG" || problems+=("guest did not finish (timeout or crash)")
grep -q '^acsx: insmod exit 0' "$LOG" || problems+=("insmod failed")
grep -q '^acsx: rmmod exit 0' "$LOG" || problems+=("rmmod failed")
grep -q '^acsx: acs_inspect insmod exit 0' "$LOG" ||
	problems+=("insmod acs_inspect.ko failed")
stress_pass=$(grep -c '^ACSX-CHECK [^ ]* PASS' "$LOG" || true)
stress_fail=$(grep -c '^ACSX-CHECK [^ ]* FAIL' "$LOG" || true)
grep -q '^acsx: acsi-stress exit 0' "$LOG" ||
	problems+=("acsi-stress failed: $(grep '^ACSX-CHECK [^ ]* FAIL' "$LOG" |
		cut -d' ' -f2 | tr '\n' ' ')")
grep -q '^acsx: acsi-soak exit 0' "$LOG" ||
	problems+=("acsi-soak (short) failed")
sed -n '/^acsx: kmemleak report begin/,/^acsx: kmemleak report end/p' "$LOG" \
	>"$RUNDIR/kmemleak.txt"
leaked=
if grep -q 'unreferenced object' "$RUNDIR/kmemleak.txt"; then
	leaked=y
	problems+=("kmemleak reports leaks (see below)")
fi
grep -q 'kmemleak: Kernel memory leak detector disabled' "$LOG" &&
	problems+=("kmemleak was disabled during the run")
# Lockdep, KASAN, kmemleak-internal and oops reports all start with one of
# these; "Call Trace:" catches any other stack dump.
splat='WARNING:|BUG:|Oops|general protection fault|Kernel panic|INFO: |'
splat+='DEBUG_LOCKS_WARN_ON|suspicious RCU usage|UBSAN:|Call Trace:'
splatted=
if grep -nE "$splat" "$LOG" >"$RUNDIR/splats"; then
	splatted=y
	problems+=("kernel reported problems (see below)")
fi

# Counts of test cases (not suites) from the parser's own summary.
summary=$(grep -o 'Ran [0-9]* tests:.*' "$RUNDIR/parse.out" | tail -1 || true)
passed=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<<"$summary")
total=$(sed -n 's/.*Ran \([0-9]*\) tests.*/\1/p' <<<"$summary")
passed=${passed:-0}
total=${total:-0}
failed=$((total - passed))
[ "$total" -gt 0 ] || problems+=("no test results")

if [ -n "$SELF_CHECK" ]; then
	echo "kunit self-check: parser exit $parse_rc, $failed failed," \
		"leak ${leaked:-not} found, splat ${splatted:-not} found"
	kasan=
	grep -q 'BUG: KASAN: slab-out-of-bounds' "$LOG" && kasan=y
	grep -q 'possible circular locking dependency' "$LOG" || splatted=
	echo "kunit self-check: lockdep ${splatted:-not} found, KASAN ${kasan:-not} found"
	if [ "$parse_rc" -ne 0 ] && [ "$failed" -ge 1 ] && [ -n "$leaked" ] &&
	   [ -n "$splatted" ] && [ -n "$kasan" ] && grep -q '^acsx: done' "$LOG"; then
		echo "kunit self-check: the harness caught the failing case, the leak, the lockdep splat and the KASAN report"
		echo "kunit: $passed passed, $failed failed"
		exit 0
	fi
	echo "kunit self-check: the harness MISSED a deliberate fault"
	echo "kunit: $passed passed, $failed failed"
	exit 1
fi

step "acs_inspect.ko under bad input and teardown (acsi-stress)"
grep '^ACSX-CHECK' "$LOG" || true
echo "module: $stress_pass checks passed, $stress_fail failed"
for p in "${problems[@]}"; do
	echo "kunit: $p"
done
if [ -n "$leaked" ]; then
	cat "$RUNDIR/kmemleak.txt"
fi
if [ -n "$splatted" ]; then
	head -40 "$RUNDIR/splats"
fi
echo "kunit: $passed passed, $failed failed"
[ "${#problems[@]}" -eq 0 ]
