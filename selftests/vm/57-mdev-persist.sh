#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A vGPU defined with "mdevctl define --auto" comes back with the same UUID
# after jmgpu_vfio_pci is reloaded and the VFs are bound again (what the
# udev rules do at boot: bind, then "mdevctl start-parent-mdevs <VF>"), and
# the UUID is a VFIO handle again: QEMU's sysfsdev= runs the payload.
. ./lib.sh
. ./mdev-lib.sh
. ./mdev-uuid-lib.sh

NVFS=2
trap mdev_cleanup EXIT
plan 9
check "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
vf1=$(vf_n 1)
u=$(new_uuid)
M=/sys/bus/mdev/devices/$u

# sysfsdev <tag>: the payload through the vGPU's UUID; status 33 = verified
sysfsdev() {
	nested_qemu "$1" "sysfsdev=$M"
	_rc=$?
	diag "nested QEMU ($1): exit status $_rc"
	[ $_rc = 33 ] || show_qemu "$1"
	[ $_rc = 33 ] && grep -q "copy jobs ok" "$MDEV_TMP.$1.con"
}
same_group() {
	[ -n "$(iommu_group "$vf1")" ] &&
	[ "$(readlink -f $M/iommu_group)" = "$(readlink -f /sys/bus/pci/devices/$vf1/iommu_group)" ]
}

check "mdevctl define --auto on VF1, then start" \
	eval 'mdevctl define -u $u -p $vf1 -t $VDRV-fb128m-w6 --auto && mdevctl start -u $u'
if have_qemu; then
	check "sysfsdev=/sys/bus/mdev/devices/<uuid> runs the payload" sysfsdev before
else
	skip "sysfsdev= runs the payload" "qemu-system-x86_64 or the payload missing"
fi

for v in $VFS; do pci_unbind "$v"; done
check "VFs unbound: the vGPU is gone, still defined" \
	eval '[ ! -e $M ] && mdevctl list --defined | grep -q $u'
rmmod $VDRV
check "module reloaded" insmod $MODDIR/$VDRV.ko
# no udev in the VM: what 99-jmgpu-vfio.rules and mdevctl's rule run
check "VFs bound again (driver_override kept), start-parent-mdevs" mdev_bind_vfs
check "the vGPU is back with the same UUID on VF1, same profile" \
	eval '[ -e $M ] && [ "$(cat $M/jmgpu/profile)" = fb128m-w6 ] && [ "$(cut -d" " -f1 $M/jmgpu/vf)" = $vf1 ]'
check "its iommu_group link leads to VF1's group again" same_group
if have_qemu; then
	check "sysfsdev= with the same UUID runs the payload again" sysfsdev after
else
	skip "sysfsdev= after the reload" "qemu-system-x86_64 or the payload missing"
fi
tap_done
