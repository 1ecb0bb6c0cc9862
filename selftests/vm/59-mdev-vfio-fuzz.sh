#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VFIO ioctl fuzzer: N typed random calls (every ioctl of the VF's vfio
# device, region reads/writes incl. config space, the EDID region and the
# trapped MSI-X part) on vGPU A, seeded and printed for replay. Pass: all
# N calls return (an alarm names a hung one), no dmesg splat (the runner),
# and afterwards A (reopened) and its neighbour B run verified copies.
# N and the seed: jmgpu_fuzz_n= / jmgpu_fuzz_seed= on the guest's kernel
# command line (JMGPU_CMDLINE), else JMGPU_FUZZ_N / JMGPU_FUZZ_SEED, else
# 20000 on every kernel: about 35 s on the Debian kernel under TCG, a few
# minutes on the debug kernel (not scaled: the fuzzer's count is its
# strength, and the debug kernel's watchdog is 5x longer).
. ./lib.sh
. ./mdev-lib.sh

cmdline_arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
N=$(cmdline_arg jmgpu_fuzz_n)
N=${N:-${JMGPU_FUZZ_N:-20000}}
SEED=$(cmdline_arg jmgpu_fuzz_seed)
SEED=${SEED:-${JMGPU_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}}

NVFS=2
trap mdev_cleanup EXIT
require "modules load, $NVFS VFs bound to $VDRV" mdev_setup $NVFS
a=$(vf_n 0)
b=$(vf_n 1)
ua=$(mdev_create "$a" fb64m-w3)
ub=$(mdev_create "$b" fb64m-w3)
require "vGPUs on A and B" eval '[ -e /sys/bus/mdev/devices/$ua ] && [ -e /sys/bus/mdev/devices/$ub ]'
JMGPU_FUZZ_N=$N jmgpu_vfio_fuzz fuzz "$a" "$SEED" > $MDEV_TMP.f 2>&1
tap_relay $MDEV_TMP.f "fuzz: "
check "A (reopened) and B run verified copies afterwards" jmgpu_vgpu copy "$a" "$b"
plan_end
tap_done
