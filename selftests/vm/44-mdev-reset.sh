#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Reset isolation: while VF B runs a long stream of verified copy jobs, VF A
# is reset 100 times (fewer on a slow kernel): VFIO_DEVICE_RESET = FLR +
# firmware VF reset, both counted (the driver's counter, the firmware's
# log), as are the resets at open and at last close; B's results are all
# correct (its throughput ratio is printed, not judged); A works after
# each reset; A's next user (a new open) finds the slice scrubbed; after
# unprovision A's slice (re-provisioned at the same offset, asserted) reads
# back 0.
. ./lib.sh
. ./mdev-lib.sh

NVFS=2
NRESETS=$(scaled 100)
trap mdev_cleanup EXIT
plan 9
mdev_pair fb64m-w3 fb128m-w6
D=/sys/kernel/debug/jmgpu/$pf
# fw_time: virtual time of the firmware log's last line ("[   s.us] text")
fw_time() { tail -n 1 $D/fw_log | sed 's/^\[ *\([0-9.]*\)\].*/\1/'; }
# fw_resets_since <time> <vf>: "reset vfN" lines (VF_RESET done by the
# firmware) logged after <time>; a VF FLR logs "flr vfN done" instead
fw_resets_since() {
	awk -v t="$1" -v want="reset vf$2" '{
		s = $0; sub(/^\[ */, "", s); ts = s + 0; sub(/^[0-9.]*\] /, "", s)
		if (ts > t && s == want) n++
	} END { print n + 0 }' $D/fw_log
}
# fb_offset <vf>: start of the VF's FB slice (jmgpu_vf/<vf>/fb_offset of
# the PF); empty when the VF is not provisioned (the file says "-" then)
fb_offset() { sed '/^-$/d' $P/jmgpu_vf/$1/fb_offset; }
ft0=$(fw_time)
r0=$(cat /sys/bus/pci/devices/$a/jmgpu_vfio/resets)
# B's throughput during the resets is printed as a ratio to its rate
# alone (a benchmark line): no test passes or fails on time
check "$NRESETS resets of A while B streams: B correct, A works" \
	jmgpu_vgpu reset "$a" "$b" $NRESETS 0
r1=$(cat /sys/bus/pci/devices/$a/jmgpu_vfio/resets)
nfw=$(fw_resets_since "$ft0" "$ia")
diag "driver resets of A: $((r1 - r0)) (open + $NRESETS ioctl + last close); firmware VF resets of vf$ia since $ft0 s: $nfw"
check "A's reset counter grew by $((NRESETS + 2))" same $((r1 - r0)) $((NRESETS + 2))
check "the firmware reset A $((NRESETS + 2)) times too (VF_RESET after each FLR)" same "$nfw" $((NRESETS + 2))
off_a=$(fb_offset "$ia")
# the reset run left 0xc3 in A's whole slice and closed A: its next user
# (this open) gets the slice scrubbed
check "A's next user reads zero: the slice was scrubbed for it (VF_SCRUB)" jmgpu_vgpu fbcheck "$a" 0
check "a pattern written into A's whole slice reads back in the same open" jmgpu_fb "$a" fill 0xc3
check "A unprovisioned and provisioned again" \
	eval 'echo 1 > /sys/bus/mdev/devices/$ua/remove && ua=$(mdev_create "$a" fb64m-w3) &&
	[ -e /sys/bus/mdev/devices/$ua ]'
# only the same slice makes the zero check below a scrub check: a new
# slice elsewhere in the FB could read zero without any scrub
check "A's old slice (same FB offset, $off_a) reads back zero: scrubbed on unprovision" \
	eval 'same "$(fb_offset "$ia")" "$off_a" && jmgpu_vgpu fbcheck "$a" 0'
tap_done
