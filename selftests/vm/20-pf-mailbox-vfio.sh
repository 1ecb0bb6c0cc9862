#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The firmware mailbox driven from userspace through VFIO (the real IOMMU
# path) with the PF on the stock vfio-pci, before any jmgpu driver exists:
# pass 1 without VFs (protocol, interrupts, malformed requests), pass 2 with
# VFs enabled through sysfs (VF contexts, provisioning, a DMA copy job on
# VF 0 through its own IOMMU group, FB scrub). Pass 2 does not count the
# protocol again: the steps it repeats are its set-up, a TAP line only when
# they fail. See pf_mailbox.c.
. ./lib.sh

NVFS=4
tmp=/tmp/20-mbox.$$
pf=$(jmgpu_pf)
if [ -z "$pf" ]; then
	plan 1
	not_ok "jmgpu PF (1ee7:0001) present"
	exit 1
fi
diag "PF at $pf"
pf_drv_was=$(pci_driver "$pf")
PATH=$PATH:/jmgpu/bin

cleanup() {
	[ "$(cat /sys/bus/pci/devices/$pf/sriov_numvfs 2>/dev/null)" != 0 ] &&
		echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs
	if [ "$(pci_driver "$pf")" != "$pf_drv_was" ]; then
		pci_unbind "$pf"
		pci_clear_override "$pf"
		[ -n "$pf_drv_was" ] && echo "$pf" > /sys/bus/pci/drivers_probe
	fi
	pci_clear_override "$pf"
	vfio_pci_restore
	rm -f "$tmp".*
}
trap cleanup EXIT

run_prog() {	# run_prog <prefix> args...: run pf_mailbox, relay its TAP
	_pfx=$1
	shift
	pf_mailbox "$@" > "$tmp.out" 2>&1
	_rc=$?
	tap_relay "$tmp.out" "$_pfx"
	check "${_pfx}pf_mailbox exit status 0 (got $_rc)" test $_rc -eq 0
}

if ! command -v pf_mailbox > /dev/null; then
	not_ok "pf_mailbox program installed in /jmgpu/bin"
	plan_end; exit 1
fi
if ! vfio_pci_load; then
	not_ok "vfio-pci loaded with enable_sriov=1"
	plan_end; exit 1
fi
ok "vfio-pci loaded with enable_sriov=1"
if ! pci_bind "$pf" vfio-pci; then
	not_ok "PF bound to vfio-pci"
	plan_end; exit 1
fi
ok "PF bound to vfio-pci"

# pass 1: no VFs
run_prog "PF: " "$pf"

# pass 2: VFs enabled first (a vfio-pci PF must not be open for that and
# the PF's VF token is then set by the program before it opens VF 0); only
# the VF checks are TAP lines here
if echo $NVFS > /sys/bus/pci/devices/$pf/sriov_numvfs; then
	ok "echo $NVFS > sriov_numvfs on the vfio-pci PF"
else
	not_ok "echo $NVFS > sriov_numvfs on the vfio-pci PF"
	dmesg | tail -20 | sed 's/^/#   /'
	plan_end; exit 1
fi
vf0=$(jmgpu_vfs "$pf" | head -n1)
if [ -n "$vf0" ] && pci_bind "$vf0" vfio-pci; then
	ok "VF 0 ($vf0) bound to vfio-pci"
	run_prog "PF+VF: " "$pf" "$vf0" $NVFS
else
	not_ok "VF 0 ($vf0) bound to vfio-pci"
fi

check "echo 0 > sriov_numvfs" sh -c "echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs"
check "no VF left" test ! -e /sys/bus/pci/devices/$pf/virtfn0
# (the program provokes the two VF token messages on purpose)
if dmesg | grep -iE "vfio.*(Incorrect|required)|DMAR.*fault" | grep -v -e "VF token required" -e "Incorrect VF token" > "$tmp.k"; then
	diag "kernel log lines of interest:"; sed 's/^/#   /' "$tmp.k"
fi

plan_end
tap_done
