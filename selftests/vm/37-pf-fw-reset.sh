#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# jmgpu_pf: a firmware reset nobody asked for (PF CONTROL.RESET poked from
# userspace behind the driver's back: the firmware restarts, loses every VF
# context and provisioning, and posts FW_RESET_DONE). The driver notices
# the unrequested FW_RESET_DONE, logs it, counts one recovery (exactly one:
# its own reset is not mistaken for another), restores the VF contexts,
# every provisioning and the scheduler settings; a VF runs a job again.
# Then a PCI reset of the PF itself (FLR through sysfs, the driver bound):
# the same restore, and the VFs' event totals, which the reset restarted
# from zero, are taken anew (a VF FLR after it is delivered).
. ./lib.sh

pf_test_env || exit 1

trap pf_cleanup EXIT
pci_unbind "$pf"
dmesg_mark
rec() { cat $J/recoveries; }
wait_recovery() {
	_i=0
	while [ $_i -lt 30 ]; do
		if [ "$(rec)" -ge "$1" ] && [ "$(cat $J/fw_state)" = ok ]; then
			return 0
		fi
		sleep 0.5
		_i=$((_i + 1))
	done
	diag "recoveries $(rec), fw_state $(cat $J/fw_state)"
	return 1
}

plan 16
require "insmod, 4 VFs auto-provisioned fb64m-w3, equal-share 3000 us" \
	sh -c "insmod $MOD auto_provision=fb64m-w3 && echo 4 > $P/sriov_numvfs &&
	echo equal-share > $J/sched_policy && echo 3000 > $J/timeslice_us"
grep -v '^#' $D/fw_query > /tmp/37.before
check "firmware has 4 provisioned VFs (fw_query)" [ "$(wc -l < /tmp/37.before)" = 4 ]
n=$(rec)

jmgpu_fault "$pf" fw-reset
check "unrequested firmware reset: one recovery" wait_recovery $((n + 1))
check "dmesg: firmware problem: firmware reset without request, recovering" \
	eval 'newdmesg | grep -q "firmware problem: firmware reset without request, recovering"'
check "dmesg: recovery done with 4 VF contexts restored" \
	eval 'newdmesg | grep -q "recovery [0-9]* done: 4 VF contexts"'
grep -v '^#' $D/fw_query > /tmp/37.after
check "all 4 provisionings restored in the firmware, same slices" \
	eval '[ $(wc -l < /tmp/37.after) = 4 ] && cmp -s /tmp/37.before /tmp/37.after'
cmp -s /tmp/37.before /tmp/37.after || diff /tmp/37.before /tmp/37.after | sed 's/^/# /'
check "scheduler settings restored (GET_SCHED: 1 3000)" [ "$(cat $D/fw_sched)" = "1 3000" ]
sleep 3
check "the driver's own reset did not start another recovery (recoveries $(rec) = $((n + 1)))" \
	[ "$(rec)" = $((n + 1)) ]

vf0=$(jmgpu_vfs "$pf" | head -n1)
modprobe vfio_iommu_type1 2>/dev/null; modprobe vfio-pci 2>/dev/null
if pci_bind "$vf0" vfio-pci; then
	check "vf0 runs a copy job through vfio-pci after the reset" jmgpu_copy "$vf0" 65536
	pci_unbind "$vf0"; pci_clear_override "$vf0"
else
	not_ok "vf0 bound to vfio-pci"
fi
# ev <vf> <field>: debugfs events, 3 = driver's FLR count, 9 = firmware's
ev() { awk -v v="vf$1" -v f="$2" '$1 == v { print $f }' $D/events; }
n=$(rec)
dmesg_mark
check "PF FLR through sysfs with 4 provisioned VFs: one recovery, fw_state ok" \
	eval 'echo 1 > $P/reset && wait_recovery $((n + 1))'
check "dmesg: the recovery names the PF reset as its cause" \
	eval 'newdmesg | grep -q "firmware problem: PF reset (FLR or bus reset), recovering"'
grep -v '^#' $D/fw_query > /tmp/37.pfflr
check "all 4 provisionings and the scheduler restored after the PF FLR" \
	eval 'cmp -s /tmp/37.before /tmp/37.pfflr && [ "$(cat $D/fw_sched)" = "1 3000" ]'
f0=$(ev 0 3)
check "vf0 FLR after the PF FLR reaches the driver (its FLR count +1)" \
	eval 'echo 1 > /sys/bus/pci/devices/$vf0/reset && sleep 1 && [ "$(ev 0 3)" = $((f0 + 1)) ]'
diag "vf0 FLRs: driver $f0 -> $(ev 0 3), firmware total (restarted by the PF FLR) $(ev 0 9)"
sleep 3
check "one recovery for the PF FLR, none for its own reset (recoveries $(rec) = $((n + 1)))" \
	[ "$(rec)" = $((n + 1)) ]
check "disable and unload" sh -c "echo 0 > $P/sriov_numvfs && rmmod jmgpu_pf"
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "nothing oopsed, no warning"
else
	ok "nothing oopsed, no warning"
fi
tap_done
