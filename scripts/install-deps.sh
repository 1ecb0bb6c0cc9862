#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install everything jmgpu needs on a fresh Debian 12 machine (run as root).
# Adds bookworm-backports (deb + deb-src) and trixie deb-src, taking the mirror
# address from the machine's existing apt configuration.
set -euo pipefail

stamp_dir=${JMGPU_CACHE:-/var/cache/jmgpu}
mkdir -p "$stamp_dir"
# libelf-dev, bc, libssl-dev: the debug guest kernel (build-debug-kernel.sh)
# dkms: selftests/unit/test_packaging.sh (dkms build of the installed tree);
# without recommends it pulls in no kernel image or headers metapackage
# uuid-dev: sriov_cfg parses and makes UUIDs with libuuid
# libvirt-daemon, libvirt-daemon-driver-qemu, libvirt-clients: libvirtd and
# virsh staged into the test VM (scripts/stage-libvirt.sh); no daemon is
# started on the machine (without recommends there is no
# libvirt-daemon-system, which has the services and config)
# clang, libclang-rt-14-dev: the libFuzzer harnesses of selftests/fuzz
# (the runtime package has the fuzzer and sanitizer libraries; it is only
# a recommendation of clang, and recommends are not installed)
# libpng-dev: QEMU's screendump to PNG (scripts/build-qemu.sh --enable-png)
# gnuplot-nox: the plots of make bench (scripts/bench.sh, build/bench/*.png)
pkgs=(build-essential ninja-build python3-venv libglib2.0-dev libpixman-1-dev
      libpng-dev
      flex bison pkg-config libfdt-dev zlib1g-dev ccache dpkg-dev xz-utils
      cpio seabios qemu-system-data busybox-static pciutils mdevctl fio kmod
      sparse python3-sphinx file libpci-dev libjson-c-dev uuid-dev libsmartcols-dev
      python3-prometheus-client dkms
      libelf-dev bc libssl-dev
      clang libclang-rt-14-dev
      libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients gnuplot-nox)
want="$(printf '%s\n' "${pkgs[@]}" | sha256sum | cut -c1-16)-v2"
if [ -f "$stamp_dir/deps.$want" ]; then
	echo "deps: already installed ($want)"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: must run as root (apt-get)" >&2
	exit 1
fi

# Find the Debian mirror the machine already uses.
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	m=$(awk '/^URIs:/ {print $2}' "$f" | grep -v -- '-security' | head -n1 || true)
	[ -n "$m" ] && { mirror=$m; break; }
done
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
	mirror=$(awk '$1=="deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
fi
if [ -z "$mirror" ]; then
	echo "install-deps: cannot find a Debian mirror in /etc/apt" >&2
	exit 1
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat > /etc/apt/sources.list.d/jmgpu.sources <<SRC
Types: deb deb-src
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: $keyring

Types: deb-src
URIs: $mirror
Suites: trixie
Components: main
Signed-By: $keyring
SRC

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${pkgs[@]}"
apt-get install -y -q --no-install-recommends -t bookworm-backports meson
# promtool (`promtool check metrics` in selftests/unit/test_metrics.c): Debian
# ships it only in the prometheus server package (12 packages, 96 MB, and a
# server started at install). Take the one binary out of the .deb instead:
# a 19 MB download, promtool itself 48 MB, needs only libc.
if [ ! -x "$stamp_dir/promtool/promtool" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q prometheus) 2>&1 | grep -v unsandboxed || true
	mkdir -p "$stamp_dir/promtool"
	dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb |
		tar -x -O ./usr/bin/promtool > "$stamp_dir/promtool/promtool.new"
	chmod 0755 "$stamp_dir/promtool/promtool.new"
	mv "$stamp_dir/promtool/promtool.new" "$stamp_dir/promtool/promtool"
	rm -rf "$tmp"
fi
touch "$stamp_dir/deps.$want"
echo "deps: installed"
