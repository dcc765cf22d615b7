#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tests of the acsexplain tool: unit tests (derivation, sources, snapshot)
# built with ASan and UBSan, the command line (exit codes, bad input), and
# the tool on real data (pciutils dumps, linuxhw reports, topologies
# captured from the VM test bed).  Each part prints "NAME: N passed, N
# failed"; the last line sums them.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
O=build/tests-user
mkdir -p "$O"

make -s -C user >/dev/null || { echo "user: build failed"; exit 1; }
make -s -C user SAN=1 lib >/dev/null || { echo "user: sanitizer build failed"; exit 1; }
make -s -C user SAN=1 >/dev/null || { echo "user: sanitizer build failed"; exit 1; }

CFLAGS="-std=gnu11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iuser -Iinclude
 -DACSEXPLAIN_VERSION=\"$(cat VERSION)\"
 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
 $(pkg-config --cflags libnl-genl-3.0 libpci json-c nettle)"
LIBS="build/user-san/libacsexplain.a $(pkg-config --libs libnl-genl-3.0 libpci json-c nettle)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ACSX_TOOL="$top/build/user-san/acsexplain"

tp=0 tf=0
tally() { # $1 = log file of one part
	line=$(grep -E '^[A-Za-z_-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$2: no result line (crashed?)"; tail -n 20 "$1"; tf=$((tf + 1)); return
	fi
	echo "$line"
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	tp=$((tp + p)); tf=$((tf + f))
	[ "$f" -gt 0 ] && grep -E '^FAIL|^not ok|MISMATCH' "$1" | head -n 40
}

for t in tests/user/test_*.c; do
	name=$(basename "$t" .c)
	if ! cc $CFLAGS -o "$O/$name" "$t" $LIBS 2>"$O/$name.build"; then
		echo "$name: build failed"; cat "$O/$name.build"; tf=$((tf + 1)); continue
	fi
	"$O/$name" >"$O/$name.log" 2>&1
	tally "$O/$name.log" "$name"
done

for t in tests/user/cli.sh tests/user/cases.sh tests/user/advice.sh \
	tests/user/vmfixtures.sh tests/user/agree.sh tests/user/quirklab.sh \
	tests/user/vmpair.sh; do
	[ -x "$t" ] || continue
	name=$(basename "$t" .sh)
	"$t" >"$O/$name.log" 2>&1
	tally "$O/$name.log" "$name"
done

echo "user: $tp passed, $tf failed"
[ "$tf" -eq 0 ]
