#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sriov_cfg create fills a card with vGPUs of mixed profiles, picking and
# binding free VFs itself, refuses the one that does not fit (ENOSPC) and
# destroys them again.
. ./lib.sh
. ./sriov-cfg-lib.sh

trap sc_cleanup EXIT
plan 11
require "jmgpu_pf loaded" sc_load
check "enable 8 VFs" sc enable "$pf" 8
if [ -n "$mdev_why" ]; then
	for d in "6 mixed vGPUs (weight 100 of 100) created" "each is an mdev with its profile" \
		"a 7th vGPU refused with ENOSPC (28)" "the refused create left no mdev" \
		"status shows 6 vGPUs, profiles as the mdevs'" "status FB free as the driver" \
		"destroy all" "destroy again: ENOENT (2)" "disable"; do
		skip "$d" "$mdev_why"
	done
	tap_done
	exit
fi
uuids=
n=0
for p in fb256m-w25 fb256m-w25 fb256m-w25 fb256m-w12 fb256m-w12 fb32m-w1-headless; do
	if sc create --profile $p; then
		read -r u vf < $SC_TMP.out
		uuids="$uuids $u"
		echo "$u $p $vf" >> $SC_TMP.made
		n=$((n + 1))
	fi
done
check "6 mixed vGPUs (weight 100 of 100) created ($n)" [ $n = 6 ]
n_ok=0
while read -r u p vf; do
	[ "$(cat /sys/bus/mdev/devices/$u/jmgpu/profile)" = $p ] &&
		[ "$(cat /sys/bus/mdev/devices/$u/jmgpu/vf | cut -d' ' -f1)" = "$vf" ] &&
		[ "$(pci_driver "$vf")" = $VDRV ] && n_ok=$((n_ok + 1))
done < $SC_TMP.made
check "each is an mdev with its profile on the VF printed, bound to $VDRV ($n_ok)" [ $n_ok = 6 ]
before=$(sc_mdevs)
sc create --profile fb64m-w3
check "a 7th vGPU (fb64m-w3) refused with ENOSPC (28)" \
	eval '[ $rc = 28 ] && grep -q "profile fb64m-w3: does not fit" $SC_TMP.err'
check "the refused create left no mdev (still $(echo $before | wc -w))" same "$(sc_mdevs)" "$before"
sc status
n_ok=0
for u in $uuids; do
	grep " $u " $SC_TMP.out | grep -q " $(cat /sys/bus/mdev/devices/$u/jmgpu/profile) " && n_ok=$((n_ok + 1))
done
check "status shows the 6 vGPUs with the mdevs' profiles ($n_ok)" [ $n_ok = 6 ]
sed 's/^/# /' $SC_TMP.out
check "status: FB free as the driver" \
	grep -q "FB $(( $(cat $P/jmgpu/fb_free) / 1048576 )) MiB free" $SC_TMP.out
n_ok=0
for u in $uuids; do sc destroy $u && [ ! -e /sys/bus/mdev/devices/$u ] && n_ok=$((n_ok + 1)); done
check "destroy all ($n_ok)" [ $n_ok = 6 ]
sc destroy $(echo $uuids | cut -d' ' -f1)
check "destroy again: ENOENT (2)" [ $rc = 2 ]
check "disable" sc disable "$pf"
tap_done
