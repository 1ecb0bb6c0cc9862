#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# jmgpu_pf sriov_configure: 32 VFs in lspci each in its own IOMMU group,
# back to 0, to 8; bad values (33, -1, abc, 8 -> 4) get the kernel's
# errors and change nothing; disable refused while a VF is in use;
# sriov_vf_msix_count only 2 (the fixed MSI-X table size; 39-pf-knobs.sh).
. ./lib.sh

MOD=/jmgpu/modules/jmgpu_pf.ko
pf=$(jmgpu_pf) || { plan 1; not_ok "jmgpu PF present"; exit 1; }
P=/sys/bus/pci/devices/$pf
J=$P/jmgpu
D=/sys/kernel/debug/jmgpu/$pf

cleanup() {
	if [ -e $J ]; then
		for v in 0 1 2 3 4 5 6 7; do echo "$v none" > $D/provision; done 2>/dev/null
		echo 0 > $P/sriov_numvfs 2>/dev/null
	fi
	grep -q '^jmgpu_pf ' /proc/modules && rmmod jmgpu_pf
}
trap cleanup EXIT
pci_unbind "$pf"
dmesg_mark
nvfs() { cat $P/sriov_numvfs; }
fwvfs() { vf_dirs "$pf"; }

plan 22
require "insmod jmgpu_pf.ko" insmod $MOD
check "echo 32 > sriov_numvfs" sh -c "echo 32 > $P/sriov_numvfs"
check "32 VFs in lspci" [ "$(lspci -n -d 1ee7:0002 | wc -l)" = 32 ]
groups=$(for v in $(jmgpu_vfs "$pf"); do iommu_group "$v"; done | sort -u | wc -l)
pfg=$(iommu_group "$pf")
shared=$(for v in $(jmgpu_vfs "$pf"); do iommu_group "$v"; done | grep -cx "$pfg")
check "each VF in its own IOMMU group (32 groups, none shared with the PF)" \
	eval '[ "$groups" = 32 ] && [ "$shared" = 0 ]' 
check "32 VF contexts, one jmgpu_vf/<N> directory each" [ "$(fwvfs)" = 32 ]
check "back to 0" sh -c "echo 0 > $P/sriov_numvfs && [ \$(lspci -n -d 1ee7:0002 | wc -l) = 0 ]"
check "to 8" sh -c "echo 8 > $P/sriov_numvfs && [ \$(lspci -n -d 1ee7:0002 | wc -l) = 8 ] && [ \$(ls $P/jmgpu_vf | wc -l) = 8 ]"

for bad in "33:Numerical result out of range" "-1:Invalid argument" \
	   "abc:Invalid argument" "4:Device or resource busy"; do
	val=${bad%%:*} want=${bad#*:}
	got=$(try_write $P/sriov_numvfs "$val")
	check "echo $val > sriov_numvfs with 8 enabled: '$want', still 8" \
		eval '[ "$got" = "$want" ] && [ "$(nvfs)" = 8 ] && [ "$(fwvfs)" = 8 ]' 
	[ "$got" = "$want" ] || diag "got '$got'"
done

vf0=$(jmgpu_vfs "$pf" | head -n1)
check "VF MSI-X count 2 by default (jmgpu_vf/0/msix_vectors)" same "$(vfattr "$pf" 0 msix_vectors)" 2
check "sriov_vf_msix_count 2 (the fixed table size) accepted, shown in jmgpu_vf/0/msix_vectors" \
	eval 'echo 2 > /sys/bus/pci/devices/$vf0/sriov_vf_msix_count && same "$(vfattr "$pf" 0 msix_vectors)" 2'
got=$(try_write /sys/bus/pci/devices/$vf0/sriov_vf_msix_count 3)
check "sriov_vf_msix_count 3 refused: Operation not supported + dmesg line" \
	eval '[ "$got" = "Operation not supported" ] && newdmesg | grep -q "sriov_vf_msix_count 3 refused"'
got=$(try_write /sys/bus/pci/devices/$vf0/sriov_vf_msix_count 1)
check "sriov_vf_msix_count 1 refused: Operation not supported" [ "$got" = "Operation not supported" ]

check "provision vf0 via debugfs" sh -c "echo '0 fb64m-w3' > $D/provision"
got=$(try_write $P/sriov_numvfs 0)
check "disable refused while vf0 is provisioned: busy, dmesg line, still 8" \
	eval '[ "$got" = "Device or resource busy" ] && [ "$(nvfs)" = 8 ] &&
	newdmesg | grep -q "cannot disable VFs: vf0"' 
check "vf0 provisioning unchanged after the refusal" \
	eval 'same "$(vfattr "$pf" 0 profile) $(vfattr "$pf" 0 owner)" "fb64m-w3 debugfs"'
check "unprovision vf0, then disable works" \
	sh -c "echo '0 none' > $D/provision && echo 0 > $P/sriov_numvfs && [ \$(cat $P/sriov_numvfs) = 0 ]"
cat $D/fw_log > /tmp/31.log 2>&1
check "firmware log shows the VF contexts set up and torn down" \
	eval 'grep -q "vf_enable: 8 VF contexts" /tmp/31.log && grep -q "vf_disable" /tmp/31.log'
grep -q "vf_disable" /tmp/31.log || tail -n 5 /tmp/31.log | sed 's/^/# fw_log: /' 

check "rmmod jmgpu_pf" rmmod jmgpu_pf
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "no warning in dmesg"
else
	ok "no warning in dmesg"
fi
tap_done
