#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VFIO arguments vfio-pci-core would misread are refused by jmgpu_vfio_pci
# before the core sees them: each malformed ioctl, read and write on a
# vGPU's VF gets its errno (jmgpu_vfio_fuzz guards, one line each, relayed),
# the last one being the IOEVENTFD offset with bit 63 set that oopses
# Debian 6.12's core; the refusals are logged; the host stays up (the
# runner checks dmesg) and A and its neighbour B still run jobs.
. ./lib.sh
. ./mdev-lib.sh

NVFS=2
trap mdev_cleanup EXIT
mdev_pair fb64m-w3 fb64m-w3
dmesg_mark
jmgpu_vfio_fuzz guards "$a" > $MDEV_TMP.g 2>&1
tap_relay $MDEV_TMP.g "A: "
check "the refusals are logged (first: IOEVENTFD argsz)" \
	eval 'newdmesg | grep -q "$a: VF[0-9]*: IOEVENTFD refused: argsz too small"'
check "A and B run jobs afterwards" jmgpu_vgpu copy "$a" "$b"
plan_end
tap_done
