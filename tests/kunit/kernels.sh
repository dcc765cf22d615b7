#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check's kunit part: the suites on Debian's 6.1 (run.sh: module
# loaded in a busybox VM, with the acsi-stress stage) and on mainline 7.2
# (mainline.sh: kunit.py), and the self-test of make soak's report sorter
# (kreports.py, no VM).  Prints "kunit[KERNEL]: N passed, N failed" per
# kernel, "kreports: N passed, N failed", and the sum as "kunit: N passed,
# N failed"; exits 1 if any failed.
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

"$here/run.sh" 2>&1 | tee "$log"
grep -q "^kunit: [0-9]* passed" "$log" || echo "kunit: 0 passed, 1 failed" >>"$log"
grep -q '^kunit: [0-9]* passed, 0 failed' "$log" || status=1
l61=$(grep '^kunit: [0-9]* passed' "$log" | tail -n 1 | sed 's/^kunit:/kunit[6.1]:/')

# 7.2 only when make check runs the mainline kernel (ACSX_MAINLINE=1).
if [ "${ACSX_MAINLINE:-0}" = 1 ]; then
	"$here/mainline.sh" 2>&1 | tee "$log"
	grep -q '^kunit\[7.2\]: [0-9]* passed, 0 failed' "$log" || status=1
	l72=$(grep '^kunit\[7.2\]: [0-9]* passed' "$log" | tail -n 1)
	[ -n "$l72" ] || l72="kunit[7.2]: 0 passed, 1 failed"
else
	echo "kunit 7.2: skipped (ACSX_MAINLINE=1 runs it)"
	l72=
fi

# make soak's report sorter (kreports.py) on made-up logs: no VM needed.
python3 "$here/kreports.py" --self-test >"$log" 2>&1 || status=1
cat "$log"
lkr=$(grep '^kreports: [0-9]* passed' "$log" | tail -n 1)
[ -n "$lkr" ] || lkr="kreports: 0 passed, 1 failed"

echo "$l61"
[ -z "$l72" ] || echo "$l72"
echo "$lkr"
p=0 f=0
for l in "$l61" ${l72:+"$l72"} "$lkr"; do
	p=$((p + $(echo "$l" | sed -E 's/.*: ([0-9]+) passed.*/\1/')))
	f=$((f + $(echo "$l" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
done
echo "kunit: $p passed, $f failed"
exit $status
