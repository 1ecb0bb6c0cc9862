#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build qemu-system-x86_64 from Debian's QEMU source with the jmgpu device
# model (emulator/) added. The result is cached outside the repository,
# keyed by the Debian QEMU version and a hash of emulator/, firmware-iface/
# and this script. Prints the path of the binary on stdout.
# Display: pixman (QEMU's console; without it there is no screendump and
# vfio-pci display=on has nothing to draw into) and PNG (screendump
# format "png"). No VNC: Debian has no headless VNC client that saves a
# frame, so the tests and make demo take QEMU's own screendump.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

key=$(hash_inputs emulator firmware-iface scripts/build-qemu.sh)
root=$JMGPU_CACHE/qemu
# one builder per cache: concurrent runs (worktrees, mutants) wait here
mkdir -p "$root/dl"
exec 9> "$root/.lock"
flock 9

mapfile -t versions < <(qemu_source_versions)
[ ${#versions[@]} -gt 0 ] ||
	die "no QEMU $QEMU_SERIES source in apt's deb-src lists (run scripts/install-deps.sh)"
# The newest version whose source is (or can be) downloaded; a build of it
# with these inputs may be cached already.
ver=
for v in "${versions[@]}"; do
	u=${v#*:}
	if [ -x "$root/$u-$key/build/qemu-system-x86_64" ] && [ -f "$root/$u-$key/done" ]; then
		touch "$root/$u-$key"	# in use: kept by the stale-build cleanup
		log "qemu: Debian source $v, cached build $root/$u-$key"
		echo "$root/$u-$key/build/qemu-system-x86_64"
		exit 0
	fi
	if [ -f "$root/dl/qemu_$u.dsc" ]; then
		ver=$u
		break
	fi
	log "qemu: downloading Debian source $v"
	if (cd "$root/dl" && apt-get source --download-only -q "qemu=$v" >&2); then
		ver=$u
		break
	fi
	log "qemu: source $v is listed but cannot be downloaded; trying an older one"
done
[ -n "$ver" ] || die "cannot download any QEMU $QEMU_SERIES source (tried: ${versions[*]})"
log "qemu: Debian source $ver"
dir=$root/$ver-$key
bin=$dir/build/qemu-system-x86_64
export CCACHE_DIR=$JMGPU_CACHE/ccache CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=5G

# JMGPU_QEMU_SCRATCH=<name>: one configured tree reused whatever the inputs
# (scripts/mutants.sh): the overlay is re-applied, ninja rebuilds only the
# changed device files. Never a cached product: the inputs are not its key.
if [ -n "${JMGPU_QEMU_SCRATCH:-}" ]; then
	dir=$root/scratch-$JMGPU_QEMU_SCRATCH-$ver
	bin=$dir/build/qemu-system-x86_64
	if [ -f "$dir/configured" ]; then
		"$JMGPU_TOP/emulator/apply-overlay.sh" "$dir/src"
		export CCACHE_BASEDIR=$dir
		(cd "$dir/build" && ninja qemu-system-x86_64 >"$dir/build.log" 2>&1) || {
			grep -B2 -A12 -m3 'error' "$dir/build.log" >&2 || tail -n 40 "$dir/build.log" >&2
			die "QEMU build failed (log: $dir/build.log)"
		}
		touch "$dir"
		echo "$bin"
		exit 0
	fi
fi

rm -rf "$dir"
mkdir -p "$dir"
log "qemu: extracting source into $dir"
dpkg-source --no-check -x "$root/dl/qemu_$ver.dsc" "$dir/src" >/dev/null 2>&1 ||
	die "dpkg-source failed to extract QEMU $ver"

"$JMGPU_TOP/emulator/apply-overlay.sh" "$dir/src"

export CCACHE_BASEDIR=$dir
mkdir -p "$dir/build"
log "qemu: configuring"
(cd "$dir/build" && ../src/configure --python=/usr/bin/python3 \
	--target-list=x86_64-softmmu --without-default-features \
	--without-default-devices \
	--with-devices-x86_64=jmgpu-vm \
	--enable-tcg --disable-download --disable-install-blobs \
	--disable-docs --disable-werror --disable-slirp \
	--disable-fdt \
	--enable-pixman --enable-png --disable-vnc \
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
if [ -n "${JMGPU_QEMU_SCRATCH:-}" ]; then
	touch "$dir/configured"
	echo "$bin"
	exit 0
fi
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
