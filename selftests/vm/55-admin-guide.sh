#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Documentation/admin-guide.rst, followed on the emulated card: every
# command of the guide runs here in the form the guide prints it (PF
# 0000:01:00.0, VFs 0000:01:00.1/.2, the guide's UUIDs): modules installed
# for modprobe, VFs enabled and bound, profiles, a vGPU with mdevctl and one
# with sriov_cfg, the boot-time configuration (dry run), a nested QEMU with
# -device vfio-pci,host=<VF> running the payload of selftests/vm/payload,
# monitoring, teardown, then the PF driver reference (auto_provision,
# scheduler). selftests/unit/test_admin_guide_cmds.sh checks that each
# command of the guide appears in a VM test or in the exempt list below.
#
# Commands of the guide that cannot run in the test VM ("#exempt <command>
# | <reason>", read by test_admin_guide_cmds.sh):
#exempt apt-get install --no-install-recommends build-essential dkms linux-headers-amd64 pkg-config libpci-dev libjson-c-dev mdevctl qemu-system-x86 | host package installation; the VM is built from these packages (scripts/install-deps.sh, scripts/mk-initramfs.sh)
#exempt make install DKMS=1 | host install; selftests/unit/test_packaging.sh runs it into a DESTDIR and checks the layout
#exempt dkms add jmgpu/0.1 | needs the host's dkms; test_packaging.sh runs dkms add and dkms build on the installed tree
#exempt dkms install jmgpu/0.1 | writes the host's /lib/modules; test_packaging.sh builds the same tree with dkms build
#exempt make install | host install; test_packaging.sh runs it into a DESTDIR; this test installs the modules the same way (updates/, depmod)
#exempt install -D -m 0644 /usr/share/doc/jmgpu/sriov.conf.example /etc/jmgpu/sriov.conf | the VM has no /usr/share/doc; this test writes the same example file; test_packaging.sh checks it is installed
#exempt systemctl enable --now jmgpu-sriov.service | no systemd in the test VM; test_packaging.sh verifies the installed unit with systemd-analyze verify, its ExecStart is run here
#exempt virsh define vm1.xml | no libvirt in the test VM; the QEMU line with the same hostdev runs here
#exempt virsh start vm1 | no libvirt in the test VM; the QEMU line with the same hostdev runs here
. ./lib.sh

PATH=$PATH:/jmgpu/bin
VDRV=jmgpu_vfio_pci
U1=5a1e0001-0000-4000-8000-000000000001
U2=5a1e0002-0000-4000-8000-000000000002
P=/sys/bus/pci/devices/0000:01:00.0
UPD=/lib/modules/$(uname -r)/updates/jmgpu
T=/tmp/admin-guide.$$
_slice=
_type1=

cleanup() {
	for _u in $U1 $U2; do
		[ -e /sys/bus/mdev/devices/$_u/remove ] && echo 1 > /sys/bus/mdev/devices/$_u/remove
	done
	if [ -e $P/sriov_numvfs ]; then
		for _v in $(jmgpu_vfs 0000:01:00.0); do
			pci_unbind "$_v"
			pci_clear_override "$_v"
		done
		echo 0 > $P/sriov_numvfs 2>/dev/null
	fi
	if [ -e $P/jmgpu/auto_provision ]; then
		echo none > $P/jmgpu/auto_provision 2>/dev/null
		echo best-effort > $P/jmgpu/sched_policy 2>/dev/null
		[ -n "$_slice" ] && echo "$_slice" > $P/jmgpu/timeslice_us 2>/dev/null
	fi
	grep -q "^$VDRV " /proc/modules && rmmod $VDRV
	grep -q '^jmgpu_pf ' /proc/modules && rmmod jmgpu_pf
	[ -n "$_type1" ] && modprobe -r vfio_iommu_type1 2>/dev/null
	rm -rf "$UPD" /etc/jmgpu "$T".*
	depmod -a
	return 0
}

# run "<command of the guide>": runs it as the shell would, its output in
# $T.out (and as TAP comments), one TAP line named after the command
run() {
	eval "$1" > $T.out 2>&1
	_rc=$?
	sed 's/^/#   /' $T.out | head -n 20
	if [ $_rc = 0 ]; then ok "# $1"; else not_ok "# $1 (exit $_rc)"; fi
	return $_rc
}

pf=$(jmgpu_pf)
if [ "$pf" != 0000:01:00.0 ] || [ ! -f /jmgpu/modules/$VDRV.ko ] ||
	grep -q -e '^jmgpu_pf ' -e "^$VDRV " /proc/modules; then
	skip "the admin guide's flow" "needs the PF at 0000:01:00.0 (found '$pf'), both modules built and not loaded"
	plan_end
	exit 0
fi
trap cleanup EXIT
mkdir -p /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers

# 1. install: what make install does for the modules (updates/, depmod)
pci_unbind 0000:01:00.0
pci_clear_override 0000:01:00.0
mkdir -p "$UPD" && cp /jmgpu/modules/*.ko "$UPD"/ && depmod -a
check "modules installed to updates/ and depmod" modinfo -n $VDRV

# 2. load, enable, bind
run "modprobe jmgpu_pf"
check "PF bound to jmgpu_pf" [ "$(pci_driver 0000:01:00.0)" = jmgpu_pf ]
run "modprobe jmgpu_vfio_pci"
# 5. boot-time configuration: the example file, planned against the card
mkdir -p /etc/jmgpu
cat > /etc/jmgpu/sriov.conf <<'CONF'
{
  "version": 1,
  "cards": [
    {
      "pf": "0000:01:00.0",
      "num_vfs": 8,
      "sched_policy": "best-effort",
      "timeslice_us": 1000,
      "vgpus": [
        { "uuid": "5a1e0001-0000-4000-8000-000000000001", "profile": "fb256m-w25" },
        { "uuid": "5a1e0002-0000-4000-8000-000000000002", "profile": "fb256m-w12" },
        { "uuid": "5a1e0003-0000-4000-8000-000000000003", "profile": "fb128m-w6" },
        { "uuid": "5a1e0004-0000-4000-8000-000000000004", "profile": "fb64m-w3", "vf": 7 }
      ]
    }
  ]
}
CONF
run "sriov_cfg apply --dry-run /etc/jmgpu/sriov.conf"
check "the dry run changed nothing (0 VFs)" [ "$(cat $P/sriov_numvfs)" = 0 ]
run "echo 2 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs"
run "lspci -d 1ee7:"
check "lspci shows the PF and 2 VFs" [ "$(grep -c . $T.out)" = 3 ]
run "echo jmgpu_vfio_pci > /sys/bus/pci/devices/0000:01:00.1/driver_override"
run "echo 0000:01:00.1 > /sys/bus/pci/drivers_probe"
check "0000:01:00.1 bound to $VDRV" [ "$(pci_driver 0000:01:00.1)" = $VDRV ]

# 3. profiles, 4. vGPUs
run "mdevctl types"
check "mdevctl types lists jmgpu_vfio_pci-fb128m-w6" grep -q jmgpu_vfio_pci-fb128m-w6 $T.out
run "sriov_cfg profiles"
check "sriov_cfg profiles lists fb256m-w25" grep -q fb256m-w25 $T.out
run "mdevctl start -u 5a1e0001-0000-4000-8000-000000000001 -p 0000:01:00.1 -t jmgpu_vfio_pci-fb128m-w6"
check "vGPU $U1 is fb128m-w6" [ "$(cat /sys/bus/mdev/devices/$U1/jmgpu/profile)" = fb128m-w6 ]
run "mdevctl list"
check "mdevctl list shows it" grep -q $U1 $T.out
run "sriov_cfg create --profile fb256m-w25 --uuid 5a1e0002-0000-4000-8000-000000000002"
check "vGPU $U2 on the free VF 0000:01:00.2, bound by sriov_cfg" \
	eval 'grep -q "^$U2 0000:01:00.2" $T.out && [ "$(pci_driver 0000:01:00.2)" = $VDRV ]'

# 6. QEMU with the VF (the payload checks copy jobs through it)
elf=/jmgpu/bin/jmgpu_payload.elf
grep -q '^vfio_iommu_type1 ' /proc/modules || _type1=1
run "modprobe vfio_iommu_type1"
if command -v qemu-system-x86_64 > /dev/null && [ -f $elf ]; then
	timeout 120 qemu-system-x86_64 -machine q35 -accel tcg -m 64M -nographic -nodefaults -no-reboot \
		-L /usr/share/seabios -L /usr/share/qemu -device vfio-pci,host=0000:01:00.1 \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -debugcon file:$T.con \
		-global isa-debugcon.iobase=0xe9 -kernel $elf > $T.qemu 2>&1
	rc=$?
	sed 's/^/# qemu: /' $T.qemu | head -n 10
	check "# qemu-system-x86_64 -machine q35 ... -device vfio-pci,host=0000:01:00.1: payload passed (exit 33, got $rc)" \
		eval '[ $rc = 33 ] && grep -q "copy jobs ok" $T.con'
else
	skip "# qemu-system-x86_64 -machine q35 ... -device vfio-pci,host=0000:01:00.1" "qemu-system-x86_64 or $elf missing"
fi

# 8. monitoring
run "sriov_cfg status"
check "status shows both vGPUs" eval 'grep -q $U1 $T.out && grep -q $U2 $T.out'
run "sriov_cfg stats"
run "sriov_cfg top -n 1"
run "cat /sys/bus/mdev/devices/5a1e0001-0000-4000-8000-000000000001/jmgpu/open"
check "jmgpu/open is 0 after the VM" [ "$(cat $T.out)" = 0 ]
run "cat /sys/bus/mdev/devices/5a1e0001-0000-4000-8000-000000000001/jmgpu/engine_busy_pct"
run "cat /sys/bus/pci/devices/0000:01:00.0/jmgpu/vfs"

# 9. teardown
run "sriov_cfg destroy 5a1e0002-0000-4000-8000-000000000002"
run "mdevctl stop -u 5a1e0001-0000-4000-8000-000000000001"
check "no vGPU left" eval '[ ! -e /sys/bus/mdev/devices/$U1 ] && [ ! -e /sys/bus/mdev/devices/$U2 ]'
run "echo 0 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs"
run "rmmod jmgpu_vfio_pci jmgpu_pf"
check "both modules unloaded" eval '! grep -q -e "^jmgpu_pf " -e "^$VDRV " /proc/modules'

# reference part: loading with auto_provision, enabling, scheduler
run "modprobe jmgpu_pf auto_provision=equal"
check "auto_provision is equal" [ "$(cat $P/jmgpu/auto_provision)" = equal ]
run "echo 8 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs"
check "8 VFs enabled" [ "$(cat $P/sriov_numvfs)" = 8 ]
run "echo 0 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs"
run "echo fb64m-w3 > /sys/bus/pci/devices/0000:01:00.0/jmgpu/auto_provision"
run "echo 8 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs"
check "8 VFs provisioned with fb64m-w3" [ "$(grep -c fb64m-w3 $P/jmgpu/vfs)" = 8 ]
run "echo 0 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs"
run "echo equal > /sys/bus/pci/devices/0000:01:00.0/jmgpu/auto_provision"
run "echo none > /sys/bus/pci/devices/0000:01:00.0/jmgpu/auto_provision"
check "auto_provision is none" [ "$(cat $P/jmgpu/auto_provision)" = none ]
_slice=$(cat $P/jmgpu/timeslice_us)
run "echo fixed-share > /sys/bus/pci/devices/0000:01:00.0/jmgpu/sched_policy"
run "echo 2000 > /sys/bus/pci/devices/0000:01:00.0/jmgpu/timeslice_us"
check "scheduler: fixed-share, 2000 us" \
	eval '[ "$(cat $P/jmgpu/sched_policy)" = fixed-share ] && [ "$(cat $P/jmgpu/timeslice_us)" = 2000 ]'
plan_end
tap_done
