#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The plots of make bench, from the data files scripts/bench-stats.awk
# wrote into <dir> (build/bench): one PNG per figure.
#   bench-plot.sh <dir>
set -euo pipefail
dir=$1
cd "$dir"
term='set terminal pngcairo size 900,520 font ",10"'

if [ -s datapath.dat ]; then
	gnuplot <<EOF
$term
set output 'datapath.png'
set title 'Data path, one VF: jobs/s per round (4 KiB copies, ring full)'
set xlabel 'round'; set ylabel 'jobs/s'; set key bottom right
set y2label 'latency p50 (us)'; set y2tics; set ytics nomirror
plot 'datapath.dat' u 1:2 w lp t 'jmgpu\_vfio\_pci jobs/s', \
     '' u 1:3 w lp t 'vfio-pci jobs/s', \
     '' u 1:4 axes x1y2 w p pt 6 t 'jmgpu\_vfio\_pci p50 us', \
     '' u 1:5 axes x1y2 w p pt 4 t 'vfio-pci p50 us'
EOF
fi
if [ -s fair_pervf.dat ]; then
	gnuplot <<EOF
$term
set output 'fair_pervf.png'
set title '32 equal vGPUs (fb64m-w3), all busy: throughput per VF (median over rounds)'
set xlabel 'VF'; set ylabel 'MB/s'; set yrange [0:*]
set style data histogram; set style histogram clustered gap 1
set style fill solid 0.8 border -1; set boxwidth 0.9
set xtics 1 font ",7"
plot 'fair_pervf.dat' u 2:xtic(1) t 'best-effort', '' u 3 t 'equal-share', '' u 4 t 'fixed-share'
EOF
fi
if [ -s mixed_share.dat ]; then
	gnuplot <<EOF
$term
set output 'mixed_share.png'
set title '32 vGPUs of weights 1/3/6/12, all busy: share of the engine per VF'
set xlabel 'VF (weight in brackets)'; set ylabel 'share (%)'; set yrange [0:*]
set xtics rotate by 90 font ",7"; set key top left
plot 'mixed_share.dat' u 1:3:xtic(sprintf("%d (%d)", \$1, \$2)) w l lw 2 t 'expected best-effort / fixed-share', \
     '' u 1:4 w p pt 7 t 'best-effort', \
     '' u 1:8 w p pt 5 t 'fixed-share', \
     '' u 1:5 w l dt 2 t 'expected equal-share', \
     '' u 1:6 w p pt 9 t 'equal-share'
EOF
fi
if [ -s lat_runs.txt ]; then
	plots=
	while read -r pol sl; do
		plots="$plots${plots:+, }'lat_cdf_${pol}_$sl.dat' u 1:2 w l lw 2 t '$pol, slice $sl us'"
	done < lat_runs.txt
	gnuplot <<EOF
$term
set output 'latency_cdf.png'
set title 'Doorbell to interrupt latency of one light tenant, 31 saturated (all rounds)'
set xlabel 'latency (us)'; set ylabel 'fraction of samples'; set logscale x
set key bottom right; set yrange [0:1]
plot $plots
EOF
fi
if [ -s neigh.dat ]; then
	plots=
	col=2
	# the kinds on the first line ("# kinds ..."; older files have none:
	# reset fault flood)
	read -r h1 h2 kinds < neigh.dat
	[ "$h1 $h2" = "# kinds" ] || kinds="reset fault flood"
	for k in $kinds; do
		case $k in
		reset) t='neighbour resets 100 times' ;;
		fault) t='neighbour faults in a loop' ;;
		flood) t='neighbour floods its doorbell' ;;
		sleep) t='neighbour only sleeps (reference)' ;;
		*) t=$k ;;
		esac
		[ -n "$plots" ] && plots="$plots ''" || plots="'neigh.dat'"
		plots="$plots u 1:$col w lp t '$t',"
		col=$((col + 1))
	done
	gnuplot <<EOF2
$term
set output 'neighbours.png'
set title 'The other 31 busy vGPUs against their undisturbed run, per round'
set xlabel 'round'; set ylabel 'throughput / undisturbed'; set yrange [0:1.2]
set key bottom right
plot $plots 0.95 w l dt 2 t 'goal 0.95'
EOF2
fi
if [ -s scale.dat ]; then
	gnuplot <<EOF2
$term
set output 'scale.png'
set title 'Control plane: time to enable N VFs and create N vGPUs (median over rounds)'
set xlabel 'N'; set ylabel 'ms'; set logscale x 2; set key top left
plot 'scale.dat' u 1:2 w lp t 'enable + bind N VFs', \
     '' u 1:3 w lp t 'mdevctl start x N', \
     '' u 1:4 w lp t 'sriov\_cfg apply (N VFs + N vGPUs)'
EOF2
fi
if [ -s ctl_runs.txt ]; then
	plots=
	c=0
	while read -r sc; do
		c=$((c + 1))
		plots="$plots${plots:+, }'ctl_$sc.dat' u 1:2 w lp lw 2 pt 7 ps 0.6 lc $c t '$sc', 'ctl_exp_$sc.dat' u 1:2 w l dt 2 lc $c t '$sc expected'"
	done < ctl_runs.txt
	gnuplot <<EOF2
$term
set output 'ctl.png'
set title "Runtime control, 32 busy vGPUs: VF 0's share per bin (median over rounds) around the change"
set xlabel 'time from the change (ms; bin middles, the median change offset at 0)'
set ylabel "VF 0's share of the jobs (%)"; set yrange [0:*]
set key top left; set grid
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'gray'
plot $plots
EOF2
fi
