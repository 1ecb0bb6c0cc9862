#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build qemu-system-x86_64 from Debian's QEMU source with the jmgpu device
# model (emulator/) added. The result is cached outside the repository,
# keyed by the Debian QEMU version and a hash of emulator/, firmware-iface/
# and this script. Prints the path of the binary on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

key=$(hash_inputs emulator firmware-iface scripts/build-qemu.sh)
ver=${QEMU_DEB_VERSION#*:}
root=$JMGPU_CACHE/qemu
dir=$root/$ver-$key
bin=$dir/build/qemu-system-x86_64
# one builder per cache: concurrent runs (worktrees, mutants) wait here
mkdir -p "$root"
exec 9> "$root/.lock"
flock 9
if [ -x "$bin" ] && [ -f "$dir/done" ]; then
	touch "$dir"	# mark as in use for the stale-build cleanup
	echo "$bin"
	exit 0
fi

mkdir -p "$root/dl"
if ! ls "$root/dl/"qemu_"$ver".dsc >/dev/null 2>&1; then
	log "qemu: downloading Debian source $QEMU_DEB_VERSION"
	(cd "$root/dl" && apt-get source --download-only -q "qemu=$QEMU_DEB_VERSION" >&2) ||
		die "cannot download QEMU source $QEMU_DEB_VERSION (is deb-src for trixie configured? run scripts/install-deps.sh)"
fi

rm -rf "$dir"
mkdir -p "$dir"
log "qemu: extracting source into $dir"
dpkg-source --no-check -x "$root/dl/qemu_$ver.dsc" "$dir/src" >/dev/null 2>&1 ||
	die "dpkg-source failed to extract QEMU $ver"

"$JMGPU_TOP/emulator/apply-overlay.sh" "$dir/src"

export CCACHE_DIR=$JMGPU_CACHE/ccache CCACHE_BASEDIR=$dir CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE=5G
mkdir -p "$dir/build"
log "qemu: configuring"
(cd "$dir/build" && ../src/configure --python=/usr/bin/python3 \
	--target-list=x86_64-softmmu --without-default-features \
	--without-default-devices \
	--with-devices-x86_64=jmgpu-vm \
	--enable-tcg --disable-download --disable-install-blobs \
	--disable-docs --disable-werror --disable-slirp \
	--disable-fdt \
	--cc="ccache gcc" --host-cc="ccache gcc" \
	--firmwarepath=/usr/share/qemu:/usr/share/seabios \
	>"$dir/configure.log" 2>&1) || {
	tail -n 30 "$dir/configure.log" >&2
	die "QEMU configure failed (log: $dir/configure.log)"
}
log "qemu: building qemu-system-x86_64 (about 8 min cold, under 1 min with ccache)"
(cd "$dir/build" && ninja qemu-system-x86_64 >"$dir/build.log" 2>&1) || {
	grep -B2 -A12 -m3 'error' "$dir/build.log" >&2 || tail -n 40 "$dir/build.log" >&2
	die "QEMU build failed (log: $dir/build.log)"
}
touch "$dir/done"
# Drop builds of stale inputs: beyond the four newest, and only those
# unused for two hours (a concurrent run may still be booting one).
ls -1dt "$root"/*-*/ 2>/dev/null | grep -v '/dl/$' | tail -n +5 |
	while read -r old; do
		if [ -z "$(find "$old" -maxdepth 0 -mmin -120)" ]; then
			rm -rf "$old"
		fi
	done
echo "$bin"
