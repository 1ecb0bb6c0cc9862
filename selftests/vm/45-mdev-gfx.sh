#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Mediated display, one behaviour per line: the vGPU's own monitor
# (jmgpu/monitor: 1024x768 by default, shown to the guest and in the EDID
# region at open; bad writes refused; a write while open reaches the guest
# with INT_DISPLAY, unless the VMM wrote the EDID region); the EDID
# region's limits are the profile's and bad EDIDs are refused; the EDID written as QEMU writes
# it reaches the guest's EDID window (link, size, INT_DISPLAY); link down
# and the last close disconnect the monitor; QUERY_GFX_PLANE reports the
# committed plane and its pixels through the plane region; a flip changes
# region_index to a region showing the new buffer, and a rebound region's
# old mapping follows; a refused commit leaves the plane; another vGPU's
# plane is not disturbed; a PF recovery keeps the host's monitor. Headless
# profiles have no display.
. ./lib.sh
. ./mdev-lib.sh

NVFS=4
trap mdev_cleanup EXIT
plan 18
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
a=$(vf_n 0)
b=$(vf_n 1)
c=$(vf_n 2)
d=$(vf_n 3)
u=$(mdev_create "$a" fb128m-w6)
check "vGPU fb128m-w6 (2560x1440) on VF0" [ -e /sys/bus/mdev/devices/$u ]
mon=/sys/bus/mdev/devices/$u/jmgpu/monitor
check "jmgpu/monitor 1024x768 by default: at open the VF's EDID window and the EDID region show it, link 1" \
	eval 'same "$(cat $mon)" 1024x768 &&
	      jmgpu_vgpu gfx "$a" 2560 1440 hostmon 1024x768'

# bad_monitor <uuid> <value> <error> <text>: writing <value> to the vGPU's
# jmgpu/monitor fails with <error>, one dmesg line of the vGPU says
# <text>, the monitor stays as it was
bad_monitor() {
	_m=/sys/bus/mdev/devices/$1/jmgpu/monitor
	_was=$(cat $_m)
	dmesg_mark
	_err=$(try_write $_m "$2")
	_log=$(newdmesg | grep -F "$1" | grep -F "monitor")
	if [ "$_err" = "$3" ] && [ "$(echo "$_log" | grep -cF "$4")" = 1 ] &&
	   [ "$(cat $_m)" = "$_was" ]; then
		return 0
	fi
	diag "monitor '$2' (profile $(cat /sys/bus/mdev/devices/$1/jmgpu/profile)): error '$_err', want '$3'; reads '$(cat $_m)', was '$_was'; dmesg: '$_log', want one line with '$4'"
	return 1
}
uc=$(mdev_create "$c" fb32m-w1-headless)
ud=$(mdev_create "$d" fb256m-w25)
nbad=0
for row in "$u|0x0|Invalid argument|0x0 refused: width and height must both be at least 1" \
	"$u|1024x0|Invalid argument|1024x0 refused: width and height" \
	"$u|2576x1440|Invalid argument|2576x1440 refused: over the profile's maximum resolution 2560x1440" \
	"$u|2560x1441|Invalid argument|2560x1441 refused: over the profile's maximum" \
	"$u|banana|Invalid argument|'banana' refused: write WxH" \
	"$u|1024x768x60|Invalid argument|'1024x768x60' refused: write WxH" \
	"$u| 1024x768|Invalid argument|' 1024x768' refused: write WxH" \
	"$u|-1x768|Invalid argument|'-1x768' refused: write WxH" \
	"$ud|4096x2160|Invalid argument|4096x2160 refused: an EDID detailed timing holds at most 4095" \
	"$uc|1024x768|Operation not supported|1024x768 refused: the vGPU's profile is headless"; do
	_ifs=$IFS
	IFS='|'
	# shellcheck disable=SC2086
	set -- $row
	IFS=$_ifs
	bad_monitor "$1" "$2" "$3" "$4" || nbad=$((nbad + 1))
done
check "jmgpu/monitor refuses 0, over the profile, over 4095 (EDID), not WxH: EINVAL; headless: EOPNOTSUPP; one dmesg line each" \
	eval '[ $nbad = 0 ] &&
	      same "$(cat /sys/bus/mdev/devices/$uc/jmgpu/monitor)" none &&
	      [ -z "$(try_write /sys/bus/mdev/devices/$uc/jmgpu/monitor none)" ] &&
	      same "$(cat /sys/bus/mdev/devices/$ud/jmgpu/monitor)" 1024x768'
check "jmgpu/monitor written while open: the guest's EDID follows, INT_DISPLAY; none unplugs; after the VMM's EDID only recorded" \
	jmgpu_vgpu gfx "$a" 2560 1440 monitor $mon
# the rows below are about the monitor QEMU writes: the host sets none
try_write $mon none
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
# the host's monitor through a PF recovery
try_write $mon 1280x720
rm -f $MDEV_TMP.stop
jmgpu_vgpu gfx "$a" 2560 1440 recovery $MDEV_TMP.stop > $MDEV_TMP.rec 2>&1 &
rp=$!
i=0
while ! grep -q connected $MDEV_TMP.rec && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
jmgpu_fault "$pf" hang > /dev/null
i=0
while [ "$(cat /sys/bus/mdev/devices/$u/jmgpu/recoveries)" = 0 ] && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done
touch $MDEV_TMP.stop
wait $rp
r=$?
grep '^#' $MDEV_TMP.rec
check "PF recovery (firmware hang) keeps the VF's monitor (the host's, 1280x720) and EDID" \
	eval '[ $r = 0 ] && grep -q "host.s monitor: 1280x720" $MDEV_TMP.rec &&
	      [ "$(cat /sys/bus/mdev/devices/$u/jmgpu/recoveries)" -ge 1 ]'
jmgpu_vgpu gfx "$c" 0 0 limits > $MDEV_TMP.gfx 2>&1
check "headless profile (vGPU on VF2): no EDID region" \
	eval '[ -e /sys/bus/mdev/devices/$uc ] && grep -q "no EDID region" $MDEV_TMP.gfx'
check "headless VF still runs jobs" jmgpu_vgpu copy "$c"
tap_done
