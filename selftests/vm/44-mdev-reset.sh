#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Reset isolation: while VF B runs a long stream of verified copy jobs, VF A
# is reset 100 times (VFIO_DEVICE_RESET = FLR + firmware VF reset); B's
# results are all correct and its throughput stays >= 50% of its rate
# alone; A works after each reset; after unprovision A's FB reads back 0.
. ./lib.sh
. ./mdev-lib.sh

NVFS=2
trap mdev_cleanup EXIT
plan 7
check "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
a=$(vf_n 0)
b=$(vf_n 1)
ua=$(mdev_create "$a" fb64m-w3)
ub=$(mdev_create "$b" fb128m-w6)
check "vGPUs on A and B" [ -e /sys/bus/mdev/devices/$ua ] && [ -e /sys/bus/mdev/devices/$ub ]
r0=$(cat /sys/bus/pci/devices/$a/jmgpu_vfio/resets)
check "100 resets of A while B streams: B correct, >= 50% throughput, A works" \
	jmgpu_vgpu reset "$a" "$b" 100 50
r1=$(cat /sys/bus/pci/devices/$a/jmgpu_vfio/resets)
diag "driver resets of A: $((r1 - r0)) (100 ioctl + last close)"
check "A's reset counter grew by 101" [ $((r1 - r0)) = 101 ]
check "A's FB still holds the pattern (reset keeps the slice)" jmgpu_vgpu fbcheck "$a" 0xc3
echo 1 > /sys/bus/mdev/devices/$ua/remove
ua=$(mdev_create "$a" fb64m-w3)
check "A unprovisioned and provisioned again" [ -e /sys/bus/mdev/devices/$ua ]
check "A's FB reads back zero after unprovision (scrubbed)" jmgpu_vgpu fbcheck "$a" 0
tap_done
