# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2016,SC2034,SC2054
# (guest variables stay unexpanded; the sourcing scripts use the rest;
# QEMU options have commas)
#
# The VM of the KUnit kernel's module stages, sourced by tests/kunit/run.sh
# (the acsi-stress stage and the short soak) and tests/kunit/soak.sh (make
# soak): one machine, one init around the test, one way to boot it.

# Enough devices that a 4 KiB dump read takes several chunks: 24 root
# ports, a switch below the first, NICs below it and two other ports, and
# an SR-IOV NVMe PF (7 VFs) on the fourth.  Two CPUs: the hot-plug checks
# race handlers against removal.  Root ports rp17..rp24 stay empty (make
# soak hot-plugs into them).
STRESS_VM_DEVS=(-device intel-iommu
	-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off)
for slot in 2 3 4; do
	for fn in 0 1 2 3 4 5 6 7; do
		n=$(((slot - 2) * 8 + fn + 1))
		mf=
		[ "$fn" = 0 ] && mf=,multifunction=on
		STRESS_VM_DEVS+=(-device "pcie-root-port,id=rp$n,bus=pcie.0,chassis=$n,addr=$slot.$fn$mf")
	done
done
STRESS_VM_DEVS+=(-device x3130-upstream,id=up,bus=rp1
	-device xio3130-downstream,id=dn1,bus=up,chassis=31,slot=0
	-device xio3130-downstream,id=dn2,bus=up,chassis=32,slot=1
	-device e1000e,bus=dn1,romfile= -device e1000e,bus=rp2,romfile=
	-device e1000e,bus=rp3,romfile=
	-device nvme-subsys,id=subsys1
	-device nvme,bus=rp4,serial=acsx0010,subsys=subsys1,sriov_max_vfs=7,sriov_vq_flexible=14,sriov_vi_flexible=7,max_ioqpairs=16,msix_qsize=10)

# stress_vm_root DIR BUSYBOX: an initramfs tree with busybox in DIR.
stress_vm_root() {
	rm -rf "$1"
	mkdir -p "$1/root/bin" "$1/root/proc" "$1/root/sys" "$1/root/dev"
	cp "$2" "$1/root/bin/busybox"
}

# The init's start: mounts, and kmemleak made to forget boot-time objects
# (aged past kmemleak's 5 s minimum, reported once and marked seen), so
# that only the test window counts.
STRESS_VM_INIT_START='#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
ml=/sys/kernel/debug/kmemleak
sleep 6
echo scan >$ml
echo clear >$ml'

# SR-IOV without the NVMe driver: pci-pf-stub takes QEMU's NVMe PF
# (1b36:0010) and gives it sriov_numvfs; the VFs get no driver.
STRESS_VM_INIT_VFS='for d in /sys/bus/pci/devices/*; do
	[ -e $d/sriov_totalvfs ] && pf=$d
done
echo 1b36 0010 >/sys/bus/pci/drivers/pci-pf-stub/new_id
echo 0 >$pf/sriov_drivers_autoprobe
echo 7 >$pf/sriov_numvfs'

# The init's end: the module out, two kmemleak scans, the report between
# markers the judges look for, and power off.
STRESS_VM_INIT_END='rmmod acs_inspect
sleep 6
echo scan >$ml
echo scan >$ml
echo "acsx: kmemleak report begin"
cat $ml
echo "acsx: kmemleak report end"
echo "acsx: done"
poweroff -f'

# stress_vm_initramfs DIR: DIR/root packed into DIR/initramfs.cpio.gz.
stress_vm_initramfs() {
	chmod +x "$1/root/init"
	(cd "$1/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$1/initramfs.cpio.gz"
}

# stress_vm_boot TIMEOUT KERNEL INITRD LOG [QEMU ARGS...]: boot the
# machine under QEMU (TCG); QEMU's complaints go to LOG's directory.
stress_vm_boot() {
	local timeout=$1 kernel=$2 initrd=$3 log=$4

	shift 4
	timeout "$timeout" qemu-system-x86_64 -nodefaults -accel tcg -M q35 -cpu max \
		-smp 2 -m 1024 "${STRESS_VM_DEVS[@]}" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 printk.time=0 panic=-1 oops=panic loglevel=7 kmemleak=on intel_iommu=on" \
		-display none -serial "file:$log" -monitor none -no-reboot "$@" \
		</dev/null 2>"$(dirname "$log")/qemu.err"
}
