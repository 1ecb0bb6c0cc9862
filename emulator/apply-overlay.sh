#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Add the jmgpu device model to a QEMU source tree: copy the device files and
# the firmware interface header into hw/misc/jmgpu/, hook them into
# hw/misc/Kconfig and hw/misc/meson.build, and install the device-set file
# configs/devices/x86_64-softmmu/jmgpu-vm.mak used by scripts/build-qemu.sh.
set -euo pipefail
src=${1:?usage: apply-overlay.sh <qemu-source-dir>}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

[ -f "$src/hw/misc/meson.build" ] || { echo "apply-overlay: $src is not a QEMU tree" >&2; exit 1; }
# copy a file only when it differs: an incremental build (scripts/mutants.sh
# reuses one configured tree) then recompiles just what changed
put() { cmp -s "$1" "$2" || cp "$1" "$2"; }
mkdir -p "$src/hw/misc/jmgpu"
for f in "$here"/*.c "$here"/*.h "$top"/firmware-iface/*.h; do
	put "$f" "$src/hw/misc/jmgpu/${f##*/}"
done

files=$(cd "$here" && ls *.c | sed "s/.*/'&'/" | paste -sd, -)
echo "system_ss.add(when: 'CONFIG_JMGPU', if_true: files($files))" > "$src/hw/misc/jmgpu/meson.build.new"
put "$src/hw/misc/jmgpu/meson.build.new" "$src/hw/misc/jmgpu/meson.build"
rm -f "$src/hw/misc/jmgpu/meson.build.new"
grep -q "subdir('jmgpu')" "$src/hw/misc/meson.build" ||
	echo "subdir('jmgpu')" >> "$src/hw/misc/meson.build"
grep -q '^config JMGPU$' "$src/hw/misc/Kconfig" || cat >> "$src/hw/misc/Kconfig" <<'KC'

config JMGPU
    bool
    depends on PCI_EXPRESS && MSI_NONBROKEN
KC
put "$here/jmgpu-vm.mak" "$src/configs/devices/x86_64-softmmu/jmgpu-vm.mak"
