#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The vGPU's UUID is a VFIO handle, as libvirt, Nova and KubeVirt use it:
# QEMU's "-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/<uuid>" reads the
# mdev's iommu_group link, opens that group and asks it for the device by
# the UUID; the VF's vfio device answers. The nested QEMU runs the payload
# that way (copy jobs verified). The VF answers to its own vGPU's UUID
# only; one vGPU has one user: a second open through the other name in the
# same QEMU, or a second QEMU, is refused.
. ./lib.sh
. ./mdev-lib.sh
. ./mdev-uuid-lib.sh

NVFS=2
QPID=
trap 'qemu_quit; mdev_cleanup' EXIT
plan 16
check "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
vf0=$(vf_n 0)
vf1=$(vf_n 1)
u0=$(mdev_create "$vf0" fb128m-w6)
u1=$(mdev_create "$vf1" fb64m-w3)
M0=/sys/bus/mdev/devices/$u0
g0=$(iommu_group "$vf0")
g1=$(iommu_group "$vf1")
diag "vGPU $u0 on $vf0 (group $g0), vGPU $u1 on $vf1 (group $g1)"
for r in "$u0 $vf0" "$u1 $vf1"; do
	mu=${r% *}
	mv=${r#* }
	check "mdev $mu: iommu_group leads to the group of its VF $mv" \
		eval '[ -n "$(iommu_group $mv)" ] && [ "$(readlink -f /sys/bus/mdev/devices/$mu/iommu_group)" = "$(readlink -f /sys/bus/pci/devices/$mv/iommu_group)" ]'
done

if ! have_qemu; then
	for d in "sysfsdev: payload exit 33" "sysfsdev: console" "sysfsdev: VF closed" \
		"name table 1" "name table 2" "name table 3" "both names 1" "both names 2" \
		"second VM 1" "second VM 2" "second VM 3" "removed vGPU 1" "removed vGPU 2"; do
		skip "$d" "qemu-system-x86_64 or the payload missing"
	done
	tap_done
	exit 0
fi

t0=$(cut -d' ' -f1 /proc/uptime)
nested_qemu sysfsdev "sysfsdev=$M0"
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
diag "nested QEMU (sysfsdev=$M0): exit status $rc after $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
show_qemu sysfsdev
check "nested QEMU with sysfsdev=/sys/bus/mdev/devices/<uuid> ran the payload: exit status 33 (copy jobs verified)" [ $rc = 33 ]
sed 's/^/# payload: /' $MDEV_TMP.sysfsdev.con 2>/dev/null
check "payload debug console says so" grep -q "copy jobs ok" $MDEV_TMP.sysfsdev.con
check "QEMU closed the VF (jmgpu/open 0)" vgpu_closed "$u0"

# Which names open VF0? QEMU asks VF0's group for the basename of a
# directory whose iommu_group link leads there (a VFIO user can ask any
# name). One line per rule; "open" is seen as jmgpu/open 1 of vGPU 0.
upper=$(echo "$u0" | tr a-f A-F)
stray=$(new_uuid)
for r in "$u1:refused:the UUID of VF1's vGPU" "$stray:refused:a UUID of no vGPU" \
	"$upper:opens:vGPU 0's UUID in upper case (parsed as mdev create parses it)"; do
	name=${r%%:*}
	want=${r#*:}
	what=${want#*:}
	want=${want%%:*}
	fake_sysfsdev "$MDEV_TMP.fake/$name" "$g0"
	qemu_hold name "sysfsdev=$MDEV_TMP.fake/$name"
	if wait_for 300 eval 'vgpu_open $u0 || ! kill -0 $QPID 2>/dev/null'; then :; fi
	if vgpu_open "$u0"; then got=opens; else got=refused; fi
	qemu_quit
	[ $got = "$want" ] || show_qemu name
	check "VF0's group asked for $what: $want" \
		eval '[ $got = $want ] && { [ $want = opens ] || qemu_said name "No such device"; }'
done

# One QEMU given both names of the same VF: the second device is refused.
for r in "host=$vf0 sysfsdev=$M0|PCI address, then UUID" "sysfsdev=$M0 host=$vf0|UUID, then PCI address"; do
	opts=${r%%|*}
	dmesg_mark
	# shellcheck disable=SC2086
	nested_qemu both $opts
	rc=$?
	show_qemu both
	newdmesg | grep jmgpu | sed 's/^/# dmesg: /'
	check "one QEMU, both names of VF0 (${r#*|}): the second is refused (EBUSY, dmesg)" \
		eval '[ $rc = 1 ] && qemu_said both "Device or resource busy" && newdmesg | grep -q "second open by its"'
done

# A vGPU in use cannot be given to a second VM.
qemu_hold first "sysfsdev=$M0"
wait_for 300 vgpu_open "$u0"
check "VM 1 holds vGPU 0 by its UUID (jmgpu/open 1)" vgpu_open "$u0"
nested_qemu second "sysfsdev=$M0"
rc=$?
show_qemu second
check "VM 2 with the same UUID is refused (group busy), VM 1 keeps it" \
	eval '[ $rc = 1 ] && qemu_said second "busy" && vgpu_open $u0 && kill -0 $QPID'
timeout 10 jmgpu_vfio_hold "$vf0" > $MDEV_TMP.hold 2>&1
rc=$?
sed 's/^/# hold: /' $MDEV_TMP.hold
check "and a VFIO user asking for VF0 by its PCI address too" \
	eval '[ $rc = 1 ] && vgpu_open $u0'
qemu_quit

# The handle goes with the vGPU.
echo 1 > $M0/remove
check "removed vGPU: its sysfsdev path is gone" [ ! -e "$M0" ]
fake_sysfsdev "$MDEV_TMP.fake/$u0" "$g0"
nested_qemu removed "sysfsdev=$MDEV_TMP.fake/$u0"
rc=$?
check "removed vGPU: its UUID no longer opens VF0" \
	eval '[ $rc = 1 ] && qemu_said removed "No such device"'
tap_done
