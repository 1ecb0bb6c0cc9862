#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# PF recovery reaches the user of an open VF as a reset: the firmware is
# hung (test-only fault block, jmgpu_fault), jmgpu_pf recovers it, and
# jmgpu_vfio_pci signals the VF's VFIO error eventfd; after
# VFIO_DEVICE_RESET the vGPU runs jobs again; jmgpu/recoveries counts it.
. ./lib.sh
. ./mdev-lib.sh

NVFS=2
trap mdev_cleanup EXIT
plan 4
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
vf=$(vf_n 0)
u=$(mdev_create "$vf" fb64m-w3) || diag "vGPU on $vf not created"
jmgpu_vgpu recovery "$vf" 30 > $MDEV_TMP.rec 2>&1 &
rp=$!
i=0
while ! grep -q armed $MDEV_TMP.rec && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "VF open with an error eventfd" grep -q armed $MDEV_TMP.rec
jmgpu_fault "$pf" hang > /dev/null
wait $rp
r=$?
grep '^#' $MDEV_TMP.rec
check "firmware hang -> PF recovery -> error eventfd; VF works after reset" [ $r = 0 ]
check "jmgpu/recoveries counts it" [ "$(cat /sys/bus/mdev/devices/$u/jmgpu/recoveries)" -ge 1 ]
tap_done
