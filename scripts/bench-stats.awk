# SPDX-License-Identifier: GPL-2.0
# Statistics of make bench, on the host: reads the raw CSV records the VM
# printed (selftests/vm/90-mdev-bench.sh, "# csv " stripped), prints one
# "bench:" line per figure (median and interquartile range over the
# rounds, the issue's goal and met / missed / open) and, with -v out=DIR,
# writes DIR/figures.csv and the data files of the plots.
#   awk [-v out=DIR] -f scripts/bench-stats.awk raw.csv
# Records:
#   datapath,<round>,<driver>,<jobs/s>,<lat avg>,<lat p50>,<lat p99>,<trapped>,<submissions>[,<aperture MB/s: mmap write>,<mmap read>,<read/write write>,<read/write read>]
#   fair,<scenario>,<round>,<policy>,<slice us>,<vf>,<weight>,<mode>,<jobs>,<bytes>,<window us>,<starved>,<min in flight>,<wakeups>
#   lat,<scenario>,<round>,<policy>,<slice us>,<vf>,<sample us>...
#   weights,<set>,<sum of the provisioned weights>
#   scale,<round>,<N>,<enable+bind ns>,<mdevctl start ns, summed>,<sriov_cfg apply ns>,<mailbox requests of the creates traced>,<creates traced>
#   ctlset,<scenario>,<policy>,<VF 0 weight>,<weight sum> before the change,<the same three after>
#   ctl,<scenario>,<round>,<vf>,<change us into the window>,<bin us>,<jobs in bin 0>,<bin 1>,...
# Per round: Jain's index (sum x)^2 / (n sum x^2) of the busy tenants'
# throughputs; aggregate / the one VF alone of the same round; the
# largest |share - expected share| in points; latency p50 / p99; for ctl,
# VF 0's share per bin (its jobs / all VFs' jobs in the bin), the share
# before the change (mean over the bins wholly before it), after (mean
# over the last third of the bins) and the settle time: from the change
# to the start of the first bin (the one holding the change or later)
# from which every later bin is within the bin's counting noise of the
# after-share: three standard errors of a binomial share p over the bin's
# N jobs, 3 * 100 * sqrt(p (1 - p) / N) points, and at least 2 points
# (with some 20 bins after the change, two would be left by one bin in
# three runs of pure noise); 0 when that is the change's own bin; none
# when the last bin is off.
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
# quartiles(fig): sets qm, qq1, qq3 (median, quartiles) and qn of the
# figure's values, writes its row of figures.csv; returns qn
function quartiles(fig,    a, i) {
	qn = nv[fig]
	for (i = 1; i <= qn; i++)
		a[i] = vals[fig, i]
	qsort(a, 1, qn)
	qm = quant(a, qn, 0.5); qq1 = quant(a, qn, 0.25); qq3 = quant(a, qn, 0.75)
	if (out != "" && qn)
		printf "%s,%.6g,%.6g,%.6g,%d,%s,%s\n", fig, qm, qq1, qq3, qn, goal[fig],
			verdict(goal[fig], qq1, qq3) > (out "/figures.csv")
	med[fig] = qm
	return qn
}
function report(fig,    v, g) {
	quartiles(fig)
	g = goal[fig]
	v = verdict(g, qq1, qq3)
	printf "bench: %-44s median %10.4g  IQR [%.4g, %.4g]  n=%d%s\n", fig, qm, qq1, qq3, qn,
		g == "" ? "" : sprintf("  goal %s %s: %s", g == "" ? "" : (substr(g, 1, 2) == "ge" ? ">=" : "<="), substr(g, 4), v)
}
# ctl_expected(scenario, "b" | "a"): VF 0's expected share (%) before or
# after the change: 1 / n under equal-share, else its weight / the sum
function ctl_expected(sc, w) {
	if (cset[sc, w, "pol"] == "equal-share")
		return 100 / cnvf[sc]
	return cset[sc, w, "sum"] > 0 ? 100 * cset[sc, w, "w0"] / cset[sc, w, "sum"] : ""
}

# ---- input ---------------------------------------------------------------
$1 == "datapath" {
	dp[$2, $3, "tp"] = $4; dp[$2, $3, "p50"] = $6; dp[$2, $3, "p99"] = $7
	dp[$2, $3, "trap"] = $8; dp[$2, $3, "sub"] = $9
	if (NF >= 13 && $10 > 0 && $11 > 0 && $12 > 0 && $13 > 0) {
		dp[$2, $3, "amw"] = $10; dp[$2, $3, "amr"] = $11
		dp[$2, $3, "arw"] = $12; dp[$2, $3, "arr"] = $13
	}
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
$1 == "ctlset" {
	cset[$2, "b", "pol"] = $3; cset[$2, "b", "w0"] = $4; cset[$2, "b", "sum"] = $5
	cset[$2, "a", "pol"] = $6; cset[$2, "a", "w0"] = $7; cset[$2, "a", "sum"] = $8
	next
}
$1 == "ctl" {
	if (!(($2) in cnr)) { cscs[++ncsc] = $2; cnr[$2] = 0 }
	if (!(($2, $3) in cnbin)) { crnd[$2, ++cnr[$2]] = $3; cvfs[$2, $3] = 0 }
	cnbin[$2, $3] = NF - 6
	cchg[$2, $3] = $5; cbin[$2] = $6
	if (++cvfs[$2, $3] > cnvf[$2]) cnvf[$2] = cvfs[$2, $3]
	for (i = 7; i <= NF; i++) {
		ctot[$2, $3, i - 7] += $i
		if ($4 == 0) cn0[$2, $3, i - 7] = $i
	}
	next
}
$1 == "fair" {
	run = $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
	if (!(run in nt)) { runs[++nruns] = run; nt[run] = 0 }
	if ($8 == "reset" || $8 == "fault" || $8 == "flood" || $8 == "sleep")
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
		# the aperture: the vGPU against vfio-pci on each path, and the
		# direct (mmap) path against the trapped one (read/write)
		if ((r, j, "amw") in dp && (r, v, "amw") in dp) {
			add("aperture mmap write ratio", dp[r, j, "amw"] / dp[r, v, "amw"])
			add("aperture mmap read ratio", dp[r, j, "amr"] / dp[r, v, "amr"])
			add("aperture read/write write ratio", dp[r, j, "arw"] / dp[r, v, "arw"])
			add("aperture read/write read ratio", dp[r, j, "arr"] / dp[r, v, "arr"])
			add("aperture jmgpu_vfio_pci mmap MB/s write", dp[r, j, "amw"])
			add("aperture jmgpu_vfio_pci mmap MB/s read", dp[r, j, "amr"])
			add("aperture jmgpu_vfio_pci mmap/read-write write", dp[r, j, "amw"] / dp[r, j, "arw"])
			add("aperture jmgpu_vfio_pci mmap/read-write read", dp[r, j, "amr"] / dp[r, j, "arr"])
		}
		if (out != "")
			printf "%d %s %s %s %s\n", r, dp[r, j, "tp"], dp[r, v, "tp"], dp[r, j, "p50"], dp[r, v, "p50"] > (out "/datapath.dat")
	}
	goal["datapath throughput ratio"] = "ge 0.99"
	goal["datapath latency p50 ratio"] = "le 1.01"
	goal["datapath trapped per 1000 submissions"] = "le 0"
	goal["aperture mmap write ratio"] = goal["aperture mmap read ratio"] = "ge 0.99"

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
	# the kinds run (jmgpu_bench_neigh=), in this order
	nk = 0
	split("reset fault flood sleep", AK, " ")
	for (k = 1; k <= 4; k++)
		for (r = 1; r <= rounds; r++)
			if (nt["neigh-" AK[k] SUBSEP r SUBSEP "best-effort" SUBSEP 1000]) {
				NK[++nk] = AK[k]
				break
			}
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
	# runtime control: VF 0's share per bin, before, after, settle time
	for (c = 1; c <= ncsc; c++) {
		cs = cscs[c]
		for (k = 1; k <= cnr[cs]; k++) {
			r = crnd[cs, k]; nb = cnbin[cs, r]; bw = cbin[cs]; ch = cchg[cs, r]
			for (b = 0; b < nb; b++)
				csh[cs, r, b] = ctot[cs, r, b] > 0 ? 100 * cn0[cs, r, b] / ctot[cs, r, b] : ""
			# before: the bins wholly before the change
			s = 0; n = 0
			for (b = 0; (b + 1) * bw <= ch && b < nb; b++)
				if (csh[cs, r, b] != "") { s += csh[cs, r, b]; n++ }
			if (n) add("ctl " cs " share before %", s / n)
			# after: the last third of the bins
			s = 0; n = 0
			for (b = nb - int(nb / 3); b < nb; b++)
				if (csh[cs, r, b] != "") { s += csh[cs, r, b]; n++ }
			if (!n)
				continue
			af = s / n
			add("ctl " cs " share after %", af)
			add("ctl " cs " change ms", ch / 1000)
			# settle: back from the last bin while within the band: three
			# standard errors of a share counted over the bin's jobs
			# (binomial), at least 2 points
			st = -1
			for (b = nb - 1; b >= 0 && b >= int(ch / bw); b--) {
				if (csh[cs, r, b] == "")
					break
				band = 3 * sqrt(af * (100 - af) / ctot[cs, r, b])
				if (band < 2)
					band = 2
				if ((d = csh[cs, r, b] - af) > band || d < -band)
					break
				st = b
			}
			if (st < 0) { cunset[cs]++; continue }
			add("ctl " cs " settle ms", st * bw > ch ? (st * bw - ch) / 1000 : 0)
		}
		ctlfig["ctl " cs " share before %"] = ctlfig["ctl " cs " share after %"] = 1
		ctlfig["ctl " cs " change ms"] = ctlfig["ctl " cs " settle ms"] = 1
	}
	for (f = 1; f <= nfig; f++)
		if (!(order[f] in ctlfig))
			report(order[f])
	for (c = 1; c <= ncsc; c++) {
		cs = cscs[c]
		quartiles("ctl " cs " share before %"); sb = qm
		quartiles("ctl " cs " share after %"); sa = qm
		quartiles("ctl " cs " change ms"); cm = qm
		n = quartiles("ctl " cs " settle ms")
		eb = ctl_expected(cs, "b"); ea = ctl_expected(cs, "a")
		printf "bench: ctl %s: settle %s ms (IQR %s..%s), share before %s%%, after %s%% (expected %s%%, %s%%); change at %s ms into the window, %d rounds%s\n",
			cs, n ? sprintf("%.0f", qm) : "-", n ? sprintf("%.0f", qq1) : "-", n ? sprintf("%.0f", qq3) : "-",
			sb == "" ? "-" : sprintf("%.1f", sb), sa == "" ? "-" : sprintf("%.1f", sa),
			eb == "" ? "-" : sprintf("%.1f", eb), ea == "" ? "-" : sprintf("%.1f", ea),
			cm == "" ? "-" : sprintf("%.0f", cm), cnr[cs],
			cunset[cs] ? sprintf(", not settled by the window's end in %d", cunset[cs]) : ""
		if (out != "")
			printf "ctl %s expected share %%,%.6g,%.6g\n", cs, eb, ea > (out "/figures.csv")
		cexp[cs, "b"] = eb; cexp[cs, "a"] = ea; cmed_chg[cs] = cm
	}
	if (out == "")
		exit
	# runtime control: per scenario VF 0's share (median over the rounds)
	# per bin against the time from the change (the bin's middle minus the
	# median change offset), and the expected shares as a step at 0
	for (c = 1; c <= ncsc; c++) {
		cs = cscs[c]; bw = cbin[cs]; nb = 0
		for (k = 1; k <= cnr[cs]; k++)
			if (cnbin[cs, crnd[cs, k]] > nb) nb = cnbin[cs, crnd[cs, k]]
		for (b = 0; b < nb; b++) {
			n = 0
			for (k = 1; k <= cnr[cs]; k++)
				if (((cs, crnd[cs, k], b) in csh) && csh[cs, crnd[cs, k], b] != "")
					a[++n] = csh[cs, crnd[cs, k], b]
			qsort(a, 1, n)
			if (n)
				printf "%.1f %.4g\n", ((b + 0.5) * bw / 1000 - cmed_chg[cs]), quant(a, n, 0.5) > (out "/ctl_" cs ".dat")
		}
		x0 = -cmed_chg[cs]; x1 = nb * bw / 1000 - cmed_chg[cs]
		printf "%.1f %.4g\n0 %.4g\n0 %.4g\n%.1f %.4g\n", x0, cexp[cs, "b"], cexp[cs, "b"],
			cexp[cs, "a"], x1, cexp[cs, "a"] > (out "/ctl_exp_" cs ".dat")
		print cs > (out "/ctl_runs.txt")
	}
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
	# neighbours: per round, the others' ratio per kind (the kinds on
	# the first line)
	if (nk) {
		line = "# kinds"
		for (k = 1; k <= nk; k++)
			line = line " " NK[k]
		print line > (out "/neigh.dat")
	}
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
