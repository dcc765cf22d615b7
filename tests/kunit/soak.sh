#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make soak: the acs_inspect module under a long soak in the KUnit kernel
# (6.1 with KASAN, kmemleak, lockdep/PROVE_LOCKING, DEBUG_LIST; refcount_t
# always checks saturation), built and cached by tests/kunit/run.sh.
#
# In the guest, acsi-soak (tests/kunit/acsi-soak.c) sends random and
# malformed requests built from the YNL spec, keeps dumps paused at random
# places, cycles hot-plug through sysfs (remove/rescan of an endpoint and
# of a bridge, sriov_numvfs down and up, PF remove/rescan), then loads
# and unloads the module with a dump in flight.  Last, while dumps stay
# paused and requests go on, this script hot-plugs an e1000e into an
# empty root port and removes it again over QMP (device_add/device_del,
# native PCIe hot-plug): last, because 6.1's pciehp makes lockdep report
# on the first hot-add, and lockdep turns itself off after a report.
#
# The last line is "soak: N messages, N hot-plug cycles, N unloads, N
# reports", N reports counting those that involve acs_inspect (a frame
# or lock site of the module; kreports.py): KASAN, lockdep, DEBUG_LIST,
# refcount, oops, kmemleak.  A guest that never finished and a disabled
# kmemleak count too.  Reports without an acs_inspect frame are kernel
# bugs elsewhere: printed and counted on their own line, not failed.
# Fewer cycles than asked are printed, not judged.
#
# Environment: ACSX_SOAK_MESSAGES (100000), ACSX_SOAK_CYCLES (sysfs
# hot-plug cycles, 200), ACSX_SOAK_QMP (QMP cycles, 20), ACSX_SOAK_UNLOADS
# (100), ACSX_SOAK_TIMEOUT (seconds, 7200), and run.sh's ACSX_KUNIT_CACHE.
# Exit codes: 0 no kernel report, 1 reports, 2 setup or build failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The machine, the init's start and end: the same as run.sh's.
# shellcheck source=tests/kunit/stress-vm.sh
. "$HERE/stress-vm.sh"
CACHE=${ACSX_KUNIT_CACHE:-/var/cache/acsexplain/kunit}
MESSAGES=${ACSX_SOAK_MESSAGES:-100000}
CYCLES=${ACSX_SOAK_CYCLES:-200}
QMP_CYCLES=${ACSX_SOAK_QMP:-20}
UNLOADS=${ACSX_SOAK_UNLOADS:-100}
TIMEOUT=${ACSX_SOAK_TIMEOUT:-7200}
RUNDIR=$CACHE/soak
KERNEL=$CACHE/build/arch/x86/boot/bzImage
KO=$CACHE/mod-acs_inspect/kmod/acs_inspect.ko

die() { echo "soak: $*" >&2; exit 2; }
step() { printf '== %s (%ds)\n' "$*" "$SECONDS"; }

"$HERE/run.sh" --build-only || die "build failed (tests/kunit/run.sh --build-only)"
for f in "$KERNEL" "$KO" "$CACHE/acsi-soak"; do
	[ -e "$f" ] || die "$f missing after the build"
done

# The cache's kernel and binaries are rebuilt by any run.sh: copy them
# under its lock, then let other runs go on during the long VM.
exec 9>"$CACHE/.lock"
flock 9
step "initramfs"
stress_vm_root "$RUNDIR" "${ACSX_BUSYBOX:-/bin/busybox}"
cp "$KO" "$CACHE/acsi-soak" "$RUNDIR/root/"
cp "$KERNEL" "$RUNDIR/bzImage"
exec 9>&-
cat >"$RUNDIR/root/init" <<EOF
$STRESS_VM_INIT_START
insmod /acs_inspect.ko kprobes=1
echo "acsx: acs_inspect insmod exit \$?"
$STRESS_VM_INIT_VFS
/acsi-soak --module /acs_inspect.ko --messages $MESSAGES --cycles $CYCLES \\
	--unloads $UNLOADS --qmp-wait $((QMP_CYCLES * 60 + 300))
echo "acsx: acsi-soak exit \$?"
$STRESS_VM_INIT_END
EOF
stress_vm_initramfs "$RUNDIR"

LOG=$RUNDIR/console.log
QMP=$RUNDIR/qmp.sock
step "booting (QEMU TCG): $MESSAGES messages, $CYCLES sysfs and $QMP_CYCLES QMP hot-plug cycles, $UNLOADS unloads"
t0=$SECONDS
stress_vm_boot "$TIMEOUT" "$RUNDIR/bzImage" "$RUNDIR/initramfs.cpio.gz" "$LOG" \
	-qmp "unix:$QMP,server=on,wait=off" &
qemu=$!

# QMP cycles once the guest says so (after the unloads), on root ports
# rp17..rp23 in turn; a cycle counts when the guest ejected the device
# (DEVICE_DELETED).  Then a pci-testdev on rp24 tells the guest to stop.
python3 - "$QMP" "$LOG" "$QMP_CYCLES" "$RUNDIR/qmp-cycles" "$TIMEOUT" <<'PY' &
import json, select, socket, sys, time

path, log, want, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
timeout = int(sys.argv[5])
done = 0
with open(out, "w") as f:
    f.write("0\n")


def ready():
    try:
        with open(log, errors="replace") as f:
            text = f.read()
            return "ACSX-SOAK-PHASE qmp" in text or "acsx: done" in text
    except OSError:
        return False


deadline = time.time() + timeout
while not ready() and time.time() < deadline:
    time.sleep(5)
s = socket.socket(socket.AF_UNIX)
s.connect(path)
buf = b""
events = []


def read_msg(until):
    """The next QMP message, or None once time.time() passes @until."""
    global buf
    while b"\n" not in buf:
        left = until - time.time()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            return None
        data = s.recv(65536)
        if not data:
            raise EOFError("QMP socket closed")
        buf += data
    line, buf = buf.split(b"\n", 1)
    return json.loads(line)


def cmd(execute, **args):
    s.sendall(json.dumps({"execute": execute, "arguments": args}).encode())
    while True:
        msg = read_msg(time.time() + 600)
        if msg is None:
            raise TimeoutError(f"no answer to {execute}")
        if "return" in msg or "error" in msg:
            return msg
        events.append(msg)


def wait_event(name, dev, secs):
    until = time.time() + secs
    while True:
        for e in events:
            if e.get("event") == name and e.get("data", {}).get("device") == dev:
                events.remove(e)
                return True
        msg = read_msg(until)
        if msg is None:
            return False
        events.append(msg)


read_msg(time.time() + 60)          # greeting
cmd("qmp_capabilities")
try:
    for i in range(want):
        dev = f"hp{i}"
        r = cmd("device_add", driver="e1000e", bus=f"rp{17 + i % 7}",
                id=dev, romfile="")
        if "error" in r:
            print(f"qmp: device_add: {r['error']}", file=sys.stderr)
            break
        # QEMU refuses device_del while the guest's pciehp still blinks
        # the power indicator (it waits 5 s after the attention button
        # before powering the slot on): ask again until it takes it.
        until = time.time() + 300
        while True:
            r = cmd("device_del", id=dev)
            if "error" not in r or time.time() > until:
                break
            time.sleep(2)
        if "error" in r:
            print(f"qmp: device_del: {r['error']}", file=sys.stderr)
            break
        if not wait_event("DEVICE_DELETED", dev, 300):
            print(f"qmp: {dev} was not ejected", file=sys.stderr)
            break
        done += 1
        with open(out, "w") as f:
            f.write(f"{done}\n")
finally:
    # The guest's signal to stop its QMP phase.
    cmd("device_add", driver="pci-testdev", bus="rp24", id="soak-end")
PY
qmp_pid=$!
rc=0
wait $qemu || rc=$?
# A guest that died before the QMP phase leaves the script waiting.
kill "$qmp_pid" 2>/dev/null || true
wait $qmp_pid 2>/dev/null || true
echo "VM ran $((SECONDS - t0)) s (qemu exit $rc); console log: $LOG"
grep -v 'has no peer' "$RUNDIR/qemu.err" >&2 || true
tr -d '\r' <"$LOG" >"$LOG.tmp" && mv "$LOG.tmp" "$LOG"

# Judge: reports involving acs_inspect fail the soak; the others are
# printed and counted apart (kreports.py says which is which).
python3 "$HERE/kreports.py" "$LOG" >"$RUNDIR/reports.txt"
cat "$RUNDIR/reports.txt"
kline=$(tail -1 "$RUNDIR/reports.txt")
reports=$(sed -n 's/^kreports: \([0-9]*\) acs_inspect.*/\1/p' <<<"$kline")
others=$(sed -n 's/.* \([0-9]*\) other$/\1/p' <<<"$kline")
[ -n "$reports" ] || die "kreports.py failed"
if grep -q 'kmemleak: Kernel memory leak detector disabled' "$LOG"; then
	echo "soak: kmemleak disabled itself: counted as a report"
	reports=$((reports + 1))
fi
if ! grep -q '^acsx: done' "$LOG"; then
	echo "soak: the guest did not finish (hang or crash): counted as a report"
	reports=$((reports + 1))
fi
grep -E '^ACSX-(CHECK|SOAK)' "$LOG" || true
soakline=$(grep '^ACSX-SOAK ' "$LOG" | tail -1 || true)
get() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$soakline"; }
messages=$(get messages)
cycles=$(get cycles)
unloads=$(get unloads)
qmp=$(cat "$RUNDIR/qmp-cycles" 2>/dev/null || echo 0)
echo "soak: ${messages:-0} messages, $(( ${cycles:-0} + qmp )) hot-plug cycles ($qmp over QMP), ${unloads:-0} unloads, $((SECONDS - t0)) s"
echo "soak: $others kernel reports without an acs_inspect frame (not counted; see above)"
echo "soak: ${messages:-0} messages, $(( ${cycles:-0} + qmp )) hot-plug cycles, ${unloads:-0} unloads, $reports reports"
[ "$reports" -eq 0 ]
