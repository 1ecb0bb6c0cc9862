#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# jmgpu_pf recovery from firmware faults armed through the test-only block
# (jmgpu_fault): firmware hang, dropped reply, and a corrupted reply of
# every JMGPU_CORRUPT_* kind. Each is rejected or detected, a dmesg line
# names it, the firmware is reset and every VF context, provisioning and
# scheduler setting is restored; VFs work again; nothing oopses.
. ./lib.sh

pf_test_env || exit 1

trap pf_cleanup EXIT
pci_unbind "$pf"
dmesg_mark
# wait_recovery <count>: until recoveries >= count and the mailbox works
wait_recovery() {
	_i=0
	while [ $_i -lt 30 ]; do
		if [ "$(cat $J/recoveries)" -ge "$1" ] && [ "$(cat $J/fw_state)" = ok ]; then
			return 0
		fi
		sleep 0.5
		_i=$((_i + 1))
	done
	diag "recoveries $(cat $J/recoveries), fw_state $(cat $J/fw_state)"
	return 1
}
rec() { cat $J/recoveries; }

plan 19
require "insmod jmgpu_pf.ko (0 VFs: only the test's requests use the mailbox)" insmod $MOD
check "ping works" grep -qx ok $D/ping

# firmware hang: heartbeat stops, no replies
n=$(rec)
jmgpu_fault "$pf" hang
check "firmware hang: detected by the heartbeat check and recovered" wait_recovery $((n + 1))
check "hang: dmesg names the cause" eval 'newdmesg | grep -q "heartbeat stalled"'
check "hang: ping works after recovery" grep -qx ok $D/ping

# dropped reply: the request times out
n=$(rec)
jmgpu_fault "$pf" on PING drop
err=$( (cat $D/ping) 2>&1 | sed 's/.*: //')
check "dropped reply: request fails with a timeout ($err)" [ "$err" = "Connection timed out" ]
check "dropped reply: recovered, dmesg says timed out" \
	eval 'wait_recovery $((n + 1)) && newdmesg | grep -q "PING seq [0-9]* timed out"'

# corrupted replies: every JMGPU_CORRUPT_* kind
r=0
for kr in "0:sequence mismatch" "1:opcode mismatch" "2:bad payload length" \
	  "3:undefined status" "4:payload field out of range" "5:reserved field set"; do
	k=${kr%%:*} why=${kr#*:}
	n=$(rec)
	jmgpu_fault "$pf" on PING corrupt "$k"
	err=$( (cat $D/ping) 2>&1 | sed 's/.*: //')
	if [ "$err" != "Protocol error" ]; then
		r=1; diag "corrupt kind $k: ping gave '$err'"
	fi
	if ! newdmesg | grep -q "reply to PING.*rejected: $why"; then
		r=1; diag "corrupt kind $k: no 'rejected: $why' line"
	fi
	wait_recovery $((n + 1)) || { r=1; diag "corrupt kind $k: no recovery"; }
done
check "corrupted PING reply of kinds 0..5 rejected (-EPROTO, reason logged), recovered" [ $r = 0 ]

# payload corruption of the commands with payload validators
r=0
for f in fw_sched:GET_SCHED fw_log:GET_LOG; do
	n=$(rec)
	# aimed at the call: the monitor's own calls must not take the fault
	jmgpu_fault "$pf" on "${f#*:}" corrupt 4
	f=${f%%:*}
	if cat $D/$f > /dev/null 2>&1; then r=1; diag "$f accepted a corrupted payload"; fi
	wait_recovery $((n + 1)) || r=1
done
check "corrupted GET_SCHED / GET_LOG payloads rejected, recovered" [ $r = 0 ]

# with provisioned VFs: everything is restored
check "8 VFs auto-provisioned fb64m-w3, equal-share 3000 us" \
	eval 'echo fb64m-w3 > $J/auto_provision && echo 8 > $P/sriov_numvfs &&
	same "$(vf_table "$pf" | grep -c "^vf[0-9]* fb64m-w3 auto ")" 8 &&
	echo equal-share > $J/sched_policy && echo 3000 > $J/timeslice_us'
grep -v '^#' $D/fw_query > /tmp/33.before
n=$(rec)
jmgpu_fault "$pf" on VF_QUERY corrupt 4
err=$( (cat $D/fw_query) 2>&1 | sed 's/.*: //')
check "corrupted VF_QUERY payload rejected ($err), recovered" \
	eval '[ "$err" = "Protocol error" ] && wait_recovery $((n + 1))'
n=$(rec)
jmgpu_fault "$pf" hang
check "hang with 8 provisioned VFs: recovered" wait_recovery $((n + 1))
grep -v '^#' $D/fw_query > /tmp/33.after
check "all 8 provisionings restored in the firmware, same slices" \
	eval '[ $(wc -l < /tmp/33.after) = 8 ] && cmp -s /tmp/33.before /tmp/33.after'
check "scheduler settings restored (GET_SCHED: 1 3000)" [ "$(cat $D/fw_sched)" = "1 3000" ]
check "dmesg: recovery done with the VF contexts restored" \
	eval 'newdmesg | grep -q "recovery [0-9]* done: 8 VF contexts"'

# a VF runs a copy job after recovery
vf0=$(jmgpu_vfs "$pf" | head -n1)
modprobe vfio_iommu_type1 2>/dev/null; modprobe vfio-pci 2>/dev/null
if [ -e /sys/bus/pci/drivers/vfio-pci ] && pci_bind "$vf0" vfio-pci; then
	check "vf0 runs a copy job through vfio-pci after recovery" jmgpu_copy "$vf0" 65536
	pci_unbind "$vf0"; pci_clear_override "$vf0"
else
	skip "vf0 runs a copy job after recovery" "vfio-pci not available"
fi
n=$(rec)
jmgpu_fault "$pf" on VF_GET_STATS drop
sleep 3
check "dropped GET_STATS of the monitor: recovered" wait_recovery $((n + 1))

check "disable and unload after faults" sh -c "echo 0 > $P/sriov_numvfs && rmmod jmgpu_pf"
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "nothing oopsed, no warning"
else
	ok "nothing oopsed, no warning"
fi
tap_done
