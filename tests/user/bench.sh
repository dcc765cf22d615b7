#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench.sh - CPU time and peak memory of `acsexplain --from DUMP --all`
# (text and --json) against `lspci -F DUMP -vvv` on the same synthetic
# dumps, in the same run; and `acsexplain --from SNAPSHOT --all` on a
# snapshot saved from that dump.  CPU time (user + system), not wall
# time: on a shared machine wall time measures the neighbours.
#
#   tests/user/bench.sh [SIZE...]        default sizes: 1000 5000 10000
#
# Environment: ACSEXPLAIN (tool to time, default user/acsexplain),
# BENCH_DIR (where the dumps go, default a temporary directory, removed
# afterwards), RUNS (repetitions per command, default 3; the median CPU
# time counts, and the largest peak RSS).
#
# Prints figures only: it never fails because something is slow.  It exits
# 1 when the tool is missing or one of the timed commands fails, because
# then there is no figure to print.
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tool=${ACSEXPLAIN:-$top/user/acsexplain}
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000 10000)

die() {
	echo "bench: $*" >&2
	exit 1
}

[ -x "$tool" ] || die "$tool not built yet (run 'make user' first)"
[ -x /usr/bin/time ] || die "/usr/bin/time not installed (Debian package 'time')"
command -v lspci >/dev/null || die "lspci not installed (Debian package 'pciutils')"
command -v python3 >/dev/null || die "python3 not installed"
for n in "${sizes[@]}"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || die "size '$n' is not a positive number"
done

if [ -n "${BENCH_DIR:-}" ]; then
	dir=$BENCH_DIR
	mkdir -p "$dir" || die "cannot create $dir"
else
	dir=$(mktemp -d /tmp/acsexplain-bench.XXXXXX) || die "mktemp failed"
	trap 'rm -rf "$dir"' EXIT
fi

# run_once OUTVAR CMD...: CPU seconds (user + system) and peak RSS in
# KiB, both from /usr/bin/time, as "seconds kib".
run_once() {
	local var=$1 _rc _u _s _rss
	shift
	/usr/bin/time -f "%U %S %M" -o "$dir/time.out" "$@" >/dev/null 2>"$dir/stderr"
	_rc=$?
	if [ $_rc -ne 0 ]; then
		echo "bench: '$*' exited $_rc: $(tail -n 1 "$dir/stderr")" >&2
		return 1
	fi
	read -r _u _s _rss < <(tail -n 1 "$dir/time.out")
	printf -v "$var" "%s %s" "$(awk -v u="$_u" -v s="$_s" \
		'BEGIN { printf "%.2f", u + s }')" "$_rss"
}

# measure OUTVAR CMD...: median CPU seconds and largest peak RSS (KiB)
# over $runs.
measure() {
	local var=$1 _i _one _times=() _rss=0
	shift
	for ((_i = 0; _i < runs; _i++)); do
		run_once _one "$@" || return 1
		_times+=("${_one% *}")
		[ "${_one#* }" -gt "$_rss" ] && _rss=${_one#* }
	done
	printf -v "$var" "%s %s" \
		"$(printf '%s\n' "${_times[@]}" | sort -g |
		   awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" "$_rss"
}

failed=0
r=
declare -A t_ax t_js t_ls t_sn m_ax m_js m_ls m_sn

for n in "${sizes[@]}"; do
	dump=$dir/synthetic-$n.dump
	if [ ! -s "$dump" ]; then
		echo "bench: generating $n functions" >&2
		"$here/gen-synthetic.py" "$n" -o "$dump" --verify ||
			die "could not generate the $n-function dump"
	fi
	echo "bench: timing $n functions ($runs runs each)" >&2
	if measure r "$tool" --from "$dump" --all; then
		t_ax[$n]=${r% *}; m_ax[$n]=${r#* }
	else
		failed=1; t_ax[$n]=-; m_ax[$n]=-
	fi
	if measure r "$tool" --from "$dump" --all --json; then
		t_js[$n]=${r% *}; m_js[$n]=${r#* }
	else
		failed=1; t_js[$n]=-; m_js[$n]=-
	fi
	if measure r lspci -F "$dump" -vvv; then
		t_ls[$n]=${r% *}; m_ls[$n]=${r#* }
	else
		failed=1; t_ls[$n]=-; m_ls[$n]=-
	fi
	snap=$dir/synthetic-$n.snapshot.json
	if "$tool" --from "$dump" --all --save "$snap" >/dev/null 2>"$dir/stderr" &&
	   measure r "$tool" --from "$snap" --all; then
		t_sn[$n]=${r% *}; m_sn[$n]=${r#* }
	else
		echo "bench: --save/--from snapshot failed: $(tail -n 1 "$dir/stderr")" >&2
		failed=1; t_sn[$n]=-; m_sn[$n]=-
	fi
done

mib() {
	[ "$1" = - ] && { echo -; return; }
	awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'
}

ratio() {
	{ [ "$1" = - ] || [ "$2" = - ]; } && { echo -; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'
}

per_fn() {
	[ "$1" = - ] && { echo -; return; }
	awk -v t="$1" -v n="$2" 'BEGIN { printf "%.1f", t * 1e6 / n }'
}

echo
echo "acsexplain: $tool"
echo "lspci:      $(lspci --version 2>&1)"
echo "date:       $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:    $(uname -m), $(nproc) CPU(s), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of $runs runs: CPU seconds (user + system); RSS = peak resident set (MiB)"
echo
fmt="%9s %10s %10s %10s %11s %10s %9s %9s %9s %9s\n"
# shellcheck disable=SC2059
printf "$fmt" functions acsexplain --json "lspci -vvv" "json/lspci" snapshot \
	"RSS acsx" "RSS json" "RSS snap" "RSS lspci"
for n in "${sizes[@]}"; do
	# shellcheck disable=SC2059
	printf "$fmt" "$n" "${t_ax[$n]}" "${t_js[$n]}" "${t_ls[$n]}" \
		"$(ratio "${t_js[$n]}" "${t_ls[$n]}")" "${t_sn[$n]}" \
		"$(mib "${m_ax[$n]}")" "$(mib "${m_js[$n]}")" \
		"$(mib "${m_sn[$n]}")" "$(mib "${m_ls[$n]}")"
done
echo "(acsexplain, --json: --from DUMP --all [--json]; snapshot: --from SNAPSHOT"
echo " --all, the same facts saved with --save; json/lspci: the --json CPU time"
echo " as a fraction of lspci -vvv's)"

echo
echo "linearity: CPU microseconds per function (flat = linear cost)"
printf "%9s %11s %11s %11s %11s\n" functions acsexplain --json \
	"lspci -vvv" snapshot
for n in "${sizes[@]}"; do
	printf "%9s %11s %11s %11s %11s\n" "$n" "$(per_fn "${t_ax[$n]}" "$n")" \
		"$(per_fn "${t_js[$n]}" "$n")" "$(per_fn "${t_ls[$n]}" "$n")" \
		"$(per_fn "${t_sn[$n]}" "$n")"
done
prev=
for n in "${sizes[@]}"; do
	if [ -n "$prev" ] && [ "${t_js[$n]}" != - ] && [ "${t_js[$prev]}" != - ]; then
		echo "acsexplain --json $prev -> $n functions: CPU x$(ratio "${t_js[$n]}" \
			"${t_js[$prev]}"), RSS x$(ratio "${m_js[$n]}" "${m_js[$prev]}") for x$(ratio "$n" "$prev") functions"
	fi
	prev=$n
done

[ $failed -eq 0 ] || echo "bench: some commands failed; their figures are '-'" >&2
exit $failed
