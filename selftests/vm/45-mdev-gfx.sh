#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Mediated display, one behaviour per line: the EDID region's limits are
# the profile's and bad EDIDs are refused; the EDID written as QEMU writes
# it reaches the guest's EDID window (link, size, INT_DISPLAY); link down
# and the last close disconnect the monitor; QUERY_GFX_PLANE reports the
# committed plane and its pixels through the plane region; a flip changes
# region_index to a region showing the new buffer, and a rebound region's
# old mapping follows; a refused commit leaves the plane; another vGPU's
# plane is not disturbed. Headless profiles have no display.
. ./lib.sh
. ./mdev-lib.sh

NVFS=3
trap mdev_cleanup EXIT
plan 14
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
a=$(vf_n 0)
b=$(vf_n 1)
c=$(vf_n 2)
u=$(mdev_create "$a" fb128m-w6)
check "vGPU fb128m-w6 (2560x1440) on VF0" [ -e /sys/bus/mdev/devices/$u ]
check "EDID region: the profile's limits, bad EDIDs refused" \
	jmgpu_vgpu gfx "$a" 2560 1440 limits
check "EDID written as QEMU does: in the VF's EDID window, link 1, INT_DISPLAY" \
	jmgpu_vgpu gfx "$a" 2560 1440 edid
check "jmgpu/display: the accepted EDID mode, down after close" \
	same "$(cat /sys/bus/mdev/devices/$u/jmgpu/display)" "down 1024x768"
check "EDID link down: the VF's monitor is disconnected, INT_DISPLAY" \
	jmgpu_vgpu gfx "$a" 2560 1440 linkdown
check "last close disconnects the monitor the user connected" \
	jmgpu_vgpu gfx "$a" 2560 1440 close
check "committed plane: QUERY values, pixels through the plane region" \
	jmgpu_vgpu gfx "$a" 2560 1440 plane
check "flip to a second buffer: new region_index showing its pixels" \
	jmgpu_vgpu gfx "$a" 2560 1440 flip
check "plane region rebound by a flip: its old mapping shows the new buffer" \
	jmgpu_vgpu gfx "$a" 2560 1440 remap
check "commit with stride too small: SCANOUT_STATUS 3, QUERY keeps the plane" \
	jmgpu_vgpu gfx "$a" 2560 1440 badcommit
ub=$(mdev_create "$b" fb64m-w3)
check "VF1's plane undisturbed by VF0's bad and good commits" \
	jmgpu_vgpu gfx "$a" 2560 1440 other "$b"
uc=$(mdev_create "$c" fb32m-w1-headless)
jmgpu_vgpu gfx "$c" 0 0 limits > $MDEV_TMP.gfx 2>&1
check "headless profile (vGPU on VF2): no EDID region" \
	eval '[ -e /sys/bus/mdev/devices/$uc ] && grep -q "no EDID region" $MDEV_TMP.gfx'
check "headless VF still runs jobs" jmgpu_vgpu copy "$c"
tap_done
