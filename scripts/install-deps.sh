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
pkgs=(build-essential ninja-build python3-venv libglib2.0-dev libpixman-1-dev
      flex bison pkg-config libfdt-dev zlib1g-dev ccache dpkg-dev xz-utils
      cpio seabios qemu-system-data busybox-static pciutils mdevctl fio kmod
      sparse python3-sphinx file libpci-dev libjson-c-dev uuid-dev
      python3-prometheus-client dkms
      libelf-dev bc libssl-dev)
want="$(printf '%s\n' "${pkgs[@]}" | sha256sum | cut -c1-16)-v1"
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
touch "$stamp_dir/deps.$want"
echo "deps: installed"
