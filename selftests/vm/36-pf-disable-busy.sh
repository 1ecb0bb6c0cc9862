#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# jmgpu_pf: with auto_provision on, SR-IOV disable is refused while a VF
# bound to plain vfio-pci is held open by a user (jmgpu_vfio_hold): EBUSY,
# a dmesg line naming the VF, VFs and provisioning unchanged; once the
# user exits (VF still bound to vfio-pci, not open) the disable works.
. ./lib.sh

pf_test_env || exit 1
hpid=

cleanup() {
	[ -n "$hpid" ] && kill "$hpid" 2>/dev/null && wait "$hpid" 2>/dev/null
	pf_cleanup
}
trap cleanup EXIT
pci_unbind "$pf"
dmesg_mark
nvfs() { cat $P/sriov_numvfs; }

plan 11
require "insmod jmgpu_pf.ko auto_provision=fb64m-w3, 2 VFs" \
	sh -c "insmod $MOD auto_provision=fb64m-w3 && echo 2 > $P/sriov_numvfs"
vf1=$(jmgpu_vfs "$pf" | sed -n 2p)
modprobe vfio_iommu_type1 2>/dev/null; modprobe vfio-pci 2>/dev/null
require "vf1 ($vf1) bound to vfio-pci" pci_bind "$vf1" vfio-pci
inuse() { vfattr "$pf" "$1" in_use; }
check "vf1 bound but not open: not in use (jmgpu_vf/1/in_use)" [ "$(inuse 1)" = 0 ]
rm -f /tmp/36.ready
jmgpu_vfio_hold "$vf1" /tmp/36.ready > /tmp/36.hold 2>&1 &
hpid=$!
i=0
while [ $i -lt 100 ] && [ ! -e /tmp/36.ready ] && kill -0 $hpid 2>/dev/null; do
	sleep 0.1; i=$((i + 1))
done
check "vf1 opened through VFIO by a user process: in use (jmgpu_vf/1/in_use)" \
	eval '[ -e /tmp/36.ready ] && [ "$(inuse 1)" = 1 ]'
[ -e /tmp/36.ready ] || sed 's/^/# hold: /' /tmp/36.hold
vf_table "$pf" > /tmp/36.vfs.before

# A disable that went ahead would block in vfio-pci's remove until the
# user closes the device: write in the background, give up after 15 s.
(echo 0 > $P/sriov_numvfs) 2> /tmp/36.err &
wpid=$!
i=0
while [ $i -lt 150 ] && kill -0 $wpid 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
if kill -0 $wpid 2>/dev/null; then
	diag "sriov_numvfs write still blocked after 15 s (disable went ahead"
	diag "with vf1 open, vfio-pci waits for the user): killing the holder"
	kill $hpid
fi
wait $wpid
got=$(sed 's/.*: //' /tmp/36.err)
check "echo 0 > sriov_numvfs while vf1 is open: '$got'" [ "$got" = "Device or resource busy" ]
check "dmesg: cannot disable VFs: vf1 ($vf1) is bound to a driver that has it open" \
	eval 'newdmesg | grep -q "cannot disable VFs: vf1 ($vf1) is bound to a driver that has it open"'
check "state unchanged: 2 VFs, both still provisioned fb64m-w3, vf1 still on vfio-pci" \
	eval '[ "$(nvfs)" = 2 ] && vf_table "$pf" | cmp -s /tmp/36.vfs.before - &&
	[ "$(pci_driver "$vf1")" = vfio-pci ] && kill -0 $hpid'
vf_table "$pf" | cmp -s /tmp/36.vfs.before - || vf_table "$pf" | diff /tmp/36.vfs.before - | sed 's/^/# /'

kill $hpid
wait $hpid
hrc=$?
hpid=
check "holder exited cleanly after SIGTERM (closed the device)" [ $hrc = 0 ]
got=$(try_write $P/sriov_numvfs 0)
check "echo 0 > sriov_numvfs after the user exited succeeds ('$got')" \
	eval '[ -z "$got" ] && [ "$(nvfs)" = 0 ] && [ ! -e $P/virtfn0 ]'
check "everything released (fb_free == fb_size)" \
	eval 'same "$(cat $J/fb_free)" "$(cat $J/fb_size)"'
rmmod jmgpu_pf
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "nothing oopsed, no warning"
else
	ok "nothing oopsed, no warning"
fi
tap_done
