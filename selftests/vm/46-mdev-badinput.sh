#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bad input: VFIO ioctls with bad sizes, flags, indices and offsets, reads
# and writes past region ends, mdev create with bad UUIDs or types — each
# an errno, no oops (the runner checks dmesg).
. ./lib.sh
. ./mdev-lib.sh

NVFS=2
trap mdev_cleanup EXIT
plan 11
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
a=$(vf_n 0)
T=$(mdev_type_dir "$a" fb64m-w3)
check "create 'not-a-uuid': Invalid argument" [ "$(try_write $T/create not-a-uuid)" = "Invalid argument" ]
check "create with a too long uuid: Invalid argument" \
	[ "$(try_write $T/create 12345678-1234-1234-1234-1234567890123)" = "Invalid argument" ]
check "create with a bad hex digit: Invalid argument" \
	[ "$(try_write $T/create 1234567g-1234-1234-1234-123456789012)" = "Invalid argument" ]
check "create in a type that does not exist: no such type directory, the write fails" \
	sh -c '[ ! -e "$2" ] && ! echo "$1" > "$2/create"' sh "$(new_uuid)" "$(mdev_type_dir $a fb9g-w99)" 2>/dev/null
check "mdevctl start with an unknown type fails" eval '! mdevctl start -p "$a" -t $VDRV-nope > /dev/null 2>&1'
u=$(mdev_create "$a" fb64m-w3) || diag "vGPU on $a not created"
check "duplicate uuid on another VF: File exists" \
	[ "$(try_write "$(mdev_type_dir "$(vf_n 1)" fb64m-w3)/create" "$u")" = "File exists" ]
check "remove with 'abc': Invalid argument" [ "$(try_write /sys/bus/mdev/devices/$u/remove abc)" = "Invalid argument" ]
check "vGPU still there" [ -e /sys/bus/mdev/devices/$u/remove ]
jmgpu_vgpu badinput "$a" > $MDEV_TMP.bad 2>&1
r=$?
cat $MDEV_TMP.bad
check "VFIO ioctls, reads, writes, mmaps with bad arguments: errnos" [ $r = 0 ]
check "the VF still runs jobs" jmgpu_vgpu copy "$a"
tap_done
