#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# selftest.sh - prove that the VM bed can fail: a false group expectation, a
# guest that panics (QEMU exits 0 without ACSX-DONE) and a guest that hangs
# must each be reported as a failure, and run.sh must exit 1.
# Prints "vm-selftest: N passed, N failed"; exits 1 if the bed missed one.
here=$(cd "$(dirname "$0")" && pwd)
out=$("$here/run.sh" --kernel 6.1 --timeout 60 --no-fixtures \
	"$here/selftest/wrong-expectation.topo" \
	"$here/selftest/guest-panics.topo" \
	"$here/selftest/guest-hangs.topo" 2>&1)
rc=$?
pass=0
fail=0
expect() {
	if printf '%s\n' "$out" | grep -q "$2"; then
		pass=$((pass + 1))
	else
		echo "vm-selftest: $1: bed did not report '$2'" >&2
		fail=$((fail + 1))
	fi
}
expect wrong-expectation "FAIL same-group:00:02.0,01:00.0"
expect guest-panics "FAIL done: QEMU exited (0) before ACSX-DONE"
expect guest-hangs "FAIL done: timeout after 60s"
if [ $rc -eq 1 ]; then
	pass=$((pass + 1))
else
	echo "vm-selftest: run.sh exited $rc, not 1" >&2
	fail=$((fail + 1))
fi
[ $fail -eq 0 ] || printf '%s\n' "$out" >&2
echo "vm-selftest: $pass passed, $fail failed"
[ $fail -eq 0 ]
