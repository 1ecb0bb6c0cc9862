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
if [ -d /jmgpu/modules ] && ls /jmgpu/modules/*.ko >/dev/null 2>&1; then
	echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs
	say "Project drivers available: $(cd /jmgpu/modules && ls *.ko | tr '\n' ' ')"
else
	echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs
	say "No jmgpu drivers yet: the platform offers the emulated GPU, its firmware and 32 VFs"
fi
