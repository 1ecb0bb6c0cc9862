# SPDX-License-Identifier: GPL-2.0
# Split the debug-kernel tests over n VMs so that the VMs finish together:
# longest first, each to the VM with the least work so far (LPT), by the
# costs measured on the debug kernel (selftests/vm/debug-costs: "<test>
# <seconds>", at least 1; a test not listed counts as `dflt`). Within a
# VM the tests keep their numeric order.
#   awk -v n=2 -v dflt=120 -f debug-split.awk debug-costs tests-file
# tests-file: one test name (no .sh) per line. Prints n lines, each the
# comma-separated tests of one VM (an empty line for a VM with none), and
# on stderr each VM's planned seconds.
FILENAME == ARGV[1] {
	if ($0 ~ /^[ \t]*(#|$)/)
		next
	if (NF < 2 || $2 !~ /^[1-9][0-9]*$/) {
		printf "debug-costs:%d: not \"<test> <seconds>\": %s\n", FNR, $0 > "/dev/stderr"
		bad = 1
		exit 1
	}
	cost[$1] = $2
	next
}
NF {
	t[++nt] = $1
	c[nt] = ($1 in cost) ? cost[$1] : dflt
}
END {
	if (bad)
		exit 1
	if (n < 1)
		n = 1
	# order by cost, longest first (insertion sort: a few dozen tests)
	for (i = 1; i <= nt; i++)
		o[i] = i
	for (i = 2; i <= nt; i++)
		for (j = i; j > 1 && c[o[j]] > c[o[j - 1]]; j--) {
			x = o[j]; o[j] = o[j - 1]; o[j - 1] = x
		}
	for (v = 1; v <= n; v++)
		load[v] = 0
	for (i = 1; i <= nt; i++) {
		best = 1
		for (v = 2; v <= n; v++)
			if (load[v] < load[best])
				best = v
		vm[o[i]] = best
		load[best] += c[o[i]]
	}
	for (v = 1; v <= n; v++) {
		line = ""
		for (i = 1; i <= nt; i++)
			if (vm[i] == v)
				line = line (line == "" ? "" : ",") t[i]
		print line
		printf "debug VM %d: %d s planned\n", v, load[v] > "/dev/stderr"
	}
}
