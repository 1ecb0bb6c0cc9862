#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The vGPU part of `make demo`, run in the VM by guest-demo.sh as
# /jmgpu/demo-mdev.sh <pf>: sriov_cfg fills the card with vGPUs of mixed
# profiles and ends with `sriov_cfg status`.
pf=$1
say() { printf '\n==== %s\n' "$*"; }
PATH=/jmgpu/bin:$PATH
if [ -z "$pf" ] || ! command -v sriov_cfg > /dev/null; then
	echo "demo-mdev: usage: demo-mdev.sh <pf>, with sriov_cfg in /jmgpu/bin"
	exit 1
fi
grep -q '^jmgpu_pf ' /proc/modules || insmod /jmgpu/modules/jmgpu_pf.ko
if [ ! -f /jmgpu/modules/jmgpu_vfio_pci.ko ]; then
	say "No VF driver built (vf_mdev): sriov_cfg status of the PF alone"
	sriov_cfg status
	exit 0
fi
modprobe vfio-pci-core
modprobe vfio_iommu_type1
modprobe mdev
mkdir -p /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers
grep -q '^jmgpu_vfio_pci ' /proc/modules || insmod /jmgpu/modules/jmgpu_vfio_pci.ko

# vGPUs need unprovisioned VFs: the PF demo left auto_provision=equal
echo none > /sys/bus/pci/devices/$pf/jmgpu/auto_provision
echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs

say "sriov_cfg profiles: the profile table and how many of each still fit"
sriov_cfg profiles --pf "$pf"
say "sriov_cfg enable $pf 8"
sriov_cfg enable "$pf" 8
sriov_cfg profiles --pf "$pf" | sed -n '2,3p'
echo "  ..."
say "sriov_cfg create: vGPUs of mixed profiles, each on a free VF it binds itself"
for p in fb256m-w25 fb256m-w25 fb256m-w12 fb256m-w12 fb128m-w6 fb128m-w6 fb64m-w3; do
	printf '%-12s -> ' "$p"
	sriov_cfg -q create --profile "$p"
done
say "One more fb256m-w25 does not fit (the engine weight is used up): refused"
sriov_cfg create --profile fb256m-w25
echo "exit status $? (ENOSPC)"
say "mdevctl, the standard tool, sees the same vGPUs"
mdevctl list 2>/dev/null | head -n 8

# ---- nested QEMU: one vGPU runs a guest while the status is taken
qvf=$(sriov_cfg status | awk '$3 == "fb128m-w6" { print $2; exit }')
qpid=
if [ -n "$qvf" ] && command -v qemu-system-x86_64 >/dev/null; then
	say "QEMU passes the fb128m-w6 vGPU ($qvf) through with vfio-pci to a guest"
	echo "qemu-system-x86_64 -machine q35 -accel tcg -m 64M -nodefaults \\"
	echo "    -device vfio-pci,host=$qvf,rombar=0 -kernel jmgpu_payload.elf -append loop"
	rm -f /tmp/demo-qemu.con
	qemu-system-x86_64 -L /usr/share/seabios -L /usr/share/qemu -accel tcg \
		-machine q35 -m 64M -display none -nodefaults -no-reboot \
		-device vfio-pci,host="$qvf",rombar=0 \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-debugcon file:/tmp/demo-qemu.con -global isa-debugcon.iobase=0xe9 \
		-kernel /jmgpu/bin/jmgpu_payload.elf -append loop \
		> /tmp/demo-qemu.log 2>&1 &
	qpid=$!
	i=0
	while [ $i -lt 60 ] && ! grep -q looping /tmp/demo-qemu.con 2>/dev/null; do
		sleep 1
		i=$((i + 1))
	done
	echo "guest says: $(tr -d '.' < /tmp/demo-qemu.con 2>/dev/null | tr '\n' ' ')"
	sleep 3	# let the engine work and the monitor sample it
fi
# ---- end of the nested-QEMU spot

# ---- the cloud desktop: QEMU's vfio display shows the fb64m-w3 vGPU
dvf=$(sriov_cfg status | awk '$3 == "fb64m-w3" { print $2; exit }')
if [ -n "$dvf" ] && command -v qemu-system-x86_64 >/dev/null &&
   command -v jmgpu_qmp >/dev/null; then
	say "The vGPU's screen: QEMU's vfio display of the fb64m-w3 vGPU ($dvf)"
	echo "qemu-system-x86_64 -machine q35 -accel tcg -m 64M -nodefaults -display none \\"
	echo "    -device vfio-pci,host=$dvf,rombar=0,display=on \\"
	echo "    -qmp unix:/tmp/demo.qmp,server=on,wait=off -kernel jmgpu_payload.elf -append display"
	rm -f /tmp/demo-disp.con /tmp/demo-vgpu.png /tmp/demo.qmp
	qemu-system-x86_64 -L /usr/share/seabios -L /usr/share/qemu -accel tcg \
		-machine q35 -m 64M -display none -nodefaults -no-reboot \
		-device vfio-pci,host="$dvf",rombar=0,display=on \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-debugcon file:/tmp/demo-disp.con -global isa-debugcon.iobase=0xe9 \
		-qmp unix:/tmp/demo.qmp,server=on,wait=off \
		-kernel /jmgpu/bin/jmgpu_payload.elf -append display \
		> /tmp/demo-disp.log 2>&1 &
	dpid=$!
	i=0
	while [ $i -lt 300 ] && ! grep -q "frame 1 shown" /tmp/demo-disp.con 2>/dev/null; do
		sleep 1
		i=$((i + 1))
	done
	sed 's/^/guest says: /' /tmp/demo-disp.con 2>/dev/null
	jmgpu_qmp /tmp/demo.qmp \
		'{"execute":"screendump","arguments":{"filename":"/tmp/demo-vgpu.png","format":"png"}}' \
		'{"execute":"quit"}' > /dev/null
	wait "$dpid" 2>/dev/null
	if [ -s /tmp/demo-vgpu.png ]; then
		# the picture goes back to the host on the second serial port
		# (scripts/vm.sh demo writes it to build/demo-vgpu.png)
		{ echo "### FILE demo-vgpu.png"; base64 /tmp/demo-vgpu.png;
		  echo "### END-FILE"; } > /dev/ttyS1
		echo "screendump: $(wc -c < /tmp/demo-vgpu.png) bytes of PNG, sent to the host"
	else
		echo "no screendump (QEMU log:)"
		head -n 5 /tmp/demo-disp.log
	fi
fi

say "sriov_cfg stats --prometheus (first lines)"
sriov_cfg stats --prometheus | grep -v '^#' | head -n 6
say "sriov_cfg status: the card holding vGPUs of mixed profiles${qpid:+, one in a running QEMU}"
sriov_cfg status
if [ -n "$qpid" ]; then
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
fi
