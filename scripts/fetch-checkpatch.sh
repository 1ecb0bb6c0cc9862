#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch checkpatch.pl (+ spelling.txt, const_structs.checkpatch) from
# Debian's linux-source-6.12 package. Only the three files are extracted
# from the inner tarball; the result is cached under
# $JMGPU_CACHE/checkpatch/<package version>/ and its path printed on stdout.
#
# Usage: scripts/fetch-checkpatch.sh [package-version]
set -euo pipefail

CACHE=${JMGPU_CACHE:-/var/cache/jmgpu}
PKG=linux-source-6.12

log() { printf '[fetch-checkpatch] %s\n' "$*" >&2; }
die() { printf 'fetch-checkpatch: error: %s\n' "$*" >&2; exit 1; }

ver=${1:-}
if [ -z "$ver" ]; then
	ver=$(apt-cache policy "$PKG" 2>/dev/null |
		awk '/Candidate:/ { print $2 }')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
		die "no candidate for $PKG (run apt-get update?)"
fi
dir=$CACHE/checkpatch/$ver
if [ -x "$dir/scripts/checkpatch.pl" ] && [ -f "$dir/scripts/spelling.txt" ]; then
	echo "$dir/scripts/checkpatch.pl"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/checkpatch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"	# apt-get download runs as _apt
log "downloading $PKG=$ver (~150 MB)"
(cd "$tmp" && apt-get download -q "$PKG=$ver" >&2) ||
	die "apt-get download $PKG=$ver failed"
deb=$(ls "$tmp"/*.deb)
# The .deb holds usr/src/linux-source-6.12.tar.xz; stream it out of the
# data member and pull the three files from the inner tarball.
mkdir -p "$tmp/out"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO --wildcards './usr/src/linux-source-*.tar.*' |
	tar -xJ -C "$tmp/out" --wildcards --strip-components=1 \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' ||
	die "extracting checkpatch from $deb failed"
[ -f "$tmp/out/scripts/checkpatch.pl" ] || die "checkpatch.pl not in $deb"
mkdir -p "$dir.tmp.$$/scripts"
cp "$tmp"/out/scripts/{checkpatch.pl,spelling.txt,const_structs.checkpatch} \
	"$dir.tmp.$$/scripts/"
chmod +x "$dir.tmp.$$/scripts/checkpatch.pl"
rm -rf "$dir"
mv "$dir.tmp.$$" "$dir"
log "cached in $dir"
echo "$dir/scripts/checkpatch.pl"
