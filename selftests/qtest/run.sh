#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build and run the jmgpu device-model qtests against a QEMU binary.
# usage: run.sh <path-to-qemu-system-x86_64> [group...]
# Prints TAP; exits non-zero when a check fails or the run times out.
set -euo pipefail
qemu=${1:?usage: run.sh <path-to-qemu-system-x86_64> [group...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$qemu" ] || { echo "run.sh: $qemu is not executable" >&2; exit 2; }
make -s -C "$here" >&2
# each group has its own 120 s alarm inside; this bounds the whole run
exec timeout --kill-after=10 900 "$here/jmgpu-qtest" "$qemu" "$@"
