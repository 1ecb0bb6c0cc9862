#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel-style checks of the project's kernel code, as TAP:
# checkpatch.pl --strict on every source file, and sparse (make C=1) on
# each module directory. Fails on any warning.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

dirs=()
for d in pf_driver vf_mdev; do
	[ -f "$JMGPU_TOP/$d/Makefile" ] && dirs+=("$d")
done
if [ ${#dirs[@]} = 0 ]; then
	echo "1..1"
	echo "ok 1 - kernel lint # SKIP no kernel module directories yet"
	exit 0
fi
cp=$("$JMGPU_TOP/scripts/fetch-checkpatch.sh") || { echo "1..1"; echo "not ok 1 - cannot fetch checkpatch.pl"; exit 1; }
read -r _ _ kdir < <("$JMGPU_TOP/scripts/fetch-kernel.sh")
[ -n "${kdir:-}" ] || { echo "1..1"; echo "not ok 1 - no guest kernel headers (scripts/fetch-kernel.sh failed)"; exit 1; }
echo "1..$(( ${#dirs[@]} * 2 ))"
n=0 fail=0
for d in "${dirs[@]}"; do
	n=$((n + 1))
	files=$(cd "$JMGPU_TOP" && ls "$d"/*.[ch] | grep -v '\.mod\.c$')
	if out=$(cd "$JMGPU_TOP" && perl "$cp" --strict --no-tree --terse --show-types \
		-f $files 2>&1) &&
	   ! grep -q -E 'WARNING|ERROR|CHECK' <<<"$out"; then
		echo "ok $n - checkpatch --strict $d"
	else
		echo "not ok $n - checkpatch --strict $d"
		sed 's/^/# /' <<<"$out" | head -n 40
		fail=1
	fi
	n=$((n + 1))
	make -s -C "$JMGPU_TOP/$d" KDIR="$kdir" clean >/dev/null 2>&1
	out=$(make -s -C "$JMGPU_TOP/$d" KDIR="$kdir" C=1 CHECK="sparse -Wbitwise" modules 2>&1)
	if [ $? = 0 ] && ! grep -q -E 'warning|error' <<<"$out"; then
		echo "ok $n - sparse $d"
	else
		echo "not ok $n - sparse $d"
		sed 's/^/# /' <<<"$out" | head -n 40
		fail=1
	fi
done
exit $fail
