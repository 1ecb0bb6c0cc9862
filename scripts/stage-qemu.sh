#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copy qemu-system-x86_64 (stripped), its shared libraries and the firmware
# files a q35 guest with -kernel needs into a root directory, for the
# nested QEMU inside the test VM.
#   stage-qemu.sh <qemu-binary> <root>
set -euo pipefail
qemu=$1 root=$2
mkdir -p "$root/usr/bin" "$root/usr/share/qemu" "$root/usr/share/seabios"
strip -o "$root/usr/bin/qemu-system-x86_64" "$qemu"
ldd "$qemu" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | while read -r lib; do
	if [ -n "$lib" ] && [ ! -e "$root$lib" ]; then
		install -D -m 0755 "$lib" "$root$lib"
	fi
done
for f in bios-256k.bin bios.bin vgabios-stdvga.bin; do
	[ -e "/usr/share/seabios/$f" ] && cp -L "/usr/share/seabios/$f" "$root/usr/share/seabios/"
done
for f in kvmvapic.bin linuxboot_dma.bin linuxboot.bin multiboot_dma.bin multiboot.bin; do
	[ -e "/usr/share/qemu/$f" ] && cp -L "/usr/share/qemu/$f" "$root/usr/share/qemu/"
done
exit 0
