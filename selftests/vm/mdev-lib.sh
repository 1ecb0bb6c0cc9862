#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Helpers for the vGPU (vf_mdev) tests 4N-mdev-*.sh, sourced after lib.sh.
# shellcheck shell=sh

MODDIR=/jmgpu/modules
VDRV=jmgpu_vfio_pci
PATH=$PATH:/jmgpu/bin
MDEV_TMP=/tmp/mdev.$$

new_uuid() { cat /proc/sys/kernel/random/uuid; }

# The PF's debugfs events, per VF: ev <vf index> <field> prints a field of
# the VF's line: 2 records 3 flr_done 4 faults 5 msgs 6 resynced (driver)
# | 9 flr_done 10 faults 11 msgs 12 msg_dropped (firmware VF_EVENT_STATE)
ev() { awk -v v="vf$1" -v f="$2" '$1 == v { print $f }' /sys/kernel/debug/jmgpu/$pf/events; }
# ev_snap <vf>: driver and firmware counts of FLRs, faults, messages
ev_snap() { echo "$(ev $1 3) $(ev $1 4) $(ev $1 5) $(ev $1 9) $(ev $1 10) $(ev $1 11)"; }
# ev_delivered <vf> <snap-before> <min-flr> <min-faults> <what>: the
# driver's increase of FLRs and of faults since the snapshot equals the
# firmware's, and that is at least min-flr and min-faults (says the counts)
ev_delivered() {
	set -- "$1" $2 $(ev_snap "$1") "$3" "$4" "$5"
	# $2..$7 before, $8..$13 after
	diag "vf$1 ${16}: driver +$(($8 - $2)) FLR +$(($9 - $3)) faults, firmware +$((${11} - $5)) FLR +$((${12} - $6)) faults"
	[ $(($8 - $2)) = $((${11} - $5)) ] && [ $(($9 - $3)) = $((${12} - $6)) ] &&
		[ $((${11} - $5)) -ge "${14}" ] && [ $((${12} - $6)) -ge "${15}" ]
}

# mdev_load: the stock vfio/mdev modules, jmgpu_pf, jmgpu_vfio_pci.
mdev_load() {
	# mdevctl refuses to run without its callout directories (the
	# initramfs does not ship the package's empty directories)
	mkdir -p /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers
	modprobe vfio-pci-core || return 1
	modprobe vfio_iommu_type1 || return 1
	modprobe mdev || return 1
	grep -q '^jmgpu_pf ' /proc/modules || insmod $MODDIR/jmgpu_pf.ko || return 1
	grep -q "^$VDRV " /proc/modules || insmod $MODDIR/$VDRV.ko
}

# mdev_bind_vfs: bind every VF of $pf to jmgpu_vfio_pci (what the udev rule
# 99-jmgpu-vfio.rules does on VF add), then run what mdevctl's udev rule
# runs on the parent's MDEV_STATE=registered uevent.
mdev_bind_vfs() {
	for _v in $(jmgpu_vfs "$pf"); do
		echo $VDRV > /sys/bus/pci/devices/$_v/driver_override || return 1
		echo "$_v" > /sys/bus/pci/drivers_probe 2>/dev/null
		[ "$(pci_driver "$_v")" = $VDRV ] || { diag "$_v not bound"; return 1; }
		mdevctl start-parent-mdevs "$_v" > /dev/null 2>&1
	done
	return 0
}

# mdev_setup <nvfs>: load, enable VFs, bind them. Sets pf, P, VFS.
mdev_setup() {
	pf=$(jmgpu_pf) || return 1
	P=/sys/bus/pci/devices/$pf
	pci_unbind "$pf"
	mdev_load || return 1
	[ "$(pci_driver "$pf")" = jmgpu_pf ] || return 1
	echo "$1" > $P/sriov_numvfs || return 1
	VFS=$(jmgpu_vfs "$pf")
	mdev_bind_vfs
}

# vf_n <i>: BDF of VF i
vf_n() { echo "$VFS" | sed -n "$(($1 + 1))p"; }

# mdev_types_dir <vf> <profile>
mdev_type_dir() {
	echo "/sys/bus/pci/devices/$1/mdev_supported_types/$VDRV-$2"
}

# mdev_create <vf> <profile> [uuid]: prints the uuid; status of the write
mdev_create() {
	_u=${3:-$(new_uuid)}
	echo "$_u"
	echo "$_u" > "$(mdev_type_dir "$1" "$2")/create"
}

mdev_remove_all() {
	for _m in /sys/bus/mdev/devices/*; do
		[ -e "$_m/remove" ] && echo 1 > "$_m/remove"
	done
	return 0
}

# mdev_cleanup: leave the VM as found: no mdevs, no mdevctl configs, VFs 0,
# project modules unloaded.
mdev_cleanup() {
	mdev_remove_all
	rm -rf /etc/mdevctl.d/* 2>/dev/null
	if [ -n "$pf" ] && [ -e "/sys/bus/pci/devices/$pf/sriov_numvfs" ]; then
		for _v in $(jmgpu_vfs "$pf"); do
			pci_unbind "$_v"
			pci_clear_override "$_v"
		done
		echo 0 > "/sys/bus/pci/devices/$pf/sriov_numvfs" 2>/dev/null
	fi
	grep -q "^$VDRV " /proc/modules && rmmod $VDRV
	grep -q '^jmgpu_pf ' /proc/modules && rmmod jmgpu_pf
	rm -rf "$MDEV_TMP".*
	return 0
}

# mdev_pair <profile A> <profile B>: the two-tenant set-up of the isolation
# tests: $NVFS VFs bound to $VDRV (a require), vGPU A on the first VF and
# B on the second (a require); sets a, b (VF addresses), ua, ub (UUIDs)
# and ia, ib (firmware VF indices)
mdev_pair() {
	require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
	a=$(vf_n 0)
	b=$(vf_n 1)
	ua=$(mdev_create "$a" "$1")
	ub=$(mdev_create "$b" "$2")
	require "vGPUs on A and B" eval '[ -e /sys/bus/mdev/devices/$ua ] && [ -e /sys/bus/mdev/devices/$ub ]'
	ia=$(cut -d' ' -f2 /sys/bus/mdev/devices/$ua/jmgpu/vf)
	ib=$(cut -d' ' -f2 /sys/bus/mdev/devices/$ub/jmgpu/vf)
}
