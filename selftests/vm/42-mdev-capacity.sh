#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Mixed vGPU profiles fill the card exactly to capacity (FB, engine share
# and codec sessions all used up); one more vGPU is refused with ENOSPC and
# a dmesg line; available_instances reflects what fits.
. ./lib.sh
. ./mdev-lib.sh

NVFS=16
trap mdev_cleanup EXIT
plan 8
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
ok_n=0
# 4 x 256 MiB/12% + 8 x 128 MiB/6% = 2048 MiB, 96%, 64 codec sessions
i=0
while [ $i -lt 12 ]; do
	if [ $i -lt 4 ]; then t=fb256m-w12; else t=fb128m-w6; fi
	mdevctl start -p "$(vf_n $i)" -t $VDRV-$t > /dev/null && ok_n=$((ok_n + 1))
	i=$((i + 1))
done
check "12 mixed vGPUs created (4 x fb256m-w12, 8 x fb128m-w6) with mdevctl" [ $ok_n = 12 ]
check "mdevctl list shows 12" [ "$(mdevctl list | grep -c $VDRV-)" = 12 ]
diag "PF: $(cat $P/jmgpu/capacity 2>/dev/null | tr '\n' ' ')"
vf12=$(vf_n 12)
av=$(cat /sys/bus/pci/devices/$vf12/mdev_supported_types/*/available_instances | sort -u)
check "card full: every type on a free VF has available_instances 0" [ "$av" = 0 ]
dmesg_mark
got=$(try_write "$(mdev_type_dir "$vf12" fb32m-w1-headless)/create" "$(new_uuid)")
check "one more (fb32m-w1-headless) refused: '$got'" [ "$got" = "No space left on device" ]
check "dmesg names the refusal" eval 'newdmesg | grep -q "does not fit"'
newdmesg | sed 's/^/# /' | head -n 4
# free one 128 MiB vGPU: exactly that profile fits again
u=$(mdevctl list | grep "$(vf_n 11)" | cut -d' ' -f1)
check "stop one fb128m-w6 vGPU" mdevctl stop -u "$u"
check "now fb128m-w6 is available on a free VF, fb256m-w12 is not" \
	eval '[ "$(cat $(mdev_type_dir $vf12 fb128m-w6)/available_instances)" = 1 ] && [ "$(cat $(mdev_type_dir $vf12 fb256m-w12)/available_instances)" = 0 ]'
tap_done
