# SPDX-License-Identifier: GPL-2.0
# Statistics of make bench, on the host: reads the raw CSV records the VM
# printed (selftests/vm/90-mdev-bench.sh, "# csv " stripped), prints one
# "bench:" line per figure (median and interquartile range over the
# rounds, the issue's goal and met / missed / open) and, with -v out=DIR,
# writes DIR/figures.csv and the data files of the plots.
#   awk [-v out=DIR] -f scripts/bench-stats.awk raw.csv
# Records:
#   datapath,<round>,<driver>,<jobs/s>,<lat avg>,<lat p50>,<lat p99>,<trapped>,<submissions>
#   fair,<scenario>,<round>,<policy>,<slice us>,<vf>,<weight>,<mode>,<jobs>,<bytes>,<window us>,<starved>,<min in flight>,<wakeups>
#   lat,<scenario>,<round>,<policy>,<slice us>,<vf>,<sample us>...
#   weights,<set>,<sum of the provisioned weights>
#   scale,<round>,<N>,<enable+bind ns>,<mdevctl start ns, summed>,<sriov_cfg apply ns>,<mailbox requests of the creates traced>,<creates traced>
# Per round: Jain's index (sum x)^2 / (n sum x^2) of the busy tenants'
# throughputs; aggregate / the one VF alone of the same round; the
# largest |share - expected share| in points; latency p50 / p99.
# Quartiles: linear interpolation between order statistics (type 7).
BEGIN { FS = "," }

# ---- helpers ------------------------------------------------------------
function qsort(a, lo, hi,    i, last, t) {
	if (lo >= hi)
		return
	t = a[lo]; a[lo] = a[int((lo + hi) / 2)]; a[int((lo + hi) / 2)] = t
	last = lo
	for (i = lo + 1; i <= hi; i++)
		if (a[i] < a[lo]) {
			last++
			t = a[last]; a[last] = a[i]; a[i] = t
		}
	t = a[lo]; a[lo] = a[last]; a[last] = t
	qsort(a, lo, last - 1)
	qsort(a, last + 1, hi)
}
# quantile of the sorted a[1..n], p in [0, 1]
function quant(a, n, p,    h, l) {
	if (n < 1)
		return ""
	h = (n - 1) * p + 1
	l = int(h)
	if (l >= n)
		return a[n]
	return a[l] + (h - l) * (a[l + 1] - a[l])
}
# jain(x, n): Jain's fairness index of x[1..n]
function jain(x, n,    i, s, q) {
	s = 0; q = 0
	for (i = 1; i <= n; i++) { s += x[i]; q += x[i] * x[i] }
	return q > 0 ? s * s / (n * q) : ""
}
# add(fig, value): one round's value of a figure
function add(fig, v) {
	if (v == "")
		return
	if (!(fig in nv)) { order[++nfig] = fig; nv[fig] = 0 }
	vals[fig, ++nv[fig]] = v
}
# goal: "ge <x>", "le <x>", "absle <x>" or ""; met when all of the IQR
# satisfies it, missed when none of it does, else open
function verdict(g, q1, q3,    w) {
	split(g, w, " ")
	if (w[1] == "ge")
		return q1 >= w[2] ? "met" : (q3 < w[2] ? "missed" : "open")
	if (w[1] == "le")
		return q3 <= w[2] ? "met" : (q1 > w[2] ? "missed" : "open")
	return ""
}
function report(fig,    a, i, n, m, q1, q3, v, g) {
	n = nv[fig]
	for (i = 1; i <= n; i++)
		a[i] = vals[fig, i]
	qsort(a, 1, n)
	m = quant(a, n, 0.5); q1 = quant(a, n, 0.25); q3 = quant(a, n, 0.75)
	g = goal[fig]
	v = verdict(g, q1, q3)
	printf "bench: %-44s median %10.4g  IQR [%.4g, %.4g]  n=%d%s\n", fig, m, q1, q3, n,
		g == "" ? "" : sprintf("  goal %s %s: %s", g == "" ? "" : (substr(g, 1, 2) == "ge" ? ">=" : "<="), substr(g, 4), v)
	if (out != "")
		printf "%s,%.6g,%.6g,%.6g,%d,%s,%s\n", fig, m, q1, q3, n, g, v > (out "/figures.csv")
	med[fig] = m
}

# ---- input ---------------------------------------------------------------
$1 == "datapath" {
	dp[$2, $3, "tp"] = $4; dp[$2, $3, "p50"] = $6; dp[$2, $3, "p99"] = $7
	dp[$2, $3, "trap"] = $8; dp[$2, $3, "sub"] = $9
	if ($2 > dprounds) dprounds = $2
	next
}
$1 == "weights" { wsum[$2] = $3; next }
$1 == "scale" {
	sc[$2, $3, "en"] = $4; sc[$2, $3, "mc"] = $5; sc[$2, $3, "ap"] = $6
	sc[$2, $3, "rt"] = $7; sc[$2, $3, "rn"] = $8
	if ($2 > srounds) srounds = $2
	next
}
$1 == "fair" {
	run = $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
	if (!(run in nt)) { runs[++nruns] = run; nt[run] = 0 }
	if ($8 == "reset" || $8 == "fault" || $8 == "flood")
		nact[$2, $3] = $9
	if ($8 != "busy")
		next
	k = ++nt[run]
	rate[run, k] = $10 / $11	# bytes per us = MB/s
	wt[run, k] = $7; vfid[run, k] = $6
	if ($3 > rounds) rounds = $3
	next
}
$1 == "lat" {
	run = $4 SUBSEP $5
	if (!(run in seen_l)) { lruns[++nlr] = run; seen_l[run] = 1 }
	n = 0
	for (i = 7; i <= NF; i++) {
		l[++n] = $i
		pool[run, ++npool[run]] = $i
	}
	qsort(l, 1, n)
	add("latency p50 us " $4 " slice " $5, quant(l, n, 0.5))
	add("latency p99 us " $4 " slice " $5, quant(l, n, 0.99))
	goal["latency p50 us " $4 " slice " $5] = ""
	next
}

# ---- figures ---------------------------------------------------------
function runsum(run,    k, s) {
	s = 0
	for (k = 1; k <= nt[run]; k++) s += rate[run, k]
	return s
}
END {
	pols = "best-effort equal-share fixed-share"
	np = split(pols, P, " ")
	# data path, paired per round
	for (r = 1; r <= dprounds; r++) {
		j = "jmgpu_vfio_pci"; v = "vfio-pci"
		if (!((r, j, "tp") in dp) || !((r, v, "tp") in dp))
			continue
		add("datapath throughput ratio", dp[r, j, "tp"] / dp[r, v, "tp"])
		add("datapath latency p50 ratio", dp[r, j, "p50"] / dp[r, v, "p50"])
		add("datapath latency p99 ratio", dp[r, j, "p99"] / dp[r, v, "p99"])
		add("datapath trapped per 1000 submissions", 1000 * dp[r, j, "trap"] / dp[r, j, "sub"])
		add("datapath jmgpu_vfio_pci jobs/s", dp[r, j, "tp"])
		add("datapath vfio-pci jobs/s", dp[r, v, "tp"])
		if (out != "")
			printf "%d %s %s %s %s\n", r, dp[r, j, "tp"], dp[r, v, "tp"], dp[r, j, "p50"], dp[r, v, "p50"] > (out "/datapath.dat")
	}
	goal["datapath throughput ratio"] = "ge 0.99"
	goal["datapath latency p50 ratio"] = "le 1.01"
	goal["datapath trapped per 1000 submissions"] = "le 0"

	for (r = 1; r <= rounds; r++) {
		al = runsum("alone" SUBSEP r SUBSEP "best-effort" SUBSEP 1000)
		if (al > 0) { add("alone MB/s", al); alone[r] = al }
		for (p = 1; p <= np; p++) {
			# equal weights, all busy
			run = "equal" SUBSEP r SUBSEP P[p] SUBSEP 1000
			if (nt[run]) {
				delete x
				for (k = 1; k <= nt[run]; k++) {
					x[k] = rate[run, k]
					pervf[P[p], vfid[run, k], ++npervf[P[p], vfid[run, k]]] = x[k]
				}
				add("equal jain " P[p], jain(x, nt[run]))
				goal["equal jain " P[p]] = "ge 0.99"
				if (al > 0) {
					add("equal aggregate/alone " P[p], runsum(run) / al)
					goal["equal aggregate/alone " P[p]] = P[p] == "fixed-share" ? "" : "ge 0.95"
				}
			}
			# mixed weights: share against the weight share
			run = "mixed" SUBSEP r SUBSEP P[p] SUBSEP 1000
			if (nt[run]) {
				s = runsum(run); ws = 0
				for (k = 1; k <= nt[run]; k++) ws += wt[run, k]
				e = 0
				for (k = 1; k <= nt[run]; k++) {
					sh = rate[run, k] / s
					ex = P[p] == "equal-share" ? 1 / nt[run] : wt[run, k] / ws
					if ((d = 100 * (sh - ex)) < 0) d = -d
					if (d > e) e = d
					msh[P[p], vfid[run, k], ++nmsh[P[p], vfid[run, k]]] = 100 * sh
					mex[P[p], vfid[run, k]] = 100 * ex
					mwt[vfid[run, k]] = wt[run, k]
				}
				add("mixed max share error points " P[p], e)
				goal["mixed max share error points " P[p]] = "le 2"
			}
		}
		# half idle: fixed-share caps, best-effort work conservation
		run = "half" SUBSEP r SUBSEP "fixed-share" SUBSEP 1000
		if (nt[run] && al > 0 && wsum["fair"] > 0) {
			e = 0
			for (k = 1; k <= nt[run]; k++) {
				cap = wt[run, k] / (wsum["fair"] > 100 ? wsum["fair"] : 100)
				if ((d = 100 * (rate[run, k] / al - cap)) < 0) d = -d
				if (d > e) e = d
			}
			add("half-idle fixed-share busy/alone", runsum(run) / al)
			add("half-idle fixed-share max cap error points", e)
			goal["half-idle fixed-share max cap error points"] = "le 2"
		}
		run = "half" SUBSEP r SUBSEP "best-effort" SUBSEP 1000
		if (nt[run] && al > 0) {
			add("half-idle best-effort busy/alone", runsum(run) / al)
			goal["half-idle best-effort busy/alone"] = "ge 0.95"
		}
	}
	# neighbours: the 31 busy tenants against the round's undisturbed run
	nk = split("reset fault flood", NK, " ")
	for (r = 1; r <= rounds; r++) {
		base = runsum("neigh-none" SUBSEP r SUBSEP "best-effort" SUBSEP 1000)
		for (k = 1; k <= nk; k++) {
			run = "neigh-" NK[k] SUBSEP r SUBSEP "best-effort" SUBSEP 1000
			if (base > 0 && nt[run]) {
				add("neighbour " NK[k] ": others/undisturbed", runsum(run) / base)
				goal["neighbour " NK[k] ": others/undisturbed"] = "ge 0.95"
				add("neighbour " NK[k] ": its actions in the window", nact["neigh-" NK[k], r])
			}
		}
	}
	# control plane: times per N, t32/t8, mailbox requests per create
	ns = split("1 2 4 8 16 32", SN, " ")
	split("en mc ap", SK, " ")
	SKN["en"] = "enable+bind VFs"; SKN["mc"] = "mdevctl start"; SKN["ap"] = "sriov_cfg apply"
	for (r = 1; r <= srounds; r++) {
		for (q = 1; q <= 3; q++) {
			for (i = 1; i <= ns; i++)
				if ((r, SN[i], SK[q]) in sc)
					add("scale " SKN[SK[q]] " N=" SN[i] " ms", sc[r, SN[i], SK[q]] / 1e6)
			if ((r, 32, SK[q]) in sc && sc[r, 8, SK[q]] > 0) {
				add("scale " SKN[SK[q]] " t32/t8", sc[r, 32, SK[q]] / sc[r, 8, SK[q]])
				goal["scale " SKN[SK[q]] " t32/t8"] = "le 4.4"
			}
		}
		if ((r, 32, "rt") in sc && sc[r, 32, "rn"] > 0) {
			add("scale mailbox requests per mdevctl create", sc[r, 32, "rt"] / sc[r, 32, "rn"])
			goal["scale mailbox requests per mdevctl create"] = "le 1"
		}
	}
	for (f = 1; f <= nfig; f++)
		report(order[f])
	if (out == "")
		exit
	# plot data: per-VF throughput (median over the rounds) per policy
	for (vv = 0; vv < 32; vv++) {
		line = vv
		for (p = 1; p <= np; p++) {
			n = npervf[P[p], vv]
			for (i = 1; i <= n; i++) a[i] = pervf[P[p], vv, i]
			qsort(a, 1, n)
			line = line " " (n ? quant(a, n, 0.5) : "NaN")
		}
		if (npervf[P[1], vv] || npervf[P[2], vv] || npervf[P[3], vv])
			print line > (out "/fair_pervf.dat")
		line = vv " " mwt[vv]
		for (p = 1; p <= np; p++) {
			n = nmsh[P[p], vv]
			for (i = 1; i <= n; i++) a[i] = msh[P[p], vv, i]
			qsort(a, 1, n)
			line = line " " (n ? mex[P[p], vv] " " quant(a, n, 0.5) : "NaN NaN")
		}
		if (nmsh[P[1], vv] || nmsh[P[2], vv] || nmsh[P[3], vv])
			print line > (out "/mixed_share.dat")
	}
	# control plane: median ms per N of the three operations
	for (i = 1; i <= ns; i++) {
		line = SN[i]
		for (q = 1; q <= 3; q++) {
			fig = "scale " SKN[SK[q]] " N=" SN[i] " ms"
			line = line " " (fig in med ? med[fig] : "NaN")
		}
		if (srounds)
			print line > (out "/scale.dat")
	}
	# neighbours: per round, the others' ratio per kind
	for (r = 1; r <= rounds; r++) {
		base = runsum("neigh-none" SUBSEP r SUBSEP "best-effort" SUBSEP 1000)
		if (base <= 0)
			continue
		line = r
		for (k = 1; k <= nk; k++)
			line = line " " runsum("neigh-" NK[k] SUBSEP r SUBSEP "best-effort" SUBSEP 1000) / base
		print line > (out "/neigh.dat")
	}
	# latency CDFs, one file per policy and slice
	for (i = 1; i <= nlr; i++) {
		split(lruns[i], w, SUBSEP)
		n = npool[lruns[i]]
		for (k = 1; k <= n; k++) a[k] = pool[lruns[i], k]
		qsort(a, 1, n)
		f = out "/lat_cdf_" w[1] "_" w[2] ".dat"
		for (k = 1; k <= n; k++) print a[k], k / n > f
		print w[1], w[2] > (out "/lat_runs.txt")
	}
}
