#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Helpers of the sriov_cfg tests 5N-sriov-cfg-*.sh, sourced after lib.sh.
# shellcheck shell=sh

MODDIR=/jmgpu/modules
VDRV=jmgpu_vfio_pci
PATH=$PATH:/jmgpu/bin
SC_TMP=/tmp/sriov_cfg.$$
_sc_loaded_pf=0
_sc_loaded_vf=0
mdev_why=

# sc_load: jmgpu_pf and, when it loads, jmgpu_vfio_pci (sets mdev_why
# to the reason when the vGPU part cannot run). Sets pf and P.
sc_load() {
	pf=$(jmgpu_pf) || return 1
	P=/sys/bus/pci/devices/$pf
	if ! grep -q '^jmgpu_pf ' /proc/modules; then
		pci_unbind "$pf"
		pci_clear_override "$pf"
		insmod $MODDIR/jmgpu_pf.ko || return 1
		_sc_loaded_pf=1
	fi
	[ "$(pci_driver "$pf")" = jmgpu_pf ] || return 1
	mkdir -p /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers
	if [ ! -f $MODDIR/$VDRV.ko ]; then
		mdev_why="$VDRV.ko not built (vf_mdev missing)"
	elif ! grep -q "^$VDRV " /proc/modules; then
		modprobe vfio-pci-core && modprobe vfio_iommu_type1 && modprobe mdev &&
			insmod $MODDIR/$VDRV.ko && _sc_loaded_vf=1
		grep -q "^$VDRV " /proc/modules || mdev_why="$VDRV.ko does not load"
	fi
	return 0
}

# sc_mdevs: UUIDs of all mdev devices, sorted
sc_mdevs() { ls /sys/bus/mdev/devices 2>/dev/null | sort; }

# sc_state: what apply may change (compared before/after a refused apply)
sc_state() {
	echo "numvfs $(cat $P/sriov_numvfs) policy $(cat $P/jmgpu/sched_policy) slice $(cat $P/jmgpu/timeslice_us)"
	vf_table "$pf"
	for _u in $(sc_mdevs); do
		echo "$_u $(cat /sys/bus/mdev/devices/$_u/jmgpu/profile 2>/dev/null) $(cat /sys/bus/mdev/devices/$_u/jmgpu/vf 2>/dev/null)"
	done
}

# sc_cleanup: no vGPUs, VFs unbound and disabled, modules as found
sc_cleanup() {
	for _m in /sys/bus/mdev/devices/*; do
		[ -e "$_m/remove" ] && echo 1 > "$_m/remove"
	done
	if [ -n "$pf" ] && [ -e "$P/sriov_numvfs" ]; then
		for _v in $(jmgpu_vfs "$pf"); do
			pci_unbind "$_v"
			pci_clear_override "$_v"
		done
		echo 0 > $P/sriov_numvfs 2>/dev/null
		[ -w $P/jmgpu/sched_policy ] && echo best-effort > $P/jmgpu/sched_policy 2>/dev/null
	fi
	[ $_sc_loaded_vf = 1 ] && grep -q "^$VDRV " /proc/modules && rmmod $VDRV
	[ $_sc_loaded_pf = 1 ] && grep -q '^jmgpu_pf ' /proc/modules && rmmod jmgpu_pf
	rm -rf "$SC_TMP".*
	return 0
}

# sc <args>: run sriov_cfg, output in $SC_TMP.out/.err, status in $rc
sc() {
	sriov_cfg "$@" > $SC_TMP.out 2> $SC_TMP.err
	rc=$?
	[ $rc = 0 ] || diag "sriov_cfg $*: exit $rc: $(head -n 3 $SC_TMP.err)"
	return $rc
}
