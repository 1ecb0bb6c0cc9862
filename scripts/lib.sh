# SPDX-License-Identifier: GPL-2.0
# Shared settings for the jmgpu scripts: cache location and pinned inputs.
# shellcheck shell=bash

JMGPU_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JMGPU_CACHE=${JMGPU_CACHE:-/var/cache/jmgpu}
# Debian QEMU source package the device model is added to (trixie, 10.0).
QEMU_DEB_VERSION=${QEMU_DEB_VERSION:-1:10.0.13+ds-0+deb13u1}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Hash of the files that go into a build product, for cache keys.
hash_inputs() {
	(cd "$JMGPU_TOP" && find "$@" -type f -print0 | sort -z |
		xargs -0 sha256sum) | sha256sum | cut -c1-16
}

# Newest Debian 6.12 kernel flavour amd64 in bookworm-backports.
guest_kernel_version() {
	if [ -n "${JMGPU_KVER:-}" ]; then
		echo "$JMGPU_KVER"
		return
	fi
	apt-cache search --names-only \
		'^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' |
		awk '{print $1}' | sed -e 's/^linux-image-//' -e 's/-unsigned$//' |
		sort -V | tail -n1
}
