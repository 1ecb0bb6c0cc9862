#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Helpers for the tests of the vGPU UUID as a VFIO handle and of the vGPU
# lifecycle (49-, 56-, 57-mdev-*.sh), sourced after lib.sh and mdev-lib.sh.
# shellcheck shell=sh

QEMU=$(command -v qemu-system-x86_64)
PAYLOAD=/jmgpu/bin/jmgpu_payload.elf

# have_qemu: the nested QEMU and the payload are in the VM
have_qemu() { [ -n "$QEMU" ] && [ -f $PAYLOAD ]; }

# have_iommufd: the kernel has IOMMUFD (/dev/iommu) and the vfio device
# cdev (/dev/vfio/devices/), what QEMU's iommufd backend opens
have_iommufd() { [ -c /dev/iommu ] && [ -d /dev/vfio/devices ]; }

# NQ_ARGS: more QEMU arguments for nested_qemu and qemu_hold, e.g. the
# iommufd backend object "-object iommufd,id=fd0" (empty: legacy container)
NQ_ARGS=

# wait_for <tenths of a second> <command...>: poll until the command
# succeeds; status 1 when it never did. The bound scales with a slow
# (debug) guest kernel's JMGPU_SLOW: it is a deadline, not a measurement.
wait_for() {
	_n=$(($1 * ${JMGPU_SLOW:-1}))
	shift
	while ! "$@"; do
		[ "$_n" -le 0 ] && return 1
		_n=$((_n - 1))
		sleep 0.1
	done
	return 0
}

# vgpu_open <uuid>: jmgpu/open of the vGPU reads 1
vgpu_open() { [ "$(cat /sys/bus/mdev/devices/$1/jmgpu/open 2>/dev/null)" = 1 ]; }
vgpu_closed() { [ "$(cat /sys/bus/mdev/devices/$1/jmgpu/open 2>/dev/null)" = 0 ]; }

# nested_qemu <tag> <vfio-pci options>...: run the payload in a nested
# QEMU with one "-device vfio-pci,<options>,rombar=0" per argument; the
# status is QEMU's (33: the payload's copy jobs verified); QEMU is killed
# after 120 s (times JMGPU_SLOW: the debug kernel is slower). QEMU's output
# goes to $MDEV_TMP.<tag>.qemu, the payload's console to $MDEV_TMP.<tag>.con
nested_qemu() {
	_nq_tag=$1
	shift
	_nq_dev=
	for _o in "$@"; do
		_nq_dev="$_nq_dev -device vfio-pci,$_o,rombar=0"
	done
	# shellcheck disable=SC2086
	timeout $((120 * ${JMGPU_SLOW:-1})) "$QEMU" -L /usr/share/seabios -L /usr/share/qemu -accel tcg \
		-machine q35 -m 64M -nographic -nodefaults -no-reboot $NQ_ARGS $_nq_dev \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-debugcon file:$MDEV_TMP.$_nq_tag.con -global isa-debugcon.iobase=0xe9 \
		-kernel $PAYLOAD > $MDEV_TMP.$_nq_tag.qemu 2>&1
}

# qemu_hold <tag> <vfio-pci options>: start a nested QEMU in the
# background that realizes the device (opens the VF) and stays paused
# (-S) until killed; its pid in QPID, its output in $MDEV_TMP.<tag>.qemu
qemu_hold() {
	# shellcheck disable=SC2086
	"$QEMU" -L /usr/share/seabios -L /usr/share/qemu -accel tcg \
		-machine q35 -m 64M -display none -nodefaults -S $NQ_ARGS \
		-device "vfio-pci,$2,rombar=0" > "$MDEV_TMP.$1.qemu" 2>&1 &
	QPID=$!
}

# qemu_quit: end the QEMU of qemu_hold (SIGTERM: it shuts down, closing
# the VF) and wait for it
qemu_quit() {
	[ -n "$QPID" ] || return 0
	kill "$QPID" 2>/dev/null
	wait "$QPID" 2>/dev/null
	QPID=
	return 0
}

# fake_sysfsdev <dir> <group>: a directory that QEMU can take as sysfsdev=
# (its basename is the name QEMU asks the group for) whose iommu_group
# link leads to IOMMU group <group>: asks any group for any name, as a
# VFIO user could.
fake_sysfsdev() {
	mkdir -p "$1" && ln -sf "/sys/kernel/iommu_groups/$2" "$1/iommu_group"
}

# qemu_said <tag> <text>: QEMU's output contains the text
qemu_said() { grep -q "$2" "$MDEV_TMP.$1.qemu"; }

# show_qemu <tag>: QEMU's output as TAP diagnostics
show_qemu() { sed "s/^/# qemu $1: /" "$MDEV_TMP.$1.qemu" 2>/dev/null | head -n 8; }
