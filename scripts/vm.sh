#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare and boot the jmgpu test VM.
#   vm.sh test [glob[,glob...]]   run VM selftests (selftests/vm/<glob>.sh)
#   vm.sh demo                    run scripts/guest-demo.sh in the VM
#   vm.sh shell                   interactive VM on this terminal
# Builds what is missing: QEMU with the device model, the guest kernel,
# the project's modules and test programs, the initramfs. TAP of a test run
# goes to build/vm-tap.log (console: build/vm-tap.log.console).
# JMGPU_KERNEL=debug boots the debug + modern kernel of
# scripts/build-debug-kernel.sh (KASAN, lockdep, kmemleak, UBSAN, IOMMUFD,
# VFIO cdev) instead of Debian's: slower, so the guest's per-test watchdog
# and the tests' iteration counts scale by JMGPU_SLOW (default 5 there),
# and it has one vCPU (JMGPU_VM_SMP, default 2 on Debian's kernel).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-test}
tests=${2:-*}
build=$JMGPU_TOP/build
mkdir -p "$build"
# per-run stage and initrd: concurrent runs must not clobber each other
stage=$(mktemp -d "$build/vm-stage.XXXXXX")
trap 'rm -rf "$stage" "$stage.initrd"' EXIT

qemu=$("$JMGPU_TOP/scripts/build-qemu.sh")
case ${JMGPU_KERNEL:-debian} in
debian)
	read -r kver kcache kdir < <("$JMGPU_TOP/scripts/fetch-kernel.sh")
	# the whole run's deadline: make check runs this VM next to the two
	# debug-kernel VMs on two cores, where the full suite took up to 15
	# min; a hung test is caught sooner by the per-test watchdog
	export JMGPU_VM_TIMEOUT=${JMGPU_VM_TIMEOUT:-3600}
	;;
debug)
	read -r kver kcache kdir < <("$JMGPU_TOP/scripts/build-debug-kernel.sh")
	slow=${JMGPU_SLOW:-5}
	# no5lvl: with 5-level paging (-cpu max has LA57) an interrupt in
	# identify_cpu()'s window where the CPU features are re-read makes
	# KASAN take a direct-map address for a wild one (a boot-time
	# "BUG: KASAN: wild-memory-access in do_raw_spin_lock" from
	# handle_edge_irq, before any of the project's code): 4-level paging
	export JMGPU_CMDLINE="${JMGPU_CMDLINE:-} no5lvl jmgpu_slow=$slow jmgpu_test_timeout=$((300 * slow))"
	export JMGPU_VM_TIMEOUT=${JMGPU_VM_TIMEOUT:-$((900 * slow))}
	# one vCPU: under single-threaded TCG a cross-CPU TLB shootdown
	# waits for the other vCPU's turn, which made this kernel's runs
	# about 1.5x slower (testing.rst); SMP is covered by the Debian run
	export JMGPU_VM_SMP=${JMGPU_VM_SMP:-1}
	;;
*)
	die "JMGPU_KERNEL must be debian or debug, not '$JMGPU_KERNEL'"
	;;
esac
[ -n "${kver:-}" ] && [ -n "${kdir:-}" ] ||
	die "no guest kernel (JMGPU_KERNEL=${JMGPU_KERNEL:-debian})"

mkdir -p "$stage/bin" "$stage/tests" "$stage/modules"
# Builds in the tree are shared by concurrent runs (make check runs the
# Debian-kernel and the debug-kernel VM at once): one at a time. Modules
# are built in a copy of their sources per guest kernel, so two kernels
# do not rebuild each other's objects.
exec 8> "$build/.vm-build.lock"
flock 8
kmod=$build/kmod-$kver
for d in firmware-iface pf_driver vf_mdev; do
	[ -d "$JMGPU_TOP/$d" ] || continue
	mkdir -p "$kmod/$d"
	find "$JMGPU_TOP/$d" -maxdepth 1 -type f \( -name '*.[ch]' -o -name Makefile \
		-o -name Kbuild \) ! -name '*.mod.c' -exec cp -p -u -t "$kmod/$d" {} +
done
for d in pf_driver vf_mdev; do
	[ -f "$kmod/$d/Makefile" ] || continue
	log "vm: building $d against $kver"
	make -s -C "$kmod/$d" KDIR="$kdir" modules >&2
	cp "$kmod/$d"/*.ko "$stage/modules/"
done
if [ -f "$JMGPU_TOP/selftests/vm/Makefile" ]; then
	log "vm: building test programs"
	make -s -C "$JMGPU_TOP/selftests/vm" OUT="$stage/bin" >&2
fi
# sriov_cfg in /jmgpu/bin, its shared libraries (libpci, libjson-c) in the rootfs
[ ! -f "$JMGPU_TOP/sriov_cfg/Makefile" ] ||
	make -s -C "$JMGPU_TOP/sriov_cfg" stage BIN="$stage/bin" ROOT="$stage/rootfs" >&2
flock -u 8
cp "$JMGPU_TOP"/selftests/vm/*.sh "$stage/tests/"
# the documented libvirt domains, which 65-libvirt.sh starts
mkdir -p "$stage/examples"
cp "$JMGPU_TOP"/Documentation/examples/*.xml "$stage/examples/"
# The nested QEMU (the real vfio-pci client in the guest) is this same
# binary, with its libraries and the firmware it loads.
"$JMGPU_TOP/scripts/stage-qemu.sh" "$qemu" "$stage/rootfs"
install -m 0755 "$JMGPU_TOP/scripts/guest-demo.sh" "$stage/demo.sh"
[ ! -f "$JMGPU_TOP/scripts/guest-demo-mdev.sh" ] ||
	install -m 0755 "$JMGPU_TOP/scripts/guest-demo-mdev.sh" "$stage/demo-mdev.sh"
echo "$kver" > "$stage/kernel-version"

initrd=$stage.initrd
"$JMGPU_TOP/scripts/mk-initramfs.sh" "$kver" "$kcache" "$stage" "$initrd"

export JMGPU_VM_OUT=${JMGPU_VM_OUT:-$build/vm-tap.log}
log "vm: booting ($mode${2:+, tests $tests})"
if [ "$mode" = shell ]; then
	trap - EXIT	# vm-boot.sh execs QEMU; the stage stays for it
fi
"$JMGPU_TOP/scripts/vm-boot.sh" "$qemu" "$kcache/vmlinuz" "$initrd" "$mode" "$tests"
# make demo: the vGPU's screen (QEMU's screendump in the VM) came back
# base64-encoded on the second serial port
if [ "$mode" = demo ] && grep -q '^### FILE demo-vgpu.png' "$JMGPU_VM_OUT"; then
	sed -n '/^### FILE demo-vgpu.png/,/^### END-FILE/p' "$JMGPU_VM_OUT" |
		sed '1d;$d' | tr -d '\r' | base64 -d > "$build/demo-vgpu.png"
	log "demo: the vGPU's screen, as QEMU's vfio display showed it: $build/demo-vgpu.png"
fi
