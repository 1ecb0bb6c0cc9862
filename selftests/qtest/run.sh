#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build and run the jmgpu device-model qtests against a QEMU binary.
# usage: run.sh <path-to-qemu-system-x86_64> [group...]
# Prints TAP (one stream per group, plan first); exits non-zero when a
# check fails, a group stops short of its plan, QEMU does not exit cleanly
# or the run times out. A full run (no group named) first checks the
# harness itself against QEMUs that crash, exit non-zero or hang.
set -euo pipefail
qemu=${1:?usage: run.sh <path-to-qemu-system-x86_64> [group...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$qemu" ] || { echo "run.sh: $qemu is not executable" >&2; exit 2; }
make -s -C "$here" >&2
rc=0
if [ $# -eq 0 ]; then
	"$here/harness-test.sh" "$here/jmgpu-qtest" "$qemu" || rc=1
fi
# each group has its own 120 s alarm inside; this bounds the whole run
timeout --kill-after=10 900 "$here/jmgpu-qtest" "$qemu" "$@" || rc=1
exit $rc
