#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of scripts/bench-stats.awk, the statistics of make bench:
# quartiles, Jain's index, aggregate / alone, share errors against the
# weights, fixed-share caps, latency percentiles, the runtime control
# part's shares over time and settle times, and the goal verdicts, on
# records whose answers are worked out by hand.
awk_file=$(dirname "$0")/../../scripts/bench-stats.awk
. "$(dirname "$0")/lib.sh"	# ok, not_ok
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..34"

# fig <figure> <want median,q1,q3,n[,goal,verdict]>: the figure's line of
# figures.csv from the last stats run
fig() {
	local got
	got=$(grep -F "$1," "$tmp/out/figures.csv" | grep "^$1," | cut -d, -f2-)
	if [ "$got" = "$2" ]; then
		ok "$1: $2"
	else
		not_ok "$1: got '$got', want '$2'"
	fi
}
stats() {
	rm -rf "$tmp/out"
	mkdir -p "$tmp/out"
	printf '%b' "$1" > "$tmp/in.csv"
	awk -v out="$tmp/out" -f "$awk_file" "$tmp/in.csv" > "$tmp/out/summary" 2>&1
}
# fair_rec <scenario> <round> <policy> <weight> <rate MB/s>...: one busy
# record per rate, window 1000000 us (bytes = rate * 1e6)
fair_rec() {
	local sc=$1 r=$2 p=$3 w=$4 i=0 x
	shift 4
	for x in "$@"; do
		echo "fair,$sc,$r,$p,1000,$i,$w,busy,0,$((x * 1000000)),1000000,0,1,1"
		i=$((i + 1))
	done
}

# data path: ratios 0.9, 1.1, 1.0 (rounds out of order); quartiles of
# an odd count interpolate: q1 = 0.95, q3 = 1.05
stats 'datapath,1,jmgpu_vfio_pci,900,10,10,20,0,1000\ndatapath,1,vfio-pci,1000,10,10,20,,1000\n'\
'datapath,2,vfio-pci,1000,10,10,20,,1000\ndatapath,2,jmgpu_vfio_pci,1100,10,12,20,3,1000\n'\
'datapath,3,jmgpu_vfio_pci,1000,10,10,20,0,1000\ndatapath,3,vfio-pci,1000,10,10,20,,1000\n'
fig "datapath throughput ratio" "1,0.95,1.05,3,ge 0.99,open"
# p50 ratios 1, 1.2, 1: all of the IQR [1, 1.1] is not <= 1.01: open
fig "datapath latency p50 ratio" "1,1,1.1,3,le 1.01,open"
# trapped per 1000: 0, 3, 0 -> median 0, q3 1.5: not all of the IQR at 0
fig "datapath trapped per 1000 submissions" "0,0,1.5,3,le 0,open"
# the old records have no aperture fields: no aperture figure
if grep -q "aperture" "$tmp/out/summary"; then
	not_ok "datapath records without aperture fields give no aperture figure"
else
	ok "datapath records without aperture fields give no aperture figure"
fi

# aperture, MB/s mmap write, mmap read, read/write write, read/write read:
# round 1 jmgpu 990 2000 10 20 against vfio-pci 1000 2000 10 25; round 2
# jmgpu 1000 1800 12 20, vfio-pci 1000 2000 12 20. mmap write ratios 0.99,
# 1 (IQR [0.9925, 0.9975] >= 0.99: met); mmap read 1, 0.9 (IQR [0.925,
# 0.975]: missed); read/write read 0.8, 1; the vGPU's mmap/read-write
# write 99 and 83.33
stats 'datapath,1,jmgpu_vfio_pci,900,10,10,20,0,1000,990,2000,10,20
''datapath,1,vfio-pci,1000,10,10,20,,1000,1000,2000,10,25
''datapath,2,jmgpu_vfio_pci,900,10,10,20,0,1000,1000,1800,12,20
''datapath,2,vfio-pci,1000,10,10,20,,1000,1000,2000,12,20
'
fig "aperture mmap write ratio" "0.995,0.9925,0.9975,2,ge 0.99,met"
fig "aperture mmap read ratio" "0.95,0.925,0.975,2,ge 0.99,missed"
fig "aperture read/write read ratio" "0.9,0.85,0.95,2,,"
fig "aperture jmgpu_vfio_pci mmap/read-write write" "91.1667,87.25,95.0833,2,,"

# fairness: round 1 equal rates (Jain 1), round 2 rates 1 2 3 4 (Jain
# 100 / (4 * 30) = 0.833333); alone 8 and 10 MB/s: aggregate / alone
# 4 / 8 = 0.5 and 10 / 10 = 1
{ fair_rec alone 1 best-effort 3 8; fair_rec alone 2 best-effort 3 10
  fair_rec equal 1 best-effort 3 1 1 1 1; fair_rec equal 2 best-effort 3 1 2 3 4
} > "$tmp/f"
stats "$(cat "$tmp/f")\n"
fig "equal jain best-effort" "0.916667,0.875,0.958333,2,ge 0.99,missed"
fig "equal aggregate/alone best-effort" "0.75,0.625,0.875,2,ge 0.95,missed"

# mixed weights 1 and 3: rates 1 and 3 match (0 points); rates 2 and 2
# are 50 % against 25 % and 75 %: 25 points; equal-share expects 1/n
{ fair_rec alone 1 best-effort 3 4
  echo "fair,mixed,1,best-effort,1000,0,1,busy,0,1000000,1000000,0,1,1"
  echo "fair,mixed,1,best-effort,1000,1,3,busy,0,3000000,1000000,0,1,1"
  echo "fair,mixed,1,fixed-share,1000,0,1,busy,0,2000000,1000000,0,1,1"
  echo "fair,mixed,1,fixed-share,1000,1,3,busy,0,2000000,1000000,0,1,1"
  echo "fair,mixed,1,equal-share,1000,0,1,busy,0,2000000,1000000,0,1,1"
  echo "fair,mixed,1,equal-share,1000,1,3,busy,0,2000000,1000000,0,1,1"
} > "$tmp/f"
stats "$(cat "$tmp/f")\n"
fig "mixed max share error points best-effort" "0,0,0,1,le 2,met"
fig "mixed max share error points fixed-share" "25,25,25,1,le 2,missed"
fig "mixed max share error points equal-share" "0,0,0,1,le 2,met"

# half idle, fixed-share: provisioned weights 96 -> cap = 3 / 100 of the
# alone rate 100 MB/s = 3 MB/s; busy at 3 and 4 MB/s: 1 point off, busy
# total 7 / 100; best-effort busy 50 + 48 of 100: 0.98
{ echo "weights,fair,96"; fair_rec alone 1 best-effort 3 100
  fair_rec half 1 fixed-share 3 3 4; fair_rec half 1 best-effort 3 50 48
} > "$tmp/f"
stats "$(cat "$tmp/f")\n"
fig "half-idle fixed-share max cap error points" "1,1,1,1,le 2,met"
fig "half-idle fixed-share busy/alone" "0.07,0.07,0.07,1,,"
fig "half-idle best-effort busy/alone" "0.98,0.98,0.98,1,ge 0.95,met"

# latency: samples 1..100 us: p50 = 50.5, p99 = 99.01 (type 7)
stats "lat,lat,1,best-effort,1000,0,$(seq -s, 100 -1 1)\n"
fig "latency p99 us best-effort slice 1000" "99.01,99.01,99.01,1,,"
# neighbours: undisturbed 31 busy at 2 MB/s = 62; with the resetting
# neighbour 31 at 1 MB/s: 0.5; faulting 2 MB/s: 1; flooding: 1, plus 10
# doorbells (its own record, not busy, not counted in the others)
{ fair_rec neigh-none 1 best-effort 3 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2
  fair_rec neigh-reset 1 best-effort 3 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1
  echo "fair,neigh-reset,1,best-effort,1000,31,3,reset,100,0,1000000,0,0,0"
  fair_rec neigh-fault 1 best-effort 3 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2
  echo "fair,neigh-flood,1,best-effort,1000,31,3,flood,10,0,1000000,0,0,0"
  fair_rec neigh-flood 1 best-effort 3 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2
  echo "fair,neigh-sleep,1,best-effort,1000,31,3,sleep,2900,0,1000000,0,0,0"
  fair_rec neigh-sleep 1 best-effort 3 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2
} > "$tmp/f"
stats "$(cat "$tmp/f")\n"
fig "neighbour reset: others/undisturbed" "0.5,0.5,0.5,1,ge 0.95,missed"
fig "neighbour flood: others/undisturbed" "1,1,1,1,ge 0.95,met"
fig "neighbour reset: its actions in the window" "100,100,100,1,,"
# the sleeper (a kind run only on request): its ratio and its sleeps;
# the plot's data names the kinds that ran, in a fixed order
fig "neighbour sleep: its actions in the window" "2900,2900,2900,1,,"
got=$(head -n 1 "$tmp/out/neigh.dat")
[ "$got" = "# kinds reset fault flood sleep" ] && ok "neigh.dat names the kinds that ran: $got" ||
	not_ok "neigh.dat's first line: got '$got', want '# kinds reset fault flood sleep'"
# only the undisturbed run and one kind: one column, named
stats "$(grep -e neigh-none -e neigh-fault "$tmp/f")\n"
got=$(head -n 1 "$tmp/out/neigh.dat"; sed -n 2p "$tmp/out/neigh.dat" | wc -w)
[ "$got" = "# kinds fault
2" ] && ok "neigh.dat with one kind: one column after the round" ||
	not_ok "neigh.dat with one kind: got '$got'"

# control plane: two rounds, mdevctl 8 vGPUs in 80 ms and 32 in 400 ms
# (t32/t8 = 5), then 100 and 400 (4): median 4.5, IQR across 4.4: open;
# 40 mailbox requests for 32 creates traced, 30 for 30: 1.25 and 1 per
# create (a create the trace lost is not counted), the
# IQR [1.0625, 1.1875] all over 1: missed
stats "scale,1,8,10000000,80000000,90000000,9,8\nscale,1,32,40000000,400000000,360000000,40,32\n"\
"scale,2,8,10000000,100000000,90000000,8,8\nscale,2,32,40000000,400000000,360000000,30,30\n"
fig "scale mdevctl start t32/t8" "4.5,4.25,4.75,2,le 4.4,open"
fig "scale mailbox requests per mdevctl create" "1.125,1.0625,1.1875,2,le 1,missed"

# runtime control: ctl_rec <scenario> <round> <change us> <VF 0 jobs per
# bin>...: two VFs, 100 jobs in each bin of 100 ms, so VF 0's count is
# its share in percent
ctl_rec() {
	local sc=$1 r=$2 c=$3 x v0 v1
	shift 3
	v0="ctl,$sc,$r,0,$c,100000" v1="ctl,$sc,$r,1,$c,100000"
	for x in "$@"; do v0+=",$x" v1+=",$((100 - x))"; done
	echo "$v0"; echo "$v1"
}
# Every bin holds 100 jobs, so the settle band is 3 * sqrt(p (100 - p) /
# 100) points: 14.7 at p = 40, 13.5 at p = 28.
# policy (equal-share -> best-effort, VF 0 weight 3 of 4: expected 50 %,
# then 75 %), 9 bins, the last third is bins 6-8:
#  round 1, change at 250 ms (in bin 2): before = bins 0-1 = 10, after 40,
#    bin 2 (10) is off, bin 3 (30) within 14.7, bins 4-8 too: settled at
#    bin 3's start, 300 - 250 = 50 ms;
#  round 2, change at 310 ms: before bins 0-2 = 12, after 40, bin 3 (12)
#    is off, bins 4 and 5 at 39 and 41 are within: 400 - 310 = 90 ms;
#  round 3, change at 200 ms: after (20 + 20 + 44) / 3 = 28, its last bin
#    44 is 16 off: not settled (no settle value), before 10.
# settle 50, 90: median 70, IQR 60..80; before 10 10 12: 10, [10, 11];
# after 28 40 40: 40, [34, 40]; change 200 250 310: 250, [225, 280].
# weight (best-effort, VF 0 weight 1 -> 3 of 4), change at 250 ms: after
# 40; bins 3-8 (40 52 29 40 40 40) are within 14.7 although two are off
# by more than 10 points: settled at bin 3's start, 50 ms.
# slice (best-effort, weights 1 of 3: 33.3 % both), change at 150 ms, VF 0
# at 30 throughout: bin 1 (holding the change) is already within: 0 ms.
{ echo "ctlset,policy,equal-share,3,4,best-effort,3,4"
  ctl_rec policy 1 250000 10 10 10 30 40 40 40 40 40
  ctl_rec policy 2 310000 12 12 12 12 39 41 40 40 40
  ctl_rec policy 3 200000 10 10 20 20 20 20 20 20 44
  echo "ctlset,weight,best-effort,1,4,best-effort,3,6"
  ctl_rec weight 1 250000 10 10 10 40 52 29 40 40 40
  echo "ctlset,slice,best-effort,1,3,best-effort,1,3"
  ctl_rec slice 1 150000 30 30 30 30 30 30 30 30 30
} > "$tmp/f"
stats "$(cat "$tmp/f")\n"
fig "ctl policy settle ms" "70,60,80,2,,"
fig "ctl policy share before %" "10,10,11,3,,"
fig "ctl policy share after %" "40,34,40,3,,"
fig "ctl policy change ms" "250,225,280,3,,"
fig "ctl slice settle ms" "0,0,0,1,,"
fig "ctl weight settle ms" "50,50,50,1,,"
want="bench: ctl policy: settle 70 ms (IQR 60..80), share before 10.0%, after 40.0% (expected 50.0%, 75.0%); change at 250 ms into the window, 3 rounds, not settled by the window's end in 1"
got=$(grep '^bench: ctl policy:' "$tmp/out/summary")
if [ "$got" = "$want" ]; then ok "ctl summary line: $want"; else not_ok "ctl summary line: got '$got', want '$want'"; fi
want="bench: ctl slice: settle 0 ms (IQR 0..0), share before 30.0%, after 30.0% (expected 33.3%, 33.3%); change at 150 ms into the window, 1 rounds"
got=$(grep '^bench: ctl slice:' "$tmp/out/summary")
if [ "$got" = "$want" ]; then ok "ctl summary line: $want"; else not_ok "ctl summary line: got '$got', want '$want'"; fi
# the plot: bin 0 at 50 - 250 = -200 ms, median of 10 12 10; bin 4 at 200
# ms, median of 40 39 20; the expected step 50 -> 75 at 0
got=$(sed -n '1p;5p' "$tmp/out/ctl_policy.dat" | tr '\n' ' ')$(tr '\n' ' ' < "$tmp/out/ctl_exp_policy.dat")
want="-200.0 10 200.0 39 -250.0 50 0 50 0 75 650.0 75 "
if [ "$got" = "$want" ]; then ok "ctl plot data: $want"; else not_ok "ctl plot data: got '$got', want '$want'"; fi
exit $rc
