#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the jmgpu test VM.
#   vm-boot.sh <qemu> <vmlinuz> <initrd> <mode> [tests] 
# mode: test | demo | shell. In test/demo mode the guest's second serial
# port (ttyS1) is written to $JMGPU_VM_OUT (default ./vm-tap.log), the
# console to $JMGPU_VM_OUT.console, and a hard timeout ($JMGPU_VM_TIMEOUT
# seconds, default 900) ends a hung guest; a run that did not reach its
# end prints the guest's last console lines and fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

qemu=$1 kernel=$2 initrd=$3 mode=$4 tests=${5:-*}
out=${JMGPU_VM_OUT:-$PWD/vm-tap.log}
tmo=${JMGPU_VM_TIMEOUT:-900}

# The GPU sits behind a PCIe root port (ACS, ARI forwarding). 32 VF BAR2
# apertures of 256 MiB plus the PF's VRAM need a large 64-bit window.
args=(-machine q35 -accel tcg,thread=single -cpu max -m 3G -smp "${JMGPU_VM_SMP:-2}" -no-reboot -nodefaults
	-device intel-iommu
	-device pcie-root-port,id=rp0,chassis=1,slot=1,pref64-reserve=32G
	-device "jmgpu,bus=rp0${JMGPU_DEV_OPTS:+,$JMGPU_DEV_OPTS}"
	-kernel "$kernel" -initrd "$initrd"
	-L /usr/share/seabios -L /usr/share/qemu)
cmdline="console=ttyS0 panic=-1 oops=panic quiet log_buf_len=8M no_timer_check jmgpu_mode=$mode jmgpu_tests=$tests ${JMGPU_CMDLINE:-}"

if [ "$mode" = shell ]; then
	exec "$qemu" "${args[@]}" -nographic -serial mon:stdio -append "$cmdline"
fi

: > "$out"
console=$out.console
rc=0
timeout --foreground -k 10 "$tmo" "$qemu" "${args[@]}" -display none \
	-monitor none -serial "file:$console" -chardev "file,id=tap,path=$out" -device isa-serial,chardev=tap \
	-append "$cmdline" </dev/null >"$console.qemu" 2>&1 || rc=$?
cat "$console.qemu" >> "$console"
if [ "$mode" = demo ]; then
	cat "$console"
fi
if ! grep -q '^### ALL-DONE' "$out"; then
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		echo "vm-boot: the VM did not finish within ${tmo}s (hang); last console lines:" >&2
	else
		echo "vm-boot: the VM stopped before its end (qemu exit $rc, panic or crash); last console lines:" >&2
	fi
	tail -n 40 "$console" | sed 's/^/    | /' >&2
	exit 1
fi
exit 0
