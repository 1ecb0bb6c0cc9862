#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A hostile guest beside a neighbour. A nested QEMU passes VF A through
# (its own vfio-pci) to jmgpu_hostile.elf (selftests/vm/payload/hostile.c),
# which floods MSG_OUT and doorbells, points its ring and fence at garbage
# (unmapped IOVAs, its own BAR0, outside its FB slice), DMAs to unmapped
# IOVAs, its own registers and random 32-bit addresses, copies at FB
# offsets outside its slice and wrapping, and FLRs its VF between cases;
# then resets once more and runs one verified copy: QEMU exit status 49
# says its VF works after all that and every access outside its slice,
# DMA to an unmapped IOVA, bad ring and bad descriptor was refused with
# its fault code (57: works, but something was not refused). Meanwhile VF B (jmgpu_flood -b)
# streams verified batches, takes a fault and a reset each round. B is
# measured solo, beside a nested QEMU whose guest only spins (the control:
# the CPU cost of TCG-in-TCG, no device access) and beside the hostile
# guest: throughput and p99 latency are printed with their ratios, never
# judged. Asserted: B's copies right, B lost no event (the driver
# delivered every FLR and fault the firmware counted), A's events
# delivered too, A's vGPU usable afterwards, the firmware ok, no splat.
. ./lib.sh
. ./mdev-lib.sh

NVFS=2
ROUNDS=$(scaled 8)		# B's solo rounds
MAXR=200			# B's rounds at most beside a nested QEMU
QTIME=$((240 * ${JMGPU_SLOW:-1}))
bpid=
cleanup() {
	[ -n "$bpid" ] && kill "$bpid" 2>/dev/null
	mdev_cleanup
}
trap cleanup EXIT
plan 14
mdev_pair fb64m-w3 fb128m-w6
qemu=$(command -v qemu-system-x86_64)
bin=/jmgpu/bin
if [ -z "$qemu" ] || [ ! -f $bin/jmgpu_hostile.elf ] || [ ! -f $bin/jmgpu_payload.elf ]; then
	for t in "B solo" "control: nested QEMU spins" "B beside the control" \
		"hostile guest survives" "hostile guest refused" "B beside the hostile guest" "B lost no event" \
		"A's events delivered" "QEMU closed A's VF" "A's vGPU works afterwards" \
		"fw_state ok" "no splat"; do
		skip "$t" "qemu-system-x86_64 or the payloads missing"
	done
	tap_done
	exit 0
fi

# b_out <label>: B's "# " lines of the run <label>
b_out() { grep '^# ' $MDEV_TMP.b-$1; }
# bstat <label> <field>: 3 rounds 4 median 5 min 6 max 7 p50 8 p99
bstat() { awk -v l="$1" -v f="$2" '$1 == "bstat" && $2 == l { print $f }' $MDEV_TMP.b-$1; }

# beside <label> <elf> [append]: B measures while a nested QEMU runs <elf>
# on A, from before QEMU starts until it exits; sets qrc, brc
beside() {
	rm -f $MDEV_TMP.stop $MDEV_TMP.stop.ready
	jmgpu_flood -b "$b" "$1" $MAXR $MDEV_TMP.stop > $MDEV_TMP.b-$1 2>&1 &
	bpid=$!
	_n=0
	while [ ! -e $MDEV_TMP.stop.ready ] && kill -0 $bpid 2>/dev/null && [ $_n -lt 120 ]; do
		sleep 1
		_n=$((_n + 1))
	done
	_t0=$(cut -d' ' -f1 /proc/uptime)
	timeout $QTIME "$qemu" -L /usr/share/seabios -L /usr/share/qemu -accel tcg \
		-machine q35 -m 64M -nographic -nodefaults -no-reboot \
		-device vfio-pci,host="$a",rombar=0 \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-debugcon file:$MDEV_TMP.con-$1 -global isa-debugcon.iobase=0xe9 \
		-kernel "$2" ${3:+-append "$3"} > $MDEV_TMP.qemu-$1 2>&1
	qrc=$?
	_t1=$(cut -d' ' -f1 /proc/uptime)
	touch $MDEV_TMP.stop
	wait $bpid
	brc=$?
	bpid=
	diag "$1: nested QEMU exit status $qrc after $(echo "$_t0 $_t1" | awk '{ printf "%.1f", $2 - $1 }') s; B ran $(bstat "$1" 3) rounds, exit status $brc"
	sed 's/^/# qemu: /' $MDEV_TMP.qemu-$1 | head -n 10
	b_out "$1"
}

dmesg_mark
jmgpu_flood -b "$b" solo "$ROUNDS" > $MDEV_TMP.b-solo 2>&1
brc=$?
b_out solo
check "B solo: $ROUNDS rounds of verified batches, a fault and a reset each" [ $brc = 0 ]

beside control $bin/jmgpu_payload.elf spin
sed 's/^/# payload: /' $MDEV_TMP.con-control 2>/dev/null | tail -n 2
check "control: the nested QEMU ran the spinning payload on A (exit status 33)" [ $qrc = 33 ]
check "B beside the spinning guest: copies verified, each fault and reset as expected" [ $brc = 0 ]

sa=$(ev_snap $ia)
sb=$(ev_snap $ib)
beside hostile $bin/jmgpu_hostile.elf
sed 's/^/# payload: /' $MDEV_TMP.con-hostile 2>/dev/null
check "hostile guest: A's VF runs a verified copy after its abuse and a reset (nested QEMU exit status 49 or 57)" \
	eval '[ $qrc = 49 ] || [ $qrc = 57 ]'
check "hostile guest: each out-of-slice FB access, unmapped-IOVA DMA, bad ring and bad descriptor was refused with its fault code (exit status 49)" [ $qrc = 49 ]
check "B beside the hostile guest: copies verified, each fault and reset as expected" [ $brc = 0 ]
sleep 1
check "B lost no event: the driver delivered each FLR and fault the firmware counted for B" \
	ev_delivered $ib "$sb" 1 1 hostile
# the payload's own counts of the FLRs it did and the faults it saw
pflr=$(sed -n 's/^hostile: .* cases, \([0-9]*\) flrs, \([0-9]*\) faults.*/\1/p' $MDEV_TMP.con-hostile)
pflt=$(sed -n 's/^hostile: .* cases, \([0-9]*\) flrs, \([0-9]*\) faults.*/\2/p' $MDEV_TMP.con-hostile)
check "A's events: each FLR and fault the firmware counted was delivered, at least the payload's ${pflr:-?} FLRs and ${pflt:-?} faults" \
	ev_delivered $ia "$sa" "${pflr:-1}" "${pflt:-1}" hostile
check "QEMU closed A's VF (jmgpu/open 0)" same "$(cat /sys/bus/mdev/devices/$ua/jmgpu/open)" 0
check "A's vGPU works afterwards: a verified copy through VFIO" jmgpu_copy "$a" 65536

# ratios: a benchmark, printed, not judged
r() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.0f%%", 100 * $1 / $2; else print "?" }'; }
x() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2fx", $1 / $2; else print "?" }'; }
diag "B's throughput beside the hostile guest: $(r "$(bstat hostile 4)" "$(bstat solo 4)") of solo, $(r "$(bstat hostile 4)" "$(bstat control 4)") of the control (medians; min-max solo $(bstat solo 5)-$(bstat solo 6), control $(bstat control 5)-$(bstat control 6), hostile $(bstat hostile 5)-$(bstat hostile 6) MiB/s)"
diag "B's p99 latency beside the hostile guest: $(x "$(bstat hostile 8)" "$(bstat solo 8)") solo, $(x "$(bstat hostile 8)" "$(bstat control 8)") the control; control/solo throughput $(r "$(bstat control 4)" "$(bstat solo 4)")"
diag "host IOMMU fault lines during the run: $(newdmesg | grep -c 'DMAR.*fault')"
check "PF firmware still ok (fw_state)" same "$(cat $P/jmgpu/fw_state)" ok
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace|KASAN'; then
	not_ok "no WARNING/BUG/Oops/KASAN in dmesg"
else
	ok "no WARNING/BUG/Oops/KASAN in dmesg"
fi
tap_done
