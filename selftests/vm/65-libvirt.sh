#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Real libvirt (Debian 12's libvirtd 9.0 and virsh, staged in the
# initramfs by scripts/stage-libvirt.sh; root, no cgroups, namespaces or
# security driver) starts a TCG domain whose guest is the project's
# payload with a jmgpu vGPU as an mdev hostdev (by UUID): the payload's
# copy jobs verify (its "copy jobs ok" in the domain's serial log file).
# The domain XML is Documentation/examples/vgpu-*.xml, the XML the
# documentation shows, with the name, UUID and VF filled in. Also: a
# second domain with the same vGPU is refused; virsh destroy releases the
# VF and keeps the vGPU; an mdevctl "define --auto" vGPU survives a module
# reload and the domain starts again; and what libvirt 9.0 does with the
# PCI form: managed='no' is refused (the VF's driver is not vfio-pci),
# managed='yes' rebinds the VF to vfio-pci, which removes the vGPU first.
. ./lib.sh
. ./mdev-lib.sh
. ./mdev-uuid-lib.sh

NVFS=2
EX=/jmgpu/examples
LVLOG=/var/log/libvirt
LVPID=

lv_stop() {
	for _d in $(virsh list --name 2>/dev/null); do virsh destroy "$_d" > /dev/null 2>&1; done
	[ -n "$LVPID" ] && kill "$LVPID" 2>/dev/null && wait "$LVPID" 2>/dev/null
	LVPID=
	return 0
}
trap 'lv_stop; mdev_cleanup' EXIT

# lv_start: libvirtd in the background, until virsh gets an answer
lv_start() {
	libvirtd > $MDEV_TMP.libvirtd 2>&1 &
	LVPID=$!
	wait_for 300 eval 'virsh uri > /dev/null 2>&1' || return 1
	diag "$(virsh version 2>&1 | grep -i 'library\|daemon\|hypervisor')"
}

# dom_xml <example> <name> <sed expression>...: the example domain with
# its name (and serial log) replaced, and the expressions applied
dom_xml() {
	sed "s/$1/$2/g" "$EX/$1.xml" > $MDEV_TMP.$2.xml
	_n=$2
	shift 2
	for _s in "$@"; do
		sed -i "$_s" $MDEV_TMP.$_n.xml
	done
}

# dom_start <name>: define the domain from its XML unless defined, start
# it; status of the start; virsh's output in $MDEV_TMP.<name>.virsh
dom_start() {
	rm -f "$LVLOG/qemu/$1.serial"
	: > $MDEV_TMP.$1.virsh
	virsh dominfo "$1" > /dev/null 2>&1 ||
		virsh define $MDEV_TMP.$1.xml > $MDEV_TMP.$1.virsh 2>&1 || return 1
	virsh start "$1" >> $MDEV_TMP.$1.virsh 2>&1
}

# dom_payload <name>: the payload in the domain's guest said "copy jobs
# ok" on its serial port (waits for it while the domain runs)
dom_payload() {
	_dp=$1
	wait_for 1200 eval 'grep -q "copy jobs ok" $LVLOG/qemu/$_dp.serial 2>/dev/null ||
		! virsh domstate $_dp 2>/dev/null | grep -q running ||
		grep -q "mismatch\|not provisioned\|timeout\|no jmgpu VF" $LVLOG/qemu/$_dp.serial 2>/dev/null'
	sed "s/^/# $1 serial: /" "$LVLOG/qemu/$1.serial" 2>/dev/null | head -n 12
	grep -q "copy jobs ok" "$LVLOG/qemu/$1.serial" 2>/dev/null
}

# dom_show <name>: virsh's output and the end of libvirt's domain log
dom_show() {
	sed "s/^/# virsh $1: /" $MDEV_TMP.$1.virsh
	grep -v '^$' "$LVLOG/qemu/$1.log" 2>/dev/null | tail -n 6 | sed "s/^/# log $1: /"
}

# next_user <vf>: a VFIO user (not libvirt) can open the VF now
next_user() {
	rm -f $MDEV_TMP.ready
	jmgpu_vfio_hold "$1" $MDEV_TMP.ready > $MDEV_TMP.hold 2>&1 &
	_h=$!
	wait_for 100 test -e $MDEV_TMP.ready
	_r=$?
	kill $_h 2>/dev/null
	wait $_h 2>/dev/null
	sed 's/^/# hold: /' $MDEV_TMP.hold
	return $_r
}

plan 14
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
if ! command -v libvirtd > /dev/null || ! command -v virsh > /dev/null || ! have_qemu; then
	for i in $(seq 13); do skip "libvirt check $i" "libvirtd, virsh, the nested QEMU or the payload missing"; done
	tap_done
	exit 0
fi
t0=$(cut -d' ' -f1 /proc/uptime)
require "libvirtd starts as root and answers virsh on qemu:///system" lv_start
t1=$(cut -d' ' -f1 /proc/uptime)
diag "libvirtd answered after $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
vf0=$(vf_n 0)
vf1=$(vf_n 1)
u=$(new_uuid)
M=/sys/bus/mdev/devices/$u
require "vGPU on VF0 by mdevctl define --auto + start" \
	eval 'mdevctl define -u $u -p $vf0 -t $VDRV-fb128m-w6 --auto && mdevctl start -u $u && [ -e $M ]'

# mdev form: the documented XML with the vGPU's UUID
dom_xml vgpu-mdev m1 "s/5a1e0001-0000-4000-8000-000000000001/$u/"
t0=$(cut -d' ' -f1 /proc/uptime)
dom_start m1
rc=$?
[ $rc = 0 ] || dom_show m1
check "virsh define + start: domain with <hostdev type='mdev'> of the vGPU's UUID" [ $rc = 0 ]
check "its guest runs the payload: copy jobs verified (domain serial log)" dom_payload m1
t1=$(cut -d' ' -f1 /proc/uptime)
diag "virsh start to copy jobs ok: $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
grep -o "sysfsdev[^,}]*" $LVLOG/qemu/m1.log | head -n 1 | sed 's/^/# libvirt gave QEMU: /'
check "libvirt passed the vGPU to QEMU as sysfsdev=$M (domain log), the VF is open" \
	eval 'grep -q "sysfsdev.*$M" $LVLOG/qemu/m1.log && vgpu_open $u'

# a second domain with the same vGPU while the first runs
dom_xml vgpu-mdev m2 "s/5a1e0001-0000-4000-8000-000000000001/$u/"
dom_start m2
rc=$?
dom_show m2
check "a second domain with the same vGPU is refused (in use by domain m1), m1 keeps it" \
	eval '[ $rc != 0 ] && grep -q "in use by.*m1" $MDEV_TMP.m2.virsh && vgpu_open $u &&
		virsh domstate m1 | grep -q running'
virsh undefine m2 > /dev/null 2>&1

if vgpu_open "$u"; then held=1; else held=0; fi
virsh destroy m1 > $MDEV_TMP.destroy 2>&1
check "virsh destroy of m1, which held the VF: the VF is closed (jmgpu/open 0) and the next VFIO user opens it" \
	eval '[ $held = 1 ] && vgpu_closed $u && next_user $vf0'
check "the vGPU stays: in sysfs and in mdevctl list (defined, auto)" \
	eval '[ -e $M ] && mdevctl list | grep -q $u && mdevctl list --defined | grep $u | grep -q auto'

# persistence: module reload and rebind, the same domain starts again
for v in $VFS; do pci_unbind "$v"; done
rmmod $VDRV
insmod $MODDIR/$VDRV.ko && mdev_bind_vfs
check "module reload + rebind: the vGPU is back with the same UUID on VF0" \
	eval '[ -e $M ] && [ "$(cut -d" " -f1 $M/jmgpu/vf)" = $vf0 ]'
dom_start m1
rc=$?
[ $rc = 0 ] || dom_show m1
check "virsh start of the same domain again: the payload's copy jobs verify" \
	eval '[ $rc = 0 ] && dom_payload m1'
virsh destroy m1 > /dev/null 2>&1

# PCI form, managed='no': libvirt 9.0 takes a VF bound to a driver other
# than vfio-pci for one that the user forgot to detach
u1=$(mdev_create "$vf1" fb64m-w3)
bus=$(echo "$vf1" | cut -d: -f2)
slot=$(echo "$vf1" | cut -d: -f3 | cut -d. -f1)
fn=$(echo "$vf1" | cut -d. -f2)
pcixml="s/bus='0x01' slot='0x00' function='0x1'/bus='0x$bus' slot='0x$slot' function='0x$fn'/"
dom_xml vgpu-pci p1 "$pcixml"
dom_start p1
prc=$?
dom_show p1
check "managed='no', VF1 on $VDRV: libvirt 9.0 refuses to start ('must be manually detached'), VF1 and its vGPU untouched" \
	eval '[ $prc != 0 ] && grep -q "must be manually detached" $MDEV_TMP.p1.virsh &&
		same "$(pci_driver $vf1)" $VDRV && [ -e /sys/bus/mdev/devices/$u1 ] && vgpu_closed $u1'
virsh undefine p1 > /dev/null 2>&1

# managed='yes': libvirt 9.0 detaches the VF itself, to plain vfio-pci
dom_xml vgpu-pci p2 "$pcixml" "s/managed='no'/managed='yes'/"
dom_start p2
prc=$?
drv=$(pci_driver $vf1)
dom_show p2
dom_payload p2
diag "managed='yes': virsh start status $prc, VF1 driver during the run: '$drv'"
check "managed='yes': libvirt 9.0 rebinds VF1 to plain vfio-pci and starts the domain" \
	eval '[ $prc = 0 ] && [ "$drv" = vfio-pci ]'
check "... the vGPU is removed first: the guest finds VF1 unprovisioned (payload: VF not provisioned)" \
	eval '[ ! -e /sys/bus/mdev/devices/$u1 ] && grep -q "VF not provisioned" $LVLOG/qemu/p2.serial'
virsh destroy p2 > /dev/null 2>&1
diag "after virsh destroy: VF1 driver '$(pci_driver $vf1)', driver_override '$(cat /sys/bus/pci/devices/$vf1/driver_override)'"
tap_done
