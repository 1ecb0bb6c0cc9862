#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# jmgpu_pf resources: provision until -ENOSPC (FB, engine share, codec,
# each with a dmesg line naming it), free in a scattered order, a large
# slice still fits; the sysfs numbers match the firmware's (VF_QUERY);
# scheduler attributes validate their input.
. ./lib.sh

MOD=/jmgpu/modules/jmgpu_pf.ko
pf=$(jmgpu_pf) || { plan 1; not_ok "jmgpu PF present"; exit 1; }
P=/sys/bus/pci/devices/$pf
J=$P/jmgpu
D=/sys/kernel/debug/jmgpu/$pf

cleanup() {
	if [ -e $J ]; then
		i=0
		while [ $i -lt 32 ]; do echo "$i none" > $D/provision; i=$((i + 1)); done 2>/dev/null
		echo 0 > $P/sriov_numvfs 2>/dev/null
	fi
	grep -q '^jmgpu_pf ' /proc/modules && rmmod jmgpu_pf
}
trap cleanup EXIT
pci_unbind "$pf"
dmesg_mark
prov() { echo "$1 $2" > $D/provision; }
# the driver's view (jmgpu_vf/<N>/) and the firmware's (VF_QUERY) alike; fw_query's
# last column, the flags, has no counterpart in vfs
sysfs_view() {
	vf_table "$pf" | awk '$2 != "-" { split($9, r, "x"); printf "%s %s %s %s %s %s %s %s\n", $1, $4, $5, $6, $7, $8, r[1], r[2] }'
}
fw_view() { grep -v '^#' $D/fw_query | cut -d' ' -f1-8; }
views_match() {
	sysfs_view > /tmp/32.sys; fw_view > /tmp/32.fw
	if ! cmp -s /tmp/32.sys /tmp/32.fw; then
		diag "sysfs:"; sed 's/^/#   /' /tmp/32.sys
		diag "firmware:"; sed 's/^/#   /' /tmp/32.fw
		return 1
	fi
	[ -s /tmp/32.sys ]
}
GiB=1073741824 MiB=1048576

plan 31
require "insmod, 32 VFs" sh -c "insmod $MOD && echo 32 > $P/sriov_numvfs"
check "capacity: 2 GiB FB all free, weight 100, 64 codec sessions" \
	eval '[ $(cat $J/fb_size) = $((2 * GiB)) ] && [ $(cat $J/fb_free) = $((2 * GiB)) ] &&
	      [ $(cat $J/engine_weight_free) = 100 ] && [ $(cat $J/codec_sessions_free) = 64 ]'
r=0
for v in 0 1 2 3 4 5 6 7; do prov $v fb256m-w12 || r=1; done
check "8 x fb256m-w12 provisioned" [ $r = 0 ]
check "sysfs: FB 0 free, weight 4 free, codec 0 free" \
	eval '[ $(cat $J/fb_free) = 0 ] && [ $(cat $J/engine_weight_free) = 4 ] &&
	      [ $(cat $J/codec_sessions_free) = 0 ]'
got=$(try_write $D/provision "8 custom 256 1 0 0 0 0")
check "9th slice: No space left on device, dmesg says framebuffer" \
	eval '[ "$got" = "No space left on device" ] && newdmesg | grep -q "vf8: out of framebuffer"'
got=$(try_write $D/provision "8 fb256m-w12")
check "weight over 100%: No space left on device, dmesg says engine share" \
	eval '[ "$got" = "No space left on device" ] && newdmesg | grep -q "vf8: out of engine share"'
got=$(try_write $D/provision "8 custom 4 1 1 0 0 0")
check "codec exhausted: No space left on device, dmesg says codec sessions" \
	eval '[ "$got" = "No space left on device" ] && newdmesg | grep -q "vf8: out of codec sessions"'
check "failed provisioning left nothing behind (vf8 unprovisioned)" \
	eval '[ "$(vfattr "$pf" 8 profile)" = - ] && [ "$(vfattr "$pf" 8 fb_offset)" = - ]'
check "sysfs provisioning matches the firmware's (VF_QUERY), full card" views_match

r=0
for v in 1 3 6 5; do prov $v none || r=1; done
check "free vf1, vf3, vf6, vf5 (scattered)" [ $r = 0 ]
check "1 GiB free, largest hole 256 MiB (aperture)" \
	eval '[ $(cat $J/fb_free) = $GiB ] && [ $(cat $J/fb_largest_free) = $((256 * MiB)) ]'
check "two small slices (fb64m-w3) on vf8, vf9" sh -c "echo '8 fb64m-w3' > $D/provision && echo '9 fb64m-w3' > $D/provision"
off8=$(vfattr "$pf" 8 fb_offset)
off9=$(vfattr "$pf" 9 fb_offset)
diag "small slices at $off8 and $off9"
check "small slices share one hole (best fit)" \
	eval '[ -n "$off8" ] && [ -n "$off9" ] && [ $((off8 / (256 * MiB))) = $((off9 / (256 * MiB))) ]'
r=0
for v in 10 11 12; do prov $v fb256m-w12 || r=1; done
check "three large slices (256 MiB) still fit after small ones" [ $r = 0 ]
check "sysfs provisioning matches the firmware's after churn" views_match
sum=0
for s in $(awk '/^free 0x/ { print $3 }' $D/alloc_map); do sum=$((sum + s)); done
check "fb_free matches the allocator map's free extents" [ "$(cat $J/fb_free)" = "$sum" ]
check "firmware log records the provisioning (GET_LOG)" \
	sh -c "grep -q 'provision vf12 ' $D/fw_log && grep -q 'unprovision vf5: scrub' $D/fw_log"
check "a stats/ directory per VF" [ "$(ls -d $P/jmgpu_vf/*/stats | wc -l)" = 32 ]
# FB in use follows provisioning at once, not the next 1 s sample
fb_in_use() { vfattr "$pf" "$1" stats/fb_in_use; }
check "stats/fb_in_use: the new slice right after provisioning" \
	eval 'prov 12 none && prov 12 fb64m-w3 && same "$(fb_in_use 12)" $((64 * MiB))'

# scheduler attributes
check "sched_policy fixed-share accepted" sh -c "echo fixed-share > $J/sched_policy && [ \$(cat $J/sched_policy) = fixed-share ]"
got=$(try_write $J/sched_policy bogus)
check "sched_policy bogus: Invalid argument, dmesg line, unchanged" \
	eval '[ "$got" = "Invalid argument" ] && [ $(cat $J/sched_policy) = fixed-share ] &&
	      newdmesg | grep -q "sched_policy: \"bogus\" invalid"'
# 100..100000 us: both bounds accepted, one past each refused by the driver
# itself (EINVAL, a dmesg line with the range, the setting unchanged)
for v in 100 100000 2000; do
	check "timeslice_us $v accepted" sh -c "echo $v > $J/timeslice_us && [ \$(cat $J/timeslice_us) = $v ]"
done
for bad in 99 100001 50 abc -5; do
	got=$(try_write $J/timeslice_us "$bad")
	check "timeslice_us $bad: Invalid argument ('$got'), unchanged, dmesg gives the range" \
		eval '[ "$got" = "Invalid argument" ] && same "$(cat $J/timeslice_us)" 2000 &&
		newdmesg | grep -q "timeslice_us: \"$bad\" invalid, must be 100..100000"'
done
check "firmware scheduler state matches sysfs (GET_SCHED: 2 2000)" [ "$(cat $D/fw_sched)" = "2 2000" ]

cleanup
trap - EXIT
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "no warning in dmesg"
else
	ok "no warning in dmesg"
fi
tap_done
