#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Auto-provisioning for plain vfio-pci users: with auto_provision=equal a
# plain `echo N > sriov_numvfs` gives N usable VFs; each VF bound to
# vfio-pci runs copy jobs from userspace VFIO (ring and buffers in DMA
# memory through the IOMMU, MSI-X eventfd) and gets the right bytes; the
# monitor's statistics count the jobs.
. ./lib.sh

NVFS=${JMGPU_COPY_VFS:-8}
pf_test_env || exit 1

trap pf_cleanup EXIT
pci_unbind "$pf"
dmesg_mark

plan 8
require "insmod jmgpu_pf auto_provision=equal" insmod $MOD auto_provision=equal
check "auto_provision attribute shows equal" [ "$(cat $J/auto_provision)" = equal ]
check "echo $NVFS > sriov_numvfs" sh -c "echo $NVFS > $P/sriov_numvfs"
check "every VF provisioned 'equal' (auto), FB split evenly" \
	eval '[ $(vf_table "$pf" | grep -c "^vf[0-9]* equal auto ") = $NVFS ] && [ $(cat $J/fb_free) -lt $(( $(cat $J/fb_size) / NVFS )) ]'
modprobe vfio_iommu_type1; modprobe vfio-pci
r=0 n=0
for v in $(jmgpu_vfs "$pf"); do
	if ! pci_bind "$v" vfio-pci; then r=1; continue; fi
	jmgpu_copy "$v" 1048576 || { r=1; diag "copy on $v failed"; }
	n=$((n + 1))
done
check "each of $NVFS VFs bound to vfio-pci ran copy jobs with the right bytes" eval '[ $r = 0 ] && [ $n = $NVFS ]'
sleep 2
jobs=$(cat $P/jmgpu_vf/*/stats/jobs | awk '{ s += $1 } END { print s + 0 }')
check "monitor statistics count the jobs ($jobs >= $((3 * NVFS)))" [ "$jobs" -ge $((3 * NVFS)) ]
for v in $(jmgpu_vfs "$pf"); do pci_unbind "$v"; pci_clear_override "$v"; done
check "back to 0 VFs releases the auto-provisioning" \
	eval 'echo 0 > $P/sriov_numvfs && same "$(cat $J/fb_free)" "$(cat $J/fb_size)"'
rmmod jmgpu_pf
trap - EXIT
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "no warning in dmesg"
else
	ok "no warning in dmesg"
fi
tap_done
