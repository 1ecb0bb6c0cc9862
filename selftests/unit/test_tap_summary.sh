#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of scripts/tap-summary.awk, the counter behind `make check`'s
# closing line: every way a run can go wrong must count as a failure.
awk_file=$(dirname "$0")/../../scripts/tap-summary.awk
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 rc=0
echo "1..9"
# expect <description> <expected last line> <input text>...
expect() {
	local d=$1 want=$2 i=0 f files=() got
	shift 2
	for f in "$@"; do
		i=$((i + 1))
		printf '%b' "$f" > "$tmp/in$i"
		files+=("$tmp/in$i")
	done
	got=$(awk -f "$awk_file" "${files[@]}" 2>&1 | tail -n1)
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - $d"
	else
		echo "not ok $n - $d: got '$got', want '$want'"
		rc=1
	fi
}
expect "plain pass/fail/skip" "1 passed, 1 failed, 1 skipped" \
	'1..3\nok 1 - a\nnot ok 2 - b\nok 3 - c # SKIP why\n'
expect "plan at the end, two streams in one file" "3 passed, 0 failed" \
	'ok 1 - a\nok 2 - b\n1..2\n1..1\nok 1 - c\n'
expect "fewer results than planned" "1 passed, 1 failed" '1..2\nok 1 - a\n'
expect "results without a plan" "1 passed, 1 failed" 'ok 1 - a\n'
expect "VM section without output" "0 passed, 1 failed" \
	'### BEGIN a.sh\n### END a.sh rc=0\n### ALL-DONE\n'
expect "VM script exit status without a failing line" "1 passed, 1 failed" \
	'### BEGIN a.sh\n1..1\nok 1 - a\n### END a.sh rc=2\n### ALL-DONE\n'
expect "VM run cut short" "1 passed, 2 failed" \
	'### BEGIN a.sh\n1..2\nok 1 - a\n'
expect "kernel oops after passing tests" "1 passed, 1 failed" \
	'### BEGIN a.sh\n1..1\nok 1 - a\n### END a.sh rc=0\n### DMESG-PROBLEM\n### ALL-DONE\n'
expect "TAP files and a VM log together" "3 passed, 0 failed" \
	'1..1\nok 1 - a\n' \
	'### BEGIN a.sh\n1..2\nok 1 - b\nok 2 - c\n### END a.sh rc=0\n### ALL-DONE\n'
exit $rc
