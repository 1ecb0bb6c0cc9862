#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# QEMU's iommufd backend (kernel with IOMMUFD and VFIO_DEVICE_CDEV):
# "-object iommufd,id=fd0 -device vfio-pci,<host= or sysfsdev=>,iommufd=fd0"
# lists <sysfs dir>/vfio-dev/, reads vfioN/dev and opens
# /dev/vfio/devices/vfioN. The vGPU's directory leads to the VF's cdev, so
# both forms pass the vGPU to the nested payload (copy jobs verified); the
# VF is closed when QEMU exits and the next user opens it; while one user
# holds the vGPU through the cdev (or through the group), every other open
# of it is refused. On a kernel without IOMMUFD / VFIO_DEVICE_CDEV these
# rows are skipped.
. ./lib.sh
. ./mdev-lib.sh
. ./mdev-uuid-lib.sh

NVFS=2
QPID=
trap 'qemu_quit; mdev_cleanup' EXIT
plan 15
dmesg_mark
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
vf0=$(vf_n 0)
u0=$(mdev_create "$vf0" fb128m-w6)
M0=/sys/bus/mdev/devices/$u0
check "vGPU $u0 on $vf0" [ -e "$M0" ]

rows="vfio-dev link|host= payload|host= closed|sysfsdev= payload|sysfsdev= closed"
rows="$rows|group after cdev|cdev hold|second cdev sysfsdev|second cdev host"
rows="$rows|group while cdev|cdev while group|re-created vGPU link|no warning"
if ! have_iommufd; then
	diag "no /dev/iommu or no /dev/vfio/devices/"
	IFS='|'
	for d in $rows; do
		skip "iommufd: $d" "kernel without IOMMUFD / VFIO_DEVICE_CDEV"
	done
	tap_done
	exit 0
fi

# the VF's vfio device and its cdev: <VF>/vfio-dev/vfioN, /dev/vfio/devices/vfioN
vdir=$(ls -d /sys/bus/pci/devices/$vf0/vfio-dev/vfio* 2>/dev/null | head -n 1)
vname=${vdir##*/}
cdev=/dev/vfio/devices/$vname
diag "VF $vf0: vfio device $vname, dev $(cat $vdir/dev 2>/dev/null)"
ls -l "$M0/vfio-dev/" 2>&1 | sed 's/^/# mdev vfio-dev: /'
# the dev file names the char device QEMU opens (major:minor, as stat has it in hex)
devno() { stat -c '%t %T' "$1" | { read -r ma mi && printf '%d:%d\n' 0x$ma 0x$mi; }; }
check "iommufd: the vGPU's vfio-dev/ holds one entry, $vname, the VF's vfio device, whose dev is $cdev" \
	eval '[ -n "$vname" ] && [ "$(ls $M0/vfio-dev/)" = "$vname" ] &&
		[ "$(readlink -f $M0/vfio-dev/$vname)" = "$(readlink -f $vdir)" ] &&
		[ -c $cdev ] && [ "$(cat $M0/vfio-dev/$vname/dev)" = "$(devno $cdev)" ]'

if ! have_qemu; then
	IFS='|'
	for d in $rows; do
		case $d in "vfio-dev link") continue ;; esac
		skip "iommufd: $d" "qemu-system-x86_64 or the payload missing"
	done
	tap_done
	exit 0
fi

NQ_ARGS="-object iommufd,id=fd0"
# Both forms run the payload, one after the other: the second is the VF's
# next user after the first closed it.
for r in "host=$vf0|host=<VF>" "sysfsdev=$M0|sysfsdev=/sys/bus/mdev/devices/<uuid>"; do
	opt=${r%%|*}
	tag=${opt%%=*}
	t0=$(cut -d' ' -f1 /proc/uptime)
	nested_qemu "$tag" "$opt,iommufd=fd0"
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	diag "nested QEMU (iommufd, $opt): exit status $rc after $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
	show_qemu "$tag"
	sed 's/^/# payload: /' "$MDEV_TMP.$tag.con" 2>/dev/null
	check "iommufd: nested QEMU with ${r#*|},iommufd=fd0 ran the payload: exit status 33, copy jobs verified" \
		eval '[ $rc = 33 ] && grep -q "copy jobs ok" $MDEV_TMP.$tag.con'
	check "iommufd: QEMU (${r#*|}) closed the VF at exit (jmgpu/open 0)" vgpu_closed "$u0"
done

# after the cdev users, a user of the group path (legacy container)
NQ_ARGS=
qemu_hold group "sysfsdev=$M0"
wait_for 600 eval 'vgpu_open $u0 || ! kill -0 $QPID 2>/dev/null'
got=$(cat $M0/jmgpu/open)
qemu_quit
show_qemu group
check "iommufd: after them a legacy-container QEMU (group path) opens the VF (jmgpu/open 1), closes it at exit" \
	eval '[ "$got" = 1 ] && vgpu_closed $u0'

# One vGPU, one user: held through the cdev, every other open is refused.
NQ_ARGS="-object iommufd,id=fd0"
qemu_hold first "sysfsdev=$M0,iommufd=fd0"
wait_for 600 eval 'vgpu_open $u0 || ! kill -0 $QPID 2>/dev/null'
show_qemu first
check "iommufd: VM 1 holds the vGPU through the cdev (sysfsdev=<uuid>, jmgpu/open 1)" vgpu_open "$u0"
for r in "sysfsdev=$M0,iommufd=fd0|cdev sysfsdev|its UUID" "host=$vf0,iommufd=fd0|cdev host|the VF's PCI address"; do
	opt=${r%%|*}
	what=${r#*|}
	tag=$(echo "${what%%|*}" | tr ' ' '-')
	nested_qemu "$tag" "$opt"
	rc=$?
	show_qemu "$tag"
	check "iommufd: a second cdev user (VM 2, ${r##*|}) is refused at bind, VM 1 keeps the vGPU" \
		eval '[ $rc = 1 ] && qemu_said $tag "error bind device" && vgpu_open $u0 && kill -0 $QPID'
done
NQ_ARGS=
nested_qemu group2 "sysfsdev=$M0"
rc=$?
show_qemu group2
check "iommufd: a group-path user (legacy QEMU, sysfsdev=<uuid>) is refused (group busy), VM 1 keeps the vGPU" \
	eval '[ $rc = 1 ] && qemu_said group2 "busy" && vgpu_open $u0 && kill -0 $QPID'
qemu_quit

# and the reverse: held through the group, the cdev is refused
qemu_hold gfirst "sysfsdev=$M0"
wait_for 600 eval 'vgpu_open $u0 || ! kill -0 $QPID 2>/dev/null'
NQ_ARGS="-object iommufd,id=fd0"
nested_qemu cdev2 "sysfsdev=$M0,iommufd=fd0"
rc=$?
NQ_ARGS=
show_qemu cdev2
check "iommufd: held through the group (legacy QEMU), a cdev user is refused at bind (busy), the holder keeps it" \
	eval '[ $rc = 1 ] && qemu_said cdev2 "error bind device.*busy" && vgpu_open $u0 && kill -0 $QPID'
qemu_quit

# The link goes with the vGPU and comes with the next one.
echo 1 > $M0/remove
u1=$(mdev_create "$vf0" fb64m-w3)
check "iommufd: vGPU removed, a new one on $vf0 has its own vfio-dev/$vname link" \
	eval '[ ! -e $M0 ] && [ "$(readlink -f /sys/bus/mdev/devices/$u1/vfio-dev/$vname)" = "$(readlink -f $vdir)" ]'
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "iommufd: nothing oopsed, no warning"
else
	ok "iommufd: nothing oopsed, no warning"
fi
tap_done
