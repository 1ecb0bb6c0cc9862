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
#exempt apt-get install -t bookworm-backports linux-image-amd64 linux-headers-amd64 | host kernel installation; the test VM boots that kernel (scripts/fetch-kernel.sh)
#exempt apt-get install --no-install-recommends build-essential dkms pkg-config libpci-dev libjson-c-dev uuid-dev libsmartcols-dev mdevctl qemu-system-x86 | host package installation; the VM is built from these packages (scripts/install-deps.sh, scripts/mk-initramfs.sh)
#exempt mokutil --import /var/lib/dkms/mok.pub | Secure Boot key enrolment needs the host's firmware and a reboot
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

# run "<command of the guide>" "<what the guide says it does>" <check...>:
# runs the command as the shell would (its output in $T.out, shown as
# comments), then the check of its effect; one TAP line, ok when the
# command exits 0 and its effect is there
run() {
	_c=$1 _e=$2
	shift 2
	eval "$_c" > $T.out 2>&1
	_rc=$?
	sed 's/^/#   /' $T.out | head -n 20
	if [ $# = 0 ]; then
		not_ok "# $_c: (test bug: no check of its effect)"
		return 1
	fi
	if [ $_rc != 0 ]; then
		not_ok "# $_c: $_e (exit $_rc)"
		return 1
	fi
	check "# $_c: $_e" "$@"
}
# out_has <awk condition>: a line of the command's output matches
out_has() { awk "$1 { f = 1 } END { exit !f }" $T.out; }
mods() { cut -d' ' -f1 /proc/modules; }
vfs_line() { vf_table "$pf" | awk -v v="vf$1" '$1 == v'; }

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
require "modules installed to updates/, found by depmod" same "$(modinfo -n $VDRV)" "$UPD/$VDRV.ko"

# 2. load, enable, bind
run "modprobe jmgpu_pf" "the PF is bound to jmgpu_pf" \
	eval 'same "$(pci_driver 0000:01:00.0)" jmgpu_pf'
run "modprobe jmgpu_vfio_pci" "jmgpu_vfio_pci loaded" \
	eval 'mods | grep -qx jmgpu_vfio_pci'
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
run "sriov_cfg apply --dry-run /etc/jmgpu/sriov.conf" \
	"plans 8 VFs and the 4 vGPUs (vf 7 pinned), changes nothing" \
	eval 'grep -q "^plan: 0000:01:00.0: set sriov_numvfs 0 -> 8$" $T.out &&
	same "$(grep -c "^plan: .*: create vGPU 5a1e000[1-4]-" $T.out)" 4 &&
	grep -q "create vGPU 5a1e0004-0000-4000-8000-000000000004 (fb64m-w3) on VF 7 (pinned)" $T.out &&
	same "$(cat $P/sriov_numvfs)" 0'
run "echo 2 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs" "2 VFs enabled" \
	eval 'same "$(cat $P/sriov_numvfs)" 2 && [ -e $P/virtfn1 ] && [ ! -e $P/virtfn2 ]'
run "lspci -d 1ee7:" "lists the PF and its 2 VFs" \
	eval 'same "$(grep -c . $T.out)" 3 && grep -q "^01:00.0 " $T.out &&
	grep -q "^01:00.1 " $T.out && grep -q "^01:00.2 " $T.out'
run "echo jmgpu_vfio_pci > /sys/bus/pci/devices/0000:01:00.1/driver_override" \
	"driver_override of 0000:01:00.1 is jmgpu_vfio_pci" \
	eval 'same "$(cat /sys/bus/pci/devices/0000:01:00.1/driver_override)" jmgpu_vfio_pci'
run "echo 0000:01:00.1 > /sys/bus/pci/drivers_probe" "0000:01:00.1 bound to $VDRV" \
	eval 'same "$(pci_driver 0000:01:00.1)" $VDRV'

# 3. profiles, 4. vGPUs
nprof=$(ls $P/jmgpu_profiles | wc -l)
run "mdevctl types" "the $nprof profiles as types of 0000:01:00.1, fb128m-w6 available" \
	eval 'grep -q "^0000:01:00.1$" $T.out && [ "$nprof" -gt 0 ] &&
	same "$(grep -c "jmgpu_vfio_pci-" $T.out)" "$nprof" &&
	grep -A1 "jmgpu_vfio_pci-fb128m-w6$" $T.out | grep -q "Available instances: 1"'
run "sriov_cfg profiles" "every profile of the card with its numbers" \
	eval 'same "$(awk "\$1 ~ /^fb/" $T.out | wc -l)" "$nprof" &&
	out_has "\$1 == \"fb256m-w25\" && \$2 == 256 && \$3 == 25"'
run "mdevctl start -u 5a1e0001-0000-4000-8000-000000000001 -p 0000:01:00.1 -t jmgpu_vfio_pci-fb128m-w6" \
	"vGPU $U1 with profile fb128m-w6 on VF 0000:01:00.1" \
	eval 'same "$(cat /sys/bus/mdev/devices/$U1/jmgpu/profile)" fb128m-w6 &&
	same "$(cat /sys/bus/mdev/devices/$U1/jmgpu/vf)" "0000:01:00.1 0"'
run "mdevctl list" "lists $U1 on 0000:01:00.1, type fb128m-w6" \
	grep -q "^$U1 0000:01:00.1 jmgpu_vfio_pci-fb128m-w6" $T.out
run "sriov_cfg create --profile fb256m-w25 --uuid 5a1e0002-0000-4000-8000-000000000002" \
	"vGPU $U2 fb256m-w25 on the free VF 0000:01:00.2, which it bound; prints both" \
	eval 'grep -q "^$U2 0000:01:00.2" $T.out && same "$(pci_driver 0000:01:00.2)" $VDRV &&
	same "$(cat /sys/bus/mdev/devices/$U2/jmgpu/profile)" fb256m-w25'

# 6. QEMU with the VF (the payload checks copy jobs through it)
elf=/jmgpu/bin/jmgpu_payload.elf
grep -q '^vfio_iommu_type1 ' /proc/modules || _type1=1
run "modprobe vfio_iommu_type1" "the IOMMU backend of VFIO is there" \
	test -d /sys/module/vfio_iommu_type1
qemu_ran=0
if command -v qemu-system-x86_64 > /dev/null && [ -f $elf ]; then
	timeout 120 qemu-system-x86_64 -machine q35 -accel tcg -m 64M -nographic -nodefaults -no-reboot \
		-L /usr/share/seabios -L /usr/share/qemu -device vfio-pci,host=0000:01:00.1 \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -debugcon file:$T.con \
		-global isa-debugcon.iobase=0xe9 -kernel $elf > $T.qemu 2>&1
	rc=$?
	sed 's/^/# qemu: /' $T.qemu | head -n 10
	check "# qemu-system-x86_64 -machine q35 ... -device vfio-pci,host=0000:01:00.1: payload passed (exit 33, got $rc)" \
		eval '[ $rc = 33 ] && grep -q "copy jobs ok" $T.con' && qemu_ran=1
else
	skip "# qemu-system-x86_64 -machine q35 ... -device vfio-pci,host=0000:01:00.1" "qemu-system-x86_64 or $elf missing"
fi
sleep 1.5	# the PF's statistics are sampled every second

# 8. monitoring
run "sriov_cfg status" "both vGPUs, each with its VF address, profile and UUID" \
	eval 'out_has "\$2 == \"0000:01:00.1\" && \$3 == \"fb128m-w6\" && \$4 == \"$U1\"" &&
	out_has "\$2 == \"0000:01:00.2\" && \$3 == \"fb256m-w25\" && \$4 == \"$U2\""'
run "sriov_cfg stats" "per-VF counters: $U1 with its 128 MiB and the jobs the VM ran" \
	eval 'out_has "\$2 == \"$U1\" && \$3 == \"fb128m-w6\" && \$5 == 128 && (\$6 > 0 || !$qemu_ran)" &&
	out_has "\$2 == \"$U2\" && \$3 == \"fb256m-w25\" && \$5 == 256"'
run "sriov_cfg top -n 1" "one sample: the card with 2 VFs, both vGPUs" \
	eval 'same "$(grep -c "^sriov_cfg top - sample" $T.out)" 1 &&
	grep -q "^card 0000:01:00.0  VFs 2/32 " $T.out &&
	out_has "\$2 == \"$U1\" && \$3 == \"fb128m-w6\"" && out_has "\$2 == \"$U2\" && \$3 == \"fb256m-w25\""'
run "cat /sys/bus/mdev/devices/5a1e0001-0000-4000-8000-000000000001/jmgpu/open" \
	"0: the VM has closed the VF" eval 'same "$(cat $T.out)" 0'
run "cat /sys/bus/mdev/devices/5a1e0001-0000-4000-8000-000000000001/jmgpu/engine_busy_pct" \
	"a percentage" eval 'grep -qxE "[0-9]+" $T.out && [ "$(cat $T.out)" -le 100 ]'
run "grep . /sys/bus/pci/devices/0000:01:00.0/jmgpu_vf/*/profile" \
	"one line per VF: vf0 fb128m-w6, vf1 fb256m-w25" \
	eval 'same "$(grep -c . $T.out)" 2 && grep -q "jmgpu_vf/0/profile:fb128m-w6$" $T.out &&
	grep -q "jmgpu_vf/1/profile:fb256m-w25$" $T.out'
run "cat /sys/bus/pci/devices/0000:01:00.0/jmgpu/engine_weight_free" \
	"free weight 100 - 6 - 25 = 69" eval 'same "$(cat $T.out)" 69'
run "cat /sys/bus/mdev/devices/5a1e0001-0000-4000-8000-000000000001/jmgpu/engine_weight" \
	"the profile's weight, 6" eval 'same "$(cat $T.out)" 6'
run "echo 40 > /sys/bus/mdev/devices/5a1e0001-0000-4000-8000-000000000001/jmgpu/engine_weight" \
	"weight 40 in force, free weight 35, profile still fb128m-w6" \
	eval 'same "$(cat /sys/bus/mdev/devices/$U1/jmgpu/engine_weight) $(cat $P/jmgpu/engine_weight_free)" "40 35" &&
	same "$(cat /sys/bus/mdev/devices/$U1/jmgpu/profile)" fb128m-w6'

# 9. teardown
run "sriov_cfg destroy 5a1e0002-0000-4000-8000-000000000002" "$U2 gone, vf1 unprovisioned" \
	eval '[ ! -e /sys/bus/mdev/devices/$U2 ] && vfs_line 1 | grep -q "^vf1 - "'
run "mdevctl stop -u 5a1e0001-0000-4000-8000-000000000001" "$U1 gone, vf0 unprovisioned" \
	eval '[ ! -e /sys/bus/mdev/devices/$U1 ] && vfs_line 0 | grep -q "^vf0 - "'
run "echo 0 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs" "VFs disabled" \
	eval 'same "$(cat $P/sriov_numvfs)" 0 && [ ! -e $P/virtfn0 ]'
run "rmmod jmgpu_vfio_pci jmgpu_pf" "both jmgpu modules unloaded, the vfio modules left alone" \
	eval '! mods | grep -qx -e jmgpu_pf -e $VDRV && mods | grep -qx vfio_pci_core'

# reference part: loading with auto_provision, enabling, scheduler
run "modprobe jmgpu_pf auto_provision=equal" "PF bound, auto_provision is equal" \
	eval 'same "$(pci_driver 0000:01:00.0)" jmgpu_pf && same "$(cat $P/jmgpu/auto_provision)" equal'
run "echo 8 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs" "8 VFs, each provisioned an equal share at enable" \
	eval 'same "$(cat $P/sriov_numvfs)" 8 && same "$(vf_table "$pf" | grep -c "^vf[0-7] equal auto ")" 8'
run "echo 0 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs" "VFs disabled, their shares released" \
	eval 'same "$(cat $P/sriov_numvfs)" 0 && same "$(cat $P/jmgpu/fb_free)" "$(cat $P/jmgpu/fb_size)"'
run "echo fb64m-w3 > /sys/bus/pci/devices/0000:01:00.0/jmgpu/auto_provision" "auto_provision is fb64m-w3" \
	eval 'same "$(cat $P/jmgpu/auto_provision)" fb64m-w3'
run "echo 8 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs" "8 VFs, each provisioned fb64m-w3 at enable" \
	eval 'same "$(cat $P/sriov_numvfs)" 8 && same "$(vf_table "$pf" | grep -c "^vf[0-7] fb64m-w3 auto ")" 8'
run "echo 0 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs" "VFs disabled, their fb64m-w3 slices released" \
	eval 'same "$(cat $P/sriov_numvfs)" 0 && same "$(cat $P/jmgpu/fb_free)" "$(cat $P/jmgpu/fb_size)"'
run "echo equal > /sys/bus/pci/devices/0000:01:00.0/jmgpu/auto_provision" "auto_provision is equal" \
	eval 'same "$(cat $P/jmgpu/auto_provision)" equal'
run "echo none > /sys/bus/pci/devices/0000:01:00.0/jmgpu/auto_provision" "auto_provision is none" \
	eval 'same "$(cat $P/jmgpu/auto_provision)" none'
_slice=$(cat $P/jmgpu/timeslice_us)
run "echo fixed-share > /sys/bus/pci/devices/0000:01:00.0/jmgpu/sched_policy" "sched_policy is fixed-share" \
	eval 'same "$(cat $P/jmgpu/sched_policy)" fixed-share'
run "echo 2000 > /sys/bus/pci/devices/0000:01:00.0/jmgpu/timeslice_us" "timeslice_us is 2000" \
	eval 'same "$(cat $P/jmgpu/timeslice_us)" 2000'
plan_end
tap_done
