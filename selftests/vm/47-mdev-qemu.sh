#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# QEMU, the real client: a nested QEMU passes a provisioned VF through with
# its own vfio-pci (-device vfio-pci,host=<VF>) to a bare-metal multiboot
# payload (selftests/vm/payload/) that finds the VF by port-I/O config
# space, programs BAR0, runs copy jobs through the VF engine with the ring
# and buffers in its RAM (DMA through the VFIO mapping QEMU made) and
# reports through isa-debug-exit: exit status 33 = all checks passed.
. ./lib.sh
. ./mdev-lib.sh

NVFS=2
trap mdev_cleanup EXIT
plan 5
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
vf=$(vf_n 1)
u=$(mdev_create "$vf" fb128m-w6)
check "vGPU on $vf" [ -e /sys/bus/mdev/devices/$u ]
qemu=$(command -v qemu-system-x86_64)
elf=/jmgpu/bin/jmgpu_payload.elf
if [ -z "$qemu" ] || [ ! -f $elf ]; then
	skip "nested QEMU runs the payload" "qemu-system-x86_64 or payload missing"
	skip "payload debug console" "no run"
	skip "QEMU closed the VF (jmgpu/open 0)" "no run"
	tap_done
	exit 0
fi
t0=$(cut -d' ' -f1 /proc/uptime)
timeout 120 "$qemu" -L /usr/share/seabios -L /usr/share/qemu -accel tcg \
	-machine q35 -m 64M -nographic -nodefaults -no-reboot \
	-device vfio-pci,host="$vf",rombar=0 \
	-device isa-debug-exit,iobase=0xf4,iosize=4 \
	-debugcon file:$MDEV_TMP.con -global isa-debugcon.iobase=0xe9 \
	-kernel $elf > $MDEV_TMP.qemu 2>&1
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
diag "nested QEMU exit status $rc after $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
sed 's/^/# qemu: /' $MDEV_TMP.qemu | head -n 10
check "nested QEMU ran the payload: exit status 33 (copy jobs verified)" [ $rc = 33 ]
sed 's/^/# payload: /' $MDEV_TMP.con 2>/dev/null
check "payload debug console says so" grep -q "copy jobs ok" $MDEV_TMP.con
check "QEMU closed the VF (jmgpu/open 0)" [ "$(cat /sys/bus/mdev/devices/$u/jmgpu/open)" = 0 ]
tap_done
