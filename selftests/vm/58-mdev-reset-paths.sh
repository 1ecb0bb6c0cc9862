#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every reset path of a vGPU resets its VF in the firmware, exactly once:
# the reset at open, a guest FLR written into the emulated PCIe DevCtl
# (through the VFIO config region), VFIO_DEVICE_RESET, the host's sysfs
# "reset", the last close; a VFIO hot reset of a VF is refused. Each path
# clears the ring / fence / fault state the firmware keeps for the VF and
# the VF works afterwards (jmgpu_resetpath, relayed). The VF's neighbour
# is untouched: its firmware reset count stays 0.
. ./lib.sh
. ./mdev-lib.sh

NVFS=2
trap mdev_cleanup EXIT
mdev_pair fb64m-w3 fb64m-w3
D=/sys/kernel/debug/jmgpu/$pf
nb0=$(grep -c "\] reset vf$ib\$" $D/fw_log)
jmgpu_resetpath "$a" "$pf" "$ia" > $MDEV_TMP.rp 2>&1
tap_relay $MDEV_TMP.rp "A: "
check "B (vf$ib) was not reset by A's resets" same "$(grep -c "\] reset vf$ib\$" $D/fw_log)" "$nb0"
plan_end
tap_done
