#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The cloud desktop, end to end: a nested QEMU shows a vGPU with its own
# vfio display (-device vfio-pci,...,display=on). The bare-metal payload
# (-append display, payload/display.c) reads the VF's monitor (link, EDID
# window), takes its preferred mode, draws the test image
# (payload/testimage.c) into its slice and flips to it; QEMU's own
# screendump (QMP) must then equal the expected image pixel for pixel
# (jmgpu_testimage cmp). QEMU 10's region display (the one a jmgpu vGPU
# has: no dma-buf) writes no EDID (QEMU sets up the EDID region on its
# dma-buf path only, and refuses xres/yres without it), so the monitor is
# the vGPU's own, set on the host (jmgpu/monitor: 1024x768, then 640x400):
# the monitor row checks that host and guest agree on it, and a swap of
# the monitor while the guest runs reaches it. Handshake: the
# payload says on the debug console what it showed, the test takes the
# screendump and writes the next step into CMOS byte 0x40 (HMP "o").
. ./lib.sh
. ./mdev-lib.sh
PATH=$PATH:/jmgpu/bin

NVFS=2
trap 'kill $qpid 2>/dev/null; mdev_cleanup' EXIT
plan 14
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
vf=$(vf_n 0)
other=$(vf_n 1)
u=$(mdev_create "$vf" fb64m-w3)
uo=$(mdev_create "$other" fb128m-w6)
require "vGPU fb64m-w3 (1 head, 1920x1080) on $vf, fb128m-w6 on $other" \
	eval '[ -e /sys/bus/mdev/devices/$u ] && [ -e /sys/bus/mdev/devices/$uo ]'
other_before=$(cat /sys/bus/mdev/devices/$uo/jmgpu/display 2>&1)
qemu=$(command -v qemu-system-x86_64)
elf=/jmgpu/bin/jmgpu_payload.elf
sock=$MDEV_TMP.qmp
qpid=

qmp() { jmgpu_qmp $sock "$@" > $MDEV_TMP.qmpout 2>&1 || { sed 's/^/# qmp: /' $MDEV_TMP.qmpout; return 1; }; }

# wait_con <text> <seconds>: the payload printed <text> (QEMU still runs);
# the wait scales with a slow (debug) guest kernel's JMGPU_SLOW
wait_con() {
	_n=0
	while [ $_n -lt $(($2 * ${JMGPU_SLOW:-1})) ]; do
		grep -qF "$1" $MDEV_TMP.con 2>/dev/null && return 0
		kill -0 "$qpid" 2>/dev/null || break
		sleep 1
		_n=$((_n + 1))
	done
	grep -qF "$1" $MDEV_TMP.con 2>/dev/null && return 0
	diag "payload did not say '$1' (QEMU $(kill -0 "$qpid" 2>/dev/null && echo running || echo gone))"
	return 1
}

# shot <name> <w> <h> <frame>: QEMU's screendump equals frame <frame>
shot() {
	rm -f $MDEV_TMP.$1.ppm
	qmp "{\"execute\":\"screendump\",\"arguments\":{\"filename\":\"$MDEV_TMP.$1.ppm\"}}" || return 1
	jmgpu_testimage cmp "$2" "$3" "$4" $MDEV_TMP.$1.ppm > $MDEV_TMP.cmp 2>&1
	_rc=$?
	sed 's/^/# /' $MDEV_TMP.cmp
	return $_rc
}

# go <step>: the payload may go on (CMOS byte 0x40 := step, written
# while the guest is stopped)
go() {
	qmp '{"execute":"stop"}' \
	    '{"execute":"human-monitor-command","arguments":{"command-line":"o /b 0x70 0x40"}}' \
	    "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"o /b 0x71 $1\"}}" \
	    '{"execute":"cont"}'
}

# display_run <w> <h> [quick]: the vGPU's monitor set to WxH on the host
# (jmgpu/monitor), nested QEMU, the payload up to its exit; without quick
# the monitor is swapped to 800x600 after frame 1. Sets r_mode r_f1 r_f2
# r_bad r_keep r_swap (0 = good), rc and r_host (the vGPU's jmgpu/display
# while QEMU ran)
display_run() {
	r_mode=1 r_f1=1 r_f2=1 r_bad=1 r_keep=1 r_swap=1 rc= r_host=
	rm -f $MDEV_TMP.con $sock
	_err=$(try_write /sys/bus/mdev/devices/$u/jmgpu/monitor "$1x$2")
	[ -z "$_err" ] || diag "jmgpu/monitor $1x$2 refused: $_err"
	timeout $((400 * ${JMGPU_SLOW:-1})) "$qemu" -L /usr/share/seabios -L /usr/share/qemu \
		-accel tcg -machine q35 -m 64M -display none -nodefaults -no-reboot \
		-device vfio-pci,host="$vf",rombar=0,display=on \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-debugcon file:$MDEV_TMP.con -global isa-debugcon.iobase=0xe9 \
		-qmp unix:$sock,server=on,wait=off \
		-kernel $elf -append "display" > $MDEV_TMP.qemu 2>&1 &
	qpid=$!
	t0=$(cut -d' ' -f1 /proc/uptime)
	if wait_con "mode " 120; then
		r_host=$(cat /sys/bus/mdev/devices/$u/jmgpu/display 2>&1)
		diag "host side, QEMU running: jmgpu/display '$r_host'"
		same "$r_host" "up $1x$2" &&
		    grep -qF "edid preferred mode $1x$2" $MDEV_TMP.con && r_mode=0
	fi
	if wait_con "frame 1 shown $1x$2 base 0x00000000" 90; then
		shot f1 "$1" "$2" 1 && r_f1=0
		# the first run swaps the monitor while the payload waits
		if [ -z "$3" ]; then
			_err=$(try_write /sys/bus/mdev/devices/$u/jmgpu/monitor 800x600)
			[ -z "$_err" ] || diag "jmgpu/monitor 800x600 refused: $_err"
			wait_con "display interrupt: link 1, edid preferred mode 800x600" 60 &&
				same "$(cat /sys/bus/mdev/devices/$u/jmgpu/display)" "up 800x600" &&
				r_swap=0
		fi
		go 2
	fi
	if wait_con "frame 2 shown $1x$2" 60; then
		shot f2 "$1" "$2" 2 && r_f2=0
		go 3
	fi
	if wait_con "bad commit refused, frame 2 stays" 60; then
		r_bad=0
		# one screendump less in the second run: each takes seconds
		if [ -z "$3" ]; then
			shot bad "$1" "$2" 2 && r_keep=0
		fi
		go 4
	else
		diag "the payload stopped short: QEMU is ended"
		kill "$qpid" 2>/dev/null
	fi
	wait $qpid
	rc=$?
	qpid=
	t1=$(cut -d' ' -f1 /proc/uptime)
	diag "${1}x$2: nested QEMU exit status $rc after $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
	sed 's/^/# qemu: /' $MDEV_TMP.qemu | head -n 10
	sed 's/^/# payload: /' $MDEV_TMP.con 2>/dev/null
}

if [ -z "$qemu" ] || [ ! -f $elf ]; then
	for d in "VF's monitor is the host's" "flip 1 pixel-exact" "monitor swap" \
		"flip 2 pixel-exact" "bad commit refused" "frame 2 stays" \
		"payload exit" "jmgpu/open 0" "other vGPU untouched" \
		"second mode: monitor" "second mode: pixels" "second mode: exit"; do
		skip "$d" "qemu-system-x86_64 or payload missing"
	done
	tap_done
	exit 0
fi

display_run 1024 768
check "the VF's monitor is the host's: jmgpu/display up 1024x768, the payload's EDID mode 1024x768" [ $r_mode = 0 ]
check "flip 1 (base 0): QEMU's screendump equals frame 1 pixel for pixel" [ $r_f1 = 0 ]
check "monitor swapped while the guest runs (jmgpu/monitor 800x600): display interrupt, the payload reads EDID mode 800x600" [ $r_swap = 0 ]
check "flip 2 (second buffer, base != 0): screendump equals frame 2" [ $r_f2 = 0 ]
check "commit with stride < width*4 refused: SCANOUT_STATUS 3, active plane kept" [ $r_bad = 0 ]
check "after the refused commit the screen still shows frame 2" [ $r_keep = 0 ]
check "payload finished: exit status 65" [ "$rc" = 65 ]
check "QEMU closed the VF (jmgpu/open 0)" same "$(cat /sys/bus/mdev/devices/$u/jmgpu/open)" 0
check "the other vGPU untouched (jmgpu/display as before, never opened)" eval \
	'[ "$rc" = 65 ] &&
	 same "$(cat /sys/bus/mdev/devices/$uo/jmgpu/display 2>&1)" "$other_before" &&
	 same "$(cat /sys/bus/mdev/devices/$uo/jmgpu/open)" 0'

display_run 640 400 quick
check "second run: jmgpu/monitor 640x400, the VF's monitor and the payload's EDID mode 640x400" [ $r_mode = 0 ]
check "640x400: flips 1 and 2 pixel-exact" eval '[ $r_f1 = 0 ] && [ $r_f2 = 0 ]'
check "640x400: payload finished, exit status 65" [ "$rc" = 65 ]
tap_done
