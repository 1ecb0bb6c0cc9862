# SPDX-License-Identifier: GPL-2.0
# Count TAP results over TAP files and VM logs, checking every plan.
# A file, or a "### BEGIN name" ... "### END name rc=N" section of a VM log,
# may hold several TAP streams in a row, each with its plan first or last.
# Counted as one failure each: a stream whose plan does not match its
# results, results without a plan, a VM section with no TAP output, a
# script that exited non-zero without a failing line, a kernel log
# problem, and a VM log that did not reach "### ALL-DONE".
# Prints the failing lines, then "N passed, N failed[, N skipped]".
function fail(why) {
	failed++
	secfail++
	printf("not ok - %s: %s\n", name, why)
}
function finish() {
	if (!open)
		return
	open = 0
	if (planned < 0 && seen == 0) {
		if (section)
			fail("no TAP output")
	} else if (planned < 0) {
		fail("results without a TAP plan")
	} else if (planned != seen) {
		fail(sprintf("planned %d tests, ran %d", planned, seen))
	}
}
function start(n, sec) {
	name = n; planned = -1; seen = 0; open = 1; section = sec
}
function check_done() {
	if (vmlog && !done) {
		name = vmfile
		fail("VM run did not complete (no ### ALL-DONE)")
	}
	vmlog = 0; done = 0
}
FNR == 1 { finish(); check_done(); start(FILENAME, 0); secfail = 0; vmfile = FILENAME }
/^### BEGIN / { finish(); start($3, 1); secfail = 0; vmlog = 1; next }
/^### END / {
	rc = 0
	for (i = 1; i <= NF; i++)
		if ($i ~ /^rc=/)
			rc = substr($i, 4) + 0
	finish()
	if (rc != 0 && secfail == 0)
		fail(sprintf("exited with status %d", rc))
	start(name " (after its end)", 0)
	next
}
/^### DMESG-PROBLEM/ { name = "kernel log"; fail("BUG/WARNING/Oops in dmesg (see the VM log)"); next }
/^### ALL-DONE/ { done = 1; next }
/^1\.\.[0-9]+/ {
	n = substr($1, 4) + 0
	if (planned >= 0) {
		finish(); start(name, 0); planned = n
	} else if (seen > 0) {
		planned = n; finish(); start(name, 0)
	} else
		planned = n
	next
}
/^ok / { seen++; if ($0 ~ /# [Ss][Kk][Ii][Pp]/) skipped++; else passed++; next }
/^not ok / {
	seen++
	if ($0 ~ /# TODO/)
		passed++
	else {
		failed++; secfail++
		printf("%s: %s\n", name, $0)
	}
	next
}
END {
	finish()
	check_done()
	line = sprintf("%d passed, %d failed", passed, failed)
	if (skipped)
		line = line sprintf(", %d skipped", skipped)
	print line
	exit failed > 0
}
