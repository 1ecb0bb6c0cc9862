#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmark (run by scripts/bench.sh, which boots the VM with
# jmgpu_bench=1 on the kernel command line; a plain test run skips it).
# It prints raw data only, as "# csv <table>,<fields>" lines; the
# statistics (median, IQR, Jain's index, share errors) are done on the
# host by scripts/bench-stats.awk. Never pass/fail on numbers: the checks
# say that every run of the benchmark ran and that its load was real
# (no busy tenant's ring ever seen empty inside a measuring window).
#
# Parts, each over $R interleaved rounds (jmgpu_bench_rounds=, default 10):
#   datapath  one VF, alternately through jmgpu_vfio_pci (with an mdev) and
#             plain vfio-pci (VF provisioned through the PF's debugfs):
#             jmgpu_bench's jobs/s, latency, trapped accesses, and the
#             framebuffer aperture through its mmap and through the
#             region's read/write (MB/s)
#   fair      32 VFs with a vGPU fb64m-w3 each, one jmgpu_load per
#             tenant, started by a barrier, measured in one common window
#             (jmgpu_bench_window_ms=, default 1500): per round one VF
#             alone; per policy all 32 busy, and 31 busy + 1 light
#             (latency); fixed-share and best-effort with 16 busy, 16 idle
#   mixed     32 vGPUs of weights 1/3/6/12 (16 x fb32m-w1-headless,
#             11 x fb64m-w3, 4 x fb128m-w6, 1 x fb256m-w12), all busy,
#             per policy
#   neigh     the same 32 vGPUs fb64m-w3, 31 busy and VF 0 a neighbour:
#             undisturbed (idle), resetting 100 times, faulting in a
#             loop, flooding its doorbell (jmgpu_load modes - r f d;
#             jmgpu_bench_neigh=, default -,r,f,d; s: a sleeper, which
#             only sleeps as the reset and fault neighbours do between
#             their actions), best-effort, in a rotating order per round
#   ctl       runtime control: 32 vGPUs fb32m-w1-headless, all busy, one
#             window of jmgpu_bench_ctl_window_ms= (3000) counted in bins
#             of jmgpu_bench_ctl_bin_ms= (100); jmgpu_bench_ctl_at_ms=
#             (1000) into it one change: VF 0's engine_weight 1 ->
#             jmgpu_bench_ctl_weight= (8) under best-effort ("weight"),
#             equal-share -> best-effort with VF 0 at that weight
#             ("policy"), time slice 1000 -> 250 us ("slice"); the
#             scenarios in a rotating order per round, over
#             jmgpu_bench_ctl_rounds= (3) rounds
#   scale     the control plane, N = 1, 2, 4, 8, 16, 32 (rounds:
#             jmgpu_bench_scale_rounds=, default 10): enable N VFs and
#             bind them, create N vGPUs with mdevctl start, then the same
#             N through sriov_cfg apply (VFs enabled by it); the mailbox
#             requests per vGPU create from the PF's mailbox trace
# jmgpu_bench_parts= (comma list, default all) runs a subset.
. ./lib.sh
. ./mdev-lib.sh

if ! grep -q 'jmgpu_bench=1' /proc/cmdline; then
	echo "1..0 # SKIP benchmark: run make bench (scripts/bench.sh)"
	exit 0
fi
# kernel command line parameters of the benchmark: param <name> <default>
param() {
	_v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^jmgpu_bench_$1=//p")
	echo "${_v:-$2}"
}
R=$(param rounds 10)
WIN=$(param window_ms 1500)
WARM=$(param warm_ms 300)
PARTS=$(param parts datapath,fair,mixed,neigh,ctl,scale)
SR=$(param scale_rounds 10)
# ctl: 3 scenarios x ~12 s a round; 3 rounds keep make bench in its budget
CR=$(param ctl_rounds 3)
LAT_SLICES=$(param lat_slices 1000 | tr , ' ')
JOBS=$(param jobs 50000)
LAT=$(param lat 1000)
CTL_WIN=$(param ctl_window_ms 3000)
CTL_BIN=$(param ctl_bin_ms 100)
CTL_AT=$(param ctl_at_ms 1000)
CTL_W=$(param ctl_weight 8)
NEIGH=$(param neigh -,r,f,d | tr , ' ')
POLICIES="best-effort equal-share fixed-share"
has_part() { case ",$PARTS," in *",$1,"*) return 0 ;; esac; return 1; }

n=0
has_part datapath && n=$((n + 2))
{ has_part fair || has_part mixed || has_part neigh || has_part ctl; } && n=$((n + 1))
has_part fair && n=$((n + 2))
has_part mixed && n=$((n + 2))
has_part neigh && n=$((n + 2))
has_part ctl && n=$((n + 2))
has_part scale && n=$((n + 1))
trap mdev_cleanup EXIT
plan $n
diag "bench: rounds $R, window ${WIN} ms after ${WARM} ms warm-up, parts $PARTS, latency slices $LAT_SLICES us"
csv() { echo "# csv $*"; }

# part_begin <name> / part_end <name>: each part's time, as a diag line
# and on the console as it happens, so that a run killed by its deadline
# still shows where it was
part_begin() {
	_pt=$(cut -d. -f1 /proc/uptime)
	echo "# bench: part $1 begins at uptime $_pt s" > /dev/console 2>/dev/null
}
part_end() {
	_pe=$(cut -d. -f1 /proc/uptime)
	diag "part $1 took $((_pe - _pt)) s"
	echo "# bench: part $1 took $((_pe - _pt)) s" > /dev/console 2>/dev/null
}

# ---- data path -------------------------------------------------------
run_jmgpu() {
	u=$(mdev_create "$vf" fb64m-w3) || return 1
	jmgpu_bench "$vf" $JOBS $LAT > $MDEV_TMP.b || return 1
	echo 1 > /sys/bus/mdev/devices/$u/remove
	# bench <vf> jobs_per_s X lat_us_avg Y lat_us_p50 Z lat_us_p99 W
	# submissions N trapped T ap_mmap_wr A ap_mmap_rd B ap_rw_wr C ap_rw_rd D
	# (T: the trapped accesses of its N timed submissions, set-up,
	# warm-up and the aperture part, which traps on purpose, excluded)
	read -r _ _ _ tp _ la _ l50 _ l99 _ sb _ t1 _ amw _ amr _ arw _ arr _ < $MDEV_TMP.b
	case $t1 in ''|*[!0-9]*) diag "no trapped count from jmgpu_bench: $(cat $MDEV_TMP.b)"; return 1 ;; esac
	csv "datapath,$1,jmgpu_vfio_pci,$tp,$la,$l50,$l99,$t1,$sb,$amw,$amr,$arw,$arr"
}
run_plain() {
	pci_unbind "$vf"
	echo "0 fb64m-w3" > $D/provision || return 1
	echo vfio-pci > /sys/bus/pci/devices/$vf/driver_override
	echo "$vf" > /sys/bus/pci/drivers_probe
	[ "$(pci_driver "$vf")" = vfio-pci ] || return 1
	jmgpu_bench "$vf" $JOBS $LAT > $MDEV_TMP.b || return 1
	pci_unbind "$vf"
	echo "0 none" > $D/provision
	echo $VDRV > /sys/bus/pci/devices/$vf/driver_override
	echo "$vf" > /sys/bus/pci/drivers_probe
	[ "$(pci_driver "$vf")" = $VDRV ] || return 1
	read -r _ _ _ tp _ la _ l50 _ l99 _ sb _ _ _ amw _ amr _ arw _ arr _ < $MDEV_TMP.b
	csv "datapath,$1,vfio-pci,$tp,$la,$l50,$l99,,$sb,$amw,$amr,$arw,$arr"
}
# R rounds, the order alternating (ABBA) so that a drift of the machine
# over the run does not favour one driver
datapath_rounds() {
	_bad=0
	for r in $(seq 1 "$R"); do
		if [ $((r % 2)) = 1 ]; then
			run_jmgpu "$r" || { diag "round $r: jmgpu_vfio_pci run failed"; _bad=1; }
			run_plain "$r" || { diag "round $r: vfio-pci run failed"; _bad=1; }
		else
			run_plain "$r" || { diag "round $r: vfio-pci run failed"; _bad=1; }
			run_jmgpu "$r" || { diag "round $r: jmgpu_vfio_pci run failed"; _bad=1; }
		fi
	done
	return $_bad
}
if has_part datapath; then
	part_begin datapath
	require "data path: modules load, 1 VF bound to $VDRV" mdev_setup 1
	vf=$(vf_n 0)
	# shellcheck disable=SC2154 # pf: set by mdev_setup
	D=/sys/kernel/debug/jmgpu/$pf
	modprobe vfio-pci
	check "data path: $R rounds through $VDRV and through vfio-pci" datapath_rounds
	mdev_cleanup
	part_end datapath
fi

# ---- fairness --------------------------------------------------------
# weight_of <profile>
weight_of() { echo "$1" | sed 's/^fb[0-9]*m-w\([0-9]*\).*/\1/'; }
# vgpus_create <set> <profile of VF 0> ... <profile of VF 31>: one vGPU
# per VF; sets WLIST (the 32 weights, VF 0 first), W0 (VF 0's weight),
# WSUM (their sum: the fixed-share caps are weight / max(100, sum)) and
# U0 (VF 0's vGPU), prints the sum
vgpus_create() {
	_set=$1
	shift
	mdev_remove_all
	_i=0
	_sum=0
	WLIST=
	for _p in "$@"; do
		_v=$(vf_n $_i)
		_u=$(mdev_create "$_v" "$_p") || { diag "vGPU $_p on $_v refused"; return 1; }
		_w=$(weight_of "$_p")
		[ $_i = 0 ] && { U0=$_u; W0=$_w; }
		WLIST="$WLIST $_w"
		_sum=$((_sum + _w))
		_i=$((_i + 1))
	done
	WSUM=$_sum
	csv "weights,$_set,$_sum"
}

# count <dir> <pattern>: how many files match
count() {
	set -- "$1"/$2
	[ -e "$1" ] || { echo 0; return; }
	echo $#
}

# tenants_start: one jmgpu_load per VF, serving every phase (fair_run)
# until tenants_stop; K: the last phase
tenants_start() {
	TW=$MDEV_TMP.w
	rm -rf $TW
	mkdir -p $TW
	K=0
	_pids=
	for _i in $(seq 0 31); do
		jmgpu_load "$(vf_n $_i)" $TW $_i > $TW/out.$_i 2>&1 &
		_pids="$_pids $!"
	done
	TPIDS=$_pids
}
tenants_stop() {
	K=$((K + 1))
	echo "quit 0 0" > $TW/.phase
	mv $TW/.phase $TW/phase.$K
	_tb=0
	for _p in $TPIDS; do wait "$_p" || _tb=1; done
	[ $_tb = 0 ] || diag "tenants: $(cat $TW/out.* | head -n 20)"
	return $_tb
}

# tenants_alive: every jmgpu_load still runs (a dead one would make
# every later barrier wait for it)
tenants_alive() {
	for _p in $TPIDS; do kill -0 "$_p" 2>/dev/null || return 1; done
}

# phase_go <what> <phase line>: the next phase K: its file, the barrier
# (every tenant set up, 60 s at most), then go.K
phase_go() {
	K=$((K + 1))
	# written, then renamed into place: a tenant never reads it half-written
	echo "$2" > $TW/.phase
	mv $TW/.phase $TW/phase.$K
	_t=0
	while [ "$(count $TW "ready.*.$K")" -lt 32 ] && [ $_t -lt 600 ]; do
		tenants_alive || { diag "$1: a tenant died: $(cat $TW/out.*)"; return 1; }
		sleep 0.1
		_t=$((_t + 1))
	done
	touch $TW/go.$K
}
# phase_wait: every tenant's result of phase K (60 s at most, or a
# tenant died)
phase_wait() {
	_t=0
	while [ "$(count $TW "res.*.$K")" -lt 32 ] && [ $_t -lt 600 ]; do
		tenants_alive || break
		sleep 0.1
		_t=$((_t + 1))
	done
}

# collect <table> <prefix> <what> [<change us>]: the 32 tenants'
# results of phase K as "# csv" lines, in one awk (a fork per field and tenant cost the
# guest seconds per phase). <table> fair: "fair,<prefix>,<vf>,<weight>,
# <mode>,<jobs>,<bytes>,<window us>,<starved>,<min inflight>,<wakeups>"
# per tenant not idle and "lat,<prefix>,<vf>,<samples>" per light one;
# ctl: "ctl,<prefix>,<vf>,<change us>,<bin us>,<n0>,..." per tenant
# (bins needed).
# A busy tenant's ring seen empty inside the window (starved submitter)
# or a tenant without a result is a diag line and fails.
collect() {
	awk -v tw="$TW" -v k="$K" -v tab="$1" -v pre="$2" -v what="$3" -v post="$4" -v w="$WLIST" '
	function tail3(f,   l, a, b, c) {
		while ((getline l < f) > 0) { a = b; b = c; c = l }
		close(f)
		return a " " b " " c
	}
	BEGIN {
		split(w, wt, " ")
		bad = 0
		for (i = 0; i < 32; i++) {
			f = tw "/res." i "." k
			got = 0
			mode = ""
			bins = ""
			while ((getline l < f) > 0) {
				n = split(l, a, " ")
				if (a[1] == "load" && a[4] == "idle") {
					got = 2
				} else if (a[1] == "load" && n >= 16) {
					# load <id> <vf> <mode> jobs J bytes B
					# window_us X starved S min_inflight M wakeups K
					got = 1
					mode = a[4]
					ld = sprintf("%s,%s,%s,%s,%s,%s,%s", mode, a[6], a[8], a[10], a[12], a[14], a[16])
					starved = a[12]
				} else if (a[1] == "lat" && a[2] == i && n > 2 && tab == "fair") {
					o = "# csv lat," pre "," i
					for (j = 3; j <= n; j++)
						o = o "," a[j]
					print o
				} else if (a[1] == "bins" && a[2] == i) {
					bins = a[3]
					for (j = 4; j <= n; j++)
						bins = bins "," a[j]
				}
			}
			close(f)
			if (got == 2)
				continue
			if (!got || (tab == "ctl" && bins == "")) {
				printf "# %s: tenant %d has no result: %s\n", what, i, tail3(tw "/out." i)
				bad = 1
				continue
			}
			if (tab == "fair")
				printf "# csv fair,%s,%d,%s,%s\n", pre, i, wt[i + 1], ld
			else
				printf "# csv ctl,%s,%d,%s,%s\n", pre, i, post, bins
			if (mode == "busy" && starved != 0) {
				printf "# %s: vf%d'"'"'s ring ran empty %s times inside the window (starved submitter)\n", what, i, starved
				bad = 1
			}
		}
		exit bad
	}'
}

# fair_run <scenario> <round> <policy> <slice> <modes>: one measurement.
# modes: one letter per VF: b busy, l light (latency), - idle. Prints a
# "# csv fair,..." line per tenant and a "# csv lat,..." line per light one.
fair_run() {
	echo "$3" > $P/jmgpu/sched_policy || return 1
	echo "$4" > $P/jmgpu/timeslice_us || return 1
	phase_go "$1 $3 round $2" "$5 $WARM $WIN" || return 1
	phase_wait
	collect fair "$1,$2,$3,$4" "$1 $3 round $2"
}

ALL_B=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
ONE_B=b-------------------------------
LAT_L=lbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
HALF_B=bbbbbbbbbbbbbbbb----------------

# one round of the equal-weight scenarios, the policies in a rotating
# order (interleaved: every round sees every scenario once)
fair_round() {
	_rb=0
	fair_run alone "$1" best-effort 1000 $ONE_B || _rb=1
	case $(($1 % 3)) in
	0) _pols="best-effort equal-share fixed-share" ;;
	1) _pols="equal-share fixed-share best-effort" ;;
	*) _pols="fixed-share best-effort equal-share" ;;
	esac
	for _pol in $_pols; do
		fair_run equal "$1" $_pol 1000 $ALL_B || _rb=1
		for _sl in $LAT_SLICES; do
			fair_run lat "$1" $_pol "$_sl" $LAT_L || _rb=1
		done
	done
	fair_run half "$1" fixed-share 1000 $HALF_B || _rb=1
	fair_run half "$1" best-effort 1000 $HALF_B || _rb=1
	return $_rb
}
fair_rounds() {
	tenants_start
	_frb=0
	for _r in $(seq 1 "$R"); do
		diag "fair round $_r at uptime $(cut -d' ' -f1 /proc/uptime) s"
		fair_round "$_r" || _frb=1
	done
	tenants_stop || _frb=1
	return $_frb
}
mixed_rounds() {
	tenants_start
	_mb=0
	for _r in $(seq 1 "$R"); do
		for _pol in $POLICIES; do
			fair_run mixed "$_r" $_pol 1000 $ALL_B || _mb=1
		done
	done
	tenants_stop || _mb=1
	return $_mb
}
# neigh_name <letter>: the scenario of a neighbour kind
neigh_name() {
	case $1 in
	-) echo none ;; r) echo reset ;; f) echo fault ;; d) echo flood ;;
	s) echo sleep ;; *) return 1 ;;
	esac
}
neigh_rounds() {
	tenants_start
	_nb=0
	_rest=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
	_nn=$(echo $NEIGH | wc -w)
	for _r in $(seq 1 "$R"); do
		# the kinds rotated by the round: each kind in each place
		_ks=$NEIGH
		for _ in $(seq 1 $((_r % _nn))); do _ks="${_ks#* } ${_ks%% *}"; done
		for _k in $_ks; do
			fair_run "neigh-$(neigh_name $_k)" "$_r" best-effort 1000 "$_k$_rest" || _nb=1
		done
	done
	tenants_stop || _nb=1
	return $_nb
}

# ---- runtime control ------------------------------------------------------
# ctl_set <policy> <slice us> <VF 0's weight>
ctl_set() {
	echo "$1" > $P/jmgpu/sched_policy &&
		echo "$2" > $P/jmgpu/timeslice_us &&
		echo "$3" > /sys/bus/mdev/devices/$U0/jmgpu/engine_weight
}
# ctl_change <scenario>: the change of the scenario (ctl_run)
ctl_change() {
	case $1 in
	weight) echo "$CTL_W" > /sys/bus/mdev/devices/$U0/jmgpu/engine_weight ;;
	policy) echo best-effort > $P/jmgpu/sched_policy ;;
	slice) echo 250 > $P/jmgpu/timeslice_us ;;
	esac
}
# ctl_run <scenario> <round>: all 32 busy over one window counted in bins;
# CTL_AT ms after the window's start (go's mtime + WARM, CLOCK_REALTIME as
# the tenants count) the scenario's change; the offset recorded is the
# moment the write started (what the operator did; the write itself can
# take hundreds of ms while 32 tenants keep the guest's vCPUs busy, and
# the firmware may apply it before the write returns), measured. Prints
# "# csv ctlset,<scenario>,<policy>,<VF 0 weight>,<weight sum> before,
# the same after" and a "# csv ctl,<scenario>,<round>,<vf>,<change us>,
# <bin us>,<n0>,..." line per tenant; the settings are put back after.
ctl_run() {
	_ws=$((WSUM - 1 + CTL_W))
	case $1 in
	weight) ctl_set best-effort 1000 1 || return 1
		csv "ctlset,$1,best-effort,1,$WSUM,best-effort,$CTL_W,$_ws" ;;
	policy) ctl_set equal-share 1000 "$CTL_W" || return 1
		csv "ctlset,$1,equal-share,$CTL_W,$_ws,best-effort,$CTL_W,$_ws" ;;
	slice) ctl_set best-effort 1000 1 || return 1
		csv "ctlset,$1,best-effort,1,$WSUM,best-effort,1,$WSUM" ;;
	esac
	phase_go "ctl $1 round $2" "$ALL_B $WARM $CTL_WIN $CTL_BIN" || return 1
	_st=$(($(jmgpu_ns -m $TW/go.$K) + WARM * 1000000))
	_a=$(jmgpu_ns -u $((_st + CTL_AT * 1000000)))
	_cb=0
	ctl_change "$1" || { diag "ctl $1 round $2: the change was refused"; _cb=1; }
	_c=$(jmgpu_ns -r)
	phase_wait
	ctl_set best-effort 1000 1 || { diag "ctl: settings not put back"; _cb=1; }
	diag "ctl $1 round $2: change written at $(((_a - _st) / 1000)) us, in force at $(((_c - _st) / 1000)) us into the window"
	collect ctl "$1,$2" "ctl $1 round $2" $(((_a - _st) / 1000)) || _cb=1
	return $_cb
}
ctl_rounds() {
	# VF 0 may take CTL_W: its own weight + the PF's free weight
	_fr=$(cat $P/jmgpu/engine_weight_free)
	[ $((W0 + _fr)) -ge "$CTL_W" ] || {
		diag "ctl: VF 0 cannot go to weight $CTL_W (own $W0 + free $_fr, total $(cat $P/jmgpu/engine_weight_total))"
		return 1
	}
	tenants_start
	_cr=0
	for _r in $(seq 1 "$CR"); do
		case $((_r % 3)) in
		0) _ss="weight policy slice" ;;
		1) _ss="policy slice weight" ;;
		*) _ss="slice weight policy" ;;
		esac
		for _sc in $_ss; do
			ctl_run "$_sc" "$_r" || _cr=1
		done
	done
	tenants_stop || _cr=1
	return $_cr
}

if has_part fair || has_part mixed || has_part neigh || has_part ctl; then
	part_begin set-up
	require "fair: modules load, 32 VFs bound to $VDRV" mdev_setup 32
	part_end set-up
fi
if has_part fair; then
	part_begin fair
	# shellcheck disable=SC2046 # 32 words
	check "fair: 32 vGPUs fb64m-w3" vgpus_create fair $(for _ in $(seq 32); do echo fb64m-w3; done)
	check "fair: $R rounds of alone, equal, latency, half idle; no tenant starved" fair_rounds
	part_end fair
fi
if has_part mixed; then
	part_begin mixed
	# shellcheck disable=SC2046 # 32 words
	check "mixed: 32 vGPUs of weights 1/3/6/12" vgpus_create mixed \
		$(for _ in $(seq 16); do echo fb32m-w1-headless; done) \
		$(for _ in $(seq 11); do echo fb64m-w3; done) \
		fb128m-w6 fb128m-w6 fb128m-w6 fb128m-w6 fb256m-w12
	check "mixed: $R rounds per policy; no tenant starved" mixed_rounds
	part_end mixed
fi
# neigh_ok: the kinds are known, "-" (the undisturbed run every ratio
# is taken against) among them, none twice
neigh_ok() {
	_seen=" "
	for _k in $NEIGH; do
		neigh_name "$_k" > /dev/null || { diag "unknown neighbour kind '$_k' (jmgpu_bench_neigh=: - r f d s)"; return 1; }
		case $_seen in *" $_k "*) diag "neighbour kind '$_k' twice"; return 1 ;; esac
		_seen="$_seen$_k "
	done
	case $_seen in *" - "*) return 0 ;; esac
	diag "no undisturbed run ('-') among the neighbour kinds '$NEIGH'"
	return 1
}
if has_part neigh; then
	part_begin neigh
	# shellcheck disable=SC2046 # 32 words
	check "neigh: 32 vGPUs fb64m-w3" vgpus_create neigh $(for _ in $(seq 32); do echo fb64m-w3; done)
	if neigh_ok; then
		check "neigh: $R rounds of $(for _k in $NEIGH; do neigh_name $_k; done | tr '\n' ' ')neighbours; no busy tenant starved" neigh_rounds
	else
		not_ok "neigh: jmgpu_bench_neigh=$(echo $NEIGH | tr ' ' ,) is not a list of neighbour kinds with '-'"
	fi
	part_end neigh
fi
if has_part ctl; then
	part_begin ctl
	# shellcheck disable=SC2046 # 32 words
	check "ctl: 32 vGPUs fb32m-w1-headless" vgpus_create ctl $(for _ in $(seq 32); do echo fb32m-w1-headless; done)
	check "ctl: $CR rounds of weight, policy, slice changed mid-window; no tenant starved" ctl_rounds
	part_end ctl
fi
echo best-effort > $P/jmgpu/sched_policy 2>/dev/null
echo 1000 > $P/jmgpu/timeslice_us 2>/dev/null

# ---- control plane scale ----------------------------------------------
ns() { jmgpu_ns; }
# The untimed steps between the timed ones fork as little as they can:
# a fork costs the TCG guest some 10 ms, and a round of N = 1..32 has
# 63 creates each way.
# mbox_total: the PF's mailbox requests so far
mbox_total() { sed -n 's/^# \([0-9]*\) requests.*/\1/p' /sys/kernel/debug/jmgpu/$pf/mbox_trace; }
# mbox_since <total before>: "<total now> <requests since> <the create's
# requests among them>" (the monitor's sampling excluded: it is not the
# create's; the trace keeps the last 64 requests, so with more than 64
# since, the last field is "-")
mbox_since() {
	awk -v m0="$1" '
	/^# [0-9]+ requests/ { t = $2; next }
	/^#/ { next }
	{ op[++n] = $3 }
	END {
		d = t - m0
		if (d > 64) { print t, d, "-"; exit }
		c = 0
		for (i = (n - d + 1 > 1 ? n - d + 1 : 1); i <= n; i++)
			if (op[i] !~ /VF_GET_STATS|PING|VF_EVENT_STATE/)
				c++
		print t, d, c
	}' /sys/kernel/debug/jmgpu/$pf/mbox_trace
}
# pf_vfs: the PF's VFs, one per line (jmgpu_vfs without a fork per VF)
pf_vfs() {
	_i=0
	while [ -e "/sys/bus/pci/devices/$pf/virtfn$_i" ]; do
		cd -P "/sys/bus/pci/devices/$pf/virtfn$_i" && echo "${PWD##*/}"
		_i=$((_i + 1))
	done
}
# scale_one <round> <N>
scale_one() {
	for _v in $(pf_vfs); do pci_unbind "$_v"; done
	echo 0 > $P/sriov_numvfs || return 1
	_t0=$(ns)
	echo "$2" > $P/sriov_numvfs || return 1
	VFS=$(pf_vfs)
	mdev_bind_vfs || return 1
	_t1=$(ns)
	_c=0
	_rt=0
	_rn=0
	_m0=$(mbox_total)
	for _v in $VFS; do
		read -r _u < /proc/sys/kernel/random/uuid
		_a=$(ns)
		mdevctl start -u "$_u" -p "$_v" -t $VDRV-fb64m-w3 > /dev/null || return 1
		_b=$(ns)
		_c=$((_c + _b - _a))
		# a create whose window the monitor filled beyond the
		# trace's 64 requests is not counted
		_ms=$(mbox_since "$_m0")
		_m0=${_ms%% *}
		_ops=${_ms##* }
		if [ "$_ops" != - ]; then
			_rt=$((_rt + _ops))
			_rn=$((_rn + 1))
		fi
	done
	mdev_remove_all
	for _v in $VFS; do pci_unbind "$_v"; done
	echo 0 > $P/sriov_numvfs || return 1
	{
		echo "{ \"version\": 1, \"cards\": [ { \"pf\": \"$pf\", \"num_vfs\": $2, \"vgpus\": ["
		_i=0
		while [ $_i -lt "$2" ]; do
			[ $_i = 0 ] || echo ","
			read -r _u < /proc/sys/kernel/random/uuid
			echo "{ \"uuid\": \"$_u\", \"profile\": \"fb64m-w3\" }"
			_i=$((_i + 1))
		done
		echo "] } ] }"
	} > $MDEV_TMP.sc.json
	_a=$(ns)
	sriov_cfg apply $MDEV_TMP.sc.json > $MDEV_TMP.sc.out 2>&1 || {
		diag "sriov_cfg apply of $2 vGPUs: $(head -n 3 $MDEV_TMP.sc.out)"
		return 1
	}
	_b=$(ns)
	_nm=$(count /sys/bus/mdev/devices '*')
	[ "$_nm" = "$2" ] || { diag "apply made $_nm vGPUs, not $2"; return 1; }
	csv "scale,$1,$2,$((_t1 - _t0)),$_c,$((_b - _a)),$_rt,$_rn"
	mdev_remove_all
	for _v in $(pf_vfs); do pci_unbind "$_v"; done
	echo 0 > $P/sriov_numvfs
}
scale_rounds() {
	_sb=0
	for _r in $(seq 1 "$SR"); do
		for _n in 1 2 4 8 16 32; do
			scale_one "$_r" "$_n" || { diag "scale round $_r N=$_n failed"; _sb=1; }
		done
	done
	return $_sb
}
if has_part scale; then
	part_begin scale
	mdev_cleanup
	if mdev_setup 1; then
		check "scale: $SR rounds of enable + create N = 1..32 (mdevctl, sriov_cfg apply)" scale_rounds
	else
		not_ok "scale: modules load"
	fi
	part_end scale
fi
tap_done
