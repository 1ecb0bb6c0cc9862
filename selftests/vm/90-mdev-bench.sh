#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmark of the vGPU data path (run by scripts/bench.sh, which boots the
# VM with jmgpu_bench=1 on the kernel command line; a plain test run skips
# it). On the same VF, alternately: through jmgpu_vfio_pci (with an mdev)
# and through plain vfio-pci (VF provisioned with the PF's debugfs
# provision control): jobs/s, doorbell-to-interrupt latency, and trapped
# accesses per 1,000 submissions through jmgpu_vfio_pci. Results are
# "# bench:" lines; never pass/fail on numbers.
. ./lib.sh
. ./mdev-lib.sh

if ! grep -q 'jmgpu_bench=1' /proc/cmdline; then
	echo "1..0 # SKIP benchmark: run make bench (scripts/bench.sh)"
	exit 0
fi
JOBS=${JOBS:-2000}
LAT=${LAT:-300}
trap mdev_cleanup EXIT
plan 6
check "modules load, 1 VF bound to $VDRV" mdev_setup 1
vf=$(vf_n 0)
D=/sys/kernel/debug/jmgpu/$pf
modprobe vfio-pci

run_jmgpu() {
	u=$(mdev_create "$vf" fb64m-w3) || return 1
	t0=$(cat /sys/bus/pci/devices/$vf/jmgpu_vfio/trapped_accesses)
	jmgpu_bench "$vf" $JOBS $LAT > $MDEV_TMP.b || return 1
	t1=$(cat /sys/bus/pci/devices/$vf/jmgpu_vfio/trapped_accesses)
	echo "$(cat $MDEV_TMP.b) trapped $((t1 - t0))" >> $MDEV_TMP.jm
	echo 1 > /sys/bus/mdev/devices/$u/remove
}
run_plain() {
	pci_unbind "$vf"
	echo "0 fb64m-w3" > $D/provision || return 1
	echo vfio-pci > /sys/bus/pci/devices/$vf/driver_override
	echo "$vf" > /sys/bus/pci/drivers_probe
	[ "$(pci_driver "$vf")" = vfio-pci ] || return 1
	jmgpu_bench "$vf" $JOBS $LAT >> $MDEV_TMP.pl || return 1
	pci_unbind "$vf"
	echo "0 none" > $D/provision
	echo $VDRV > /sys/bus/pci/devices/$vf/driver_override
	echo "$vf" > /sys/bus/pci/drivers_probe
	[ "$(pci_driver "$vf")" = $VDRV ]
}
check "round 1 through $VDRV" run_jmgpu
check "round 1 through vfio-pci" run_plain
check "round 2 through $VDRV" run_jmgpu
check "round 2 through vfio-pci" run_plain
sed 's/^/# raw jmgpu: /' $MDEV_TMP.jm
sed 's/^/# raw plain: /' $MDEV_TMP.pl
awk -v j=$MDEV_TMP.jm -v p=$MDEV_TMP.pl 'BEGIN {
	while ((getline l < j) > 0) { split(l, f, " "); jt += f[4]; jl += f[6]; jp += f[8]; tr += f[14]; sb += f[12]; nj++ }
	while ((getline l < p) > 0) { split(l, f, " "); pt += f[4]; pl += f[6]; pp += f[8]; np++ }
	if (!nj || !np) exit 1
	printf "# bench: VF data path, %d rounds each, same VF, same run\n", nj
	printf "# bench: throughput   jmgpu_vfio_pci %8.0f jobs/s   vfio-pci %8.0f jobs/s   ratio %.3f\n", jt/nj, pt/np, (jt/nj)/(pt/np)
	printf "# bench: irq latency  jmgpu_vfio_pci %8.1f us avg    vfio-pci %8.1f us avg    ratio %.3f\n", jl/nj, pl/np, (jl/nj)/(pl/np)
	printf "# bench: irq latency  jmgpu_vfio_pci %8.1f us p50    vfio-pci %8.1f us p50    ratio %.3f\n", jp/nj, pp/np, (jp/nj)/(pp/np)
	printf "# bench: trapped accesses per 1,000 submissions (jmgpu_vfio_pci, incl. open/setup): %.2f\n", 1000 * tr / sb
}' > $MDEV_TMP.sum
r=$?
cat $MDEV_TMP.sum
check "summary computed" [ $r = 0 ]
tap_done
