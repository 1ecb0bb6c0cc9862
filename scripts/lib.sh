# SPDX-License-Identifier: GPL-2.0
# Shared settings for the jmgpu scripts: cache location and how inputs are
# resolved. Nothing is pinned to a Debian revision the mirror can drop: the
# newest of a series is resolved from apt, printed, and keys the cache.
# shellcheck shell=bash

JMGPU_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JMGPU_CACHE=${JMGPU_CACHE:-/var/cache/jmgpu}
# The QEMU series the device model is written against (its API: see
# PLATFORM-NOTES and emulator/apply-overlay.sh); QEMU_DEB_VERSION forces one
# Debian source version.
QEMU_SERIES=10.0

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

# Debian source versions of QEMU $QEMU_SERIES.x in apt's deb-src lists, newest
# first (a caller tries them in turn: a listed .dsc may be gone from the
# mirror), or just $QEMU_DEB_VERSION when set.
qemu_source_versions() {
	if [ -n "${QEMU_DEB_VERSION:-}" ]; then
		echo "$QEMU_DEB_VERSION"
		return
	fi
	apt-cache showsrc qemu 2>/dev/null |
		awk -v s="$QEMU_SERIES" '$1 == "Version:" {
			v = $2; u = v; sub(/^[0-9]+:/, "", u)
			if (index(u, s ".") == 1) print v }' |
		sort -u | sort -r -V
}
