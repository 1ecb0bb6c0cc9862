#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One tenant floods, its neighbour loses nothing. A hostile VFIO user on
# vGPU A writes MSG_OUT + MSG_OUT_DOORBELL and bad ring doorbells in a
# tight loop while vGPU B runs verified batches of copies, then faults and
# is reset (jmgpu_flood): B's copies are right, and the driver delivered
# every fault and FLR the firmware counted for B (debugfs events: the
# driver's counts next to VF_EVENT_STATE's); A's doorbells while its
# message is in flight are dropped, the ones after each acknowledgement
# delivered. Then the FLR_DONE records of A's and B's next FLRs are lost
# on purpose (TEST_EVQ_DROP): the driver resynchronises (a dmesg line)
# and delivers them anyway.
# B's throughput (deep batches: the engine busy without B's vCPU) and p99
# latency solo, while A floods and while A only spins (the control) are
# printed with their ratios: a benchmark, not a pass/fail on time.
. ./lib.sh
. ./mdev-lib.sh

NVFS=2
ROUNDS=$(scaled 10)
trap mdev_cleanup EXIT
plan 10
mdev_pair fb64m-w3 fb128m-w6
D=/sys/kernel/debug/jmgpu/$pf
resyncs() { awk '/^# evq_overflow/ { print $5 }' $D/events; }
dmesg_mark
sb=$(ev_snap $ib)
sa=$(ev_snap $ia)
ovf0=$(awk '/^# evq_overflow/ { print $3 }' $D/events)
check "A floods MSG_OUT and doorbells while B runs verified batches, takes a fault and a reset: B's copies right, A's doorbells dropped while its message is in flight" \
	jmgpu_flood "$a" "$b" "$ROUNDS"
sleep 1
check "B lost no event: the driver delivered each FLR and fault the firmware counted for B" \
	ev_delivered $ib "$sb" 1 1 flood
check "A's messages: each one the firmware accepted was delivered and acknowledged (more than one: the ack frees A)" \
	eval 'set -- $sa $(ev_snap $ia); diag "A: driver +$(($9 - $3)) messages, firmware +$((${12} - $6))"; [ $(($9 - $3)) = $((${12} - $6)) ] && [ $(($9 - $3)) -gt 1 ]'
check "nothing was coalesced or lost meanwhile: no resync" \
	eval 'same "$(awk "/^# evq_overflow/ { print \$3 }" $D/events) $(resyncs)" "$ovf0 0"'

# two records lost on their way into the ring: the driver must resync
sa=$(ev_snap $ia)
sb=$(ev_snap $ib)
jmgpu_fault "$pf" evq-drop 2
check "A and B reset through sysfs (FLR each); their FLR_DONE records are lost" \
	eval 'echo 1 > /sys/bus/pci/devices/$a/reset && echo 1 > /sys/bus/pci/devices/$b/reset'
sleep 1
check "2 records lost: the driver resynchronised and delivered A's and B's FLR all the same" \
	eval 'same "$(jmgpu_fault $pf reg 0x4040)" 0x00000000 && [ "$(resyncs)" -ge 1 ] &&
	ev_delivered $ib "$sb" 1 0 resync && ev_delivered $ia "$sa" 1 0 resync'
check "a dmesg line names the resync and what it delivered" \
	eval '_l=$(newdmesg | grep "event ring overflow (. records coalesced or lost): resync of $NVFS VFs done") && diag "$_l"'
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "no warning in dmesg"
else
	ok "no warning in dmesg"
fi
tap_done
