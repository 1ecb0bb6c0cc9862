#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot the test VM once with jmgpu_bench=1 and run
# selftests/vm/90-mdev-bench.sh: the data path (jmgpu_vfio_pci against
# plain vfio-pci on one VF) and fairness at 32 vGPUs (per scheduling
# policy: equal weights, mixed weights, half the VFs idle, one light
# tenant's latency), neighbours, runtime control (how long until the
# shares follow a change of weight, policy or time slice) and the control
# plane's scaling, each over interleaved rounds. The VM prints raw CSV
# only; the statistics are done here (scripts/bench-stats.awk): one
# "bench:" line per figure with its median and interquartile range.
# Output in build/bench/: tap.log (the VM's TAP), raw.csv, datapath.csv,
# fair.csv, lat.csv, ctl.csv, figures.csv, summary.txt and the plots
# (*.png, with gnuplot). See Documentation/performance.rst.
# Knobs (environment): BENCH_ROUNDS (10), BENCH_WINDOW_MS (1500),
# BENCH_PARTS (datapath,fair,mixed,neigh,ctl,scale), BENCH_SCALE_ROUNDS (10),
# BENCH_CTL_ROUNDS (3), BENCH_LAT_SLICES (1000,250: the
# time slices of the latency runs, us), BENCH_NEIGH (-,r,f,d: the
# neighbour kinds, - none, r reset, f fault, d flood, s sleeper).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$JMGPU_TOP/build/bench
mkdir -p "$dir"
rm -f "$dir"/*.csv "$dir"/*.dat "$dir"/*.png "$dir"/lat_runs.txt "$dir"/ctl_runs.txt "$dir"/summary.txt
out=$dir/tap.log
opts="jmgpu_bench=1 jmgpu_bench_rounds=${BENCH_ROUNDS:-10}"
opts="$opts jmgpu_bench_window_ms=${BENCH_WINDOW_MS:-1500}"
opts="$opts jmgpu_bench_parts=${BENCH_PARTS:-datapath,fair,mixed,neigh,ctl,scale}"
opts="$opts jmgpu_bench_scale_rounds=${BENCH_SCALE_ROUNDS:-10}"
opts="$opts jmgpu_bench_ctl_rounds=${BENCH_CTL_ROUNDS:-3}"
opts="$opts jmgpu_bench_lat_slices=${BENCH_LAT_SLICES:-1000,250}"
opts="$opts jmgpu_bench_neigh=${BENCH_NEIGH:--,r,f,d}"
# Deadlines: the default run took 14.5 minutes on the idle 2-core host
# and takes about twice that under a concurrent kernel build
# (performance.rst); the deadlines let such a run finish, and the
# benchmark's own watchdog leaves the boot and the build their share
t0=$(date +%s)
rc=0
JMGPU_VM_OUT=$out JMGPU_VM_TIMEOUT=${JMGPU_VM_TIMEOUT:-2700} \
	JMGPU_CMDLINE="$opts jmgpu_test_timeout=${BENCH_TIMEOUT:-2600} ${JMGPU_CMDLINE:-}" \
	"$JMGPU_TOP/scripts/vm.sh" test 90-mdev-bench || rc=$?
log "bench: VM run took $(($(date +%s) - t0)) s"
if grep -E '^(not ok|# )' "$out" | grep -v '^# csv ' | grep -q .; then
	grep -E '^(not ok|# )' "$out" | grep -v '^# csv ' | sed 's/^/  vm| /' >&2
fi
# a failed check (a tenant that died or starved): the figures are
# printed but make bench fails
grep -q '^not ok' "$out" && rc=1
sed -n 's/^# csv //p' "$out" > "$dir/raw.csv"
[ -s "$dir/raw.csv" ] || die "benchmark produced no data (log: $out)"

{ echo "round,driver,jobs_per_s,lat_us_avg,lat_us_p50,lat_us_p99,trapped,submissions"
  sed -n 's/^datapath,//p' "$dir/raw.csv"; } > "$dir/datapath.csv"
{ echo "scenario,round,policy,slice_us,vf,weight,mode,jobs,bytes,window_us,starved,min_inflight,wakeups"
  sed -n 's/^fair,//p' "$dir/raw.csv"; } > "$dir/fair.csv"
{ echo "scenario,round,policy,slice_us,vf,samples_us..."
  sed -n 's/^lat,//p' "$dir/raw.csv"; } > "$dir/lat.csv"
{ echo "scenario,round,vf,change_us,bin_us,jobs_per_bin..."
  sed -n 's/^ctl,//p' "$dir/raw.csv"; } > "$dir/ctl.csv"

awk -v out="$dir" -f "$JMGPU_TOP/scripts/bench-stats.awk" "$dir/raw.csv" > "$dir/summary.txt"
{ echo "bench: $(date -u +%Y-%m-%dT%H:%MZ), host $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "bench: rounds ${BENCH_ROUNDS:-10}, window ${BENCH_WINDOW_MS:-1500} ms, parts ${BENCH_PARTS:-datapath,fair,mixed,neigh,ctl,scale}"
  cat "$dir/summary.txt"; } > "$dir/summary.tmp"
mv "$dir/summary.tmp" "$dir/summary.txt"
cat "$dir/summary.txt"

if command -v gnuplot > /dev/null; then
	"$JMGPU_TOP/scripts/bench-plot.sh" "$dir" || rc=1
	log "bench: plots in $dir: $(cd "$dir" && ls ./*.png 2>/dev/null | tr '\n' ' ')"
else
	log "bench: gnuplot missing (make deps installs gnuplot-nox): no plots"
	rc=1
fi
exit $rc
