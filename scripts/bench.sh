#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot the test VM with jmgpu_bench=1 and run
# selftests/vm/90-mdev-bench.sh (jmgpu_bench.c): on one VF, in one run,
# the vGPU data path through jmgpu_vfio_pci against plain vfio-pci
# (throughput, doorbell-to-interrupt latency, their ratios) and the trapped
# accesses per 1,000 submissions. Prints the "bench:" lines.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$JMGPU_TOP/build/bench-tap.log
JMGPU_VM_OUT=$out JMGPU_CMDLINE="jmgpu_bench=1 ${JMGPU_CMDLINE:-}" \
	"$JMGPU_TOP/scripts/vm.sh" test 90-mdev-bench
if ! grep -q '^# bench: ' "$out"; then
	grep -E '^(not ok|# )' "$out" >&2 || true
	die "benchmark produced no result (log: $out)"
fi
sed -n 's/^# bench: //p' "$out"
