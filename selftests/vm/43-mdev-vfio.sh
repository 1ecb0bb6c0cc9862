#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Through the VFIO uAPI on 32 vGPUs (8 on a slow, debug kernel: the same
# paths, concurrently; the Debian run has the 32): a copy job on each at once
# gives the right bytes; DMA to an unmapped IOVA faults only that VF; VF A
# can neither read nor write VF B's FB slice; trapped_accesses counts the
# accesses of open and set-up and does not grow with the number of jobs
# (the submission path is not trapped).
. ./lib.sh
. ./mdev-lib.sh

NVFS=32
[ "${JMGPU_SLOW:-1}" -gt 1 ] && NVFS=8
trap mdev_cleanup EXIT
plan 8
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
n=0
for v in $VFS; do
	mdev_create "$v" fb64m-w3 > /dev/null && n=$((n + 1))
done
check "$NVFS vGPUs fb64m-w3 created" [ $n = $NVFS ]
# shellcheck disable=SC2086
check "a copy job on each of the $NVFS vGPUs at once: bytes match" jmgpu_vgpu copy $VFS
a=$(vf_n 3)
b=$(vf_n 4)
check "DMA to an unmapped IOVA faults only VF A" jmgpu_vgpu fault "$a" "$b"
check "VF A cannot read or write VF B's FB slice" jmgpu_vgpu isolate "$a" "$b"
M=/sys/bus/mdev/devices/$(cut -d' ' -f1 /sys/bus/pci/devices/$b/jmgpu_vfio/vgpu)
sleep 1
check "jmgpu/faults of A counts the fault" eval '[ "$(cat /sys/bus/mdev/devices/$(cut -d" " -f1 /sys/bus/pci/devices/$a/jmgpu_vfio/vgpu)/jmgpu/faults)" -ge 1 ]'
# trapped accesses: the same program (jmgpu_bench: open, set up the ring,
# N copy jobs through the mmapped doorbell, close) with 10 and with 400
# jobs; its set-up goes through the driver (config space), its jobs do not
t0=$(cat $M/jmgpu/trapped_accesses)
jmgpu_bench "$b" 10 1 > $MDEV_TMP.b1
rc1=$?
t1=$(cat $M/jmgpu/trapped_accesses)
jmgpu_bench "$b" 400 1 > $MDEV_TMP.b2
rc2=$?
t2=$(cat $M/jmgpu/trapped_accesses)
diag "trapped accesses: open + 10 jobs $((t1 - t0)), open + 400 jobs $((t2 - t1)) (bench exit $rc1, $rc2)"
check "trapped accesses counted: open and set-up through the driver ($t0 -> $t1)" \
	eval '[ $rc1 = 0 ] && [ "$t1" -gt "$t0" ]'
check "trapped accesses independent of the job count (10 jobs: $((t1 - t0)), 400 jobs: $((t2 - t1)))" \
	eval '[ $rc2 = 0 ] && [ $((t1 - t0)) -gt 0 ] && [ $((t2 - t1)) = $((t1 - t0)) ]'
tap_done
