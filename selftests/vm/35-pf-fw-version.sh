#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# jmgpu_pf firmware-interface version check. The firmware is made to report
# another interface version through the test block (TEST_FW_VERSION, armed
# with the PF unbound; sticky across PF resets): a different major (2.0,
# 0.9) refuses the device with a dmesg line naming both versions, leaves it
# unbound, nothing oopses; a newer minor (1.7) is accepted and shown in
# fw_version; with the override cleared the PF binds as 1.3 again.
. ./lib.sh

MOD=/jmgpu/modules/jmgpu_pf.ko
pf=$(jmgpu_pf) || { plan 1; not_ok "jmgpu PF present"; exit 1; }
P=/sys/bus/pci/devices/$pf
J=$P/jmgpu

cleanup() {
	pci_unbind "$pf"
	jmgpu_fault "$pf" fw-version 0
	grep -q '^jmgpu_pf ' /proc/modules && rmmod jmgpu_pf
}
trap cleanup EXIT
pci_unbind "$pf"
dmesg_mark
verreg() { jmgpu_fault "$pf" reg 0x8; }
# bind_pf: bind through the driver's bind file; prints the error text
bind_pf() { (echo "$pf" > /sys/bus/pci/drivers/jmgpu_pf/bind) 2>&1 | sed 's/.*: //'; }

plan 15
check "PF unbound, registers readable (magic)" \
	eval '[ -z "$(pci_driver "$pf")" ] && [ "$(jmgpu_fault "$pf" reg 0)" = 0x504d474a ]'
check "firmware reports 1.3 by default" [ "$(verreg)" = 0x00010003 ]

# major mismatch: probe at insmod time
jmgpu_fault "$pf" fw-version 2.0
check "override armed: FW_IFACE_VERSION reads 2.0" [ "$(verreg)" = 0x00020000 ]
err=$(try_write $P/reset 1)
check "PF reset through sysfs ('$err'), the override survives it" \
	eval '[ -z "$err" ] && [ "$(verreg)" = 0x00020000 ]'
check "insmod with firmware 2.0: module loads, PF left unbound" \
	eval 'insmod $MOD && grep -q "^jmgpu_pf " /proc/modules && [ -z "$(pci_driver "$pf")" ] && [ ! -e $J ]'
check "dmesg names both versions (firmware 2.0, driver 1.3)" \
	eval 'newdmesg | grep -q "$pf: firmware interface version 2.0 not supported by driver interface version 1.3"'
err=$(bind_pf)
check "explicit bind with firmware 2.0 refused ($err), still unbound" \
	eval '[ -n "$err" ] && [ -z "$(pci_driver "$pf")" ]'

# older major
jmgpu_fault "$pf" fw-version 0.9
err=$(bind_pf)
check "firmware 0.9 refused ($err), dmesg names 0.9 and 1.3" \
	eval '[ -z "$(pci_driver "$pf")" ] &&
	newdmesg | grep -q "firmware interface version 0.9 not supported by driver interface version 1.3"'

# newer minor of the same major: accepted, HELLO reports it
jmgpu_fault "$pf" fw-version 1.7
err=$(bind_pf)
check "firmware 1.7 (newer minor) accepted: PF bound" \
	eval '[ -z "$err" ] && [ "$(pci_driver "$pf")" = jmgpu_pf ]'
check "fw_version shows 1.7 (HELLO reply)" eval 'cat $J/fw_version | grep -q "^1\.7 "'
check "PF with firmware 1.7 works: 2 VFs enabled and disabled" \
	sh -c "echo 2 > $P/sriov_numvfs && [ \$(ls $P/jmgpu_vf | wc -l) = 2 ] && echo 0 > $P/sriov_numvfs"
check "PF with firmware 1.7 unbinds" pci_unbind "$pf"

# override cleared: back to 1.3
jmgpu_fault "$pf" fw-version 0
check "override cleared: FW_IFACE_VERSION reads 1.3" [ "$(verreg)" = 0x00010003 ]
err=$(bind_pf)
check "PF binds again with firmware 1.3" \
	eval '[ -z "$err" ] && [ "$(pci_driver "$pf")" = jmgpu_pf ] && grep -q "^1\.3 " $J/fw_version'
rmmod jmgpu_pf
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "nothing oopsed, no warning"
else
	ok "nothing oopsed, no warning"
fi
tap_done
