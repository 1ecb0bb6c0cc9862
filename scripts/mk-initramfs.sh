#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test VM's initramfs from Debian's own binaries plus the
# project's files.
#   mk-initramfs.sh <kver> <kernel-cache-dir> <stage-dir> <out.cpio>
# <stage-dir> holds the project part (bin/, tests/, modules/, extra/):
# it is copied to /jmgpu in the guest. The Debian part (busybox, kmod,
# pciutils, mdevctl, fio, libvirt (scripts/stage-libvirt.sh), their
# libraries, the stock vfio/mdev modules) is cached as base-<key>.cpio.gz,
# keyed by the kernel and package versions and the staging scripts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kver=$1 kcache=$2 stage=$3 out=$4
tools=(/usr/bin/lspci /usr/bin/setpci /usr/bin/mdevctl /usr/bin/fio /usr/bin/kmod)
pkgver=$(dpkg-query -W -f '${Version} ' busybox-static pciutils mdevctl fio kmod libc6 \
	libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libvirt0)
key=$( (echo "$kver $pkgver"; cat "$0" "$JMGPU_TOP/scripts/stage-libvirt.sh") |
	sha256sum | cut -c1-16)
base=$JMGPU_CACHE/initramfs/base-$key.cpio.gz

# Copy a binary and the shared libraries it needs into root $1.
copy_with_libs() {
	local root=$1 f
	shift
	for f in "$@"; do
		install -D -m 0755 "$f" "$root$f"
		ldd "$f" 2>/dev/null | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' |
		while read -r lib; do
			if [ -n "$lib" ] && [ ! -e "$root$lib" ]; then
				install -D -m 0755 "$lib" "$root$lib"
			fi
		done
	done
	return 0
}

# One build of the base at a time, across every checkout and worktree that
# shares $JMGPU_CACHE (two builds writing one file once left a corrupt
# archive that every later boot unpacked: "Initramfs unpacking failed")
mkdir -p "$(dirname "$base")"
exec 7> "$(dirname "$base")/.lock"
flock 7
if [ ! -f "$base" ]; then
	log "initramfs: building base for $kver"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp" "${part:-}"' EXIT
	r=$tmp/root
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc/mdevctl.d/scripts.d/callouts,etc/mdevctl.d/scripts.d/notifiers,mnt,lib/modules}
	install -m 0755 /bin/busybox "$r/bin/busybox"
	copy_with_libs "$r" "${tools[@]}"
	for t in modprobe rmmod insmod lsmod depmod modinfo; do
		ln -s /usr/bin/kmod "$r/sbin/$t"
	done
	install -D -m 0644 /usr/share/misc/pci.ids "$r/usr/share/misc/pci.ids"
	"$JMGPU_TOP/scripts/stage-libvirt.sh" "$r"
	# stock modules: vfio, mdev, irqbypass and what they depend on
	m=$kcache/root/lib/modules/$kver
	mkdir -p "$r/lib/modules/$kver"
	(cd "$m" && cp --parents -r kernel/drivers/vfio kernel/virt/lib \
		"$r/lib/modules/$kver/")
	# pci-pf-stub when the kernel has it as a module: a PF driver that
	# leaves its VFs enabled on unbind (selftests/vm/39-pf-knobs.sh)
	for f in "$m"/kernel/drivers/pci/pci-pf-stub.ko*; do
		[ -e "$f" ] && (cd "$m" && cp --parents "${f#"$m"/}" "$r/lib/modules/$kver/")
	done
	cp "$m"/modules.order "$m"/modules.builtin "$m"/modules.builtin.modinfo \
		"$r/lib/modules/$kver/"
	# busybox-free kmod loads plain .ko without noise; decompress once here
	find "$r/lib/modules/$kver" -name '*.ko.xz' -exec xz -d {} +
	depmod -b "$r" "$kver"
	# libvirt's QEMU driver resolves its built-in user and group
	# (libvirt-qemu) before it reads qemu.conf, which says root
	printf '%s\n' "root:x:0:0:root:/root:/bin/sh" \
		"libvirt-qemu:x:64055:64055::/var/lib/libvirt:/bin/false" > "$r/etc/passwd"
	printf '%s\n' "root:x:0:" "libvirt-qemu:x:64055:" "kvm:x:64056:" > "$r/etc/group"
	part=$(mktemp "$base.XXXXXX")
	(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) > "$part"
	gzip -t "$part" || die "initramfs: the base archive does not verify"
	chmod 0644 "$part"
	mv "$part" "$base"
fi
flock -u 7

# Project part: /init and /jmgpu, appended as a second cpio archive.
tmp2=$(mktemp -d)
trap 'rm -rf "$tmp2"' EXIT
mkdir -p "$tmp2/jmgpu"
install -m 0755 "$JMGPU_TOP/scripts/guest-init.sh" "$tmp2/init"
install -m 0644 "$JMGPU_TOP/scripts/vm-run-tests.sh" "$tmp2/jmgpu/vm-run-tests.sh"
cp -a "$stage/." "$tmp2/jmgpu/"
if [ -d "$stage/rootfs" ]; then
	cp -a "$stage/rootfs/." "$tmp2/"
	rm -rf "$tmp2/jmgpu/rootfs"
fi
{ cat "$base"; (cd "$tmp2" && find . | cpio -o -H newc --quiet | gzip -1); } > "$out"
