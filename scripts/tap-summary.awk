# SPDX-License-Identifier: GPL-2.0
# Count TAP results over one or more TAP streams and check each stream's
# plan. Streams are whole files, or "### BEGIN name" ... "### END name rc=N"
# sections of a VM log. A stream whose plan does not match its results, or
# whose script exited non-zero without a failing line, counts one failure.
# Prints failing lines as they are found, then "N passed, N failed, N skipped".
function close_stream(   bad) {
	if (!open)
		return
	bad = ""
	if (planned < 0)
		bad = "no TAP plan"
	else if (planned != seen)
		bad = sprintf("planned %d tests, ran %d", planned, seen)
	else if (rc != 0 && sfail == 0)
		bad = sprintf("exited with status %d", rc)
	if (bad != "") {
		failed++
		printf("not ok - %s: %s\n", name, bad)
	}
	open = 0
}
function open_stream(n) {
	close_stream()
	name = n; planned = -1; seen = 0; rc = 0; sfail = 0; open = 1
}
FNR == 1 { vmlog = 0; open_stream(FILENAME) }
/^### BEGIN / { if (!vmlog) open = 0; vmlog = 1; need_done = 1; open_stream($3); next }
/^### END / { for (i = 1; i <= NF; i++) if ($i ~ /^rc=/) rc = substr($i, 4) + 0
	close_stream(); next }
/^### DMESG-PROBLEM/ { failed++; print "not ok - kernel log shows a BUG/WARNING/Oops (see log)"; next }
/^### ALL-DONE/ { done = 1; next }
!open { next }
/^1\.\.[0-9]+/ { planned = substr($1, 4) + 0; next }
/^ok / { seen++; if ($0 ~ /# [Ss][Kk][Ii][Pp]/) skipped++; else passed++; next }
/^not ok / { seen++; if ($0 ~ /# TODO/) passed++; else { failed++; sfail++; printf("%s: %s\n", name, $0) } ; next }
END {
	close_stream()
	if (need_done && !done) { failed++; print "not ok - VM run did not complete" }
	line = sprintf("%d passed, %d failed", passed, failed)
	if (skipped) line = line sprintf(", %d skipped", skipped)
	print line
	exit failed > 0
}
