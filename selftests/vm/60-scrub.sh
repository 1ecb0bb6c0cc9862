#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# No VRAM reaches a tenant unscrubbed, whatever freed it. For each path:
# tenant 1 gets VF0 with a 64 MiB slice, writes a pattern into its whole
# framebuffer through VFIO (BAR2) and checks it landed; the path is taken;
# tenant 2 then gets a slice at the same VRAM offset (asserted) and must
# read zeros in every byte of it. One line per path:
#   dead firmware at unprovision, remove with an unprovision pending (the
#   firmware restarts on it), an unrequested firmware reset whose recovery
#   fails, a PF FLR then rebind, a module reload with a
#   hung firmware, a vGPU opened by a second user, a vGPU removed and
#   created again. (A firmware made to fail recovery reports interface
#   2.0: TEST_FW_VERSION, cleared before the next bind.)
# Then VFs handed from user to user by stock vfio-pci (no open hook for
# the PF driver; each open and last close is a VF FLR, counted here): an
# auto_provision VF and a debugfs-provisioned one are provisioned
# SCRUB_ON_FLR (fw_query shows it), user 1 fills the whole slice and
# closes, user 2 opens the same bound VF and reads zeros. A firmware of
# interface 1.0 cannot scrub on FLR: both kinds of provisioning are
# refused with EOPNOTSUPP and a dmesg line.
. ./lib.sh
. ./mdev-lib.sh

pf_test_env || exit 1
PROF="custom 64 10 0 0 0 0"	# 64 MiB, weight 10, headless

cleanup() {
	mdev_remove_all 2>/dev/null
	for v in $(jmgpu_vfs "$pf"); do
		pci_unbind "$v"; pci_clear_override "$v"
	done
	grep -q "^$VDRV " /proc/modules && rmmod $VDRV
	pf_cleanup
	jmgpu_fault "$pf" fw-version 0
	jmgpu_fault "$pf" fw-reset
}
trap cleanup EXIT
modprobe vfio_iommu_type1 2>/dev/null
modprobe vfio-pci 2>/dev/null

# up: load jmgpu_pf (if needed), 1 VF, VF0 provisioned with $PROF
up() {
	grep -q '^jmgpu_pf ' /proc/modules || insmod $MOD || return 1
	[ "$(cat $P/sriov_numvfs)" = 1 ] || echo 1 > $P/sriov_numvfs || return 1
	echo "0 $PROF" > $D/provision || return 1
	vf0=$(jmgpu_vfs "$pf" | head -n1)
	off=$(sed -n 's/^vf0 \(0x[0-9a-f]*\) .*/\1/p' $D/alloc_map)
	[ -n "$off" ]
}
# tenant <cmd> [pattern]: jmgpu_fb on VF0 through vfio-pci
tenant() {
	pci_bind "$vf0" vfio-pci || return 2
	jmgpu_fb "$vf0" "$@"
	_rc=$?
	pci_unbind "$vf0"
	pci_clear_override "$vf0"
	return $_rc
}
# tenant1: up, pattern written and read back; remembers the offset
tenant1() {
	up || { diag "tenant 1: set-up failed"; return 1; }
	off1=$off
	tenant fill 0x7e57$1 ||
		{ diag "tenant 1: pattern not written"; return 1; }
}
# tenant2: up again (reloading nothing), same offset, all zero
tenant2() {
	up || { diag "tenant 2: set-up failed"; return 1; }
	[ "$off" = "$off1" ] ||
		{ diag "tenant 2 got fb $off, tenant 1 had $off1"; return 1; }
	tenant zero
}
# down: unload and make the firmware answer again for the next row
down() {
	pf_cleanup
	jmgpu_fault "$pf" fw-version 0
}
wait_state() {
	_i=0
	while [ $_i -lt 40 ]; do
		[ "$(cat $J/fw_state 2>/dev/null)" = "$1" ] && return 0
		sleep 0.5
		_i=$((_i + 1))
	done
	diag "fw_state $(cat $J/fw_state 2>/dev/null), want $1"
	return 1
}

plan 13
dmesg_mark
pci_unbind "$pf"

# 1. the firmware is dead when the slice is unprovisioned: the driver
# releases it without a scrub; a reload must scrub it before reuse
r=0
tenant1 1 || r=1
jmgpu_fault "$pf" fw-version 2.0	# recovery's HELLO is refused: dead
jmgpu_fault "$pf" hang
wait_state dead || r=1
echo "0 none" > $D/provision || { r=1; diag "unprovision with dead firmware failed"; }
down
jmgpu_fault "$pf" fw-reset
[ $r = 0 ] && tenant2 || r=1
check "dead firmware at unprovision: the next tenant reads zeros" [ $r = 0 ]
down

# 2. remove with the unprovision pending: the firmware restarts on it
# (request lost, no scrub), remove releases the slice
r=0
tenant1 2 || r=1
jmgpu_fault "$pf" on VF_UNPROVISION restart
pf_cleanup
[ $r = 0 ] && tenant2 || r=1
check "remove with a scrub pending (firmware restart on VF_UNPROVISION): the next tenant reads zeros" [ $r = 0 ]
down

# 3. an unrequested firmware reset (all provisioning lost, VRAM kept)
# whose recovery fails; unload, reload
r=0
tenant1 3 || r=1
jmgpu_fault "$pf" fw-version 2.0
jmgpu_fault "$pf" fw-reset
wait_state dead || r=1
down
[ $r = 0 ] && tenant2 || r=1
check "firmware reset (recovery failed), reload: the next tenant reads zeros" [ $r = 0 ]
down

# 4. FLR of the PF with the driver bound (all provisioning lost, VRAM
# kept; a recovery, if one starts, fails), then unbind and bind
r=0
tenant1 4 || r=1
jmgpu_fault "$pf" fw-version 2.0	# sticky across the FLR
echo 1 > $P/reset || { r=1; diag "PF FLR failed"; }
sleep 1
down
[ $r = 0 ] && tenant2 || r=1
check "PF FLR + rebind: the next tenant reads zeros" [ $r = 0 ]
down

# 5. module reload while the firmware hangs; a reset of the card un-hangs it
r=0
tenant1 5 || r=1
jmgpu_fault "$pf" hang
down
echo 1 > $P/reset
[ $r = 0 ] && tenant2 || r=1
check "module reload with a hung firmware: the next tenant reads zeros" [ $r = 0 ]
down

# 6./7. vGPUs: the VF bound to jmgpu_vfio_pci, a vGPU on it
vgpu_up() {
	mdev_load && echo 1 > $P/sriov_numvfs || return 1
	vf0=$(jmgpu_vfs "$pf" | head -n1)
	pci_bind "$vf0" $VDRV
}
vgpu_create() {
	u=$(new_uuid)
	echo "$u" > "$(mdev_type_dir "$vf0" fb64m-w3)/create" || return 1
	off=$(sed -n 's/^vf0 \(0x[0-9a-f]*\) .*/\1/p' $D/alloc_map)
	[ -n "$off" ]
}
r=0
vgpu_up || { r=1; diag "vGPU set-up failed"; }
vgpu_create || r=1
off1=$off
jmgpu_fb "$vf0" fill 0x7e576 || { r=1; diag "user 1: pattern not written"; }
# the second user of the same vGPU (same slice by construction)
jmgpu_fb "$vf0" zero || r=1
check "vGPU opened by its next user: reads zeros" [ $r = 0 ]

r=0
jmgpu_fb "$vf0" fill 0x7e577 || { r=1; diag "pattern not written"; }
echo 1 > /sys/bus/mdev/devices/$u/remove || r=1
vgpu_create || r=1
[ "$off" = "$off1" ] || { r=1; diag "new vGPU at fb $off, old at $off1"; }
jmgpu_fb "$vf0" zero || r=1
check "vGPU removed and created again on the VF: reads zeros" [ $r = 0 ]
echo 1 > /sys/bus/mdev/devices/$u/remove
pci_unbind "$vf0"; pci_clear_override "$vf0"
rmmod $VDRV
pf_cleanup

# 8.-10. stock vfio-pci: VF0 stays bound to it, two users in turn
# flrs: the firmware's FLR total of vf0 (VF_EVENT_STATE, debugfs events)
flrs() { awk '$1 == "vf0" { print $9 }' $D/events; }
# flagged: the firmware's VF_QUERY flags of vf0 are 0x1 (SCRUB_ON_FLR)
flagged() { [ "$(awk '$1 == "vf0" { print $9 }' $D/fw_query)" = 0x1 ]; }
# two_users <row>: user 1 fills, user 2 reads zeros; sets f0 f1 f2
two_users() {
	f0=$(flrs)
	jmgpu_fb "$vf0" fill 0x7e57$1 ||
		{ diag "user 1: pattern not written"; return 1; }
	f1=$(flrs)
	jmgpu_fb "$vf0" zero
	_rc=$?
	f2=$(flrs)
	diag "vf0 FLRs (firmware total): $f0 before user 1, $f1 after, $f2 after user 2"
	[ $_rc = 0 ] || diag "user 2 does not read zeros"
	return $_rc
}
r=0
insmod $MOD auto_provision=fb64m-w3 && echo 1 > $P/sriov_numvfs ||
	{ r=1; diag "auto_provision set-up failed"; }
vf0=$(jmgpu_vfs "$pf" | head -n1)
vf_table "$pf" | grep -q '^vf0 fb64m-w3 auto ' || { r=1; diag "vf0 not auto-provisioned"; }
flagged || { r=1; diag "not flagged, fw_query: $(grep '^vf0 ' $D/fw_query)"; }
if pci_bind "$vf0" vfio-pci; then
	two_users 8 || r=1
else
	r=1; diag "bind to vfio-pci failed"
fi
check "auto_provision VF, stock vfio-pci: provisioned SCRUB_ON_FLR, the next user reads zeros" [ $r = 0 ]
check "each user of stock vfio-pci is FLRed at open and at last close ($f0 -> $f1 -> $f2)" \
	eval '[ $((f1 - f0)) = 2 ] && [ $((f2 - f1)) = 2 ]'
pf_cleanup

r=0
insmod $MOD && echo 1 > $P/sriov_numvfs && echo "0 $PROF" > $D/provision ||
	{ r=1; diag "debugfs provision set-up failed"; }
vf0=$(jmgpu_vfs "$pf" | head -n1)
flagged || { r=1; diag "not flagged, fw_query: $(grep '^vf0 ' $D/fw_query)"; }
if pci_bind "$vf0" vfio-pci; then
	two_users 9 || r=1
else
	r=1; diag "bind to vfio-pci failed"
fi
check "debugfs-provisioned VF, stock vfio-pci: provisioned SCRUB_ON_FLR, the next user reads zeros" [ $r = 0 ]
pf_cleanup

# 11./12. a firmware of interface 1.0 (TEST_FW_VERSION, sticky): refused
jmgpu_fault "$pf" fw-version 1.0
r=0
insmod $MOD auto_provision=fb64m-w3 || r=1
err=$(try_write $P/sriov_numvfs 1)
[ "$(cat $P/sriov_numvfs)" = 0 ] || { r=1; diag "VFs enabled"; }
newdmesg | grep -q "vf0: fb64m-w3 refused: firmware interface 1.0 cannot scrub VRAM at VF FLR" ||
	{ r=1; diag "no dmesg line naming the firmware"; }
check "firmware 1.0: auto_provision refused ($err), no VF enabled, dmesg says why" \
	eval '[ $r = 0 ] && [ -n "$err" ]'
r=0
echo none > $J/auto_provision && echo 1 > $P/sriov_numvfs || { r=1; diag "enable without auto_provision failed"; }
err=$(try_write $D/provision "0 $PROF")
vf_table "$pf" | grep -q '^vf0 - ' || { r=1; diag "vf0 provisioned"; }
newdmesg | grep -q "vf0: custom refused: firmware interface 1.0 cannot scrub VRAM at VF FLR" ||
	{ r=1; diag "no dmesg line naming the firmware"; }
check "firmware 1.0: debugfs provision refused ($err), dmesg says why" \
	eval '[ $r = 0 ] && [ -n "$err" ]'
pf_cleanup
jmgpu_fault "$pf" fw-version 0

if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "nothing oopsed, no warning"
else
	ok "nothing oopsed, no warning"
fi
tap_done
