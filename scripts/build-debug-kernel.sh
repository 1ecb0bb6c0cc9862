#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug + modern guest kernel from Debian's linux-source-6.12:
# x86_64_defconfig + scripts/debug-kernel.config (KASAN, lockdep, kmemleak,
# UBSAN, IOMMUFD, VFIO device cdev). Cached outside the repository under
# $JMGPU_CACHE/debug-kernel/<source version>-<hash of the fragment and this
# script>, with the same layout as scripts/fetch-kernel.sh's cache (vmlinuz,
# root/lib/modules/<release>) plus the build tree that serves as KDIR.
# Prints "<release> <cache-dir> <KDIR>" on stdout, like fetch-kernel.sh.
# About 15 min on 2 idle cores; nothing when cached.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkg=linux-source-6.12
sver=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2 }')
[ -n "$sver" ] && [ "$sver" != "(none)" ] ||
	die "no candidate for $pkg (bookworm-backports missing? run scripts/install-deps.sh)"
key=$(hash_inputs scripts/debug-kernel.config scripts/build-debug-kernel.sh)
root=$JMGPU_CACHE/debug-kernel
dir=$root/$sver-$key
mkdir -p "$root"
exec 9> "$root/.lock"
flock 9
if [ -f "$dir/done" ]; then
	touch "$dir"
	echo "$(cat "$dir/release") $dir $dir/build"
	exit 0
fi

log "debug kernel: $pkg $sver + scripts/debug-kernel.config"
rm -rf "$dir"
mkdir -p "$dir/dl"
chmod 755 "$dir/dl"	# apt-get download runs as _apt
(cd "$dir/dl" && apt-get download -q "$pkg=$sver" >&2) ||
	die "apt-get download $pkg=$sver failed"
mkdir -p "$dir/build"
dpkg-deb --fsys-tarfile "$dir"/dl/*.deb |
	tar -xO --wildcards './usr/src/linux-source-*.tar.*' |
	tar -xJ -C "$dir/build" --strip-components=1 ||
	die "extracting the kernel source failed"
rm -rf "$dir/dl"

b=$dir/build
j=$(nproc)
log "debug kernel: configuring"
make -s -C "$b" x86_64_defconfig >&2
(cd "$b" && scripts/kconfig/merge_config.sh -m .config \
	"$JMGPU_TOP/scripts/debug-kernel.config" >&2)
make -s -C "$b" olddefconfig >&2
# every fragment line must have survived olddefconfig (a missing
# dependency silently drops an option)
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=[ym]$' "$JMGPU_TOP/scripts/debug-kernel.config" |
	while read -r l; do grep -qx "$l" "$b/.config" || echo "$l"; done)
[ -z "$missing" ] || die "debug kernel: options dropped by olddefconfig: $missing"
log "debug kernel: building bzImage and modules with -j$j (about 15 min)"
nice -n 10 make -s -C "$b" -j"$j" bzImage modules > "$dir/build.log" 2>&1 || {
	grep -m5 -B2 -A8 'error' "$dir/build.log" >&2 || tail -n 40 "$dir/build.log" >&2
	die "debug kernel build failed (log: $dir/build.log)"
}
rel=$(make -s -C "$b" kernelrelease)
make -s -C "$b" INSTALL_MOD_PATH="$dir/root" modules_install >&2
depmod -b "$dir/root" "$rel"
cp "$b/arch/x86/boot/bzImage" "$dir/vmlinuz"
echo "$rel" > "$dir/release"
touch "$dir/done"
# keep two builds: a changed fragment must not fill the disk
ls -1dt "$root"/*/ 2>/dev/null | tail -n +3 | while read -r old; do
	[ -n "$(find "$old" -maxdepth 0 -mmin -120)" ] || rm -rf "$old"
done
echo "$rel $dir $b"
