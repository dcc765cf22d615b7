#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the acs_inspect KUnit suites on the mainline kernel (7.2) the way
# kernel developers run KUnit: tools/testing/kunit/kunit.py from that tree
# configures, builds, boots (QEMU, x86_64) and parses.  The suites are
# linked into the tree by scripts/build-mainline.sh
# (CONFIG_ACS_INSPECT_KUNIT_TEST) and the kunitconfig is the mainline test
# kernel's configuration, so kunit.py finds the kernel the VM bed uses
# already built and only rebuilds what changed in tests/kunit or kmod.
# Beyond kunit.py's verdict (KASAN reports fail the case they happen in),
# the console must show no lockdep, KASAN, RCU or oops report.
#
# Environment: ACSX_MAINLINE_CACHE (see scripts/build-mainline.sh),
#   ACSX_KUNIT_TIMEOUT  seconds the VM may run (default 600)
#
# Prints kunit.py's report, then "kunit[7.2]: N passed, N failed" (test
# cases, each parameter of a parameterised case counted).
# Exit codes: 0 all passed; 1 a test failed or the kernel reported a
# problem; 2 build failure or missing prerequisite.

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE=${ACSX_MAINLINE_CACHE:-/var/cache/acsexplain/mainline}
TIMEOUT=${ACSX_KUNIT_TIMEOUT:-600}
SRC=$CACHE/linux-source-7.2
BUILD=$CACHE/build
KUNITCONFIG=$TOP/tests/vm/mainline.config

fail() { echo "kunit[7.2]: $*" >&2; echo "kunit[7.2]: 0 passed, 1 failed"; exit "$2"; }

command -v qemu-system-x86_64 >/dev/null ||
	fail "qemu-system-x86_64 not found (make deps)" 2
# Brings the tree and its links to this checkout up to date.
"$TOP/scripts/build-mainline.sh" || fail "mainline kernel build failed" 2

# kunit.py builds in the shared tree: hold the build lock meanwhile.
exec 9>"$CACHE/.lock"
flock 9
out=$CACHE/kunit-run.out
# TCG, as the VM bed: kunit.py starts QEMU with "-accel kvm -accel hvf
# -accel tcg" (tools/testing/kunit/kunit_kernel.py), tried in that order,
# and neither --qemu_args nor a --qemu_config file can take KVM out of that
# list (QEMU refuses "-machine accel=" next to -accel).  KVM hangs on the
# machines this runs on; where /dev/kvm exists, kunit.py runs in a private
# mount namespace in which it is /dev/null, so QEMU's KVM setup fails
# ("failed to initialize kvm") and it falls back to TCG.  Without /dev/kvm
# QEMU says "falling back to tcg" itself.
kunit=(python3 tools/testing/kunit/kunit.py run --arch=x86_64
	--build_dir="$BUILD" --kunitconfig="$KUNITCONFIG" --jobs=2
	--timeout="$TIMEOUT")
if [ -e /dev/kvm ]; then
	kunit=(unshare --mount --propagation private sh -c
		'mount --bind /dev/null /dev/kvm && exec "$@"' kunit "${kunit[@]}")
fi
(cd "$SRC" && "${kunit[@]}") 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
grep -q 'falling back to tcg\|failed to initialize kvm' "$BUILD/test.log" ||
	echo "kunit[7.2]: note: QEMU's log does not say it fell back to TCG"
exec 9>&-

summary=$(grep -o 'Ran [0-9]* tests:.*' "$out" | tail -n 1)
total=$(sed -n 's/.*Ran \([0-9]*\) tests.*/\1/p' <<<"$summary")
passed=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<<"$summary")
total=${total:-0}
passed=${passed:-0}
failed=$((total - passed))
problems=0
[ "$total" -gt 0 ] || { echo "kunit[7.2]: no test results"; problems=1; }
[ "$rc" -eq 0 ] || { echo "kunit[7.2]: kunit.py exited $rc"; problems=1; }
# kunit.py keeps the whole console in the build directory.
splat='WARNING:|BUG:|Oops|general protection fault|Kernel panic|INFO: |'
splat+='DEBUG_LOCKS_WARN_ON|suspicious RCU usage|UBSAN:|Call Trace:'
if grep -nE "$splat" "$BUILD/test.log" >"$CACHE/kunit-splats"; then
	echo "kunit[7.2]: the kernel reported problems:"
	head -40 "$CACHE/kunit-splats"
	problems=1
fi
[ "$failed" -gt 0 ] || failed=$problems
echo "kunit[7.2]: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$problems" -eq 0 ]
