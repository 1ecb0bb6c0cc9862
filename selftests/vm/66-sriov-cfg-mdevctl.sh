#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A host that uses both mdevctl definitions and sriov_cfg apply (one owner
# per vGPU and per VF): apply leaves mdevctl's vGPU and its VF alone and
# places its own vGPUs beside it, refuses to declare mdevctl's UUID, and
# two simulated reboots, in both orders udev and the boot-time apply can
# run, end in the same state.
. ./lib.sh
. ./sriov-cfg-lib.sh

UM=5a1e00aa-0000-4000-8000-0000000000aa
U1=5a1e0001-0000-4000-8000-000000000001
U2=5a1e0002-0000-4000-8000-000000000002
cleanup() {
	rm -rf /etc/mdevctl.d/*
	sc_cleanup
}
trap cleanup EXIT
plan 9
require "jmgpu_pf loaded" sc_load
DESCS="mdevctl define --auto on VF 0, started|apply places its vGPUs beside mdevctl's (VFs 1 and 2), which stays on VF 0
second apply: nothing to do, mdevctl's vGPU left to it (said so)|a file declaring mdevctl's UUID: EEXIST (17) at its line, nothing changed
reboot 1 (apply, then udev binds and mdevctl starts): the same state|reboot 2 (udev and mdevctl first, then apply): the same state
apply after the reboots: nothing to do|mdevctl list --defined: its vGPU only, the others are sriov_cfg's"
if [ -n "$mdev_why" ]; then
	echo "$DESCS" | tr '|' '\n' | while read -r d; do skip "$d" "$mdev_why"; done
	tap_done
	exit
fi

# uuid, profile and VF index of every vGPU
state() {
	for _u in $(sc_mdevs); do
		echo "$_u $(cat /sys/bus/mdev/devices/$_u/jmgpu/profile) $(cut -d' ' -f2 /sys/bus/mdev/devices/$_u/jmgpu/vf)"
	done
}
# what udev does when the VFs appear: bind them, start mdevctl's vGPUs
udev() {
	for _v in $(jmgpu_vfs "$pf"); do
		echo $VDRV > /sys/bus/pci/devices/$_v/driver_override
		[ "$(pci_driver "$_v")" = $VDRV ] || echo "$_v" > /sys/bus/pci/drivers_probe 2> /dev/null
		mdevctl start-parent-mdevs "$_v" > /dev/null 2>&1
	done
}
# the host goes down: vGPUs, VFs and drivers gone, /etc kept
down() {
	for _m in /sys/bus/mdev/devices/*; do
		[ -e "$_m/remove" ] && echo 1 > "$_m/remove"
	done
	for _v in $(jmgpu_vfs "$pf"); do pci_unbind "$_v"; done
	echo 0 > $P/sriov_numvfs && rmmod $VDRV && rmmod jmgpu_pf &&
		insmod $MODDIR/jmgpu_pf.ko && insmod $MODDIR/$VDRV.ko &&
		[ -z "$(sc_mdevs)" ] && [ "$(cat $P/sriov_numvfs)" = 0 ]
}
_sc_loaded_pf=1
_sc_loaded_vf=1
cat > $SC_TMP.conf <<CONF
{
  "version": 1,
  "cards": [
    {
      "pf": "$pf",
      "num_vfs": 4,
      "vgpus": [
        { "uuid": "$U1", "profile": "fb256m-w25" },
        { "uuid": "$U2", "profile": "fb64m-w3" }
      ]
    }
  ]
}
CONF
echo 4 > $P/sriov_numvfs
VF0=$(jmgpu_vfs "$pf" | head -n 1)
check "mdevctl define --auto on VF 0, started" \
	eval 'udev && mdevctl define -u $UM -p $VF0 -t $VDRV-fb128m-w6 --auto &&
	mdevctl start -u $UM && [ -e /sys/bus/mdev/devices/$UM ]'
sc apply $SC_TMP.conf
s0=$(state)
diag "$s0"
check "apply places its vGPUs beside mdevctl's (VFs 1 and 2), which stays on VF 0" \
	eval '[ $rc = 0 ] && [ "$s0" = "$(printf "%s\n" "$U1 fb256m-w25 1" "$U2 fb64m-w3 2" "$UM fb128m-w6 0" | sort)" ]'
sc apply $SC_TMP.conf
check "second apply: nothing to do, mdevctl's vGPU left to it (said so)" \
	eval '[ $rc = 0 ] && grep -q "nothing to do" $SC_TMP.out &&
	grep -q "$UM on VF 0 $VF0 is defined by mdevctl: left to it" $SC_TMP.out && [ "$s0" = "$(state)" ]'
sed "s/$U2/$UM/" $SC_TMP.conf > $SC_TMP.dup
sc apply $SC_TMP.dup
check "a file declaring mdevctl's UUID: EEXIST (17) at its line, nothing changed" \
	eval '[ $rc = 17 ] && grep -q "$SC_TMP.dup:9: cards\[0\].vgpus\[1\].uuid: UUID $UM is defined by mdevctl" $SC_TMP.err &&
	[ "$s0" = "$(state)" ]'
check "reboot 1 (apply, then udev binds and mdevctl starts): the same state" \
	eval 'down && sc apply $SC_TMP.conf && udev && [ "$s0" = "$(state)" ]'
check "reboot 2 (udev and mdevctl first, then apply): the same state" \
	eval 'down && echo 4 > $P/sriov_numvfs && udev && sc apply $SC_TMP.conf && [ "$s0" = "$(state)" ]'
diag "$(state)"
sc apply $SC_TMP.conf
check "apply after the reboots: nothing to do" eval '[ $rc = 0 ] && grep -q "nothing to do" $SC_TMP.out'
check "mdevctl list --defined: its vGPU only, the others are sriov_cfg's" \
	eval '[ "$(mdevctl list --defined | grep -c .)" = 1 ] && mdevctl list --defined | grep -q "^$UM $VF0"'
tap_done
