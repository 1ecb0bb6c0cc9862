#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vGPU lifecycle while a VM holds it, as orchestrators rely on it (upstream
# mdev semantics): stopping an in-use vGPU asks its user to release the
# device through the VFIO request eventfd and completes when the VF is
# closed, keeping every resource until then; a vGPU in use cannot be given
# to a second VM; a stop that is killed while it waits leaves the resources
# with the VM until it closes; the VF of a vGPU is never handed to another
# driver while the vGPU lives. "A VM" is jmgpu_vfio_hold (no request
# channel) or a nested QEMU (it answers the request by trying to unplug).
. ./lib.sh
. ./mdev-lib.sh
. ./mdev-uuid-lib.sh

NVFS=3
QPID=
HP=
trap 'qemu_quit; [ -n "$HP" ] && kill $HP 2>/dev/null; mdev_cleanup' EXIT
plan 21
check "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
A=$(vf_n 0)
B=$(vf_n 1)
T=$VDRV-fb64m-w3

# pf_vf <index>: the profile the PF has the VF provisioned with ("-": none)
pf_vf() { cat $P/jmgpu_vf/$1/profile; }
# vf_vgpu <bdf>: the vGPU UUID the VF's driver holds ("" when none)
vf_vgpu() { cut -d' ' -f1 /sys/bus/pci/devices/$1/jmgpu_vfio/vgpu 2>/dev/null; }
# hold <bdf>: a VFIO user opens the VF (PCI address) and keeps it open
hold() {
	rm -f $MDEV_TMP.ready
	jmgpu_vfio_hold "$1" $MDEV_TMP.ready > $MDEV_TMP.hold 2>&1 &
	HP=$!
	wait_for 100 test -e $MDEV_TMP.ready
}
release() { kill "$HP" 2>/dev/null; wait "$HP"; HP=; }
gone() { [ ! -e /sys/bus/mdev/devices/$1 ]; }

# --- mdevctl stop while a VFIO user without a request channel holds it
u=$(new_uuid)
mdevctl start -u "$u" -p "$A" -t $T
hold "$A"
check "a VM holds vGPU $u on VF A (jmgpu/open 1)" vgpu_open "$u"
dmesg_mark
mdevctl stop -u "$u" > $MDEV_TMP.stop1 2>&1 &
sp=$!
sleep 3
check "mdevctl stop of the vGPU in use waits (still running after 3 s)" kill -0 $sp
check "every resource kept meanwhile (PF: vf0 provisioned fb64m-w3, VF A holds $u)" \
	eval '[ "$(pf_vf 0)" = fb64m-w3 ] && [ "$(vf_vgpu $A)" = "$u" ]'
newdmesg | grep jmgpu | sed 's/^/# dmesg: /'
check "dmesg: the user is asked to release the VF (request channel absent: said so)" \
	eval 'newdmesg | grep -q "is in use: asking its user to release" && newdmesg | grep -q "No device request channel registered"'
timeout 10 jmgpu_vfio_hold "$A" > $MDEV_TMP.hold2 2>&1
rc=$?
check "VF A cannot be given to a second VM meanwhile (open refused: $rc)" [ $rc = 1 ]
got=$(try_write "$(mdev_type_dir "$B" fb64m-w3)/create" "$u")
check "its UUID cannot be started on VF B meanwhile: '$got'" [ "$got" = "File exists" ]
dmesg_mark
got=$(try_write "$(mdev_type_dir "$A" fb64m-w3)/create" "$(new_uuid)")
check "no new vGPU on VF A meanwhile: '$got', dmesg says why" \
	eval '[ "$got" = "Device or resource busy" ] && newdmesg | grep -q "being removed"'
mdevctl stop -u "$u" > $MDEV_TMP.stop2 2>&1
rc=$?
sed 's/^/# second mdevctl stop: /' $MDEV_TMP.stop2
check "a second stop meanwhile fails ($rc): No such file or directory (the removal is in progress), not Permission denied" \
	eval '[ $rc != 0 ] && grep -q "No such file or directory" $MDEV_TMP.stop2 && ! grep -qi "permission denied" $MDEV_TMP.stop2 && kill -0 $sp'
dmesg_mark
release
wait $sp
rc=$?
sed 's/^/# mdevctl stop: /' $MDEV_TMP.stop1
check "once the VM closes the VF the stop completes (status $rc)" [ $rc = 0 ]
check "the vGPU is gone, VF A unprovisioned (PF: vf0 -), its types available" \
	eval 'gone $u && [ "$(pf_vf 0)" = - ] && [ "$(cat $(mdev_type_dir $A fb64m-w3)/available_instances)" = 1 ]'

# --- the request reaches QEMU: it tries to unplug the device
if have_qemu; then
	u=$(mdev_create "$A" fb64m-w3)
	qemu_hold req "sysfsdev=/sys/bus/mdev/devices/$u"
	wait_for 900 vgpu_open "$u"
	dmesg_mark
	(echo 1 > /sys/bus/mdev/devices/$u/remove) 2> $MDEV_TMP.rm &
	rp=$!
	wait_for 600 qemu_said req "hotplug"
	show_qemu req
	check "the removal's request reaches QEMU through the request eventfd (it tries to unplug)" \
		eval 'qemu_said req "does not support hotplugging" && newdmesg | grep -q "Relaying device request to user"'
	check "QEMU cannot unplug on pcie.0: the removal waits, resources kept" \
		eval 'kill -0 $rp && [ "$(pf_vf 0)" = fb64m-w3 ]'
	qemu_quit
	wait $rp
	rc=$?
	check "QEMU quits: the removal completes (status $rc), VF A unprovisioned" \
		eval '[ $rc = 0 ] && gone $u && [ "$(pf_vf 0)" = - ]'
else
	skip "request reaches QEMU" "qemu-system-x86_64 or the payload missing"
	skip "removal waits for QEMU" "no QEMU"
	skip "removal completes when QEMU quits" "no QEMU"
fi

# --- a waiting stop that is killed: the resources stay with the VM
u=$(mdev_create "$A" fb64m-w3)
hold "$A"
dmesg_mark
timeout 3 sh -c "echo 1 > /sys/bus/mdev/devices/$u/remove"
rc=$?
check "a waiting removal killed after 3 s ends ($rc); the vGPU has left /sys/bus/mdev; dmesg says the resources stay" \
	eval '[ $rc != 0 ] && gone $u && newdmesg | grep -q "resources stay with"'
check "the VM keeps the resources (PF: vf0 provisioned fb64m-w3, VF A still open)" \
	eval '[ "$(pf_vf 0)" = fb64m-w3 ] && kill -0 $HP'
got=$(try_write "$(mdev_type_dir "$A" fb64m-w3)/create" "$(new_uuid)")
check "no new vGPU on VF A until it closes: '$got'" [ "$got" = "Device or resource busy" ]
release
check "when the VF closes its resources go (PF: vf0 -) and a new vGPU on VF A works" \
	eval '[ "$(pf_vf 0)" = - ] && mdev_create $A fb64m-w3 > /dev/null'
mdev_remove_all

# --- the VF of a vGPU is not handed to vfio-pci behind the vGPU's back
modprobe vfio-pci
u=$(mdev_create "$B" fb64m-w3)
hold "$B"
echo vfio-pci > /sys/bus/pci/devices/$B/driver_override
(echo "$B" > /sys/bus/pci/drivers/$VDRV/unbind) &
up=$!
sleep 3
check "unbinding VF B while its vGPU is in use waits (the vGPU and its resources stay with the VM)" \
	eval 'kill -0 $up && kill -0 $HP && [ -e /sys/bus/mdev/devices/$u ] && [ "$(pf_vf 1)" = fb64m-w3 ]'
release
wait $up
check "once released the vGPU goes first: VF B unbound with its vGPU removed and unprovisioned" \
	eval '[ -z "$(pci_driver $B)" ] && gone $u && [ "$(pf_vf 1)" = - ]'
echo "$B" > /sys/bus/pci/drivers_probe
check "vfio-pci gets VF B without any of the vGPU's resources (PF: vf1 -)" \
	eval '[ "$(pci_driver $B)" = vfio-pci ] && [ "$(pf_vf 1)" = - ]'
tap_done
