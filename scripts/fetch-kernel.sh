#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the guest kernel: Debian's 6.12 image from bookworm-backports
# (extracted and cached outside the repo, keyed by its version) and the
# matching headers package (installed with apt, for out-of-tree modules).
# Prints "<version> <cache-dir> <KDIR>" on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kver=$(guest_kernel_version)
[ -n "$kver" ] || die "no linux-image-6.12.*+deb12-amd64-unsigned in apt (bookworm-backports missing? run scripts/install-deps.sh)"
dir=$JMGPU_CACHE/kernel/$kver
kdir=/usr/src/linux-headers-$kver
mkdir -p "$JMGPU_CACHE/kernel"
exec 9> "$JMGPU_CACHE/kernel/.lock"
flock 9

if [ ! -d "$kdir" ]; then
	log "kernel: installing linux-headers-$kver"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"linux-headers-$kver" >&2 || die "cannot install linux-headers-$kver"
fi

if [ ! -f "$dir/done" ]; then
	rm -rf "$dir"
	mkdir -p "$dir/dl"
	log "kernel: downloading linux-image-$kver-unsigned"
	(cd "$dir/dl" && apt-get download -q "linux-image-$kver-unsigned" >&2) ||
		die "cannot download linux-image-$kver-unsigned"
	dpkg-deb -x "$dir"/dl/*.deb "$dir/root"
	depmod -b "$dir/root" "$kver"
	cp "$dir/root/boot/vmlinuz-$kver" "$dir/vmlinuz"
	rm -rf "$dir/dl"
	touch "$dir/done"
fi
echo "$kver $dir $kdir"
