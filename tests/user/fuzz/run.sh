#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Coverage-guided fuzzing of acsexplain's input parsers (libFuzzer, ASan,
# UBSan).  Builds fuzz_text, fuzz_dump and fuzz_snapshot, runs each for
# SECONDS (default 60) on a corpus kept in $FUZZ_WORK, then replays every
# committed seed and crash reproducer (seeds/<fuzzer>/, regress/<fuzzer>/).
#
#   tests/user/fuzz/run.sh [SECONDS]      SECONDS=0: only build and replay
#   FUZZ_WORK=DIR                         corpora, binaries and artifacts
#                                         (default build/fuzz)
#   FUZZERS="text dump"                   a subset
#
# open/<fuzzer>/ holds reproducers of bugs not fixed yet; they are not
# replayed (move one to regress/ with its fix).
#
# Needs clang with libFuzzer (Debian: clang-14 libclang-rt-14-dev).
# Exit status: 0 when everything passed, 1 on any crash, leak, hang or
# UB, 2 when the fuzzers cannot be built.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
SECS=${1:-60}
WORK=${FUZZ_WORK:-$TOP/build/fuzz}
FUZZERS=${FUZZERS:-text dump snapshot}
CC=${FUZZ_CC:-}
JOBS=${FUZZ_JOBS:-2}

case $SECS in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
if [ -z "$CC" ]; then
	for c in clang clang-14 clang-15 clang-16; do
		command -v $c >/dev/null 2>&1 && CC=$c && break
	done
fi
if [ -z "$CC" ]; then
	echo "fuzz: clang not found (apt-get install clang-14 libclang-rt-14-dev)" >&2
	exit 2
fi

PKGS="libnl-genl-3.0 libpci json-c nettle"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-O1 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
-DACSEXPLAIN_VERSION=\"$(cat "$TOP/VERSION")\" -I$TOP/include -I$TOP/user \
$(pkg-config --cflags $PKGS)"
LIBS=$(pkg-config --libs $PKGS)
OBJ=$WORK/obj
mkdir -p "$OBJ" "$WORK/artifacts" || exit 2

# --- build: the library objects once, one binary per harness ---------------
build() {
	python3 "$TOP/quirks-db/gen-c.py" "$TOP/quirks-db" "$OBJ/quirks_db.c" ||
		return 1
	srcs="$OBJ/quirks_db.c"
	# every library file of user/ and its subfolders (src/, analysis/,
	# render/), without main
	for f in $(cd "$TOP/user" && find . -name '*.c' ! -name acsexplain.c ! -name quirks_db.c |
		   sort); do
		srcs="$srcs $TOP/user/${f#./}"
	done
	objs=""
	pids=""
	n=0
	for f in $srcs; do
		# src/text.c and render/text.c: the path names the object
		rel=${f#"$TOP"/user/}
		rel=${rel#"$OBJ"/}
		o=$OBJ/$(echo "${rel%.c}" | tr / _).o
		objs="$objs $o"
		if [ ! -f "$o" ] || [ "$f" -nt "$o" ] ||
		   [ -n "$(find "$TOP/user" -name '*.h' -newer "$o")" ]; then
			# shellcheck disable=SC2086
			$CC $CFLAGS $SAN -fsanitize=fuzzer-no-link -c -o "$o" "$f" &
			pids="$pids $!"
			n=$((n + 1))
			if [ $n -ge "$JOBS" ]; then
				for p in $pids; do wait "$p" || return 1; done
				pids=""
				n=0
			fi
		fi
	done
	for p in $pids; do wait "$p" || return 1; done
	for z in $FUZZERS; do
		# shellcheck disable=SC2086
		$CC $CFLAGS $SAN -fsanitize=fuzzer -I"$HERE" \
			-o "$WORK/fuzz_$z" "$HERE/fuzz_$z.c" $objs $LIBS ||
			return 1
	done
}
if ! build; then
	echo "fuzz: build failed" >&2
	exit 2
fi

# --- corpora: committed seeds plus every fixture, on the first run ---------
seed_corpus() {
	c=$WORK/corpus-$1
	[ -d "$c" ] && return
	mkdir -p "$c"
	[ -d "$HERE/seeds/$1" ] && cp "$HERE/seeds/$1"/* "$c"/ 2>/dev/null
	for d in "$TOP/tests/user/fixtures" /work/shared/data; do
		[ -d "$d" ] || continue
		find "$d" -type f -size -65k | while read -r f; do
			cp "$f" "$c/$(echo "$f" | md5sum | cut -c1-16)"
		done
	done
}

pass=0
fail=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ "$SECS" -gt 0 ]; then
	for z in $FUZZERS; do
		seed_corpus "$z"
		log=$WORK/fuzz_$z.log
		dict=
		[ -f "$HERE/$z.dict" ] && dict=-dict=$HERE/$z.dict
		echo "fuzz: running fuzz_$z for ${SECS}s (log $log)"
		# shellcheck disable=SC2086
		if nice "$WORK/fuzz_$z" $dict -max_len=65536 -timeout=5 \
			-rss_limit_mb=2048 -max_total_time="$SECS" \
			-print_final_stats=1 \
			-artifact_prefix="$WORK/artifacts/$z-" \
			"$WORK/corpus-$z" >"$log" 2>&1; then
			pass=$((pass + 1))
			grep -E '^#[0-9]+.*(DONE|pulse)' "$log" | tail -1
		else
			fail=$((fail + 1))
			echo "fuzz: fuzz_$z FAILED; reproducer in $WORK/artifacts/:"
			grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
		fi
	done
fi

# --- replay: committed seeds and fixed crash reproducers -------------------
for z in $FUZZERS; do
	for f in "$HERE/seeds/$z"/* "$HERE/regress/$z"/*; do
		[ -f "$f" ] || continue
		if "$WORK/fuzz_$z" -timeout=5 -rss_limit_mb=2048 "$f" \
			>"$WORK/replay.log" 2>&1; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "fuzz: $z replay FAILED: ${f#"$TOP"/}"
			grep -E 'ERROR|SUMMARY|runtime error' "$WORK/replay.log" |
				head -3
		fi
	done
done

echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
