#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vGPU lifecycle with the real client mdevctl: types on every VF, start /
# list / stop, one mdev per VF, no vGPU type offered on a VF provisioned
# through the PF, the open gate, a stop that waits for close,
# define --auto surviving a module reload, the jmgpu/ monitoring group.
. ./lib.sh
. ./mdev-lib.sh

NVFS=4
trap mdev_cleanup EXIT
plan 26
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
vf0=$(vf_n 0)
vf1=$(vf_n 1)
nprof=$(ls /sys/bus/pci/devices/$vf0/mdev_supported_types | wc -l)
ntypes=$(mdevctl types 2>/dev/null | grep -c "$VDRV-")
nvf=$(mdevctl types 2>/dev/null | grep -c "^0000:")
diag "mdevctl types: $ntypes types ($nprof profiles) on $nvf parents"
check "mdevctl types lists the $nprof profiles on each of the $NVFS VFs" \
	eval '[ "$ntypes" = $((NVFS * nprof)) ] && [ "$nvf" = $NVFS ] && [ "$nprof" -ge 4 ]'
t=$(mdev_type_dir "$vf0" fb64m-w3)
check "type fb64m-w3: description, device_api vfio-pci, 1 available" \
	eval '[ -s $t/description ] && [ "$(cat $t/device_api)" = vfio-pci ] && [ "$(cat $t/available_instances)" = 1 ]'

dmesg_mark
jmgpu_vgpu open "$vf0" > $MDEV_TMP.open 2>&1
check "open of a VF without vGPU fails (ENODEV) with a dmesg line" \
	eval 'grep -q "errno 19" $MDEV_TMP.open && newdmesg | grep -q "has no vGPU profile"'

u=$(new_uuid)
check "mdevctl start -p VF0 -t fb64m-w3" mdevctl start -u "$u" -p "$vf0" -t $VDRV-fb64m-w3
check "mdevctl list shows it" eval 'mdevctl list | grep "$u" | grep -q "$vf0 $VDRV-fb64m-w3"'
M=/sys/bus/mdev/devices/$u
check "jmgpu/profile and jmgpu/vf" eval '[ "$(cat $M/jmgpu/profile)" = fb64m-w3 ] && [ "$(cat $M/jmgpu/vf)" = "$vf0 0" ]'
check "available_instances 0 on every type of VF0 now" \
	eval '[ "$(cat /sys/bus/pci/devices/$vf0/mdev_supported_types/*/available_instances | sort -u)" = 0 ]'
# a VF provisioned behind the VF driver's back (the PF's debugfs control,
# as auto_provision does) has no room for a vGPU: no type offers one
vf2=$(vf_n 2)
D=/sys/kernel/debug/jmgpu/$pf
avail2() { cat /sys/bus/pci/devices/$vf2/mdev_supported_types/*/available_instances | sort -u; }
check "VF2 provisioned through the PF (debugfs): available_instances 0 on every type" \
	eval 'echo "2 fb64m-w3" > $D/provision && same "$(avail2)" 0'
check "VF2 unprovisioned again: fb64m-w3 available on it" \
	eval 'echo "2 none" > $D/provision && same "$(cat $(mdev_type_dir $vf2 fb64m-w3)/available_instances)" 1'
dmesg_mark
got=$(try_write "$(mdev_type_dir "$vf0" fb128m-w6)/create" "$(new_uuid)")
check "second mdev on VF0 refused: '$got' + dmesg" \
	eval '[ "$got" = "Device or resource busy" ] && newdmesg | grep -q "one mdev per VF"'
check "VF0 opens now and runs a copy job" jmgpu_vgpu copy "$vf0"
for a in fb_in_use engine_busy_pct jobs faults resets trapped_accesses; do
	[ -r $M/jmgpu/$a ] || diag "missing jmgpu/$a"
done
check "jmgpu/ attributes readable" cat $M/jmgpu/fb_in_use $M/jmgpu/engine_busy_pct \
	$M/jmgpu/jobs $M/jmgpu/faults $M/jmgpu/resets $M/jmgpu/trapped_accesses
diag "jmgpu/: fb_in_use $(cat $M/jmgpu/fb_in_use) jobs $(cat $M/jmgpu/jobs) trapped $(cat $M/jmgpu/trapped_accesses)"
check "VF0 busy in the PF: sriov_numvfs 0 refused" \
	eval '[ "$(try_write $P/sriov_numvfs 0)" = "Device or resource busy" ]'

# hold the VF open, try to remove the vGPU
jmgpu_vgpu hold "$vf0" $MDEV_TMP.stop > $MDEV_TMP.hold 2>&1 &
hp=$!
i=0
while ! grep -q holding $MDEV_TMP.hold && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "VF0 held open" grep -q holding $MDEV_TMP.hold
check "jmgpu/open is 1" [ "$(cat $M/jmgpu/open)" = 1 ]
dmesg_mark
mdevctl stop -u "$u" > /dev/null 2>&1 &
sp=$!
sleep 2
check "mdevctl stop of the vGPU of an open VF waits for the close" \
	eval 'kill -0 $sp && newdmesg | grep -q "asking its user to release"'
touch $MDEV_TMP.stop
wait $hp
wait $sp
check "after close: the mdevctl stop completes" [ $? = 0 ]
check "dmesg: removed after its user released the VF" \
	eval 'newdmesg | grep -q "removed after its user released the VF"'
check "mdev gone, VF0 unprovisioned (types available again)" \
	eval '[ ! -e $M ] && [ "$(cat $(mdev_type_dir $vf0 fb64m-w3)/available_instances)" = 1 ]'

# persistence: define --auto, reload the modules, start-parent-mdevs
u2=$(new_uuid)
check "mdevctl define --auto on VF1" mdevctl define -u "$u2" -p "$vf1" -t $VDRV-fb128m-w6 --auto
check "mdevctl list --defined" eval 'mdevctl list --defined | grep "$u2" | grep "$vf1 $VDRV-fb128m-w6" | grep -q auto'
unbind_all() { for _v in $VFS; do pci_unbind "$_v" || return 1; done; }
check "VFs unbound, module reloaded" eval 'unbind_all && rmmod $VDRV && insmod $MODDIR/$VDRV.ko'
# no udev in the VM: run what the udev rules would run on VF bind
check "VFs rebound (driver_override kept), start-parent-mdevs" mdev_bind_vfs
check "the auto vGPU came back on VF1" \
	eval '[ -e /sys/bus/mdev/devices/$u2 ] && [ "$(cat /sys/bus/mdev/devices/$u2/jmgpu/profile)" = fb128m-w6 ]'
check "mdevctl stop + undefine" eval 'mdevctl stop -u "$u2" && mdevctl undefine -u "$u2"'
tap_done
