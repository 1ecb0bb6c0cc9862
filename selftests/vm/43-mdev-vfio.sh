#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Through the VFIO uAPI on 32 vGPUs: a copy job on each of the 32 at once
# gives the right bytes; DMA to an unmapped IOVA faults only that VF; VF A
# can neither read nor write VF B's FB slice; the submission path is not
# trapped (trapped_accesses does not grow with the jobs).
. ./lib.sh
. ./mdev-lib.sh

NVFS=32
trap mdev_cleanup EXIT
plan 7
check "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
n=0
for v in $VFS; do
	mdev_create "$v" fb64m-w3 > /dev/null && n=$((n + 1))
done
check "32 vGPUs fb64m-w3 created" [ $n = 32 ]
# shellcheck disable=SC2086
check "a copy job on each of the 32 vGPUs at once: bytes match" jmgpu_vgpu copy $VFS
a=$(vf_n 3)
b=$(vf_n 4)
check "DMA to an unmapped IOVA faults only VF A" jmgpu_vgpu fault "$a" "$b"
check "VF A cannot read or write VF B's FB slice" jmgpu_vgpu isolate "$a" "$b"
M=/sys/bus/mdev/devices/$(cut -d' ' -f1 /sys/bus/pci/devices/$b/jmgpu_vfio/vgpu)
sleep 1
check "jmgpu/faults of A counts the fault" eval '[ "$(cat /sys/bus/mdev/devices/$(cut -d" " -f1 /sys/bus/pci/devices/$a/jmgpu_vfio/vgpu)/jmgpu/faults)" -ge 1 ]'
t0=$(cat $M/jmgpu/trapped_accesses)
jmgpu_vgpu copy "$b" > /dev/null
t1=$(cat $M/jmgpu/trapped_accesses)
jmgpu_vgpu copy "$b" > /dev/null
t2=$(cat $M/jmgpu/trapped_accesses)
diag "trapped accesses per open+2 jobs: $((t1 - t0)), $((t2 - t1)); jobs $(cat $M/jmgpu/jobs)"
check "trapped accesses independent of the job count (setup only)" [ $((t1 - t0)) = $((t2 - t1)) ]
tap_done
