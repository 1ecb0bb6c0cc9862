#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Mediated display: the EDID region's limits are the profile's; bad EDIDs
# are refused; QUERY_GFX_PLANE returns the plane the guest programmed in
# the VF scanout registers, and the pattern written into the scanout reads
# back through the plane's region. Headless profiles have neither.
. ./lib.sh
. ./mdev-lib.sh

NVFS=2
trap mdev_cleanup EXIT
plan 6
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
a=$(vf_n 0)
b=$(vf_n 1)
u=$(mdev_create "$a" fb128m-w6)
check "vGPU fb128m-w6 (2560x1440) on VF0" [ -e /sys/bus/mdev/devices/$u ]
check "EDID region + plane: values and pixels" jmgpu_vgpu gfx "$a" 2560 1440
check "jmgpu/display shows the accepted EDID mode" \
	same "$(cat /sys/bus/mdev/devices/$u/jmgpu/display)" "down 1024x768"
ub=$(mdev_create "$b" fb32m-w1-headless)
jmgpu_vgpu gfx "$b" 0 0 > $MDEV_TMP.gfx 2>&1
check "headless profile (vGPU on VF1): no EDID region" \
	eval '[ -e /sys/bus/mdev/devices/$ub ] && grep -q "no EDID region" $MDEV_TMP.gfx'
check "headless VF still runs jobs" jmgpu_vgpu copy "$b"
tap_done
