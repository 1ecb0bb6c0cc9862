#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# jmgpu_pf: probe (magic, version, HELLO/GET_CAPS, MSI-X), load/unload 20
# times with 0, 1 and 32 VFs enabled (remove with VFs enabled), unbind with
# VFs enabled, no leak (SUnreclaim delta), no warning in dmesg.
. ./lib.sh

MOD=/jmgpu/modules/jmgpu_pf.ko
CYCLES=${JMGPU_LOAD_CYCLES:-20}
pf=$(jmgpu_pf) || { plan 1; not_ok "jmgpu PF present"; exit 1; }
P=/sys/bus/pci/devices/$pf
J=$P/jmgpu

cleanup() {
	[ -e $P/sriov_numvfs ] && [ -e $J ] && echo 0 > $P/sriov_numvfs 2>/dev/null
	grep -q '^jmgpu_pf ' /proc/modules && rmmod jmgpu_pf
	pci_unbind "$pf"
}
trap cleanup EXIT
pci_unbind "$pf"

plan 12
mark=jmgpu-test-mark-$$-$(cut -d' ' -f1 /proc/uptime)
echo "$mark" > /dev/kmsg
newdmesg() { dmesg | sed -n "/$mark/,\$p"; }
sunreclaim() { awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo; }

check "insmod jmgpu_pf.ko" insmod $MOD
check "PF bound to jmgpu_pf" [ "$(pci_driver "$pf")" = jmgpu_pf ]
fwv=$(cat $J/fw_version 2>/dev/null)
diag "fw_version: $fwv"
check "handshake done: fw_version 1.x and caps in sysfs" \
	sh -c "echo '$fwv' | grep -q '^1\.' && [ \$(cat $J/fb_size) -gt 0 ]"
check "2 MSI-X vectors (mailbox, events)" \
	sh -c "grep -c 'jmgpu_pf-' /proc/interrupts | grep -qx 2"
check "sriov_totalvfs 32, sriov_vf_total_msix 64" \
	sh -c "[ \$(cat $P/sriov_totalvfs) = 32 ] && [ \$(cat $P/sriov_vf_total_msix) = 64 ]"
rmmod jmgpu_pf

cycle() {	# cycle <numvfs>
	insmod $MOD || return 1
	if [ "$1" != 0 ]; then
		echo "$1" > $P/sriov_numvfs || return 1
		[ "$(ls -d $P/virtfn* | wc -l)" = "$1" ] || return 1
	fi
	rmmod jmgpu_pf || return 1
	[ ! -e $P/virtfn0 ]
}

cycle 0 && cycle 1 && cycle 32	# warm-up: slab caches, IOMMU groups
base=$(sunreclaim)
for n in 0 1 32; do
	i=0 fail=0
	t0=$(cut -d' ' -f1 /proc/uptime)
	while [ $i -lt "$CYCLES" ]; do
		cycle $n || { fail=1; diag "cycle $i with $n VFs failed"; break; }
		i=$((i + 1))
	done
	diag "$CYCLES cycles with $n VFs: $(cut -d' ' -f1 /proc/uptime) - $t0 s"
	check "load/unload $CYCLES times with $n VFs enabled" [ $fail = 0 ]
done
now=$(sunreclaim)
diag "SUnreclaim: $base kB after warm-up, $now kB after $((3 * CYCLES)) cycles"
check "no unreclaimable slab growth (< 1024 kB)" [ $((now - base)) -lt 1024 ]

# unbind/rebind with VFs enabled and auto-provisioned
insmod $MOD auto_provision=fb64m-w3
echo 8 > $P/sriov_numvfs
echo "$pf" > /sys/bus/pci/drivers/jmgpu_pf/unbind
ok_unbind=$?
check "unbind with 8 provisioned VFs: VFs gone" \
	sh -c "[ $ok_unbind = 0 ] && [ ! -e $P/virtfn0 ] && [ ! -e $J ]"
echo "$pf" > /sys/bus/pci/drivers/jmgpu_pf/bind
check "rebind: PF usable again, 0 VFs, nothing provisioned" \
	sh -c "[ \$(cat $P/sriov_numvfs) = 0 ] && [ \$(cat $J/fb_free) = \$(cat $J/fb_size) ]"
rmmod jmgpu_pf

if newdmesg | grep -v "$mark" | grep -E -i 'WARNING|BUG:|Oops|leak|Call Trace|refcount'; then
	not_ok "no warning, BUG or leak report in dmesg"
else
	ok "no warning, BUG or leak report in dmesg"
fi
tap_done
