#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of scripts/debug-split.awk, which spreads make check's
# debug-kernel tests over its VMs by their measured costs: the VMs must
# come out even, every test in exactly one VM and in numeric order there,
# and a malformed cost file must stop the split with its line named.
awk_file=$(dirname "$0")/../../scripts/debug-split.awk
. "$(dirname "$0")/lib.sh"	# ok, not_ok
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..8"
split() {	# split <n> <costs text> <tests text>: the VMs' lines
	printf '%b' "$2" > "$tmp/costs"
	printf '%b' "$3" > "$tmp/tests"
	awk -v n="$1" -v dflt=100 -f "$awk_file" "$tmp/costs" "$tmp/tests" 2> "$tmp/err"
}
expect() {	# expect <description> <want> <got>
	if [ "$3" = "$2" ]; then ok "$1"; else not_ok "$1: got '$3', want '$2'"; fi
}
costs='# test seconds\n30-a 500\n31-b 300\n\n32-c 250\n33-d 200\n34-e 50\n'
tests='30-a\n31-b\n32-c\n33-d\n34-e\n'
# longest first to the emptier VM: a(500)->1, b(300)->2, c(250)->2 (550),
# d(200)->1 (700), e(50)->2 (600)
got=$(split 2 "$costs" "$tests" | paste -sd'|')
expect "two VMs, longest first to the emptier: 700 s and 600 s" "30-a,33-d|31-b,32-c,34-e" "$got"
got=$(grep -c "planned" "$tmp/err")
expect "each VM's planned seconds on stderr" 2 "$got"
# a test without a cost counts as dflt (100): x(100) goes after d(200)
got=$(split 2 "$costs" '30-a\n33-d\n35-x\n' | paste -sd'|')
expect "a test not in the cost file counts as the default" "30-a|33-d,35-x" "$got"
got=$(split 3 "$costs" '30-a\n' | paste -sd'|')
expect "more VMs than tests: the others get an empty line" "30-a||" "$got"
got=$(split 1 "$costs" "$tests")
expect "one VM: every test, numeric order" "30-a,31-b,32-c,33-d,34-e" "$got"
if split 2 '30-a 500\n31-b five\n' "$tests" > /dev/null; then
	not_ok "a malformed cost line stops the split (it succeeded)"
else
	expect "a malformed cost line stops the split, naming its line" \
		'debug-costs:2: not "<test> <seconds>": 31-b five' "$(cat "$tmp/err")"
fi
if split 2 '30-a 0\n' "$tests" > /dev/null; then
	not_ok "a cost of 0 is refused (it was taken)"
else
	ok "a cost of 0 is refused: $(cat "$tmp/err")"
fi
# an empty cost file: every test at the default, the error-free split
got=$(split 2 '' '30-a\n31-b\n' | paste -sd'|')
expect "an empty cost file: every test at the default" "30-a|31-b" "$got"
