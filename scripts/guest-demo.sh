#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The jmgpu demo, run inside the VM by `make demo`: shows the emulated GPU,
# its SR-IOV capability, and what the platform can do today.
say() { printf '\n==== %s\n' "$*"; }
pf=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor)" = 0x1ee7 ] && [ "$(cat $d/device)" = 0x0001 ] && pf=$(basename $d)
done
if [ -z "$pf" ]; then
	echo "demo: no jmgpu GPU found on the PCI bus"
	exit 1
fi
say "The jmgpu GPU (PF) at $pf, as the stock kernel sees it"
lspci -nn -s "$pf"
say "Its capabilities (lspci -vvv): SR-IOV, ARI, ACS, MSI-X, FLR"
lspci -vvv -s "$pf" | grep -E 'Subsystem|Region|MSI-X|FLReset|Access Control|Alternative Routing|Single Root|IOVCap|Initial VFs|VF offset|VF Device|Region [0-9]+: Memory at .* \(.*\) \[virtual\]'
say "Enabling 32 VFs with the stock kernel (vfio-pci on the PF)"
modprobe vfio-pci enable_sriov=1
echo vfio-pci > /sys/bus/pci/devices/$pf/driver_override
echo "$pf" > /sys/bus/pci/drivers_probe
echo 32 > /sys/bus/pci/devices/$pf/sriov_numvfs
echo "VFs: $(lspci -d 1ee7:0002 | wc -l)   IOMMU groups of VFs: $(for v in /sys/bus/pci/devices/$pf/virtfn*; do basename $(readlink $v/iommu_group); done | sort -u | wc -l)"
lspci -d 1ee7:0002 | head -n 4
echo "..."
echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs
echo "$pf" > /sys/bus/pci/drivers/vfio-pci/unbind
echo > /sys/bus/pci/devices/$pf/driver_override

if [ ! -f /jmgpu/modules/jmgpu_pf.ko ]; then
	say "No jmgpu drivers built: the platform offers the emulated GPU, its firmware and 32 VFs"
	exit 0
fi
say "The PF driver: insmod jmgpu_pf.ko (firmware handshake, capacity)"
modprobe vfio-pci
modprobe vfio_iommu_type1
insmod /jmgpu/modules/jmgpu_pf.ko
j=/sys/bus/pci/devices/$pf/jmgpu
for a in fw_version fw_state fb_size fb_free vf_aperture engine_weight_total codec_sessions_total display_heads max_resolution sched_policy timeslice_us; do
	[ -f $j/$a ] && printf '  %-22s %s\n' "$a" "$(cat $j/$a)"
done
say "Profiles"
# the tables are debugfs's, for reading by eye; tools read one value per
# file: <pf>/jmgpu_profiles/<name>/*, <pf>/jmgpu_vf/<N>/*
dbg=/sys/kernel/debug/jmgpu/$pf
cat $dbg/profiles
say "Plain vfio-pci users: auto_provision=equal, echo 4 > sriov_numvfs"
echo equal > $j/auto_provision
echo 4 > /sys/bus/pci/devices/$pf/sriov_numvfs
cat $dbg/vfs
vf=$(basename $(readlink /sys/bus/pci/devices/$pf/virtfn0))
say "A copy job on VF $vf through plain vfio-pci (DMA via the IOMMU, MSI-X)"
echo vfio-pci > /sys/bus/pci/devices/$vf/driver_override
echo $vf > /sys/bus/pci/drivers_probe
jmgpu_copy $vf 1048576 && echo "copy job: bytes verified"
echo $vf > /sys/bus/pci/drivers/vfio-pci/unbind
sleep 1
say "Per-VF statistics sampled from the firmware"
head -n 4 $dbg/vf_stats
echo "vf0's cumulative engine time: $(cat /sys/bus/pci/devices/$pf/jmgpu_vf/0/stats/engine_busy_ns) ns"
echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs
if [ -f /jmgpu/demo-mdev.sh ]; then
	sh /jmgpu/demo-mdev.sh "$pf"
fi
