#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of scripts/tap-summary.awk, the counter behind `make check`'s
# closing line: every way a run can go wrong must count as a failure.
awk_file=$(dirname "$0")/../../scripts/tap-summary.awk
. "$(dirname "$0")/lib.sh"	# ok, not_ok
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..20"
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
	if [ "$got" = "$want" ]; then
		ok "$d"
	else
		not_ok "$d: got '$got', want '$want'"
	fi
}
expect "plain pass/fail/skip" "1 passed, 1 failed, 1 skipped" \
	'1..3\nok 1 - a\nnot ok 2 - b\nok 3 - c # SKIP why\n'
expect "plan at the end, two streams in one file" "3 passed, 0 failed" \
	'ok 1 - a\nok 2 - b\n1..2\n1..1\nok 1 - c\n'
expect "short plan: fewer results than planned" "1 passed, 1 failed" '1..2\nok 1 - a\n'
expect "more results than planned" "3 passed, 1 failed" '1..2\nok 1 - a\nok 2 - b\nok 3 - c\n'
expect "results without a plan" "1 passed, 1 failed" 'ok 1 - a\n'
expect "silent program: a unit section with no TAP" "2 passed, 1 failed" \
	'### BEGIN ./test_a\n1..1\nok 1 - a\n### END ./test_a rc=0\n### BEGIN ./test_b\n### END ./test_b rc=0\n### BEGIN ./test_c\n1..1\nok 1 - c\n### END ./test_c rc=0\n'
expect "a unit program exiting non-zero after good TAP (a sanitizer report)" "1 passed, 1 failed" \
	'### BEGIN ./test_a\n1..1\nok 1 - a\n### END ./test_a rc=23\n'
expect "a stage exiting non-zero after good TAP" "2 passed, 1 failed" \
	'1..2\nok 1 - a\nok 2 - b\n### STAGE unit rc=2\n'
expect "a stage exiting non-zero after a failure: one failure, not two" "1 passed, 1 failed" \
	'1..2\nok 1 - a\nnot ok 2 - b\n### STAGE unit rc=1\n'
expect "not ok with a TODO directive is a failure" "1 passed, 1 failed" \
	'1..2\nok 1 - a\nnot ok 2 - b # TODO later\n'
expect "ok with a TODO directive is a failure too (TODO left in the suite)" "1 passed, 1 failed" \
	'1..2\nok 1 - a\nok 2 - b # TODO later\n'
expect "SKIP without a reason is a failure" "1 passed, 1 failed" \
	'1..2\nok 1 - a\nok 2 - b # SKIP\n'
expect "dead QEMU: a qtest group that stopped early, its QEMU check failed, the next group short too" "3 passed, 3 failed" \
	'1..4\nok 1 - ident: vendor\nok 2 - ident: device\nnot ok 3 - ident: QEMU alive and exited cleanly: killed by signal 8 (Floating point exception)\n1..2\nok 1 - fb: a\n### STAGE qtest rc=1\n'
expect "VM section without output" "0 passed, 1 failed" \
	'# jmgpu VM selftests, kernel 6.12\n### BEGIN a.sh\n### END a.sh rc=0\n### ALL-DONE\n'
expect "VM script exit status without a failing line" "1 passed, 1 failed" \
	'# jmgpu VM selftests, kernel 6.12\n### BEGIN a.sh\n1..1\nok 1 - a\n### END a.sh rc=2\n### ALL-DONE\n'
expect "hung VM test: killed by the runner: the hang and its short plan fail, the next test counts" "2 passed, 2 failed" \
	'# jmgpu VM selftests, kernel 6.12\n### BEGIN a.sh\n1..3\nok 1 - a\nnot ok - a.sh hung for 300s: killed with its process group\n### END a.sh rc=124\n### BEGIN b.sh\n1..1\nok 1 - b\n### END b.sh rc=0\n### ALL-DONE\n'
expect "VM run cut short (no ALL-DONE)" "1 passed, 2 failed" \
	'# jmgpu VM selftests, kernel 6.12\n### BEGIN a.sh\n1..2\nok 1 - a\n'
expect "kernel oops after passing tests" "1 passed, 1 failed" \
	'# jmgpu VM selftests, kernel 6.12\n### BEGIN a.sh\n1..1\nok 1 - a\n### END a.sh rc=0\n### DMESG-PROBLEM\n### ALL-DONE\n'
expect "an empty TAP stream (a stage file with nothing in it)" "1 passed, 1 failed" \
	'1..1\nok 1 - a\n' ''
expect "TAP files and a VM log together" "3 passed, 0 failed" \
	'1..1\nok 1 - a\n' \
	'# jmgpu VM selftests, kernel 6.12\n### BEGIN a.sh\n1..2\nok 1 - b\nok 2 - c\n### END a.sh rc=0\n### ALL-DONE\n'
exit $rc
