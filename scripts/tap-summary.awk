# SPDX-License-Identifier: GPL-2.0
# The counter behind `make check`'s closing line. Reads the stage files of
# build/tap/ (and VM logs) and prints every failure, then
# "N passed, N failed[, N skipped]"; exits 1 when anything failed.
#
# Input: TAP streams, several per file allowed (plan first, or last when a
# program cannot know its count), and these markers written by the runners:
#   ### BEGIN <name>            a program or VM test starts (its own section)
#   ### END <name> rc=<N> ...   it ended with exit status N
#   ### STAGE <name> rc=<N>     the whole stage ended with exit status N
#   # jmgpu VM selftests, kernel <release>   this file is a VM run log
#   ### DMESG-PROBLEM           the VM's kernel logged a BUG/WARNING/Oops
#   ### ALL-DONE                the VM run reached its end
#
# Each of these is one failure, with its reason:
#   a "not ok" line; any "# TODO" line (a known failure is not a pass);
#   a "# SKIP" without a reason; a stream whose plan does not match its
#   results; results without a plan; a section with no TAP at all (a
#   silent program); a section or stage that exited non-zero while its
#   TAP showed no failure; a kernel log problem; a VM log without
#   "### ALL-DONE" (the run was cut short); an input file with nothing in
#   it at all (a stage that wrote no TAP).
function fail(why) {
	failed++
	secfail++
	filefail++
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
function end_file() {
	finish()
	if (vmlog && !done) {
		name = filename
		fail("VM run did not complete (no ### ALL-DONE)")
	}
	vmlog = 0; done = 0
}
function rc_of(   i, r) {
	r = 0
	for (i = 1; i <= NF; i++)
		if ($i ~ /^rc=/)
			r = substr($i, 4) + 0
	return r
}
FNR == 1 {
	if (NR > 1)
		end_file()
	nonempty[FILENAME] = 1
	filename = FILENAME
	filefail = 0
	start(FILENAME, 0)
	secfail = 0
}
/^# jmgpu VM selftests, kernel / { vmlog = 1 }
/^### BEGIN / { finish(); start($3, 1); secfail = 0; next }
/^### END / {
	rc = rc_of()
	finish()
	if (rc != 0 && secfail == 0)
		fail(sprintf("exited with status %d", rc))
	start(name " (after its end)", 0)
	next
}
/^### STAGE / {
	rc = rc_of()
	finish()
	name = "stage " $3
	if (rc != 0 && filefail == 0)
		fail(sprintf("exited with status %d after TAP with no failure", rc))
	start(name " (after its end)", 0)
	next
}
/^### DMESG-PROBLEM/ {
	save = name; name = "kernel log"
	fail("BUG/WARNING/Oops in dmesg (see the VM log)")
	name = save
	next
}
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
/^(not )?ok( |$)/ {
	seen++
	if ($0 ~ /#[ \t]*[Tt][Oo][Dd][Oo]/) {
		fail("TODO counts as a failure: " $0)
	} else if ($0 ~ /^not ok/) {
		failed++; secfail++; filefail++
		printf("%s: %s\n", name, $0)
	} else if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) {
		if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp][A-Za-z]*[ \t]*[^ \t]/)
			skipped++
		else
			fail("SKIP without a reason: " $0)
	} else
		passed++
	next
}
END {
	if (NR > 0)
		end_file()
	# awk never visits an empty file: find them among the arguments
	for (i = 1; i < ARGC; i++)
		if (ARGV[i] != "" && ARGV[i] !~ /=/ && !(ARGV[i] in nonempty)) {
			name = ARGV[i]
			fail("empty: no TAP at all")
		}
	line = sprintf("%d passed, %d failed", passed, failed)
	if (skipped)
		line = line sprintf(", %d skipped", skipped)
	print line
	exit failed > 0
}
