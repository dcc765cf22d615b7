#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test bed's guest (busybox).  Runs the checks of one topology
# (/topo, appended to the initramfs by the runner) and reports them on the
# serial console as lines the host parses:
#   ACSX-RESULT <check> PASS|FAIL|SKIP <detail>
#   ACSX-BEGIN <name> ... ACSX-END <name> rc=<exit code>   captured output
#   ACSX-HOTPLUG add|del <id> <address>    host: do device_add/device_del now
#   ACSX-DONE                              every check ran; powering off
# A run without ACSX-DONE is a failure on the host side, so an early exit of
# this script, a hang or a guest panic cannot pass.
PATH=/bin:/sbin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
# Kernel messages would interleave with the captures on the one console;
# they are captured whole (dmesg) at the end instead.
echo 1 >/proc/sys/kernel/printk

rel=$(uname -r)
moddir=/lib/modules/$rel
topo=/topo

result() {
	echo "ACSX-RESULT $*"
}

# capture NAME CMD...: print the output of CMD between markers.
capture() {
	name=$1
	shift
	echo "ACSX-BEGIN $name"
	"$@" 2>&1
	rc=$?
	echo "ACSX-END $name rc=$rc"
	return $rc
}

# Full domain:bus:dev.fn for the short forms used in topology files.
full_addr() {
	case $1 in
	*:*:*) echo "$1" ;;
	*) echo "0000:$1" ;;
	esac
}

# The IOMMU group number of a device, "none" if it has none, "absent" if the
# device does not exist.
group_of() {
	d=/sys/bus/pci/devices/$(full_addr "$1")
	[ -e "$d" ] || { echo absent; return; }
	if [ -e "$d/iommu_group" ]; then
		basename "$(readlink "$d/iommu_group")"
	else
		echo none
	fi
}

group_members() {
	ls "/sys/kernel/iommu_groups/$1/devices" 2>/dev/null | tr '\n' ' '
}

# Lines "key: value" of the topology file.
topo_lines() {
	sed -n "s/^$1:[[:space:]]*//p" "$topo"
}

echo "ACSX-BOOT $rel $(cat /proc/cmdline)"
[ -r "$topo" ] || { result topology FAIL "no /topo in the initramfs"; echo ACSX-DONE; poweroff -f; }

# Drivers, dependencies first (mkinitramfs.sh wrote the order).  A helper
# that does not fit the emulated CPU (crct10dif-pclmul) may fail; what counts
# is that every driver the topologies use ends up loaded.
while read -r ko; do
	insmod "$moddir/$ko" 2>/dev/null
done <"$moddir/load-order"
drv_missing=""
for m in $(cat "$moddir/drivers"); do
	[ -d "/sys/module/$m" ] || drv_missing="$drv_missing $m"
done
if [ -z "$drv_missing" ]; then
	result drivers PASS "loaded: $(cat "$moddir/drivers")"
else
	result drivers FAIL "not loaded:$drv_missing"
fi

# The module under test, before any VF or hot-plugged device exists so that
# it sees them arrive; with its kretprobes (off by default), whose verdicts
# the bed checks too.
module=no
if [ -f "$moddir/extra/acs_inspect.ko" ]; then
	if insmod "$moddir/extra/acs_inspect.ko" kprobes=1 2>/tmp/insmod.err; then
		module=yes
		result module-load PASS "acs_inspect loaded"
	else
		result module-load FAIL "insmod: $(cat /tmp/insmod.err)"
	fi
else
	result module-load SKIP "acs_inspect.ko not built for $rel"
fi
tool=no
[ -x /bin/acsexplain ] && tool=yes

# The module's netlink interface through the bed's own client: info, a
# refused request, and its multicast group from now on (VFs and hot-plugged
# devices must be announced there).
events=no
client=no
if [ $module = yes ]; then
	if [ -x /bin/acsi-client ]; then
		client=yes
		if out=$(acsi-client info 2>&1); then
			result module-info PASS "$out"
		else
			result module-info FAIL "$out"
		fi
		# No device can sit at 00:1f.7 on q35 (ICH9 uses .0 .2 .3).
		if out=$(acsi-client get 0000:00:1f.7 2>&1); then
			result module-unknown-addr FAIL "answered for a missing device: $out"
		elif [ $? -eq 1 ]; then
			result module-unknown-addr PASS "refused: $out"
		else
			result module-unknown-addr FAIL "$out"
		fi
		acsi-client listen >/tmp/events 2>&1 &
		events_pid=$!
		i=0
		while ! grep -q ACSI-LISTENING /tmp/events && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		if grep -q ACSI-LISTENING /tmp/events; then
			events=yes
			result events-subscribe PASS "joined acs_inspect/events"
		else
			result events-subscribe FAIL "$(cat /tmp/events)"
		fi
	else
		result module-info SKIP "acsi-client not built"
	fi
fi

# The module's answer for one device must match the kernel's group.
module_agrees() {
	out=$(acsi-client get "$1" 2>&1) || { echo "$out"; return 1; }
	case $out in
	*" group=$(group_of "$1") "*) echo "$out"; return 0 ;;
	*) echo "$out (sysfs: group $(group_of "$1"))"; return 1 ;;
	esac
}

# announced added|removed ADDRESS: did the module multicast that event?
# (waits up to 5 s for the listener to print it)
announced() {
	i=0
	while [ $i -lt 50 ]; do
		grep -q "^ACSI-EVENT $1 $2 " /tmp/events && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# SR-IOV VFs the topology asks for.  VFs are not handed to a driver: QEMU's
# NVMe VFs stay offline until nvme-cli assigns them resources, and their
# grouping does not depend on a driver.
topo_lines sriov_vfs | while read -r pf n; do
	pf=$(full_addr "$pf")
	d=/sys/bus/pci/devices/$pf
	if [ ! -e "$d/sriov_numvfs" ]; then
		result "sriov-$pf" FAIL "$pf has no sriov_numvfs"
		continue
	fi
	echo 0 >"$d/sriov_drivers_autoprobe"
	if echo "$n" >"$d/sriov_numvfs" 2>/tmp/sriov.err; then
		got=$(ls -d "$d"/virtfn* 2>/dev/null | wc -l)
		if [ "$got" -eq "$n" ]; then
			result "sriov-$pf" PASS "$n VFs created"
		else
			result "sriov-$pf" FAIL "asked $n VFs, $got appeared"
		fi
		[ $events = yes ] || continue
		missing=""
		for vf in "$d"/virtfn*; do
			vfa=$(basename "$(readlink "$vf")")
			announced added "$vfa" || missing="$missing $vfa"
		done
		if [ -z "$missing" ]; then
			result "sriov-events-$pf" PASS "module announced all $got VFs"
		else
			result "sriov-events-$pf" FAIL "not announced:$missing"
		fi
	else
		result "sriov-$pf" FAIL "sriov_numvfs: $(cat /tmp/sriov.err)"
	fi
done

# Demo mode (tests/vm/demo.sh): run acsexplain on the device in question,
# show its output, and stop.
demo=$(topo_lines demo)
if [ -n "$demo" ]; then
	if [ $tool = yes ]; then
		capture demo acsexplain $demo
	else
		result demo FAIL "user/acsexplain is not in the initramfs"
	fi
	echo ACSX-DONE
	poweroff -f
fi

# Group expectations of the topology, checked against the kernel's groups.
check_same() {
	first=$(group_of "$1")
	bad=""
	for a in "$@"; do
		g=$(group_of "$a")
		case $g in none|absent) bad="$bad $a:$g" ;; esac
		[ "$g" = "$first" ] || bad="$bad $a:$g"
	done
	if [ -z "$bad" ]; then
		result "same-group:$(echo "$*" | tr ' ' ',')" PASS "group $first: $(group_members "$first")"
	else
		result "same-group:$(echo "$*" | tr ' ' ',')" FAIL "first $1:$first, differing:$bad"
	fi
}
check_own() {
	for a in "$@"; do
		g=$(group_of "$a")
		case $g in
		none|absent) result "own-group:$a" FAIL "$a: $g" ;;
		*)
			m=$(group_members "$g")
			if [ "$m" = "$(full_addr "$a") " ]; then
				result "own-group:$a" PASS "group $g"
			else
				result "own-group:$a" FAIL "group $g holds $m"
			fi
			;;
		esac
	done
}
check_diff() {
	seen=" "
	bad=""
	for a in "$@"; do
		g=$(group_of "$a")
		case $g in none|absent) bad="$bad $a:$g"; continue ;; esac
		case $seen in *" $g "*) bad="$bad $a:$g(shared)" ;; esac
		seen="$seen$g "
	done
	if [ -z "$bad" ]; then
		result "diff-group:$(echo "$*" | tr ' ' ',')" PASS "groups$seen"
	else
		result "diff-group:$(echo "$*" | tr ' ' ',')" FAIL "$bad"
	fi
}
check_no_groups() {
	n=$(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)
	if [ "$n" -eq 0 ]; then
		result no-groups PASS "/sys/kernel/iommu_groups is empty"
	else
		result no-groups FAIL "$n groups exist"
	fi
}
check_has_groups() {
	n=$(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)
	if [ "$n" -gt 0 ]; then
		result has-groups PASS "$n groups"
	else
		result has-groups FAIL "no IOMMU groups"
	fi
}
check_exists() {
	for a in "$@"; do
		if [ -e "/sys/bus/pci/devices/$(full_addr "$a")" ]; then
			result "exists:$a" PASS "$(cat "/sys/bus/pci/devices/$(full_addr "$a")/vendor"):$(cat "/sys/bus/pci/devices/$(full_addr "$a")/device")"
		else
			result "exists:$a" FAIL "no such device"
		fi
	done
}

run_expectations() {
	grep -E '^(expect-[a-z-]+|hotplug-expect-[a-z-]+):' "$topo" |
		while IFS=: read -r key rest; do
			case $key in
			"$1"expect-same-group) check_same $rest ;;
			"$1"expect-own-group) check_own $rest ;;
			"$1"expect-diff-group) check_diff $rest ;;
			"$1"expect-exists) check_exists $rest ;;
			"$1"expect-no-groups) check_no_groups ;;
			"$1"expect-has-groups) check_has_groups ;;
			esac
		done
}
run_expectations ""

# The module's group for every device must be the kernel's.
if [ $client = yes ]; then
	bad=""
	n=0
	for d in /sys/bus/pci/devices/*; do
		a=$(basename "$d")
		n=$((n + 1))
		out=$(module_agrees "$a") || bad="$bad; $out"
	done
	if [ -z "$bad" ]; then
		result module-groups PASS "module and sysfs agree on all $n devices"
	else
		result module-groups FAIL "${bad#; }"
	fi
fi

# The module driven from its YAML spec by the kernel's own YNL CLI
# (tools/net/ynl/pyynl/cli.py), run by the host's python3: the host's root
# is shared read-only over virtio-9p (topology key host-root).  The host
# compares the answers with the kernel's groups.
ynl_cli=$(topo_lines ynl-cli)
if [ -n "$ynl_cli" ]; then
	if [ $module = no ]; then
		result ynl SKIP "acs_inspect not loaded"
	# cache=loose: the host's root does not change under the guest, and
	# the five cli.py runs read the same python modules; uncached, each
	# lookup and read is a round trip, and the first cli.py run on the
	# 7.2 debug kernel had not finished after 5 minutes (23 KB/s).
	elif mkdir -p /host && mount -t 9p -o \
		trans=virtio,version=9p2000.L,ro,cache=loose \
		hostroot /host 2>/tmp/9p.err; then
		# The guest's own /proc and /dev, not the host's seen through 9p.
		mount -t proc proc /host/proc
		mount -t devtmpfs devtmpfs /host/dev
		ynl() {
			chroot /host /usr/bin/python3 "$ynl_cli" --no-schema \
				--spec "$(topo_lines ynl-spec)" "$@"
		}
		capture ynl-info ynl --do get-info --output-json
		capture ynl-dump ynl --dump get-device --output-json
		# One device by address, and the path up from the last device
		# (an endpoint: q35 puts the host bridge first).
		last=$(ls /sys/bus/pci/devices | tail -n 1)
		dom=$((0x${last%%:*}))
		rest=${last#*:}
		bus=$((0x${rest%%:*}))
		dev=${rest#*:}
		devfn=$(((0x${dev%.*} << 3) | ${dev#*.}))
		addr="{\"domain\": $dom, \"bus\": $bus, \"devfn\": $devfn}"
		echo "ACSX-YNL-ADDR $last"
		capture ynl-get ynl --do get-device --json "$addr" --output-json
		capture ynl-path ynl --do get-path --json "$addr" --output-json
		# The kernel's policy for get-device, as the family reports it.
		capture ynl-policy ynl --policy --do get-device --output-json
		umount /host/dev /host/proc /host
	else
		result ynl FAIL "mount 9p hostroot: $(cat /tmp/9p.err)"
	fi
fi

# Captures: the offline inputs of the tool's tests, saved by the host.
capture uname uname -r
capture cmdline cat /proc/cmdline
capture groups find /sys/kernel/iommu_groups/ -type l
capture lspci-xxxx lspci -xxxx
capture lspci-vvv lspci -vvvnn

# The tool's view, compared with the kernel's groups on the host (python,
# as busybox has no JSON parser).
run_tool() {
	tag=$1
	if [ $tool = no ]; then
		result "acsexplain-$tag" SKIP "user/acsexplain not built"
		return
	fi
	if [ "$2" = module ] && [ $module = no ]; then
		result "acsexplain-$tag" SKIP "acs_inspect not loaded"
		return
	fi
	if [ "$2" = module ]; then
		capture "json-$tag" acsexplain --source netlink --all --json
	else
		capture "json-$tag" acsexplain --source sysfs --all --json
	fi
}
run_tool module module
run_tool sysfs sysfs
# A snapshot of the module's facts: an offline fixture for the tool's tests.
if [ $tool = yes ] && [ $module = yes ]; then
	capture snapshot sh -c 'acsexplain --source netlink --all --save /tmp/snapshot.json >/dev/null && cat /tmp/snapshot.json'
fi

# Speed: acsexplain --all against the shell loop people copy from wikis
# (one lspci per device), on the same machine; the topology names the
# target ratio, which is reported, never enforced.  /proc/uptime ticks in 10 ms.
uptime_ms() {
	awk '{ printf "%d", $1 * 1000 }' /proc/uptime
}
min_ratio=$(topo_lines bench-min-ratio)
if [ -n "$min_ratio" ]; then
	if [ $tool = no ]; then
		result bench-shell-loop SKIP "user/acsexplain not built"
	elif [ -e /etc/acsexplain-sanitized ]; then
		result bench-shell-loop SKIP "ASan/UBSan build: timing not meaningful"
	else
		t0=$(uptime_ms)
		i=0
		while [ $i -lt 5 ]; do
			acsexplain --all --no-color >/dev/null 2>&1
			i=$((i + 1))
		done
		t1=$(uptime_ms)
		for d in /sys/kernel/iommu_groups/*/devices/*; do
			n=${d#*/iommu_groups/}
			n=${n%%/*}
			printf 'IOMMU Group %s ' "$n"
			lspci -nns "${d##*/}"
		done >/dev/null 2>&1
		t2=$(uptime_ms)
		ndev=$(ls /sys/bus/pci/devices | wc -l)
		# a figure, never a verdict: timing on a shared TCG guest is
		# no test (the check passes when both commands ran)
		ratio=$(awk -v a="$(( (t1 - t0) / 5 ))" -v b="$((t2 - t1))" \
			'BEGIN { if (a < 10) a = 10; printf "%.1f", b / a }')
		meets=$(awk -v r="$ratio" -v m="$min_ratio" \
			'BEGIN { print (r >= m ? "meets" : "below") }')
		result bench-shell-loop PASS "acsexplain --all $(( (t1 - t0) / 5 )) ms, shell loop $((t2 - t1)) ms on $ndev devices: ${ratio}x ($meets the ${min_ratio}x target)"
	fi
fi

dump_loop() { # dump_loop N OUT [ADDR]: N dumps of the module; per dump
	# its exit code, and whether ADDR existed when it ended, into OUT
	j=0
	while [ $j -lt "$1" ]; do
		acsexplain --source netlink --all --json >/dev/null 2>&1
		rc=$?
		if [ -e "/sys/bus/pci/devices/${3:-none}" ]; then
			echo "$rc present" >>"$2"
		else
			echo "$rc absent" >>"$2"
		fi
		j=$((j + 1))
	done
}

# dumps_ok NAME OUT: judge a dump loop run across a hot-plug event.  A dump
# torn by the event must be retried by the tool, never fail; a loop that
# did not span the event tested nothing.
dumps_ok() {
	np=$(grep -c present "$2")
	na=$(grep -c absent "$2")
	if grep -qv '^0 ' "$2"; then
		result "$1" FAIL "dump exit codes:$(cut -d' ' -f1 "$2" | sort | uniq -c | tr -s ' \n' ' ')"
	elif [ "$np" -eq 0 ] || [ "$na" -eq 0 ]; then
		result "$1" SKIP "the dumps did not span the event ($np with, $na without the device)"
	else
		result "$1" PASS "all exit 0: $na dumps without the device, $np with it"
	fi
}

# Hot-plug: the host adds and removes a device when asked on the console.
topo_lines hotplug | while read -r id addr rest; do
	addr=$(full_addr "$addr")
	[ $client = yes ] && info_before=$(acsi-client info 2>&1)
	dumping=no
	if [ $tool = yes ] && [ $module = yes ]; then
		dumping=yes
		rm -f /tmp/hpadd.rc
		dump_loop 40 /tmp/hpadd.rc "$addr" &
		loop_pid=$!
		# One dump before the event, so the loop spans it.
		k=0
		while [ ! -s /tmp/hpadd.rc ] && [ $k -lt 100 ]; do
			sleep 0.1
			k=$((k + 1))
		done
	fi
	echo "ACSX-HOTPLUG add $id $addr"
	i=0
	while [ ! -e "/sys/bus/pci/devices/$addr" ] && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
	done
	if [ ! -e "/sys/bus/pci/devices/$addr" ]; then
		result "hotplug-add:$id" FAIL "$addr did not appear within 60 s"
		continue
	fi
	result "hotplug-add:$id" PASS "$addr appeared after ${i}s in group $(group_of "$addr")"
	if [ $dumping = yes ]; then
		wait $loop_pid
		dumps_ok "hotplug-dumps-add:$id" /tmp/hpadd.rc
	fi
	if [ $events = yes ]; then
		if announced added "$addr"; then
			result "hotplug-event-add:$id" PASS "$(grep -m1 "^ACSI-EVENT added $addr " /tmp/events)"
		else
			result "hotplug-event-add:$id" FAIL "no 'added' event for $addr"
		fi
	fi
	if [ $client = yes ]; then
		if out=$(module_agrees "$addr"); then
			result "hotplug-module-get:$id" PASS "$out"
		else
			result "hotplug-module-get:$id" FAIL "$out"
		fi
	fi
	run_expectations hotplug-
	if [ $tool = yes ] && [ $module = yes ]; then
		capture "json-hotplug-added-$id" acsexplain --source netlink --all --json
	fi
	if [ $dumping = yes ]; then
		rm -f /tmp/hpdel.rc
		dump_loop 40 /tmp/hpdel.rc "$addr" &
		loop_pid=$!
		# One dump before the event, so the loop spans it.
		k=0
		while [ ! -s /tmp/hpdel.rc ] && [ $k -lt 100 ]; do
			sleep 0.1
			k=$((k + 1))
		done
	fi
	echo "ACSX-HOTPLUG del $id $addr"
	i=0
	while [ -e "/sys/bus/pci/devices/$addr" ] && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
	done
	if [ -e "/sys/bus/pci/devices/$addr" ]; then
		result "hotplug-del:$id" FAIL "$addr still present after 60 s"
		continue
	fi
	result "hotplug-del:$id" PASS "$addr gone after ${i}s"
	if [ $dumping = yes ]; then
		wait $loop_pid
		dumps_ok "hotplug-dumps-del:$id" /tmp/hpdel.rc
	fi
	if [ $events = yes ]; then
		if announced removed "$addr"; then
			result "hotplug-event-del:$id" PASS "$(grep -m1 "^ACSI-EVENT removed $addr " /tmp/events)"
		else
			result "hotplug-event-del:$id" FAIL "no 'removed' event for $addr"
		fi
	fi
	if [ $client = yes ]; then
		if out=$(acsi-client get "$addr" 2>&1); then
			result "hotplug-module-gone:$id" FAIL "still answers for $addr: $out"
		else
			result "hotplug-module-gone:$id" PASS "refused: $out"
		fi
		# Same device count as before the plug, a newer generation.
		if out=$(acsi-client info 2>&1); then
			n0=$(echo "$info_before" | sed -n 's/.* devices=\([0-9]*\).*/\1/p')
			g0=$(echo "$info_before" | sed -n 's/.* gen=\([0-9]*\).*/\1/p')
			n1=$(echo "$out" | sed -n 's/.* devices=\([0-9]*\).*/\1/p')
			g1=$(echo "$out" | sed -n 's/.* gen=\([0-9]*\).*/\1/p')
			if [ -n "$n0" ] && [ "$n0" = "$n1" ] && [ "${g1:-0}" -gt "${g0:-0}" ]; then
				result "hotplug-module-info:$id" PASS "devices $n0 -> $n1, generation $g0 -> $g1"
			else
				result "hotplug-module-info:$id" FAIL "before: $info_before; after: $out"
			fi
		else
			result "hotplug-module-info:$id" FAIL "$out"
		fi
	fi
	if [ $tool = yes ] && [ $module = yes ]; then
		capture "json-hotplug-removed-$id" acsexplain --source netlink --all --json
	fi
done

if [ $events = yes ]; then
	kill "$events_pid" 2>/dev/null
	wait "$events_pid" 2>/dev/null
	capture events cat /tmp/events
fi
# Stress (topologies with "stress: yes"): concurrent dumps must all succeed
# and agree; unloading while dumps run must neither oops nor hang, and the
# module must load and answer again afterwards.
if [ -n "$(topo_lines stress)" ] && [ $module = yes ]; then
	if [ $tool = no ]; then
		result stress-concurrent-dumps SKIP "user/acsexplain not built"
	else
		for k in 1 2 3 4; do
			(acsexplain --source netlink --all --json >/tmp/dump$k 2>&1
			 echo $? >/tmp/dump$k.rc) &
		done
		wait
		bad=""
		for k in 2 3 4; do
			cmp -s /tmp/dump1 /tmp/dump$k || bad="$bad dump$k differs;"
		done
		for k in 1 2 3 4; do
			[ "$(cat /tmp/dump$k.rc)" = 0 ] || bad="$bad dump$k exit $(cat /tmp/dump$k.rc);"
		done
		if [ -z "$bad" ]; then
			result stress-concurrent-dumps PASS "4 parallel dumps, identical output"
		else
			result stress-concurrent-dumps FAIL "$bad"
		fi
		rm -f /tmp/loop.rc
		dump_loop 30 /tmp/loop.rc &
		loop_pid=$!
		sleep 0.3
		t=0
		until rmmod acs_inspect 2>/tmp/rmmod.err; do
			t=$((t + 1))
			[ $t -ge 50 ] && break
			sleep 0.1
		done
		wait $loop_pid
		if lsmod | grep -q '^acs_inspect '; then
			result stress-unload-during-dump FAIL "rmmod kept failing: $(cat /tmp/rmmod.err)"
		else
			result stress-unload-during-dump PASS "unloaded after $t retries while dumping; dump exit codes (count code): $(cut -d' ' -f1 /tmp/loop.rc | sort | uniq -c | tr -s ' \n' ' ')"
			if insmod "$moddir/extra/acs_inspect.ko" kprobes=1 2>/tmp/insmod.err &&
				out=$(acsi-client info 2>&1); then
				result stress-reload PASS "$out"
			else
				result stress-reload FAIL "$(cat /tmp/insmod.err) $out"
			fi
		fi
	fi
fi

if [ $module = yes ]; then
	if rmmod acs_inspect 2>/tmp/rmmod.err; then
		result module-unload PASS "acs_inspect unloaded"
	else
		result module-unload FAIL "rmmod: $(cat /tmp/rmmod.err)"
	fi
fi

# The kernel log: no oops, BUG, warning splat or lockdep report anywhere.
dmesg >/tmp/dmesg
if grep -qE 'Oops|BUG:|WARNING:|Call Trace:|possible recursive locking|circular locking' /tmp/dmesg; then
	result kernel-log FAIL "$(grep -m1 -E 'Oops|BUG:|WARNING:|Call Trace:|locking' /tmp/dmesg)"
else
	result kernel-log PASS "no oops, BUG or WARNING"
fi
capture dmesg cat /tmp/dmesg

echo ACSX-DONE
poweroff -f
